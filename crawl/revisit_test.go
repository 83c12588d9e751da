package crawl

import (
	"context"
	"errors"
	"maps"
	"path/filepath"
	"slices"
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
	room := crawltest.NewNewsroom(t)
	cfg := fastConfig()
	cfg.Watch = 100 * time.Millisecond
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
