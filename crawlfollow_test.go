package main

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsx/newsx/crawl/crawltest"
)

// checkRevisit fails unless the newsroom's second crawl fetched the two
// articles published since the first and no other, and its unchanged
// sources answered 304.
func checkRevisit(t *testing.T, room *crawltest.Newsroom, records []string) {
	t.Helper()
	slices.Sort(records)
	if want := []string{"/a/feed-2", "/a/world-2"}; !slices.Equal(records, want) {
		t.Errorf("second run wrote %v, want %v", records, want)
	}
	if hits, want := room.ArticleHits(), map[string]int{"/a/feed-2": 1, "/a/world-2": 1}; !maps.Equal(hits, want) {
		t.Errorf("second run fetched articles %v, want %v", hits, want)
	}
	for path, want := range map[string][]int{"/": {304}, "/other.xml": {304}, "/feed.xml": {200}, "/world/": {200}} {
		if got := room.Statuses(path); !slices.Equal(got, want) {
			t.Errorf("second run: %s answered %v, want %v", path, got, want)
		}
	}
}

// TestCrawlFollowState runs the same crawl on one state file twice: the
// second run visits the sources again with conditional requests and
// fetches only the article added to a feed and the one added to a
// section front.
func TestCrawlFollowState(t *testing.T) {
	t.Parallel()
	room := crawltest.NewNewsroom(t)
	args := append(append([]string{"crawl", "--state", filepath.Join(t.TempDir(), "state")}, fastFlags...), room.URL+"/")
	code, stdout, stderr := runCLI(t, "", args...)
	if got := recordPaths(t, stdout); code != exitOK || len(got) != 4 {
		t.Fatalf("first run: exit %d, records %v; stderr:\n%s", code, got, stderr)
	}
	room.Publish("/feed.xml", "feed-2")
	room.Publish("/world/", "world-2")
	room.Reset()
	code, stdout, stderr = runCLI(t, "", args...)
	if code != exitOK {
		t.Fatalf("second run: exit %d; stderr:\n%s", code, stderr)
	}
	checkRevisit(t, room, recordPaths(t, stdout))
}

// syncBuffer is a strings.Builder safe to read while a process writes.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startFollower starts a `newsx crawl` process that logs at debug level
// and writes to out.
func startFollower(t *testing.T, bin, out string, args ...string) *worker {
	t.Helper()
	return startCrawl(t, bin, out, append(append([]string{"-v", "--progress", "never"}, fastFlags...), args...)...)
}

// waitFor polls until ok holds, failing the test after a minute.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for start := time.Now(); !ok(); time.Sleep(20 * time.Millisecond) {
		if time.Since(start) > time.Minute {
			t.Fatalf("a minute without %s", what)
		}
	}
}

// TestCrawlFollowRedis runs the same shared crawl twice with two
// processes on one Redis: the second time the two visit each source once
// between them, and fetch only the two articles published since.
func TestCrawlFollowRedis(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	srv := crawltest.StartRedis(t)
	bin := newsxBinary(t)
	room := crawltest.NewNewsroom(t)
	shared := []string{"--redis", srv.URL, "--crawl", "follow", room.URL + "/"}
	run := func(round int, ready func(fs []*worker)) []string {
		t.Helper()
		dir := t.TempDir()
		fs := []*worker{
			startFollower(t, bin, filepath.Join(dir, "0.jsonl"), shared...),
			startFollower(t, bin, filepath.Join(dir, "1.jsonl"), shared...),
		}
		ready(fs)
		var all []string
		for i, f := range fs {
			if code := f.wait(t, time.Minute); code != exitOK {
				t.Fatalf("run %d, process %d: exit %d; stderr:\n%s", round, i, code, f.stderr.String())
			}
			all = append(all, f.records(t)...)
		}
		return all
	}
	if first := run(1, func([]*worker) {}); len(first) != 4 {
		t.Fatalf("first run wrote %v, want the 4 articles", first)
	}
	room.Publish("/feed.xml", "feed-2")
	room.Publish("/world/", "world-2")
	room.Reset()
	// The new articles wait until both processes have asked for the
	// sources due, so that the second asks while the round is under way.
	release := room.Hold()
	defer release()
	second := run(2, func(fs []*worker) {
		for i, f := range fs {
			waitFor(t, fmt.Sprintf("process %d asking for sources", i), func() bool {
				s := f.stderr.String()
				return strings.Contains(s, "visiting sources again") || strings.Contains(s, "no source due")
			})
		}
		release()
	})
	checkRevisit(t, room, second)
}

// TestCrawlWatch follows a site that publishes an article every second
// for ten seconds with --watch 2s: each article is written once, fetched
// once, and Ctrl-C (SIGINT) ends the crawl with exit 130.
func TestCrawlWatch(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary and runs for ten seconds")
	}
	bin := newsxBinary(t)
	room := crawltest.NewNewsroom(t)
	out := filepath.Join(t.TempDir(), "out.jsonl")
	f := startFollower(t, bin, out, "--watch", "2s", room.URL+"/")
	want := []string{"/a/feed-1", "/a/home-1", "/a/other-1", "/a/world-1"}
	pages := []string{"/feed.xml", "/world/", "/", "/other.xml"}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for i := range 10 {
		<-tick.C
		name := fmt.Sprintf("new-%d", i)
		room.Publish(pages[i%len(pages)], name)
		want = append(want, "/a/"+name)
	}
	slices.Sort(want)
	waitFor(t, "every article written", func() bool {
		return len(f.records(t)) >= len(want)
	})
	if err := f.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code := f.wait(t, time.Minute); code != exitInterrupted {
		t.Errorf("exit %d after SIGINT, want %d; stderr:\n%s", code, exitInterrupted, f.stderr.String())
	}
	got := f.records(t)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("wrote %v, want each of %v once", got, want)
	}
	for p, n := range room.ArticleHits() {
		if n != 1 {
			t.Errorf("fetched %s %d times", p, n)
		}
	}
	if t.Failed() {
		b, _ := os.ReadFile(out)
		t.Logf("output:\n%s\nstderr:\n%s", b, f.stderr.String())
	}
}

// TestCrawlRecheck: with --recheck, the same crawl run again writes again
// the article whose headline changed, with modified set, and no other.
func TestCrawlRecheck(t *testing.T) {
	t.Parallel()
	room := crawltest.NewNewsroom(t)
	args := append(append([]string{"crawl", "--recheck", "1h", "--state", filepath.Join(t.TempDir(), "state")}, fastFlags...), room.URL+"/")
	if code, stdout, stderr := runCLI(t, "", args...); code != exitOK || len(recordPaths(t, stdout)) != 4 {
		t.Fatalf("first run: exit %d, records %v; stderr:\n%s", code, recordPaths(t, stdout), stderr)
	}
	room.Revise("world-1")
	code, stdout, stderr := runCLI(t, "", args...)
	if got := recordPaths(t, stdout); code != exitOK || !slices.Equal(got, []string{"/a/world-1"}) {
		t.Fatalf("second run: exit %d, records %v, want /a/world-1 again; stderr:\n%s", code, got, stderr)
	}
	if !strings.Contains(stdout, `"modified":"20`) {
		t.Errorf("the record written again has no modified time:\n%s", stdout)
	}
}

// TestCrawlRecheckUsage: --recheck alone, which would check nothing, is
// a usage error.
func TestCrawlRecheckUsage(t *testing.T) {
	t.Parallel()
	code, _, stderr := runCLI(t, "", "crawl", "--recheck", "1h", "https://x.test/")
	if code != exitUsage || !strings.Contains(stderr, "--recheck") {
		t.Errorf("exit %d, stderr %q; want %d naming --recheck", code, stderr, exitUsage)
	}
}
