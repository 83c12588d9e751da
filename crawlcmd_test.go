package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsx/newsx/crawl"
	"github.com/newsx/newsx/crawl/crawltest"
)

// fastFlags lift the politeness delays for the fixture site; robots.txt
// and its Crawl-delay still apply.
var fastFlags = []string{"--delay", "0", "--retry-backoff", "20ms", "--retries", "2", "--per-host", "4"}

// recordPaths returns the URL paths of jsonl records.
func recordPaths(t *testing.T, jsonl string) []string {
	t.Helper()
	var out []string
	sc := bufio.NewScanner(strings.NewReader(jsonl))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec struct {
			URL       string `json:"url"`
			IsArticle bool   `json:"is_article"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("bad jsonl line %q: %v", sc.Text(), err)
		}
		u, err := url.Parse(rec.URL)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, u.Path)
	}
	return out
}

// checkFullSet fails unless paths are every article of the site, once.
func checkFullSet(t *testing.T, paths []string) {
	t.Helper()
	want := crawltest.WantArticles(time.Time{})
	seen := map[string]int{}
	for _, p := range paths {
		seen[p]++
		if seen[p] == 2 {
			t.Errorf("%s written twice", p)
		}
		if !want[p] {
			t.Errorf("%s written, but it is not an article", p)
		}
	}
	missing := 0
	for p := range want {
		if seen[p] == 0 {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d articles missing", missing, len(want))
	}
}

func TestCrawlCommand(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	errFile := filepath.Join(t.TempDir(), "errors.jsonl")
	args := append([]string{"crawl", "--errors", errFile}, fastFlags...)
	code, stdout, stderr := runCLI(t, "", append(args, s.URL+"/")...)
	if code != exitOK {
		t.Errorf("exit %d, want %d (a crawl with failed pages ran to its end); stderr:\n%s", code, exitOK, stderr)
	}
	checkFullSet(t, recordPaths(t, stdout))
	if !strings.Contains(stderr, `msg="crawl finished"`) || !strings.Contains(stderr, "failed_status_404=1") {
		t.Errorf("no summary on stderr:\n%s", stderr)
	}
	b, err := os.ReadFile(errFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 5 {
		t.Errorf("--errors file has %d lines, want 5:\n%s", len(lines), b)
	}
	var f struct {
		URL    string `json:"url"`
		Stage  string `json:"stage"`
		Error  string `json:"error"`
		Status int    `json:"status"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &f); err != nil || f.URL == "" || f.Stage == "" || f.Error == "" {
		t.Errorf("bad --errors line %q: %v", lines[0], err)
	}
}

func TestCrawlCommandSeeds(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	seedFile := filepath.Join(t.TempDir(), "seeds.txt")
	if err := os.WriteFile(seedFile, []byte("# the feed\n\n"+s.URL+"/feed.xml  # latest\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	base := append([]string{"crawl", "--depth", "1", "--ignore-robots"}, fastFlags...)
	tests := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"seeds file", "", []string{"--seeds", seedFile}},
		{"stdin", s.URL + "/feed.xml\n", nil},
		{"argument", "", []string{s.URL + "/feed.xml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCLI(t, tt.stdin, append(append([]string{}, base...), tt.args...)...)
			if code != exitOK {
				t.Errorf("exit %d; stderr:\n%s", code, stderr)
			}
			if n := len(recordPaths(t, stdout)); n != 20 {
				t.Errorf("%d records, want the feed's 20", n)
			}
		})
	}
}

func TestCrawlCommandUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"crawl"}, "no seeds given"},
		{[]string{"crawl", "ftp://x.test/"}, "not an http or https URL"},
		{[]string{"crawl", "--emit", "some", "https://x.test/"}, "--emit"},
		{[]string{"crawl", "--since", "yesterday", "https://x.test/"}, "--since"},
		{[]string{"crawl", "-f", "xml", "https://x.test/"}, "unknown format"},
		{[]string{"crawl", "--depth", "-1", "https://x.test/"}, "--depth"},
		{[]string{"crawl", "--max-crawl-delay", "-1s", "https://x.test/"}, "--max-crawl-delay"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, "", tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, exitUsage, tt.want)
		}
	}
}

// TestCrawlCommandMaxCrawlDelay: a host whose Crawl-delay is over
// --max-crawl-delay is skipped with a warning naming it and the delay.
func TestCrawlCommandMaxCrawlDelay(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	s.CrawlDelay = "2"
	code, stdout, stderr := runCLI(t, "", append(append([]string{"crawl", "--max-crawl-delay", "1s"}, fastFlags...), s.URL+"/")...)
	if code != exitOK || stdout != "" {
		t.Errorf("exit %d, stdout %q; want %d and no records", code, stdout, exitOK)
	}
	if !strings.Contains(stderr, "Crawl-delay over --max-crawl-delay") || !strings.Contains(stderr, s.URL) || !strings.Contains(stderr, "delay=2s") {
		t.Errorf("stderr %q, want a warning naming the host and its delay", stderr)
	}
	if hits := s.Hits(); len(hits) != 1 || hits["/robots.txt"] != 1 {
		t.Errorf("requests %v, want robots.txt only", hits)
	}
}

// TestCrawlKillResume kills a crawl with SIGKILL five times, mid-way, and
// resumes it with the same --state and --out: the output ends up holding
// every article exactly once.
func TestCrawlKillResume(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "newsx")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	s := crawltest.New(t)
	s.SetCrawlDelay("0.01")
	state := filepath.Join(dir, "crawl.db")
	out := filepath.Join(dir, "articles.jsonl")
	args := append([]string{"crawl", "-q", "--state", state, "--out", out}, fastFlags...)
	args = append(args, s.URL+"/")

	lines := func() int {
		b, _ := os.ReadFile(out)
		return strings.Count(string(b), "\n")
	}
	for _, killAt := range []int{5, 25, 45, 70, 95} {
		cmd := exec.Command(bin, args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for lines() < killAt && time.Now().Before(deadline) {
			time.Sleep(2 * time.Millisecond)
		}
		// An error means the crawl already ended; the checks below still hold.
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		t.Logf("killed with %d records written", lines())
	}
	cmd := exec.Command(bin, args...)
	cmd.Stderr = os.Stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !(errorsAs(err, &ee) && (ee.ExitCode() == exitPartial || ee.ExitCode() == exitOK)) {
		t.Fatalf("resumed crawl: %v", err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	checkFullSet(t, recordPaths(t, string(b)))
}

// TestCrawlCommandOldState gives --state a state file of the bbolt
// format that newsx used before the journal: the crawl refuses it, says
// what to do, and leaves it as it is.
func TestCrawlCommandOldState(t *testing.T) {
	t.Parallel()
	old := crawltest.ReadGzip(t, filepath.Join("crawl", "testdata", "bbolt-state.db.gz"))
	state := filepath.Join(t.TempDir(), "crawl.db")
	if err := os.WriteFile(state, old, 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "", append([]string{"crawl", "-q", "--state", state}, append(fastFlags, "http://127.0.0.1:1/")...)...)
	if code != exitFailure || stdout != "" {
		t.Errorf("exit %d, stdout %q; want %d and nothing", code, stdout, exitFailure)
	}
	for _, want := range []string{"newsx: open state " + state, "bbolt format", "delete it to start the crawl over"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q does not say %q", stderr, want)
		}
	}
	if b, _ := os.ReadFile(state); !bytes.Equal(b, old) {
		t.Error("the old state file was changed")
	}
}

func errorsAs(err error, target **exec.ExitError) bool {
	e, ok := err.(*exec.ExitError)
	if ok {
		*target = e
	}
	return ok
}

// cancelAfter is a stdout that cancels the run after n records, like a
// Ctrl-C in the middle of a crawl.
type cancelAfter struct {
	strings.Builder
	n      int
	cancel func()
}

func (c *cancelAfter) Write(p []byte) (int, error) {
	c.n -= strings.Count(string(p), "\n")
	if c.n <= 0 {
		c.cancel()
	}
	return c.Builder.Write(p)
}

func TestCrawlCommandInterrupt(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	stdout := &cancelAfter{n: 10, cancel: cancel}
	var stderr strings.Builder
	args := append(append([]string{"newsx", "crawl"}, fastFlags...), s.URL+"/")
	start := time.Now()
	code := runLocked(ctx, args, strings.NewReader(""), stdout, &stderr)
	if code != exitInterrupted {
		t.Errorf("exit %d, want %d; stderr:\n%s", code, exitInterrupted, stderr.String())
	}
	if !strings.Contains(stderr.String(), "newsx: interrupted") {
		t.Errorf("stderr does not say interrupted:\n%s", stderr.String())
	}
	// Records already written stay whole; in-flight pages may add a few.
	if n := len(recordPaths(t, stdout.String())); n < 10 || n > 20 {
		t.Errorf("%d records after interrupt at 10", n)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestCrawlCommandCSVResume appends to a CSV file across two runs on one
// state file: one header, every record once.
func TestCrawlCommandCSVResume(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "articles.csv")
	args := append([]string{"crawl", "-q", "-f", "csv", "--fields", "url,headline", "--depth", "1", "--ignore-robots",
		"--state", filepath.Join(dir, "state.db"), "--out", out, "--max-articles", "8"}, fastFlags...)
	args = append(args, s.URL+"/feed.xml")
	for run := range 3 {
		if code, _, stderr := runCLI(t, "", args...); code != exitOK {
			t.Fatalf("run %d: exit %d; stderr:\n%s", run, code, stderr)
		}
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(string(b), "\r\n", "\n")), "\n")
	if lines[0] != "url,headline" || strings.Count(string(b), "url,headline") != 1 {
		t.Errorf("want one header line first:\n%s", b)
	}
	seen := map[string]bool{}
	for _, l := range lines[1:] {
		if seen[l] {
			t.Errorf("row written twice: %s", l)
		}
		seen[l] = true
	}
	if len(seen) != 20 {
		t.Errorf("%d rows after 3 runs of 8, want the feed's 20", len(seen))
	}
}

func TestCrawlCommandEmitAll(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	args := append([]string{"crawl", "-q", "--emit", "all", "--depth", "0", "--ignore-robots"}, fastFlags...)
	code, stdout, stderr := runCLI(t, "", append(args, s.URL+"/world/")...)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	var rec struct {
		URL       string `json:"url"`
		IsArticle bool   `json:"is_article"`
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(stdout)), &rec); err != nil || rec.IsArticle || !strings.HasSuffix(rec.URL, "/world/") {
		t.Errorf("with --emit all and --depth 0 want the section's record with is_article false, got %q (%v)", stdout, err)
	}
}

func TestReadBackCSV(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	// Two whole records (one with a quoted newline), then a cut one.
	content := "url,headline\r\nhttps://x.test/a,A\r\nhttps://x.test/b,\"B\nsecond line\"\r\nhttps://x.test/c,C cut sho"
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	st := crawl.NewMemoryStore()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := readBackCSV(f, int64(len(content)), st); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]bool{"https://x.test/a": true, "https://x.test/b": true, "https://x.test/c": false} {
		if got, _ := st.Emitted(k); got != want {
			t.Errorf("Emitted(%s) = %v, want %v", k, got, want)
		}
	}
	b, _ := os.ReadFile(path)
	if want := content[:strings.Index(content, "https://x.test/c")]; string(b) != want {
		t.Errorf("file after read-back %q, want %q", b, want)
	}
}

func TestReadBackJSONL(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "out.jsonl")
	content := `{"url":"https://x.test/a?utm_source=x","canonical_url":""}` + "\n" +
		`{"url":"https://x.test/b-amp","canonical_url":"https://x.test/b"}` + "\n" +
		`{"url":"https://x.test/c","canon`
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	st := crawl.NewMemoryStore()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := readBackJSONL(f, int64(len(content)), st); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]bool{"https://x.test/a": true, "https://x.test/b": true, "https://x.test/b-amp": false, "https://x.test/c": false} {
		if got, _ := st.Emitted(k); got != want {
			t.Errorf("Emitted(%s) = %v, want %v", k, got, want)
		}
	}
	b, _ := os.ReadFile(path)
	if want := content[:strings.LastIndex(content, "\n")+1]; string(b) != want {
		t.Errorf("file after read-back %q, want %q", b, want)
	}
}

// TestCrawlFrontierHint checks that a crawl keeping its queue in memory
// says once, when the queue grows past frontierHint, that --state would
// keep it on disk, and that a crawl with --state does not. Not parallel:
// it lowers frontierHint for the fixture site.
func TestCrawlFrontierHint(t *testing.T) {
	defer func(n int) { frontierHint = n }(frontierHint)
	frontierHint = 3
	s := crawltest.New(t)
	const hint = "many URLs queued in memory"
	_, _, stderr := runCLI(t, "", append(append([]string{"crawl"}, fastFlags...), s.URL+"/")...)
	if n := strings.Count(stderr, hint); n != 1 {
		t.Errorf("without --state the hint was given %d times, want 1; stderr:\n%s", n, stderr)
	}
	state := filepath.Join(t.TempDir(), "state")
	_, _, stderr = runCLI(t, "", append(append([]string{"crawl", "--state", state}, fastFlags...), s.URL+"/")...)
	if strings.Contains(stderr, hint) {
		t.Errorf("with --state the hint was given; stderr:\n%s", stderr)
	}
}
