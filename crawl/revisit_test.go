package crawl

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsx/newsx/crawl/crawltest"
	"github.com/newsx/newsx/extract"
)

// recrawlStores opens, for each run of a test, the store of one kind:
// the same memory store again, the state file reopened, or two workers
// on one Redis crawl.
var recrawlStores = []struct {
	name    string
	workers int
	open    func(t *testing.T, dir string) func() Store
}{
	{"memory", 1, func(t *testing.T, dir string) func() Store {
		st := NewMemoryStore()
		t.Cleanup(func() { st.Close() })
		return func() Store { return st }
	}},
	{"state", 1, func(t *testing.T, dir string) func() Store {
		return func() Store {
			st, err := OpenState(filepath.Join(dir, "state"), StateOptions{})
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
	}},
	{"redis", 2, func(t *testing.T, dir string) func() Store {
		srv := crawltest.StartRedis(t)
		var round *sync.WaitGroup
		n := 0
		return func() Store {
			if n%2 == 0 {
				round = &sync.WaitGroup{}
				round.Add(2)
			}
			n++
			st := openRedis(t, srv, "recrawl", RedisOptions{})
			return &togetherStore{redisStore: st.(*redisStore), round: round}
		}
	}},
}

// togetherStore is a Redis store whose Revisit returns once the other
// worker of the run has called it too: the workers of a fleet start
// together, and none fetches before both asked for the sources.
type togetherStore struct {
	*redisStore
	round *sync.WaitGroup
}

func (s *togetherStore) Revisit(every time.Duration) (int, error) {
	n, err := s.redisStore.Revisit(every)
	s.round.Done()
	s.round.Wait()
	return n, err
}

// recrawl runs one crawl of the newsroom with Recrawl set, over the
// store kind's workers (the first one given the seed, as a fleet's
// processes all run the same command), and returns the paths emitted,
// sorted, and the stats summed.
func recrawl(t *testing.T, room *crawltest.Newsroom, open func() Store, workers int) ([]string, Stats) {
	t.Helper()
	var (
		mu    sync.Mutex
		paths []string
		total Stats
		wg    sync.WaitGroup
	)
	for i := range workers {
		cfg := fastConfig()
		cfg.Store = open()
		cfg.Recrawl = true
		var last Stats
		cfg.OnProgress = func(s Stats) { last = s }
		var seeds []string
		if i == 0 {
			seeds = []string{room.URL + "/"}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := Run(t.Context(), cfg, seeds, func(a *extract.Article) error {
				mu.Lock()
				defer mu.Unlock()
				paths = append(paths, pathOf(t, a.URL))
				return nil
			})
			if err != nil {
				t.Errorf("worker %d: %v", i, err)
			}
			if cfg.Store != nil && workers == 1 {
				if _, ok := cfg.Store.(*memoryStore); !ok {
					cfg.Store.Close()
				}
			}
			mu.Lock()
			total.Fetched += last.Fetched
			total.Articles += last.Articles
			total.Unchanged += last.Unchanged
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(paths)
	return paths, total
}

// TestRecrawl: a second run on the same store visits the sources again
// with conditional requests, fetches the two articles published since and
// no other, and writes no record twice; a third run with nothing new
// fetches no article.
func TestRecrawl(t *testing.T) {
	t.Parallel()
	for _, kind := range recrawlStores {
		t.Run(kind.name, func(t *testing.T) {
			t.Parallel()
			room := crawltest.NewNewsroom(t)
			open := kind.open(t, t.TempDir())

			first, _ := recrawl(t, room, open, kind.workers)
			want := []string{"/a/feed-1", "/a/home-1", "/a/other-1", "/a/world-1"}
			if !slices.Equal(first, want) {
				t.Fatalf("first run wrote %v, want %v", first, want)
			}

			room.Reset()
			room.Publish("/feed.xml", "feed-2")
			room.Publish("/world/", "world-2")
			second, stats := recrawl(t, room, open, kind.workers)
			if want := []string{"/a/feed-2", "/a/world-2"}; !slices.Equal(second, want) {
				t.Errorf("second run wrote %v, want %v", second, want)
			}
			if hits, want := room.ArticleHits(), map[string]int{"/a/feed-2": 1, "/a/world-2": 1}; !maps.Equal(hits, want) {
				t.Errorf("second run fetched articles %v, want %v", hits, want)
			}
			for path, want := range map[string][]int{"/": {304}, "/other.xml": {304}, "/feed.xml": {200}, "/world/": {200}} {
				if got := room.Statuses(path); !slices.Equal(got, want) {
					t.Errorf("second run: %s answered %v, want %v", path, got, want)
				}
			}
			if stats.Unchanged != 2 {
				t.Errorf("second run: %d sources unchanged, want 2", stats.Unchanged)
			}

			room.Reset()
			third, _ := recrawl(t, room, open, kind.workers)
			if len(third) != 0 {
				t.Errorf("third run wrote %v, want nothing", third)
			}
			if hits := room.ArticleHits(); len(hits) != 0 {
				t.Errorf("third run fetched articles %v, want none", hits)
			}
			for _, path := range []string{"/", "/world/", "/feed.xml", "/other.xml"} {
				if got := room.Statuses(path); !slices.Equal(got, []int{304}) {
					t.Errorf("third run: %s answered %v, want [304]", path, got)
				}
			}
		})
	}
}

// TestRunWatch: a watching crawl picks up each article as it is
// published, writes each once, and stops with ctx.
func TestRunWatch(t *testing.T) {
	t.Parallel()
	t.Run("memory", func(t *testing.T) {
		t.Parallel()
		testRunWatch(t, nil)
	})
	// A state file compacted whenever most of it is superseded: between
	// the rounds, while Run holds it.
	t.Run("state compacted", func(t *testing.T) {
		t.Parallel()
		needCompaction(t)
		var log bytes.Buffer
		st, err := OpenState(filepath.Join(t.TempDir(), "state"), StateOptions{Logger: slogTo(&log), compactAbove: 1})
		if err != nil {
			t.Fatal(err)
		}
		testRunWatch(t, st)
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(log.String(), "state file compacted"); n == 0 || strings.Contains(log.String(), "not compacted") {
			t.Errorf("compacted %d times while watching; log:\n%s", n, log.String())
		}
	})
}

func testRunWatch(t *testing.T, st Store) {
	room := crawltest.NewNewsroom(t)
	cfg := fastConfig()
	cfg.Watch = 100 * time.Millisecond
	cfg.Store = st
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	got := make(chan string, 64)
	errc := make(chan error, 1)
	go func() {
		errc <- Run(ctx, cfg, []string{room.URL + "/"}, func(a *extract.Article) error {
			got <- pathOf(t, a.URL)
			return nil
		})
	}()
	seen := map[string]int{}
	wait := func(path string) {
		t.Helper()
		timeout := time.After(time.Minute)
		for seen[path] == 0 {
			select {
			case p := <-got:
				seen[p]++
			case err := <-errc:
				t.Fatalf("Run returned while watching: %v", err)
			case <-timeout:
				t.Fatalf("%s not written a minute after it was published", path)
			}
		}
	}
	for _, p := range []string{"/a/home-1", "/a/world-1", "/a/feed-1", "/a/other-1"} {
		wait(p)
	}
	for i, where := range []string{"/feed.xml", "/world/", "/", "/feed.xml", "/other.xml"} {
		name := "new-" + string(rune('a'+i))
		room.Publish(where, name)
		wait("/a/" + name)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v, want context.Canceled", err)
	}
	close(got)
	for p := range got {
		seen[p]++
	}
	if len(seen) != 9 {
		t.Errorf("wrote %d articles, want 9: %v", len(seen), seen)
	}
	for p, n := range seen {
		if n != 1 {
			t.Errorf("wrote %s %d times", p, n)
		}
	}
	for p, n := range room.ArticleHits() {
		if n != 1 {
			t.Errorf("fetched %s %d times", p, n)
		}
	}
}

// TestSourceSet: every store keeps a source with its validators, queues
// it again once per round (not while the visit is pending, nor while the
// frontier is busy), and the state file keeps all of it across a reopen.
func TestSourceSet(t *testing.T) {
	t.Parallel()
	srv := crawltest.StartRedis(t)
	stores := []struct {
		name   string
		open   func(t *testing.T) Store
		reopen bool
	}{
		{"memory", func(t *testing.T) Store { return NewMemoryStore() }, false},
		{"state", nil, true},
		{"redis", func(t *testing.T) Store { return openRedis(t, srv, "sources", RedisOptions{}) }, false},
	}
	for _, kind := range stores {
		t.Run(kind.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "state")
			open := kind.open
			if open == nil {
				open = func(t *testing.T) Store {
					st, err := OpenState(path, StateOptions{})
					if err != nil {
						t.Fatal(err)
					}
					return st
				}
			}
			st := open(t)
			defer func() { st.Close() }()
			again := func() {
				if kind.reopen {
					st.Close()
					st = open(t)
				}
			}
			ss := st.(SourceSet)
			feed := Entry{URL: "https://x.test/feed", Key: "x.test/feed", Depth: 1, Nesting: 2}
			article := Entry{URL: "https://x.test/a", Key: "x.test/a", Depth: 2}
			// The feed's first visit: queued by Add, recorded by SaveSource.
			if _, err := st.Add([]Entry{feed}); err != nil {
				t.Fatal(err)
			}
			claimed, _ := st.Claim(1, time.Minute)
			if err := st.Done(Outcome{Entry: claimed[0], Visited: []string{feed.Key}}); err != nil {
				t.Fatal(err)
			}
			if err := ss.SaveSource(Source{Entry: feed, ETag: `"v1"`, LastModified: "Mon, 02 Jan 2006 15:04:05 GMT"}); err != nil {
				t.Fatal(err)
			}
			again()
			ss = st.(SourceSet)
			if src, ok, err := ss.Source(feed.Key); err != nil || !ok || src.ETag != `"v1"` || src.Entry != feed {
				t.Fatalf("Source = %+v, %v, %v; want the feed with its ETag", src, ok, err)
			}
			revisit := func(want int) {
				t.Helper()
				if n, err := ss.Revisit(0); err != nil || n != want {
					t.Fatalf("Revisit(0) = %d, %v; want %d", n, err, want)
				}
			}
			// Queued again once, with Revisit set, while its visit is pending.
			revisit(1)
			revisit(0)
			again()
			ss = st.(SourceSet)
			revisit(0)
			got, _ := st.Claim(10, time.Minute)
			if len(got) != 1 || !got[0].Revisit || got[0].Key != feed.Key || got[0].Nesting != 2 {
				t.Fatalf("Claim after Revisit = %+v; want the feed, Revisit set", got)
			}
			// A round under way (an article in flight) holds it back after
			// its visit too.
			if _, err := st.Add([]Entry{article}); err != nil {
				t.Fatal(err)
			}
			inflight, _ := st.Claim(1, time.Minute)
			if err := st.Done(Outcome{Entry: got[0], Visited: []string{feed.Key}}); err != nil {
				t.Fatal(err)
			}
			until := time.Now().Add(time.Hour).Unix()
			if err := ss.SaveSource(Source{Entry: feed, ETag: `"v2"`, Until: until, Hash: "h2"}); err != nil {
				t.Fatal(err)
			}
			revisit(0)
			if err := st.Done(Outcome{Entry: inflight[0], Visited: []string{article.Key}}); err != nil {
				t.Fatal(err)
			}
			again()
			ss = st.(SourceSet)
			if src, _, _ := ss.Source(feed.Key); src.ETag != `"v2"` || src.Until != until || src.Hash != "h2" {
				t.Errorf("Source after the second visit = %+v, want ETag \"v2\", Until and Hash kept", src)
			}
			// An article whose checks for changes ended is not queued.
			if err := ss.SaveSource(Source{Entry: article, Until: time.Now().Add(-time.Minute).Unix(), Hash: "h"}); err != nil {
				t.Fatal(err)
			}
			// The round over, the next one queues the feed again; an
			// interval not yet past does not.
			if n, err := ss.Revisit(time.Hour); err != nil || n != 0 {
				t.Errorf("Revisit(1h) = %d, %v; want 0", n, err)
			}
			revisit(1)
		})
	}
}

// TestSourceDue: when a source is due for a visit again.
func TestSourceDue(t *testing.T) {
	t.Parallel()
	now := time.Now()
	tests := []struct {
		name     string
		age      time.Duration // since last queued
		failures int
		pending  bool
		busy     bool
		every    time.Duration
		want     bool
	}{
		{"interval past", time.Minute, 0, false, false, time.Minute, true},
		{"interval not past", 59 * time.Second, 0, false, false, time.Minute, false},
		{"one failure doubles", 90 * time.Second, 1, false, false, time.Minute, false},
		{"one failure, doubled past", 2 * time.Minute, 1, false, false, time.Minute, true},
		{"backoff capped", 32 * time.Minute, 9, false, false, time.Minute, true},
		{"pending", time.Minute, 0, true, false, 0, false},
		{"pending too long", pendingFor, 0, true, false, 0, true},
		{"busy", time.Minute, 0, false, true, 0, false},
		{"busy too long", pendingFor, 0, false, true, 0, true},
		{"idle, no interval", 0, 0, false, false, 0, true},
	}
	for _, tt := range tests {
		rec := sourceRec{src: Source{Failures: tt.failures}, queued: now.Add(-tt.age), pending: tt.pending}
		if got := rec.due(now, tt.every, tt.busy); got != tt.want {
			t.Errorf("%s: due = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestRecheck: with Recheck, a second run also checks the articles
// published within the window, and writes again only the one whose
// headline changed, with modified set; without Recheck it fetches none
// of them.
func TestRecheck(t *testing.T) {
	t.Parallel()
	for _, recheck := range []time.Duration{0, time.Hour} {
		t.Run(recheck.String(), func(t *testing.T) {
			t.Parallel()
			room := crawltest.NewNewsroom(t)
			st := NewMemoryStore()
			defer st.Close()
			crawl := func() ([]*extract.Article, Stats) {
				t.Helper()
				cfg := fastConfig()
				cfg.Store, cfg.Recrawl, cfg.Recheck = st, true, recheck
				var stats Stats
				cfg.OnProgress = func(s Stats) { stats = s }
				var out []*extract.Article
				err := Run(t.Context(), cfg, []string{room.URL + "/"}, func(a *extract.Article) error {
					out = append(out, a)
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				return out, stats
			}
			if first, _ := crawl(); len(first) != 4 {
				t.Fatalf("first run wrote %d records, want 4", len(first))
			}
			room.Revise("feed-1")
			room.Reset()
			second, stats := crawl()
			hits := room.ArticleHits()
			if recheck == 0 {
				if len(second) != 0 || len(hits) != 0 {
					t.Errorf("without Recheck: wrote %d records, fetched articles %v; want none", len(second), hits)
				}
				return
			}
			if len(second) != 1 || pathOf(t, second[0].URL) != "/a/feed-1" || !strings.HasSuffix(second[0].Headline, "(update 1)") || second[0].Modified == "" {
				t.Fatalf("second run wrote %+v; want /a/feed-1 updated, modified set", second)
			}
			if want := map[string]int{"/a/feed-1": 1, "/a/home-1": 1, "/a/world-1": 1, "/a/other-1": 1}; !maps.Equal(hits, want) {
				t.Errorf("second run fetched articles %v, want each once", hits)
			}
			if got := room.Statuses("/a/home-1"); !slices.Equal(got, []int{304}) {
				t.Errorf("unchanged article answered %v, want [304]", got)
			}
			if stats.Updated != 1 {
				t.Errorf("Stats.Updated = %d, want 1", stats.Updated)
			}
			room.Reset()
			if third, _ := crawl(); len(third) != 0 {
				t.Errorf("third run, nothing changed, wrote %d records", len(third))
			}
		})
	}
}

// TestRevisitFailure: a source that fails when visited again counts the
// failures in a row, which back its next visit off; one answer resets
// the count.
func TestRevisitFailure(t *testing.T) {
	t.Parallel()
	room := crawltest.NewNewsroom(t)
	st := NewMemoryStore()
	defer st.Close()
	key := Normalize(room.URL + "/other.xml")
	crawl := func(wantFailures int) {
		t.Helper()
		cfg := fastConfig()
		cfg.Store, cfg.Recrawl = st, true
		if err := Run(t.Context(), cfg, []string{room.URL + "/"}, func(*extract.Article) error { return nil }); err != nil {
			t.Fatal(err)
		}
		src, ok, err := st.(SourceSet).Source(key)
		if err != nil || !ok || src.Failures != wantFailures {
			t.Errorf("source %s = %+v, %v, %v; want %d failures", key, src, ok, err, wantFailures)
		}
	}
	crawl(0)
	room.Fail("/other.xml", true)
	crawl(1)
	crawl(2)
	room.Fail("/other.xml", false)
	crawl(0)
}
