package main

import (
	"bytes"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsx/newsx/crawl/crawltest"
)

func TestCrawlExitCodes(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	base := append([]string{"crawl", "-q"}, fastFlags...)
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"pages failed", []string{s.URL + "/"}, exitOK},
		{"pages failed, strict", []string{"--strict", s.URL + "/"}, exitPartial},
		{"nothing failed, strict", []string{"--strict", "--depth", "1", "--ignore-robots", s.URL + "/feed.xml"}, exitOK},
		{"nothing crawled", []string{"--ignore-robots", s.URL + "/broken/404"}, exitFailure},
		{"no server", []string{"--retries", "0", "http://127.0.0.1:1/"}, exitFailure},
		{"bad include", []string{"--include", "(", s.URL + "/"}, exitUsage},
		{"bad discover", []string{"--discover", "rss", s.URL + "/"}, exitUsage},
		{"bad progress", []string{"--progress", "sometimes", s.URL + "/"}, exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", append(append([]string{}, base...), tt.args...)...)
			if code != tt.want {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.want, stderr)
			}
		})
	}
}

func TestCrawlScopeFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		ok   func(path string) bool
	}{
		{"include", []string{"--include", "/news/world/"}, func(p string) bool { return strings.HasPrefix(p, "/news/world/") }},
		{"exclude", []string{"--exclude", "/news/(world|tech)/", "--exclude", "/amp/"}, func(p string) bool {
			return !strings.HasPrefix(p, "/news/world/") && !strings.HasPrefix(p, "/news/tech/")
		}},
		{"discover feeds", []string{"--discover", "feeds"}, func(p string) bool { return true }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := crawltest.New(t)
			args := append(append([]string{"crawl", "-q"}, fastFlags...), tt.args...)
			code, stdout, stderr := runCLI(t, "", append(args, s.URL+"/")...)
			if code != exitOK {
				t.Fatalf("exit %d; stderr:\n%s", code, stderr)
			}
			paths := recordPaths(t, stdout)
			if len(paths) == 0 {
				t.Fatal("no records")
			}
			for _, p := range paths {
				if !tt.ok(p) {
					t.Errorf("record for %s, which %v leaves out", p, tt.args)
				}
			}
			if tt.name == "discover feeds" && (len(paths) != 20 || s.Count("/sitemap_index.xml") != 0) {
				t.Errorf("%d records, sitemap index fetched %d times; want the feed's 20 and no sitemap", len(paths), s.Count("/sitemap_index.xml"))
			}
		})
	}
}

func TestCrawlPoliteness(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	_, _, stderr := runCLI(t, "", "crawl", "--per-host", "3", "--delay", "0", "--depth", "1", "--ignore-robots", s.URL+"/feed.xml")
	if !strings.Contains(stderr, "msg=politeness per_host=3 delay=0s") || !strings.Contains(stderr, "robots=ignored") {
		t.Errorf("no politeness line on stderr:\n%s", stderr)
	}
}

func TestProgressLine(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, progressAlways, false, false)
	p.width = func() int { return 30 }
	p.line(75*time.Second, "fetched", 123456, "articles", 99999, "queued", 356, "errors", 7, "pages/s", "12.5")
	line := strings.TrimPrefix(b.String(), "\r\033[K")
	if !strings.HasPrefix(line, "1:15  fetched 123456") {
		t.Errorf("line %q: want elapsed time first, then the counts", line)
	}
	if len(line) > 29 {
		t.Errorf("line %q is %d columns, wider than the terminal's 30 less one", line, len(line))
	}
	if strings.Contains(line, "\n") {
		t.Errorf("line %q holds a newline", line)
	}
}

// TestProgressLog: without a terminal, the totals go to the log.
func TestProgressLog(t *testing.T) {
	old := progressEvery
	progressEvery = 0
	defer func() { progressEvery = old }()
	var b bytes.Buffer
	p := newProgress(&b, progressAuto, false, false)
	p.periodic(slog.New(slog.NewTextHandler(&b, nil)), progressAuto, false)
	p.line(time.Minute, "fetched", 10, "queued", 356)
	if !strings.Contains(b.String(), "msg=progress elapsed=1m0s fetched=10 queued=356") {
		t.Errorf("log %q, want a progress line", b.String())
	}
	b.Reset()
	p = newProgress(&b, progressNever, false, false)
	p.periodic(slog.New(slog.NewTextHandler(&b, nil)), progressNever, false)
	p.line(time.Minute, "fetched", 10)
	if b.Len() != 0 {
		t.Errorf("--progress never wrote %q", b.String())
	}
}

// TestExtractProgress: extract with many inputs on a terminal shows
// inputs done of total, articles and failures.
func TestExtractProgress(t *testing.T) {
	old := stderrTerminal
	stderrTerminal = func(io.Writer) bool { return true }
	defer func() { stderrTerminal = old }()
	missing := filepath.Join(t.TempDir(), "missing.html")
	code, _, stderr := runCLI(t, "", "extract", "-f", "jsonl", "fixtures/amp-page/source.html", missing)
	if code != exitPartial {
		t.Errorf("exit %d, want %d", code, exitPartial)
	}
	if !strings.Contains(stderr, "inputs 1/2  articles 1  failed 0") {
		t.Errorf("stderr %q: want a progress line with 1/2 inputs", stderr)
	}
}
