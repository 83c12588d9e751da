package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite fixtures/cli/*.golden from the current output")

const seed = "fixtures/ians-wire-seed/source.html"

// runMu serialises run in the tests: urfave/cli applies its package-level
// help flag (cli.HelpFlag) to every command it parses, writing its default
// value, so two Apps parsing flags at once race on it (go test -race). A
// process runs one App, so this only concerns tests that run several.
var runMu sync.Mutex

// runLocked is run under runMu, for tests that need their own context or
// writers.
func runLocked(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	runMu.Lock()
	defer runMu.Unlock()
	return run(ctx, args, stdin, stdout, stderr)
}

// runCLI runs newsx with args and stdin, returning the exit code, stdout
// and stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runLocked(t.Context(), append([]string{"newsx"}, args...), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// checkGolden compares got with fixtures/cli/<name>.golden.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("fixtures", "cli", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test . -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("stdout differs from %s (run go test . -update and review the diff)\ngot:\n%s", path, got)
	}
}

// stdinPage is a small article page for the stdin case.
var stdinPage = func() string {
	var b strings.Builder
	b.WriteString("<html><head><title>Stdin story</title></head><body><article><h1>A headline read from standard input</h1>")
	for i := range 8 {
		fmt.Fprintf(&b, "<p>Paragraph %d of a story that arrived on standard input, long enough to be an article body with real sentences.</p>", i+1)
	}
	b.WriteString("</article></body></html>")
	return b.String()
}()

func TestCLI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		stdin      string
		code       int
		golden     string // compare stdout with fixtures/cli/<golden>.golden
		stdout     string // substring of stdout
		stderr     string // substring of stderr
		emptyOut   bool
		jsonRecord int // stdout must decode as this many JSON records (jsonl) or array items
	}{
		{name: "seed json", args: []string{"extract", "--url", "https://www.dailylantern.example/international/n-korean-official-calls-for-boosting-ties-with-china-5892144", seed}, golden: "extract-seed"},
		{name: "two files jsonl", args: []string{"extract", "-f", "jsonl", seed, "fixtures/reuters-wire/source.html"}, golden: "extract-two-jsonl", jsonRecord: 2},
		{name: "two files json array", args: []string{"extract", seed, "fixtures/german-news/source.html"}, stdout: "[\n  {", jsonRecord: 2},
		{name: "stdin", args: []string{"extract", "-f", "jsonl", "--url", "https://news.example/a", "-"}, stdin: stdinPage, stdout: `"headline":"A headline read from standard input"`, jsonRecord: 1},
		{name: "not an article", args: []string{"extract", "-f", "jsonl", "fixtures/section-front/source.html"}, code: exitFailure, stdout: `"is_article":false`, stderr: "no article found"},
		{name: "missing file", args: []string{"extract", "nope/missing.html"}, code: exitFailure, stderr: "newsx: read open nope/missing.html: no such file or directory", emptyOut: true},
		{name: "some failed", args: []string{"extract", "-f", "jsonl", seed, "nope/missing.html"}, code: exitPartial, stderr: "missing.html", jsonRecord: 1},
		{name: "no input", args: []string{"extract"}, code: exitUsage, stderr: "no input given", emptyOut: true},
		{name: "bad format", args: []string{"extract", "-f", "xml", seed}, code: exitUsage, stderr: `unknown format "xml" (valid: json, jsonl, csv, md, text)`, emptyOut: true},
		{name: "bad flag", args: []string{"extract", "--nope", seed}, code: exitUsage, stderr: "unknown flag --nope", emptyOut: true},
		{name: "bad url flag", args: []string{"extract", "--url", "not a url", seed}, code: exitUsage, stderr: "--url", emptyOut: true},
		{name: "binary input", args: []string{"extract", "-"}, stdin: "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", code: exitFailure, stderr: "stdin: not an HTML page: the content is a PDF document", emptyOut: true},
		{name: "too large", args: []string{"extract", "--max-bytes", "100", seed}, code: exitFailure, stderr: "body too large", emptyOut: true},
		{name: "version", args: []string{"--version"}, stdout: "newsx "},
		{name: "unknown command", args: []string{"extrakt", "x.html"}, code: exitUsage, stderr: `unknown command "extrakt" (valid: extract, crawl)`, emptyOut: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCLI(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d (stderr: %s)", code, tt.code, errOut)
			}
			if tt.golden != "" {
				checkGolden(t, tt.golden, out)
			}
			if !strings.Contains(out, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, out)
			}
			if !strings.Contains(errOut, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, errOut)
			}
			if tt.emptyOut && out != "" {
				t.Errorf("stdout should be empty, got:\n%s", out)
			}
			if tt.jsonRecord > 0 {
				if n := countRecords(t, out); n != tt.jsonRecord {
					t.Errorf("stdout holds %d records, want %d", n, tt.jsonRecord)
				}
			}
		})
	}
}

// countRecords decodes stdout as a JSON array or as JSON Lines and returns
// the number of records, failing on invalid JSON.
func countRecords(t *testing.T, out string) int {
	t.Helper()
	if strings.HasPrefix(out, "[") {
		var list []map[string]any
		if err := json.Unmarshal([]byte(out), &list); err != nil {
			t.Fatalf("stdout is not a valid JSON array: %v", err)
		}
		return len(list)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("line %d is not a JSON object: %v", n+1, err)
		}
		n++
	}
	return n
}

// TestExtractURL fetches fixture pages from a real HTTP server.
func TestExtractURL(t *testing.T) {
	t.Parallel()
	page, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	sjis, err := os.ReadFile("fixtures/japanese-shiftjis-nodecl/source.html")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/story", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/story", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/sjis", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html") // no charset: detection must find Shift_JIS
		w.Write(sjis)
	})
	mux.HandleFunc("/report.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.7\n"))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	t.Run("redirected page", func(t *testing.T) {
		t.Parallel()
		code, out, errOut := runCLI(t, "", "extract", srv.URL+"/old")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var a map[string]any
		if err := json.Unmarshal([]byte(out), &a); err != nil {
			t.Fatal(err)
		}
		if a["url"] != srv.URL+"/story" {
			t.Errorf("url = %v, want the final URL %s/story", a["url"], srv.URL)
		}
		if a["headline"] != "N.Korean official calls for boosting ties with China" || a["agency"] != "IANS" {
			t.Errorf("headline %v agency %v", a["headline"], a["agency"])
		}
	})
	t.Run("shift_jis without charset", func(t *testing.T) {
		t.Parallel()
		code, out, errOut := runCLI(t, "", "extract", "-f", "jsonl", srv.URL+"/sjis")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var a map[string]any
		if err := json.Unmarshal([]byte(out), &a); err != nil {
			t.Fatal(err)
		}
		if a["language"] != "ja" || !strings.ContainsAny(a["body"].(string), "のはがを") {
			t.Errorf("language %v, body %.80q", a["language"], a["body"])
		}
	})
	t.Run("404", func(t *testing.T) {
		t.Parallel()
		code, out, errOut := runCLI(t, "", "extract", srv.URL+"/missing")
		if code != exitFailure || out != "" {
			t.Errorf("exit %d, stdout %q", code, out)
		}
		if want := "newsx: fetch " + srv.URL + "/missing: 404 Not Found"; !strings.Contains(errOut, want) {
			t.Errorf("stderr %q lacks %q", errOut, want)
		}
	})
	t.Run("pdf", func(t *testing.T) {
		t.Parallel()
		code, _, errOut := runCLI(t, "", "extract", srv.URL+"/report.pdf")
		if code != exitFailure || !strings.Contains(errOut, "application/pdf is not HTML") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
}

// TestInterruptedJSONArray cancels the run (as Ctrl-C does) while an input
// is being fetched: the JSON array written so far must still be valid and
// the exit code must say the run was interrupted.
func TestInterruptedJSONArray(t *testing.T) {
	t.Parallel()
	page, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(started)
			<-r.Context().Done() // hang until the client gives up
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write(page)
	}))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-started
		cancel()
	}()
	var out, errb bytes.Buffer
	code := runLocked(ctx, []string{"newsx", "extract", "-j", "1", srv.URL + "/a", srv.URL + "/slow", srv.URL + "/b"}, strings.NewReader(""), &out, &errb)
	if code != 130 {
		t.Errorf("exit %d, want 130 (stderr: %s)", code, errb.String())
	}
	var list []map[string]any
	if err := json.Unmarshal(out.Bytes(), &list); err != nil {
		t.Fatalf("interrupted output is not a valid JSON array: %v\n%s", err, out.String())
	}
	if len(list) != 1 {
		t.Errorf("%d records, want the 1 finished before the interrupt", len(list))
	}
	if !strings.Contains(errb.String(), "interrupted") {
		t.Errorf("stderr lacks the interruption: %s", errb.String())
	}
}

// TestJobsKeepOrder: parallel extraction writes the same bytes, in input
// order, as one worker does; a directory argument expands to its pages.
func TestJobsKeepOrder(t *testing.T) {
	t.Parallel()
	inputs, _ := filepath.Glob("fixtures/*/source.html")
	args := append([]string{"extract", "-f", "jsonl"}, inputs...)
	_, one, _ := runCLI(t, "", append(args[:3:3], append([]string{"-j", "1"}, inputs...)...)...)
	_, four, _ := runCLI(t, "", append(args[:3:3], append([]string{"-j", "4"}, inputs...)...)...)
	if one != four || strings.Count(one, "\n") != len(inputs) {
		t.Errorf("-j 4 output differs from -j 1 (%d vs %d bytes)", len(four), len(one))
	}
	dir := t.TempDir()
	for _, name := range []string{"b.html", "a.htm", "notes.txt"} {
		src := "fixtures/reuters-wire/source.html"
		if name == "a.htm" {
			src = seed
		}
		b, _ := os.ReadFile(src)
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	code, out, errOut := runCLI(t, "", "extract", "-f", "jsonl", "--fields", "headline", dir)
	want := `{"headline":"N.Korean official calls for boosting ties with China"}` + "\n" + `{"headline":"UK shoppers stayed home in February as footfall fell for fifth month"}` + "\n"
	if code != exitOK || out != want {
		t.Errorf("directory input: exit %d, stdout %q, stderr %s", code, out, errOut)
	}
}
