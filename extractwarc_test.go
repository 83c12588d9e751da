package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsx/newsx/crawl/crawltest"
)

// warcPage is a page of the hand-made test archives.
type warcPage struct {
	fixture string // fixtures/<fixture>/source.html
	url     string
}

var warcPages = []warcPage{
	{"ians-wire-seed", "https://news.example/ians"},
	{"yonhap-wire", "https://news.example/yonhap"},
	{"reuters-wire", "https://news.example/reuters"},
}

// warcRecord formats one WARC/1.1 record.
func warcRecord(typ, uri, date, contentType string, block []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%08d-0000-4000-8000-000000000000>\r\nWARC-Date: %s\r\n", typ, len(uri)*7+len(block), date)
	if uri != "" {
		fmt.Fprintf(&b, "WARC-Target-URI: %s\r\n", uri)
	}
	if contentType != "" {
		fmt.Fprintf(&b, "Content-Type: %s\r\n", contentType)
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(block))
	b.Write(block)
	b.WriteString("\r\n\r\n")
	return b.Bytes()
}

// httpResponse formats an HTTP/1.1 response as a WARC response block holds it.
func httpResponse(status string, headers []string, body []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %s\r\n", status)
	for _, h := range headers {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("\r\n")
	b.Write(body)
	return b.Bytes()
}

func gzipBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func chunk(b []byte) []byte {
	var out bytes.Buffer
	for len(b) > 0 {
		n := min(len(b), 1000)
		fmt.Fprintf(&out, "%x\r\n%s\r\n", n, b[:n])
		b = b[n:]
	}
	out.WriteString("0\r\n\r\n")
	return out.Bytes()
}

// testArchive returns the records of a test archive: the three pages
// (plain, gzip Content-Encoding, chunked) among records to skip.
func testArchive(t *testing.T) [][]byte {
	t.Helper()
	const date = "2024-03-25T08:00:00Z"
	const resp = "application/http; msgtype=response"
	var pages [][]byte
	for _, p := range warcPages {
		b, err := os.ReadFile(filepath.Join("fixtures", p.fixture, "source.html"))
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, b)
	}
	return [][]byte{
		warcRecord("warcinfo", "", date, "application/warc-fields", []byte("software: test\r\n")),
		warcRecord("request", warcPages[0].url, date, "application/http; msgtype=request", []byte("GET /ians HTTP/1.1\r\nHost: news.example\r\n\r\n")),
		warcRecord("response", warcPages[0].url, date, resp, httpResponse("200 OK", []string{"Content-Type: text/html; charset=utf-8"}, pages[0])),
		warcRecord("response", "https://news.example/logo.png", date, resp, httpResponse("200 OK", []string{"Content-Type: image/png"}, []byte("\x89PNG\r\n\x1a\n0000"))),
		warcRecord("response", warcPages[1].url, "2024-03-26T09:30:00Z", resp, httpResponse("200 OK", []string{"Content-Type: text/html", "Content-Encoding: gzip"}, gzipBytes(t, pages[1]))),
		warcRecord("response", "https://news.example/gone", date, resp, httpResponse("404 Not Found", []string{"Content-Type: text/html"}, []byte("<html><body>gone</body></html>"))),
		warcRecord("revisit", warcPages[0].url, date, resp, httpResponse("200 OK", []string{"Content-Type: text/html"}, nil)),
		warcRecord("metadata", warcPages[0].url, date, "application/warc-fields", []byte("outlinks: none\r\n")),
		warcRecord("response", warcPages[2].url, date, resp, httpResponse("200 OK", []string{"Content-Type: text/html; charset=utf-8", "Transfer-Encoding: chunked"}, chunk(pages[2]))),
	}
}

// fixtureHeadline is the headline of a fixture's golden record.
func fixtureHeadline(t *testing.T, fixture string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("fixtures", fixture, "article.json"))
	if err != nil {
		t.Fatal(err)
	}
	var a struct{ Headline string }
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	return a.Headline
}

type warcOut struct {
	URL      string `json:"url"`
	Headline string `json:"headline"`
	Fetched  string `json:"fetched"`
	Source   string `json:"source"`
}

func decodeJSONL(t *testing.T, out string) []warcOut {
	t.Helper()
	var got []warcOut
	for line := range strings.SplitSeq(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var r warcOut
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v: %q", err, line)
		}
		got = append(got, r)
	}
	return got
}

// checkSource checks that a record's source is the archive as given and
// the offset of its record: in an uncompressed or a gzip-per-record file,
// the offset at which the record (or its gzip member) starts.
func checkSource(t *testing.T, i int, source, arg string, file []byte) {
	t.Helper()
	name, off, ok := strings.Cut(source, "#")
	n, err := strconv.ParseInt(off, 10, 64)
	if !ok || err != nil || (name != arg && !strings.HasPrefix(name, arg+string(filepath.Separator))) {
		t.Errorf("record %d: source %q, want %s#OFFSET", i, source, arg)
		return
	}
	if file == nil || n >= int64(len(file)) {
		return // a directory, or whole-file gzip: offsets in the stream
	}
	rest := file[n:]
	if bytes.HasPrefix(rest, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(bytes.NewReader(rest))
		if err != nil {
			t.Errorf("record %d: no gzip member at offset %d: %v", i, n, err)
			return
		}
		zr.Multistream(false)
		rest, _ = io.ReadAll(zr)
	}
	if !bytes.HasPrefix(rest, []byte("WARC/1")) {
		t.Errorf("record %d: offset %d of %s does not start a record: %.20q", i, n, arg, rest)
	}
}

// TestExtractWARC reads the test archive uncompressed, gzip per record
// and gzip as a whole: the three HTML pages are extracted with their
// target URI and WARC-Date, the other records skipped and counted.
func TestExtractWARC(t *testing.T) {
	recs := testArchive(t)
	plain := bytes.Join(recs, nil)
	var perRecord []byte
	for _, r := range recs {
		perRecord = append(perRecord, gzipBytes(t, r)...)
	}
	dir := t.TempDir()
	files := map[string][]byte{
		"plain.warc":       plain,
		"records.warc.gz":  perRecord,
		"whole.warc.gz":    gzipBytes(t, plain),
		"noname":           perRecord, // detected by content
		"stdin":            perRecord,
		"dir/a.warc.gz":    perRecord,
		"dir/ignored.json": []byte("{}"),
	}
	for name, b := range files {
		path := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"plain.warc", "records.warc.gz", "whole.warc.gz", "noname", "stdin", "dir"} {
		t.Run(name, func(t *testing.T) {
			arg, stdin := filepath.Join(dir, name), ""
			if name == "stdin" {
				arg, stdin = "-", string(perRecord)
			}
			code, out, errOut := runCLI(t, stdin, "extract", "-f", "jsonl", "--jobs", "2", arg)
			if code != exitOK {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			got := decodeJSONL(t, out)
			if len(got) != len(warcPages) {
				t.Fatalf("%d records, want %d: %s", len(got), len(warcPages), out)
			}
			for i, p := range warcPages {
				if got[i].URL != p.url || got[i].Headline != fixtureHeadline(t, p.fixture) {
					t.Errorf("record %d: %+v, want url %s and the headline of %s", i, got[i], p.url, p.fixture)
				}
			}
			file := files[name]
			if name == "whole.warc.gz" || name == "stdin" {
				file = nil // offsets in the decompressed stream, or no file
			}
			for i, r := range got {
				checkSource(t, i, r.Source, arg, file)
			}
			if got[0].Fetched != "2024-03-25T08:00:00Z" || got[1].Fetched != "2024-03-26T09:30:00Z" {
				t.Errorf("fetched %q, %q; want the WARC-Dates", got[0].Fetched, got[1].Fetched)
			}
			for _, want := range []string{"9 records, 3 pages written", "1 metadata", "1 non-HTML", "1 request", "1 revisit", "1 status 404", "1 warcinfo"} {
				if !strings.Contains(errOut, want) {
					t.Errorf("summary %q lacks %q", errOut, want)
				}
			}
		})
	}
}

// TestExtractWARCDamaged breaks a gzip-per-record archive in the ways
// archives break: a member cut short, a member with bad compressed data,
// a record whose Content-Length is too long, a file cut in the last
// member. Every intact page is still extracted, and each damage is
// reported once with its offset.
func TestExtractWARCDamaged(t *testing.T) {
	recs := testArchive(t)
	good := func(i int) []byte { return gzipBytes(t, recs[i]) }
	const resp = "application/http; msgtype=response"
	junkPage := httpResponse("200 OK", []string{"Content-Type: text/html"}, []byte("<html><body><p>lost</p></body></html>"))
	truncated := good(3)
	truncated = truncated[:len(truncated)/2]
	corrupt := gzipBytes(t, warcRecord("response", "https://news.example/corrupt", "2024-03-25T08:00:00Z", resp, junkPage))
	for i := 20; i < len(corrupt)-10; i += 3 {
		corrupt[i] ^= 0x5a
	}
	long := warcRecord("response", "https://news.example/long", "2024-03-25T08:00:00Z", resp, junkPage)
	long = bytes.Replace(long, []byte(fmt.Sprintf("Content-Length: %d", len(junkPage))), []byte(fmt.Sprintf("Content-Length: %d", len(junkPage)+500)), 1)
	last := good(8)
	var b []byte
	b = append(b, good(0)...)
	b = append(b, good(2)...) // page 0
	b = append(b, truncated...)
	b = append(b, corrupt...)
	b = append(b, good(4)...) // page 1
	b = append(b, gzipBytes(t, long)...)
	b = append(b, good(8)...)            // page 2
	b = append(b, last[:len(last)-7]...) // cut file
	path := filepath.Join(t.TempDir(), "broken.warc.gz")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "", "extract", "-f", "jsonl", path)
	if code != exitPartial {
		t.Errorf("exit %d, want %d (partial); stderr %q", code, exitPartial, errOut)
	}
	got := decodeJSONL(t, out)
	if len(got) != 3 {
		t.Fatalf("%d records, want the 3 intact pages: %s\nstderr: %s", len(got), out, errOut)
	}
	for i, p := range warcPages {
		if got[i].URL != p.url {
			t.Errorf("record %d is %s, want %s", i, got[i].URL, p.url)
		}
	}
	// The member cut short runs into the corrupt one: one damaged stretch.
	damaged := strings.Count(errOut, "damaged record at offset")
	if damaged != 3 {
		t.Errorf("%d damage reports, want 3 (truncated and corrupt, long, cut):\n%s", damaged, errOut)
	}
	for _, off := range []int{len(good(0)) + len(good(2))} {
		if !strings.Contains(errOut, fmt.Sprintf("offset %d:", off)) {
			t.Errorf("no report at offset %d:\n%s", off, errOut)
		}
	}
}

// warcSite serves the test pages on loopback: /ians as is, /yonhap
// chunked (flushed in pieces, no Content-Length), /reuters as is, /gone
// with 404, /logo.png as an image.
func warcSite(t *testing.T) *httptest.Server {
	t.Helper()
	pages := make(map[string][]byte)
	for _, p := range warcPages {
		b, err := os.ReadFile(filepath.Join("fixtures", p.fixture, "source.html"))
		if err != nil {
			t.Fatal(err)
		}
		pages["/"+p.fixture] = b
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch b, ok := pages[r.URL.Path]; {
		case r.URL.Path == "/logo.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write([]byte("\x89PNG\r\n\x1a\n0000"))
		case !ok:
			http.NotFound(w, r)
		case r.URL.Path == "/yonhap-wire":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			for len(b) > 0 {
				n := min(len(b), 700)
				w.Write(b[:n])
				w.(http.Flusher).Flush()
				b = b[n:]
			}
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(b)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestExtractWgetWARC reads the WARC file wget writes with --warc-file:
// every page it fetched, with its URL, and the 404 and the image skipped.
func TestExtractWgetWARC(t *testing.T) {
	wget := needTool(t, "wget")
	srv := warcSite(t)
	dir := t.TempDir()
	var urls []string
	for _, p := range warcPages {
		urls = append(urls, srv.URL+"/"+p.fixture)
	}
	args := append([]string{"--no-verbose", "--no-proxy", "-O", filepath.Join(dir, "body"), "--warc-file=" + filepath.Join(dir, "wget")}, urls...)
	args = append(args, srv.URL+"/gone", srv.URL+"/logo.png")
	cmd := exec.Command(wget, args...)
	if out, err := cmd.CombinedOutput(); err != nil && !strings.Contains(string(out), "404") {
		t.Fatalf("wget: %v\n%s", err, out)
	}
	code, out, errOut := runCLI(t, "", "extract", "-f", "jsonl", filepath.Join(dir, "wget.warc.gz"))
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	got := decodeJSONL(t, out)
	if len(got) != len(warcPages) {
		t.Fatalf("%d records, want %d:\n%s\nstderr: %s", len(got), len(warcPages), out, errOut)
	}
	for i, p := range warcPages {
		if got[i].URL != urls[i] || got[i].Headline != fixtureHeadline(t, p.fixture) || got[i].Fetched == "" {
			t.Errorf("record %d: %+v, want url %s, the headline of %s and a fetch time", i, got[i], urls[i], p.fixture)
		}
	}
	for _, want := range []string{"1 status 404", "1 non-HTML"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("summary %q lacks %q", errOut, want)
		}
	}
}

// TestExtractURLFetched: a page fetched now has fetched set to the fetch
// time; a file has none.
func TestExtractURLFetched(t *testing.T) {
	srv := warcSite(t)
	before := time.Now().Add(-time.Second)
	code, out, errOut := runCLI(t, "", "extract", "-f", "jsonl", srv.URL+"/ians-wire-seed", seed)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	got := decodeJSONL(t, out)
	if len(got) != 2 {
		t.Fatalf("%d records, want 2", len(got))
	}
	at, err := time.Parse(time.RFC3339, got[0].Fetched)
	if err != nil || at.Before(before.Truncate(time.Second)) || at.After(time.Now()) {
		t.Errorf("fetched %q (%v), want the fetch time", got[0].Fetched, err)
	}
	if got[1].Fetched != "" {
		t.Errorf("file record has fetched %q, want none", got[1].Fetched)
	}
}

// needWarcio returns the directory holding warcio (npm), named by
// NEWSX_WARCIO; it skips the test when it is missing, except in CI.
func needWarcio(t *testing.T) (node, dir string) {
	t.Helper()
	node = needTool(t, "node")
	dir = os.Getenv("NEWSX_WARCIO")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "warcio")); dir == "" || err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("warcio is not installed (.ci/run must install it and set NEWSX_WARCIO)")
		}
		t.Skip("warcio is not installed (set NEWSX_WARCIO to a directory with node_modules/warcio)")
	}
	return node, dir
}

// TestWarcio checks newsx's archives against warcio, an independent
// implementation: a file warcio writes is extracted, and a file a crawl
// writes parses in warcio with every block and payload digest valid.
func TestWarcio(t *testing.T) {
	node, dir := needWarcio(t)
	tmp := t.TempDir()
	warcio := func(args ...string) string {
		cmd := exec.Command(node, append([]string{"testdata/warcio.mjs"}, args...)...)
		cmd.Env = append(os.Environ(), "WARCIO="+dir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("warcio %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	written := filepath.Join(tmp, "warcio.warc.gz")
	var args []string
	for _, p := range warcPages {
		args = append(args, p.url, filepath.Join("fixtures", p.fixture, "source.html"))
	}
	warcio(append([]string{"write", written}, args...)...)
	code, out, errOut := runCLI(t, "", "extract", "-f", "jsonl", written)
	if code != exitOK {
		t.Fatalf("extract: exit %d, stderr %q", code, errOut)
	}
	got := decodeJSONL(t, out)
	if len(got) != len(warcPages) {
		t.Fatalf("%d records from warcio's file, want %d", len(got), len(warcPages))
	}
	for i, p := range warcPages {
		if got[i].URL != p.url || got[i].Headline != fixtureHeadline(t, p.fixture) {
			t.Errorf("record %d: %+v", i, got[i])
		}
	}

	s := crawltest.New(t)
	warcDir := filepath.Join(tmp, "crawl")
	runCLI(t, "", append(append([]string{"crawl", "-f", "jsonl", "--warc", warcDir}, fastFlags...), s.URL+"/")...)
	files, _ := filepath.Glob(filepath.Join(warcDir, "*.warc.gz"))
	if len(files) == 0 {
		t.Fatal("the crawl wrote no WARC file")
	}
	for _, f := range files {
		report := warcio("check", f)
		if !strings.Contains(report, "warcinfo") || !strings.Contains(report, "request ") || !strings.Contains(report, " bad 0") {
			t.Errorf("warcio check %s:\n%s", f, report)
		}
	}
}
