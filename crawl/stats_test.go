package crawl

import (
	"time"

	"testing"

	"github.com/newsx/newsx/crawl/crawltest"
	"github.com/newsx/newsx/extract"
)

// TestRunQueuedCounted: the progress totals count the URLs this process
// has claimed from the store but not fetched yet, so a running crawl
// never says nothing is queued while it works through its buffer.
func TestRunQueuedCounted(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	cfg := fastConfig()
	cfg.Concurrency = 1
	cfg.PerHost = 1
	cfg.Depth = 1                     // the sitemap's entries, none of their links
	cfg.Delay = 15 * time.Millisecond // a crawl of over a second: the store is read again
	cfg.IgnoreRobots = true
	var reports []Stats
	cfg.OnProgress = func(st Stats) { reports = append(reports, st) }
	err := Run(t.Context(), cfg, []string{s.URL + "/sitemaps/news.xml.gz"}, func(*extract.Article) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) == 0 {
		t.Fatal("no progress reported")
	}
	final := reports[len(reports)-1].Fetched
	for _, st := range reports {
		// One page at a time: all but the one in flight are queued.
		if left := final - st.Fetched; st.Queued < left-1 {
			t.Fatalf("after %d fetches, queued %d; %d fetches followed", st.Fetched, st.Queued, left)
		}
	}
}
