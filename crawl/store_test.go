package crawl

import (
	"path/filepath"
	"testing"
)

// TestStores runs the Store contract against both implementations.
func TestStores(t *testing.T) {
	t.Parallel()
	stores := map[string]func(t *testing.T) Store{
		"memory": func(*testing.T) Store { return NewMemoryStore() },
		"bolt": func(t *testing.T) Store {
			st, err := OpenBolt(filepath.Join(t.TempDir(), "state.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st
		},
	}
	for name, open := range stores {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			st := open(t)
			e := func(k string) Entry { return Entry{URL: k, Key: k} }
			n, err := st.Add([]Entry{e("a"), e("b"), e("a"), e("c")})
			if err != nil || n != 3 {
				t.Fatalf("Add = %d, %v; want 3 new", n, err)
			}
			got, err := st.Next(0, 2)
			if err != nil || len(got) != 2 || got[0].Key != "a" || got[1].Key != "b" {
				t.Fatalf("Next(0, 2) = %+v, %v", got, err)
			}
			rest, _ := st.Next(got[1].Seq, 10)
			if len(rest) != 1 || rest[0].Key != "c" {
				t.Fatalf("Next after b = %+v", rest)
			}
			// Done removes the entry, marks visited and emitted, and queues
			// only keys never queued before.
			err = st.Done(Outcome{Entry: got[0], Visited: []string{"a", "a2"}, Found: []Entry{e("b"), e("d")}, Emitted: "A"})
			if err != nil {
				t.Fatal(err)
			}
			all, _ := st.Next(0, 10)
			var keys []string
			for _, x := range all {
				keys = append(keys, x.Key)
			}
			if len(keys) != 3 || keys[0] != "b" || keys[1] != "c" || keys[2] != "d" {
				t.Errorf("frontier %v, want [b c d]", keys)
			}
			if l, _ := st.Len(); l != 3 {
				t.Errorf("Len = %d, want 3", l)
			}
			for k, want := range map[string]bool{"a": true, "a2": true, "b": false} {
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
			if n, _ := st.Add([]Entry{e("a")}); n != 0 {
				t.Error("a key queued before was queued again after Done")
			}
		})
	}
}

func TestBoltReopen(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.db")
	st, err := OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Add([]Entry{{URL: "u1", Key: "u1", Depth: 2, Kind: KindSitemap}, {URL: "u2", Key: "u2"}}); err != nil {
		t.Fatal(err)
	}
	first, _ := st.Next(0, 1)
	if err := st.Done(Outcome{Entry: first[0], Emitted: "E"}); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenBolt(path); err == nil {
		t.Error("a second OpenBolt on a file in use succeeded")
	}
	st.Close()
	st, err = OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, _ := st.Next(0, 10)
	if len(got) != 1 || got[0].Key != "u2" {
		t.Errorf("after reopen the frontier is %+v, want u2 only", got)
	}
	if v, _ := st.Emitted("E"); !v {
		t.Error("emitted mark lost on reopen")
	}
}
