package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsx/newsx/archive"
	"github.com/newsx/newsx/crawl/crawltest"
)

// archiveRecord is a record read back from a WARC file, with the error
// that stopped reading it, if any.
type archiveRecord struct {
	typ    string
	uri    string
	offset int64
}

// readArchive reads a WARC file with archive.Reader and returns its
// records and the damage reports met on the way.
func readArchive(t *testing.T, path string) ([]archiveRecord, []*archive.DamageError) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := archive.NewReader(f, archive.Options{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var recs []archiveRecord
	var damage []*archive.DamageError
	for {
		rec, err := r.Next()
		var de *archive.DamageError
		switch {
		case errors.Is(err, io.EOF):
			return recs, damage
		case errors.As(err, &de):
			damage = append(damage, de)
		case err != nil:
			t.Fatalf("%s: %v", path, err)
		default:
			recs = append(recs, archiveRecord{rec.Type, rec.TargetURI, rec.Offset})
		}
	}
}

// checkWarcinfoFirst fails unless every file starts with a warcinfo
// record and holds no other.
func checkWarcinfoFirst(t *testing.T, files []string) {
	t.Helper()
	for _, f := range files {
		recs, damage := readArchive(t, f)
		if len(damage) > 0 {
			t.Errorf("%s: %v", filepath.Base(f), damage)
		}
		n := 0
		for _, r := range recs {
			if r.typ == "warcinfo" {
				n++
			}
		}
		if len(recs) == 0 || recs[0].typ != "warcinfo" || n != 1 {
			t.Errorf("%s: %d records, first %+v, %d warcinfo; want one warcinfo, first", filepath.Base(f), len(recs), recs[:min(1, len(recs))], n)
		}
	}
}

// articleKeys returns the article records of jsonl output by canonical
// URL (the URL when there is none), without fetched and source: the
// crawl writes one record per canonical URL (an AMP page and its
// original give one), where an archive holds both pages.
func articleKeys(t *testing.T, jsonl string, articlesOnly bool) map[string]string {
	t.Helper()
	m := make(map[string]string)
	for line := range strings.SplitSeq(strings.TrimSpace(jsonl), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("%v: %q", err, line)
		}
		if articlesOnly && rec["is_article"] != true {
			continue
		}
		delete(rec, "fetched")
		delete(rec, "source") // the archive and offset, empty in a crawl
		b, _ := json.Marshal(rec)
		key, _ := rec["canonical_url"].(string)
		if key == "" {
			key = rec["url"].(string)
		}
		if _, dup := m[key]; !dup {
			m[key] = string(b)
		}
	}
	return m
}

// checkSameArticles fails unless the archive's articles are those the
// crawl wrote, field for field.
func checkSameArticles(t *testing.T, crawled, extracted string) {
	t.Helper()
	want, got := articleKeys(t, crawled, false), articleKeys(t, extracted, true)
	if len(want) == 0 {
		t.Fatal("the crawl wrote nothing")
	}
	for u, w := range want {
		if got[u] != w {
			t.Errorf("%s: from the archive\n%s\nwant as crawled\n%s", u, got[u], w)
		}
	}
	if len(got) != len(want) {
		for u := range got {
			if want[u] == "" {
				t.Logf("only in the archive: %s", u)
			}
		}
		t.Errorf("%d articles from the archive, %d crawled", len(got), len(want))
	}
}

// warcFiles returns the WARC files in dir, sorted by name.
func warcFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "newsx-*.warc.gz"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	return files
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCrawlWARC crawls the test site with --warc, into one file and
// rotated at a small --warc-size: the archive holds a response and a
// request record for every response the crawl got (robots.txt and the
// 404 included), every file starts with its warcinfo record, and
// extracting the files gives the same records as the crawl wrote,
// fetched aside.
func TestCrawlWARC(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		flags    []string
		minFiles int
		maxFiles int
		maxSize  int64
	}{
		{"one file", nil, 1, 1, 0},
		{"rotated", []string{"--warc-size", "40KB"}, 3, 1000, 40_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := crawltest.New(t)
			dir := filepath.Join(t.TempDir(), "warc")
			args := append([]string{"crawl", "-f", "jsonl", "--warc", dir}, tc.flags...)
			args = append(args, fastFlags...)
			_, crawled, stderr := runCLI(t, "", append(args, s.URL+"/")...)
			files := warcFiles(t, dir)
			if len(files) < tc.minFiles || len(files) > tc.maxFiles {
				t.Fatalf("%d files %v, want %d to %d; stderr:\n%s", len(files), files, tc.minFiles, tc.maxFiles, stderr)
			}
			for _, f := range files {
				// The records of the test site are small and compress
				// well: no file goes over the size.
				fi, err := os.Stat(f)
				if err != nil {
					t.Fatal(err)
				}
				if tc.maxSize > 0 && fi.Size() > tc.maxSize {
					t.Errorf("%s: %d bytes, want at most %d", filepath.Base(f), fi.Size(), tc.maxSize)
				}
			}
			checkWarcinfoFirst(t, files)
			code, extracted, errOut := runCLI(t, "", append([]string{"extract", "-f", "jsonl"}, files...)...)
			if code == exitFailure {
				t.Fatalf("extract: exit %d, stderr %q", code, errOut)
			}
			for _, want := range []string{"1 status 404", "request", "warcinfo"} {
				if !strings.Contains(errOut, want) {
					t.Errorf("summary %q lacks %q", errOut, want)
				}
			}
			checkSameArticles(t, crawled, extracted)
		})
	}
}

// fileState is a file's bytes and modification time.
type fileState struct {
	data  []byte
	mtime time.Time
}

func snapshot(t *testing.T, files []string) map[string]fileState {
	t.Helper()
	m := make(map[string]fileState)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		m[f] = fileState{b, fi.ModTime()}
	}
	return m
}

// TestCrawlWARCResume stops a crawl with --state and --warc, by an
// interrupt and by SIGKILL, twice, and resumes it to its end: every run
// starts a new WARC file and leaves the older ones as they were (bytes
// and modification time), each file is whole up to its last record
// written, and the files together hold every article the runs wrote.
func TestCrawlWARCResume(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"interrupt", "kill -9"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel()
			if how == "kill -9" && testing.Short() {
				t.Skip("builds the binary")
			}
			s := crawltest.New(t)
			s.SetCrawlDelay("0.01")
			dir := t.TempDir()
			warcDir := filepath.Join(dir, "warc")
			out := filepath.Join(dir, "articles.jsonl")
			args := []string{"crawl", "-q", "-f", "jsonl", "--state", filepath.Join(dir, "crawl.db"), "--out", out, "--warc", warcDir}
			args = append(append(args, fastFlags...), s.URL+"/")
			lines := func() int {
				b, _ := os.ReadFile(out)
				return bytes.Count(b, []byte("\n"))
			}
			stop := func(at int) {
				if how == "interrupt" {
					ctx, cancel := context.WithCancel(t.Context())
					defer cancel()
					go func() {
						for lines() < at && ctx.Err() == nil {
							time.Sleep(2 * time.Millisecond)
						}
						cancel()
					}()
					var stderr strings.Builder
					runLocked(ctx, append([]string{"newsx"}, args...), strings.NewReader(""), io.Discard, &stderr)
					return
				}
				cmd := exec.Command(newsxBinary(t), args...)
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				deadline := time.Now().Add(30 * time.Second)
				for lines() < at && time.Now().Before(deadline) {
					time.Sleep(2 * time.Millisecond)
				}
				// An error means the crawl already ended; the checks below still hold.
				_ = cmd.Process.Signal(syscall.SIGKILL)
				_ = cmd.Wait()
			}

			var old map[string]fileState
			for run, at := range []int{10, 40, -1} {
				if at < 0 {
					if code, _, stderr := runCLI(t, "", args...); code != exitOK && code != exitPartial {
						t.Fatalf("resumed crawl: exit %d; stderr:\n%s", code, stderr)
					}
				} else {
					stop(at)
				}
				files := warcFiles(t, warcDir)
				for f, st := range old {
					now := snapshot(t, []string{f})[f]
					if !bytes.Equal(now.data, st.data) || !now.mtime.Equal(st.mtime) {
						t.Errorf("run %d changed %s, written by an earlier run", run, filepath.Base(f))
					}
				}
				if len(files) <= len(old) {
					t.Fatalf("run %d: files %v, want a new one beside the %d before", run, files, len(old))
				}
				for _, f := range files {
					if _, ok := old[f]; ok {
						continue
					}
					// A file of a killed run may end in a cut record; all
					// the records before it read.
					recs, damage := readArchive(t, f)
					if len(recs) == 0 || recs[0].typ != "warcinfo" {
						t.Errorf("run %d: %s does not start with warcinfo: %+v", run, filepath.Base(f), recs)
					}
					if len(damage) > 1 || (len(damage) == 1 && how != "kill -9") {
						t.Errorf("run %d: %s: %v", run, filepath.Base(f), damage)
					}
				}
				old = snapshot(t, files)
			}

			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			checkFullSet(t, recordPaths(t, string(b)))
			code, extracted, errOut := runCLI(t, "", append([]string{"extract", "-f", "jsonl"}, warcFiles(t, warcDir)...)...)
			if code == exitFailure {
				t.Fatalf("extract: exit %d, stderr %q", code, errOut)
			}
			// A page may be fetched again after a stop: compare the sets.
			want, got := articleKeys(t, string(b), false), articleKeys(t, extracted, true)
			for u := range want {
				if _, ok := got[u]; !ok {
					t.Errorf("%s written by the crawl, not in the archive", u)
				}
			}
		})
	}
}

// TestCrawlWARCCut cuts a crawl's WARC file as a kill -9 or a full disk
// leaves it, inside its last records' gzip members and at a member's
// end: every whole record before the cut reads, the cut one is reported
// once as damage, and extract writes the articles of the whole records.
func TestCrawlWARCCut(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	dir := t.TempDir()
	warcDir := filepath.Join(dir, "warc")
	args := append([]string{"crawl", "-q", "-f", "jsonl", "--depth", "1", "--warc", warcDir}, fastFlags...)
	if code, _, stderr := runCLI(t, "", append(args, s.URL+"/")...); code != exitOK {
		t.Fatalf("crawl: exit %d; stderr:\n%s", code, stderr)
	}
	files := warcFiles(t, warcDir)
	if len(files) != 1 {
		t.Fatalf("files %v, want one", files)
	}
	full, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := readArchive(t, files[0])
	if len(recs) < 5 {
		t.Fatalf("%d records, want more", len(recs))
	}
	// The last response and the request record after it.
	lastResp := len(recs) - 2
	if recs[lastResp].typ != "response" || recs[lastResp+1].typ != "request" {
		t.Fatalf("last records %+v, want a response and its request", recs[lastResp:])
	}
	respStart, reqStart := recs[lastResp].offset, recs[lastResp+1].offset
	code, out, errOut := runCLI(t, "", "extract", "-f", "jsonl", files[0])
	if code != exitOK {
		t.Fatalf("extract: exit %d, stderr %q", code, errOut)
	}
	fullOut := decodeJSONL(t, out)
	for _, tc := range []struct {
		name  string
		cut   int64
		whole int // records read before the cut
	}{
		{"in the last response's header", respStart + 12, lastResp},
		{"in the last response's body", (respStart + reqStart) / 2, lastResp},
		{"one byte short of the last response", reqStart - 1, lastResp},
		{"at a member's end", reqStart, lastResp + 1},
		{"in the last request", reqStart + (int64(len(full))-reqStart)/2, lastResp + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cut.warc.gz")
			if err := os.WriteFile(path, full[:tc.cut], 0o644); err != nil {
				t.Fatal(err)
			}
			got, damage := readArchive(t, path)
			if !slices.Equal(got, recs[:tc.whole]) {
				t.Errorf("%d records read, want the %d whole ones", len(got), tc.whole)
			}
			wantDamage := 1
			if tc.cut == reqStart {
				wantDamage = 0
			}
			if len(damage) != wantDamage {
				t.Errorf("damage %v, want %d report", damage, wantDamage)
			}
			for _, d := range damage {
				if d.Offset != recs[tc.whole].offset {
					t.Errorf("damage at %d, want at %d, where the cut record starts", d.Offset, recs[tc.whole].offset)
				}
			}
			code, out, errOut := runCLI(t, "", "extract", "-f", "jsonl", path)
			if want := map[bool]int{true: exitPartial, false: exitOK}[wantDamage > 0]; code != want {
				t.Errorf("extract: exit %d, want %d; stderr %q", code, want, errOut)
			}
			var want []string
			for _, r := range fullOut {
				if _, off, _ := strings.Cut(r.Source, "#"); atoi(t, off) < recs[tc.whole].offset {
					want = append(want, r.URL)
				}
			}
			var gotURLs []string
			for _, r := range decodeJSONL(t, out) {
				gotURLs = append(gotURLs, r.URL)
			}
			if len(want) == 0 || !slices.Equal(gotURLs, want) {
				t.Errorf("extracted %v, want the pages of the whole records %v", gotURLs, want)
			}
		})
	}
}
