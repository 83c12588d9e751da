package archive

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/nlnwa/gowarc/v3"
)

// DefaultMaxFileSize is the size at which Writer starts a new file when
// WriterOptions.MaxFileSize is not set: 1 GB.
const DefaultMaxFileSize = 1_000_000_000

// WriterOptions configures a Writer.
type WriterOptions struct {
	// MaxFileSize is the size after which a new file is started; zero or
	// negative means DefaultMaxFileSize. A record is never split.
	MaxFileSize int64
	// Software names the writer in each file's warcinfo record, such as
	// "newsx/0.1".
	Software string
	// Info holds further warcinfo fields, such as the crawl's options,
	// written in the order given as "name: value" lines.
	Info [][2]string
}

// Writer records HTTP exchanges as WARC/1.1 request and response records
// in gzip-per-record files DIR/newsx-<timestamp>-<serial>.warc.gz, each
// starting with a warcinfo record. A new Writer always starts a new file,
// so a resumed crawl never rewrites an older one; a file cut short by a
// crash is valid up to its last whole gzip member. Writer is safe for
// concurrent use.
type Writer struct {
	w *gowarc.WarcFileWriter
}

// NewWriter returns a Writer for the directory dir, which must exist.
func NewWriter(dir string, opts WriterOptions) (*Writer, error) {
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	if opts.Software == "" {
		opts.Software = "newsx"
	}
	names := &fileNames{dir: dir}
	w := gowarc.NewWarcFileWriter(
		gowarc.WithFileNameGenerator(names),
		gowarc.WithCompression(true),
		gowarc.WithCompressedFileSuffix(""),
		gowarc.WithOpenFileSuffix(""),
		gowarc.WithMaxFileSize(opts.MaxFileSize),
		gowarc.WithMaxConcurrentWriters(1),
		gowarc.WithRecordOptions(gowarc.WithVersion(gowarc.V1_1), gowarc.WithAddMissingDigest(true),
			gowarc.WithDefaultDigestAlgorithm("sha1")),
		gowarc.WithWarcInfoFunc(func(b gowarc.WarcRecordBuilder) error {
			fmt.Fprintf(b, "software: %s\r\nformat: WARC File Format 1.1\r\n", opts.Software)
			for _, f := range opts.Info {
				fmt.Fprintf(b, "%s: %s\r\n", f[0], strings.ReplaceAll(f[1], "\n", " "))
			}
			return nil
		}),
	)
	return &Writer{w: w}, nil
}

// fileNames names a Writer's files newsx-<timestamp>-<serial>.warc.gz
// in dir, passing over names already taken: a Writer opened within the
// same second as an earlier one (a crawl stopped and resumed at once)
// must not meet the earlier file's name.
type fileNames struct {
	dir    string
	mu     sync.Mutex
	serial int
}

// NewWarcfileName returns dir and the next free file name.
func (g *fileNames) NewWarcfileName() (string, string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for {
		g.serial++
		name := fmt.Sprintf("newsx-%s-%05d.warc.gz", time.Now().UTC().Format("20060102150405"), g.serial)
		if _, err := os.Lstat(filepath.Join(g.dir, name)); err != nil {
			// Free, or not to be known here: the writer opens it with
			// O_EXCL and reports what went wrong.
			return g.dir, name
		}
	}
}

// Exchange is one HTTP request and the response it got.
type Exchange struct {
	// Request is the request as sent (its URL, method and header).
	Request *http.Request
	// Response is the response: its status and header.
	Response *http.Response
	// Body is the response body as received, before any
	// Content-Encoding was undone.
	Body []byte
	// Date is when the response arrived.
	Date time.Time
	// IP is the server's address, or "".
	IP string
}

// Write appends the exchange as a request record and a response record
// that refers to it.
func (w *Writer) Write(x Exchange) error {
	uri := x.Request.URL.String()
	var reqBlock bytes.Buffer
	path := x.Request.URL.RequestURI()
	fmt.Fprintf(&reqBlock, "%s %s HTTP/1.1\r\nHost: %s\r\n", x.Request.Method, path, x.Request.URL.Host)
	x.Request.Header.Write(&reqBlock)
	reqBlock.WriteString("\r\n")

	var respBlock bytes.Buffer
	status := x.Response.Status
	if status == "" {
		status = fmt.Sprintf("%d %s", x.Response.StatusCode, http.StatusText(x.Response.StatusCode))
	}
	fmt.Fprintf(&respBlock, "HTTP/1.1 %s\r\n", status)
	h := x.Response.Header.Clone()
	h.Del("Transfer-Encoding")
	h.Set("Content-Length", fmt.Sprint(len(x.Body)))
	h.Write(&respBlock)
	respBlock.WriteString("\r\n")
	respBlock.Write(x.Body)

	resp := gowarc.NewRecordBuilder(gowarc.Response, gowarc.WithAddMissingDigest(true), gowarc.WithDefaultDigestAlgorithm("sha1"))
	resp.AddWarcHeader(gowarc.WarcTargetURI, uri)
	resp.AddWarcHeaderTime(gowarc.WarcDate, x.Date)
	resp.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=response")
	if ip := x.IP; ip != "" {
		if host, _, err := net.SplitHostPort(ip); err == nil {
			ip = host
		}
		resp.AddWarcHeader(gowarc.WarcIPAddress, ip)
	}
	if _, err := resp.Write(respBlock.Bytes()); err != nil {
		return err
	}
	respRec, _, err := resp.Build()
	if err != nil {
		return fmt.Errorf("warc response record for %s: %w", uri, err)
	}
	req := gowarc.NewRecordBuilder(gowarc.Request, gowarc.WithAddMissingDigest(true), gowarc.WithDefaultDigestAlgorithm("sha1"))
	req.AddWarcHeader(gowarc.WarcTargetURI, uri)
	req.AddWarcHeaderTime(gowarc.WarcDate, x.Date)
	req.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=request")
	req.AddWarcHeader(gowarc.WarcConcurrentTo, "<"+respRec.RecordId()+">")
	if _, err := req.Write(reqBlock.Bytes()); err != nil {
		return err
	}
	reqRec, _, err := req.Build()
	if err != nil {
		return fmt.Errorf("warc request record for %s: %w", uri, err)
	}
	for _, r := range w.w.Write(respRec, reqRec) {
		if r.Err != nil {
			return fmt.Errorf("write warc: %w", r.Err)
		}
	}
	return nil
}

// Close finishes the current file.
func (w *Writer) Close() error { return w.w.Close() }
