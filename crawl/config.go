package crawl

import (
	"context"
	"github.com/newsx/newsx/archive"
	"log/slog"
	"net/netip"
	"regexp"
	"time"
)

// Defaults for the zero fields of Config.
const (
	DefaultDepth        = 2
	DefaultPerHost      = 2
	DefaultDelay        = 500 * time.Millisecond
	DefaultConcurrency  = 8
	DefaultRetries      = 3
	DefaultRetryBackoff = time.Second
	DefaultLease        = time.Minute
	// DefaultMaxCrawlDelay is the longest robots.txt Crawl-delay obeyed.
	DefaultMaxCrawlDelay = time.Minute
	// MinLease is the shortest lease: leases are renewed every third of
	// their length and stored in milliseconds.
	MinLease = time.Second
	// maxRetryWait caps one wait before a retry, Retry-After included; a
	// server asking for longer gets its URL recorded as failed.
	maxRetryWait = 2 * time.Minute
)

// Config configures Run. The zero value means the defaults: links two hops
// from the seeds within the seeds' registrable domains, robots.txt obeyed,
// 2 requests at a time per host 500ms apart, 8 in all, 3 retries.
type Config struct {
	// Domains are followed in addition to the registrable domain of each
	// seed (example.com also covers www.example.com and news.example.com).
	Domains []string
	// Depth is how many link hops from a seed are followed. Entries of a
	// feed or sitemap are one hop from it. Zero means DefaultDepth; a
	// negative value fetches the seeds (and their feed or sitemap entries)
	// only.
	Depth int
	// EmitAll emits a record for every HTML page, not only articles.
	EmitAll bool
	// PerHost is how many requests may run at once per host; zero means
	// DefaultPerHost. A robots.txt Crawl-delay lowers it to one.
	PerHost int
	// Delay is the pause after each request to a host, in the request's
	// slot; zero means DefaultDelay, negative means none. A longer
	// robots.txt Crawl-delay wins.
	Delay time.Duration
	// Concurrency caps the requests in flight over all hosts; zero means
	// DefaultConcurrency.
	Concurrency int
	// IgnoreRobots skips robots.txt. The zero value obeys it.
	IgnoreRobots bool
	// MaxCrawlDelay is the longest robots.txt Crawl-delay obeyed: a host
	// asking for more is not crawled in this run, with a warning naming
	// it and its delay. Zero means DefaultMaxCrawlDelay (a minute);
	// negative means no limit.
	MaxCrawlDelay time.Duration
	// Timeout bounds one request, body included; zero means DefaultTimeout.
	Timeout time.Duration
	// Retries is how often a URL is retried after a 429, a 431 (without
	// the host's cookies), a 5xx, a timeout or a reset connection; zero
	// means DefaultRetries, negative none.
	Retries int
	// RetryBackoff is the first retry's wait, doubled for each further
	// retry, with jitter; a longer Retry-After wins. Zero means
	// DefaultRetryBackoff.
	RetryBackoff time.Duration
	// MaxBytes caps a body; a larger one is recorded as failed, never
	// truncated. Zero means DefaultMaxBytes.
	MaxBytes int64
	// WARC, when set, receives every response the crawl gets (pages,
	// feeds, sitemaps, robots.txt, error statuses) with its request, the
	// body as received. Run does not close it.
	WARC *archive.Writer
	// UserAgent is sent with every request and matched against robots.txt
	// by its product token; "" means DefaultUserAgent.
	UserAgent string
	// MaxPages stops the crawl after this many fetches (pages, feeds and
	// sitemaps); zero means no limit.
	MaxPages int
	// MaxArticles stops the crawl after this many articles are emitted;
	// zero means no limit.
	MaxArticles int
	// MaxDuration stops the crawl after this long; zero means no limit.
	// In-flight pages still finish.
	MaxDuration time.Duration
	// Since skips feed and sitemap entries dated before it, without
	// fetching them, and drops articles published before it; articles
	// without a date are kept (Stats.Undated counts them). The zero time
	// skips nothing.
	Since time.Time
	// Include, when set, limits the crawl to URLs that match one of its
	// patterns; Exclude drops URLs that match one of its. Both are
	// matched against normalized URLs before fetching. Seeds, sitemaps
	// from robots.txt or an index, and feeds a page names always pass.
	Include, Exclude []*regexp.Regexp
	// Discover chooses the sources read for pages; zero means
	// DiscoverAll. Seeds are always read.
	Discover Discover
	// Recrawl makes Run visit again, when it starts, the sources the
	// Store recorded in earlier runs (seeds, feeds, sitemaps and pages
	// that were not articles) with conditional requests, and fetch the
	// links on them not seen before; pages fetched before are not fetched
	// again. It needs a Store that is a SourceSet, as all here are.
	Recrawl bool
	// Watch, when positive, keeps Run going until ctx is done or
	// MaxDuration passes: Watch (plus up to a tenth of it at random)
	// after the frontier last ran dry, or after the last round began if
	// it never did, the sources not visited within Watch are visited
	// again as with Recrawl, and the new pages found are fetched. Over
	// the processes
	// sharing a store, a source is visited at most once per Watch; one
	// that failed waits twice as long per failure in a row.
	Watch time.Duration
	// Recheck, when positive, also visits again, with the sources, the
	// articles published within Recheck before they were fetched, until
	// Recheck after their publication: an article whose headline or body
	// changed is written again, its Modified set (to the time the change
	// was seen when the page states none). It needs Recrawl or Watch.
	Recheck time.Duration
	// Store keeps the frontier, visited and emitted sets; nil means a
	// fresh NewMemoryStore. Run does not close it.
	Store Store
	// Lease is how long an entry claimed from the Store stays this
	// process's without a renewal; Run renews its leases every third of
	// it. When the process dies, its entries return to the frontier after
	// at most this long. Zero means DefaultLease.
	Lease time.Duration
	// Logger receives events (debug: "fetched", "skipped", "failed";
	// info: the summary; warn: hosts given up); nil discards them.
	Logger *slog.Logger
	// OnFailure is called for every URL that failed for good. Run never
	// calls it concurrently, nor concurrently with emit.
	OnFailure func(Failure)
	// OnProgress is called with the running totals after each fetch and
	// once at the end, from the same goroutine as emit.
	OnProgress func(Stats)
	// Abort, once closed after Run's ctx is done, cuts the requests in
	// flight short instead of letting them finish (a second Ctrl-C):
	// they stay queued for the next run. nil means never.
	Abort <-chan struct{}

	// lookup replaces the system resolver for the address guard, in
	// tests; nil means the system resolver.
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)
}

func (c Config) withDefaults() Config {
	if c.Depth == 0 {
		c.Depth = DefaultDepth
	}
	if c.Depth < 0 {
		c.Depth = 0
	}
	if c.PerHost <= 0 {
		c.PerHost = DefaultPerHost
	}
	if c.Delay == 0 {
		c.Delay = DefaultDelay
	}
	if c.Delay < 0 {
		c.Delay = 0
	}
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Retries == 0 {
		c.Retries = DefaultRetries
	}
	if c.Retries < 0 {
		c.Retries = 0
	}
	if c.RetryBackoff <= 0 {
		c.RetryBackoff = DefaultRetryBackoff
	}
	if c.Lease <= 0 {
		c.Lease = DefaultLease
	}
	if c.MaxCrawlDelay == 0 {
		c.MaxCrawlDelay = DefaultMaxCrawlDelay
	}
	c.Lease = max(c.Lease, MinLease)
	if c.MaxBytes <= 0 {
		c.MaxBytes = DefaultMaxBytes
	}
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Failure is a URL that failed for good, one line of `newsx crawl
// --errors FILE`.
type Failure struct {
	// URL is the URL as requested.
	URL string `json:"url"`
	// Stage is where it failed: "robots", "fetch", "extract" or "parse"
	// (a feed or sitemap that does not parse).
	Stage string `json:"stage"`
	// Error is the error message.
	Error string `json:"error"`
	// Status is the HTTP status code, or 0 when there was no response.
	Status int `json:"status"`
	// Cause is a short class of the error for summaries: "status 404",
	// "timeout", "too large", "not html", "redirects", "dns", "tls",
	// "connection", "parse", "robots", "private address", "other".
	Cause string `json:"-"`
}

// Stats are a crawl's running totals.
type Stats struct {
	// Fetched counts responses received: pages, feeds and sitemaps,
	// failures with a status included.
	Fetched int
	// OK counts the pages, feeds and sitemaps fetched and read without a
	// failure.
	OK int
	// Articles counts article records emitted; Emitted counts all records
	// (with EmitAll, index pages too).
	Articles, Emitted int
	// Skipped counts URLs and pages passed over: index pages not emitted,
	// duplicate articles, robots.txt disallowed, crawler traps, entries
	// older than Since.
	Skipped int
	// Failed counts URLs that failed for good; Causes splits them by
	// Failure.Cause.
	Failed int
	Causes map[string]int
	// Retries counts retried requests.
	Retries int
	// Unchanged counts sources visited again that answered 304 Not
	// Modified (counted in Fetched and OK too), and articles checked
	// again (Recheck) whose headline and body had not changed.
	Unchanged int
	// Updated counts articles written again because their headline or
	// body changed (Recheck); they count in Emitted too.
	Updated int
	// Undated counts articles emitted without a publication date while
	// Since is set.
	Undated int
	// Queued is the frontier's size: the URLs waiting in the store, in
	// this process's buffer and for a retry.
	Queued int
	// Elapsed is the time since Run started.
	Elapsed time.Duration
}
