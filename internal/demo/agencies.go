// Package demo builds the demonstration province: Nghệ An People's Committee and the 56
// agencies of Decision 37/QĐ-UBND (04/01/2012), section III.2, with demo users for every role.
package demo

import "github.com/isogov/isogov/internal/qms"

// Group is the seed's group of an agency (section III.2).
type Group string

const (
	FirstTime Group = "first_time" // III.2.a: 14 agencies applying a QMS for the first time
	Extend    Group = "extend"     // III.2.b: 42 agencies extending or converting an existing QMS
	Province  Group = ""           // the People's Committee itself, which issued the plan
)

// Agency is one agency of the demo province.
type Agency struct {
	Code      string
	Name      string
	ShortName string
	Kind      qms.AgencyKind
	Parent    string
	Group     Group
}

// ProvinceCode is the code of the provincial People's Committee.
const ProvinceCode = "UBNDT"

// Agencies is the demo province in the seed's order, parents before children.
var Agencies = []Agency{
	{ProvinceCode, "Ủy ban nhân dân tỉnh Nghệ An", "UBND tỉnh", qms.KindProvincialCommittee, "", Province},

	// III.2.b, provincial agencies.
	{"VPUBND", "Văn phòng Ủy ban nhân dân tỉnh", "VP UBND tỉnh", qms.KindOffice, ProvinceCode, Extend},
	{"VPDBHDND", "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", "VP ĐĐBQH và HĐND", qms.KindOffice, ProvinceCode, Extend},
	{"SNV", "Sở Nội vụ", "Sở Nội vụ", qms.KindDepartment, ProvinceCode, Extend},
	{"STC", "Sở Tài chính", "Sở Tài chính", qms.KindDepartment, ProvinceCode, Extend},
	{"SKHCN", "Sở Khoa học và Công nghệ", "Sở KH&CN", qms.KindDepartment, ProvinceCode, Extend},
	{"STNMT", "Sở Tài nguyên và Môi trường", "Sở TN&MT", qms.KindDepartment, ProvinceCode, Extend},
	{"SKHDT", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", qms.KindDepartment, ProvinceCode, Extend},
	{"SLDTBXH", "Sở Lao động - Thương binh và Xã hội", "Sở LĐ-TB&XH", qms.KindDepartment, ProvinceCode, Extend},
	{"SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT", qms.KindDepartment, ProvinceCode, Extend},
	{"SCT", "Sở Công Thương", "Sở Công Thương", qms.KindDepartment, ProvinceCode, Extend},
	{"SGTVT", "Sở Giao thông vận tải", "Sở GTVT", qms.KindDepartment, ProvinceCode, Extend},
	{"STP", "Sở Tư pháp", "Sở Tư pháp", qms.KindDepartment, ProvinceCode, Extend},
	{"SGDDT", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", qms.KindDepartment, ProvinceCode, Extend},
	{"SYT", "Sở Y tế", "Sở Y tế", qms.KindDepartment, ProvinceCode, Extend},
	{"SXD", "Sở Xây dựng", "Sở Xây dựng", qms.KindDepartment, ProvinceCode, Extend},
	{"SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở VH-TT-DL", qms.KindDepartment, ProvinceCode, Extend},
	{"STTTT", "Sở Thông tin và Truyền thông", "Sở TT&TT", qms.KindDepartment, ProvinceCode, Extend},
	{"TTT", "Thanh tra tỉnh", "Thanh tra tỉnh", qms.KindDepartment, ProvinceCode, Extend},
	{"BDTMN", "Ban Dân tộc và Miền núi", "Ban Dân tộc", qms.KindBoard, ProvinceCode, Extend},
	{"BQLKKT", "Ban Quản lý Khu kinh tế Đông Nam", "BQL KKT Đông Nam", qms.KindBoard, ProvinceCode, Extend},

	// III.2.a, first time.
	{"SNGV", "Sở Ngoại vụ", "Sở Ngoại vụ", qms.KindDepartment, ProvinceCode, FirstTime},
	{"BTDKT", "Ban Thi đua - Khen thưởng", "Ban TĐKT", qms.KindBoard, "SNV", FirstTime},
	{"CCBVMT", "Chi cục Bảo vệ Môi trường", "CC BVMT", qms.KindSubDepartment, "STNMT", FirstTime},
	{"CCQLTT", "Chi cục Quản lý thị trường", "CC QLTT", qms.KindSubDepartment, "SCT", FirstTime},
	{"CCATVSTP", "Chi cục An toàn vệ sinh thực phẩm", "CC ATVSTP", qms.KindSubDepartment, "SYT", FirstTime},
	{"CCKL", "Chi cục Kiểm lâm", "CC Kiểm lâm", qms.KindSubDepartment, "SNNPTNT", FirstTime},
	{"CCLN", "Chi cục Lâm nghiệp", "CC Lâm nghiệp", qms.KindSubDepartment, "SNNPTNT", FirstTime},
	{"CCBVTV", "Chi cục Bảo vệ thực vật", "CC BVTV", qms.KindSubDepartment, "SNNPTNT", FirstTime},
	{"CCTY", "Chi cục Thú y", "CC Thú y", qms.KindSubDepartment, "SNNPTNT", FirstTime},
	{"CCKTBVNLTS", "Chi cục Khai thác và Bảo vệ nguồn lợi thủy sản", "CC KT&BVNLTS", qms.KindSubDepartment, "SNNPTNT", FirstTime},
	{"CCNTTS", "Chi cục Nuôi trồng thủy sản", "CC NTTS", qms.KindSubDepartment, "SNNPTNT", FirstTime},
	{"CCPTNT", "Chi cục Phát triển nông thôn", "CC PTNT", qms.KindSubDepartment, "SNNPTNT", FirstTime},
	{"CCDDPCLB", "Chi cục Đê điều và Phòng chống lụt bão", "CC ĐĐ&PCLB", qms.KindSubDepartment, "SNNPTNT", FirstTime},
	{"CCQLCLNLTS", "Chi cục Quản lý Chất lượng Nông lâm sản và Thủy sản", "CC QLCL NLS&TS", qms.KindSubDepartment, "SNNPTNT", FirstTime},

	// III.2.b, boards and sub-departments.
	{"BTG", "Ban Tôn giáo", "Ban Tôn giáo", qms.KindBoard, "SNV", Extend},
	{"CCDSKHHGD", "Chi cục Dân số - Kế hoạch hóa gia đình", "CC DS-KHHGĐ", qms.KindSubDepartment, "SYT", Extend},

	// III.2.b, district People's Committees (districts were abolished on 01/07/2025, Law 72/2025/QH15).
	{"UBND-VINH", "Ủy ban nhân dân thành phố Vinh", "UBND TP Vinh", qms.KindDistrictCommittee, ProvinceCode, Extend},
	{"UBND-CUALO", "Ủy ban nhân dân thị xã Cửa Lò", "UBND TX Cửa Lò", qms.KindDistrictCommittee, ProvinceCode, Extend},
	{"UBND-THAIHOA", "Ủy ban nhân dân thị xã Thái Hòa", "UBND TX Thái Hòa", qms.KindDistrictCommittee, ProvinceCode, Extend},
	{"UBND-NGHILOC", "Ủy ban nhân dân huyện Nghi Lộc", "UBND H. Nghi Lộc", qms.KindDistrictCommittee, ProvinceCode, Extend},
	{"UBND-ANHSON", "Ủy ban nhân dân huyện Anh Sơn", "UBND H. Anh Sơn", qms.KindDistrictCommittee, ProvinceCode, Extend},
	{"UBND-QUYNHLUU", "Ủy ban nhân dân huyện Quỳnh Lưu", "UBND H. Quỳnh Lưu", qms.KindDistrictCommittee, ProvinceCode, Extend},
	{"UBND-HUNGNGUYEN", "Ủy ban nhân dân huyện Hưng Nguyên", "UBND H. Hưng Nguyên", qms.KindDistrictCommittee, ProvinceCode, Extend},
	{"UBND-NGHIADAN", "Ủy ban nhân dân huyện Nghĩa Đàn", "UBND H. Nghĩa Đàn", qms.KindDistrictCommittee, ProvinceCode, Extend},
	{"UBND-DIENCHAU", "Ủy ban nhân dân huyện Diễn Châu", "UBND H. Diễn Châu", qms.KindDistrictCommittee, ProvinceCode, Extend},
	{"UBND-NAMDAN", "Ủy ban nhân dân huyện Nam Đàn", "UBND H. Nam Đàn", qms.KindDistrictCommittee, ProvinceCode, Extend},
	{"UBND-YENTHANH", "Ủy ban nhân dân huyện Yên Thành", "UBND H. Yên Thành", qms.KindDistrictCommittee, ProvinceCode, Extend},
	{"UBND-TANKY", "Ủy ban nhân dân huyện Tân Kỳ", "UBND H. Tân Kỳ", qms.KindDistrictCommittee, ProvinceCode, Extend},
	{"UBND-CONCUONG", "Ủy ban nhân dân huyện Con Cuông", "UBND H. Con Cuông", qms.KindDistrictCommittee, ProvinceCode, Extend},
	{"UBND-THANHCHUONG", "Ủy ban nhân dân huyện Thanh Chương", "UBND H. Thanh Chương", qms.KindDistrictCommittee, ProvinceCode, Extend},
	{"UBND-QUYHOP", "Ủy ban nhân dân huyện Quỳ Hợp", "UBND H. Quỳ Hợp", qms.KindDistrictCommittee, ProvinceCode, Extend},
	{"UBND-DOLUONG", "Ủy ban nhân dân huyện Đô Lương", "UBND H. Đô Lương", qms.KindDistrictCommittee, ProvinceCode, Extend},
	{"UBND-QUYCHAU", "Ủy ban nhân dân huyện Quỳ Châu", "UBND H. Quỳ Châu", qms.KindDistrictCommittee, ProvinceCode, Extend},
	{"UBND-QUEPHONG", "Ủy ban nhân dân huyện Quế Phong", "UBND H. Quế Phong", qms.KindDistrictCommittee, ProvinceCode, Extend},
	{"UBND-TUONGDUONG", "Ủy ban nhân dân huyện Tương Dương", "UBND H. Tương Dương", qms.KindDistrictCommittee, ProvinceCode, Extend},
	{"UBND-KYSON", "Ủy ban nhân dân huyện Kỳ Sơn", "UBND H. Kỳ Sơn", qms.KindDistrictCommittee, ProvinceCode, Extend},
}
