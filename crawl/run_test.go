package crawl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsx/newsx/crawl/crawltest"
	"github.com/newsx/newsx/extract"
)

// fastConfig lifts the politeness delays for tests; robots.txt stays
// obeyed and its Crawl-delay honoured.
func fastConfig() Config {
	return Config{
		Delay:        -1,
		RetryBackoff: 20 * time.Millisecond,
		Retries:      2,
		Timeout:      5 * time.Second,
		Concurrency:  8,
		PerHost:      4,
	}
}

// crawlResult is what a test crawl produced.
type crawlResult struct {
	articles []*extract.Article
	failures []Failure
	stats    Stats
	err      error
	logs     string
}

// paths returns the page paths of the emitted records, in order.
func (c *crawlResult) paths(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, a := range c.articles {
		u, err := url.Parse(a.URL)
		if err != nil {
			t.Fatalf("bad record url %q", a.URL)
		}
		out = append(out, u.Path)
	}
	return out
}

func crawl(t *testing.T, ctx context.Context, cfg Config, seeds []string) *crawlResult {
	t.Helper()
	res := &crawlResult{}
	var logs strings.Builder
	var mu sync.Mutex
	cfg.Logger = slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg.OnFailure = func(f Failure) { res.failures = append(res.failures, f) }
	cfg.OnProgress = func(s Stats) { res.stats = s }
	res.err = Run(ctx, cfg, seeds, func(a *extract.Article) error {
		res.articles = append(res.articles, a)
		return nil
	})
	mu.Lock()
	res.logs = logs.String()
	mu.Unlock()
	return res
}

type lockedWriter struct {
	w  *strings.Builder
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// checkExactlyOnce fails unless the records are exactly the want paths,
// each once.
func checkExactlyOnce(t *testing.T, got []string, want map[string]bool) {
	t.Helper()
	seen := map[string]int{}
	for _, p := range got {
		seen[p]++
	}
	for p, n := range seen {
		if n > 1 {
			t.Errorf("%s emitted %d times", p, n)
		}
		if !want[p] {
			t.Errorf("%s emitted, but it is not an article of the site", p)
		}
	}
	var missing []string
	for p := range want {
		if seen[p] == 0 {
			missing = append(missing, p)
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("%d articles never emitted, e.g. %v", len(missing), missing[:min(5, len(missing))])
	}
}

func TestRunFixtureSite(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	start := time.Now()
	res := crawl(t, t.Context(), fastConfig(), []string{s.URL + "/"})
	elapsed := time.Since(start)
	if res.err != nil {
		t.Fatalf("Run: %v", res.err)
	}
	t.Logf("fetched %d, articles %d, skipped %d, failed %d (%v), retries %d in %v",
		res.stats.Fetched, res.stats.Articles, res.stats.Skipped, res.stats.Failed, res.stats.Causes, res.stats.Retries, elapsed)

	checkExactlyOnce(t, res.paths(t), crawltest.WantArticles(time.Time{}))

	// Nothing disallowed fetched, no URL fetched twice except retries.
	retried := map[string]bool{"/broken/500": true, crawltest.Extras[0]: true, crawltest.Extras[1]: true, "/robots.txt": false}
	for p, n := range s.Hits() {
		if strings.HasPrefix(p, "/private/") {
			t.Errorf("fetched %s, which robots.txt disallows", p)
		}
		if n > 1 && !retried[p] && !strings.HasPrefix(p, "/loop/") {
			t.Errorf("fetched %s %d times", p, n)
		}
	}
	if n := s.Count("/broken/500"); n != 3 {
		t.Errorf("/broken/500 fetched %d times, want 3 (1 + 2 retries)", n)
	}
	if n := s.Count(crawltest.Extras[0]); n != 2 {
		t.Errorf("503-then-200 page fetched %d times, want 2", n)
	}
	// Retry-After: 1 was honoured.
	var ra []time.Time
	for _, r := range s.Log() {
		if r.Path == crawltest.Extras[1] {
			ra = append(ra, r.At)
		}
		if !strings.HasPrefix(r.UA, "newsx/") {
			t.Errorf("request for %s with User-Agent %q", r.Path, r.UA)
		}
	}
	if len(ra) != 2 || ra[1].Sub(ra[0]) < 990*time.Millisecond {
		t.Errorf("429 page fetched at %v, want twice at least 1s apart", ra)
	}

	// Failures recorded, not fatal: each with its cause.
	causes := map[string]string{}
	for _, f := range res.failures {
		u, _ := url.Parse(f.URL)
		causes[u.Path] = f.Cause
	}
	for p, want := range map[string]string{
		"/broken/404":       "status 404",
		"/broken/500":       "status 500",
		"/loop/a":           "redirects",
		"/files/report.pdf": "not html",
		"/huge":             "too large",
	} {
		if causes[p] != want {
			t.Errorf("failure of %s: cause %q, want %q", p, causes[p], want)
		}
	}
	if len(res.failures) != 5 {
		t.Errorf("%d failures, want 5: %+v", len(res.failures), res.failures)
	}

	// The calendar is bounded by depth here: a few pages, none emitted.
	cal := 0
	for p := range s.Hits() {
		if strings.HasPrefix(p, "/calendar/") {
			cal++
		}
	}
	if cal > 3 {
		t.Errorf("fetched %d calendar pages at depth 2", cal)
	}
	if res.stats.Articles != len(crawltest.WantArticles(time.Time{})) {
		t.Errorf("stats say %d articles", res.stats.Articles)
	}
}

func TestRunCrawlDelay(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	s.CrawlDelay = "0.05"
	cfg := fastConfig()
	cfg.MaxPages = 20
	res := crawl(t, t.Context(), cfg, []string{s.URL + "/"})
	if res.err != nil {
		t.Fatal(res.err)
	}
	log := s.Log()
	var prev time.Time
	for _, r := range log {
		if r.Path == "/robots.txt" || strings.HasPrefix(r.Path, "/loop/") {
			continue // robots.txt, and the hops of a redirect loop
		}
		if !prev.IsZero() && r.At.Sub(prev) < 45*time.Millisecond {
			t.Errorf("requests %v apart, want at least the 50ms Crawl-delay", r.At.Sub(prev))
		}
		prev = r.At
	}
	if res.stats.Fetched > 20 {
		t.Errorf("fetched %d with --max-pages 20", res.stats.Fetched)
	}
}

// TestRunCrawlDelayCap: a Crawl-delay over MaxCrawlDelay closes the host
// for the run, with a warning naming it and the delay, instead of a
// crawl that waits a day between requests.
func TestRunCrawlDelayCap(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	s.CrawlDelay = "86400"
	cfg := fastConfig()
	cfg.MaxDuration = 10 * time.Second // a backstop: without the cap the crawl would wait
	res := crawl(t, t.Context(), cfg, []string{s.URL + "/"})
	if res.err != nil {
		t.Fatal(res.err)
	}
	for p := range s.Hits() {
		if p != "/robots.txt" {
			t.Errorf("fetched %s from a host that asks for a day between requests", p)
		}
	}
	var warning string
	for _, l := range strings.Split(res.logs, "\n") {
		if strings.Contains(l, "level=WARN") && strings.Contains(l, "Crawl-delay") {
			warning = l
		}
	}
	if !strings.Contains(warning, s.URL+"/robots.txt") || !strings.Contains(warning, "delay=24h0m0s") {
		t.Errorf("warning %q, want one naming the host and its delay:\n%s", warning, res.logs)
	}
	if res.stats.Skipped == 0 {
		t.Error("the seed was not counted as skipped")
	}
}

// TestRunRedirectReadsRobots: a redirect into another host whose
// robots.txt was not read yet (b.test, no seed's host: nothing else
// would read it) reads it first, and is not followed into a path it
// disallows.
func TestRunRedirectReadsRobots(t *testing.T) {
	t.Parallel()
	var disallowedHits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := strings.HasPrefix(r.Host, "b.test:")
		switch {
		case r.URL.Path == "/robots.txt" && b:
			fmt.Fprint(w, "User-agent: *\nDisallow: /a/\n")
		case r.URL.Path == "/robots.txt" || r.URL.Path == "/sitemap.xml":
			http.NotFound(w, r)
		case r.URL.Path == "/a/7.html" && b:
			disallowedHits.Add(1)
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, crawltest.PlainArticle(r.URL.Path, "Members only story"))
		case r.URL.Path == "/r/7":
			_, port, _ := net.SplitHostPort(r.Host)
			http.Redirect(w, r, "http://b.test:"+port+"/a/7.html", http.StatusFound)
		default:
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><body><h1>A</h1><a href="/r/7">story</a></body></html>`)
		}
	}))
	defer srv.Close()
	cfg := fastConfig()
	cfg.Retries = -1
	cfg.lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
		if host == "b.test" {
			return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
		}
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	res := crawl(t, t.Context(), cfg, []string{srv.URL + "/"})
	if res.err != nil {
		t.Fatal(res.err)
	}
	if n := disallowedHits.Load(); n != 0 {
		t.Errorf("the disallowed page was fetched %d times", n)
	}
	if len(res.articles) != 0 {
		t.Errorf("records %v, want none", res.paths(t))
	}
	if res.stats.Causes["robots"] != 1 {
		t.Errorf("failures %+v, want the redirect refused by robots.txt", res.failures)
	}
}

func TestRunSince(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	since := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cfg := fastConfig()
	cfg.Since = since
	cfg.Depth = 1
	res := crawl(t, t.Context(), cfg, []string{s.URL + "/sitemap_index.xml"})
	if res.err != nil {
		t.Fatal(res.err)
	}
	want := map[string]bool{}
	for i := range crawltest.Articles {
		if a := crawltest.Article(i); !a.Date.Before(since) {
			want[a.Path] = true
		}
	}
	checkExactlyOnce(t, res.paths(t), want)
	for i := 110; i < crawltest.Articles; i++ {
		if n := s.Count(crawltest.Article(i).Path); n != 0 {
			t.Errorf("fetched %s, older than --since", crawltest.Article(i).Path)
		}
	}
}

func TestRunSeedKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		seed  string
		depth int
		want  int // articles emitted
	}{
		{"rss feed", "/feed.xml", 1, 20},
		{"gzipped news sitemap", "/sitemaps/news.xml.gz", 1, 100},
		{"sitemap index", "/sitemap_index.xml", 1, 120},
		{"article page", crawltest.Extras[0], -1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := crawltest.New(t)
			cfg := fastConfig()
			cfg.Depth = tt.depth    // entries of a feed or sitemap are 1 hop away
			cfg.IgnoreRobots = true // no sitemaps from robots.txt
			res := crawl(t, t.Context(), cfg, []string{s.URL + tt.seed})
			if res.err != nil {
				t.Fatal(res.err)
			}
			if got := len(res.articles); got != tt.want {
				t.Errorf("emitted %d articles, want %d", got, tt.want)
			}
		})
	}
}

func TestRunCalendarTrap(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	cfg := fastConfig()
	cfg.Depth = 1000
	res := crawl(t, t.Context(), cfg, []string{s.URL + "/calendar/2026/11"})
	if res.err != nil {
		t.Fatal(res.err)
	}
	cal := 0
	for p := range s.Hits() {
		if strings.HasPrefix(p, "/calendar/") {
			cal++
		}
	}
	if cal > maxCalendarPages+1 {
		t.Errorf("fetched %d calendar pages, want at most %d", cal, maxCalendarPages+1)
	}
	for _, p := range res.paths(t) {
		if strings.HasPrefix(p, "/calendar/") {
			t.Errorf("emitted calendar page %s", p)
		}
	}
}

func TestRunLimits(t *testing.T) {
	t.Parallel()
	t.Run("max articles", func(t *testing.T) {
		t.Parallel()
		s := crawltest.New(t)
		cfg := fastConfig()
		cfg.MaxArticles = 7
		res := crawl(t, t.Context(), cfg, []string{s.URL + "/feed.xml"})
		if res.err != nil || len(res.articles) != 7 {
			t.Errorf("got %d articles, err %v; want 7", len(res.articles), res.err)
		}
	})
	t.Run("max pages", func(t *testing.T) {
		t.Parallel()
		s := crawltest.New(t)
		cfg := fastConfig()
		cfg.MaxPages = 10
		res := crawl(t, t.Context(), cfg, []string{s.URL + "/"})
		if res.err != nil {
			t.Fatal(res.err)
		}
		n := 0
		for _, r := range s.Log() {
			if r.Path != "/robots.txt" {
				n++
			}
		}
		if n > 10 {
			t.Errorf("server saw %d requests with MaxPages 10", n)
		}
	})
	t.Run("max duration", func(t *testing.T) {
		t.Parallel()
		s := crawltest.New(t)
		s.CrawlDelay = "0.1"
		cfg := fastConfig()
		cfg.MaxDuration = 500 * time.Millisecond
		start := time.Now()
		res := crawl(t, t.Context(), cfg, []string{s.URL + "/"})
		if res.err != nil {
			t.Fatal(res.err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("ran %v with MaxDuration 500ms", d)
		}
	})
	t.Run("emit error stops", func(t *testing.T) {
		t.Parallel()
		s := crawltest.New(t)
		boom := errors.New("write output: broken pipe")
		n := 0
		cfg := fastConfig()
		err := Run(t.Context(), cfg, []string{s.URL + "/feed.xml"}, func(*extract.Article) error {
			n++
			if n == 3 {
				return boom
			}
			return nil
		})
		if !errors.Is(err, boom) || n != 3 {
			t.Errorf("Run = %v after %d emits, want the emit error after 3", err, n)
		}
	})
}

func TestRunRobotsUnavailable(t *testing.T) {
	t.Parallel()
	t.Run("5xx then 200 is retried", func(t *testing.T) {
		t.Parallel()
		s := crawltest.New(t)
		s.RobotsStatus = []int{503, 200}
		cfg := fastConfig()
		cfg.Depth = 1
		res := crawl(t, t.Context(), cfg, []string{s.URL + "/feed.xml"})
		if res.err != nil || len(res.articles) < 20 || s.Count("/robots.txt") != 2 {
			t.Errorf("got %d articles, %d robots.txt fetches, err %v; want 20 or more after 2 fetches",
				len(res.articles), s.Count("/robots.txt"), res.err)
		}
	})
	t.Run("5xx for good disallows the host", func(t *testing.T) {
		t.Parallel()
		s := crawltest.New(t)
		s.RobotsStatus = []int{500}
		res := crawl(t, t.Context(), fastConfig(), []string{s.URL + "/"})
		if res.err != nil {
			t.Fatal(res.err)
		}
		for _, r := range s.Log() {
			if r.Path != "/robots.txt" {
				t.Errorf("fetched %s while robots.txt failed", r.Path)
			}
		}
		if n := s.Count("/robots.txt"); n != 3 {
			t.Errorf("robots.txt fetched %d times, want 3", n)
		}
		if !strings.Contains(res.logs, "level=WARN msg=\"robots.txt unavailable") {
			t.Errorf("no warning logged:\n%s", res.logs)
		}
	})
	t.Run("ignore robots", func(t *testing.T) {
		t.Parallel()
		s := crawltest.New(t)
		cfg := fastConfig()
		cfg.IgnoreRobots = true
		cfg.Depth = -1
		res := crawl(t, t.Context(), cfg, []string{s.URL + "/private/x-story"})
		if res.err != nil || len(res.articles) != 1 || s.Count("/robots.txt") != 0 {
			t.Errorf("got %d articles, %d robots fetches, err %v", len(res.articles), s.Count("/robots.txt"), res.err)
		}
	})
}

func TestRunCancel(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	ctx, cancel := context.WithCancel(t.Context())
	n := 0
	start := time.Now()
	err := Run(ctx, fastConfig(), []string{s.URL + "/"}, func(*extract.Article) error {
		n++
		if n == 5 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestRunResume crawls in three runs, each stopped after 40 articles, on
// one state file; together they emit every article exactly once.
func TestRunResume(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	path := filepath.Join(t.TempDir(), "state.db")
	var all []string
	for run := 0; run < 10; run++ {
		st, err := OpenState(path, StateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		cfg := fastConfig()
		cfg.Store = st
		cfg.MaxArticles = 40
		res := crawl(t, t.Context(), cfg, []string{s.URL + "/"})
		st.Close()
		if res.err != nil {
			t.Fatal(res.err)
		}
		all = append(all, res.paths(t)...)
		if len(res.articles) == 0 {
			break
		}
	}
	checkExactlyOnce(t, all, crawltest.WantArticles(time.Time{}))
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"HTTP://Example.COM:80/a/b/?utm_source=x&b=2&a=1#frag", "http://example.com/a/b?a=1&b=2"},
		{"https://example.com:443/", "https://example.com/"},
		{"https://example.com", "https://example.com/"},
		{"https://example.com/story;jsessionid=ABC123?id=5", "https://example.com/story?id=5"},
		{"https://example.com/s?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&ref=tw&ref_src=x&PHPSESSID=9", "https://example.com/s"},
		{"https://example.com:8080/x/", "https://example.com:8080/x"},
		{"https://example.com/a/../b/./c", "https://example.com/b/c"},
		{"http://h//a/1.html", "http://h/a/1.html"},
		{"http://h/a///b//1.html?x=1", "http://h/a/b/1.html?x=1"},
		{"http://h//", "http://h/"},
		{"http://h/a//", "http://h/a"},
		{"http://h/a%2F%2Fb//c", "http://h/a/b/c"}, // escaped slashes were never kept
		{"ftp://example.com/", ""},
		{"mailto:a@example.com", ""},
		{"/relative", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestRunEmptySegments: a page linked with and without an empty path
// segment, naming no canonical URL, is fetched and written once.
func TestRunEmptySegments(t *testing.T) {
	t.Parallel()
	var srvURL string
	var hits sync.Map
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := hits.LoadOrStore(r.URL.Path, new(int))
		*n.(*int)++
		w.Header().Set("Content-Type", "text/html")
		switch r.URL.Path {
		case "/robots.txt", "/sitemap.xml":
			http.NotFound(w, r)
		case "/":
			fmt.Fprintf(w, `<html><body><h1>Home</h1><a href="%[1]s/a/1.html">one</a> <a href="%[1]s//a/1.html">one again</a>
<a href="%[1]s/a//1.html">and again</a></body></html>`, srvURL)
		default:
			fmt.Fprint(w, crawltest.PlainArticle("/a/1.html", "Harbour plan gets a second hearing"))
		}
	}))
	defer srv.Close()
	srvURL = srv.URL
	res := crawl(t, t.Context(), fastConfig(), []string{srv.URL + "/"})
	if res.err != nil {
		t.Fatal(res.err)
	}
	if got := res.paths(t); len(got) != 1 {
		t.Errorf("records for %v, want one", got)
	}
	fetched := 0
	hits.Range(func(k, v any) bool {
		if k != "/" && k != "/robots.txt" && k != "/sitemap.xml" {
			fetched += *v.(*int)
		}
		return true
	})
	if fetched != 1 {
		t.Errorf("the page was fetched %d times, want once", fetched)
	}
}

// TestRunSitemapIndexChain: a sitemap index that lists the next index,
// forever, is followed maxSitemapNesting levels below the first index,
// and the crawl ends.
func TestRunSitemapIndexChain(t *testing.T) {
	t.Parallel()
	var indexes atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/index/{n}", func(w http.ResponseWriter, r *http.Request) {
		indexes.Add(1)
		n, _ := strconv.Atoi(r.PathValue("n"))
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>/index/%d</loc></sitemap></sitemapindex>`, n+1)
	})
	mux.HandleFunc("/", http.NotFound)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	cfg := fastConfig()
	cfg.MaxPages = 50 // a backstop: the chain never ends by itself
	res := crawl(t, t.Context(), cfg, []string{srv.URL + "/index/0"})
	if res.err != nil {
		t.Fatal(res.err)
	}
	if n := indexes.Load(); n != maxSitemapNesting+1 {
		t.Errorf("fetched %d sitemap indexes, want %d", n, maxSitemapNesting+1)
	}
	if !strings.Contains(res.logs, "sitemap indexes nested more than") {
		t.Errorf("no skip logged for the chain:\n%s", res.logs)
	}
}

func TestTrapReason(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       string
		trap     bool
		calendar bool
	}{
		{"https://x.test/news/2026/11/28/a-story", false, false},
		{"https://x.test/calendar/2026/11", false, true},
		{"https://x.test/2026/11/28/", false, true},
		{"https://x.test/events?date=2026-11-28", false, true},
		{"https://x.test/calendar/3020/11", true, true},
		{"https://x.test/world/page/31", true, false},
		{"https://x.test/world?page=99", true, false},
		{"https://x.test/world?page=3", false, false},
		{"https://x.test/a/b/a/b/a/b", true, false},
		{"https://x.test/" + strings.Repeat("x", 1100), true, false},
	}
	for _, tt := range tests {
		u := cleanURL(nil, tt.in)
		reason, cal := trapReason(u)
		if (reason != "") != tt.trap || cal != tt.calendar {
			t.Errorf("trapReason(%s) = %q, %v; want trap %v, calendar %v", tt.in, reason, cal, tt.trap, tt.calendar)
		}
	}
}

func TestScope(t *testing.T) {
	t.Parallel()
	s := scope{}
	s.add(registrable("www.news.example.co.uk"))
	s.add("partner.test")
	for host, want := range map[string]bool{
		"example.co.uk": true, "cdn.example.co.uk": true, "other.co.uk": false,
		"partner.test": true, "a.partner.test": true, "co.uk": false, "127.0.0.1": false,
	} {
		if got := s.contains(host); got != want {
			t.Errorf("contains(%s) = %v, want %v", host, got, want)
		}
	}
	s.add(registrable("127.0.0.1"))
	if !s.contains("127.0.0.1") {
		t.Error("IP seed not in scope")
	}
}

func TestSniffKind(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]contentKind{
		`<?xml version="1.0"?><rss version="2.0">`:                                  kindFeed,
		`<?xml version="1.0"?><!-- c --><feed xmlns="http://www.w3.org/2005/Atom">`: kindFeed,
		`<rdf:RDF xmlns:rdf="x">`:                                                   kindFeed,
		"\ufeff<urlset xmlns=\"x\">":                                                kindSitemap,
		`<sitemapindex>`:                                                            kindSitemapIndex,
		`<!doctype html><html><body>`:                                               kindHTML,
		`plain text`:                                                                kindHTML,
	} {
		if got := sniffKind([]byte(in)); got != want {
			t.Errorf("sniffKind(%q) = %v, want %v", in, got, want)
		}
	}
	_ = fmt.Sprint()
}

// TestRunCharset checks that a page in a legacy charset reaches extract
// as sent, with its label, and comes out as UTF-8 text.
func TestRunCharset(t *testing.T) {
	t.Parallel()
	page := "<!doctype html><html><head><title>Caf\xe9 owners meet</title><meta property=\"og:type\" content=\"article\"></head><body><article><h1>Caf\xe9 owners meet the council</h1>" +
		strings.Repeat("<p>The caf\xe9 owners said the new rules on terraces would cost them the summer trade, and asked for a delay.</p>", 8) +
		"</article></body></html>"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/news/cafe-owners-meet" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=windows-1252")
		_, _ = io.WriteString(w, page)
	}))
	t.Cleanup(srv.Close)
	cfg := fastConfig()
	cfg.Depth = -1
	cfg.EmitAll = true // the record, article or not
	res := crawl(t, t.Context(), cfg, []string{srv.URL + "/news/cafe-owners-meet"})
	if res.err != nil || len(res.articles) != 1 {
		t.Fatalf("got %d articles, err %v\n%s", len(res.articles), res.err, res.logs)
	}
	if h := res.articles[0].Headline; h != "Café owners meet the council" {
		t.Errorf("headline %q", h)
	}
}

func TestRunConnectionRefused(t *testing.T) {
	t.Parallel()
	// A port nothing listens on: every attempt is refused at once.
	srv := httptest.NewServer(http.NotFoundHandler())
	dead := srv.URL
	srv.Close()
	cfg := fastConfig()
	cfg.IgnoreRobots = true
	res := crawl(t, t.Context(), cfg, []string{dead + "/"})
	if res.err != nil {
		t.Fatalf("Run = %v, want failures recorded, not returned", res.err)
	}
	if len(res.failures) != 1 || res.failures[0].Cause != "connection" || res.stats.Retries != 2 {
		t.Errorf("failures %+v after %d retries; want one connection failure after 2", res.failures, res.stats.Retries)
	}
}

func TestRunTimeoutRetried(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	cfg := fastConfig()
	cfg.Timeout = 100 * time.Millisecond // the slow page takes 300ms
	cfg.Retries = 1
	cfg.Depth = -1
	cfg.IgnoreRobots = true
	res := crawl(t, t.Context(), cfg, []string{s.URL + crawltest.Extras[2]})
	if res.err != nil {
		t.Fatal(res.err)
	}
	if n := s.Count(crawltest.Extras[2]); n != 2 {
		t.Errorf("slow page requested %d times, want 2 (1 retry)", n)
	}
	if len(res.failures) != 1 || res.failures[0].Cause != "timeout" {
		t.Errorf("failures %+v, want one timeout", res.failures)
	}
}

// TestRunFailureCauses: binary bytes served as text/html are "not html",
// and a redirect to another scheme is "redirects", as README's failure
// table says, not "other".
func TestRunFailureCauses(t *testing.T) {
	t.Parallel()
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/img-as-html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write(png)
		case "/to-ftp":
			http.Redirect(w, r, "ftp://files.example.com/story.txt", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	cfg := fastConfig()
	cfg.IgnoreRobots = true
	cfg.Depth = -1
	res := crawl(t, t.Context(), cfg, []string{srv.URL + "/img-as-html", srv.URL + "/to-ftp"})
	if res.err != nil {
		t.Fatal(res.err)
	}
	causes := map[string]string{}
	for _, f := range res.failures {
		u, _ := url.Parse(f.URL)
		causes[u.Path] = f.Cause
	}
	if causes["/img-as-html"] != "not html" || causes["/to-ftp"] != "redirects" {
		t.Errorf("causes %v, want not html and redirects", causes)
	}
}

// resolved lists links as they resolve ("" for none), feeds marked.
func resolved(links []link) []string {
	out := make([]string, len(links))
	for i, l := range links {
		if u := l.resolve(); u != nil {
			out[i] = u.String()
		}
		if l.feed {
			out[i] += " (feed)"
		}
	}
	return out
}

// TestLinksFromExtract: the links Run takes from extract's parse of a page
// (extract.Options.Links) are those pageLinks finds by tokenizing it, on
// every fixture page.
func TestLinksFromExtract(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join("..", "fixtures", "*", "source.html"))
	if err != nil || len(pages) == 0 {
		t.Fatal("no fixture pages")
	}
	for _, p := range pages {
		body, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse("https://fixture.test/" + filepath.Base(filepath.Dir(p)) + "/")
		lc := newLinkCollector(u)
		if _, err := extract.FromBytes(body, u, extract.Options{Links: lc.add}); err != nil && !errors.Is(err, extract.ErrNoArticle) {
			t.Fatalf("%s: %v", p, err)
		}
		want := resolved(pageLinks(body, u))
		if len(want) == 0 {
			t.Errorf("%s: no links", p)
		}
		if got := resolved(lc.out); !slices.Equal(got, want) {
			t.Errorf("%s: %d links from extract, %d from the tokenizer:\n%v\n%v", p, len(got), len(want), got, want)
		}
	}
}
