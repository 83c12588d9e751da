package archive

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// rec formats a WARC/1.1 record of type typ holding block.
func rec(typ, contentType, block string) string {
	return fmt.Sprintf("WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000000>\r\n"+
		"WARC-Date: 2024-03-25T08:00:00Z\r\nWARC-Target-URI: <https://news.example/p>\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n",
		typ, contentType, len(block), block)
}

const httpType = "application/http; msgtype=response"

// TestReaderBlocks reads response blocks whose HTTP head and body are
// read apart: a head longer than the read buffer, a head without the
// empty line that ends it, a body over MaxBytes, an empty body, and
// blocks of other records; the record after each reads whole.
func TestReaderBlocks(t *testing.T) {
	t.Parallel()
	body := "<html><body><p>page</p></body></html>"
	long := strings.Repeat("a", 100<<10)
	next := rec("response", httpType, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"+body)
	for _, tc := range []struct {
		name     string
		record   string
		status   int
		body     string
		header   string // a header's value, "Name: value"
		tooLarge bool
	}{
		{"plain", rec("response", httpType, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"+body), 200, body, "Content-Type: text/html", false},
		{"long head", rec("response", httpType, "HTTP/1.1 200 OK\r\nX-Long: "+long+"\r\nContent-Type: text/html\r\n\r\n"+body), 200, body, "X-Long: " + long, false},
		{"LF only", rec("response", httpType, "HTTP/1.1 404 Not Found\nContent-Type: text/html\n\n"+body), 404, body, "Content-Type: text/html", false},
		{"head without end", rec("response", httpType, "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n"), 304, "", "Etag: \"x\"", false},
		{"empty body", rec("response", httpType, "HTTP/1.1 204 No Content\r\n\r\n"), 204, "", "", false},
		{"body over MaxBytes", rec("response", httpType, "HTTP/1.1 200 OK\r\n\r\n"+long), 200, "", "", true},
		{"body with CRLF CRLF", rec("response", httpType, "HTTP/1.1 200 OK\r\n\r\n\r\n\r\nafter"), 200, "\r\n\r\nafter", "", false},
		{"request", rec("request", "application/http; msgtype=request", "GET /p HTTP/1.1\r\nHost: news.example\r\n\r\n"), 0, "", "", false},
		{"metadata", rec("metadata", "application/warc-fields", "via: x\r\n"), 0, "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var gz bytes.Buffer
			for _, r := range []string{tc.record, next} {
				zw := gzip.NewWriter(&gz)
				zw.Write([]byte(r))
				zw.Close()
			}
			for _, file := range []struct {
				name string
				data []byte
			}{{"uncompressed", []byte(tc.record + next)}, {"gzip per record", gz.Bytes()}} {
				r, err := NewReader(bytes.NewReader(file.data), Options{MaxBytes: 50 << 10})
				if err != nil {
					t.Fatal(err)
				}
				got, err := r.Next()
				if err != nil {
					t.Fatalf("%s: %v", file.name, err)
				}
				if got.TargetURI != "https://news.example/p" {
					t.Errorf("%s: target %q", file.name, got.TargetURI)
				}
				if tc.status != 0 {
					if !got.HTTP || got.Status != tc.status || string(got.Body) != tc.body {
						t.Errorf("%s: HTTP %v, status %d, body %.40q; want %d, %.40q", file.name, got.HTTP, got.Status, got.Body, tc.status, tc.body)
					}
					if name, value, ok := strings.Cut(tc.header, ": "); ok && got.Header.Get(name) != value {
						t.Errorf("%s: header %s is %.40q, want %.40q", file.name, name, got.Header.Get(name), value)
					}
					if tooLarge := errors.Is(got.Err, ErrTooLarge); tooLarge != tc.tooLarge || (!tooLarge && got.Err != nil) {
						t.Errorf("%s: Err %v, want too large %v", file.name, got.Err, tc.tooLarge)
					}
				}
				after, err := r.Next()
				if err != nil || string(after.Body) != body {
					t.Fatalf("%s: the next record: %v, %+v", file.name, err, after)
				}
				if _, err := r.Next(); !errors.Is(err, io.EOF) {
					t.Errorf("%s: after the last record: %v, want EOF", file.name, err)
				}
			}
		})
	}
}

// TestReaderDigests reads records whose digests name algorithms gowarc
// does not know, or are wrong: digests are not checked, and the records
// read.
func TestReaderDigests(t *testing.T) {
	t.Parallel()
	body := "<html><body><p>page</p></body></html>"
	block := "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
	for _, digests := range []string{
		"WARC-Block-Digest: blake3:AAAA\r\nWARC-Payload-Digest: blake3:AAAA\r\n",
		"WARC-Block-Digest: sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n",
	} {
		record := strings.Replace(rec("response", httpType, block), "Content-Type:", digests+"Content-Type:", 1)
		r, err := NewReader(strings.NewReader(record+record), Options{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			got, err := r.Next()
			if err != nil || got.Status != 200 || string(got.Body) != body {
				t.Errorf("%q, record %d: %v, %+v", digests, i, err, got)
			}
		}
	}
}
