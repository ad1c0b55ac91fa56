package demo

import (
	"context"
	"errors"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
)

// Password is every demo account's password; it is printed at start and shown on the
// sign-in page of a demo server, so it must never guard real data.
const Password = "demo-NgheAn-2026"

// Account is one demo user.
type Account struct {
	Email string
	Name  string
	Roles []string
}

// Accounts has a user for every role (DOMAIN.md §4), one of them with roles in two agencies.
var Accounts = []Account{
	{"quantri@demo.isogov.vn", "Quản trị hệ thống", []string{"admin"}},
	{"dieuphoi@demo.isogov.vn", "Trần Văn Hùng", []string{"coordinator"}},
	{"giamsat@demo.isogov.vn", "Lê Thị Hoa", []string{"observer"}},
	{"lanhdao.skhcn@demo.isogov.vn", "Nguyễn Văn An", []string{"leader@SKHCN"}},
	{"thuky.skhcn@demo.isogov.vn", "Phạm Thị Bình", []string{"secretary@SKHCN"}},
	{"chuyenvien.skhcn@demo.isogov.vn", "Hoàng Văn Cường", []string{"staff@SKHCN"}},
	{"danhgia@demo.isogov.vn", "Đặng Thị Dung", []string{"auditor@SKHCN", "auditor@STP"}},
	{"tuvan@demo.isogov.vn", "Vũ Minh Đức", []string{"consultant@SNGV"}},
	{"thuky.sngv@demo.isogov.vn", "Ngô Thị Hạnh", []string{"secretary@SNGV"}},
	{"thuky.snv@demo.isogov.vn", "Bùi Thị Giang", []string{"secretary@SNV", "staff@BTDKT"}},
}

// units of the Department of Science and Technology, so its page shows a real structure.
var units = []service.UnitInput{
	{Code: "VP", Name: "Văn phòng Sở"},
	{Code: "TTRA", Name: "Thanh tra Sở"},
	{Code: "KHTC", Name: "Phòng Kế hoạch - Tài chính"},
	{Code: "QLKH", Name: "Phòng Quản lý khoa học"},
	{Code: "QLCN", Name: "Phòng Quản lý công nghệ và Thị trường công nghệ"},
	{Code: "CCTDC", Name: "Chi cục Tiêu chuẩn Đo lường Chất lượng"},
}

// ErrNotEmpty says the database already holds data, so the demo is not loaded over it.
var ErrNotEmpty = errors.New("the database is not empty: the demo province loads only into an empty database")

// Load puts the demo province into an empty database through the services, so every
// agency, unit, account and role is journaled like any other change.
func Load(ctx context.Context, svc *service.Service) error {
	db := svc.DB()
	if n, err := db.CountAgencies(ctx); err != nil {
		return err
	} else if n > 0 {
		return ErrNotEmpty
	}
	if n, err := db.CountUsers(ctx); err != nil {
		return err
	} else if n > 0 {
		return ErrNotEmpty
	}
	for _, a := range Agencies {
		in := service.AgencyInput{Code: a.Code, Name: a.Name, ShortName: a.ShortName, Kind: a.Kind, ParentCode: a.Parent,
			ValidFrom: qms.NewDate(2012, 1, 4)}
		if _, err := svc.CreateAgency(ctx, service.System, in); err != nil {
			return err
		}
	}
	for _, u := range units {
		if _, err := svc.CreateUnit(ctx, service.System, "SKHCN", u); err != nil {
			return err
		}
	}
	for _, acc := range Accounts {
		if _, err := svc.CreateUser(ctx, service.System, service.UserInput{Email: acc.Email, Name: acc.Name, Lang: "vi", Password: Password, Roles: acc.Roles}); err != nil {
			return err
		}
	}
	if err := loadProgrammes(ctx, svc); err != nil {
		return err
	}
	if err := loadProcedures(ctx, svc); err != nil {
		return err
	}
	if err := loadDocuments(ctx, svc); err != nil {
		return err
	}
	if err := loadProcess(ctx, svc); err != nil {
		return err
	}
	return loadLoop(ctx, svc)
}

// IsLoaded reports whether the database holds the demo province (its first account exists).
func IsLoaded(ctx context.Context, db *store.DB) bool {
	_, err := db.UserByEmail(ctx, Accounts[0].Email)
	return err == nil
}
