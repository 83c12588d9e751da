package crawl

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsx/newsx/crawl/crawltest"
)

// openTestState opens the state file at path, logging to log (nil: none).
func openTestState(t testing.TB, path string, log io.Writer) Store {
	t.Helper()
	opts := StateOptions{}
	if log != nil {
		opts.Logger = slog.New(slog.NewTextHandler(log, nil))
	}
	st, err := OpenState(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func fileSize(t testing.TB, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// TestStateDamagedEnd opens state files whose last record a crash cut
// short or garbled: the record is cut off with a warning, and the state
// is what it was before it.
func TestStateDamagedEnd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// damage changes the file, whose last record (b's outcome) spans
		// [good, end).
		damage func(t *testing.T, path string, good, end int64)
		// lost says b's outcome is gone: b is queued again.
		lost bool
	}{
		{"frame cut short", func(t *testing.T, path string, good, _ int64) { truncate(t, path, good+5) }, true},
		{"payload cut short", func(t *testing.T, path string, good, end int64) { truncate(t, path, (good+end)/2) }, true},
		{"checksum mismatch", func(t *testing.T, path string, _, end int64) { flip(t, path, end-2) }, true},
		{"length garbled", func(t *testing.T, path string, good, _ int64) { flip(t, path, good+3) }, true},
		{"zeros after the end", func(t *testing.T, path string, _, end int64) { appendBytes(t, path, make([]byte, 4096)) }, false},
		{"half a frame after the end", func(t *testing.T, path string, _, end int64) { appendBytes(t, path, []byte{9, 0, 0}) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "state.db")
			st := openTestState(t, path, nil)
			e := func(k string) Entry { return Entry{URL: "https://x.test/" + k, Key: k} }
			if _, err := st.Add([]Entry{e("a"), e("b"), e("c")}); err != nil {
				t.Fatal(err)
			}
			got, _ := st.Claim(2, time.Minute)
			if err := st.Done(Outcome{Entry: got[0], Visited: []string{"a"}, Emitted: "A"}); err != nil {
				t.Fatal(err)
			}
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			good := fileSize(t, path)
			st = openTestState(t, path, nil)
			if err := st.Done(Outcome{Entry: got[1], Visited: []string{"b"}, Emitted: "B"}); err != nil {
				t.Fatal(err)
			}
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			end := fileSize(t, path)
			tt.damage(t, path, good, end)

			var log bytes.Buffer
			st = openTestState(t, path, &log)
			defer st.Close()
			if !strings.Contains(log.String(), "state file damaged at its end, cut off") {
				t.Errorf("no warning logged: %q", log.String())
			}
			want, wantQueued, wantB := end, []string{"c"}, true
			if tt.lost {
				want, wantQueued, wantB = good, []string{"b", "c"}, false
			}
			if size := fileSize(t, path); size != want {
				t.Errorf("file size %d after open, want %d", size, want)
			}
			if q, _ := st.Claim(10, time.Minute); !slices.Equal(keysOf(q), wantQueued) {
				t.Errorf("frontier %v, want %v", keysOf(q), wantQueued)
			}
			if v, _ := st.Emitted("B"); v != wantB {
				t.Errorf("Emitted(B) = %v, want %v", v, wantB)
			}
			if v, _ := st.Visited("a"); !v {
				t.Error("Visited(a) = false: the good records were not all read")
			}
			// The file takes new records after the cut.
			if _, err := st.Add([]Entry{e("d")}); err != nil {
				t.Fatal(err)
			}
			st.Close()
			log.Reset()
			st = openTestState(t, path, &log)
			if log.Len() != 0 {
				t.Errorf("reopening after the cut logged %q", log.String())
			}
			if c, _ := st.Counts(); c.Queued != len(wantQueued)+1 {
				t.Errorf("Counts after the cut and an Add = %+v, want %d queued", c, len(wantQueued)+1)
			}
		})
	}
}

func truncate(t *testing.T, path string, size int64) {
	t.Helper()
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
}

func flip(t *testing.T, path string, off int64) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[off] ^= 0x40
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func appendBytes(t *testing.T, path string, p []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(p); err != nil {
		t.Fatal(err)
	}
}

// TestStateRefusesOtherFiles checks that OpenState refuses, and leaves
// as they are, files that are not state files it can read.
func TestStateRefusesOtherFiles(t *testing.T) {
	t.Parallel()
	bolt := crawltest.ReadGzip(t, "testdata/bbolt-state.db.gz")
	newer := header(journalVersion + 1)
	tests := []struct {
		name    string
		content []byte
		want    string
	}{
		{"bbolt state of older versions", bolt, "bbolt format of newsx versions before the journal state file"},
		{"jsonl output", []byte(`{"url":"https://x.test/a","title":"A"}` + "\n"), "not a newsx state file"},
		{"short", []byte("{}\n"), "not a newsx state file"},
		{"newer format", newer, "state format 3, newer than this newsx reads (2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "state.db")
			if err := os.WriteFile(path, tt.content, 0o600); err != nil {
				t.Fatal(err)
			}
			st, err := OpenState(path, StateOptions{})
			if err == nil {
				st.Close()
				t.Fatal("opened")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "open state "+path+": ") {
				t.Errorf("error %q, want %q", err, tt.want)
			}
			if b, _ := os.ReadFile(path); !bytes.Equal(b, tt.content) {
				t.Error("the file was changed")
			}
		})
	}
}

// TestStateHeaderCutShort opens a file whose creation a crash cut short.
func TestStateHeaderCutShort(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.db")
	if err := os.WriteFile(path, header(journalCreate)[:5], 0o600); err != nil {
		t.Fatal(err)
	}
	st := openTestState(t, path, nil)
	defer st.Close()
	if n, err := st.Add([]Entry{{URL: "a", Key: "a"}}); n != 1 || err != nil {
		t.Errorf("Add = %d, %v", n, err)
	}
}

// TestStateGroupWritten checks that an outcome is in the file within
// batchWait of Done, with no further call: a crawl killed then loses
// nothing.
func TestStateGroupWritten(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "state.db")
	st := openTestState(t, path, nil)
	defer st.Close()
	if _, err := st.Add([]Entry{{URL: "a", Key: "a"}, {URL: "b", Key: "b"}}); err != nil {
		t.Fatal(err)
	}
	got, _ := st.Claim(1, time.Minute)
	if err := st.Done(Outcome{Entry: got[0], Visited: []string{"a"}, Found: []Entry{{URL: "c", Key: "c"}}, Emitted: "a"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * batchWait)
	// A copy of the file now is what a kill -9 would leave.
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cp := filepath.Join(dir, "copy.db")
	if err := os.WriteFile(cp, b, 0o600); err != nil {
		t.Fatal(err)
	}
	st2 := openTestState(t, cp, nil)
	defer st2.Close()
	if c, _ := st2.Counts(); c != (Counts{Queued: 2, Done: 1, Emitted: 1}) {
		t.Errorf("Counts of the copy = %+v, want a done and b, c queued", c)
	}
}

// TestStateModel runs random operations on a state file, reopening it
// now and then, and on the memory store, which serves as the model: they
// must agree on every answer. It crosses several checkpoints
// (checkpointEvery) of the frontier scan.
func TestStateModel(t *testing.T) {
	t.Parallel()
	for seed := range uint64(3) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			testStateModel(t, seed, 4000, false)
		})
		t.Run(fmt.Sprint("compacted-", seed), func(t *testing.T) {
			t.Parallel()
			testStateModel(t, seed, 4000, true)
		})
	}
}

// testStateModel runs ops random calls on a state file and on a memory
// store, and checks that they answer alike. With compact, the state file
// is compacted at each restart, and the model's queued entries take the
// Seqs compaction gives them.
func testStateModel(t *testing.T, seed uint64, ops int, compact bool) {
	rng := rand.New(rand.NewPCG(seed, 42))
	path := filepath.Join(t.TempDir(), "state.db")
	st := openTestState(t, path, nil)
	defer func() { st.Close() }()
	model := NewMemoryStore()
	entry := func() Entry {
		k := fmt.Sprintf("https://x.test/%d", rng.IntN(6000))
		e := Entry{URL: k, Key: k, Depth: rng.IntN(5) - 1, Kind: Kind(rng.IntN(3))}
		if rng.IntN(3) == 0 {
			e.URL += "?utm_source=x"
		}
		return e
	}
	entries := func(n int) []Entry {
		var out []Entry
		for range n {
			out = append(out, entry())
		}
		return out
	}
	var held []Entry
	for op := range ops {
		switch r := rng.IntN(100); {
		case r < 15:
			in := entries(rng.IntN(40))
			n1, err1 := st.Add(in)
			n2, _ := model.Add(in)
			if n1 != n2 || err1 != nil {
				t.Fatalf("op %d: Add = %d, %v; model %d", op, n1, err1, n2)
			}
		case r < 35:
			n := 1 + rng.IntN(60)
			// A quarter of the claims take a lease that has run out
			// already (a deadline in the past, so that a coarse clock
			// gives both stores the same answer): its entries go back to
			// the queue at the next claim, may be claimed again, and may
			// still be renewed or done by their first holder.
			lease := time.Hour
			if rng.IntN(4) == 0 {
				lease = -time.Nanosecond
			}
			got, err := st.Claim(n, lease)
			want, _ := model.Claim(n, lease)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("op %d: Claim(%d) = %v, %v;\nmodel %v", op, n, got, err, want)
			}
			held = append(held, got...)
		case r < 80 && len(held) > 0:
			i := rng.IntN(len(held))
			e := held[i]
			held = slices.Delete(held, i, i+1)
			o := Outcome{Entry: e, Visited: []string{e.Key}, Found: entries(rng.IntN(8)), Failed: rng.IntN(5) == 0}
			if rng.IntN(3) == 0 {
				o.Visited = append(o.Visited, entry().Key)
			}
			switch rng.IntN(3) {
			case 0:
				o.Emitted = e.Key
			case 1:
				o.Emitted = entry().Key
			}
			if err := st.Done(o); err != nil {
				t.Fatalf("op %d: Done: %v", op, err)
			}
			_ = model.Done(o)
		case r < 85 && len(held) > 0:
			n := rng.IntN(len(held) + 1)
			if err := st.Release(held[:n]); err != nil {
				t.Fatal(err)
			}
			_ = model.Release(held[:n])
			held = held[n:]
		case r < 90:
			var keys []string
			for range rng.IntN(10) {
				keys = append(keys, entry().Key)
			}
			if err := st.MarkEmitted(keys...); err != nil {
				t.Fatal(err)
			}
			_ = model.MarkEmitted(keys...)
		case r < 93:
			// A restart: the leases are gone.
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			st = openTestState(t, path, nil)
			_ = model.Release(held)
			held = nil
			// Emitted claims whose outcome was not done are forgotten.
			clear(model.(*memoryStore).pending)
			if compact {
				compactNow(t, st)
				renumber(model.(*memoryStore))
			}
		case r < 96:
			// A record's claim, by an entry held or not, on its own key
			// or another one, maybe claimed or written before.
			e := entry()
			if len(held) > 0 && rng.IntN(2) == 0 {
				e = held[rng.IntN(len(held))]
			}
			k := e.Key
			if rng.IntN(3) == 0 {
				k = entry().Key
			}
			got, err := st.ClaimEmitted(k, e)
			want, _ := model.ClaimEmitted(k, e)
			if err != nil || got != want {
				t.Fatalf("op %d: ClaimEmitted(%s) = %v, %v; model %v", op, k, got, err, want)
			}
		case r < 97 && len(held) > 0:
			n := rng.IntN(len(held) + 1)
			got, err := st.Renew(held[:n], time.Hour)
			want, _ := model.Renew(held[:n], time.Hour)
			if err != nil || !slices.Equal(got, want) {
				t.Fatalf("op %d: Renew = %v, %v; model %v", op, got, err, want)
			}
		default:
			for range 20 {
				k := entry().Key
				v1, _ := st.Visited(k)
				v2, _ := model.Visited(k)
				e1, _ := st.Emitted(k)
				e2, _ := model.Emitted(k)
				if v1 != v2 || e1 != e2 {
					t.Fatalf("op %d: %s: visited %v, emitted %v; model %v, %v", op, k, v1, e1, v2, e2)
				}
			}
		}
		c1, err := st.Counts()
		c2, _ := model.Counts()
		if err != nil || c1 != c2 {
			t.Fatalf("op %d: Counts = %+v, %v; model %+v", op, c1, err, c2)
		}
	}
	if c, _ := st.Counts(); c.Done < ops/10 || c.Done+c.Queued < checkpointEvery*2 {
		t.Errorf("the run did too little: %+v", c)
	}
}

// FuzzJournal opens state files of arbitrary records: OpenState never
// panics, and a file it opens is usable and, once reopened, opens
// cleanly to the same state, which compaction keeps. With framed, the input is cut into records
// with good checksums (a length byte, then the type and payload), to
// reach the payload decoding.
func FuzzJournal(f *testing.F) {
	records := sampleRecords(f)
	f.Add(records, false)
	f.Add(reframe(f, records), true)
	f.Add(records[:len(records)-3], false)
	if compactSupported {
		compacted := compactedRecords(f)
		f.Add(compacted, false)
		f.Add(reframe(f, compacted), true)
	}
	f.Add([]byte{}, false)
	f.Add([]byte{2, recAdd, 1, 3, recDone, 1, 0}, true)
	f.Add([]byte{5, recAdd, 1, 0, 0, 0, 4, recDone, 1, 7, 0}, true)
	f.Fuzz(func(t *testing.T, data []byte, framed bool) {
		if framed {
			data = frameRecords(data)
		}
		path := filepath.Join(t.TempDir(), "state.db")
		if err := os.WriteFile(path, append(header(journalCreate), data...), 0o600); err != nil {
			t.Fatal(err)
		}
		st, err := OpenState(path, StateOptions{})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "open state ") {
				t.Fatalf("error %q does not say what failed", err)
			}
			return
		}
		c, err := st.Counts()
		if err != nil || c.Queued < 0 || c.Done < 0 || c.Failed > c.Done || c.Emitted < 0 {
			t.Fatalf("Counts = %+v, %v", c, err)
		}
		got, err := st.Claim(1<<20, time.Hour)
		if err != nil || len(got) != c.Queued {
			t.Fatalf("Claim = %d entries, %v; Counts %+v", len(got), err, c)
		}
		for i := 1; i < len(got); i++ {
			if got[i].Seq <= got[i-1].Seq {
				t.Fatalf("Claim out of Seq order: %+v", got)
			}
		}
		if len(got) > 0 {
			if err := st.Done(Outcome{Entry: got[0], Visited: []string{got[0].Key}, Emitted: "x"}); err != nil {
				t.Fatal(err)
			}
		}
		c, _ = st.Counts()
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
		var log bytes.Buffer
		st2 := openTestState(t, path, &log)
		c2, _ := st2.Counts()
		c.Queued += c.InFlight
		c.InFlight = 0
		if c2 != c || log.Len() != 0 {
			st2.Close()
			t.Fatalf("reopened: Counts %+v, want %+v; log %q", c2, c, log.String())
		}
		if compactSupported {
			compactNow(t, st2)
		}
		c3, _ := st2.Counts()
		if err := st2.Close(); err != nil {
			t.Fatal(err)
		}
		st3 := openTestState(t, path, &log)
		defer st3.Close()
		c4, _ := st3.Counts()
		if c3 != c || c4 != c || log.Len() != 0 {
			t.Fatalf("compacted: Counts %+v, reopened %+v, want %+v; log %q", c3, c4, c, log.String())
		}
	})
}

// compactedRecords returns the records (after the header) of
// sampleRecords' state file compacted, a queued entry added.
func compactedRecords(t testing.TB) []byte {
	path := filepath.Join(t.TempDir(), "state.db")
	if err := os.WriteFile(path, append(header(journalCreate), sampleRecords(t)...), 0o600); err != nil {
		t.Fatal(err)
	}
	st := openTestState(t, path, nil)
	compactNow(t, st)
	_, _ = st.Add([]Entry{{URL: "https://x.test/z", Key: "https://x.test/z"}})
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b[headerSize:]
}

// sampleRecords returns the records (after the header) of a short crawl's
// state file.
func sampleRecords(t testing.TB) []byte {
	path := filepath.Join(t.TempDir(), "state.db")
	st := openTestState(t, path, nil)
	_ = st.AddScope("x.test")
	_, _ = st.Add([]Entry{{URL: "https://x.test/", Key: "https://x.test/"}, {URL: "https://x.test/s?utm_source=a", Key: "https://x.test/s", Depth: 1, Kind: KindSitemap}})
	got, _ := st.Claim(1, time.Minute)
	_ = st.Done(Outcome{Entry: got[0], Visited: []string{got[0].Key}, Found: []Entry{{URL: "https://x.test/a", Key: "https://x.test/a", Depth: 1}}, Emitted: got[0].Key})
	_ = st.MarkEmitted("https://x.test/b")
	got, _ = st.Claim(1, time.Minute)
	_ = st.Done(Outcome{Entry: got[0], Visited: []string{got[0].Key, "https://x.test/t"}, Emitted: "https://x.test/c", Failed: true})
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b[headerSize:]
}

// frameRecords cuts data into records, each a length byte n and n bytes
// of type and payload, and frames them with their checksums.
func frameRecords(data []byte) []byte {
	var out []byte
	for len(data) > 0 {
		n := int(data[0])
		data = data[1:]
		if n == 0 || n > len(data) {
			break
		}
		body := data[:n]
		data = data[n:]
		out = binary.LittleEndian.AppendUint32(out, uint32(n))
		out = binary.LittleEndian.AppendUint32(out, crc32.Checksum(body, castagnoli))
		out = append(out, body...)
	}
	return out
}

// reframe turns framed records into frameRecords' input, keeping those
// under 256 bytes.
func reframe(t testing.TB, records []byte) []byte {
	var out []byte
	for len(records) >= frameSize {
		n := int(binary.LittleEndian.Uint32(records))
		body := records[frameSize : frameSize+n]
		records = records[frameSize+n:]
		if n < 256 {
			out = append(out, byte(n))
			out = append(out, body...)
		}
	}
	if len(out) == 0 {
		t.Fatal("no sample record under 256 bytes")
	}
	return out
}

// TestStateLongKeys checks that URLs and keys over maxKey are left out
// of the file, not an error: a hostile page must not stop the crawl.
func TestStateLongKeys(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.db")
	st := openTestState(t, path, nil)
	long := "https://x.test/" + strings.Repeat("a", maxKey)
	if n, err := st.Add([]Entry{{URL: long, Key: long}, {URL: "a", Key: "a"}}); n != 1 || err != nil {
		t.Fatalf("Add = %d, %v; want the short entry only", n, err)
	}
	got, _ := st.Claim(1, time.Minute)
	if err := st.Done(Outcome{Entry: got[0], Visited: []string{long, "a"}, Emitted: long, Found: []Entry{{URL: long, Key: "b"}}}); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkEmitted(long, "c"); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	st = openTestState(t, path, &log)
	defer st.Close()
	if c, _ := st.Counts(); c != (Counts{Done: 1, Emitted: 1}) || log.Len() != 0 {
		t.Errorf("reopened: Counts %+v, log %q; want a done and c emitted", c, log.String())
	}
	if v, _ := st.Visited("a"); !v {
		t.Error("the short visited key was lost with the long one")
	}
}
