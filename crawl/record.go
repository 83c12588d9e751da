package crawl

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/newsx/newsx/archive"
)

// recordingTransport hands every response, with its body as received
// (before any Content-Encoding is undone), to a WARC writer, and the
// caller a decoded body as net/http's own decompression would.
type recordingTransport struct {
	base     http.RoundTripper
	w        *archive.Writer
	maxBytes int64
	log      func(err error)
}

func (t *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("Accept-Encoding") == "" {
		// Asked for explicitly, net/http leaves the body encoded, so the
		// bytes as sent can be recorded.
		req = req.Clone(req.Context())
		req.Header.Set("Accept-Encoding", "gzip, br")
	}
	var mu sync.Mutex
	var remote string
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		mu.Lock()
		remote = info.Conn.RemoteAddr().String()
		mu.Unlock()
	}}
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	mu.Lock()
	ip := remote
	mu.Unlock()
	rec := &recordedBody{
		body: resp.Body, t: t, req: req, resp: resp, ip: ip, date: time.Now(),
		left: t.maxBytes,
	}
	resp.Body = rec
	coding := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	var dec io.Reader
	switch coding {
	case "gzip", "x-gzip":
		dec = &lazyReader{open: func() (io.Reader, error) { return gzip.NewReader(rec) }}
	case "br":
		dec = brotli.NewReader(rec)
	}
	if dec != nil {
		resp.Body = readCloser{dec, rec}
		resp.Header = resp.Header.Clone()
		resp.Header.Del("Content-Encoding")
		resp.Header.Del("Content-Length")
		resp.ContentLength = -1
		resp.Uncompressed = true
	}
	return resp, nil
}

// recordedBody keeps the bytes read from a body and writes the exchange
// once the body is read to its end or closed.
type recordedBody struct {
	body io.ReadCloser
	t    *recordingTransport
	req  *http.Request
	resp *http.Response
	ip   string
	date time.Time
	buf  bytes.Buffer
	left int64
	cut  bool // more than maxBytes: not recorded whole
	once sync.Once
}

func (b *recordedBody) Read(p []byte) (int, error) {
	n, err := b.body.Read(p)
	if n > 0 {
		if int64(n) > b.left {
			b.cut = true
		} else {
			b.buf.Write(p[:n])
			b.left -= int64(n)
		}
	}
	if err == io.EOF {
		b.write(true)
	}
	return n, err
}

func (b *recordedBody) Close() error {
	b.write(false)
	return b.body.Close()
}

// write records the exchange once. A body not read to its end (a
// refused content type, a caller that stopped) is recorded as far as it
// was read only when nothing was read, that is, as the status and
// header alone.
func (b *recordedBody) write(complete bool) {
	b.once.Do(func() {
		if b.cut || (!complete && b.buf.Len() > 0) {
			return
		}
		err := b.t.w.Write(archive.Exchange{Request: b.req, Response: b.resp, Body: b.buf.Bytes(), Date: b.date, IP: b.ip})
		if err != nil && b.t.log != nil {
			b.t.log(err)
		}
	})
}

// lazyReader opens its reader on the first Read.
type lazyReader struct {
	open func() (io.Reader, error)
	r    io.Reader
	err  error
}

func (l *lazyReader) Read(p []byte) (int, error) {
	if l.r == nil && l.err == nil {
		l.r, l.err = l.open()
	}
	if l.err != nil {
		return 0, l.err
	}
	return l.r.Read(p)
}
