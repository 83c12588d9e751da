package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsx/newsx/crawl/crawltest"
)

// fleetFlags are the flags of every worker in the fleet tests: two
// requests at once per host for the whole fleet, each slot kept 20ms after
// its response, short request timeouts so that a killed worker's slots
// free up soon.
var fleetFlags = []string{"-q", "--delay", "20ms", "--retry-backoff", "20ms", "--retries", "2", "--per-host", "2", "--timeout", "3s"}

// worker is one `newsx crawl` process, a member of a fleet or a
// follower of a site.
type worker struct {
	cmd    *exec.Cmd
	out    string      // its --out file
	stderr *syncBuffer // readable while it runs
	done   chan struct{}
	err    error
}

// startWorker starts fleet worker i, writing to dir/worker<i>.jsonl.
func startWorker(t *testing.T, bin, dir string, i int, args ...string) *worker {
	t.Helper()
	return startCrawl(t, bin, filepath.Join(dir, fmt.Sprintf("worker%d.jsonl", i)), append(fleetFlags, args...)...)
}

// startCrawl starts `newsx crawl --out out ARGS...`, killed at the end of
// the test if still running.
func startCrawl(t *testing.T, bin, out string, args ...string) *worker {
	t.Helper()
	w := &worker{out: out, stderr: &syncBuffer{}, done: make(chan struct{})}
	w.cmd = exec.Command(bin, append([]string{"crawl", "--out", out}, args...)...)
	w.cmd.Stderr = w.stderr
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { w.err = w.cmd.Wait(); close(w.done) }()
	t.Cleanup(func() {
		_ = w.cmd.Process.Kill()
		<-w.done
	})
	return w
}

// wait waits for the worker to exit and returns its exit code, or fails
// the test after the timeout.
func (w *worker) wait(t *testing.T, timeout time.Duration) int {
	t.Helper()
	select {
	case <-w.done:
	case <-time.After(timeout):
		t.Fatalf("worker still running after %v; stderr:\n%s", timeout, w.stderr.String())
	}
	if w.err == nil {
		return 0
	}
	if ee, ok := w.err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

// records returns the identities of the records the worker wrote in
// full, its --out file's complete lines (a line cut short by SIGKILL is
// not a record): the path of the canonical URL, else of the URL. Two
// workers may fetch an article and its AMP copy at the same moment;
// either may write the one record of their canonical URL.
func (w *worker) records(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(w.out)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		t.Fatal(err)
	}
	s := string(b)
	var out []string
	for _, line := range strings.SplitAfter(s, "\n") {
		if !strings.HasSuffix(line, "\n") {
			break
		}
		var rec struct {
			URL          string `json:"url"`
			CanonicalURL string `json:"canonical_url"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("bad jsonl line %q in %s: %v", line, w.out, err)
		}
		u := rec.CanonicalURL
		if u == "" {
			u = rec.URL
		}
		pu, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, pu.Path)
	}
	return out
}

// status runs `newsx crawl --status` and decodes its JSON.
func status(t *testing.T, redisURL, name string) map[string]int {
	t.Helper()
	code, stdout, stderr := runCLI(t, "", "crawl", "--redis", redisURL, "--crawl", name, "--status")
	if code != exitOK {
		t.Fatalf("--status: exit %d; stderr:\n%s", code, stderr)
	}
	m := map[string]any{}
	if err := json.Unmarshal([]byte(stdout), &m); err != nil || m["crawl"] != name {
		t.Fatalf("--status printed %q: %v", stdout, err)
	}
	out := map[string]int{}
	for k, v := range m {
		if f, ok := v.(float64); ok {
			out[k] = int(f)
		}
	}
	return out
}

// TestCrawlRedisFleet runs three worker processes on one Redis crawl: one
// with the home page as seed, one with none, one that adds the sitemap
// index to the running crawl. Together they write every article exactly
// once, the site never serves more than --per-host requests at once, and
// --status counts the crawl.
func TestCrawlRedisFleet(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	srv := crawltest.StartRedis(t)
	bin := newsxBinary(t)
	s := crawltest.New(t)
	s.SetCrawlDelay("0")
	dir := t.TempDir()
	shared := []string{"--redis", srv.URL, "--crawl", "fleet"}
	start := time.Now()
	ws := []*worker{startWorker(t, bin, dir, 0, append(shared, s.URL+"/")...)}
	for len(ws[0].records(t)) == 0 && time.Since(start) < 20*time.Second {
		time.Sleep(10 * time.Millisecond)
	}
	ws = append(ws, startWorker(t, bin, dir, 1, shared...))
	ws = append(ws, startWorker(t, bin, dir, 2, append(shared, s.URL+"/sitemap_index.xml")...))
	var all []string
	for i, w := range ws {
		code := w.wait(t, 60*time.Second)
		if code != exitOK && code != exitPartial {
			t.Errorf("worker %d: exit %d; stderr:\n%s", i, code, w.stderr.String())
		}
		recs := w.records(t)
		t.Logf("worker %d wrote %d records", i, len(recs))
		all = append(all, recs...)
	}
	t.Logf("fleet of 3 done in %v; at most %d requests at once", time.Since(start).Round(time.Millisecond), s.MaxConcurrent())
	checkFullSet(t, all)
	if n := s.MaxConcurrent(); n > 2 {
		t.Errorf("the site served %d requests at once; --per-host is 2 for the fleet", n)
	}
	st := status(t, srv.URL, "fleet")
	t.Logf("--status: %v", st)
	want := len(crawltest.WantArticles(time.Time{}))
	if st["queued"] != 0 || st["in_flight"] != 0 || st["failed"] != 5 || st["emitted"] != want || st["done"] < want {
		t.Errorf("--status after the crawl = %v; want 0 queued, 0 in flight, 5 failed, %d emitted", st, want)
	}
}

// TestCrawlRedisKill kills one of three workers with SIGKILL mid-crawl:
// its leases expire, the others take its pages over, and the records of
// all three (the killed one's complete lines included) are every article
// exactly once.
func TestCrawlRedisKill(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	srv := crawltest.StartRedis(t)
	bin := newsxBinary(t)
	s := crawltest.New(t)
	s.SetCrawlDelay("0")
	dir := t.TempDir()
	shared := []string{"--redis", srv.URL, "--crawl", "kill", "--lease", "2s"}
	ws := []*worker{startWorker(t, bin, dir, 0, append(shared, s.URL+"/")...)}
	time.Sleep(200 * time.Millisecond)
	ws = append(ws, startWorker(t, bin, dir, 1, shared...), startWorker(t, bin, dir, 2, shared...))
	deadline := time.Now().Add(30 * time.Second)
	for len(ws[0].records(t)) < 10 && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
	_ = ws[0].cmd.Process.Signal(syscall.SIGKILL)
	ws[0].wait(t, 10*time.Second)
	before := status(t, srv.URL, "kill")
	t.Logf("killed worker 0 after %d records; status then %v", len(ws[0].records(t)), before)
	var all []string
	for i, w := range ws {
		if i > 0 {
			if code := w.wait(t, 60*time.Second); code != exitOK && code != exitPartial {
				t.Errorf("worker %d: exit %d; stderr:\n%s", i, code, w.stderr.String())
			}
		}
		all = append(all, w.records(t)...)
	}
	checkFullSet(t, all)
	if st := status(t, srv.URL, "kill"); st["queued"] != 0 || st["in_flight"] != 0 {
		t.Errorf("--status after the crawl = %v", st)
	}
	if n := s.MaxConcurrent(); n > 2 { // the dead worker's slots stay taken until they expire
		t.Errorf("the site served %d requests at once; --per-host is 2 for the fleet", n)
	}
}

// TestCrawlRedisLost kills Redis mid-crawl: the workers pause, retry for
// --redis-timeout, and exit 1 without writing any record twice.
func TestCrawlRedisLost(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	srv := crawltest.StartRedis(t)
	bin := newsxBinary(t)
	s := crawltest.New(t)
	s.SetCrawlDelay("0")
	dir := t.TempDir()
	shared := []string{"--redis", srv.URL, "--crawl", "lost", "--redis-timeout", "1s"}
	ws := []*worker{startWorker(t, bin, dir, 0, append(shared, s.URL+"/")...)}
	time.Sleep(200 * time.Millisecond)
	ws = append(ws, startWorker(t, bin, dir, 1, shared...))
	deadline := time.Now().Add(30 * time.Second)
	for len(ws[0].records(t))+len(ws[1].records(t)) < 20 && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
	srv.Kill()
	killed := time.Now()
	var all []string
	for i, w := range ws {
		code := w.wait(t, 30*time.Second)
		if code != exitFailure || !strings.Contains(w.stderr.String(), "gave up after 1s") {
			t.Errorf("worker %d: exit %d, want 1 and a message; stderr:\n%s", i, code, w.stderr.String())
		}
		all = append(all, w.records(t)...)
	}
	t.Logf("workers exited %v after Redis was killed, with %d records", time.Since(killed).Round(time.Millisecond), len(all))
	if d := time.Since(killed); d > 15*time.Second {
		t.Errorf("workers took %v to give up with --redis-timeout 1s", d)
	}
	seen := map[string]bool{}
	for _, p := range all {
		if seen[p] {
			t.Errorf("%s written twice", p)
		}
		seen[p] = true
	}
}

func TestCrawlRedisUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--redis", "notaurl", "--crawl", "x"}, exitUsage, "not a redis:// or rediss:// URL"},
		{[]string{"--redis", "http://127.0.0.1:6379/0", "--crawl", "x"}, exitUsage, "not a redis:// or rediss:// URL"},
		{[]string{"--redis", "redis://127.0.0.1:6379/0"}, exitUsage, "--redis needs --crawl NAME"},
		{[]string{"--crawl", "x"}, exitUsage, "need --redis URL"},
		{[]string{"--status"}, exitUsage, "need --redis URL"},
		{[]string{"--redis", "redis://127.0.0.1:6379/0", "--crawl", "x", "--state", "s.db"}, exitUsage, "--redis and --state"},
		{[]string{"--redis", "redis://127.0.0.1:6379/0", "--crawl", "a b"}, exitUsage, "crawl name"},
		{[]string{"--redis", "redis://127.0.0.1:1/0", "--crawl", "x"}, exitFailure,
			"newsx: redis redis://127.0.0.1:1/0: connection refused (is redis-server running?)\n"},
		{[]string{"--redis", "redis://127.0.0.1:1/0", "--crawl", "x", "--status"}, exitFailure, "connection refused"},
		{[]string{"--redis", "redis://127.0.0.1:6379/0", "--crawl", "x", "--lease", "10ms"}, exitUsage, "a lease of 1s at least"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, "", append([]string{"crawl"}, tt.args...)...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
}

// TestCrawlRedisUnknownCrawl: a worker without seeds whose crawl has never
// started (a misspelt name) says so and fails, rather than finishing at
// once with nothing written.
func TestCrawlRedisUnknownCrawl(t *testing.T) {
	srv := crawltest.StartRedis(t)
	code, stdout, stderr := runCLI(t, "", "crawl", "--redis", srv.URL, "--crawl", "no-such-crawl")
	if code != exitFailure || stdout != "" || !strings.Contains(stderr, `crawl "no-such-crawl"`) || !strings.Contains(stderr, "nothing queued") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit %d naming the crawl", code, stdout, stderr, exitFailure)
	}
}

// TestCrawlRedisInterruptResume stops a shared crawl with Ctrl-C: the
// worker releases what it claimed (nothing stays in flight), and a worker
// started later with the same name and no seeds finishes the crawl.
func TestCrawlRedisInterruptResume(t *testing.T) {
	t.Parallel()
	srv := crawltest.StartRedis(t)
	s := crawltest.New(t)
	s.SetCrawlDelay("0")
	shared := append([]string{"newsx", "crawl", "--redis", srv.URL, "--crawl", "resume"}, fleetFlags...)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	first := &cancelAfter{n: 10, cancel: cancel}
	var stderr strings.Builder
	if code := runLocked(ctx, append(shared, s.URL+"/"), strings.NewReader(""), first, &stderr); code != exitInterrupted {
		t.Fatalf("interrupted worker: exit %d, %d records; stderr:\n%s", code, len(recordPaths(t, first.String())), stderr.String())
	}
	if st := status(t, srv.URL, "resume"); st["in_flight"] != 0 || st["queued"] == 0 {
		t.Errorf("--status after Ctrl-C = %v; want nothing in flight, the rest queued", st)
	}
	code, second, errs := runCLI(t, "", shared[1:]...)
	if code != exitOK && code != exitPartial {
		t.Fatalf("resumed worker: exit %d; stderr:\n%s", code, errs)
	}
	var all []string
	for _, out := range []string{first.String(), second} {
		w := &worker{out: filepath.Join(t.TempDir(), "out.jsonl")}
		if err := os.WriteFile(w.out, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		all = append(all, w.records(t)...)
	}
	checkFullSet(t, all)
}
