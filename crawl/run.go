package crawl

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/newsx/newsx/extract"
)

// errDisallowed marks a redirect into a path robots.txt disallows.
var errDisallowed = errors.New("disallowed by robots.txt")

// maxSitemapNesting is how many sitemap indexes deep Run follows: an
// index may list indexes, down to this many below the first. Search
// engines read one level (an index lists sitemaps); an index listing
// indexes forever must not keep a crawl busy.
const maxSitemapNesting = 3

// bufferSize is how many frontier entries Run holds in memory at once
// from a store of its own; from a shared store (one that is a HostGate)
// it claims sharedBuffer entries per request slot, leaving the rest to
// the other processes.
const (
	bufferSize   = 1024
	sharedBuffer = 4
)

// Polling an empty frontier while other processes hold leases, and a
// host whose shared slots are all taken: the first wait, doubled up to
// the last.
const (
	pollMin = 50 * time.Millisecond
	pollMax = time.Second
	gateMin = 10 * time.Millisecond
	gateMax = 500 * time.Millisecond
)

// EmittedKey is the identity of a record for deduplication: the
// normalized canonical URL, else the normalized page URL.
func EmittedKey(a *extract.Article) string {
	if k := Normalize(a.CanonicalURL); k != "" {
		return k
	}
	return Normalize(a.URL)
}

// Run crawls from seeds and calls emit with each article found, as soon as
// it is extracted.
//
// Seeds may be home pages, section pages, RSS or Atom feeds, sitemaps or
// sitemap indexes (plain or gzipped); Run tells them apart by content.
// Run fetches through colly with its own robots.txt handling, per-host
// politeness and retries (see Config), and deduplicates by normalized URL
// before fetching and by canonical URL before emitting. With a persistent
// cfg.Store, a crawl that was stopped resumes where it left off; with a
// shared one (OpenRedis), every process running Run on it is one crawler.
//
// Run takes entries from the store with a lease (cfg.Lease), renews the
// leases it holds, acknowledges each entry when its outcome is committed
// and releases the rest when it stops. It returns when the frontier is
// empty and no lease is live: with other processes on the store, it waits
// for their leases to end, since they may add links or expire. A record
// is written after its emitted key was claimed (Store.ClaimEmitted) and
// before its entry is acknowledged.
//
// Run never calls emit concurrently. If emit returns an error, the crawl
// stops and Run returns that error. When ctx is cancelled, Run starts no
// new request, lets the requests in flight finish (for at most
// cfg.Timeout, or until cfg.Abort is closed), emits their articles, and
// returns an error wrapping ctx.Err(). Pages that failed are reported through cfg.OnFailure and
// counted in the final Stats, not returned as errors.
func Run(ctx context.Context, cfg Config, seeds []string, emit func(*extract.Article) error) error {
	r := newRunner(cfg, emit)
	if r.store == nil {
		r.store = NewMemoryStore()
		defer r.store.Close()
	}
	if g, ok := r.store.(HostGate); ok {
		r.gate = g
	}
	r.sources, _ = r.store.(SourceSet)
	var entries []Entry
	var hosts []string
	for _, s := range seeds {
		u := cleanURL(nil, s)
		if u == nil {
			return fmt.Errorf("seed %q: not an http or https URL", s)
		}
		hosts = append(hosts, net.JoinHostPort(u.Hostname(), strconv.Itoa(int(defaultPort(u)))))
		entries = append(entries, Entry{URL: u.String(), Key: key(u), Depth: 0})
	}
	// The seeds' hosts first, so that no process sees a seed out of scope.
	if err := r.store.AddScope(hosts...); err != nil {
		return fmt.Errorf("crawl state: %w", err)
	}
	// Sources before seeds: a seed new to the crawl does not make it
	// look busy (SourceSet.Revisit).
	if cfg.Recrawl || cfg.Watch > 0 {
		if err := r.revisit(max(cfg.Watch, 0)); err != nil {
			return err
		}
	}
	if _, err := r.store.Add(entries); err != nil {
		return fmt.Errorf("crawl state: %w", err)
	}
	return r.run(ctx)
}

// newRunner returns a runner for cfg, its defaults filled in, with the
// crawl's domains in scope. Its store is cfg.Store, nil when none is set.
func newRunner(cfg Config, emit func(*extract.Article) error) *runner {
	cfg = cfg.withDefaults()
	r := &runner{
		cfg:      cfg,
		emit:     emit,
		store:    cfg.Store,
		scope:    scope{},
		hosts:    map[string]*hostState{},
		calendar: map[string]int{},
		targets:  newTargetCache(),
		attempts: map[uint64]int{},
		leased:   map[uint64]Entry{},
		revisits: map[uint64]Source{},
		slots:    map[uint64]string{},
		inScope:  map[string]bool{},
		results:  make(chan *result, cfg.Concurrency+4),
		parsing:  make(chan struct{}, runtime.GOMAXPROCS(0)),
		robotsCh: make(chan robotsResult, 4),
		loads:    map[string]*robotsLoad{},
		start:    time.Now(),
		stats:    Stats{Causes: map[string]int{}},
	}
	for _, d := range cfg.Domains {
		r.scope.add(d)
	}
	r.filter = urlFilter{include: cfg.Include, exclude: cfg.Exclude}
	return r
}

// hostState is the scheduler's view of one origin (scheme://host:port).
type hostState struct {
	origin   string
	robots   *robots // nil until fetched
	fetching bool    // robots.txt being fetched
	inflight int
	next     time.Time // no request starts before (Crawl-delay)
	queue    []Entry
	limited  bool // colly LimitRule installed
	// gateNext is when to ask the shared HostGate again after it had no
	// free slot; robotsSlot is the gate slot of the robots.txt fetch.
	gateNext   time.Time
	gateWait   time.Duration
	robotsSlot string
}

// result is one finished request, handed from a colly goroutine to Run's.
type result struct {
	entry   Entry
	attempt int
	final   *url.URL
	status  int
	err     error // fetch error
	kind    contentKind
	article *extract.Article
	artErr  error
	links   []link
	parse   error // feed or sitemap parse error
	// etag and lastModified are the response's validators.
	etag, lastModified string
	// until and hash make an article one checked for changes (Source).
	until int64
	hash  string
}

type robotsResult struct {
	host   *hostState
	robots *robots
	status int
	err    error
}

type retryItem struct {
	at      time.Time
	entry   Entry
	attempt int
}

type runner struct {
	cfg   Config
	emit  func(*extract.Article) error
	store Store
	scope scope
	// filter is --include and --exclude.
	filter urlFilter

	c        *colly.Collector
	client   *http.Client    // for robots.txt
	ctx      context.Context // the caller's: no request starts once it is done
	fetchCtx context.Context // for requests: outlives ctx by a grace period
	// cancelFetch ends the requests in flight.
	cancelFetch context.CancelFunc
	hosts       map[string]*hostState
	order       []*hostState // round-robin dispatch order
	rr          int
	robotsMu    sync.RWMutex // guards hostState.robots for the redirect check
	loadsMu     sync.Mutex
	loads       map[string]*robotsLoad // robots.txt loads by origin, see loadRobots
	calendar    map[string]int
	targets     *targetCache  // what admit made of links seen before
	parsing     chan struct{} // a token per response being parsed or extracted
	attempts    map[uint64]int
	retries     []retryItem
	results     chan *result
	robotsCh    chan robotsResult
	inflight    int
	robotsN     int // robots.txt fetches in flight
	buffered    int
	exhausted   bool      // the store had no entries to claim at last look
	claimAt     time.Time // when exhausted, when to try to claim again
	poll        time.Duration
	leased      map[uint64]Entry  // claimed, not yet done
	slots       map[uint64]string // HostGate slot of each request in flight
	gate        HostGate          // the store's, when it is shared
	sources     SourceSet         // the store's, when it keeps sources
	revisits    map[uint64]Source // sources visited again, by Seq in flight
	dispatched  int

	guard   *addrGuard
	inScope map[string]bool // seed hosts already in scope and allowed by guard
	jar     *cookieJar

	stopping bool
	stopWhy  error // fatal error to return, or nil
	start    time.Time
	stats    Stats
	queuedAt time.Time // when stats.Queued was last read
}

func (r *runner) run(ctx context.Context) error {
	cfg := r.cfg
	slogger := cfg.Logger
	fetchCtx, cancelFetch := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelFetch()
	r.fetchCtx = fetchCtx
	r.cancelFetch = cancelFetch
	r.ctx = ctx

	// The crawl's transport: compression handled by net/http (its decoded
	// body is what colly's MaxBodySize caps), gzip files (.xml.gz sitemaps)
	// decoded by gunzipTransport under the same cap.
	transport := baseTransport(8)
	// Links and redirects never lead to a non-public address unless a
	// seed is on it, directly or through the proxy (which may be on one).
	guard := newAddrGuard(cfg.lookup)
	r.guard = guard
	if err := r.loadScope(); err != nil {
		return err
	}
	guard.useEnvProxy(ctx)
	transport.Proxy = guard.proxyFor
	transport.DialContext = guard.dialContext(&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second})
	defer transport.CloseIdleConnections()
	var rt http.RoundTripper = transport
	if cfg.WARC != nil {
		rt = &recordingTransport{base: transport, w: cfg.WARC, maxBytes: cfg.MaxBytes, log: func(err error) {
			slogger.Error("warc", "err", err)
		}}
	}
	r.client = &http.Client{Transport: rt, Timeout: cfg.Timeout}
	r.c = r.newCollector(fetchCtx, &gunzipTransport{base: rt, maxBytes: cfg.MaxBytes})

	var deadline <-chan time.Time
	if cfg.MaxDuration > 0 {
		t := time.NewTimer(cfg.MaxDuration)
		defer t.Stop()
		deadline = t.C
	}
	var grace <-chan time.Time
	var abort <-chan struct{} // cfg.Abort, once ctx is done
	interrupted := false
	done := ctx.Done()
	renew := time.NewTicker(cfg.Lease / 3)
	defer renew.Stop()
	var watch <-chan time.Time
	var watchTimer *time.Timer
	// rested says the watch timer was set since the frontier last ran
	// dry: a round is due Watch after the last one ended, so that the
	// sources it read are Watch old when the next one asks for them.
	rested := false
	if cfg.Watch > 0 {
		watchTimer = time.NewTimer(r.watchWait())
		defer watchTimer.Stop()
		watch = watchTimer.C
	}

	for {
		if !r.stopping {
			if err := r.refill(); err != nil {
				r.stop(err)
			} else {
				r.dispatch()
			}
		}
		if r.inflight == 0 && r.robotsN == 0 {
			if r.stopping {
				break
			}
			if r.buffered == 0 && len(r.retries) == 0 && r.exhausted {
				// Nothing to claim: finished unless another process
				// holds a lease, which may add links or expire.
				c, err := r.store.Counts()
				if err != nil {
					r.stop(fmt.Errorf("crawl state: %w", err))
					continue
				}
				if c.Queued == 0 && c.InFlight == 0 {
					if cfg.Watch <= 0 {
						break
					}
					// Watching: idle until the next round.
					if !rested {
						watchTimer.Reset(r.watchWait())
						rested = true
					}
				} else if !r.claimAt.After(time.Now()) {
					r.exhausted = false // queued: claim at once
					continue
				}
			}
		}
		var wake <-chan time.Time
		var wakeTimer *time.Timer
		if !r.stopping {
			if d, ok := r.nextWake(); ok {
				wakeTimer = time.NewTimer(d)
				wake = wakeTimer.C
			}
		}
		select {
		case res := <-r.results:
			r.inflight--
			r.handle(res)
		case rr := <-r.robotsCh:
			r.robotsN--
			r.handleRobots(rr)
		case <-wake:
		case <-renew.C:
			r.renew()
		case <-watch:
			if err := r.revisit(cfg.Watch); err != nil {
				r.stop(err)
			}
			watchTimer.Reset(r.watchWait())
			rested = false
		case <-done:
			done = nil
			interrupted = true
			r.stopping = true
			grace = time.After(cfg.Timeout)
			abort = cfg.Abort
			slogger.Info("interrupted, finishing requests in flight", "inflight", r.inflight)
		case <-grace:
			cancelFetch()
		case <-abort:
			abort = nil
			slogger.Info("stopping now, requests in flight left queued", "inflight", r.inflight)
			cancelFetch()
		case <-deadline:
			deadline = nil
			slogger.Info("stopping", "reason", "max duration reached")
			r.stopping = true
		}
		// Stopped here, not deferred: a loop that waits for hours on other
		// workers' leases would pile up one timer per turn until Run ends.
		if wakeTimer != nil {
			wakeTimer.Stop()
		}
	}
	cancelFetch()
	r.c.Wait()
	r.releaseAll()
	r.stats.Elapsed = time.Since(r.start)
	if n, err := r.store.Len(); err == nil {
		r.stats.Queued = n
	}
	r.progress()
	r.summary()
	if r.stopWhy != nil {
		return r.stopWhy
	}
	// start1 may see ctx done, and stop the crawl, before the loop does.
	if interrupted || ctx.Err() != nil {
		return fmt.Errorf("crawl interrupted: %w", ctx.Err())
	}
	return nil
}

// stop ends the crawl with err (nil for a normal stop such as a limit).
func (r *runner) stop(err error) {
	r.stopping = true
	if err != nil && r.stopWhy == nil {
		// A failed emit or store: nothing more can be recorded, so the
		// requests in flight are cut short too.
		r.stopWhy = err
		r.cancelFetch()
	}
}

func (r *runner) summary() {
	s := r.stats
	secs := s.Elapsed.Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(s.Fetched) / secs
	}
	args := []any{"fetched", s.Fetched, "articles", s.Articles, "emitted", s.Emitted,
		"skipped", s.Skipped, "failed", s.Failed, "retries", s.Retries, "queued", s.Queued,
		"elapsed", s.Elapsed.Round(time.Millisecond), "pages_per_s", fmt.Sprintf("%.1f", rate)}
	causes := make([]string, 0, len(s.Causes))
	for c := range s.Causes {
		causes = append(causes, c)
	}
	slices.Sort(causes)
	for _, c := range causes {
		args = append(args, "failed_"+strings.ReplaceAll(c, " ", "_"), s.Causes[c])
	}
	if !r.cfg.Since.IsZero() {
		args = append(args, "undated", s.Undated)
	}
	if r.cfg.Recrawl || r.cfg.Watch > 0 {
		args = append(args, "unchanged", s.Unchanged)
	}
	if r.cfg.Recheck > 0 {
		args = append(args, "updated", s.Updated)
	}
	r.cfg.Logger.Info("crawl finished", args...)
}

func (r *runner) progress() {
	if r.cfg.OnProgress != nil {
		if time.Since(r.queuedAt) > 500*time.Millisecond {
			r.queuedAt = time.Now()
			if n, err := r.store.Len(); err == nil {
				r.stats.Queued = n
			}
		}
		// The store counts what no process claimed; this process's
		// buffer and retries are queued too.
		s := r.stats
		s.Queued += r.buffered + len(r.retries)
		s.Elapsed = time.Since(r.start)
		s.Causes = maps.Clone(r.stats.Causes)
		r.cfg.OnProgress(s)
	}
}

// newCollector builds the colly collector. Options are set after
// NewCollector, which lets COLLY_* environment variables override what it
// was given.
func (r *runner) newCollector(ctx context.Context, transport http.RoundTripper) *colly.Collector {
	cfg := r.cfg
	c := colly.NewCollector(colly.StdlibContext(ctx))
	c.UserAgent = cfg.UserAgent
	// newsx reads robots.txt itself (robots.go): colly's check caches a
	// 5xx as disallow-all forever, ignores Crawl-delay, and fetches
	// without the crawl's context.
	c.IgnoreRobotsTxt = true
	// colly truncates bodies at MaxBodySize without saying so; one byte
	// more than the cap tells a full body from a cut one.
	c.MaxBodySize = int(cfg.MaxBytes + 1)
	c.Async = true
	c.AllowURLRevisit = true // the Store decides what is fetched
	c.MaxDepth = 0
	c.AllowedDomains = nil
	c.DisallowedDomains = nil
	c.URLFilters = nil
	c.DisallowedURLFilters = nil
	c.CacheDir = ""
	c.ParseHTTPErrorResponse = false
	c.DetectCharset = false // extract decodes from the bytes and headers
	c.WithTransport(transport)
	r.jar = newCookieJar()
	c.SetCookieJar(r.jar)
	c.SetRequestTimeout(cfg.Timeout)
	c.SetRedirectHandler(r.checkRedirect)
	c.OnResponseHeaders(r.onHeaders)
	c.OnResponse(r.onResponse)
	c.OnError(r.onError)
	return c
}

// gzipFile reports whether a response is a gzip file rather than a
// gzip-encoded response: colly would inflate it without any size cap.
func gzipFile(resp *http.Response) bool {
	if resp.Uncompressed || resp.Header.Get("Content-Encoding") != "" {
		return false
	}
	ct := strings.ToLower(resp.Header.Get("Content-Type"))
	return strings.Contains(ct, "gzip") || strings.HasSuffix(strings.ToLower(resp.Request.URL.Path), ".gz")
}

// reqState travels with a request in its colly context.
type reqState struct {
	entry       Entry
	attempt     int
	abort       error  // why onHeaders aborted the download
	contentType string // the Content-Type as sent
	status      int    // the status code, once headers arrived
}

func state(ctx *colly.Context) *reqState {
	s, _ := ctx.GetAny("newsx").(*reqState)
	return s
}

// acceptable reports whether a declared media type may hold a page, a
// feed or a sitemap.
func acceptable(mt string) bool {
	if htmlType(mt) || sniffedType(mt) {
		return true
	}
	switch mt {
	case "text/xml", "application/xml", "application/rss+xml", "application/atom+xml",
		"application/rdf+xml", "application/x-gzip", "application/gzip", "application/x-rss+xml":
		return true
	}
	return false
}

func (r *runner) onHeaders(resp *colly.Response) {
	s := state(resp.Ctx)
	if s == nil {
		return
	}
	u := resp.Request.URL.String()
	s.status = resp.StatusCode
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return
	}
	s.contentType = resp.Headers.Get("Content-Type")
	mt := mediaType(s.contentType)
	if mt != "" && mt != strings.ToLower(strings.TrimSpace(s.contentType)) {
		// colly re-encodes bodies whose Content-Type names a charset
		// other than UTF-8, trusting the label (and delivering nothing
		// when it cannot). extract decodes from the label and the bytes
		// itself, so colly sees the media type alone.
		resp.Headers.Set("Content-Type", mt)
	}
	if !acceptable(mt) {
		s.abort = fmt.Errorf("fetch %s: content type %s is %w", u, mt, ErrNotHTML)
		resp.Request.Abort()
		return
	}
	if cl := resp.Headers.Get("Content-Length"); cl != "" && resp.Headers.Get("Content-Encoding") == "" {
		var n int64
		if _, err := fmt.Sscan(cl, &n); err == nil && n > r.cfg.MaxBytes {
			s.abort = fmt.Errorf("fetch %s: %w: content length %d exceeds limit of %d bytes", u, ErrTooLarge, n, r.cfg.MaxBytes)
			resp.Request.Abort()
		}
	}
}

func (r *runner) onError(resp *colly.Response, err error) {
	s := state(resp.Ctx)
	if s == nil {
		return
	}
	res := &result{entry: s.entry, attempt: s.attempt, final: resp.Request.URL, status: resp.StatusCode}
	u := resp.Request.URL.String()
	switch {
	case errors.Is(err, colly.ErrAbortedAfterHeaders) && s.abort != nil:
		res.err = s.abort
		res.status = s.status
	case resp.StatusCode >= 203:
		h := http.Header{}
		if resp.Headers != nil {
			h = *resp.Headers
		}
		res.err = &StatusError{URL: u, Code: resp.StatusCode,
			Status:     strings.TrimSpace(fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode))),
			RetryAfter: retryAfter(h, time.Now())}
	default:
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		var re *redirectError
		if errors.As(err, &re) {
			err = re.err
		}
		if strings.Contains(err.Error(), "Client.Timeout") || errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("timed out after %s: %w", r.cfg.Timeout, context.DeadlineExceeded)
		}
		res.err = fmt.Errorf("fetch %s: %w", s.entry.URL, err)
	}
	r.results <- res
}

func (r *runner) onResponse(resp *colly.Response) {
	s := state(resp.Ctx)
	if s == nil {
		return
	}
	res := &result{entry: s.entry, attempt: s.attempt, final: resp.Request.URL, status: resp.StatusCode}
	defer func() { r.results <- res }()
	if resp.Headers != nil {
		res.etag, res.lastModified = resp.Headers.Get("ETag"), resp.Headers.Get("Last-Modified")
	}
	u := res.final.String()
	body := resp.Body
	if int64(len(body)) > r.cfg.MaxBytes {
		res.err = fmt.Errorf("fetch %s: %w: more than %d bytes", u, ErrTooLarge, r.cfg.MaxBytes)
		return
	}
	if isGzip(body) {
		b, err := gunzip(body, r.cfg.MaxBytes)
		if err != nil {
			res.err = fmt.Errorf("fetch %s: gzip: %w", u, err)
			return
		}
		body = b
	}
	res.kind = sniffKind(body)
	ct := s.contentType
	// Parse at most one response per core at a time. More only time-share
	// the cores, each with its own half-built tree in the caches and on
	// the heap.
	r.parsing <- struct{}{}
	defer func() { <-r.parsing }()
	switch res.kind {
	case kindFeed:
		res.links, res.parse = feedLinks(body, res.final)
	case kindSitemap, kindSitemapIndex:
		res.links, res.parse = sitemapLinks(body, res.final)
	default:
		mt := mediaType(ct)
		head := body[:min(len(body), sniffLen)]
		// Binary bytes are not HTML whatever the Content-Type says.
		if bk, ok := bodyIsHTML(head, mt); !ok {
			what := mt
			if bk != "" {
				what = bk
			}
			if what == "" {
				what = "unknown"
			}
			res.err = fmt.Errorf("fetch %s: content type %s is %w", u, what, ErrNotHTML)
			return
		}
		// The links come from extract's parse; a page it could not
		// parse is tokenized for them.
		lc := newLinkCollector(res.final)
		res.article, res.artErr = extract.FromBytes(body, res.final, extract.Options{ContentType: ct, Links: lc.add})
		if res.artErr == nil || errors.Is(res.artErr, extract.ErrNoArticle) {
			res.links = lc.out
		} else {
			res.links = pageLinks(body, res.final)
		}
	}
}

// checkRedirect allows http(s) redirects that the target's robots.txt
// allows, up to DefaultMaxRedirects. A target host whose robots.txt was
// not read yet has it read first; one whose robots.txt is unavailable is
// not followed into, as it would not be crawled.
func (r *runner) checkRedirect(req *http.Request, via []*http.Request) error {
	target := shorten(req.URL.Redacted())
	if s := req.URL.Scheme; s != "http" && s != "https" {
		return &redirectError{fmt.Errorf("redirect to %s: %w %q", target, ErrScheme, s)}
	}
	if len(via) > DefaultMaxRedirects {
		return &redirectError{fmt.Errorf("%w: stopped after %d, %s", ErrRedirects, DefaultMaxRedirects, describeChain(via, req.URL))}
	}
	if r.cfg.IgnoreRobots {
		return nil
	}
	o := origin(req.URL)
	r.robotsMu.RLock()
	h := r.hosts[o]
	var rb *robots
	if h != nil {
		rb = h.robots
	}
	r.robotsMu.RUnlock()
	var err error
	if rb == nil {
		rb, _, err = r.loadRobots(req.Context(), o)
	} else {
		err = rb.err
	}
	if err != nil {
		if errors.Is(err, ErrPrivateAddress) {
			return &redirectError{fmt.Errorf("redirect to %s: %w", target, err)}
		}
		return &redirectError{fmt.Errorf("redirect to %s: %w (robots.txt unavailable: %v)", target, errDisallowed, err)}
	}
	if !rb.allowed(req.URL.RequestURI()) {
		if rb.why != "" {
			return &redirectError{fmt.Errorf("redirect to %s: %w (%s)", target, errDisallowed, rb.why)}
		}
		return &redirectError{fmt.Errorf("redirect to %s: %w", target, errDisallowed)}
	}
	return nil
}

func origin(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
}

// refill tops up the in-memory buffer with entries claimed from the
// store.
func (r *runner) refill() error {
	target := bufferSize
	if r.gate != nil {
		target = sharedBuffer * r.cfg.Concurrency
	}
	if r.buffered >= target/2 || (r.exhausted && time.Now().Before(r.claimAt)) {
		return nil
	}
	entries, err := r.store.Claim(target-r.buffered, r.cfg.Lease)
	if err != nil {
		return fmt.Errorf("crawl state: %w", err)
	}
	if len(entries) == 0 {
		r.exhausted = true
		r.poll = min(max(2*r.poll, pollMin), pollMax)
		r.claimAt = time.Now().Add(r.poll)
		return nil
	}
	r.exhausted, r.poll = false, 0
	newHost := false
	for _, e := range entries {
		if _, ok := r.leased[e.Seq]; ok {
			// Ours already: its lease expired while this process was
			// cut off from the store, and the claim took it back.
			continue
		}
		r.leased[e.Seq] = e
		u, err := url.Parse(e.URL)
		if err != nil {
			r.done(Outcome{Entry: e})
			continue
		}
		if r.hosts[origin(u)] == nil {
			newHost = true
		}
		h := r.host(u)
		h.queue = append(h.queue, e)
		r.buffered++
	}
	if newHost {
		// Another process may have added seeds on new hosts.
		return r.loadScope()
	}
	return nil
}

// loadScope adds the seeds recorded in the store, "host:port" each, to
// the crawl's scope and allows their addresses on their ports. A bare
// host, as recorded by earlier versions, counts as on ports 80 and 443.
func (r *runner) loadScope() error {
	hosts, err := r.store.Scope()
	if err != nil {
		return fmt.Errorf("crawl state: %w", err)
	}
	for _, hp := range hosts {
		if r.inScope[hp] {
			continue
		}
		r.inScope[hp] = true
		u := &url.URL{Scheme: "http", Host: hp}
		if h, p, err := net.SplitHostPort(hp); err == nil {
			u.Host = net.JoinHostPort(h, p)
		} else {
			u.Host = hostPort(hp, "")
		}
		r.scope.add(registrable(u.Hostname()))
		r.guard.allowURL(r.ctx, u)
	}
	return nil
}

// renew extends the leases of the entries claimed and not done, and drops
// from the buffer those another process took over.
func (r *runner) renew() {
	if len(r.leased) == 0 || r.stopWhy != nil {
		return
	}
	held := make([]Entry, 0, len(r.leased))
	for _, e := range r.leased {
		held = append(held, e)
	}
	lost, err := r.store.Renew(held, r.cfg.Lease)
	if err != nil {
		r.stop(fmt.Errorf("crawl state: %w", err))
		return
	}
	if len(lost) == 0 {
		return
	}
	gone := map[uint64]bool{}
	for _, seq := range lost {
		gone[seq] = true
		delete(r.leased, seq)
	}
	r.cfg.Logger.Warn("leases lost to another process", "n", len(lost))
	for _, h := range r.order {
		q := h.queue[:0]
		for _, e := range h.queue {
			if gone[e.Seq] {
				r.buffered--
				continue
			}
			q = append(q, e)
		}
		h.queue = q
	}
	keep := r.retries[:0]
	for _, it := range r.retries {
		if !gone[it.entry.Seq] {
			keep = append(keep, it)
		}
	}
	r.retries = keep
}

// releaseAll hands the entries claimed and not done back to the store.
func (r *runner) releaseAll() {
	if len(r.leased) == 0 {
		return
	}
	held := make([]Entry, 0, len(r.leased))
	for _, e := range r.leased {
		held = append(held, e)
	}
	if err := r.store.Release(held); err != nil {
		// Their leases run out instead.
		r.cfg.Logger.Warn("release leases", "n", len(held), "err", err)
	}
	clear(r.leased)
}

// acquire takes a slot of h from the shared HostGate, if there is one. It
// returns false when none is free (h.gateNext says when to ask again) or
// the store failed.
func (r *runner) acquire(h *hostState, limit int, hold time.Duration) (string, bool) {
	if r.gate == nil {
		return "", true
	}
	tok, wait, err := r.gate.AcquireHost(h.origin, limit, hold)
	if err != nil {
		r.stop(fmt.Errorf("crawl state: %w", err))
		return "", false
	}
	if tok == "" {
		// wait is when the oldest slot's hold runs out, which bounds a
		// request's time, not its usual one: ask again sooner, backing
		// off while the host stays busy.
		h.gateWait = min(max(2*h.gateWait, gateMin), gateMax)
		h.gateNext = time.Now().Add(min(wait, h.gateWait))
		return "", false
	}
	h.gateWait = 0
	return tok, true
}

// release frees a HostGate slot, after the host's Crawl-delay.
func (r *runner) release(h *hostState, tok string) {
	if r.gate == nil || tok == "" {
		return
	}
	var after time.Duration
	if h.robots != nil && h.robots.delay > 0 {
		after = h.robots.delay
	}
	if err := r.gate.ReleaseHost(h.origin, tok, after); err != nil {
		r.stop(fmt.Errorf("crawl state: %w", err))
	}
}

func (r *runner) host(u *url.URL) *hostState {
	o := origin(u)
	h := r.hosts[o]
	if h == nil {
		h = &hostState{origin: o}
		r.robotsMu.Lock()
		r.hosts[o] = h
		r.robotsMu.Unlock()
		r.order = append(r.order, h)
	}
	return h
}

// nextWake returns how long until a retry is due or a host's Crawl-delay
// has passed, when either is pending.
func (r *runner) nextWake() (time.Duration, bool) {
	var at time.Time
	for _, it := range r.retries {
		if at.IsZero() || it.at.Before(at) {
			at = it.at
		}
	}
	// A host waiting out its Crawl-delay. dispatch may have judged it
	// not ready an instant before h.next, so a past h.next still wakes.
	if r.inflight < r.cfg.Concurrency {
		for _, h := range r.order {
			if len(h.queue) > 0 && h.robots != nil && h.inflight == 0 && !h.next.IsZero() {
				if at.IsZero() || h.next.Before(at) {
					at = h.next
				}
			}
		}
	}
	// Hosts waiting for a shared slot, and a claim due on a dry frontier.
	now := time.Now()
	for _, h := range r.order {
		if len(h.queue) > 0 && h.gateNext.After(now) && (at.IsZero() || h.gateNext.Before(at)) {
			at = h.gateNext
		}
	}
	if r.exhausted && r.claimAt.After(now) && (at.IsZero() || r.claimAt.Before(at)) {
		at = r.claimAt
	}
	if at.IsZero() {
		return 0, false
	}
	return max(time.Until(at), time.Millisecond), true
}

// dispatch starts requests while the limits allow.
func (r *runner) dispatch() {
	now := time.Now()
	// Due retries go to the front of their host's queue.
	keep := r.retries[:0]
	for _, it := range r.retries {
		if it.at.After(now) {
			keep = append(keep, it)
			continue
		}
		u, _ := url.Parse(it.entry.URL)
		h := r.host(u)
		r.attempts[it.entry.Seq] = it.attempt
		h.queue = append([]Entry{it.entry}, h.queue...)
		r.buffered++
	}
	r.retries = keep

	for progress := true; progress && !r.stopping; {
		progress = false
		for range len(r.order) {
			if r.inflight >= r.cfg.Concurrency || r.stopping {
				return
			}
			h := r.order[r.rr%len(r.order)]
			r.rr++
			if len(h.queue) == 0 {
				continue
			}
			if h.robots == nil && !r.cfg.IgnoreRobots {
				if !h.fetching && !h.gateNext.After(now) {
					tok, ok := r.acquire(h, r.cfg.PerHost, r.robotsHold())
					if !ok {
						continue
					}
					h.robotsSlot = tok
					h.fetching = true
					r.robotsN++
					go r.getRobots(h)
				}
				continue
			}
			limit := r.cfg.PerHost
			if h.robots != nil && h.robots.delay > 0 {
				limit = 1
			}
			if h.inflight >= limit || h.next.After(now) || h.gateNext.After(now) {
				continue
			}
			e := h.queue[0]
			h.queue = h.queue[1:]
			r.buffered--
			progress = true
			r.start1(h, e)
		}
	}
}

// start1 checks one entry against the visited set and robots.txt and
// starts its request.
func (r *runner) start1(h *hostState, e Entry) {
	if r.ctx.Err() != nil {
		h.queue = append([]Entry{e}, h.queue...)
		r.buffered++
		r.stopping = true
		return
	}
	if r.cfg.MaxPages > 0 && r.dispatched >= r.cfg.MaxPages {
		r.cfg.Logger.Info("stopping", "reason", "max pages reached", "pages", r.dispatched)
		h.queue = append([]Entry{e}, h.queue...)
		r.buffered++
		r.stop(nil)
		return
	}
	if v, err := r.store.Visited(e.Key); err != nil {
		r.stop(fmt.Errorf("crawl state: %w", err))
		return
	} else if v && r.attempts[e.Seq] == 0 && !e.Revisit {
		r.done(Outcome{Entry: e})
		return
	}
	u, err := url.Parse(e.URL)
	if err != nil {
		r.done(Outcome{Entry: e})
		return
	}
	if !h.robots.allowed(u.RequestURI()) && !r.cfg.IgnoreRobots {
		r.skip(e.URL, h.robots.reason())
		r.done(Outcome{Entry: e})
		return
	}
	limit := r.cfg.PerHost
	if h.robots != nil && h.robots.delay > 0 {
		limit = 1
	}
	// The fleet's slot for this host: held for the request and colly's
	// delay after it, until handle releases it.
	slot, ok := r.acquire(h, limit, r.cfg.Timeout+r.cfg.Delay+r.cfg.Delay/4+slotSlack)
	if !ok {
		h.queue = append([]Entry{e}, h.queue...)
		r.buffered++
		return
	}
	if !h.limited {
		h.limited = true
		delay := r.cfg.Delay
		_ = r.c.Limit(&colly.LimitRule{
			DomainRegexp: "^" + regexp.QuoteMeta(u.Host) + "$",
			Parallelism:  r.cfg.PerHost,
			Delay:        delay,
			RandomDelay:  delay / 4,
		})
	}
	if h.robots != nil && h.robots.delay > 0 {
		h.next = time.Now().Add(h.robots.delay)
	}
	attempt := r.attempts[e.Seq]
	cctx := colly.NewContext()
	cctx.Put("newsx", &reqState{entry: e, attempt: attempt})
	hdr := http.Header{}
	hdr.Set("User-Agent", r.cfg.UserAgent)
	hdr.Set("Accept", acceptHeader)
	hdr.Set("Accept-Language", acceptLanguageHeader)
	if err := r.conditional(e, hdr); err != nil {
		r.release(h, slot)
		r.stop(fmt.Errorf("crawl state: %w", err))
		return
	}
	r.dispatched++
	if err := r.c.Request(http.MethodGet, e.URL, nil, cctx, hdr); err != nil {
		r.release(h, slot)
		r.fail(e, "fetch", fmt.Errorf("fetch %s: %w", e.URL, err), 0)
		r.done(Outcome{Entry: e, Visited: []string{e.Key}, Failed: true})
		return
	}
	if slot != "" {
		r.slots[e.Seq] = slot
	}
	h.inflight++
	r.inflight++
	r.cfg.Logger.Debug("fetching", "url", e.URL, "depth", e.Depth, "attempt", attempt)
}

func (r *runner) getRobots(h *hostState) {
	rb, status, err := r.loadRobots(r.fetchCtx, h.origin)
	r.robotsCh <- robotsResult{host: h, robots: rb, status: status, err: err}
}

// robotsLoad is one origin's robots.txt, loaded once for dispatch and
// for the redirect check alike; done is closed when it is in.
type robotsLoad struct {
	done   chan struct{}
	robots *robots
	status int
	err    error
}

// loadRobots fetches origin's robots.txt, or waits for the fetch already
// under way, and returns what fetchRobots returned, with a Crawl-delay
// over cfg.MaxCrawlDelay turned into a closed host. It is safe for
// concurrent use; waiting ends early when ctx is done.
func (r *runner) loadRobots(ctx context.Context, origin string) (*robots, int, error) {
	r.loadsMu.Lock()
	l := r.loads[origin]
	if l == nil {
		l = &robotsLoad{done: make(chan struct{})}
		r.loads[origin] = l
		r.loadsMu.Unlock()
		l.robots, l.status, l.err = fetchRobots(r.fetchCtx, r.client, origin, r.cfg.UserAgent, r.cfg.Retries, r.backoff)
		if l.err == nil && r.cfg.MaxCrawlDelay > 0 && l.robots.delay > r.cfg.MaxCrawlDelay {
			r.cfg.Logger.Warn("robots.txt asks for a Crawl-delay over --max-crawl-delay, not crawling host for this run",
				"url", origin+"/robots.txt", "delay", l.robots.delay, "max", r.cfg.MaxCrawlDelay)
			l.robots = &robots{disallowAll: true,
				why: fmt.Sprintf("Crawl-delay %s over the limit of %s", l.robots.delay, r.cfg.MaxCrawlDelay)}
		}
		close(l.done)
	} else {
		r.loadsMu.Unlock()
	}
	select {
	case <-l.done:
		return l.robots, l.status, l.err
	case <-ctx.Done():
		return nil, 0, ctx.Err()
	}
}

// forgetRobots drops origin's load once its hostState holds the result,
// or after a fetch cut short, so that it is tried again.
func (r *runner) forgetRobots(origin string) {
	r.loadsMu.Lock()
	defer r.loadsMu.Unlock()
	delete(r.loads, origin)
}

func (r *runner) handleRobots(rr robotsResult) {
	h := rr.host
	h.fetching = false
	slot := h.robotsSlot
	h.robotsSlot = ""
	if rr.err != nil {
		if r.fetchCtx.Err() != nil {
			r.forgetRobots(h.origin)
			r.release(h, slot)
			return
		}
		r.cfg.Logger.Warn("robots.txt unavailable, not crawling host for this run",
			"url", h.origin+"/robots.txt", "status", rr.status, "err", rr.err)
		r.fail(Entry{URL: h.origin + "/robots.txt"}, "robots", rr.err, rr.status)
		rr.robots = &robots{disallowAll: true, why: "robots.txt unavailable", err: rr.err}
	}
	r.robotsMu.Lock()
	h.robots = rr.robots
	r.robotsMu.Unlock()
	r.forgetRobots(h.origin) // the redirect check reads h.robots now
	// Released once h.robots is set, so that the slot stays taken for the
	// Crawl-delay after the robots.txt request too.
	r.release(h, slot)
	if rr.robots.delay > 0 {
		r.cfg.Logger.Debug("crawl-delay", "url", h.origin, "delay", rr.robots.delay)
	}
	if rr.robots.disallowAll || !r.cfg.Discover.has(DiscoverSitemaps) {
		return
	}
	// Sitemaps of in-scope hosts: those robots.txt lists, else the
	// conventional /sitemap.xml.
	u, _ := url.Parse(h.origin)
	if u == nil || !r.scope.contains(u.Hostname()) {
		return
	}
	var found []Entry
	for _, s := range rr.robots.sitemaps {
		if su := cleanURL(u, s); su != nil {
			found = append(found, Entry{URL: su.String(), Key: key(su), Kind: KindSitemap})
		}
	}
	if len(found) == 0 {
		su := cleanURL(u, "/sitemap.xml")
		found = append(found, Entry{URL: su.String(), Key: key(su), Kind: KindProbe})
	}
	if n, err := r.store.Add(found); err != nil {
		r.stop(fmt.Errorf("crawl state: %w", err))
	} else if n > 0 {
		r.exhausted = false
	}
}

// slotSlack is added to the longest a request may take, for a HostGate
// slot's hold: a slot outlives a killed process by at most that much.
const slotSlack = 2 * time.Second

// robotsHold bounds a robots.txt fetch with its retries.
func (r *runner) robotsHold() time.Duration {
	d := time.Duration(r.cfg.Retries+1)*r.cfg.Timeout + slotSlack
	for i := range r.cfg.Retries {
		d += min(r.cfg.RetryBackoff<<min(i, 16), maxRetryWait)
	}
	return d
}

// backoff is the wait before retry number attempt+1: RetryBackoff doubled
// per attempt, with jitter between half and the full value, or the
// server's Retry-After when longer.
func (r *runner) backoff(attempt int, retryAfter time.Duration) time.Duration {
	d := r.cfg.RetryBackoff << min(attempt, 16)
	d = d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
	d = min(d, maxRetryWait)
	return max(d, retryAfter)
}

// retryable reports whether a fetch error may pass on a retry.
func retryable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code == http.StatusTooManyRequests || se.Code == http.StatusRequestHeaderFieldsTooLarge || se.Code >= 500
	}
	if errors.Is(err, ErrTooLarge) || errors.Is(err, ErrNotHTML) || errors.Is(err, ErrRedirects) ||
		errors.Is(err, ErrScheme) || errors.Is(err, errDisallowed) {
		return false
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return dns.IsTimeout || dns.IsTemporary
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, errConnReset) ||
		errors.Is(err, errConnRefused) || errors.Is(err, errBrokenPipe) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// cause classifies an error for the summary.
func cause(err error) string {
	var se *StatusError
	var dns *net.DNSError
	var cert x509.UnknownAuthorityError
	var certHost x509.HostnameError
	var certInv x509.CertificateInvalidError
	var tlsRec tls.RecordHeaderError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("status %d", se.Code)
	case errors.Is(err, ErrTooLarge):
		return "too large"
	case errors.Is(err, ErrNotHTML):
		return "not html"
	case errors.Is(err, ErrRedirects), errors.Is(err, ErrScheme):
		return "redirects"
	case errors.Is(err, errDisallowed):
		return "robots"
	case errors.Is(err, ErrPrivateAddress):
		return "private address"
	case errors.As(err, &dns):
		return "dns"
	case errors.As(err, &cert), errors.As(err, &certHost), errors.As(err, &certInv), errors.As(err, &tlsRec):
		return "tls"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timeout"
	}
	if errors.Is(err, errConnReset) || errors.Is(err, errConnRefused) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "connection"
	}
	return "other"
}

func (r *runner) fail(e Entry, stage string, err error, status int) {
	f := Failure{URL: e.URL, Stage: stage, Error: err.Error(), Status: status, Cause: cause(err)}
	if stage == "parse" {
		f.Cause = "parse"
	}
	if stage == "robots" && !errors.Is(err, ErrPrivateAddress) {
		f.Cause = "robots"
	}
	r.stats.Failed++
	r.stats.Causes[f.Cause]++
	r.cfg.Logger.Debug("failed", "url", e.URL, "status", status, "err", err)
	if r.cfg.OnFailure != nil {
		r.cfg.OnFailure(f)
	}
}

func (r *runner) skip(u, why string) {
	r.stats.Skipped++
	r.cfg.Logger.Debug("skipped", "url", u, "reason", why)
}

// done commits an entry's outcome to the store.
func (r *runner) done(o Outcome) {
	delete(r.attempts, o.Entry.Seq)
	delete(r.leased, o.Entry.Seq)
	if err := r.store.Done(o); err != nil {
		r.stop(fmt.Errorf("crawl state: %w", err))
		return
	}
	if len(o.Found) > 0 {
		r.exhausted = false
	}
}

// handle processes one finished request on Run's goroutine.
func (r *runner) handle(res *result) {
	e := res.entry
	if u, err := url.Parse(e.URL); err == nil {
		h := r.hosts[origin(u)]
		h.inflight--
		if tok, ok := r.slots[e.Seq]; ok {
			delete(r.slots, e.Seq)
			r.release(h, tok)
		}
		if h.robots != nil && h.robots.delay > 0 {
			// Crawl-delay counts from the end of the last response, so
			// requests never reach the server closer than the delay.
			h.next = time.Now().Add(h.robots.delay)
		}
	}
	defer r.progress()
	if r.stopWhy != nil {
		return // emit or the store failed: record nothing more
	}
	if res.err != nil {
		if r.fetchCtx.Err() != nil {
			// Cut short by the end of the run: leave it queued for the
			// next one.
			return
		}
		if res.status != 0 {
			r.stats.Fetched++ // a response, if not a page
		}
		if res.status == http.StatusNotModified && e.Revisit {
			r.stats.OK++
			r.stats.Unchanged++
			r.cfg.Logger.Debug("unchanged", "url", e.URL, "status", res.status)
			if r.sourceOutcome(res, false, true) {
				r.done(Outcome{Entry: e, Visited: []string{e.Key}})
			}
			return
		}
		if retryable(res.err) && res.attempt < r.cfg.Retries && !r.stopping {
			var ra time.Duration
			var se *StatusError
			if errors.As(res.err, &se) {
				ra = se.RetryAfter
				if se.Code == http.StatusRequestHeaderFieldsTooLarge && res.final != nil {
					// Most likely the cookies: try again without.
					r.jar.forget(res.final.Hostname())
				}
			}
			if ra <= maxRetryWait {
				wait := r.backoff(res.attempt, ra)
				r.stats.Retries++
				r.cfg.Logger.Debug("retrying", "url", e.URL, "status", res.status, "err", res.err, "wait", wait)
				r.retries = append(r.retries, retryItem{at: time.Now().Add(wait), entry: e, attempt: res.attempt + 1})
				return
			}
		}
		if e.Kind == KindProbe && res.status >= 400 && res.status < 500 {
			r.done(Outcome{Entry: e, Visited: []string{e.Key}})
			return
		}
		r.fail(e, "fetch", res.err, res.status)
		if r.sourceOutcome(res, true, false) {
			r.done(Outcome{Entry: e, Visited: []string{e.Key}, Failed: true})
		}
		return
	}
	r.stats.Fetched++
	if res.parse == nil && (res.kind != kindHTML || res.article != nil) {
		r.stats.OK++
	}
	o := Outcome{Entry: e, Visited: []string{e.Key}}
	if k := key(res.final); k != e.Key {
		o.Visited = append(o.Visited, k)
	}
	r.cfg.Logger.Debug("fetched", "url", res.final.String(), "status", res.status, "depth", e.Depth, "kind", res.kind.String())
	switch res.kind {
	case kindFeed, kindSitemap, kindSitemapIndex:
		if res.parse != nil {
			r.fail(e, "parse", res.parse, res.status)
			o.Failed = true
			if r.sourceOutcome(res, true, false) {
				r.done(o)
			}
			return
		}
		if e.Depth > 0 && e.Kind == KindPage && !r.readsSource(res.kind) {
			// A feed or sitemap reached as a link, while --discover
			// leaves it out.
			r.skip(res.final.String(), "not in --discover")
			r.done(o)
			return
		}
		depth, kind, nesting := e.Depth+1, KindPage, 0
		if res.kind == kindSitemapIndex {
			// An index's sitemaps are at its depth, so that their
			// pages are one hop from it; a chain of indexes ends after
			// maxSitemapNesting.
			depth, kind, nesting = e.Depth, KindSitemap, e.Nesting+1
			if nesting > maxSitemapNesting {
				r.skip(res.final.String(), fmt.Sprintf("trap: sitemap indexes nested more than %d deep", maxSitemapNesting))
				r.done(o)
				return
			}
		}
		for _, l := range res.links {
			if ne := r.admit(l, depth, kind); ne != nil {
				ne.Nesting = nesting
				o.Found = append(o.Found, *ne)
			}
		}
		if r.sourceOutcome(res, false, r.isSource(e, res.kind, false)) {
			r.done(o)
		}
		return
	}
	a := res.article
	isArticle := false
	prev, rechecking := r.revisits[e.Seq]
	rechecking = rechecking && prev.Until != 0
	if a == nil {
		r.fail(e, "extract", res.artErr, res.status)
		o.Failed = true
	} else {
		isArticle = a.IsArticle && res.artErr == nil && !indexShaped(res.final)
		tooOld, undated := false, false
		if isArticle && !r.cfg.Since.IsZero() {
			tooOld, undated = olderThan(a, r.cfg.Since)
		}
		if tooOld {
			r.skip(res.final.String(), "published before --since")
		} else if isArticle || r.cfg.EmitAll {
			k := EmittedKey(a)
			if isArticle && r.cfg.MaxArticles > 0 && r.stats.Articles >= r.cfg.MaxArticles {
				// Over the limit: leave the page queued for a later run
				// (releaseAll hands it back).
				return
			}
			// Claimed before it is written: of two pages with the same
			// canonical URL, in this process or another, one is written.
			fresh, err := r.store.ClaimEmitted(k, e)
			if err != nil {
				r.stop(fmt.Errorf("crawl state: %w", err))
				return
			}
			switch {
			case !fresh && rechecking && isArticle:
				if err := r.recheck(a, prev); err != nil {
					r.stop(err)
					return
				}
			case !fresh:
				r.skip(res.final.String(), "duplicate of "+k)
			default:
				if err := r.emit(a); err != nil {
					r.stop(err)
					return
				}
				o.Emitted = k
				r.stats.Emitted++
				if isArticle {
					r.stats.Articles++
				}
				if undated {
					r.stats.Undated++
				}
				if ck := Normalize(a.CanonicalURL); ck != "" && ck != e.Key {
					o.Visited = append(o.Visited, ck)
				}
			}
		} else {
			r.skip(res.final.String(), "not an article")
		}
	}
	for _, l := range res.links {
		depth := e.Depth + 1
		if l.feed {
			depth = e.Depth
		}
		if (l.feed && !r.cfg.Discover.has(DiscoverFeeds)) || (!l.feed && !r.cfg.Discover.has(DiscoverLinks)) {
			continue
		}
		if ne := r.admit(l, depth, KindPage); ne != nil {
			o.Found = append(o.Found, *ne)
		}
	}
	if isArticle && r.cfg.Recheck > 0 {
		res.until, res.hash = r.recheckUntil(a, prev, rechecking), articleHash(a)
	}
	if !r.sourceOutcome(res, a == nil, res.until != 0 || r.isSource(e, res.kind, isArticle)) {
		return
	}
	r.done(o)
	if r.cfg.MaxArticles > 0 && r.stats.Articles >= r.cfg.MaxArticles && !r.stopping {
		r.cfg.Logger.Info("stopping", "reason", "max articles reached", "articles", r.stats.Articles)
		r.stop(nil)
	}
}

// admit turns a discovered link into a frontier entry, or nil when it is
// out of depth or scope, a probable trap, or older than Since.
func (r *runner) admit(l link, depth int, kind Kind) *Entry {
	if depth > r.cfg.Depth && kind != KindSitemap {
		return nil
	}
	t := r.targets.get(l)
	if !t.ok {
		return nil
	}
	if kind != KindSitemap && !r.scope.contains(t.host) {
		return nil
	}
	if kind == KindPage && !l.feed {
		if ok, why := r.filter.allows(t.url, t.key); !ok {
			r.skip(t.url, why)
			return nil
		}
	}
	if !r.cfg.Since.IsZero() && !l.date.IsZero() && l.date.Before(r.cfg.Since) {
		r.skip(t.url, "older than --since")
		return nil
	}
	reason := t.trap
	if reason == "" && t.calendar {
		if ok, _ := r.store.Visited(t.key); !ok {
			r.calendar[t.hostPort]++
			if r.calendar[t.hostPort] > maxCalendarPages {
				reason = "calendar pages limit"
			}
		}
	}
	if reason != "" {
		r.skip(t.url, "trap: "+reason)
		return nil
	}
	return &Entry{URL: t.url, Key: t.key, Depth: depth, Kind: kind}
}

// readsSource reports whether --discover lets the crawl read the entries
// of a feed or sitemap found as a link.
func (r *runner) readsSource(k contentKind) bool {
	if k == kindFeed {
		return r.cfg.Discover.has(DiscoverFeeds)
	}
	return r.cfg.Discover.has(DiscoverSitemaps)
}

// gunzipTransport inflates gzip files (sitemap.xml.gz) under the body cap
// and marks them uncompressed, so colly does not inflate them again
// without one.
type gunzipTransport struct {
	base     http.RoundTripper
	maxBytes int64
}

func (t *gunzipTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || !gzipFile(resp) {
		return resp, err
	}
	br := bufio.NewReader(resp.Body)
	if magic, _ := br.Peek(2); len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		resp.Body = readCloser{br, resp.Body}
		resp.Uncompressed = true // not gzip after all: hand it over as is
		return resp, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		resp.Body.Close()
		return nil, fmt.Errorf("gzip: %w", err)
	}
	resp.Body = readCloser{&capped{r: zr, left: t.maxBytes + 1, max: t.maxBytes}, resp.Body}
	resp.Uncompressed = true
	resp.ContentLength = -1
	resp.Header.Del("Content-Length")
	resp.Header.Set("Content-Type", "application/xml")
	return resp, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// capped fails with ErrTooLarge once more than max bytes were read.
type capped struct {
	r    io.Reader
	left int64
	max  int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, fmt.Errorf("%w: inflated body over %d bytes", ErrTooLarge, c.max)
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
