package crawl_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsx/newsx/crawl"
	"github.com/newsx/newsx/crawl/crawltest/bigsite"
	"github.com/newsx/newsx/extract"
)

// TestSoak crawls a generated site with faulty pages in-process and checks
// that no article is lost or duplicated and that no goroutine outlives
// the crawl. It is a benchmark, not a CI test: it runs only with
// NEWSX_SOAK=1, for minutes.
//
//	NEWSX_SOAK=1 go test -run Soak -timeout 60m -v ./crawl/
//
// NEWSX_SOAK_N (default 20000) sets the number of articles,
// NEWSX_SOAK_FAULTS (0.05) the share of faulty ones, NEWSX_SOAK_STATE
// (state) the store: state (a state file, as --state) or memory. With
// -cpuprofile or -trace the same run profiles the crawler (and the site,
// which runs in the same process).
func TestSoak(t *testing.T) {
	if os.Getenv("NEWSX_SOAK") != "1" {
		t.Skip("a soak benchmark: set NEWSX_SOAK=1 to run it")
	}
	n := envInt(t, "NEWSX_SOAK_N", 20000)
	faults := 0.05
	if v := os.Getenv("NEWSX_SOAK_FAULTS"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("NEWSX_SOAK_FAULTS=%q: %v", v, err)
		}
		faults = f
	}
	site := bigsite.New(bigsite.Options{Articles: n, FaultRate: faults, AMP: faults > 0, Seed: 1})

	settle()
	before := runtime.NumGoroutine()
	srv := httptest.NewServer(site)

	var store crawl.Store
	switch st := os.Getenv("NEWSX_SOAK_STATE"); st {
	case "", "state":
		s, err := crawl.OpenState(filepath.Join(t.TempDir(), "state.db"), crawl.StateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		store = s
	case "memory":
		store = crawl.NewMemoryStore()
	default:
		t.Fatalf("NEWSX_SOAK_STATE=%q: want state or memory", st)
	}
	cfg := crawl.Config{
		Depth:        3,
		Delay:        -1,
		PerHost:      8,
		Concurrency:  8,
		IgnoreRobots: true,
		Timeout:      10 * time.Second,
		RetryBackoff: 200 * time.Millisecond,
		Store:        store,
	}
	var failures []crawl.Failure
	var stats crawl.Stats
	cfg.OnFailure = func(f crawl.Failure) { failures = append(failures, f) }
	cfg.OnProgress = func(s crawl.Stats) { stats = s }
	emitted := map[int]int{}
	other := 0
	var peakHeap uint64
	var ms runtime.MemStats
	records := 0
	start := time.Now()
	err := crawl.Run(t.Context(), cfg, []string{srv.URL + "/"}, func(a *extract.Article) error {
		records++
		if records%2000 == 0 {
			runtime.ReadMemStats(&ms)
			peakHeap = max(peakHeap, ms.HeapInuse)
		}
		u, err := url.Parse(a.URL)
		if err != nil {
			t.Errorf("record url %q: %v", a.URL, err)
			return nil
		}
		if id := bigsite.ID(u.Path); id >= 0 {
			emitted[id]++
		} else {
			other++
		}
		return nil
	})
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	during := runtime.NumGoroutine()
	srv.Close()
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	settle()
	after := runtime.NumGoroutine()

	var lost []int
	dups := 0
	for i := range n {
		c := emitted[i]
		if c > 1 {
			dups += c - 1
		}
		if site.Expected(i) && c == 0 {
			lost = append(lost, i)
		}
		if !site.Expected(i) && c > 0 {
			t.Errorf("article %d (fault %s) emitted, but its page never serves it", i, site.Fault(i))
		}
	}
	causes := []string{}
	for c, k := range stats.Causes {
		causes = append(causes, fmt.Sprintf("%s %d", c, k))
	}
	slices.Sort(causes)
	byFault := map[string]int{}
	for _, f := range failures {
		u, _ := url.Parse(f.URL)
		kind := "other page"
		if id := bigsite.ID(u.Path); id >= 0 {
			kind = site.Fault(id).String()
		}
		byFault[kind+" → "+f.Cause]++
	}
	var bf []string
	for k, v := range byFault {
		bf = append(bf, fmt.Sprintf("%s: %d", k, v))
	}
	slices.Sort(bf)

	t.Logf("%d articles, fault rate %.2f: fetched %d, records %d in %v: %.1f pages/s, %.1f records/s",
		n, faults, stats.Fetched, records, elapsed.Round(time.Millisecond), float64(stats.Fetched)/elapsed.Seconds(), float64(records)/elapsed.Seconds())
	t.Logf("retries %d, skipped %d, failed %d: %s", stats.Retries, stats.Skipped, stats.Failed, strings.Join(causes, ", "))
	t.Logf("failures by fault kind → cause:\n\t%s", strings.Join(bf, "\n\t"))
	t.Logf("lost %d, duplicates %d, records that are not site articles %d", len(lost), dups, other)
	t.Logf("goroutines: %d before, %d when Run returned (site still up), %d after the site closed; peak heap in use %.1f MB",
		before, during, after, float64(peakHeap)/(1<<20))
	if len(lost) > 0 {
		t.Errorf("%d articles lost, e.g. %v (faults %s)", len(lost), lost[:min(10, len(lost))], faultsOf(site, lost[:min(10, len(lost))]))
	}
	if dups > 0 {
		t.Errorf("%d duplicate records", dups)
	}
	if after > before {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines after the crawl, %d before:\n%s", after, before, buf[:runtime.Stack(buf, true)])
	}
}

func faultsOf(site *bigsite.Site, ids []int) string {
	var s []string
	for _, i := range ids {
		s = append(s, site.Fault(i).String())
	}
	return strings.Join(s, ", ")
}

// settle gives finished goroutines a moment to exit.
func settle() {
	for range 10 {
		runtime.GC()
		time.Sleep(50 * time.Millisecond)
	}
}

func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}
