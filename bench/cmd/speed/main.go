// Command speed times newsx, the peer extractors and bare HTML parsing
// over the pages of one dataset folder, in one process and interleaved:
// for each page every system runs once, in an order rotated from page to
// page and round to round, so that a noisy machine slows all of them
// alike and the ratios hold. One goroutine calls the systems; GOMAXPROCS
// is left as it is.
//
//	go run ./cmd/speed [-rounds R] [-format plain|markdown] DATASET
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/newsx/newsx/bench/internal/dataset"
	"github.com/newsx/newsx/bench/internal/systems"
)

// all are the systems timed, in table order.
var all = []systems.System{
	systems.Parse, systems.Newsx, systems.Readeck, systems.Trafilatura,
	systems.TrafilaturaFallback, systems.Shiori, systems.Distiller,
}

type tally struct {
	elapsed time.Duration
	cpu     time.Duration // process CPU time (user + system), GC included
	bytes   uint64        // heap bytes allocated
	mallocs uint64
	calls   int
	errors  int
}

type page struct {
	body []byte
	url  *url.URL
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("speed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rounds := fs.Int("rounds", 3, "times each system extracts each page")
	limit := fs.Int("limit", 0, "time only the first N pages (0: all)")
	warmup := fs.Int("warmup", 5, "pages each system extracts before timing starts")
	format := fs.String("format", "plain", "table format: plain or markdown")
	mdOut := fs.String("md", "", "also write the table as markdown to this file")
	only := fs.String("systems", "", "comma-separated system names to time (default: all; html.Parse and newsx are always timed)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: speed [flags] DATASET\n\nDATASET is a folder with pages/<id>.html and truth.jsonl.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 || *rounds < 1 || (*format != "plain" && *format != "markdown") {
		fs.Usage()
		return 2
	}
	sys := all
	if *only != "" {
		sys = all[:2]
		for _, s := range all[2:] {
			for _, n := range strings.Split(*only, ",") {
				if strings.EqualFold(strings.TrimSpace(n), s.Name) {
					sys = append(sys, s)
				}
			}
		}
	}
	ds, err := dataset.Load(fs.Arg(0))
	if errors.Is(err, dataset.ErrAbsent) {
		fmt.Fprintf(stderr, "speed: skipping %s: no truth.jsonl there\n", fs.Arg(0))
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "speed: %v\n", err)
		return 1
	}
	truths := ds.Truths
	if *limit > 0 && len(truths) > *limit {
		truths = truths[:*limit]
	}
	var pages []page
	var size int64
	for _, t := range truths {
		b, err := ds.Page(t.ID)
		if err != nil {
			fmt.Fprintf(stderr, "speed: %v\n", err)
			return 1
		}
		pages = append(pages, page{b, dataset.PageURL(t)})
		size += int64(len(b))
	}
	if len(pages) == 0 {
		fmt.Fprintf(stderr, "speed: %s has no pages\n", ds.Name)
		return 0
	}
	fmt.Fprintf(stderr, "speed: %s: %d pages (%.1f MB), %d rounds, %d systems, GOMAXPROCS %d\n",
		ds.Name, len(pages), float64(size)/1e6, *rounds, len(sys), runtime.GOMAXPROCS(0))

	tallies := make([]tally, len(sys))
	for i := range min(*warmup, len(pages)) {
		for j := range sys {
			var discard tally
			call(sys[j], pages[i], &discard)
		}
	}
	start := time.Now()
	for r := range *rounds {
		for i, p := range pages {
			for k := range sys {
				j := (i + r + k) % len(sys)
				call(sys[j], p, &tallies[j])
			}
		}
		fmt.Fprintf(stderr, "speed: round %d/%d done, %s\n", r+1, *rounds, time.Since(start).Round(time.Second))
	}
	if *mdOut != "" {
		var b strings.Builder
		writeMarkdown(&b, sys, tallies)
		if err := os.WriteFile(*mdOut, []byte(b.String()), 0o644); err != nil {
			fmt.Fprintf(stderr, "speed: %v\n", err)
			return 1
		}
	}
	if *format == "markdown" {
		writeMarkdown(stdout, sys, tallies)
	} else {
		writePlain(stdout, sys, tallies)
	}
	return 0
}

// call runs one system on one page and adds its time and allocations to
// t. The memory statistics are read outside the timed span.
func call(s systems.System, p page, t *tally) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu0 := cpuTime()
	begin := time.Now()
	err := extract(s, p)
	elapsed := time.Since(begin)
	t.cpu += cpuTime() - cpu0
	runtime.ReadMemStats(&after)
	t.elapsed += elapsed
	t.bytes += after.TotalAlloc - before.TotalAlloc
	t.mallocs += after.Mallocs - before.Mallocs
	t.calls++
	if err != nil {
		t.errors++
	}
}

// cpuTime returns the CPU time the process has used, user and system, all
// threads (so the garbage collector's work is counted). Unlike wall time it
// does not grow while other programs hold the machine's cores, which makes
// the ratios steadier on a shared machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func extract(s systems.System, p page) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	_, err = s.Extract(p.body, p.url)
	return err
}

type row struct {
	name                                 string
	pagesPerSec, msPerPage, mbPerPage    float64
	cpuMsPerPage, cpuVsNewsx             float64
	allocsPerPage, vsNewsx, allocVsNewsx float64
	errors                               int
}

func rows(sys []systems.System, ts []tally) []row {
	var newsx tally
	for i, s := range sys {
		if s.Name == systems.Newsx.Name {
			newsx = ts[i]
		}
	}
	var out []row
	for i, s := range sys {
		t := ts[i]
		n := float64(t.calls)
		out = append(out, row{
			name:          s.Name,
			pagesPerSec:   n / t.elapsed.Seconds(),
			msPerPage:     t.elapsed.Seconds() * 1000 / n,
			cpuMsPerPage:  t.cpu.Seconds() * 1000 / n,
			cpuVsNewsx:    t.cpu.Seconds() / newsx.cpu.Seconds(),
			mbPerPage:     float64(t.bytes) / n / 1e6,
			allocsPerPage: float64(t.mallocs) / n,
			vsNewsx:       t.elapsed.Seconds() / newsx.elapsed.Seconds(),
			allocVsNewsx:  float64(t.bytes) / float64(newsx.bytes),
			errors:        t.errors,
		})
	}
	return out
}

// summary states newsx's cost as a multiple of bare parsing.
func summary(rs []row) string {
	var parse, newsx row
	for _, r := range rs {
		switch r.name {
		case systems.Parse.Name:
			parse = r
		case systems.Newsx.Name:
			newsx = r
		}
	}
	return fmt.Sprintf("newsx / html.Parse: time %.2f×, CPU time %.2f×, allocated bytes %.2f×, allocations %.2f×",
		newsx.msPerPage/parse.msPerPage, newsx.cpuMsPerPage/parse.cpuMsPerPage, newsx.mbPerPage/parse.mbPerPage, newsx.allocsPerPage/parse.allocsPerPage)
}

var header = []string{"system", "pages/s", "ms/page", "CPU ms/page", "alloc MB/page", "allocs/page", "time ÷ newsx", "CPU ÷ newsx", "alloc ÷ newsx", "errors"}

func cells(r row) []string {
	return []string{
		r.name, fmt.Sprintf("%.1f", r.pagesPerSec), fmt.Sprintf("%.2f", r.msPerPage), fmt.Sprintf("%.2f", r.cpuMsPerPage),
		fmt.Sprintf("%.2f", r.mbPerPage), fmt.Sprintf("%.0f", r.allocsPerPage),
		fmt.Sprintf("%.2f", r.vsNewsx), fmt.Sprintf("%.2f", r.cpuVsNewsx), fmt.Sprintf("%.2f", r.allocVsNewsx), fmt.Sprintf("%d", r.errors),
	}
}

func writePlain(w io.Writer, sys []systems.System, ts []tally) {
	rs := rows(sys, ts)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(header, "\t")+"\t")
	for _, r := range rs {
		fmt.Fprintln(tw, strings.Join(cells(r), "\t")+"\t")
	}
	tw.Flush()
	fmt.Fprintln(w, summary(rs))
}

func writeMarkdown(w io.Writer, sys []systems.System, ts []tally) {
	rs := rows(sys, ts)
	fmt.Fprintf(w, "| %s |\n|---|%s\n", strings.Join(header, " | "), strings.Repeat("---:|", len(header)-1))
	for _, r := range rs {
		c := cells(r)
		if r.name == systems.Newsx.Name {
			c[0] = "**newsx**"
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(c, " | "))
	}
	fmt.Fprintf(w, "\n%s\n", summary(rs))
}
