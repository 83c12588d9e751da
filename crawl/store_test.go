package crawl

import (
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// storeOpeners open each Store implementation for the contract tests; the
// Redis store is added by redis_test.go when redis-server is installed.
func localStores() map[string]func(t *testing.T) Store {
	return map[string]func(t *testing.T) Store{
		"memory": func(*testing.T) Store { return NewMemoryStore() },
		"state": func(t *testing.T) Store {
			st, err := OpenState(filepath.Join(t.TempDir(), "state.db"), StateOptions{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st
		},
	}
}

func keysOf(entries []Entry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Key)
	}
	return out
}

// testStoreContract runs the Store contract against one store.
func testStoreContract(t *testing.T, st Store) {
	e := func(k string) Entry { return Entry{URL: k, Key: k} }
	n, err := st.Add([]Entry{e("a"), e("b"), e("a"), e("c")})
	if err != nil || n != 3 {
		t.Fatalf("Add = %d, %v; want 3 new", n, err)
	}
	got, err := st.Claim(2, time.Minute)
	if err != nil || !slices.Equal(keysOf(got), []string{"a", "b"}) {
		t.Fatalf("Claim(2) = %+v, %v", got, err)
	}
	if c, _ := st.Counts(); c.Queued != 1 || c.InFlight != 2 {
		t.Errorf("Counts after claiming 2 of 3 = %+v", c)
	}
	rest, _ := st.Claim(10, time.Minute)
	if !slices.Equal(keysOf(rest), []string{"c"}) {
		t.Fatalf("Claim after a, b = %+v", rest)
	}
	if more, _ := st.Claim(10, time.Minute); len(more) != 0 {
		t.Fatalf("Claim with everything leased = %+v", more)
	}
	// Release hands c back.
	if err := st.Release(rest); err != nil {
		t.Fatal(err)
	}
	if l, _ := st.Len(); l != 1 {
		t.Errorf("Len after Release = %d, want 1", l)
	}
	// Done removes the entry, marks visited and emitted, and queues
	// only keys never queued before.
	err = st.Done(Outcome{Entry: got[0], Visited: []string{"a", "a2"}, Found: []Entry{e("b"), e("d")}, Emitted: "A"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Done(Outcome{Entry: got[1], Visited: []string{"b"}, Failed: true}); err != nil {
		t.Fatal(err)
	}
	all, _ := st.Claim(10, time.Minute)
	if !slices.Equal(keysOf(all), []string{"c", "d"}) {
		t.Errorf("frontier %v, want [c d]", keysOf(all))
	}
	if lost, err := st.Renew(all, time.Minute); err != nil || len(lost) != 0 {
		t.Errorf("Renew of held leases = %v, %v", lost, err)
	}
	if lost, _ := st.Renew(got[:1], time.Minute); !slices.Equal(lost, []uint64{got[0].Seq}) {
		t.Errorf("Renew of a done entry = %v, want it lost", lost)
	}
	if c, _ := st.Counts(); c != (Counts{Queued: 0, InFlight: 2, Done: 2, Failed: 1, Emitted: 1}) {
		t.Errorf("Counts = %+v", c)
	}
	for k, want := range map[string]bool{"a": true, "a2": true, "b": true, "c": false} {
		if v, _ := st.Visited(k); v != want {
			t.Errorf("Visited(%s) = %v", k, v)
		}
	}
	if err := st.MarkEmitted("B"); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]bool{"A": true, "B": true, "C": false} {
		if v, _ := st.Emitted(k); v != want {
			t.Errorf("Emitted(%s) = %v", k, v)
		}
	}
	// ClaimEmitted: once per key; B is marked, A is done.
	for _, tt := range []struct {
		key  string
		e    Entry
		want bool
	}{{"C", all[0], true}, {"C", all[1], false}, {"A", all[1], false}, {"B", all[1], false}} {
		if ok, err := st.ClaimEmitted(tt.key, tt.e); ok != tt.want || err != nil {
			t.Errorf("ClaimEmitted(%s) = %v, %v; want %v", tt.key, ok, err, tt.want)
		}
	}
	if n, _ := st.Add([]Entry{e("a")}); n != 0 {
		t.Error("a key queued before was queued again after Done")
	}
	if err := st.AddScope("x.test", "y.test", "x.test"); err != nil {
		t.Fatal(err)
	}
	if hosts, _ := st.Scope(); !slices.Equal(hosts, []string{"x.test", "y.test"}) {
		t.Errorf("Scope = %v", hosts)
	}
}

// testStoreEntryFields checks that an entry comes back from Claim as it
// was added.
func testStoreEntryFields(t *testing.T, st Store) {
	in := []Entry{
		{URL: "http://h/s.xml", Key: "http://h/s.xml", Depth: 2, Kind: KindSitemap, Nesting: maxSitemapNesting},
		{URL: "http://h/a/?x=1", Key: "http://h/a?x=1", Depth: -1, Kind: KindProbe},
	}
	if _, err := st.Add(in); err != nil {
		t.Fatal(err)
	}
	got, err := st.Claim(10, time.Minute)
	if err != nil || len(got) != len(in) {
		t.Fatalf("Claim = %+v, %v", got, err)
	}
	for i := range got {
		got[i].Seq = 0
		if got[i] != in[i] {
			t.Errorf("entry %+v came back as %+v", in[i], got[i])
		}
	}
}

// testStoreLeaseExpiry checks that an entry whose lease ran out is claimed
// again, and that Renew takes back an expired lease nobody claimed.
func testStoreLeaseExpiry(t *testing.T, st Store) {
	if _, err := st.Add([]Entry{{URL: "a", Key: "a"}, {URL: "b", Key: "b"}}); err != nil {
		t.Fatal(err)
	}
	got, err := st.Claim(2, 100*time.Millisecond)
	if err != nil || len(got) != 2 {
		t.Fatalf("Claim = %v, %v", got, err)
	}
	time.Sleep(250 * time.Millisecond)
	if c, _ := st.Counts(); c.Queued != 2 || c.InFlight != 0 {
		t.Errorf("Counts after the leases ran out = %+v, want 2 queued", c)
	}
	if lost, err := st.Renew(got[1:], time.Minute); err != nil || len(lost) != 0 {
		t.Errorf("Renew of an expired, unclaimed lease = %v, %v; want it taken back", lost, err)
	}
	again, err := st.Claim(10, time.Minute)
	if err != nil || !slices.Equal(keysOf(again), []string{"a"}) {
		t.Errorf("Claim after expiry = %v, %v; want [a]", keysOf(again), err)
	}
}

// TestStores runs the Store contract against the local implementations.
func TestStores(t *testing.T) {
	t.Parallel()
	for name, open := range localStores() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			testStoreContract(t, open(t))
		})
		t.Run(name+"/entry fields", func(t *testing.T) {
			t.Parallel()
			testStoreEntryFields(t, open(t))
		})
		t.Run(name+"/lease expiry", func(t *testing.T) {
			t.Parallel()
			testStoreLeaseExpiry(t, open(t))
		})
	}
}

func TestStateReopen(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.db")
	st, err := OpenState(path, StateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Add([]Entry{{URL: "u1", Key: "u1", Depth: 2, Kind: KindSitemap}, {URL: "u2", Key: "u2"}, {URL: "u3", Key: "u3"}}); err != nil {
		t.Fatal(err)
	}
	claimed, _ := st.Claim(2, time.Minute)
	if err := st.Done(Outcome{Entry: claimed[0], Emitted: "E"}); err != nil {
		t.Fatal(err)
	}
	// A claimed emitted key not committed by Done is not kept.
	if ok, _ := st.ClaimEmitted("F", claimed[1]); !ok {
		t.Fatal("ClaimEmitted(F) = false on a fresh key")
	}
	if _, err := OpenState(path, StateOptions{}); err == nil {
		t.Error("a second OpenState on a file in use succeeded")
	}
	st.Close() // as after a kill: u2 still leased
	st, err = OpenState(path, StateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, _ := st.Claim(10, time.Minute)
	if !slices.Equal(keysOf(got), []string{"u2", "u3"}) || got[0].Kind != KindPage {
		t.Errorf("after reopen the frontier is %+v, want u2 and u3", got)
	}
	if v, _ := st.Emitted("E"); !v {
		t.Error("emitted mark lost on reopen")
	}
	if v, _ := st.Emitted("F"); v {
		t.Error("an emitted key claimed but never committed survived reopen")
	}
}

// TestMemoryStoreClosed: after Close, the calls that need the key table
// fail with an error instead of reading freed memory.
func TestMemoryStoreClosed(t *testing.T) {
	st := NewMemoryStore()
	if _, err := st.Add([]Entry{{URL: "https://x.test/a", Key: "https://x.test/a"}}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Add([]Entry{{URL: "https://x.test/b", Key: "https://x.test/b"}}); err == nil {
		t.Error("Add after Close: no error")
	}
	if _, err := st.Visited("https://x.test/a"); err == nil {
		t.Error("Visited after Close: no error")
	}
	if _, err := st.ClaimEmitted("https://x.test/a", Entry{}); err == nil {
		t.Error("ClaimEmitted after Close: no error")
	}
	if err := st.Done(Outcome{Visited: []string{"https://x.test/a"}}); err == nil {
		t.Error("Done after Close: no error")
	}
}
