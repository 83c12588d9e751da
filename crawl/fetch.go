package crawl

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
)

// DefaultUserAgent is the User-Agent header Fetch sends when
// FetchOptions.UserAgent is empty. It names newsx honestly and points at the
// project, so site operators can find out who is fetching their pages.
const DefaultUserAgent = "newsx/0.1 (+https://github.com/newsx/newsx)"

// Defaults used for the zero fields of FetchOptions.
const (
	// DefaultTimeout bounds a whole fetch, from dialing to the last body byte.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxBytes caps the raw and the decoded body size, in bytes.
	DefaultMaxBytes = 10 << 20
	// DefaultMaxRedirects is how many redirects Fetch follows.
	DefaultMaxRedirects = 10
)

// Request headers Fetch sends. Accept-Encoding is set explicitly, which also
// stops net/http from decoding gzip transparently: Fetch decodes bodies
// itself so that the size cap applies to the decoded bytes.
const (
	acceptHeader         = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	acceptLanguageHeader = "en;q=0.9,*;q=0.5"
	acceptEncodingHeader = "gzip, deflate, br"
)

// sniffLen is how many decoded bytes Fetch inspects to decide whether a body
// is HTML; it matches what http.DetectContentType considers.
const sniffLen = 512

// maxEncodings bounds how many stacked Content-Encoding layers Fetch undoes.
const maxEncodings = 3

// Sentinel errors wrapped by Fetch; match them with errors.Is.
var (
	// ErrTooLarge means the body (raw, decoded, or as announced by
	// Content-Length) is larger than FetchOptions.MaxBytes. Fetch never
	// returns a truncated body.
	ErrTooLarge = errors.New("body too large")
	// ErrNotHTML means the response is not an HTML page: its Content-Type
	// names another type, or its bytes are a known binary format (PDF, PNG,
	// gzip, ...), or an untyped body does not look like HTML.
	ErrNotHTML = errors.New("not HTML")
	// ErrScheme means a URL, or a redirect target, is not http or https.
	ErrScheme = errors.New("unsupported URL scheme")
	// ErrRedirects means the server redirected more than
	// FetchOptions.MaxRedirects times, usually in a loop.
	ErrRedirects = errors.New("too many redirects")
)

// FetchOptions configure Fetch. The zero value means the defaults.
type FetchOptions struct {
	// Timeout bounds the whole request, including reading the body.
	// Zero or negative means DefaultTimeout (30s).
	Timeout time.Duration
	// MaxBytes caps the decoded body, and the raw body as sent, in bytes.
	// A larger body is an error wrapping ErrTooLarge, never truncated.
	// Zero or negative means DefaultMaxBytes (10 MiB).
	MaxBytes int64
	// UserAgent is the User-Agent header; "" means DefaultUserAgent.
	UserAgent string
	// MaxRedirects is how many redirects Fetch follows before failing with
	// ErrRedirects. Zero means DefaultMaxRedirects (10); a negative value
	// refuses every redirect.
	MaxRedirects int
	// Client is the HTTP client to use; nil means a client on a shared
	// transport with sane dial, TLS and idle timeouts, HTTP/2, and the proxy
	// taken from the environment. Fetch works on a shallow copy: it replaces
	// CheckRedirect with its own policy and, when Jar is nil, gives each
	// fetch a fresh cookie jar so cookies set during a redirect chain are
	// sent on its later hops. Client.Timeout, if set, still applies.
	Client *http.Client
	// Logger receives debug events ("redirected", "fetched"); nil discards
	// them.
	Logger *slog.Logger
}

// Page is a fetched HTML page.
type Page struct {
	// URL is the final URL, after redirects.
	URL *url.URL
	// StatusCode is the HTTP status code, always 2xx.
	StatusCode int
	// ContentType is the Content-Type header as sent, including any charset
	// parameter, which the caller needs to decode Body. It is empty when the
	// server sent none and the body sniffed as HTML.
	ContentType string
	// Body is the decoded body (gzip, deflate and br undone), at most
	// MaxBytes long.
	Body []byte
}

// StatusError reports a response whose status code is not 2xx.
type StatusError struct {
	// URL is the URL that answered with the status, after any redirects.
	URL string
	// Code is the HTTP status code, such as 404.
	Code int
	// Status is the status line without the protocol, such as
	// "404 Not Found".
	Status string
	// RetryAfter is the delay the server asked for in a Retry-After header
	// (either delay-seconds or an HTTP date, measured from the response's
	// Date header), or zero when it sent none or an unparsable one.
	RetryAfter time.Duration
}

// Error returns a line such as "fetch https://x/y: 404 Not Found".
func (e *StatusError) Error() string {
	return "fetch " + e.URL + ": " + e.Status
}

// Fetch downloads the HTML page at rawURL and returns it with its body
// decoded.
//
// rawURL and every redirect target must be http or https (else ErrScheme);
// at most opts.MaxRedirects redirects are followed (else ErrRedirects). A
// non-2xx answer is a *StatusError. A response that is not HTML, by its
// Content-Type or by its first bytes, wraps ErrNotHTML. A body over
// opts.MaxBytes, raw or decoded, wraps ErrTooLarge; a body cut short by the
// server or the network is an error, never a truncated page. The whole fetch
// ends after opts.Timeout with an error wrapping context.DeadlineExceeded, and
// cancelling ctx ends it promptly with ctx's error.
//
// Every error is one lowercase line starting with "fetch <url>: ". Fetch is
// safe for concurrent use.
func Fetch(ctx context.Context, rawURL string, opts FetchOptions) (*Page, error) {
	opts = opts.withDefaults()
	u, err := parseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	f := &fetcher{
		parent: ctx,
		url:    u.Redacted(),
		opts:   opts,
	}
	// The page asked for may be on a private address (the user chose
	// it); a redirect may not lead to another one. So may the proxy.
	g := newAddrGuard(nil)
	g.allowURL(ctx, u)
	g.useEnvProxy(ctx)
	ctx = context.WithValue(ctx, guardKey{}, g)
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	f.ctx = ctx
	return f.fetch(u)
}

func (o FetchOptions) withDefaults() FetchOptions {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.MaxRedirects == 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// parseURL parses rawURL and checks that Fetch may request it.
func parseURL(rawURL string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, err
	}
	switch u.Scheme {
	case "http", "https":
	case "":
		return nil, fmt.Errorf("%w: missing scheme, want http or https", ErrScheme)
	default:
		return nil, fmt.Errorf("%w %q, want http or https", ErrScheme, u.Scheme)
	}
	if u.Host == "" {
		return nil, errors.New("missing host")
	}
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

// fetcher holds the state of one Fetch call.
type fetcher struct {
	parent context.Context // the caller's context
	ctx    context.Context // parent plus opts.Timeout
	url    string          // the requested URL, for messages
	opts   FetchOptions
	verb   string // how messages start: "fetch" (when empty) or "read"
	stored []byte // the body of a stored response (StoredPage), or nil
}

func (f *fetcher) fetch(u *url.URL) (*Page, error) {
	start := time.Now()
	req, err := http.NewRequestWithContext(f.ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, f.errorf("%w", err)
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	req.Header.Set("Accept", acceptHeader)
	req.Header.Set("Accept-Language", acceptLanguageHeader)
	req.Header.Set("Accept-Encoding", acceptEncodingHeader)

	resp, err := f.client().Do(req)
	if err != nil {
		return nil, f.fail(err)
	}
	defer resp.Body.Close()

	final := resp.Request.URL
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// Read a little so the connection can be reused; ignore errors.
		_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
		return nil, newStatusError(final, resp, time.Now())
	}
	page, err := f.page(final, resp)
	if err != nil {
		return nil, err
	}
	f.opts.Logger.Debug("fetched", "url", final.Redacted(), "status", resp.StatusCode,
		"elapsed", time.Since(start), "bytes", len(page.Body))
	return page, nil
}

// StoredPage turns an HTTP response stored earlier (in a web archive) into
// a Page as Fetch would have returned it live: the body, which holds the
// bytes as sent, is decoded by its Content-Encoding and checked against
// its Content-Type and its first bytes, with the limits of opts.MaxBytes.
// A status other than 2xx is a *StatusError (its message starts with
// "fetch"); a body that is not HTML
// wraps ErrNotHTML; one too large wraps ErrTooLarge. Errors start with
// "read <url>: ". A body without a Content-Encoding is not copied: the
// Page's Body is body. StoredPage is safe for concurrent use.
func StoredPage(u *url.URL, status int, header http.Header, body []byte, opts FetchOptions) (*Page, error) {
	opts = opts.withDefaults()
	f := &fetcher{
		parent: context.Background(),
		ctx:    context.Background(),
		url:    u.Redacted(),
		opts:   opts,
		verb:   "read",
		stored: body,
	}
	resp := &http.Response{
		Status:        strconv.Itoa(status) + " " + http.StatusText(status),
		StatusCode:    status,
		Header:        header,
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
	}
	if status < 200 || status > 299 {
		return nil, newStatusError(u, resp, time.Now())
	}
	return f.page(u, resp)
}

// page reads, decodes and checks the body of the 2xx response resp for
// the page at final.
func (f *fetcher) page(final *url.URL, resp *http.Response) (*Page, error) {
	contentType := resp.Header.Get("Content-Type")
	declared := mediaType(contentType)
	if !htmlType(declared) && !sniffedType(declared) {
		return nil, f.errorf("content type %s is %w", declared, ErrNotHTML)
	}
	if resp.ContentLength > f.opts.MaxBytes {
		return nil, f.errorf("%w: content length %d exceeds limit of %d bytes",
			ErrTooLarge, resp.ContentLength, f.opts.MaxBytes)
	}

	body, err := f.readBody(resp, declared)
	if err != nil {
		return nil, err
	}
	return &Page{
		URL:         final,
		StatusCode:  resp.StatusCode,
		ContentType: contentType,
		Body:        body,
	}, nil
}

// client returns the HTTP client for this fetch; see FetchOptions.Client.
func (f *fetcher) client() *http.Client {
	var c http.Client
	if f.opts.Client != nil {
		c = *f.opts.Client
	} else {
		c.Transport = sharedTransport()
	}
	c.CheckRedirect = f.checkRedirect
	if c.Jar == nil {
		// cookiejar.New never fails with nil options.
		jar, _ := cookiejar.New(nil)
		c.Jar = jar
	}
	return &c
}

// sharedTransport is the transport behind clients Fetch builds itself. It is
// shared so that repeated fetches reuse connections.
var sharedTransport = sync.OnceValue(func() *http.Transport {
	t := baseTransport(4)
	t.DisableCompression = true // Fetch decodes bodies itself
	plain := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	// Each Fetch carries its own address guard, which also picks the
	// proxy, in the request context.
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if g, ok := ctx.Value(guardKey{}).(*addrGuard); ok {
			return g.dialContext(plain)(ctx, network, addr)
		}
		return plain.DialContext(ctx, network, addr)
	}
	t.Proxy = func(req *http.Request) (*url.URL, error) {
		if g, ok := req.Context().Value(guardKey{}).(*addrGuard); ok {
			return g.proxyFor(req)
		}
		return http.ProxyFromEnvironment(req)
	}
	return t
})

// guardKey is the context key of a Fetch's address guard.
type guardKey struct{}

// baseTransport returns the transport settings newsx fetches with, for
// Fetch and for the crawler: sane dial, TLS, header and idle limits,
// HTTP/2, the proxy from the environment (which both replace with their
// address guard's choice), at most perHost idle connections per host.
func baseTransport(perHost int) *http.Transport {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    10 * time.Second,
		ExpectContinueTimeout:  1 * time.Second,
		IdleConnTimeout:        90 * time.Second,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    perHost,
		MaxResponseHeaderBytes: 1 << 20,
		// Bodies are read whole, in ever larger pieces from 512 bytes
		// (io.ReadAll): with the default 4 KB buffer a 33 KB page took
		// 7-8 read calls.
		ReadBufferSize: 64 << 10,
	}
}

// redirectError carries a CheckRedirect refusal through http.Client, which
// wraps it in a *url.Error naming the redirect target.
type redirectError struct{ err error }

func (e *redirectError) Error() string { return e.err.Error() }
func (e *redirectError) Unwrap() error { return e.err }

// checkRedirect is the http.Client.CheckRedirect policy: http(s) only, at
// most opts.MaxRedirects hops. via holds the requests already made, so
// len(via) is the number of this redirect.
func (f *fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if s := req.URL.Scheme; s != "http" && s != "https" {
		return &redirectError{fmt.Errorf("redirect to %s: %w %q", shorten(req.URL.Redacted()), ErrScheme, s)}
	}
	if f.opts.MaxRedirects < 0 {
		return &redirectError{fmt.Errorf("%w: redirects are disabled, got one to %s",
			ErrRedirects, shorten(req.URL.Redacted()))}
	}
	if len(via) > f.opts.MaxRedirects {
		return &redirectError{fmt.Errorf("%w: stopped after %d, %s",
			ErrRedirects, f.opts.MaxRedirects, describeChain(via, req.URL))}
	}
	f.opts.Logger.Debug("redirected", "url", req.URL.Redacted(), "status", req.Response.StatusCode)
	return nil
}

// describeChain names the loop in a redirect chain, or its last hop when no
// URL repeats.
func describeChain(via []*http.Request, next *url.URL) string {
	chain := make([]string, 0, len(via)+1)
	for _, r := range via {
		chain = append(chain, r.URL.Redacted())
	}
	chain = append(chain, next.Redacted())
	seen := make(map[string]int, len(chain))
	for i, s := range chain {
		if j, ok := seen[s]; ok {
			loop := chain[j : i+1]
			if len(loop) > 5 {
				return fmt.Sprintf("looping through %d URLs from %s", len(loop)-1, shorten(loop[0]))
			}
			for k := range loop {
				loop[k] = shorten(loop[k])
			}
			return "looping " + strings.Join(loop, " -> ")
		}
		seen[s] = i
	}
	return "last redirect to " + shorten(chain[len(chain)-1])
}

// shorten truncates long URLs (data: URLs, tracking junk) for messages.
func shorten(s string) string {
	const max = 200
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}

// errorf formats an error starting with "fetch <url>: ".
func (f *fetcher) errorf(format string, args ...any) error {
	verb := f.verb
	if verb == "" {
		verb = "fetch"
	}
	return fmt.Errorf("%s %s: "+format, append([]any{verb, f.url}, args...)...)
}

// fail turns an error from the client or the body into Fetch's error,
// reporting timeouts and cancellation plainly.
func (f *fetcher) fail(err error) error {
	if err := f.parent.Err(); err != nil {
		return f.errorf("%w", err)
	}
	if errors.Is(f.ctx.Err(), context.DeadlineExceeded) {
		return f.errorf("timed out after %s: %w", f.opts.Timeout, context.DeadlineExceeded)
	}
	var re *redirectError
	if errors.As(err, &re) {
		return f.errorf("%w", re.err)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return f.errorf("%w", err)
}

func newStatusError(u *url.URL, resp *http.Response, now time.Time) *StatusError {
	status := strings.TrimSpace(resp.Status)
	if status == "" || status == strconv.Itoa(resp.StatusCode) {
		status = strings.TrimSpace(fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode)))
	}
	return &StatusError{
		URL:        u.Redacted(),
		Code:       resp.StatusCode,
		Status:     status,
		RetryAfter: retryAfter(resp.Header, now),
	}
}

// retryAfter parses a Retry-After header: delay-seconds, or an HTTP date
// taken relative to the Date header (or now, when Date is missing).
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(math.MaxInt64/time.Second) {
			return time.Duration(math.MaxInt64)
		}
		return time.Duration(secs) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		now = date
	}
	return max(t.Sub(now), 0)
}

// mediaType returns the lowercased media type of a Content-Type header,
// without parameters; "" when the header is empty.
func mediaType(contentType string) string {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// htmlType reports whether a declared media type is HTML.
func htmlType(mt string) bool {
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// sniffedType reports whether a declared media type is vague enough that
// the body decides: accepted only when its first bytes look like HTML.
func sniffedType(mt string) bool {
	switch mt {
	case "", "application/octet-stream", "binary/octet-stream", "text/plain":
		return true
	}
	return false
}

// readBody reads, decodes and checks the body of a 2xx response.
func (f *fetcher) readBody(resp *http.Response, declared string) ([]byte, error) {
	raw := &capReader{r: resp.Body, left: f.opts.MaxBytes}
	// bodyErr reports a failure while reading, preferring the root cause.
	bodyErr := func(what string, err error) error {
		switch {
		case f.parent.Err() != nil || f.ctx.Err() != nil:
			return f.fail(err)
		case raw.exceeded:
			return f.errorf("%w: body exceeds limit of %d bytes", ErrTooLarge, f.opts.MaxBytes)
		}
		return f.errorf("%s: %w", what, err)
	}

	dec, err := decoder(raw, resp.Header.Values("Content-Encoding"))
	if err != nil {
		return nil, bodyErr("decode body", err)
	}
	if f.stored != nil && dec == io.Reader(raw) {
		// A stored body without a Content-Encoding is the page as it
		// is: checked, not copied. (page has compared its length with
		// MaxBytes.)
		if err := f.checkHead(f.stored[:min(len(f.stored), sniffLen)], declared); err != nil {
			return nil, err
		}
		return f.stored, nil
	}
	hint := 0
	if resp.ContentLength > 0 && dec == io.Reader(raw) {
		hint = int(resp.ContentLength)
	}
	body, err := readCapped(dec, f.opts.MaxBytes, hint, func(head []byte) error {
		return f.checkHead(head, declared)
	})
	switch {
	case errors.Is(err, errHead):
		return nil, errors.Unwrap(err)
	case err != nil:
		return nil, bodyErr("read body", err)
	case int64(len(body)) > f.opts.MaxBytes:
		return nil, f.errorf("%w: decoded body exceeds limit of %d bytes", ErrTooLarge, f.opts.MaxBytes)
	}
	// The decoders stop at the end of their stream; read what is left of
	// the raw body so that a body shorter than its Content-Length, or a
	// connection reset, still fails.
	if _, err := io.Copy(io.Discard, raw); err != nil {
		return nil, bodyErr("read body", err)
	}
	return body, nil
}

// bodyIsHTML decides from head, a body's first decoded bytes, and its
// declared media type whether the body is HTML: a body declared HTML is,
// unless its bytes are binary; an undeclared or other one is when it
// looks like HTML. binary names the binary format head starts with, or "".
func bodyIsHTML(head []byte, declared string) (binary string, ok bool) {
	binary = binaryKind(head)
	if htmlType(declared) {
		return binary, binary == ""
	}
	return binary, looksHTML(head)
}

// checkHead decides from the first decoded bytes whether the body is HTML.
func (f *fetcher) checkHead(head []byte, declared string) error {
	kind, ok := bodyIsHTML(head, declared)
	if ok {
		return nil
	}
	if htmlType(declared) {
		return f.errorf("content type %s but body is %s, %w", declared, kind, ErrNotHTML)
	}
	if declared == "" {
		return f.errorf("no content type and body is %w", ErrNotHTML)
	}
	return f.errorf("content type %s is %w (body does not look like HTML)", declared, ErrNotHTML)
}

// binaryKind returns the media type of a known non-text format that head
// starts with (PDF, images, archives, compressed data, media, fonts), or ""
// when head may be text.
func binaryKind(head []byte) string {
	if bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}) {
		return "application/zstd"
	}
	mt := mediaType(http.DetectContentType(head))
	if strings.HasPrefix(mt, "text/") || mt == "application/octet-stream" {
		return ""
	}
	return mt
}

// looksHTML reports whether head, the first bytes of an untyped body, is
// HTML: http.DetectContentType says so, or it starts with a doctype or an
// html tag after an optional BOM, whitespace and XML declaration.
func looksHTML(head []byte) bool {
	if mediaType(http.DetectContentType(head)) == "text/html" {
		return true
	}
	b := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	b = bytes.TrimLeft(b, " \t\r\n\f")
	if hasPrefixFold(b, "<?xml") {
		if i := bytes.Index(b, []byte("?>")); i >= 0 {
			b = bytes.TrimLeft(b[i+2:], " \t\r\n\f")
		}
	}
	return hasTagPrefix(b, "<!doctype html") || hasTagPrefix(b, "<html")
}

// hasTagPrefix reports whether b starts with prefix, ignoring ASCII case,
// followed by the end of a tag name (whitespace, '>' or the end of b).
func hasTagPrefix(b []byte, prefix string) bool {
	if !hasPrefixFold(b, prefix) {
		return false
	}
	if len(b) == len(prefix) {
		return true
	}
	switch b[len(prefix)] {
	case ' ', '\t', '\r', '\n', '\f', '>':
		return true
	}
	return false
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && bytes.EqualFold(b[:len(prefix)], []byte(prefix))
}

// capReader reads at most left bytes from r; reading more fails with
// errRawTooLarge and sets exceeded, whatever the caller (a decompressor)
// does with the error.
type capReader struct {
	r        io.Reader
	left     int64
	exceeded bool
}

var errRawTooLarge = errors.New("raw body over limit")

func (c *capReader) Read(p []byte) (int, error) {
	if c.exceeded {
		return 0, errRawTooLarge
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	if int64(n) > c.left {
		c.exceeded = true
		n = int(c.left)
		c.left = 0
		return n, errRawTooLarge
	}
	c.left -= int64(n)
	return n, err
}

// decoder stacks decompressors for the Content-Encoding values, undoing the
// last-applied coding first.
func decoder(r io.Reader, headers []string) (io.Reader, error) {
	var codings []string
	for _, h := range headers {
		for c := range strings.SplitSeq(h, ",") {
			c = strings.ToLower(strings.TrimSpace(c))
			if c != "" && c != "identity" {
				codings = append(codings, c)
			}
		}
	}
	if len(codings) > maxEncodings {
		return nil, fmt.Errorf("%d stacked content encodings, at most %d supported", len(codings), maxEncodings)
	}
	for _, c := range slices.Backward(codings) {
		var err error
		if r, err = decodeOne(r, c); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func decodeOne(r io.Reader, coding string) (io.Reader, error) {
	switch coding {
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(r)
		if errors.Is(err, io.EOF) {
			return bytes.NewReader(nil), nil // empty body
		}
		if err != nil {
			return nil, err // "gzip: invalid header"
		}
		return zr, nil
	case "deflate":
		return newDeflateReader(r)
	case "br":
		return brotli.NewReader(r), nil
	}
	return nil, fmt.Errorf("unsupported content encoding %q", coding)
}

// newDeflateReader decodes HTTP "deflate", which should be zlib-wrapped
// (RFC 9110) but is raw DEFLATE from some servers: the two are told apart by
// the zlib header check bits.
func newDeflateReader(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	hdr, err := br.Peek(2)
	if len(hdr) == 0 && errors.Is(err, io.EOF) {
		return bytes.NewReader(nil), nil // empty body
	}
	if len(hdr) == 2 && isZlibHeader(hdr[0], hdr[1]) {
		zr, err := zlib.NewReader(br)
		if err != nil {
			return nil, err // "zlib: ..."
		}
		return zr, nil
	}
	return flate.NewReader(br), nil
}

// isZlibHeader reports whether cmf, flg start a zlib stream (RFC 1950):
// method 8 (deflate), window at most 32 KiB, header checksum valid.
func isZlibHeader(cmf, flg byte) bool {
	return cmf&0x0f == 8 && cmf>>4 <= 7 && (uint16(cmf)<<8|uint16(flg))%31 == 0
}

// errHead marks an error returned by readCapped's check callback.
var errHead = errors.New("head check")

type headError struct{ err error }

func (e *headError) Error() string        { return e.err.Error() }
func (e *headError) Is(target error) bool { return target == errHead }
func (e *headError) Unwrap() error        { return e.err }

// readCapped reads r to EOF but never more than limit+1 bytes, so a result
// longer than limit means the body was too large. check is called once with
// the first sniffLen bytes (or the whole body, when shorter) before the rest
// is read; its error is returned wrapped so that errors.Is(err, errHead).
// hint, when positive, is the expected size. Read errors other than io.EOF
// are returned as they are: a truncated body is never a result.
func readCapped(r io.Reader, limit int64, hint int, check func(head []byte) error) ([]byte, error) {
	want := limit + 1
	size := int64(32 << 10)
	if hint > 0 {
		size = int64(hint) + 1 // +1 to see EOF without growing
	}
	size = max(min(size, want), min(sniffLen, want))
	buf := make([]byte, 0, size)
	headLen := int(min(sniffLen, want))
	checked := false
	for int64(len(buf)) < want {
		if !checked && len(buf) >= headLen {
			checked = true
			if err := check(buf); err != nil {
				return nil, &headError{err}
			}
		}
		if len(buf) == cap(buf) {
			grow := min(int64(cap(buf)), want-int64(len(buf)))
			buf = slices.Grow(buf, int(grow))
		}
		end := int(min(int64(cap(buf)), want))
		n, err := r.Read(buf[len(buf):end])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if !checked {
		if err := check(buf); err != nil {
			return nil, &headError{err}
		}
	}
	return buf, nil
}
