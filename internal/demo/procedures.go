package demo

import (
	"context"
	"fmt"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
)

// A sample catalogue: for each agency, its fields and the subjects of its procedures; each
// subject gives the procedures its acts name (issue, re-issue, amend, extend), with plausible
// time limits. The names follow the national database's style; the codes are sample codes.
type procSubject struct {
	field, subject string
	acts           []procAct
}

type procAct struct {
	verb  string
	days  int
	fee   string
	level qms.OnlineLevel
}

var (
	issue   = procAct{"Cấp", 15, "", qms.OnlinePartial}
	reissue = procAct{"Cấp lại", 7, "", qms.OnlineFull}
	amend   = procAct{"Điều chỉnh", 10, "", qms.OnlinePartial}
	extend  = procAct{"Gia hạn", 5, "", qms.OnlineFull}
	approve = procAct{"Phê duyệt", 20, "Không", qms.OnlinePartial}
	confirm = procAct{"Xác nhận", 3, "Không", qms.OnlineFull}
	regist  = procAct{"Đăng ký", 10, "", qms.OnlinePartial}
	revoke  = procAct{"Thu hồi", 10, "Không", qms.OnlineNone}
)

var standard = []procAct{issue, reissue, amend, extend}

var catalogue = map[string][]procSubject{
	"SKHCN": {
		{"Hoạt động khoa học và công nghệ", "giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", standard},
		{"Hoạt động khoa học và công nghệ", "giấy chứng nhận doanh nghiệp khoa học và công nghệ", standard},
		{"Hoạt động khoa học và công nghệ", "giấy chứng nhận đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ", []procAct{regist, reissue}},
		{"Chuyển giao công nghệ", "giấy chứng nhận đăng ký chuyển giao công nghệ", standard},
		{"Năng lượng nguyên tử, an toàn bức xạ và hạt nhân", "giấy phép tiến hành công việc bức xạ sử dụng thiết bị X-quang chẩn đoán trong y tế", standard},
		{"Năng lượng nguyên tử, an toàn bức xạ và hạt nhân", "chứng chỉ nhân viên bức xạ", []procAct{issue, reissue}},
		{"Tiêu chuẩn, đo lường, chất lượng", "quyết định chỉ định tổ chức đánh giá sự phù hợp", standard},
		{"Tiêu chuẩn, đo lường, chất lượng", "chứng chỉ kiểm định viên đo lường", []procAct{issue, reissue}},
		{"Sở hữu trí tuệ", "giấy chứng nhận tổ chức đủ điều kiện hoạt động giám định sở hữu công nghiệp", []procAct{issue, reissue, revoke}},
	},
	"SNV": {
		{"Tổ chức phi chính phủ", "giấy phép thành lập và công nhận điều lệ quỹ xã hội, quỹ từ thiện", []procAct{issue, amend, revoke}},
		{"Tổ chức phi chính phủ", "quyết định cho phép thành lập hội", []procAct{issue, amend}},
		{"Công chức, viên chức", "kết quả xét tuyển viên chức", []procAct{approve}},
		{"Chính quyền địa phương", "đề án thành lập, nhập, chia đơn vị hành chính cấp xã", []procAct{approve}},
		{"Văn thư, lưu trữ", "chứng chỉ hành nghề lưu trữ", []procAct{issue, reissue}},
	},
	"BTG": {
		{"Tôn giáo", "đăng ký sinh hoạt tôn giáo tập trung", []procAct{regist, amend}},
		{"Tôn giáo", "chấp thuận tổ chức cuộc lễ ngoài cơ sở tôn giáo", []procAct{approve}},
	},
	"BTDKT": {
		{"Thi đua, khen thưởng", "tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", []procAct{approve}},
		{"Thi đua, khen thưởng", "tặng danh hiệu Tập thể lao động xuất sắc", []procAct{approve}},
	},
	"STP": {
		{"Lý lịch tư pháp", "phiếu lý lịch tư pháp", []procAct{issue, reissue}},
		{"Công chứng", "giấy đăng ký hoạt động văn phòng công chứng", standard},
		{"Luật sư", "giấy đăng ký hoạt động tổ chức hành nghề luật sư", standard},
		{"Giám định tư pháp", "thẻ giám định viên tư pháp", []procAct{issue, reissue, revoke}},
		{"Đấu giá tài sản", "giấy đăng ký hoạt động doanh nghiệp đấu giá tài sản", standard},
		{"Hộ tịch", "đăng ký khai sinh có yếu tố nước ngoài", []procAct{regist}},
		{"Quốc tịch", "giấy xác nhận có quốc tịch Việt Nam", []procAct{issue}},
	},
	"SCT": {
		{"Lưu thông hàng hóa trong nước", "giấy phép kinh doanh bán buôn sản phẩm rượu", standard},
		{"Lưu thông hàng hóa trong nước", "giấy chứng nhận đủ điều kiện cửa hàng bán lẻ xăng dầu", standard},
		{"Điện", "giấy phép hoạt động điện lực", standard},
		{"Hóa chất", "giấy chứng nhận đủ điều kiện sản xuất, kinh doanh hóa chất", standard},
		{"Xúc tiến thương mại", "đăng ký tổ chức hội chợ, triển lãm thương mại", []procAct{regist, amend}},
	},
	"SYT": {
		{"Khám bệnh, chữa bệnh", "giấy phép hoạt động đối với phòng khám chuyên khoa", standard},
		{"Khám bệnh, chữa bệnh", "chứng chỉ hành nghề khám bệnh, chữa bệnh", []procAct{issue, reissue, amend}},
		{"Dược phẩm", "giấy chứng nhận đủ điều kiện kinh doanh dược", standard},
		{"Dược phẩm", "chứng chỉ hành nghề dược", []procAct{issue, reissue}},
		{"Y tế dự phòng", "giấy chứng nhận cơ sở đủ điều kiện tiêm chủng", []procAct{confirm}},
	},
	"CCATVSTP": {
		{"An toàn thực phẩm", "giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", standard},
		{"An toàn thực phẩm", "bản tự công bố sản phẩm thực phẩm", []procAct{confirm}},
	},
	"SXD": {
		{"Hoạt động xây dựng", "giấy phép xây dựng công trình cấp II, cấp III", standard},
		{"Hoạt động xây dựng", "chứng chỉ năng lực hoạt động xây dựng hạng II, hạng III", []procAct{issue, reissue, amend}},
		{"Hoạt động xây dựng", "chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III", []procAct{issue, reissue, extend}},
		{"Quy hoạch xây dựng", "nhiệm vụ quy hoạch chi tiết xây dựng", []procAct{approve}},
		{"Nhà ở", "công nhận chủ đầu tư dự án nhà ở", []procAct{approve}},
	},
	"STNMT": {
		{"Đất đai", "giấy chứng nhận quyền sử dụng đất cho tổ chức", []procAct{issue, reissue, amend}},
		{"Môi trường", "giấy phép môi trường", []procAct{issue, amend, reissue}},
		{"Tài nguyên nước", "giấy phép khai thác, sử dụng nước mặt", standard},
		{"Khoáng sản", "giấy phép thăm dò khoáng sản", standard},
	},
	"SKHDT": {
		{"Thành lập và hoạt động doanh nghiệp", "đăng ký thành lập doanh nghiệp tư nhân", []procAct{regist, amend}},
		{"Thành lập và hoạt động doanh nghiệp", "đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên", []procAct{regist, amend}},
		{"Đầu tư tại Việt Nam", "quyết định chủ trương đầu tư của Ủy ban nhân dân tỉnh", []procAct{approve, amend}},
		{"Đầu tư tại Việt Nam", "giấy chứng nhận đăng ký đầu tư", standard},
	},
	"SLDTBXH": {
		{"Việc làm", "giấy phép lao động cho người lao động nước ngoài", standard},
		{"Giáo dục nghề nghiệp", "giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp", standard},
		{"Người có công", "giải quyết chế độ trợ cấp thờ cúng liệt sĩ", []procAct{approve}},
		{"Bảo trợ xã hội", "giấy phép hoạt động cơ sở trợ giúp xã hội", standard},
	},
	"SNNPTNT": {
		{"Trồng trọt", "giấy chứng nhận đủ điều kiện buôn bán phân bón", standard},
		{"Thủy lợi", "giấy phép hoạt động trong phạm vi bảo vệ công trình thủy lợi", standard},
	},
	"CCTY": {
		{"Thú y", "chứng chỉ hành nghề thú y", []procAct{issue, reissue, extend}},
		{"Thú y", "giấy chứng nhận đủ điều kiện vệ sinh thú y", standard},
	},
	"CCKL": {
		{"Lâm nghiệp", "xác nhận bảng kê lâm sản", []procAct{confirm}},
		{"Lâm nghiệp", "đăng ký mã số cơ sở nuôi, trồng các loài động vật, thực vật hoang dã", []procAct{regist, amend}},
	},
	"SGTVT": {
		{"Đường bộ", "giấy phép lái xe", []procAct{issue, reissue, extend}},
		{"Đường bộ", "giấy phép kinh doanh vận tải bằng xe ô tô", standard},
		{"Đường thủy nội địa", "giấy chứng nhận khả năng chuyên môn thuyền trưởng, máy trưởng", []procAct{issue, reissue}},
	},
	"SGDDT": {
		{"Giáo dục trung học", "cho phép trường trung học phổ thông hoạt động giáo dục", []procAct{approve}},
		{"Văn bằng, chứng chỉ", "bản sao văn bằng, chứng chỉ từ sổ gốc", []procAct{issue}},
		{"Giáo dục và đào tạo", "giấy chứng nhận đủ điều kiện hoạt động dịch vụ tư vấn du học", standard},
	},
	"SVHTTDL": {
		{"Lữ hành", "giấy phép kinh doanh dịch vụ lữ hành nội địa", standard},
		{"Di sản văn hóa", "giấy phép thăm dò, khai quật khảo cổ", []procAct{issue}},
		{"Thể dục thể thao", "giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao", standard},
		{"Nghệ thuật biểu diễn", "chấp thuận tổ chức biểu diễn nghệ thuật", []procAct{approve}},
	},
	"STTTT": {
		{"Báo chí", "giấy phép xuất bản bản tin", standard},
		{"Xuất bản, in và phát hành", "giấy phép hoạt động in", standard},
		{"Phát thanh, truyền hình và thông tin điện tử", "giấy phép thiết lập trang thông tin điện tử tổng hợp", standard},
	},
	"SNGV": {
		{"Ngoại vụ", "cho phép tổ chức hội nghị, hội thảo quốc tế", []procAct{approve}},
		{"Ngoại vụ", "xác nhận hộ chiếu công vụ", []procAct{confirm}},
	},
	"UBND-VINH": {
		{"Hộ tịch", "đăng ký kết hôn có yếu tố nước ngoài", []procAct{regist}},
		{"Thành lập và hoạt động hộ kinh doanh", "đăng ký hộ kinh doanh", []procAct{regist, amend}},
		{"Xây dựng", "giấy phép xây dựng nhà ở riêng lẻ", standard},
	},
}

// catalogueOrder is the agencies of the sample catalogue in the order codes are given.
var catalogueOrder = []string{"SKHCN", "SNV", "BTG", "BTDKT", "STP", "SCT", "SYT", "CCATVSTP", "SXD", "STNMT", "SKHDT", "SLDTBXH",
	"SNNPTNT", "CCTY", "CCKL", "SGTVT", "SGDDT", "SVHTTDL", "STTTT", "SNGV", "UBND-VINH"}

// Procedures returns the sample catalogue.
func Procedures() []service.ProcedureInput {
	var out []service.ProcedureInput
	n := 0
	for _, agency := range catalogueOrder {
		for _, s := range catalogue[agency] {
			for _, act := range s.acts {
				n++
				fee := act.fee
				if fee == "" {
					fee = fmt.Sprintf("%d.000 đồng/hồ sơ", 100*(1+n%15))
				}
				level := qms.LevelProvince
				if agency == "UBND-VINH" {
					level = qms.LevelDistrict
				}
				status := qms.ProcInForce
				switch {
				case n%47 == 0:
					status = qms.ProcAbolished
				case n%23 == 0:
					status = qms.ProcAmended
				}
				days := act.days + n%3*2 // a little variety around the act's usual limit
				out = append(out, service.ProcedureInput{
					Code: fmt.Sprintf("1.%06d", 1200+n*7), Name: act.verb + " " + s.subject, Field: s.field, Level: level,
					Agencies: []string{agency}, TimeLimitDays: days, Fees: fee, Online: act.level, Anywhere: n%4 == 0, Status: status,
					Components: "Đơn đề nghị theo mẫu\nBản sao giấy tờ chứng minh đủ điều kiện\nCác tài liệu khác theo quy định",
					Result:     act.verb + " " + s.subject, EffectiveOn: qms.NewDate(2024, 3, 15), Decision: "825/QĐ-UBND ngày 15/3/2024",
					LegalBases: legalBases(s.field),
				})
			}
		}
	}
	return out
}

// fieldLaws are the laws the sample procedures of a field cite, besides the one-stop decree.
var fieldLaws = map[string]string{
	"Hoạt động khoa học và công nghệ":                  "Luật Khoa học và Công nghệ số 29/2013/QH13",
	"Chuyển giao công nghệ":                            "Luật Chuyển giao công nghệ số 07/2017/QH14",
	"Năng lượng nguyên tử, an toàn bức xạ và hạt nhân": "Luật Năng lượng nguyên tử số 18/2008/QH12",
	"Tiêu chuẩn, đo lường, chất lượng":                 "Luật Đo lường số 04/2011/QH13",
	"Sở hữu trí tuệ":                                   "Luật Sở hữu trí tuệ số 50/2005/QH11",
	"Hộ tịch":                                          "Luật Hộ tịch số 60/2014/QH13",
	"Hoạt động xây dựng":                               "Luật Xây dựng số 50/2014/QH13",
	"Xây dựng":                                         "Luật Xây dựng số 50/2014/QH13",
	"Thành lập và hoạt động doanh nghiệp":              "Luật Doanh nghiệp số 59/2020/QH14",
	"Đầu tư tại Việt Nam":                              "Luật Đầu tư số 61/2020/QH14",
	"Đất đai":                                          "Luật Đất đai số 31/2024/QH15",
	"Nhà ở":                                            "Luật Nhà ở số 27/2023/QH15",
	"Dược phẩm":                                        "Luật Dược số 105/2016/QH13",
	"An toàn thực phẩm":                                "Luật An toàn thực phẩm số 55/2010/QH12",
	"Khám bệnh, chữa bệnh":                             "Luật Khám bệnh, chữa bệnh số 15/2023/QH15",
	"Thi đua, khen thưởng":                             "Luật Thi đua, khen thưởng số 06/2022/QH15",
	"Lý lịch tư pháp":                                  "Luật Lý lịch tư pháp số 28/2009/QH12",
	"Luật sư":                                          "Luật Luật sư số 65/2006/QH11",
	"Báo chí":                                          "Luật Báo chí số 103/2016/QH13",
	"Xuất bản, in và phát hành":                        "Luật Xuất bản số 19/2012/QH13",
	"Quốc tịch":                                        "Luật Quốc tịch Việt Nam số 24/2008/QH12",
	"Tôn giáo":                                         "Luật Tín ngưỡng, tôn giáo số 02/2016/QH14",
	"Lâm nghiệp":                                       "Luật Lâm nghiệp số 16/2017/QH14",
	"Thú y":                                            "Luật Thú y số 79/2015/QH13",
	"Giáo dục và đào tạo":                              "Luật Giáo dục số 43/2019/QH14",
	"Giáo dục trung học":                               "Luật Giáo dục số 43/2019/QH14",
	"Môi trường":                                       "Luật Bảo vệ môi trường số 72/2020/QH14",
	"Văn thư, lưu trữ":                                 "Nghị định số 30/2020/NĐ-CP về công tác văn thư",
}

const oneStopDecree = "Nghị định số 61/2018/NĐ-CP về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính"

func legalBases(field string) string {
	if law, ok := fieldLaws[field]; ok {
		return law + "\n" + oneStopDecree
	}
	return oneStopDecree
}

// demoLegal are register entries given with their facts before the catalogue cites them (the
// others are registered from the lines that cite them).
var demoLegal = []service.LegalInput{
	{Number: "61/2018/NĐ-CP", Title: "Nghị định về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính", Issuer: "Chính phủ",
		SignedOn: qms.NewDate(2018, 4, 23), EffectiveOn: qms.NewDate(2018, 6, 21)},
	{Number: "29/2013/QH13", Title: "Luật Khoa học và Công nghệ", Issuer: "Quốc hội", SignedOn: qms.NewDate(2013, 6, 18), EffectiveOn: qms.NewDate(2014, 1, 1)},
	{Number: "60/2014/QH13", Title: "Luật Hộ tịch", Issuer: "Quốc hội", SignedOn: qms.NewDate(2014, 11, 20), EffectiveOn: qms.NewDate(2016, 1, 1)},
	{Number: "50/2014/QH13", Title: "Luật Xây dựng", Issuer: "Quốc hội", SignedOn: qms.NewDate(2014, 6, 18), EffectiveOn: qms.NewDate(2015, 1, 1)},
}

func loadProcedures(ctx context.Context, svc *service.Service) error {
	for _, l := range demoLegal {
		if _, _, err := svc.SaveLegalDoc(ctx, service.System, 0, l); err != nil {
			return fmt.Errorf("demo legal document %s: %w", l.Number, err)
		}
	}
	for _, p := range Procedures() {
		if _, err := svc.SaveProcedure(ctx, service.System, "", p); err != nil {
			return fmt.Errorf("demo procedure %s: %w", p.Code, err)
		}
	}
	return nil
}
