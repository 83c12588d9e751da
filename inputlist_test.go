package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// sources returns the source field of each JSON Lines record in out.
func sources(t *testing.T, out string) []string {
	t.Helper()
	var got []string
	for line := range strings.Lines(out) {
		var a struct {
			Source string `json:"source"`
		}
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("%v in %q", err, line)
		}
		got = append(got, a.Source)
	}
	return got
}

// TestInputFile: -i reads one input a line, skipping blank lines and
// comments, after the arguments and in the order of the lists; -i -
// reads the list from stdin, which then cannot be a page too.
func TestInputFile(t *testing.T) {
	t.Parallel()
	const (
		german = "fixtures/german-news/source.html"
		yonhap = "fixtures/yonhap-wire/source.html"
	)
	dir := t.TempDir()
	list := filepath.Join(dir, "pages.txt")
	if err := os.WriteFile(list, []byte("# pages saved last week\n\n  "+german+"  \n\t\n# "+yonhap+"\n"+yonhap+" # the wire copy\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "more.txt")
	if err := os.WriteFile(other, []byte(seed+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.txt")
	if err := os.WriteFile(empty, []byte("# nothing yet\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		stdin   string
		code    int
		sources []string
		stderr  string
	}{
		{name: "list", args: []string{"-i", list}, sources: []string{german, yonhap}},
		{name: "long flag after an argument", args: []string{seed, "--input-file", list}, sources: []string{seed, german, yonhap}},
		{name: "two lists", args: []string{"-i", other, "-i=" + list}, sources: []string{seed, german, yonhap}},
		{name: "stdin list", args: []string{"-i", "-"}, stdin: "# from a pipe\n\n" + yonhap + "\n" + seed + "\n", sources: []string{yonhap, seed}},
		{name: "stdin list and stdin page", args: []string{"-i", "-", "-"}, stdin: seed + "\n", code: exitUsage, stderr: "stdin (-) is read for the input list"},
		{name: "stdin page in a stdin list", args: []string{"-i", "-"}, stdin: seed + "\n-\n", code: exitUsage, stderr: "stdin (-) is read for the input list"},
		{name: "stdin list twice", args: []string{"-i", "-", "-i", "-"}, stdin: seed + "\n", code: exitUsage, stderr: "stdin (-) given more than once"},
		{name: "missing list", args: []string{"-i", filepath.Join(dir, "nope.txt")}, code: exitUsage, stderr: "--input-file: open "},
		{name: "per-host 0", args: []string{"--per-host", "0", seed}, code: exitUsage, stderr: "--per-host 0: want 1 or more"},
		{name: "empty list", args: []string{"-i", empty}, code: exitUsage, stderr: "empty.txt holds no URLs or paths"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCLI(t, tt.stdin, append([]string{"extract", "-f", "jsonl"}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tt.code, errOut)
			}
			if !strings.Contains(errOut, tt.stderr) {
				t.Errorf("stderr %q lacks %q", errOut, tt.stderr)
			}
			if tt.code != exitOK {
				return
			}
			if got := sources(t, out); strings.Join(got, " ") != strings.Join(tt.sources, " ") {
				t.Errorf("sources %q, want %q", got, tt.sources)
			}
		})
	}
}

// politeSite is a loopback site that records, on the server side, each
// request's path and start and end, and the most requests it served at
// once. Each page holds its request until hold passes or more than
// enough requests are in flight (more than the limit under test), so
// that requests overlap whenever the client lets them.
type politeSite struct {
	*httptest.Server
	robots string // robots.txt; "" answers 404
	hold   time.Duration
	over   int // requests in flight that end a hold at once

	mu     sync.Mutex
	log    []politeRequest
	active int
	most   int
	more   chan struct{} // closed and replaced when a request starts
}

type politeRequest struct {
	path       string
	start, end time.Time
}

func newPoliteSite(t *testing.T, robots string, hold time.Duration, over int) *politeSite {
	s := &politeSite{robots: robots, hold: hold, over: over, more: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *politeSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	i := len(s.log)
	s.log = append(s.log, politeRequest{path: r.URL.Path, start: time.Now()})
	s.active++
	s.most = max(s.most, s.active)
	close(s.more)
	s.more = make(chan struct{})
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.active--
		s.log[i].end = time.Now()
		s.mu.Unlock()
	}()
	if r.URL.Path == "/robots.txt" {
		if s.robots == "" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, s.robots)
		return
	}
	deadline := time.After(s.hold)
	for {
		s.mu.Lock()
		n, more := s.active, s.more
		s.mu.Unlock()
		if s.over > 0 && n >= s.over {
			break
		}
		select {
		case <-more:
			continue
		case <-deadline:
		case <-r.Context().Done():
		}
		break
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<html><head><title>Story %s</title></head><body><article><h1>Story at %s</h1>%s</article></body></html>",
		r.URL.Path, r.URL.Path, strings.Repeat("<p>A paragraph of the story with enough words in it to count as the body of a news article.</p>", 6))
}

// pages returns the requests for pages (not robots.txt), in order.
func (s *politeSite) pages() []politeRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []politeRequest
	for _, r := range s.log {
		if r.path != "/robots.txt" {
			out = append(out, r)
		}
	}
	return out
}

func (s *politeSite) paths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, r := range s.log {
		out = append(out, r.path)
	}
	return out
}

// writeList writes urls to a list file and returns its path.
func writeList(t *testing.T, urls []string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "urls.txt")
	if err := os.WriteFile(p, []byte(strings.Join(urls, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestInputFileRobots: a URL robots.txt disallows is never requested and
// fails with a line naming robots.txt while the others go on; a
// Crawl-delay over --max-crawl-delay closes the host; --ignore-robots
// reads no robots.txt and fetches every URL.
func TestInputFileRobots(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		robots string
		flags  []string
		code   int
		// records is how many records are written, fetched the paths
		// requested (robots.txt included, in any order).
		records int
		fetched []string
		stderr  []string
	}{
		{
			name:    "disallowed",
			robots:  "User-agent: *\nDisallow: /private/\n",
			code:    exitPartial,
			records: 2,
			fetched: []string{"/news/a", "/news/b", "/robots.txt"},
			stderr:  []string{"/private/c: disallowed by robots.txt"},
		},
		{
			name:    "ignore robots",
			robots:  "User-agent: *\nDisallow: /private/\n",
			flags:   []string{"--ignore-robots"},
			records: 3,
			fetched: []string{"/news/a", "/news/b", "/private/c"},
		},
		{
			name:    "crawl-delay over the limit",
			robots:  "User-agent: *\nCrawl-delay: 30\n",
			flags:   []string{"--max-crawl-delay", "2s"},
			code:    exitFailure,
			fetched: []string{"/robots.txt"},
			stderr:  []string{"/news/a: disallowed by robots.txt (its Crawl-delay 30s is over the limit of 2s)", "/private/c: disallowed by robots.txt"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newPoliteSite(t, tt.robots, 0, 0)
			list := writeList(t, []string{s.URL + "/news/a", s.URL + "/private/c", s.URL + "/news/b"})
			args := append([]string{"extract", "-f", "jsonl", "--delay", "0", "-i", list}, tt.flags...)
			code, out, errOut := runCLI(t, "", args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tt.code, errOut)
			}
			if n := strings.Count(out, "\n"); n != tt.records {
				t.Errorf("%d records, want %d", n, tt.records)
			}
			got := s.paths()
			slices.Sort(got)
			if strings.Join(got, " ") != strings.Join(tt.fetched, " ") {
				t.Errorf("server saw %q, want %q", got, tt.fetched)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr %q lacks %q", errOut, want)
				}
			}
		})
	}
}

// TestInputFilePoliteness: with many workers, a host never gets more
// requests at once than --per-host (or one with a robots.txt
// Crawl-delay), and the starts of its requests are --delay (or the
// Crawl-delay) apart, as the server measures them.
func TestInputFilePoliteness(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		robots string
		flags  []string
		most   int           // most requests at once allowed
		gap    time.Duration // least time between request starts
		hold   time.Duration
	}{
		{name: "per-host 1", flags: []string{"--per-host", "1", "--delay", "0"}, most: 1, hold: 100 * time.Millisecond},
		{name: "per-host 2", flags: []string{"--per-host", "2", "--delay", "0"}, most: 2, hold: 100 * time.Millisecond},
		{name: "delay", flags: []string{"--per-host", "1", "--delay", "150ms"}, most: 1, gap: 150 * time.Millisecond},
		{name: "crawl-delay", robots: "User-agent: *\nCrawl-delay: 0.2\n", flags: []string{"--per-host", "4", "--delay", "0"}, most: 1, gap: 200 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// A request holds until one more than allowed is in flight:
			// the client's limit, not the server's pace, keeps them apart.
			s := newPoliteSite(t, tt.robots, tt.hold, tt.most+1)
			var urls []string
			for i := range 6 {
				urls = append(urls, fmt.Sprintf("%s/news/%d", s.URL, i))
			}
			args := append([]string{"extract", "-f", "jsonl", "-j", "6", "-i", writeList(t, urls)}, tt.flags...)
			code, out, errOut := runCLI(t, "", args...)
			if code != exitOK {
				t.Fatalf("exit %d; stderr %q", code, errOut)
			}
			if got := sources(t, out); strings.Join(got, " ") != strings.Join(urls, " ") {
				t.Errorf("sources %q, want the list's order", got)
			}
			pages := s.pages()
			if len(pages) != len(urls) {
				t.Fatalf("%d page requests, want %d", len(pages), len(urls))
			}
			s.mu.Lock()
			most := s.most
			s.mu.Unlock()
			if most > tt.most {
				t.Errorf("%d requests at once, want at most %d", most, tt.most)
			}
			for i := 1; i < len(pages); i++ {
				if d := pages[i].start.Sub(pages[i-1].start); d < tt.gap {
					t.Errorf("request %d started %v after the one before, want at least %v", i, d, tt.gap)
				}
			}
		})
	}
}

// TestInputFileHostsInParallel: one host's limit does not hold back
// another's requests: each site holds its page until the other site's
// page was asked for, which happens only when the two run at once.
func TestInputFileHostsInParallel(t *testing.T) {
	t.Parallel()
	started := [2]chan struct{}{make(chan struct{}), make(chan struct{})}
	var once [2]sync.Once
	var waited [2]atomic.Bool // gave up waiting for the other site
	var urls []string
	for i := range 2 {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/robots.txt" {
				http.NotFound(w, r)
				return
			}
			once[i].Do(func() { close(started[i]) })
			select {
			case <-started[1-i]:
			case <-time.After(5 * time.Second):
				waited[i].Store(true)
			case <-r.Context().Done():
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<html><body><article><h1>Story</h1>"+strings.Repeat("<p>A paragraph of the story with enough words in it to count as the body of a news article.</p>", 6)+"</article></body></html>")
		}))
		t.Cleanup(srv.Close)
		urls = append(urls, srv.URL+"/news/1")
	}
	code, _, errOut := runCLI(t, "", "extract", "-f", "jsonl", "-j", "2", "--per-host", "1", "-i", writeList(t, urls))
	if code != exitOK {
		t.Fatalf("exit %d; stderr %q", code, errOut)
	}
	if waited[0].Load() || waited[1].Load() {
		t.Error("the two hosts' requests did not run at once")
	}
}
