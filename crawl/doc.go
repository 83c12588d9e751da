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
// Polite wraps Fetch for a list of URLs (`newsx extract -i`) with Run's
// politeness per host: a limit of requests at once, a delay, robots.txt
// and its Crawl-delay (ErrDisallowed).
//
// Run crawls news sites for `newsx crawl`: from seeds that may be home
// pages, sections, RSS or Atom feeds or (gzipped, Google News) sitemaps,
// told apart by content, it follows links within the seeds' registrable
// domains up to a depth, reads feeds announced by pages and sitemaps named
// by robots.txt, and hands each article to a callback as soon as it is
// extracted. Fetching goes through colly, one LimitRule per host; robots.txt
// (Disallow, Crawl-delay, Sitemap) is read by Run itself, also before a
// redirect into another host, and a robots.txt that keeps failing with 5xx,
// or asks for a Crawl-delay over Config.MaxCrawlDelay, closes its host for
// the run. Neither Fetch nor Run connects to, or hands a proxy, an address
// off the public internet that no seed is on (ErrPrivateAddress). Run keeps
// cookies per host, bounded in count and size. Requests that
// fail with 429, 5xx, a timeout or a reset are retried with exponential
// backoff and jitter, honouring Retry-After. URLs are normalised (see
// Normalize) before the visited check and records deduplicated by
// canonical URL (see EmittedKey). The frontier, visited set and emitted set
// live in a Store: NewMemoryStore for one run, OpenState for a crawl that
// can be stopped, even with kill -9, and resumed, OpenRedis for a crawl
// shared by many processes on many machines. Every store hands out
// entries with a lease (Store.Claim), so one code path serves them all;
// a shared store also limits requests per host for the whole fleet
// (HostGate). Every store also keeps the crawl's sources (SourceSet), so
// that a crawl run again (Config.Recrawl) or watching (Config.Watch)
// visits them again with conditional requests and fetches only the
// links it never saw.
//
// The package never parses articles itself (Run hands pages to package
// extract) and never writes output (that is package output). It reads no
// environment variables except the standard HTTP_PROXY, HTTPS_PROXY and
// NO_PROXY, and keeps no global state besides a shared, lazily built HTTP
// transport and go-redis's logger, which OpenRedis points at its own
// Logger, at debug level, the first time it is called. (colly reads
// COLLY_* variables when a collector is built; Run sets every option it
// relies on afterwards, so they change nothing.)
package crawl
