package crawl

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsx/newsx/crawl/crawltest"
)

// needCompaction skips the test where state files are not compacted.
func needCompaction(t testing.TB) {
	t.Helper()
	if !compactSupported {
		t.Skip("state files are not compacted on " + runtime.GOOS)
	}
}

// compactNow compacts the state file of st at once, due or not.
func compactNow(t testing.TB, st Store) {
	t.Helper()
	needCompaction(t)
	js := st.(*journalStore)
	js.mu.Lock()
	defer js.mu.Unlock()
	if err := js.settle(); err != nil {
		t.Fatal(err)
	}
	if err := js.compact(); err != nil {
		t.Fatal(err)
	}
}

// renumber gives the queued entries of a memory store with no lease the
// Seqs compaction gives them: those just before the last Seq, in order.
func renumber(m *memoryStore) {
	var q []Entry
	for _, e := range m.queue {
		if m.queued.has(e.Seq) {
			q = append(q, e)
		}
	}
	next := m.seq - uint64(len(q))
	m.queued.reset(next + 1)
	for i := range q {
		next++
		q[i].Seq = next
		m.queued.add(next)
	}
	m.queue = q
	m.leases = newLeases()
}

// openCompacting opens the state file at path, compacting it when it is
// at least above bytes and mostly superseded; above < 0 never.
func openCompacting(t testing.TB, path string, above int64, log *bytes.Buffer) *journalStore {
	t.Helper()
	opts := StateOptions{compactAbove: above}
	if log != nil {
		opts.Logger = slogTo(log)
	}
	st, err := OpenState(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	return st.(*journalStore)
}

// stateDump is what a state file's store holds, but Seqs and leases.
type stateDump struct {
	Seq     uint64
	Counts  Counts
	Scope   []string
	Keys    map[string]uint64 // flags of each key given
	Sources map[string]sourceDump
	Queued  []Entry // Seqs cleared
}

type sourceDump struct {
	Src     Source
	Queued  int64 // Unix ms
	Pending bool
}

// dump reads the state of js, claiming every entry queued, with the
// flags of keys. It leaves out sources whose checks ended and that are
// not queued, which compaction drops.
func dump(t *testing.T, js *journalStore, keys []string) stateDump {
	t.Helper()
	d := stateDump{Keys: map[string]uint64{}, Sources: map[string]sourceDump{}}
	var err error
	if d.Counts, err = js.Counts(); err != nil {
		t.Fatal(err)
	}
	d.Scope, _ = js.Scope()
	js.mu.Lock()
	d.Seq = js.seq
	for _, k := range keys {
		d.Keys[k] = js.keys.flags(js.keys.hash(k))
	}
	now := time.Now()
	for k, rec := range js.sources {
		if rec.src.expired(now) && !rec.pending {
			continue
		}
		d.Sources[k] = sourceDump{rec.src, rec.queued.UnixMilli(), rec.pending}
	}
	js.mu.Unlock()
	got, err := js.Claim(1<<30, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range got {
		e.Seq = 0
		d.Queued = append(d.Queued, e)
	}
	return d
}

// siteRounds drives a crawl of a site of sources in rounds, as a
// watching crawl does, on every store given alike, checking at each step
// that they answer alike: each round queues the sources again, visits
// them (a few fail, the others give new validators and two new
// articles), then fetches the articles. It returns every key used.
type siteRounds struct {
	t       *testing.T
	stores  []Store
	sources int
	round   int
	keys    []string
	log     *bytes.Buffer
}

// claimAll claims every entry queued in every store, and returns them
// by store, in key order (Revisit queues sources in any order). The
// stores must agree but on Seqs.
func (r *siteRounds) claimAll() [][]Entry {
	r.t.Helper()
	var out [][]Entry
	var first []Entry
	for i, st := range r.stores {
		got, err := st.Claim(1<<20, time.Hour)
		if err != nil {
			r.t.Fatal(err)
		}
		slices.SortFunc(got, func(a, b Entry) int { return strings.Compare(a.Key, b.Key) })
		out = append(out, got)
		noSeq := slices.Clone(got)
		for i := range noSeq {
			noSeq[i].Seq = 0
		}
		if i == 0 {
			first = noSeq
		} else if !reflect.DeepEqual(noSeq, first) {
			r.t.Fatalf("round %d: store %d claimed %v, store 0 %v", r.round, i, noSeq, first)
		}
	}
	return out
}

// each calls fn with each store and its index.
func (r *siteRounds) each(what string, fn func(int, Store) error) {
	r.t.Helper()
	for i, st := range r.stores {
		if err := fn(i, st); err != nil {
			r.t.Fatalf("round %d: store %d: %s: %v", r.round, i, what, err)
		}
	}
}

func (r *siteRounds) key(k string) string {
	r.keys = append(r.keys, k)
	return k
}

// start queues the sources and the scope.
func (r *siteRounds) start() {
	var seeds []Entry
	for i := range r.sources {
		u := r.key(fmt.Sprintf("https://x.test/section-%d/", i))
		seeds = append(seeds, Entry{URL: u, Key: u})
	}
	r.each("AddScope", func(_ int, st Store) error { return st.AddScope("x.test", "y.test") })
	r.each("Add", func(_ int, st Store) error { _, err := st.Add(seeds); return err })
}

// visit does one round: the sources due (all but the first round's
// Revisit), then the articles they list. With stop, the articles stay
// queued.
func (r *siteRounds) visit(stop bool) {
	r.t.Helper()
	r.round++
	if r.round > 1 {
		var n []int
		for _, st := range r.stores {
			got, err := st.(SourceSet).Revisit(0)
			if err != nil {
				r.t.Fatal(err)
			}
			n = append(n, got)
		}
		if slices.ContainsFunc(n, func(n int) bool { return n != r.sources }) {
			r.t.Fatalf("round %d: Revisit queued %v sources, want %d each; log:\n%v", r.round, n, r.sources, r.log)
		}
	}
	claimed := r.claimAll()
	for i, e := range claimed[0] {
		o := Outcome{Entry: e, Visited: []string{e.Key}}
		src := Source{Entry: e, ETag: fmt.Sprintf(`"%d-%d"`, i, r.round), LastModified: time.Unix(int64(r.round), 0).UTC().Format(time.RFC1123)}
		src.Entry.Seq, src.Entry.Revisit = 0, false
		if i%7 == 3 {
			// Failing: its validators stay, its failures grow.
			o.Visited = nil
			src.ETag, src.LastModified = "", ""
			src.Failures = r.round
		} else {
			for j := range 2 {
				u := r.key(fmt.Sprintf("https://x.test/a/%d-%d-%d?utm_source=feed", r.round, i, j))
				o.Found = append(o.Found, Entry{URL: u, Key: r.key(strings.TrimSuffix(u, "?utm_source=feed")), Depth: 1})
			}
		}
		r.each("Done", func(j int, st Store) error { o.Entry = claimed[j][i]; return st.Done(o) })
		r.each("SaveSource", func(_ int, st Store) error { return st.(SourceSet).SaveSource(src) })
	}
	if stop {
		return
	}
	claimed = r.claimAll()
	for i, e := range claimed[0] {
		o := Outcome{Entry: e, Visited: []string{e.Key}, Emitted: e.Key, Failed: i%11 == 5}
		if o.Failed {
			o.Emitted = ""
		}
		if i%5 == 0 {
			// Redirected.
			o.Visited = append(o.Visited, r.key(e.Key+"/"))
		}
		r.each("Done", func(j int, st Store) error { o.Entry = claimed[j][i]; return st.Done(o) })
	}
	// An article checked for changes whose checks ended: forgotten.
	gone := r.key(fmt.Sprintf("https://x.test/gone-%d", r.round))
	r.each("SaveSource", func(_ int, st Store) error {
		return st.(SourceSet).SaveSource(Source{Entry: Entry{URL: gone, Key: gone, Depth: 1}, Until: 1, Hash: "h"})
	})
	r.each("MarkEmitted", func(_ int, st Store) error { return st.MarkEmitted(r.key(fmt.Sprintf("https://z.test/%d", r.round))) })
}

// TestStateCompact builds state files of crawls that visit their sources
// again and again, and opens them compacted: the state is the same
// (queued entries in order, keys with their flags, sources with their
// validators and failures, counts, scope), and the file much smaller.
func TestStateCompact(t *testing.T) {
	t.Parallel()
	needCompaction(t)
	tests := []struct {
		name            string
		sources, rounds int
		// stop leaves the last round's articles queued; held claims
		// some of them and closes the file with them in flight.
		stop, held bool
	}{
		{"drained", 40, 30, false, false},
		{"frontier left", 40, 30, true, false},
		{"in flight at the stop", 40, 30, true, true},
		{"nothing superseded", 40, 0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "state")
			st := openCompacting(t, path, -1, nil)
			r := &siteRounds{t: t, stores: []Store{st}, sources: tt.sources}
			r.start()
			for i := range tt.rounds {
				r.visit(tt.stop && i == tt.rounds-1)
			}
			if tt.held {
				if got, _ := st.Claim(7, time.Hour); len(got) != 7 {
					t.Fatalf("claimed %d, want 7", len(got))
				}
			}
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			before := fileSize(t, path)
			orig, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			copyPath := filepath.Join(dir, "copy")
			if err := os.WriteFile(copyPath, orig, 0o600); err != nil {
				t.Fatal(err)
			}

			ref := openCompacting(t, copyPath, -1, nil)
			want := dump(t, ref, r.keys)
			ref.Close()
			if tt.rounds > 0 && (len(want.Sources) != tt.sources || want.Counts.Emitted == 0) {
				t.Fatalf("the crawl did too little: %d sources, %+v", len(want.Sources), want.Counts)
			}

			var log bytes.Buffer
			st = openCompacting(t, path, 1, &log)
			after := fileSize(t, path)
			got := dump(t, st, r.keys)
			st.Close()
			if diff := diffDumps(got, want); diff != "" {
				t.Errorf("compacted: %s", diff)
			}
			t.Logf("%d sources, %d rounds: %d bytes, compacted %d", tt.sources, tt.rounds, before, after)
			if tt.rounds > 0 {
				if after*4 > before {
					t.Errorf("compacted from %d bytes to %d, want under a quarter", before, after)
				}
				if !strings.Contains(log.String(), "state file compacted") {
					t.Errorf("log %q says nothing of the compaction", log.String())
				}
			} else if after != before || log.Len() != 0 {
				t.Errorf("a file with little superseded went from %d bytes to %d; log %q", before, after, log.String())
			}

			// Opened again: the same, and not compacted again.
			log.Reset()
			st = openCompacting(t, path, 1, &log)
			got = dump(t, st, r.keys)
			st.Close()
			if diff := diffDumps(got, want); diff != "" {
				t.Errorf("compacted, reopened: %s", diff)
			}
			if size := fileSize(t, path); size != after || log.Len() != 0 {
				t.Errorf("reopened: %d bytes, want %d; log %q", size, after, log.String())
			}
		})
	}
}

// diffDumps says how two dumps differ, "" if they do not.
func diffDumps(got, want stateDump) string {
	var diffs []string
	if got.Seq != want.Seq || got.Counts != want.Counts || !slices.Equal(got.Scope, want.Scope) {
		diffs = append(diffs, fmt.Sprintf("Seq %d, %+v, scope %v; want %d, %+v, %v", got.Seq, got.Counts, got.Scope, want.Seq, want.Counts, want.Scope))
	}
	for _, k := range slices.Sorted(maps.Keys(want.Keys)) {
		if got.Keys[k] != want.Keys[k] {
			diffs = append(diffs, fmt.Sprintf("key %s flags %b, want %b", k, got.Keys[k], want.Keys[k]))
		}
	}
	if !maps.Equal(got.Sources, want.Sources) {
		diffs = append(diffs, fmt.Sprintf("sources\n%v\nwant\n%v", got.Sources, want.Sources))
	}
	if !slices.Equal(got.Queued, want.Queued) {
		diffs = append(diffs, fmt.Sprintf("queued\n%v\nwant\n%v", got.Queued, want.Queued))
	}
	if len(diffs) > 5 {
		diffs = append(diffs[:5], fmt.Sprintf("and %d more", len(diffs)-5))
	}
	return strings.Join(diffs, "\n")
}

// TestStateCompactWatching runs rounds of a watching crawl on two state
// files, one compacted by Revisit when due, with no restart: the two
// answer alike at every step and end in the same state, and the
// compacted one stays small while the other grows.
func TestStateCompactWatching(t *testing.T) {
	t.Parallel()
	needCompaction(t)
	dir := t.TempDir()
	plain := openCompacting(t, filepath.Join(dir, "plain"), -1, nil)
	defer plain.Close()
	var log bytes.Buffer
	st := openCompacting(t, filepath.Join(dir, "compacted"), 32<<10, &log)
	defer st.Close()
	r := &siteRounds{t: t, stores: []Store{plain, st}, sources: 30, log: &log}
	r.start()
	end := func(js *journalStore) int64 {
		js.mu.Lock()
		defer js.mu.Unlock()
		return js.end + int64(len(js.buf))
	}
	var largest int64
	for range 60 {
		r.visit(false)
		largest = max(largest, end(st))
	}
	want, got := dump(t, plain, r.keys), dump(t, st, r.keys)
	// Revisit stamps the sources of each store with its own clock.
	for _, d := range []stateDump{want, got} {
		for k, src := range d.Sources {
			src.Queued = 0
			d.Sources[k] = src
		}
	}
	if diff := diffDumps(got, want); diff != "" {
		t.Errorf("compacted while watching: %s", diff)
	}
	grown := end(plain)
	t.Logf("60 rounds: %d bytes; compacted at most %d, at the end %d", grown, largest, end(st))
	if largest*3 > grown {
		t.Errorf("compacted file reached %d bytes, the other %d: want under a third", largest, grown)
	}
	if n := strings.Count(log.String(), "state file compacted"); n < 2 {
		t.Errorf("compacted %d times, want several; log:\n%s", n, log.String())
	}
}

// slogTo is a text logger writing to b.
func slogTo(b *bytes.Buffer) *slog.Logger { return slog.New(slog.NewTextHandler(b, nil)) }

// TestStateCompactStopped stops compactions after each step before the
// rename, as a failure does (the new file removed) or a crash (the new
// file left behind): the state file is as it was and opens to the same
// state, a new file left behind is removed when it is opened, and the
// compaction done then gives the same state too.
func TestStateCompactStopped(t *testing.T) {
	t.Parallel()
	needCompaction(t)
	dir := t.TempDir()
	built := filepath.Join(dir, "built")
	st := openCompacting(t, built, -1, nil)
	r := &siteRounds{t: t, stores: []Store{st}, sources: 20}
	r.start()
	for range 10 {
		r.visit(false)
	}
	r.visit(true)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	orig, err := os.ReadFile(built)
	if err != nil {
		t.Fatal(err)
	}
	ref := openCompacting(t, built, -1, nil)
	want := dump(t, ref, r.keys)
	ref.Close()

	for _, step := range []string{"written", "synced", "checked"} {
		for _, crash := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s crash=%v", step, crash), func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				path := filepath.Join(dir, "state")
				if err := os.WriteFile(path, orig, 0o600); err != nil {
					t.Fatal(err)
				}
				st := openCompacting(t, path, -1, nil)
				st.compactHook = func(at string) error {
					if at != step {
						return nil
					}
					if crash {
						// What a process killed now leaves: the new
						// file, under its own name.
						temps, _ := filepath.Glob(path + compactSuffix + "*")
						if len(temps) != 1 {
							t.Fatalf("new files %v, want one", temps)
						}
						if err := os.Link(temps[0], path+compactSuffix+"1"); err != nil {
							t.Fatal(err)
						}
					}
					return errCompactStep
				}
				st.mu.Lock()
				err := st.compact()
				st.mu.Unlock()
				if !errors.Is(err, errCompactStep) {
					t.Fatalf("compact = %v, want it stopped", err)
				}
				if b, _ := os.ReadFile(path); !bytes.Equal(b, orig) {
					t.Error("the state file changed")
				}
				if diff := diffDumps(dump(t, st, r.keys), want); diff != "" {
					t.Errorf("after the stop: %s", diff)
				}
				if err := st.Close(); err != nil {
					t.Fatal(err)
				}
				des, _ := os.ReadDir(dir)
				if n := len(des); n != 1+btoi(crash) {
					t.Errorf("%d files in the directory, want %d", n, 1+btoi(crash))
				}

				var log bytes.Buffer
				st = openCompacting(t, path, 1, &log)
				if diff := diffDumps(dump(t, st, r.keys), want); diff != "" {
					t.Errorf("reopened: %s", diff)
				}
				st.Close()
				if des, _ := os.ReadDir(dir); len(des) != 1 {
					t.Errorf("files %v in the directory, want the state file only", des)
				}
				if !strings.Contains(log.String(), "state file compacted") || fileSize(t, path)*2 > int64(len(orig)) {
					t.Errorf("reopened: %d bytes, from %d; log %q", fileSize(t, path), len(orig), log.String())
				}
			})
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestRecrawlCompacted runs a re-crawl of a site many times on one state
// file compacted when mostly superseded: every run after the first
// fetches only what was published since and writes each record once, and
// the file stays about the size the first runs left, where it grew by the
// same bytes at every run.
func TestRecrawlCompacted(t *testing.T) {
	t.Parallel()
	needCompaction(t)
	room := crawltest.NewNewsroom(t)
	path := filepath.Join(t.TempDir(), "state")
	var log bytes.Buffer
	open := func() Store {
		st, err := OpenState(path, StateOptions{Logger: slogTo(&log), compactAbove: 1})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	first, _ := recrawl(t, room, open, 1)
	if want := []string{"/a/feed-1", "/a/home-1", "/a/other-1", "/a/world-1"}; !slices.Equal(first, want) {
		t.Fatalf("first run wrote %v, want %v", first, want)
	}
	sizes := []int64{fileSize(t, path)}
	const runs = 16
	for run := 2; run <= runs; run++ {
		room.Reset()
		var want []string
		if run == runs/2 {
			room.Publish("/world/", "world-2")
			want = []string{"/a/world-2"}
		}
		got, _ := recrawl(t, room, open, 1)
		if !slices.Equal(got, want) {
			t.Errorf("run %d wrote %v, want %v", run, got, want)
		}
		wantHits := map[string]int{}
		for _, p := range want {
			wantHits[p] = 1
		}
		if hits := room.ArticleHits(); !maps.Equal(hits, wantHits) {
			t.Errorf("run %d fetched articles %v, want %v", run, hits, wantHits)
		}
		sizes = append(sizes, fileSize(t, path))
	}
	t.Logf("sizes after each run: %v", sizes)
	compactions := strings.Count(log.String(), "state file compacted")
	if compactions == 0 || strings.Contains(log.String(), "not compacted") {
		t.Errorf("compacted %d times; log:\n%s", compactions, log.String())
	}
	if largest := slices.Max(sizes); largest > 3*sizes[0] {
		t.Errorf("the file reached %d bytes after %d runs, from %d after the first", largest, runs, sizes[0])
	}
}

// TestStateCompactSymlink compacts a state file opened through a
// symbolic link: the file it points to is replaced, the link stays.
func TestStateCompactSymlink(t *testing.T) {
	t.Parallel()
	needCompaction(t)
	dir := t.TempDir()
	target := filepath.Join(dir, "data", "state")
	if err := os.Mkdir(filepath.Dir(target), 0o700); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "state")
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	st := openCompacting(t, link, -1, nil)
	r := &siteRounds{t: t, stores: []Store{st}, sources: 10}
	r.start()
	for range 10 {
		r.visit(false)
	}
	want := dump(t, st, r.keys)
	compactNow(t, st)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link is gone: %v, %v", fi, err)
	}
	if des, _ := os.ReadDir(dir); len(des) != 2 {
		t.Errorf("files %v beside the link, want the link and the data directory", des)
	}
	st = openCompacting(t, link, -1, nil)
	defer st.Close()
	if diff := diffDumps(dump(t, st, r.keys), want); diff != "" {
		t.Errorf("compacted through a link: %s", diff)
	}
}
