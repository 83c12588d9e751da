package crawl

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// IsURL reports whether an input names an http or https URL rather than a
// file.
func IsURL(input string) bool {
	return hasPrefixFoldASCII(input, "http://") || hasPrefixFoldASCII(input, "https://")
}

// hasPrefixFoldASCII reports whether s begins with prefix (lower-case
// ASCII), ignoring ASCII case.
func hasPrefixFoldASCII(s, prefix string) bool {
	return len(s) >= len(prefix) && indexFoldASCII(s[:len(prefix)], prefix) == 0
}

// Load reads one page for extraction: an http(s) URL is fetched with Fetch,
// "-" reads stdin, anything else is a local file (gunzipped when its name
// ends in .gz). Files and stdin are
// capped at opts.MaxBytes like fetched bodies, and a larger input is an
// error wrapping ErrTooLarge; their Page has a nil URL and no ContentType.
// Load never closes stdin.
func Load(ctx context.Context, input string, stdin io.Reader, opts FetchOptions) (*Page, error) {
	if IsURL(input) {
		return Fetch(ctx, input, opts)
	}
	opts = opts.withDefaults()
	if input == "-" {
		b, err := readAllCapped(stdin, opts.MaxBytes)
		if err != nil {
			return nil, fmt.Errorf("read stdin: %w", err)
		}
		return &Page{Body: b}, nil
	}
	f, err := os.Open(input)
	if err != nil {
		return nil, fmt.Errorf("read %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("read %s: is a directory", input)
	}
	b, err := readAllCapped(f, opts.MaxBytes)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", input, err)
	}
	if strings.HasSuffix(strings.ToLower(input), ".gz") {
		// A saved page.html.gz; the cap applies to the decompressed page.
		if b, err = gunzip(b, opts.MaxBytes); err != nil {
			return nil, fmt.Errorf("read %s: gunzip: %w", input, err)
		}
	}
	return &Page{Body: b}, nil
}

// readAllCapped reads r to the end, failing with ErrTooLarge past max bytes.
func readAllCapped(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w: more than %d bytes (raise --max-bytes to read it)", ErrTooLarge, max)
	}
	return b, nil
}

// Open requests rawURL as Fetch does, with the same checks of scheme,
// redirects and addresses, and returns the body as a stream for a large
// download such as a web archive: the body is neither capped nor checked
// for HTML, and opts.Timeout does not apply (cancel ctx to stop). A
// Content-Encoding the server applied is undone. The caller closes the
// body.
func Open(ctx context.Context, rawURL string, opts FetchOptions) (io.ReadCloser, error) {
	opts = opts.withDefaults()
	u, err := parseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	f := &fetcher{parent: ctx, url: u.Redacted(), opts: opts}
	g := newAddrGuard(nil)
	g.allowURL(ctx, u)
	g.useEnvProxy(ctx)
	ctx = context.WithValue(ctx, guardKey{}, g)
	f.ctx = ctx
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, f.errorf("%w", err)
	}
	req.Header.Set("User-Agent", opts.UserAgent)
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := f.client().Do(req)
	if err != nil {
		return nil, f.fail(err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		resp.Body.Close()
		return nil, newStatusError(resp.Request.URL, resp, time.Now())
	}
	dec, err := decoder(resp.Body, resp.Header.Values("Content-Encoding"))
	if err != nil {
		resp.Body.Close()
		return nil, f.errorf("decode body: %w", err)
	}
	return struct {
		io.Reader
		io.Closer
	}{dec, resp.Body}, nil
}
