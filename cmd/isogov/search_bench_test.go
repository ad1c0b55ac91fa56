package main

import (
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/isogov/isogov/internal/qms"
	"github.com/isogov/isogov/internal/service"
	"github.com/isogov/isogov/internal/store"
	"github.com/isogov/isogov/internal/testdb"
)

// A generated corpus that reads like an agency's documents: titles from administrative
// procedures, bodies from the phrases processes are written in, legal numbers and codes.
var (
	benchActs     = []string{"cấp", "cấp lại", "gia hạn", "điều chỉnh", "thẩm định", "đăng ký", "thu hồi", "công nhận", "phê duyệt", "xác nhận", "chấp thuận", "kiểm tra"}
	benchSubjects = []string{"giấy phép hoạt động", "giấy chứng nhận đủ điều kiện", "giấy phép xây dựng", "giấy phép kinh doanh", "chứng chỉ hành nghề",
		"giấy phép tiến hành công việc bức xạ", "nhiệm vụ khoa học và công nghệ", "doanh nghiệp khoa học và công nghệ", "hợp đồng chuyển giao công nghệ",
		"kết quả thực hiện nhiệm vụ", "tổ chức khoa học và công nghệ", "văn phòng đại diện", "hội, quỹ xã hội", "di tích lịch sử", "giống cây trồng",
		"phương án phòng cháy chữa cháy", "đất đai", "hộ tịch", "lao động nước ngoài", "trường mầm non tư thục", "nguồn nước", "báo cáo đánh giá tác động môi trường"}
	benchKinds   = []string{"procedure", "process", "instruction", "form", "external"}
	benchPhrases = []string{"tiếp nhận hồ sơ", "kiểm tra tính đầy đủ của hồ sơ", "trả kết quả", "bộ phận một cửa", "lãnh đạo phòng", "chuyên viên thụ lý",
		"thẩm định hồ sơ", "trình ký", "phê duyệt", "vào sổ theo dõi", "thời hạn giải quyết", "ngày làm việc", "kể từ ngày nhận đủ hồ sơ hợp lệ",
		"tổ chức, công dân", "phiếu hẹn trả kết quả", "yêu cầu bổ sung hồ sơ", "lưu hồ sơ", "mục đích", "phạm vi áp dụng", "tài liệu viện dẫn",
		"định nghĩa và từ viết tắt", "trách nhiệm", "nội dung quy trình", "biểu mẫu", "hồ sơ cần lưu", "thời gian lưu", "hủy hồ sơ", "Văn phòng Sở",
		"theo quy định", "đúng hẹn", "quá hạn", "xin lỗi", "phí, lệ phí", "dịch vụ công trực tuyến", "cổng dịch vụ công", "mã số hồ sơ",
		"kiểm soát tài liệu", "đánh giá nội bộ", "hành động khắc phục", "xem xét của lãnh đạo", "sự không phù hợp", "cải tiến", "rủi ro và cơ hội",
		"chỉ đạo", "phối hợp", "báo cáo", "giám sát", "đo lường", "phân tích dữ liệu", "sự hài lòng", "khiếu nại", "niêm yết công khai",
		"chữ ký số", "văn bản điện tử", "sao y bản chính", "đóng dấu", "ban hành", "sửa đổi, bổ sung", "hết hiệu lực"}
	benchIssuers = []string{"QĐ-UBND", "QĐ-TTg", "TT-BKHCN", "NĐ-CP", "TT-VPCP", "TT-BNV"}
)

// benchCorpus writes agencies × docs documents of two revisions each (the first superseded,
// the second effective) through the store, which indexes each as it is written, in
// transactions of 500 documents.
func benchCorpus(b *testing.B, svc *service.Service, db *store.DB, agencies, docs int) {
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	// Phrases follow a skewed frequency, as words in documents do.
	phrase := func() string { return benchPhrases[min(len(benchPhrases)-1, int(rng.ExpFloat64()*12))] }
	body := func() string {
		var s strings.Builder
		for n := 0; n < 40+rng.IntN(60); n++ { // 40–100 phrases: 120–300 words
			s.WriteString(phrase())
			switch rng.IntN(12) {
			case 0:
				fmt.Fprintf(&s, " theo Quyết định số %d/%d/%s", 1+rng.IntN(60), 2008+rng.IntN(18), pick(benchIssuers))
			case 1:
				fmt.Fprintf(&s, " (mẫu BM-%02d-%02d)", 1+rng.IntN(30), 1+rng.IntN(20))
			}
			s.WriteString(". ")
		}
		return s.String()
	}
	now := time.Now()
	for a := 0; a < agencies; a++ {
		ag, err := svc.CreateAgency(ctx, service.System, service.AgencyInput{Code: fmt.Sprintf("CQ%03d", a), Name: fmt.Sprintf("Cơ quan thử %d", a), Kind: qms.KindDepartment})
		if err != nil {
			b.Fatal(err)
		}
		for start := 0; start < docs; start += 500 {
			err := db.InTx(ctx, func(tx *store.Tx) error {
				for i := start; i < min(docs, start+500); i++ {
					kind := benchKinds[i%len(benchKinds)]
					title := "Quy trình " + pick(benchActs) + " " + pick(benchSubjects)
					code := fmt.Sprintf("QT-%04d", i)
					d := qms.Document{AgencyID: ag.ID, TypeCode: kind, Code: code, Title: title, Clauses: []string{pick([]string{"7.5.2", "7.5.3", "8.2.1", "8.5.1", "9.2", "10.2"})},
						Edition: "2015", CreatedAt: now}
					if kind == "external" {
						d.Title = fmt.Sprintf("Quyết định %s", title)
						d.External = &qms.ExternalDoc{Number: fmt.Sprintf("%d/%d/%s", 1+rng.IntN(60), 2008+rng.IntN(18), pick(benchIssuers)), Issuer: "Ủy ban nhân dân tỉnh", Status: qms.ExtInForce}
					}
					if err := tx.CreateDocument(ctx, &d); err != nil {
						return err
					}
					for n, state := range []qms.RevState{qms.RevSuperseded, qms.RevEffective} {
						v := qms.Revision{AgencyID: ag.ID, DocumentID: d.ID, Number: n + 1, State: state, Title: d.Title, ChangeNote: phrase(), Text: body(),
							EffectiveOn: qms.NewDate(2024+n, 1, 1), CreatedAt: now, UpdatedAt: now}
						if err := tx.CreateRevision(ctx, &v); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkSearch searches 100,000 revisions (100 agencies × 500 documents × 2 revisions)
// through GET /api/v1/search, the whole handler: token, scoping, ranked query, the hits'
// text and passages, JSON. Target: p95 < 50 ms on SQLite and on PostgreSQL (issue: documents).
// The corpus takes a minute or two to write; ISOGOV_BENCH_SEARCH_AGENCIES makes it smaller.
func BenchmarkSearch(b *testing.B) {
	agencies := 100
	if s := env("ISOGOV_BENCH_SEARCH_AGENCIES", ""); s != "" {
		fmt.Sscan(s, &agencies)
	}
	queries := []struct{ name, province, agency string }{
		{"common", "quy trinh", ""},
		{"title", "cap giay phep hoat dong", ""},
		{"phrase", "ho so hop le", ""},
		{"number", "19/2014", ""},
		{"code", "BM-07-12", ""},
		{"prefix", "chuyen gia*", ""},
		{"rare", "phong chay chua chay", ""},
		{"filtered", "tiep nhan ho so", "&type=form&state=effective&clause=7.5"},
		{"agency", "tra ket qua dung hen", "&agency=CQ000"},
	}
	for _, dialect := range testdb.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			// ISOGOV_BENCH_SEARCH_FILE keeps the SQLite corpus in a file between runs, and
			// ISOGOV_BENCH_SEARCH_SCHEMA the PostgreSQL one in a schema of that name.
			keep, kept := "", false
			var dsn string
			if dialect == "sqlite" {
				keep = env("ISOGOV_BENCH_SEARCH_FILE", "")
				_, statErr := os.Stat(keep)
				kept = keep != "" && statErr == nil
			} else {
				keep = env("ISOGOV_BENCH_SEARCH_SCHEMA", "")
			}
			switch {
			case keep == "":
				dsn = testdb.DSN(b, dialect)
			case dialect == "sqlite":
				dsn = keep
			default:
				dsn, kept = keptSchema(b, keep)
			}
			db := testdb.OpenDSN(b, dsn)
			svc := service.New(db, service.Config{Argon: fastArgon, DataDir: b.TempDir()}, nil, nil)
			if !kept {
				if err := svc.SeedReferenceData(ctx); err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				benchCorpus(b, svc, db, agencies, 500)
				b.Logf("%s: %d revisions written and indexed in %s", dialect, agencies*1000, time.Since(start).Round(time.Second))
				if err := db.Analyze(ctx); err != nil { // what autovacuum does after a bulk load
					b.Fatal(err)
				}
			}
			if _, err := svc.CreateUser(ctx, service.System, service.UserInput{Email: "dp@test.vn", Name: "Điều phối", Password: "Kh0ng-de-doan-2026", Roles: []string{"coordinator"}}); err != nil && qms.ErrorCode(err) != qms.EConflict && qms.ErrorCode(err) != qms.EInvalid {
				b.Fatal(err)
			}
			tok, err := svc.CreateTokenFor(ctx, service.System, "dp@test.vn", "bench")
			if err != nil {
				b.Fatal(err)
			}
			h, _, err := newServer(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), serverOptions{})
			if err != nil {
				b.Fatal(err)
			}
			times := make([][]time.Duration, len(queries))
			var all []time.Duration
			i := 0
			for b.Loop() {
				q := queries[i%len(queries)]
				req := httptest.NewRequest("GET", "/api/v1/search?q="+url.QueryEscape(q.province)+q.agency, nil)
				req.Header.Set("Authorization", "Bearer "+tok.Secret)
				rec := httptest.NewRecorder()
				t0 := time.Now()
				h.ServeHTTP(rec, req)
				d := time.Since(t0)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", q.name, rec.Code, rec.Body.String())
				}
				if i < len(queries) {
					b.Logf("%s %q: %.200s", dialect, q.province, rec.Body.String())
				}
				times[i%len(queries)] = append(times[i%len(queries)], d)
				all = append(all, d)
				i++
			}
			for k, q := range queries {
				if len(times[k]) > 0 {
					b.Logf("%s %-8s p50 %6.2f ms  p95 %6.2f ms", dialect, q.name, ms(percentile(times[k], 0.5)), ms(percentile(times[k], 0.95)))
				}
			}
			b.ReportMetric(ms(percentile(all, 0.5)), "p50-ms")
			b.ReportMetric(ms(percentile(all, 0.95)), "p95-ms")
		})
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// keptSchema returns the DSN of a PostgreSQL schema kept between benchmark runs, and whether it
// already holds a corpus.
func keptSchema(b *testing.B, schema string) (string, bool) {
	base := testdb.PostgresURL()
	if base == "" {
		b.Skip("ISOGOV_TEST_POSTGRES is not set")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA IF NOT EXISTS " + schema); err != nil {
		b.Fatal(err)
	}
	var n int
	full := admin.QueryRow("SELECT count(*) FROM "+schema+".search_entries").Scan(&n) == nil && n > 0
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), full
}
