package archive

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWriteRead writes exchanges and reads them back: every response
// comes back with its URL, date, status, header and body as received.
func TestWriteRead(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{Software: "newsx/test", Info: [][2]string{{"newsx-options", "--depth 2"}}})
	if err != nil {
		t.Fatal(err)
	}
	date := time.Date(2024, 3, 25, 8, 0, 0, 0, time.UTC)
	pages := []string{"<html><body>one</body></html>", "\x1f\x8b raw gzip bytes kept"}
	for i, body := range pages {
		u, _ := url.Parse("https://news.example/p" + string(rune('0'+i)))
		req := &http.Request{Method: "GET", URL: u, Header: http.Header{"User-Agent": {"newsx"}}}
		resp := &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{"Content-Type": {"text/html"}}}
		if err := w.Write(Exchange{Request: req, Response: resp, Body: []byte(body), Date: date, IP: "127.0.0.1:80"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "newsx-*-00001.warc.gz"))
	if len(files) != 1 {
		all, _ := os.ReadDir(dir)
		t.Fatalf("files %v, want one newsx-<ts>-00001.warc.gz", all)
	}
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewReader(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	var bodies []string
	for {
		rec, err := r.Next()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatal(err)
		}
		types = append(types, rec.Type)
		if rec.Type == "response" {
			if !rec.Date.Equal(date) || rec.Status != 200 || rec.Header.Get("Content-Type") != "text/html" {
				t.Errorf("record %+v", rec)
			}
			bodies = append(bodies, string(rec.Body))
		}
	}
	if got := strings.Join(types, " "); got != "warcinfo response request response request" {
		t.Errorf("record types %q", got)
	}
	if strings.Join(bodies, "|") != strings.Join(pages, "|") {
		t.Errorf("bodies %q, want %q", bodies, pages)
	}
}

// TestWriterNewFile opens Writers on one directory in quick succession,
// as a crawl stopped and resumed within a second does: each writes a
// file of its own, and the files written before are left as they were.
func TestWriterNewFile(t *testing.T) {
	dir := t.TempDir()
	u, _ := url.Parse("https://news.example/p")
	x := Exchange{
		Request:  &http.Request{Method: "GET", URL: u, Header: http.Header{}},
		Response: &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/html"}}},
		Body:     []byte("<html><body>page</body></html>"),
		Date:     time.Now(),
	}
	seen := map[string][]byte{}
	for run := range 3 {
		w, err := NewWriter(dir, WriterOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(x); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "newsx-*.warc.gz"))
		if len(files) != run+1 {
			t.Fatalf("run %d: files %v, want %d", run, files, run+1)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if old, ok := seen[f]; ok && !bytes.Equal(old, b) {
				t.Errorf("run %d rewrote %s", run, f)
			}
			seen[f] = b
		}
	}
}
