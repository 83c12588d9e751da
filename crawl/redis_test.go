package crawl

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsx/newsx/crawl/crawltest"
	"github.com/newsx/newsx/extract"
)

// openRedis opens crawl name on srv for the test.
func openRedis(t *testing.T, srv *crawltest.Redis, name string, opts RedisOptions) Store {
	t.Helper()
	st, err := OpenRedis(t.Context(), srv.URL, name, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestRedisStore(t *testing.T) {
	t.Parallel()
	srv := crawltest.StartRedis(t)
	t.Run("contract", func(t *testing.T) {
		t.Parallel()
		testStoreContract(t, openRedis(t, srv, "contract", RedisOptions{}))
	})
	t.Run("lease expiry", func(t *testing.T) {
		t.Parallel()
		testStoreLeaseExpiry(t, openRedis(t, srv, "expiry", RedisOptions{}))
	})
	t.Run("entry fields", func(t *testing.T) {
		t.Parallel()
		testStoreEntryFields(t, openRedis(t, srv, "fields", RedisOptions{}))
	})
	t.Run("two workers", func(t *testing.T) {
		t.Parallel()
		a := openRedis(t, srv, "two", RedisOptions{})
		b := openRedis(t, srv, "two", RedisOptions{})
		e := func(k string) Entry { return Entry{URL: k, Key: k} }
		if n, _ := a.Add([]Entry{e("1"), e("2"), e("3")}); n != 3 {
			t.Fatalf("Add = %d", n)
		}
		if n, _ := b.Add([]Entry{e("3"), e("4")}); n != 1 {
			t.Errorf("a second worker's Add of a known key queued it again (%d new)", n)
		}
		ga, _ := a.Claim(2, 150*time.Millisecond)
		gb, _ := b.Claim(10, time.Minute)
		if !slices.Equal(keysOf(ga), []string{"1", "2"}) || !slices.Equal(keysOf(gb), []string{"3", "4"}) {
			t.Fatalf("claims overlap or miss: a %v, b %v", keysOf(ga), keysOf(gb))
		}
		// Two pages with one canonical URL, one in each worker: one
		// record. A second claim by the winner for the same entry (a
		// second fetch of it, after its lease came back) is not the
		// winner either: only a retry inside one call, after a lost
		// reply, reuses the call's token.
		okA, _ := a.ClaimEmitted("canon", ga[0])
		okB, _ := b.ClaimEmitted("canon", gb[0])
		again, _ := a.ClaimEmitted("canon", ga[0])
		if !okA || okB || again {
			t.Errorf("ClaimEmitted: a %v, b %v, a again %v; want true, false, false", okA, okB, again)
		}
		// a stalls: its leases run out and b takes them over.
		time.Sleep(300 * time.Millisecond)
		if c, _ := b.Counts(); c.Queued != 2 || c.InFlight != 2 {
			t.Errorf("Counts with a's leases expired = %+v, want 2 queued, 2 in flight", c)
		}
		taken, _ := b.Claim(10, time.Minute)
		if !slices.Equal(keysOf(taken), []string{"1", "2"}) {
			t.Fatalf("b claimed %v after a's leases expired, want [1 2]", keysOf(taken))
		}
		if lost, _ := a.Renew(ga, time.Minute); len(lost) != 2 {
			t.Errorf("a's Renew after b took over = %v, want both lost", lost)
		}
		// a finishes late: its outcome is kept, but the entry stays b's
		// and counts once, when b acknowledges it.
		if err := a.Done(Outcome{Entry: ga[0], Visited: []string{"1"}, Found: []Entry{e("5")}}); err != nil {
			t.Fatal(err)
		}
		if c, _ := b.Counts(); c.Done != 0 || c.InFlight != 4 || c.Queued != 1 {
			t.Errorf("Counts after a stale Done = %+v, want 0 done, 4 in flight, 1 queued", c)
		}
		for _, x := range append(taken, gb...) {
			if err := b.Done(Outcome{Entry: x}); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.Done(Outcome{Entry: taken[0]}); err != nil { // twice: a retried Done
			t.Fatal(err)
		}
		if v, _ := b.Visited("1"); !v {
			t.Error("the stale Done's visited mark is missing")
		}
		if c, _ := a.Counts(); c != (Counts{Queued: 1, Done: 4, Emitted: 1}) {
			t.Errorf("Counts = %+v, want 1 queued (5), 4 done, 1 emitted", c)
		}
		// Release hands b's claim back for a.
		got, _ := b.Claim(10, time.Minute)
		if err := b.Release(got); err != nil {
			t.Fatal(err)
		}
		if got, _ := a.Claim(10, time.Minute); !slices.Equal(keysOf(got), []string{"5"}) {
			t.Errorf("a claimed %v after b released, want [5]", keysOf(got))
		}
	})
	t.Run("host gate", func(t *testing.T) {
		t.Parallel()
		a := openRedis(t, srv, "gate", RedisOptions{}).(HostGate)
		b := openRedis(t, srv, "gate", RedisOptions{}).(HostGate)
		const o = "http://news.test"
		t1, _, err := a.AcquireHost(o, 2, time.Minute)
		t2, _, _ := b.AcquireHost(o, 2, 200*time.Millisecond)
		t3, wait, _ := a.AcquireHost(o, 2, time.Minute)
		if err != nil || t1 == "" || t2 == "" || t3 != "" || wait <= 0 || wait > 200*time.Millisecond {
			t.Fatalf("acquire 3 of 2 slots: %q %q %q (wait %v), %v", t1, t2, t3, wait, err)
		}
		if tok, _, _ := b.AcquireHost("http://other.test", 2, time.Minute); tok == "" {
			t.Error("slots of another host are shared with this one")
		}
		// b's slot expires (its worker died): the slot is free again.
		time.Sleep(300 * time.Millisecond)
		t4, _, _ := b.AcquireHost(o, 2, time.Minute)
		if t4 == "" {
			t.Fatal("an expired slot was not freed")
		}
		// A release with a Crawl-delay keeps the slot for that long.
		if err := a.ReleaseHost(o, t1, 200*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		if tok, _, _ := a.AcquireHost(o, 2, time.Minute); tok != "" {
			t.Error("slot free during the Crawl-delay after release")
		}
		time.Sleep(250 * time.Millisecond)
		if err := b.ReleaseHost(o, t4, 0); err != nil {
			t.Fatal(err)
		}
		t5, _, _ := a.AcquireHost(o, 2, time.Minute)
		t6, _, _ := b.AcquireHost(o, 2, time.Minute)
		if t5 == "" || t6 == "" {
			t.Errorf("slots not free after the delay and a release: %q %q", t5, t6)
		}
	})
	t.Run("a long Crawl-delay outlives the slot key", func(t *testing.T) {
		t.Parallel()
		st := openRedis(t, srv, "longdelay", RedisOptions{}).(*redisStore)
		const o = "http://slow.test"
		tok, _, err := st.AcquireHost(o, 1, 10*time.Millisecond)
		if err != nil || tok == "" {
			t.Fatalf("acquire: %q, %v", tok, err)
		}
		if err := st.ReleaseHost(o, tok, 10*time.Minute); err != nil {
			t.Fatal(err)
		}
		ttl, err := st.rdb.PTTL(st.ctx, st.prefix+rkHost+o).Result()
		if err != nil || ttl < 10*time.Minute {
			t.Errorf("slot key expires in %v (%v), before the 10m Crawl-delay ends", ttl, err)
		}
	})
}

// runFleet runs three crawls at once, in this process, each with its own
// store on crawl name, and returns the canonical paths of their records.
// Only the first is given the seeds; the others join it.
func runFleet(t *testing.T, srv *crawltest.Redis, name string, cfg Config, seeds []string) []string {
	t.Helper()
	var (
		mu    sync.Mutex
		paths []string
		wg    sync.WaitGroup
		errs  = make([]error, 3)
	)
	for i := range 3 {
		cfg := cfg
		cfg.Store = openRedis(t, srv, name, RedisOptions{})
		wg.Add(1)
		go func() {
			defer wg.Done()
			var s []string
			if i == 0 {
				s = seeds
			}
			errs[i] = Run(t.Context(), cfg, s, func(a *extract.Article) error {
				mu.Lock()
				defer mu.Unlock()
				// An article and its AMP copy fetched at once by two
				// workers: either writes their canonical URL's record.
				u := a.CanonicalURL
				if u == "" {
					u = a.URL
				}
				paths = append(paths, pathOf(t, u))
				return nil
			})
		}()
		if i == 0 {
			time.Sleep(100 * time.Millisecond) // the seeds are in before the others start
		}
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("worker %d: %v", i, err)
		}
	}
	return paths
}

// TestRedisRunFleet runs three crawls of the fixture site on one Redis
// crawl: together they write every article once, fetch no page twice
// and never exceed the per-host limit.
func TestRedisRunFleet(t *testing.T) {
	t.Parallel()
	srv := crawltest.StartRedis(t)
	s := crawltest.New(t)
	s.SetCrawlDelay("0")
	cfg := fastConfig()
	cfg.PerHost = 2
	cfg.Delay = 20 * time.Millisecond
	paths := runFleet(t, srv, "fleet", cfg, []string{s.URL + "/"})
	checkExactlyOnce(t, paths, crawltest.WantArticles(time.Time{}))
	if n := s.MaxConcurrent(); n > 2 {
		t.Errorf("the site served %d requests at once, with a per-host limit of 2", n)
	}
	for p, n := range s.Hits() {
		if n > 1 && p != "/robots.txt" && p != "/broken/500" && !slices.Contains(crawltest.Extras[:2], p) && !strings.HasPrefix(p, "/loop/") {
			t.Errorf("fetched %s %d times", p, n)
		}
	}
}

// TestRedisRunFleetCrawlDelay: a robots.txt Crawl-delay spaces the
// requests of the whole fleet, not of each worker.
func TestRedisRunFleetCrawlDelay(t *testing.T) {
	t.Parallel()
	srv := crawltest.StartRedis(t)
	s := crawltest.New(t)
	s.SetCrawlDelay("0.05")
	cfg := fastConfig()
	cfg.Depth = 1
	cfg.MaxPages = 8 // each
	paths := runFleet(t, srv, "delay", cfg, []string{s.URL + "/feed.xml"})
	seen := map[string]bool{}
	for _, p := range paths {
		if seen[p] {
			t.Errorf("%s written twice", p)
		}
		seen[p] = true
	}
	var prev time.Time
	n := 0
	for _, r := range s.Log() {
		if r.Path == "/robots.txt" {
			continue // each worker reads it once
		}
		if !prev.IsZero() && r.At.Sub(prev) < 45*time.Millisecond {
			t.Errorf("requests %v apart, want at least the 50ms Crawl-delay", r.At.Sub(prev))
		}
		prev = r.At
		n++
	}
	if n < 20 {
		t.Errorf("the fleet made %d requests, want 24 (8 each)", n)
	}
	if n := s.MaxConcurrent(); n > 2 { // a page and another worker's robots.txt
		t.Errorf("the site served %d requests at once", n)
	}
}

func pathOf(t *testing.T, u string) string {
	t.Helper()
	i := strings.Index(u, "://")
	j := strings.IndexByte(u[i+3:], '/')
	return u[i+3+j:]
}

func TestRedisUnavailable(t *testing.T) {
	t.Parallel()
	t.Run("at start", func(t *testing.T) {
		t.Parallel()
		_, err := OpenRedis(t.Context(), "redis://127.0.0.1:1/0", "x", RedisOptions{})
		if err == nil || err.Error() != "redis redis://127.0.0.1:1/0: connection refused (is redis-server running?)" {
			t.Errorf("OpenRedis of a closed port = %v", err)
		}
	})
	t.Run("mid-crawl", func(t *testing.T) {
		t.Parallel()
		srv := crawltest.StartRedis(t)
		st := openRedis(t, srv, "lost", RedisOptions{Timeout: 500 * time.Millisecond})
		if _, err := st.Add([]Entry{{URL: "a", Key: "a"}}); err != nil {
			t.Fatal(err)
		}
		srv.Kill()
		start := time.Now()
		_, err := st.Claim(1, time.Minute)
		if d := time.Since(start); err == nil || d < 400*time.Millisecond || d > 3*time.Second {
			t.Errorf("Claim with Redis gone = %v after %v; want an error after about 500ms", err, d)
		}
		if err != nil && !strings.Contains(err.Error(), "gave up after 500ms") {
			t.Errorf("error %q does not say it gave up", err)
		}
		// The outage is known: the next operation fails at once.
		start = time.Now()
		if ok, err := st.ClaimEmitted("k", Entry{Seq: 1}); ok || err == nil || time.Since(start) > time.Second {
			t.Errorf("ClaimEmitted after giving up = %v, %v in %v", ok, err, time.Since(start))
		}
	})
}

// TestRedisOutage takes Redis away for less than the store's timeout:
// the operation pauses, retries and succeeds once the server is back
// (empty: its scripts are loaded again).
func TestRedisOutage(t *testing.T) {
	t.Parallel()
	srv := crawltest.StartRedis(t)
	st := openRedis(t, srv, "outage", RedisOptions{Timeout: 20 * time.Second})
	if _, err := st.Claim(1, time.Minute); err != nil { // scripts loaded
		t.Fatal(err)
	}
	srv.Kill()
	restarted := make(chan error, 1)
	go func() {
		time.Sleep(500 * time.Millisecond)
		restarted <- srv.Restart()
	}()
	defer func() {
		if err := <-restarted; err != nil {
			t.Error(err)
		}
	}()
	start := time.Now()
	n, err := st.Add([]Entry{{URL: "a", Key: "a"}})
	if err != nil || n != 1 {
		t.Fatalf("Add across a 500ms outage = %d, %v", n, err)
	}
	if d := time.Since(start); d < 400*time.Millisecond {
		t.Errorf("Add returned after %v, before Redis was back", d)
	}
	if got, err := st.Claim(1, time.Minute); err != nil || len(got) != 1 {
		t.Errorf("Claim after the outage = %v, %v", got, err)
	}
}

func TestCheckRedis(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url, name string
		want      error
	}{
		{"redis://127.0.0.1:6379/0", "news-2026", nil},
		{"rediss://user:pw@redis.example:6380/2", "a.b_c", nil},
		{"notaurl", "x", ErrRedisURL},
		{"http://127.0.0.1:6379/0", "x", ErrRedisURL},
		{"redis://127.0.0.1:6379/notanumber", "x", ErrRedisURL},
		{"redis://127.0.0.1:6379/0", "", ErrCrawlName},
		{"redis://127.0.0.1:6379/0", "a}b", ErrCrawlName},
		{"redis://127.0.0.1:6379/0", "-x", ErrCrawlName},
	}
	for _, tt := range tests {
		if err := CheckRedis(tt.url, tt.name); !errors.Is(err, tt.want) {
			t.Errorf("CheckRedis(%q, %q) = %v, want %v", tt.url, tt.name, err, tt.want)
		}
	}
}
