package crawl

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

const page = "<!DOCTYPE html>\n<html><head><title>Story</title></head><body><p>Hello, world.</p></body></html>\n"

// newServer starts an httptest server for h, closed when the test ends.
func newServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// wait blocks a handler until the client goes away (or a backstop fires,
// so a broken test cannot hang srv.Close).
func wait(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(3 * time.Second):
	}
}

// checkErr fails unless err is one lowercase line "fetch <url>: ...".
func checkErr(t *testing.T, err error, rawURL string) {
	t.Helper()
	if err == nil {
		t.Fatal("Fetch succeeded, want an error")
	}
	msg := err.Error()
	t.Logf("error: %s", msg)
	if !strings.HasPrefix(msg, "fetch "+rawURL+": ") {
		t.Errorf("error %q does not start with %q", msg, "fetch "+rawURL+": ")
	}
	if strings.ContainsAny(msg, "\n\r") {
		t.Errorf("error %q spans several lines", msg)
	}
}

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zlibBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func flateBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, err := flate.NewWriter(&buf, flate.DefaultCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func brBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := brotli.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bigPage is an HTML page of exactly n bytes.
func bigPage(n int) []byte {
	b := []byte(page)
	for len(b) < n {
		b = append(b, "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n"...)
	}
	return b[:n]
}

// serveBytes answers every request with body, the given Content-Type (nil
// means none at all) and Content-Encoding ("" means none).
func serveBytes(contentType *string, encoding string, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if contentType == nil {
			w.Header()["Content-Type"] = nil // stop net/http sniffing one
		} else {
			w.Header().Set("Content-Type", *contentType)
		}
		if encoding != "" {
			w.Header().Set("Content-Encoding", encoding)
		}
		_, _ = w.Write(body)
	}
}

func ptr(s string) *string { return &s }

func TestFetchPage(t *testing.T) {
	t.Parallel()
	srv := newServer(t, serveBytes(ptr("text/html; charset=ISO-8859-1"), "", []byte(page)))
	got, err := Fetch(t.Context(), srv.URL+"/story#comments", FetchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Body) != page {
		t.Errorf("Body = %q, want %q", got.Body, page)
	}
	if got.StatusCode != http.StatusOK {
		t.Errorf("StatusCode = %d, want 200", got.StatusCode)
	}
	if want := "text/html; charset=ISO-8859-1"; got.ContentType != want {
		t.Errorf("ContentType = %q, want %q", got.ContentType, want)
	}
	if want := srv.URL + "/story"; got.URL.String() != want {
		t.Errorf("URL = %q, want %q", got.URL, want)
	}
}

func TestFetchRequestHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		userAgent string
		wantUA    string
	}{
		{"default user agent", "", DefaultUserAgent},
		{"custom user agent", "newsx-test/1.0", "newsx-test/1.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var (
				mu  sync.Mutex
				got http.Header
			)
			mux := http.NewServeMux()
			mux.Handle("/start", http.RedirectHandler("/page", http.StatusFound))
			mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				got = r.Header.Clone()
				mu.Unlock()
				serveBytes(ptr("text/html"), "", []byte(page))(w, r)
			})
			srv := newServer(t, mux)
			if _, err := Fetch(t.Context(), srv.URL+"/start", FetchOptions{UserAgent: tt.userAgent}); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			// Checked on the redirect target: the headers survive a hop.
			checks := []struct{ header, want string }{
				{"User-Agent", tt.wantUA},
				{"Accept-Encoding", "gzip, deflate, br"},
				{"Accept-Language", "en;q=0.9,*;q=0.5"},
			}
			for _, c := range checks {
				if v := got.Get(c.header); v != c.want {
					t.Errorf("%s = %q, want %q", c.header, v, c.want)
				}
			}
			if accept := got.Get("Accept"); !strings.HasPrefix(accept, "text/html,application/xhtml+xml") {
				t.Errorf("Accept = %q, want text/html and application/xhtml+xml first", accept)
			}
		})
	}
}

func TestFetchEncodings(t *testing.T) {
	t.Parallel()
	body := bigPage(100 << 10) // several reads and buffer growths
	tests := []struct {
		name     string
		encoding string
		raw      []byte
	}{
		{"identity", "", body},
		{"explicit identity", "identity", body},
		{"gzip", "gzip", gzipBytes(t, body)},
		{"x-gzip", "x-gzip", gzipBytes(t, body)},
		{"gzip upper case", "GZIP", gzipBytes(t, body)},
		{"deflate zlib", "deflate", zlibBytes(t, body)},
		{"deflate raw", "deflate", flateBytes(t, body)},
		{"br", "br", brBytes(t, body)},
		{"gzip then br", "gzip, br", brBytes(t, gzipBytes(t, body))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, serveBytes(ptr("text/html"), tt.encoding, tt.raw))
			got, err := Fetch(t.Context(), srv.URL, FetchOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Body, body) {
				t.Errorf("Body differs: got %d bytes, want %d", len(got.Body), len(body))
			}
		})
	}
}

func TestFetchEncodingErrors(t *testing.T) {
	t.Parallel()
	gz := gzipBytes(t, bigPage(4<<10))
	br := brBytes(t, bigPage(4<<10))
	tests := []struct {
		name     string
		encoding string
		raw      []byte
		want     string
	}{
		{"not gzip", "gzip", []byte(page), "gzip: invalid header"},
		{"truncated gzip", "gzip", gz[:len(gz)/2], "unexpected EOF"},
		{"truncated br", "br", br[:len(br)/2], "unexpected EOF"},
		{"corrupt deflate", "deflate", []byte{0xff, 0xff, 0xff, 0xff}, "flate: corrupt input"},
		{"unknown encoding", "zstd", []byte(page), `unsupported content encoding "zstd"`},
		{"too many layers", "gzip, gzip, gzip, gzip", []byte(page), "4 stacked content encodings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, serveBytes(ptr("text/html"), tt.encoding, tt.raw))
			_, err := Fetch(t.Context(), srv.URL, FetchOptions{})
			checkErr(t, err, srv.URL)
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestFetchRedirects(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	var srvURL string
	redirect := func(path, location string) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", location) // as given, unresolved
			w.WriteHeader(http.StatusFound)
		})
	}
	redirect("/a", "b")                                                 // relative
	mux.HandleFunc("/b", func(w http.ResponseWriter, r *http.Request) { // absolute
		http.Redirect(w, r, srvURL+"/c", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/c", func(w http.ResponseWriter, r *http.Request) { // root-relative
		http.Redirect(w, r, "/d?x=1", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/d", serveBytes(ptr("text/html"), "", []byte(page)))
	redirect("/loop1", "/loop2")
	redirect("/loop2", "/loop1")
	mux.HandleFunc("/chain/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		if n == 0 {
			serveBytes(ptr("text/html"), "", []byte(page))(w, r)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/chain/%d", n-1), http.StatusFound)
	})
	mux.HandleFunc("/cookie", func(w http.ResponseWriter, r *http.Request) {
		if _, err := r.Cookie("consent"); err != nil {
			http.SetCookie(w, &http.Cookie{Name: "consent", Value: "yes", Path: "/"})
			http.Redirect(w, r, "/cookie", http.StatusFound)
			return
		}
		serveBytes(ptr("text/html"), "", []byte(page))(w, r)
	})
	redirect("/file", "file:///etc/passwd")
	redirect("/js", "javascript:alert(document.cookie)")
	redirect("/ftp", "ftp://example.com/story.html")
	redirect("/data", "data:text/html,<h1>hi</h1>")
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/missing", http.StatusFound)
	})
	srv := newServer(t, mux)
	srvURL = srv.URL

	tests := []struct {
		name         string
		path         string
		maxRedirects int
		wantURL      string // on success
		wantErr      error
		wantMsg      string
	}{
		{name: "relative and absolute chain", path: "/a", wantURL: "/d?x=1"},
		{name: "cookie set during redirect", path: "/cookie", wantURL: "/cookie"},
		{name: "default allows 10", path: "/chain/10", wantURL: "/chain/0"},
		{name: "default stops at 11", path: "/chain/11", wantErr: ErrRedirects,
			wantMsg: "too many redirects: stopped after 10, last redirect to " + srv.URL + "/chain/0"},
		{name: "custom limit allows", path: "/chain/3", maxRedirects: 3, wantURL: "/chain/0"},
		{name: "custom limit stops", path: "/chain/3", maxRedirects: 2, wantErr: ErrRedirects},
		{name: "negative refuses all", path: "/a", maxRedirects: -1, wantErr: ErrRedirects,
			wantMsg: "redirects are disabled, got one to " + srv.URL + "/b"},
		{name: "loop", path: "/loop1", wantErr: ErrRedirects,
			wantMsg: "looping " + srv.URL + "/loop1 -> " + srv.URL + "/loop2 -> " + srv.URL + "/loop1"},
		{name: "to file", path: "/file", wantErr: ErrScheme,
			wantMsg: `redirect to file:///etc/passwd: unsupported URL scheme "file"`},
		{name: "to javascript", path: "/js", wantErr: ErrScheme, wantMsg: `scheme "javascript"`},
		{name: "to ftp", path: "/ftp", wantErr: ErrScheme, wantMsg: `scheme "ftp"`},
		{name: "to data", path: "/data", wantErr: ErrScheme, wantMsg: `scheme "data"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Fetch(t.Context(), srv.URL+tt.path, FetchOptions{MaxRedirects: tt.maxRedirects})
			if tt.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				if want := srv.URL + tt.wantURL; got.URL.String() != want {
					t.Errorf("URL = %q, want %q", got.URL, want)
				}
				if string(got.Body) != page {
					t.Errorf("Body = %q, want the page", got.Body)
				}
				return
			}
			checkErr(t, err, srv.URL+tt.path)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("error %q is not %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tt.wantMsg)
			}
		})
	}

	t.Run("status after redirect names the final URL", func(t *testing.T) {
		t.Parallel()
		_, err := Fetch(t.Context(), srv.URL+"/gone", FetchOptions{})
		var se *StatusError
		if !errors.As(err, &se) {
			t.Fatalf("error %v is not a *StatusError", err)
		}
		if want := srv.URL + "/missing"; se.URL != want {
			t.Errorf("URL = %q, want %q", se.URL, want)
		}
	})
}

func TestFetchBadURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rawURL  string
		wantErr error // nil: only check the message
		wantMsg string
	}{
		{"file:///etc/passwd", ErrScheme, `fetch file:///etc/passwd: unsupported URL scheme "file", want http or https`},
		{"ftp://example.com/a", ErrScheme, `unsupported URL scheme "ftp"`},
		{"javascript:alert(1)", ErrScheme, `unsupported URL scheme "javascript"`},
		{"example.com/story", ErrScheme, "fetch example.com/story: unsupported URL scheme: missing scheme"},
		{"http:///story", nil, "fetch http:///story: missing host"},
		{"http://[::1", nil, "fetch http://[::1: parse"},
	}
	for _, tt := range tests {
		t.Run(tt.rawURL, func(t *testing.T) {
			t.Parallel()
			_, err := Fetch(t.Context(), tt.rawURL, FetchOptions{})
			checkErr(t, err, tt.rawURL)
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error %q is not %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tt.wantMsg)
			}
		})
	}
}

func TestFetchStatus(t *testing.T) {
	t.Parallel()
	date := time.Date(2025, 3, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		code       int
		header     map[string]string
		wantStatus string
		wantRetry  time.Duration
	}{
		{name: "404", code: 404, wantStatus: "404 Not Found"},
		{name: "410", code: 410, wantStatus: "410 Gone"},
		{name: "429 retry seconds", code: 429, header: map[string]string{"Retry-After": "120"},
			wantStatus: "429 Too Many Requests", wantRetry: 2 * time.Minute},
		{name: "500", code: 500, wantStatus: "500 Internal Server Error"},
		{name: "503 retry date", code: 503,
			header: map[string]string{
				"Date":        date.Format(http.TimeFormat),
				"Retry-After": date.Add(90 * time.Second).Format(http.TimeFormat),
			},
			wantStatus: "503 Service Unavailable", wantRetry: 90 * time.Second},
		{name: "304 without location", code: 304, wantStatus: "304 Not Modified"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(tt.code)
				_, _ = io.WriteString(w, page)
			}))
			rawURL := srv.URL + "/story"
			_, err := Fetch(t.Context(), rawURL, FetchOptions{})
			checkErr(t, err, rawURL)
			var se *StatusError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *StatusError", err)
			}
			want := StatusError{URL: rawURL, Code: tt.code, Status: tt.wantStatus, RetryAfter: tt.wantRetry}
			if *se != want {
				t.Errorf("StatusError = %+v, want %+v", *se, want)
			}
			if wantMsg := "fetch " + rawURL + ": " + tt.wantStatus; err.Error() != wantMsg {
				t.Errorf("Error() = %q, want %q", err, wantMsg)
			}
		})
	}
}

func TestFetchContentType(t *testing.T) {
	t.Parallel()
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 64)...)
	pdf := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
	tests := []struct {
		name        string
		contentType *string // nil: no Content-Type header at all
		body        string
		wantMsg     string // "" means accepted
	}{
		{name: "html with charset", contentType: ptr("text/html; charset=utf-8"), body: page},
		{name: "html upper case", contentType: ptr("TEXT/HTML"), body: page},
		{name: "xhtml", contentType: ptr("application/xhtml+xml"),
			body: `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>`},
		{name: "html empty body", contentType: ptr("text/html"), body: ""},
		{name: "pdf", contentType: ptr("application/pdf"), body: string(pdf),
			wantMsg: "content type application/pdf is not HTML"},
		{name: "json", contentType: ptr("application/json"), body: `{"a":1}`,
			wantMsg: "content type application/json is not HTML"},
		{name: "png served as html", contentType: ptr("text/html"), body: string(png),
			wantMsg: "content type text/html but body is image/png, not HTML"},
		{name: "pdf served as html", contentType: ptr("text/html; charset=utf-8"), body: string(pdf),
			wantMsg: "content type text/html but body is application/pdf, not HTML"},
		{name: "gzip served as html", contentType: ptr("text/html"), body: string(gzipBytes(t, []byte(page))),
			wantMsg: "content type text/html but body is application/x-gzip, not HTML"},
		{name: "text/plain that is html", contentType: ptr("text/plain; charset=utf-8"), body: page},
		{name: "text/plain that is xhtml", contentType: ptr("text/plain"),
			body: `<?xml version="1.0"?>` + "\n<html><body><p>x</p></body></html>"},
		{name: "text/plain that is not html", contentType: ptr("text/plain"), body: "Just some words.\n",
			wantMsg: "content type text/plain is not HTML (body does not look like HTML)"},
		{name: "text/plain mentioning html", contentType: ptr("text/plain"), body: "Use <htmlfoo> tags.\n",
			wantMsg: "content type text/plain is not HTML"},
		{name: "missing, html after bom and space", body: "\ufeff\n  <!doctype html>\n<title>x</title>"},
		{name: "missing, html tag", body: "\n<HTML lang=en><body>x</body></HTML>"},
		{name: "missing, not html", body: "hello",
			wantMsg: "no content type and body is not HTML"},
		{name: "octet-stream html", contentType: ptr("application/octet-stream"), body: page},
		{name: "octet-stream binary", contentType: ptr("application/octet-stream"), body: string(png),
			wantMsg: "content type application/octet-stream is not HTML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, serveBytes(tt.contentType, "", []byte(tt.body)))
			got, err := Fetch(t.Context(), srv.URL, FetchOptions{})
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatal(err)
				}
				if string(got.Body) != tt.body {
					t.Errorf("Body = %q, want %q", got.Body, tt.body)
				}
				return
			}
			checkErr(t, err, srv.URL)
			if !errors.Is(err, ErrNotHTML) {
				t.Errorf("error %q is not ErrNotHTML", err)
			}
			if want := "fetch " + srv.URL + ": " + tt.wantMsg; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error %q, want %q", err, want)
			}
		})
	}
}

func TestFetchSizeLimit(t *testing.T) {
	t.Parallel()
	const limit = 4 << 10
	exact, over := bigPage(limit), bigPage(limit+1)
	tests := []struct {
		name     string
		encoding string
		raw      []byte
		chunked  bool // no Content-Length
		wantMsg  string
	}{
		{name: "exact identity", raw: exact},
		{name: "exact identity chunked", raw: exact, chunked: true},
		{name: "exact gzip", encoding: "gzip", raw: gzipBytes(t, exact)},
		{name: "exact deflate", encoding: "deflate", raw: zlibBytes(t, exact)},
		{name: "exact br", encoding: "br", raw: brBytes(t, exact)},
		{name: "content length over", raw: over,
			wantMsg: fmt.Sprintf("body too large: content length %d exceeds limit of %d bytes", limit+1, limit)},
		{name: "chunked over", raw: over, chunked: true,
			wantMsg: fmt.Sprintf("body too large: body exceeds limit of %d bytes", limit)},
		{name: "gzip over", encoding: "gzip", raw: gzipBytes(t, over), chunked: true,
			wantMsg: fmt.Sprintf("body too large: decoded body exceeds limit of %d bytes", limit)},
		{name: "deflate over", encoding: "deflate", raw: flateBytes(t, over),
			wantMsg: "decoded body exceeds limit"},
		{name: "br over", encoding: "br", raw: brBytes(t, over),
			wantMsg: "decoded body exceeds limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				if tt.encoding != "" {
					w.Header().Set("Content-Encoding", tt.encoding)
				}
				if !tt.chunked {
					w.Header().Set("Content-Length", strconv.Itoa(len(tt.raw)))
					_, _ = w.Write(tt.raw)
					return
				}
				for b := range slicesChunk(tt.raw, 512) {
					if _, err := w.Write(b); err != nil {
						return
					}
					http.NewResponseController(w).Flush()
				}
			}))
			got, err := Fetch(t.Context(), srv.URL, FetchOptions{MaxBytes: limit})
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Body, exact) {
					t.Errorf("Body differs: got %d bytes, want %d", len(got.Body), len(exact))
				}
				return
			}
			checkErr(t, err, srv.URL)
			if !errors.Is(err, ErrTooLarge) {
				t.Errorf("error %q is not ErrTooLarge", err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tt.wantMsg)
			}
		})
	}

	t.Run("content length over fails before reading", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Length", strconv.Itoa(50<<20))
			w.WriteHeader(http.StatusOK)
			http.NewResponseController(w).Flush()
			wait(r) // never send the body: reading it would hang
		}))
		start := time.Now()
		_, err := Fetch(t.Context(), srv.URL, FetchOptions{MaxBytes: 1 << 20, Timeout: 3 * time.Second})
		checkErr(t, err, srv.URL)
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("error %q is not ErrTooLarge", err)
		}
		if elapsed := time.Since(start); elapsed > time.Second {
			t.Errorf("took %v, want an immediate failure", elapsed)
		}
	})
}

// slicesChunk yields consecutive pieces of b of at most n bytes.
func slicesChunk(b []byte, n int) func(func([]byte) bool) {
	return func(yield func([]byte) bool) {
		for len(b) > 0 {
			k := min(n, len(b))
			if !yield(b[:k]) {
				return
			}
			b = b[k:]
		}
	}
}

// TestFetchGzipBomb is not parallel: it measures the process's allocations.
func TestFetchGzipBomb(t *testing.T) {
	// 50 MiB of zeros behind an HTML doctype, as a multi-member gzip stream
	// (RFC 1952 allows concatenated members) so building it is cheap.
	var bomb bytes.Buffer
	bomb.Write(gzipBytes(t, []byte("<!doctype html><html><body>")))
	zeros := gzipBytes(t, make([]byte, 1<<20))
	for range 50 {
		bomb.Write(zeros)
	}
	srv := newServer(t, serveBytes(ptr("text/html"), "gzip", bomb.Bytes()))

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := Fetch(t.Context(), srv.URL, FetchOptions{MaxBytes: 1 << 20})
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)

	checkErr(t, err, srv.URL)
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("error %q is not ErrTooLarge", err)
	}
	if elapsed > 2*time.Second {
		t.Errorf("took %v, want a quick failure", elapsed)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %.1f MiB in %v", float64(alloc)/(1<<20), elapsed)
	if alloc > 16<<20 {
		t.Errorf("allocated %d MiB, want at most 16 MiB for a 1 MiB cap", alloc>>20)
	}
}

func TestFetchTimeout(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"slow headers", func(w http.ResponseWriter, r *http.Request) {
			wait(r)
		}},
		{"slow body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<!doctype html><html><body>")
			http.NewResponseController(w).Flush()
			wait(r)
		}},
		{"trickling body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<!doctype html><html><body>")
			for {
				select {
				case <-r.Context().Done():
					return
				case <-time.After(20 * time.Millisecond):
				}
				if _, err := io.WriteString(w, "<p>more</p>"); err != nil {
					return
				}
				http.NewResponseController(w).Flush()
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, tt.handler)
			start := time.Now()
			_, err := Fetch(t.Context(), srv.URL, FetchOptions{Timeout: 200 * time.Millisecond})
			elapsed := time.Since(start)
			checkErr(t, err, srv.URL)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error %q is not context.DeadlineExceeded", err)
			}
			if want := "fetch " + srv.URL + ": timed out after 200ms"; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error %q, want %q", err, want)
			}
			if elapsed > time.Second {
				t.Errorf("took %v, want about 200ms", elapsed)
			}
		})
	}
}

func TestFetchCancel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		writeHead bool
	}{
		{"waiting for headers", false},
		{"reading body", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			started := make(chan struct{})
			var once sync.Once
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.writeHead {
					w.Header().Set("Content-Type", "text/html")
					_, _ = io.WriteString(w, "<!doctype html><html><body>")
					http.NewResponseController(w).Flush()
				}
				once.Do(func() { close(started) })
				wait(r)
			}))
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			go func() {
				<-started
				time.Sleep(20 * time.Millisecond) // let the client block
				cancel()
			}()
			start := time.Now()
			_, err := Fetch(ctx, srv.URL, FetchOptions{})
			checkErr(t, err, srv.URL)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("error %q is not context.Canceled", err)
			}
			if want := "fetch " + srv.URL + ": context canceled"; err.Error() != want {
				t.Errorf("error %q, want %q", err, want)
			}
			if elapsed := time.Since(start); elapsed > time.Second {
				t.Errorf("took %v after cancel, want a prompt return", elapsed)
			}
		})
	}
}

// hijack answers with raw bytes written straight to the connection, then
// closes it, with a TCP reset when reset is true.
func hijack(raw []byte, reset bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err)
		}
		defer conn.Close()
		_, _ = conn.Write(raw)
		if tc, ok := conn.(*net.TCPConn); ok && reset {
			time.Sleep(20 * time.Millisecond) // let the headers arrive first
			_ = tc.SetLinger(0)
		}
	}
}

func TestFetchBrokenBody(t *testing.T) {
	t.Parallel()
	zl := zlibBytes(t, []byte(page)) // zlib stops reading at its stream end
	head := func(extra string) string {
		return "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n" + extra + "\r\n"
	}
	tests := []struct {
		name  string
		raw   string
		reset bool
		want  error // nil: any error
	}{
		{name: "shorter than content length",
			raw:  head("Content-Length: 1000\r\n") + page,
			want: io.ErrUnexpectedEOF},
		{name: "deflate stream complete but shorter than content length",
			raw:  head(fmt.Sprintf("Content-Encoding: deflate\r\nContent-Length: %d\r\n", len(zl)+100)) + string(zl),
			want: io.ErrUnexpectedEOF},
		{name: "chunked without last chunk",
			raw:  head("Transfer-Encoding: chunked\r\n") + fmt.Sprintf("%x\r\n%s\r\n", len(page), page),
			want: io.ErrUnexpectedEOF},
		{name: "connection reset mid-body",
			raw:   head("Content-Length: 100000\r\n") + string(bigPage(20000)),
			reset: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, hijack([]byte(tt.raw), tt.reset))
			got, err := Fetch(t.Context(), srv.URL, FetchOptions{})
			if err == nil {
				t.Fatalf("Fetch returned a %d-byte body, want an error", len(got.Body))
			}
			checkErr(t, err, srv.URL)
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error %q is not %v", err, tt.want)
			}
		})
	}
}

func TestFetchHTTP2CallerClient(t *testing.T) {
	t.Parallel()
	var proto sync.Map
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proto.Store("major", r.ProtoMajor)
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(gzipBytes(t, []byte(page)))
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)

	client := srv.Client()
	got, err := Fetch(t.Context(), srv.URL, FetchOptions{Client: client})
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Body) != page {
		t.Errorf("Body = %q, want the decoded page", got.Body)
	}
	if major, _ := proto.Load("major"); major != 2 {
		t.Errorf("request used HTTP/%v, want HTTP/2", major)
	}
	if client.CheckRedirect != nil || client.Jar != nil {
		t.Error("Fetch modified the caller's client")
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		retryAfter string
		date       string
		want       time.Duration
	}{
		{"absent", "", "", 0},
		{"seconds", "30", "", 30 * time.Second},
		{"zero", "0", "", 0},
		{"negative", "-5", "", 0},
		{"garbage", "soon", "", 0},
		{"huge", "99999999999999999", "", time.Duration(math.MaxInt64)},
		{"date from now", now.Add(time.Hour).Format(http.TimeFormat), "", time.Hour},
		{"date from date header", now.Add(time.Hour).Format(http.TimeFormat),
			now.Add(30 * time.Minute).Format(http.TimeFormat), 30 * time.Minute},
		{"date in the past", now.Add(-time.Hour).Format(http.TimeFormat), "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			if tt.retryAfter != "" {
				h.Set("Retry-After", tt.retryAfter)
			}
			if tt.date != "" {
				h.Set("Date", tt.date)
			}
			if got := retryAfter(h, now); got != tt.want {
				t.Errorf("retryAfter = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLooksHTML(t *testing.T) {
	t.Parallel()
	tests := []struct {
		head string
		want bool
	}{
		{"<!DOCTYPE html>", true},
		{"<!doctype HTML>\n<html>", true},
		{"\xef\xbb\xbf<!doctype html>", true},
		{" \r\n\t<html>", true},
		{"<html", true},
		{`<?xml version="1.0"?><!DOCTYPE html>`, true},
		{"<p>para", true}, // http.DetectContentType's own HTML signatures
		{"<htmlx>", false},
		{"hello <html>", false},
		{`{"html": true}`, false},
		{"", false},
	}
	for _, tt := range tests {
		if got := looksHTML([]byte(tt.head)); got != tt.want {
			t.Errorf("looksHTML(%q) = %v, want %v", tt.head, got, tt.want)
		}
	}
}
