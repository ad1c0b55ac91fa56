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
					LegalBases: "Quyết định số 19/2014/QĐ-TTg\nNghị định số 61/2018/NĐ-CP",
				})
			}
		}
	}
	return out
}

func loadProcedures(ctx context.Context, svc *service.Service) error {
	for _, p := range Procedures() {
		if _, err := svc.SaveProcedure(ctx, service.System, "", p); err != nil {
			return fmt.Errorf("demo procedure %s: %w", p.Code, err)
		}
	}
	return nil
}
