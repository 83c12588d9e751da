package crawl

import (
	"bytes"
	"compress/gzip"
	"errors"
	"net/http"
	"net/url"
	"testing"
)

// TestStoredPage turns stored responses into pages: a body without a
// Content-Encoding is the Page's Body itself, not a copy; a gzip body is
// decoded; binary data, a refused type and a body over MaxBytes are
// errors as they are live.
func TestStoredPage(t *testing.T) {
	t.Parallel()
	u, _ := url.Parse("https://news.example/a")
	html := []byte("<!doctype html><html><body><p>story</p></body></html>")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(html)
	zw.Close()
	for _, tc := range []struct {
		name   string
		header http.Header
		body   []byte
		max    int64
		same   bool // Page.Body is body
		err    error
	}{
		{"identity", http.Header{"Content-Type": {"text/html"}}, html, 0, true, nil},
		{"identity named", http.Header{"Content-Type": {"text/html"}, "Content-Encoding": {"identity"}}, html, 0, true, nil},
		{"gzip", http.Header{"Content-Type": {"text/html"}, "Content-Encoding": {"gzip"}}, gz.Bytes(), 0, false, nil},
		{"binary as HTML", http.Header{"Content-Type": {"text/html"}}, []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), 0, false, ErrNotHTML},
		{"image", http.Header{"Content-Type": {"image/png"}}, []byte("\x89PNG\r\n\x1a\n"), 0, false, ErrNotHTML},
		{"over MaxBytes", http.Header{"Content-Type": {"text/html"}}, html, 10, false, ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			page, err := StoredPage(u, 200, tc.header, tc.body, FetchOptions{MaxBytes: tc.max})
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(page.Body, html) {
				t.Errorf("body %q", page.Body)
			}
			if same := &page.Body[0] == &tc.body[0]; same != tc.same {
				t.Errorf("Page.Body is body: %v, want %v", same, tc.same)
			}
		})
	}
}
