package main

import (
	"strings"
	"testing"

	"github.com/newsx/newsx/crawl/crawltest"
)

// TestFlagsAfterArguments: flags work anywhere before a lone "--", and
// everything after it is an input.
func TestFlagsAfterArguments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		stdin  string
		code   int
		stdout string // prefix of stdout
		stderr string // substring of stderr
	}{
		{name: "long flag with =", args: []string{"extract", seed, "--format=csv"}, stdout: "url,"},
		{name: "short flag and value", args: []string{"extract", seed, "-f", "csv"}, stdout: "url,"},
		{name: "between inputs", args: []string{"extract", seed, "-f", "jsonl", "fixtures/german-news/source.html", "-q"}, stdout: `{"url":`},
		{name: "stdin then flags", args: []string{"extract", "-", "--url", "https://news.example/a", "-f", "jsonl"}, stdin: stdinPage, stdout: `{"url":"https://news.example/a"`},
		{name: "dash as a value", args: []string{"extract", seed, "--out", "-", "-f", "csv"}, stdout: "url,"},
		{name: "after -- is an input", args: []string{"extract", "-f", "csv", "--", "--format=jsonl"}, code: exitFailure, stderr: "open --format=jsonl"},
		{name: "flag without its value", args: []string{"extract", seed, "--format"}, code: exitUsage, stderr: "--format needs a value"},
		{name: "help after an input", args: []string{"extract", seed, "--help"}, stdout: "NAME:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCLI(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d (stderr: %s)", code, tt.code, errOut)
			}
			if !strings.HasPrefix(out, tt.stdout) {
				t.Errorf("stdout does not start with %q:\n%.300s", tt.stdout, out)
			}
			if !strings.Contains(errOut, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, errOut)
			}
		})
	}
}

// TestCrawlFlagsAfterSeed: crawl's flags may follow its seeds.
func TestCrawlFlagsAfterSeed(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	args := append([]string{"crawl", s.URL + "/feed.xml", "--depth", "1", "--ignore-robots"}, fastFlags...)
	code, stdout, stderr := runCLI(t, "", args...)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	if n := len(recordPaths(t, stdout)); n != 20 {
		t.Errorf("%d records, want the feed's 20", n)
	}
}

// TestUsageErrorsNameFlagsAsTyped: usage errors write long flags with two
// dashes.
func TestUsageErrorsNameFlagsAsTyped(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"extract", "--bogus", seed}, "unknown flag --bogus"},
		{[]string{"extract", seed, "--bogus=1"}, "unknown flag --bogus"},
		{[]string{"crawl", "--bogus", "https://x.test/"}, "unknown flag --bogus"},
		{[]string{"extract", "--timeout", "soon", seed}, `for flag --timeout`},
		{[]string{"--bogus"}, "--bogus"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, "", tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) || strings.Contains(stderr, " -bogus") {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, exitUsage, tt.want)
		}
	}
}

// TestCrawlSeedsFromStdin: --seeds - reads the seeds from stdin.
func TestCrawlSeedsFromStdin(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	args := append([]string{"crawl", "--seeds", "-", "--depth", "1", "--ignore-robots"}, fastFlags...)
	code, stdout, stderr := runCLI(t, "# the feed\n"+s.URL+"/feed.xml\n", args...)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	if n := len(recordPaths(t, stdout)); n != 20 {
		t.Errorf("%d records, want the feed's 20", n)
	}
}
