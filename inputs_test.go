package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRecordSource: each record names its input as given, --url with
// several files is a usage error, and -r reads subdirectories, gzipped
// pages included.
func TestRecordSource(t *testing.T) {
	t.Parallel()
	page, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(page)
	zw.Close()
	files := map[string][]byte{
		"a.html":               page,
		"notes.txt":            []byte("not a page"),
		"sub/b.htm":            page,
		"sub/deeper/c.html.gz": gz.Bytes(),
	}
	for name, b := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		args    []string
		stdin   string
		code    int
		sources []string
		stderr  string
	}{
		{name: "file", args: []string{seed}, sources: []string{seed}},
		{name: "stdin", args: []string{"--url", "https://news.example/a", "-"}, stdin: stdinPage, sources: []string{"-"}},
		{name: "directory", args: []string{dir}, sources: []string{filepath.Join(dir, "a.html")}},
		{name: "recursive", args: []string{"-r", dir}, sources: []string{
			filepath.Join(dir, "a.html"), filepath.Join(dir, "sub/b.htm"), filepath.Join(dir, "sub/deeper/c.html.gz"),
		}},
		{name: "url with two files", args: []string{"--url", "https://news.example/a", seed, "fixtures/german-news/source.html"}, code: exitUsage, stderr: "--url names one page, but 2 files are given"},
		{name: "url with a directory", args: []string{"--url", "https://news.example/a", "-r", dir}, code: exitUsage, stderr: "--url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCLI(t, tt.stdin, append([]string{"extract", "-f", "jsonl"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errOut, tt.stderr) {
				t.Fatalf("exit %d, want %d; stderr %q, want %q", code, tt.code, errOut, tt.stderr)
			}
			var got []string
			dec := json.NewDecoder(strings.NewReader(out))
			for dec.More() {
				var rec struct {
					Source *string `json:"source"`
				}
				if err := dec.Decode(&rec); err != nil {
					t.Fatal(err)
				}
				if rec.Source == nil {
					t.Fatal("record has no source field")
				}
				got = append(got, *rec.Source)
			}
			if strings.Join(got, "\n") != strings.Join(tt.sources, "\n") {
				t.Errorf("sources %q, want %q", got, tt.sources)
			}
		})
	}
}

// TestCSVSourceColumn: the CSV header has source right after url.
func TestCSVSourceColumn(t *testing.T) {
	t.Parallel()
	code, out, errOut := runCLI(t, "", "extract", "-f", "csv", seed)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(out, "url,source,canonical_url,") || !strings.Contains(out, ","+seed+",") {
		t.Errorf("CSV lacks the source column:\n%.300s", out)
	}
}

// TestSavedPageCanonicalBase: a saved page without --url resolves its
// relative links against its canonical URL (else og:url), takes the date
// in that URL, and keeps url empty; --url still wins.
func TestSavedPageCanonicalBase(t *testing.T) {
	t.Parallel()
	body := strings.Repeat("<p>The council voted on Tuesday to approve the harbour plan after months of debate among residents, engineers and traders.</p>", 6)
	pages := map[string]string{
		"canonical": `<link rel="canonical" href="https://news.example/world/2024/03/25/harbour-plan">`,
		"og":        `<meta property="og:url" content="https://news.example/world/2024/03/25/harbour-plan">`,
	}
	for name, head := range pages {
		t.Run(name, func(t *testing.T) {
			page := `<html><head><title>Harbour plan approved</title>` + head + `</head><body><article><h1>Harbour plan approved</h1>` +
				`<img src="../../img/harbour.jpg" width="800" height="450">` + body + `</article></body></html>`
			path := filepath.Join(t.TempDir(), "saved.html")
			if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, stderr := runCLI(t, "", "extract", "-f", "jsonl", "--fields", "url,published,image", path)
			if code != exitOK {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			var rec struct{ URL, Published, Image string }
			if err := json.Unmarshal([]byte(out), &rec); err != nil {
				t.Fatalf("%v: %q", err, out)
			}
			want := struct{ URL, Published, Image string }{"", "2024-03-25", "https://news.example/world/2024/img/harbour.jpg"}
			if rec != want {
				t.Errorf("record %+v, want %+v", rec, want)
			}
			// --url is the page's address: the base and the url.
			code, out, _ = runCLI(t, "", "extract", "-f", "jsonl", "--fields", "url,image", "--url", "https://mirror.example/a/b/c.html", path)
			if code != exitOK || !strings.Contains(out, `"url":"https://mirror.example/a/b/c.html","image":"https://mirror.example/img/harbour.jpg"`) {
				t.Errorf("with --url: exit %d, %s", code, out)
			}
		})
	}
}
