package output

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/newsx/newsx/extract"
)

// sample returns a record exercising every field, with characters that
// need care in each format.
func sample() *extract.Article {
	return &extract.Article{
		URL:          "https://news.example/world/a?x=1&y=2",
		CanonicalURL: "https://news.example/world/a",
		IsArticle:    true,
		Headline:     `Talks <resume> in "Seoul" & Beijing`,
		Description:  "A short summary.",
		Byline:       "By Jane Doe and John Smith, Reuters",
		Authors:      []string{"Jane Doe", "John Smith"},
		Agency:       "Reuters",
		Dateline:     &extract.Dateline{Place: "SEOUL", Date: "2024-03-25", Agency: "Reuters", Raw: "SEOUL, March 25 (Reuters) -"},
		Published:    "2024-03-25T12:58:00+05:30",
		Modified:     "2024-03-25T14:00:00+05:30",
		Section:      "World",
		Tags:         []string{"North Korea", "China"},
		Body:         "SEOUL, March 25 (Reuters) - First paragraph, with a comma.\n\n=SUM(A1) is not a formula here\n\n# not a heading",
		Related:      []extract.Link{{Title: "Other story", URL: "https://news.example/b"}, {Title: "Third | story", URL: "https://news.example/c"}},
		Image:        "https://news.example/i.jpg",
		Language:     "en",
		SiteName:     "News Example",
		WordCount:    21,
	}
}

func encodeAll(t *testing.T, format string, opts Options, recs ...*extract.Article) string {
	t.Helper()
	var buf bytes.Buffer
	enc, err := NewEncoder(&buf, format, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestJSONArrayValid(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 3} {
		recs := make([]*extract.Article, n)
		for i := range recs {
			recs[i] = sample()
		}
		out := encodeAll(t, "json", Options{Array: true}, recs...)
		var got []map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%d records: invalid JSON: %v\n%s", n, err, out)
		}
		if len(got) != n {
			t.Errorf("%d records decoded, want %d", len(got), n)
		}
	}
}

func TestJSONFieldsAndEscaping(t *testing.T) {
	t.Parallel()
	out := encodeAll(t, "jsonl", Options{Fields: []string{"headline", "published", "url"}}, sample())
	want := `{"headline":"Talks <resume> in \"Seoul\" & Beijing","published":"2024-03-25T12:58:00+05:30","url":"https://news.example/world/a?x=1&y=2"}` + "\n"
	if out != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
	// The full record keeps the canonical order and decodes to the same Article.
	var back extract.Article
	if err := json.Unmarshal([]byte(encodeAll(t, "json", Options{}, sample())), &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, sample()) {
		t.Errorf("round trip changed the record:\n%+v", back)
	}
}

func TestParseFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
		err  string
	}{
		{in: "", want: nil},
		{in: "headline, published ,URL", want: []string{"headline", "published", "url"}},
		{in: "headline,title", err: `unknown field "title" (valid: url, source, canonical_url`},
		{in: "url,url", err: `field "url" given twice`},
		{in: ",", err: "no field named"},
	}
	for _, tt := range tests {
		got, err := ParseFields(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseFields(%q) error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseFields(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestCSV(t *testing.T) {
	t.Parallel()
	a := sample()
	a.Section = "-5 degrees"
	a.SiteName = "@handle"
	out := encodeAll(t, "csv", Options{}, a, a)
	if !strings.HasSuffix(out, "\r\n") {
		t.Error("rows must end with CRLF")
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want header + 2", len(rows))
	}
	head := rows[0]
	if !reflect.DeepEqual(head, CSVHeader(nil)) {
		t.Errorf("header %v", head)
	}
	row := make(map[string]string)
	for i, h := range head {
		row[h] = rows[1][i]
	}
	checks := map[string]string{
		"authors":        "Jane Doe; John Smith",
		"tags":           "North Korea; China",
		"related":        "Other story <https://news.example/b> | Third | story <https://news.example/c>",
		"dateline":       "SEOUL, March 25 (Reuters) -",
		"dateline_place": "SEOUL",
		"dateline_date":  "2024-03-25",
		"is_article":     "true",
		"word_count":     "21",
		"section":        "'-5 degrees",
		"site_name":      "'@handle",
		"body":           sample().Body,
		"headline":       sample().Headline,
	}
	for k, v := range checks {
		if row[k] != v {
			t.Errorf("%s = %q, want %q", k, row[k], v)
		}
	}
	raw := encodeAll(t, "csv", Options{CSVRaw: true, Fields: []string{"section", "site_name"}}, a)
	if raw != "section,site_name\r\n-5 degrees,@handle\r\n" {
		t.Errorf("--csv-raw output %q", raw)
	}
}

func TestCSVGuard(t *testing.T) {
	t.Parallel()
	e := &csvEncoder{guard: true}
	for in, want := range map[string]string{
		"=1+2": "'=1+2", "+1": "'+1", "-1": "'-1", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx",
		"plain": "plain", "": "", " =x": " =x", "'quoted": "'quoted",
	} {
		if got := e.cell(in); got != want {
			t.Errorf("cell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdownAndText(t *testing.T) {
	t.Parallel()
	md := encodeAll(t, "md", Options{}, sample(), sample())
	for _, want := range []string{
		"# Talks \\<resume\\> in \"Seoul\" & Beijing\n",
		"- **Authors:** Jane Doe; John Smith\n",
		"- **URL:** <https://news.example/world/a?x=1&y=2>\n",
		"\\# not a heading",
		"## Related\n\n- [Other story](<https://news.example/b>)\n",
		"\n---\n\n# Talks",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	txt := encodeAll(t, "text", Options{}, sample())
	lines := strings.Split(txt, "\n")
	if lines[0] != sample().Headline || !strings.HasPrefix(lines[1], "By Jane Doe and John Smith, Reuters · 2024-03-25T12:58:00+05:30") {
		t.Errorf("text starts:\n%s\n%s", lines[0], lines[1])
	}
	only := encodeAll(t, "text", Options{Fields: []string{"headline"}}, sample())
	if only != sample().Headline+"\n" {
		t.Errorf("text with --fields headline = %q", only)
	}
}

func TestUnknownFormat(t *testing.T) {
	t.Parallel()
	_, err := NewEncoder(&bytes.Buffer{}, "xml", Options{})
	if err == nil || !strings.Contains(err.Error(), "valid: json, jsonl, csv, md, text") {
		t.Errorf("error %v", err)
	}
}

func TestDirEncoder(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "out")
	enc, err := NewDirEncoder(dir, "json", Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := sample(), sample()
	b.CanonicalURL = "https://news.example/world/other" // same headline, other article
	for _, r := range []*extract.Article{a, b, a} {
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 2 {
		t.Fatalf("files %v, want 2 (one per article, the repeat overwrites its own)", files)
	}
	for _, f := range files {
		base := filepath.Base(f)
		if !strings.HasPrefix(base, "talks-resume-in-seoul-beijing-") || !strings.HasSuffix(base, ".json") {
			t.Errorf("file name %s", base)
		}
		var rec map[string]any
		b, _ := os.ReadFile(f)
		if err := json.Unmarshal(b, &rec); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if _, err := NewDirEncoder(dir, "csv", Options{}); err == nil {
		t.Error("csv into a directory must be refused")
	}
}

func TestFileAtomic(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "out.jsonl")
	os.WriteFile(path, []byte("old\n"), 0o644)
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("half"))
	if b, _ := os.ReadFile(path); string(b) != "old\n" {
		t.Errorf("final name changed before Commit: %q", b)
	}
	f.Abort()
	if b, _ := os.ReadFile(path); string(b) != "old\n" {
		t.Errorf("Abort changed the final file: %q", b)
	}
	f, _ = Create(path)
	f.Write([]byte("new\n"))
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new\n" {
		t.Errorf("after Commit: %q", b)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestSlug(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Talks resume in Seoul!":    "talks-resume-in-seoul",
		"../../etc/passwd":          "etc-passwd",
		"":                          "article",
		"東京で会議":                     "東京で会議",
		strings.Repeat("word ", 40): strings.TrimSuffix(strings.Repeat("word-", 12), "-"),
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrorsReported(t *testing.T) {
	t.Parallel()
	for _, f := range Formats {
		enc, err := NewEncoder(failWriter{}, f, Options{Array: true})
		if err != nil {
			t.Fatal(err)
		}
		err = errors.Join(enc.Encode(sample()), enc.Close())
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: error %v, want the write error", f, err)
		}
	}
}
