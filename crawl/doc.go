// Package crawl owns everything newsx does on the network: fetching pages
// over HTTP(S), following redirects, decoding content encodings, and
// enforcing the limits (time, body size, redirect count, content type) that
// keep a hostile or broken server from hurting the caller.
//
// Fetch retrieves a single HTML page for `newsx extract URL`. It only accepts
// http and https URLs, sends an honest User-Agent (DefaultUserAgent), decodes
// gzip, deflate and brotli bodies itself, caps both the raw and the decoded
// body size, and refuses anything that is not HTML. Failures are reported as
// one lowercase line naming the URL, and wrap the sentinels ErrTooLarge,
// ErrNotHTML, ErrScheme and ErrRedirects or a *StatusError, so callers can
// decide with errors.Is and errors.As.
//
// The package never parses articles (that is package extract) and never
// writes output (that is package output). It reads no environment variables
// except the standard HTTP_PROXY, HTTPS_PROXY and NO_PROXY, and keeps no
// global state besides a shared, lazily built HTTP transport.
package crawl
