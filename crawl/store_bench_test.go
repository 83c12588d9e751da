package crawl_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsx/newsx/crawl"
)

// BenchmarkStoreDone times what Run asks of its Store for each page, on
// Run's one goroutine: a Visited check, an Emitted check and the Done
// commit with the page's key, a few new links and its emitted key. The
// untimed refills claim the next batch (with a state file, that writes
// the group of outcomes still pending, which stays untimed).
func BenchmarkStoreDone(b *testing.B) {
	for _, kind := range []string{"state", "memory"} {
		b.Run(kind, func(b *testing.B) {
			var st crawl.Store
			if kind == "state" {
				s, err := crawl.OpenState(filepath.Join(b.TempDir(), "state.db"), crawl.StateOptions{})
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				st = s
			} else {
				st = crawl.NewMemoryStore()
			}
			const queued = 4096
			var seed []crawl.Entry
			for i := range queued {
				u := fmt.Sprintf("http://127.0.0.1:8080/world/2026/11/20/lakeview-harbour-rail-%07d.html", i)
				seed = append(seed, crawl.Entry{URL: u, Key: u, Depth: 3})
			}
			i := 0
			var batch []crawl.Entry
			for b.Loop() {
				if len(batch) == 0 {
					b.StopTimer()
					if _, err := st.Add(seed); err != nil {
						b.Fatal(err)
					}
					var err error
					if batch, err = st.Claim(queued, time.Hour); err != nil {
						b.Fatal(err)
					}
					for k := range seed {
						seed[k].URL += "x"
						seed[k].Key = seed[k].URL
					}
					b.StartTimer()
				}
				e := batch[0]
				batch = batch[1:]
				var found []crawl.Entry
				for k := range i % 3 {
					u := fmt.Sprintf("http://127.0.0.1:8080/topics/t-%d-%d", i, k)
					found = append(found, crawl.Entry{URL: u, Key: u, Depth: 4})
				}
				if _, err := st.Visited(e.Key); err != nil {
					b.Fatal(err)
				}
				if _, err := st.Emitted(e.Key); err != nil {
					b.Fatal(err)
				}
				if err := st.Done(crawl.Outcome{Entry: e, Visited: []string{e.Key}, Found: found, Emitted: e.Key}); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
