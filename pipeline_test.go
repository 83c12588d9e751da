package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// pipelineFixtures are the pages the pipeline tests run through newsx.
var pipelineFixtures = []string{
	"fixtures/ians-wire-seed/source.html",
	"fixtures/reuters-wire/source.html",
	"fixtures/german-news/source.html",
	"fixtures/japanese-shiftjis-nodecl/source.html",
	"fixtures/table-and-list/source.html",
}

var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

// TestMain removes the binary newsxBinary built, so that test runs leave
// nothing behind in the temporary directory.
func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// newsxBinary builds the newsx binary once for the tests that run it as a
// real process in a shell pipeline.
func newsxBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "newsx-test-")
		if err != nil {
			buildErr = err
			return
		}
		binDir = dir
		binPath = filepath.Join(dir, "newsx")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = err
			binPath = string(out)
		}
	})
	if buildErr != nil {
		t.Fatalf("go build: %v\n%s", buildErr, binPath)
	}
	return binPath
}

// needTool skips the test when a tool is missing, except in CI, where
// .ci/run installs it and its absence is a failure.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed (.ci/run must install it)", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return p
}

// records extracts the pipeline fixtures as JSON Lines in-process and
// decodes them, the reference the other formats are compared with.
func records(t *testing.T) []map[string]any {
	t.Helper()
	code, out, errOut := runCLI(t, "", append([]string{"extract", "-f", "jsonl"}, pipelineFixtures...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var recs []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, m)
	}
	return recs
}

// TestJQPipeline pipes newsx's JSON Lines through the real jq.
func TestJQPipeline(t *testing.T) {
	t.Parallel()
	needTool(t, "jq")
	bin := newsxBinary(t)
	cmd := exec.Command("sh", append([]string{"-c", `"$0" extract -f jsonl "$@" | jq -r '[.agency, (.authors|length), .language, .headline] | @tsv'`, bin}, pipelineFixtures...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pipeline: %v\n%s", err, stderr.String())
	}
	recs := records(t)
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(recs) {
		t.Fatalf("jq printed %d lines for %d records:\n%s", len(lines), len(recs), out)
	}
	for i, line := range lines {
		f := strings.Split(line, "\t")
		r := recs[i]
		want := []string{r["agency"].(string), itoa(len(r["authors"].([]any))), r["language"].(string), r["headline"].(string)}
		if !reflect.DeepEqual(f, want) {
			t.Errorf("record %d: jq gave %q, want %q", i, f, want)
		}
	}
	if !strings.Contains(string(out), "IANS\t0\ten\tN.Korean official calls for boosting ties with China") {
		t.Errorf("seed line missing:\n%s", out)
	}
	// jq -s must see one JSON value per record: nothing else on stdout.
	cmd = exec.Command("sh", append([]string{"-c", `"$0" extract -f jsonl "$@" 2>/dev/null | jq -s length`, bin}, pipelineFixtures...)...)
	out, err = cmd.Output()
	if err != nil || strings.TrimSpace(string(out)) != itoa(len(pipelineFixtures)) {
		t.Errorf("jq -s length = %q (%v), want %d", out, err, len(pipelineFixtures))
	}
}

// TestBrokenPipe: `newsx ... | head -1` ends newsx quietly with exit 0.
func TestBrokenPipe(t *testing.T) {
	t.Parallel()
	bin := newsxBinary(t)
	// Many inputs, so newsx is still writing when head exits.
	args := []string{"extract", "-f", "jsonl"}
	for range 40 {
		args = append(args, pipelineFixtures...)
	}
	cmd := exec.Command("sh", append([]string{"-c", `"$0" "$@" 2>"$TMPERR"; echo "exit=$?" >>"$TMPERR"`, bin}, args...)...)
	errFile := filepath.Join(t.TempDir(), "stderr")
	cmd.Env = append(os.Environ(), "TMPERR="+errFile)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	stdout.Read(buf) // read a little, then hang up like head -1
	stdout.Close()
	cmd.Wait()
	b, _ := os.ReadFile(errFile)
	if got := strings.TrimSpace(string(b)); got != "exit=0" {
		t.Errorf("after the reader hung up newsx printed/exited:\n%s", got)
	}
}

// TestCSVReadBack reads newsx's CSV with encoding/csv and with Python's
// csv module and compares every field with the JSON record.
func TestCSVReadBack(t *testing.T) {
	t.Parallel()
	recs := records(t)
	code, out, errOut := runCLI(t, "", append([]string{"extract", "-f", "csv", "--csv-raw"}, pipelineFixtures...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, "encoding/csv", rows, recs)

	python := needTool(t, "python3")
	script := `import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
json.dump(rows, sys.stdout)`
	path := filepath.Join(t.TempDir(), "out.csv")
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	pyOut, err := exec.Command(python, "-c", script, path).Output()
	if err != nil {
		t.Fatalf("python csv: %v", err)
	}
	var pyRows [][]string
	if err := json.Unmarshal(pyOut, &pyRows); err != nil {
		t.Fatal(err)
	}
	checkRows(t, "python csv", pyRows, recs)
}

// checkRows compares CSV rows with the JSON records field by field.
func checkRows(t *testing.T, reader string, rows [][]string, recs []map[string]any) {
	t.Helper()
	if len(rows) != len(recs)+1 {
		t.Fatalf("%s: %d rows, want header + %d", reader, len(rows), len(recs))
	}
	head := rows[0]
	for i, rec := range recs {
		row := rows[i+1]
		if len(row) != len(head) {
			t.Fatalf("%s: row %d has %d cells, header %d", reader, i, len(row), len(head))
		}
		for j, col := range head {
			if got, want := row[j], csvWant(rec, col); got != want {
				t.Errorf("%s: record %d %s = %.80q, want %.80q", reader, i, col, got, want)
			}
		}
	}
}

// csvWant is what a CSV cell must hold for a JSON record's field.
func csvWant(rec map[string]any, col string) string {
	dl, _ := rec["dateline"].(map[string]any)
	switch col {
	case "dateline", "dateline_place", "dateline_date":
		if dl == nil {
			return ""
		}
		return map[string]string{"dateline": dl["raw"].(string), "dateline_place": dl["place"].(string), "dateline_date": dl["date"].(string)}[col]
	case "authors", "tags":
		var parts []string
		for _, v := range rec[col].([]any) {
			parts = append(parts, v.(string))
		}
		return strings.Join(parts, "; ")
	case "related":
		var parts []string
		for _, v := range rec[col].([]any) {
			l := v.(map[string]any)
			parts = append(parts, l["title"].(string)+" <"+l["url"].(string)+">")
		}
		return strings.Join(parts, " | ")
	case "is_article":
		if rec[col].(bool) {
			return "true"
		}
		return "false"
	case "word_count":
		return itoa(int(rec[col].(float64)))
	}
	return rec[col].(string)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestFormatGoldens keeps a golden of every format for the seed-like page.
func TestFormatGoldens(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"json", "jsonl", "csv", "md", "text"} {
		t.Run(f, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCLI(t, "", "extract", "-f", f, "fixtures/ians-wire-seed/source.html")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			checkGolden(t, "seed-"+f, out)
		})
	}
}

// TestOutFile writes --out FILE and --out DIR/.
func TestOutFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "all.jsonl")
	code, out, errOut := runCLI(t, "", append([]string{"extract", "-f", "jsonl", "--out", file}, pipelineFixtures...)...)
	if code != exitOK || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, out, errOut)
	}
	b, _ := os.ReadFile(file)
	if n := strings.Count(string(b), "\n"); n != len(pipelineFixtures) {
		t.Errorf("%s holds %d lines, want %d", file, n, len(pipelineFixtures))
	}
	perArticle := filepath.Join(dir, "articles") + "/"
	code, _, errOut = runCLI(t, "", append([]string{"extract", "-f", "md", "--out", perArticle}, pipelineFixtures...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	files, _ := filepath.Glob(filepath.Join(perArticle, "*.md"))
	if len(files) != len(pipelineFixtures) {
		t.Errorf("%d files in %s, want %d: %v", len(files), perArticle, len(pipelineFixtures), files)
	}
	code, _, errOut = runCLI(t, "", "extract", "-f", "csv", "--out", perArticle, pipelineFixtures[0])
	if code != exitUsage || !strings.Contains(errOut, "needs --format json, md or text") {
		t.Errorf("csv into a directory: exit %d, %s", code, errOut)
	}
	code, _, errOut = runCLI(t, "", "extract", "--fields", "headline,nope", pipelineFixtures[0])
	if code != exitUsage || !strings.Contains(errOut, `unknown field "nope" (valid: url, source, canonical_url, is_article`) {
		t.Errorf("bad --fields: exit %d, %s", code, errOut)
	}
}
