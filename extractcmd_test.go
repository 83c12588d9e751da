package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsx/newsx/crawl/crawltest"
	"github.com/newsx/newsx/extract"
)

// TestExtractAllSlowPage checks that one slow page does not hold the other
// workers back: while it runs, they go on with the pages after it (up to
// the window), and the results still come out in input order.
func TestExtractAllSlowPage(t *testing.T) {
	const n = 40
	inputs := make([]string, n)
	for i := range inputs {
		inputs[i] = fmt.Sprint(i)
	}
	const ahead = 20 // pages the other worker must finish while page 0 runs
	var done atomic.Int32
	fn := func(in string) (*extract.Article, error) {
		if in == "0" {
			deadline := time.Now().Add(5 * time.Second)
			for done.Load() < ahead && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			if done.Load() < ahead {
				return nil, fmt.Errorf("only %d pages done while the first ran", done.Load())
			}
		} else {
			done.Add(1)
		}
		return &extract.Article{Headline: in}, nil
	}
	i := 0
	for r := range extractAll(context.Background(), inputs, 2, fn) {
		if r.err != nil {
			t.Fatal(r.err)
		}
		if r.a.Headline != inputs[i] {
			t.Fatalf("result %d is %q", i, r.a.Headline)
		}
		i++
	}
	if i != n {
		t.Fatalf("%d results, want %d", i, n)
	}
}

// TestExtractAllOrderAndWindow runs many more inputs than the window holds,
// a random third of them slow (seeded): the results come out in input
// order, and no input is taken while windowPerJob*jobs taken ones wait to
// be written.
func TestExtractAllOrderAndWindow(t *testing.T) {
	for _, jobs := range []int{1, 2, 5} {
		const n = 2000
		inputs := make([]string, n)
		for i := range inputs {
			inputs[i] = fmt.Sprint(i)
		}
		var started, written atomic.Int64
		var most atomic.Int64
		rng := rand.New(rand.NewPCG(1, uint64(jobs)))
		slow := make(map[string]bool)
		for _, in := range inputs {
			slow[in] = rng.IntN(3) == 0
		}
		fn := func(in string) (*extract.Article, error) {
			ahead := started.Add(1) - written.Load()
			for m := most.Load(); ahead > m && !most.CompareAndSwap(m, ahead); m = most.Load() {
			}
			if slow[in] {
				time.Sleep(50 * time.Microsecond)
			}
			return &extract.Article{Headline: in}, nil
		}
		i := 0
		for r := range extractAll(context.Background(), inputs, jobs, fn) {
			if r.a.Headline != inputs[i] || r.in != inputs[i] {
				t.Fatalf("jobs %d: result %d is %q from %q", jobs, i, r.a.Headline, r.in)
			}
			written.Add(1)
			i++
		}
		if i != n {
			t.Fatalf("jobs %d: %d results, want %d", jobs, i, n)
		}
		// written is counted after the writer has freed the place, so a
		// worker may see one more in flight than the window holds.
		if m, size := most.Load(), int64(windowPerJob*jobs); m > size+1 {
			t.Errorf("jobs %d: %d inputs in flight, window %d", jobs, m, size)
		}
	}
}

// TestExtractAllStop stops reading after a few results: the workers stop
// taking inputs, and all of them have returned when the loop ends.
func TestExtractAllStop(t *testing.T) {
	inputs := make([]string, 10000)
	for i := range inputs {
		inputs[i] = fmt.Sprint(i)
	}
	var calls, running atomic.Int64
	fn := func(in string) (*extract.Article, error) {
		running.Add(1)
		defer running.Add(-1)
		calls.Add(1)
		// long enough that workers are still in here when the loop
		// stops, unless extractAll waits for them
		time.Sleep(2 * time.Millisecond)
		return &extract.Article{Headline: in}, nil
	}
	const jobs = 2
	got := 0
	for range extractAll(context.Background(), inputs, jobs, fn) {
		if got++; got == 5 {
			break
		}
	}
	if r := running.Load(); r != 0 {
		t.Errorf("%d calls still running after the loop ended", r)
	}
	if c := calls.Load(); c > 5+windowPerJob*jobs {
		t.Errorf("%d inputs taken after stopping at 5 (window %d)", c, windowPerJob*jobs)
	}
}

// TestExtractThroughProxy: `newsx extract URL` goes through a proxy on
// loopback (HTTP_PROXY), and a redirect to a non-public target is
// refused before it reaches the proxy.
func TestExtractThroughProxy(t *testing.T) {
	if !crawltest.LoopbackOnly(t) {
		return
	}
	page, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	const public = "93.184.215.14"
	proxy := crawltest.NewProxy(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Host != public:
			http.Error(w, "unknown host", http.StatusBadGateway)
		case r.URL.Path == "/go":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(page)
		}
	}))
	crawltest.UseProxy(t, proxy.URL)
	if code, out, errOut := runCLI(t, "", "extract", "http://"+public+"/story"); code != exitOK || out == "" {
		t.Errorf("extract through the proxy: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, "", "extract", "http://"+public+"/go"); code != exitFailure || !strings.Contains(errOut, "refusing a non-public address") {
		t.Errorf("redirect to 169.254.169.254: exit %d, stderr %q; want %d and the refusal", code, errOut, exitFailure)
	}
	if hosts := proxy.Hosts(); len(hosts) != 1 || hosts[0] != public {
		t.Errorf("the proxy was asked for %v, want %s only", hosts, public)
	}
}
