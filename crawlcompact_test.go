package main

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsx/newsx/crawl"
	"github.com/newsx/newsx/crawl/crawltest"
)

// TestCrawlFollowCompacted re-crawls a site on a state file that
// thousands of earlier visits to its sources grew past the size where
// state files are compacted: the run compacts it when it opens it and
// fetches only the article published since, and the runs after it keep
// the file small, fetching nothing.
func TestCrawlFollowCompacted(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("state files are not compacted on windows")
	}
	room := crawltest.NewNewsroom(t)
	state := filepath.Join(t.TempDir(), "state")
	args := append(append([]string{"crawl", "--state", state}, fastFlags...), room.URL+"/")
	code, stdout, stderr := runCLI(t, "", args...)
	if got := recordPaths(t, stdout); code != exitOK || len(got) != 4 {
		t.Fatalf("first run: exit %d, records %v; stderr:\n%s", code, got, stderr)
	}
	first := stateSize(t, state)

	// The visits of runs long past: each source visited again and found
	// unchanged, until the file is past 4 MiB (the next Revisit would
	// compact it).
	st, err := crawl.OpenState(state, crawl.StateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	src := st.(crawl.SourceSet)
	for rounds := 0; stateSize(t, state) < 4<<20; rounds++ {
		if n, err := src.Revisit(0); err != nil || n != 4 {
			t.Fatalf("round %d: Revisit = %d, %v; want the 4 sources", rounds, n, err)
		}
		entries, err := st.Claim(100, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			s, ok, err := src.Source(e.Key)
			if err != nil || !ok {
				t.Fatalf("Source(%s) = %v, %v", e.Key, ok, err)
			}
			if err := st.Done(crawl.Outcome{Entry: e, Visited: []string{e.Key}}); err != nil {
				t.Fatal(err)
			}
			if err := src.SaveSource(s); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	grown := stateSize(t, state)

	sizes := []int64{first, grown}
	for run := 2; run <= 5; run++ {
		room.Reset()
		var want []string
		if run == 2 {
			room.Publish("/world/", "world-2")
			want = []string{"/a/world-2"}
		}
		code, stdout, stderr := runCLI(t, "", args...)
		got := recordPaths(t, stdout)
		slices.Sort(got)
		if code != exitOK || !slices.Equal(got, want) {
			t.Errorf("run %d: exit %d, records %v, want %v; stderr:\n%s", run, code, got, want, stderr)
		}
		wantHits := map[string]int{}
		for _, p := range want {
			wantHits[p] = 1
		}
		if hits := room.ArticleHits(); len(hits) != len(wantHits) || hits["/a/world-2"] != wantHits["/a/world-2"] {
			t.Errorf("run %d fetched articles %v, want %v", run, hits, wantHits)
		}
		if compacted := strings.Contains(stderr, "state file compacted"); compacted != (run == 2) {
			t.Errorf("run %d: compacted %v, want %v; stderr:\n%s", run, compacted, run == 2, stderr)
		}
		sizes = append(sizes, stateSize(t, state))
	}
	t.Logf("state file sizes: first run, grown, then after each run: %v", sizes)
	if largest := slices.Max(sizes[2:]); largest*100 > grown {
		t.Errorf("state file of %d bytes after the runs on the %d grown", largest, grown)
	}
}

func stateSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
