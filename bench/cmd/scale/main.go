// Command scale measures how `newsx extract` over a folder of pages
// scales from one core to two, next to the same measure for bare HTML
// parsing (golang.org/x/net/html over the same files, the same number of
// workers, the same GOGC as newsx), which shows what the machine itself
// allows for work of this kind.
//
// Every job is a child process pinned to its cores with taskset: one
// core runs `--jobs 1` on CPU 0, two cores run `--jobs 2` on CPUs 0 and
// 1. A pair is the one-core and the two-core run of one system back to
// back, the first of the two alternating from pair to pair, and the
// systems alternate too, so that a machine whose speed drifts slows both
// halves of a pair alike. The speedup of a pair is its one-core wall
// time over its two-core wall time; the summary gives the median over
// the pairs.
//
// Each run reads the folder -repeat times (newsx extract gets the folder
// as that many arguments), so that a run lasts seconds rather than a
// fraction of one: over 181 pages a one-core run of the bare parse takes
// about 0.4 s, in which process start-up and the last, unshared page
// weigh as much as the machine's noise.
//
//	go run ./cmd/scale -newsx BIN [-pairs 10] [-repeat 4] DIR
package main

import (
	"bytes"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/net/html"
)

// gcPercent is newsx's own GOGC (main.go), used by the parse jobs too.
const gcPercent = 200

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scale", flag.ContinueOnError)
	fs.SetOutput(stderr)
	newsx := fs.String("newsx", "", "the newsx binary to time (required)")
	pairs := fs.Int("pairs", 10, "one-core/two-core pairs per system (even: each order runs as often)")
	repeat := fs.Int("repeat", 4, "times each run reads the folder")
	parseJobs := fs.Int("parse-jobs", 0, "internal: parse the folder's pages on this many workers and exit")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: scale -newsx BIN [-pairs N] [-repeat N] DIR\n\nDIR holds the .html pages (a dataset's pages/ folder).\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	dir := fs.Arg(0)
	if *repeat < 1 {
		fs.Usage()
		return 2
	}
	if *parseJobs > 0 {
		if err := parseAll(dir, *parseJobs, *repeat); err != nil {
			fmt.Fprintf(stderr, "scale: %v\n", err)
			return 1
		}
		return 0
	}
	if *newsx == "" || *pairs < 1 {
		fs.Usage()
		return 2
	}
	if _, err := exec.LookPath("taskset"); err != nil {
		fmt.Fprintln(stderr, "scale: taskset not found (it is in util-linux); it pins each job to its cores")
		return 1
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "scale: %v\n", err)
		return 1
	}
	files, err := pages(dir)
	if err != nil {
		fmt.Fprintf(stderr, "scale: %v\n", err)
		return 1
	}
	systems := []system{
		{name: "html.Parse", cmd: func(jobs int) []string {
			return []string{self, "-parse-jobs", strconv.Itoa(jobs), "-repeat", strconv.Itoa(*repeat), dir}
		}},
		{name: "newsx extract", cmd: func(jobs int) []string {
			args := []string{*newsx, "extract", "-q", "-f", "jsonl", "--jobs", strconv.Itoa(jobs)}
			for range *repeat {
				args = append(args, dir)
			}
			return args
		}},
	}
	fmt.Fprintf(stderr, "%d pages in %s, read %d times a run, %d pairs per system\n", len(files), dir, *repeat, *pairs)
	// One untimed two-core run of each system first, so that no timed run
	// reads the pages from a cold disk cache.
	for _, s := range systems {
		if _, err := runPinned(2, s.cmd(2)); err != nil {
			fmt.Fprintf(stderr, "scale: %s (warm-up): %v\n", s.name, err)
			return 1
		}
	}
	var rows []row
	for p := range *pairs {
		for k := range systems {
			s := systems[(k+p)%len(systems)]
			r := row{system: s.name, pair: p + 1}
			order := []int{1, 2}
			if p%2 == 1 {
				order = []int{2, 1}
			}
			for _, cores := range order {
				m, err := runPinned(cores, s.cmd(cores))
				if err != nil {
					fmt.Fprintf(stderr, "scale: %s on %d core(s): %v\n", s.name, cores, err)
					return 1
				}
				if cores == 1 {
					r.one = m
				} else {
					r.two = m
				}
			}
			fmt.Fprintf(stderr, "pair %2d %-13s 1 core %6.2fs (cpu %6.2fs)  2 cores %6.2fs (cpu %6.2fs)  speedup %.3f\n",
				r.pair, r.system, r.one.wall.Seconds(), r.one.cpu.Seconds(), r.two.wall.Seconds(), r.two.cpu.Seconds(), r.speedup())
			rows = append(rows, r)
		}
	}
	report(stdout, rows, systems, len(files)*(*repeat))
	return 0
}

type system struct {
	name string
	cmd  func(jobs int) []string
}

// measure is one child run.
type measure struct {
	wall, cpu time.Duration
}

type row struct {
	system   string
	pair     int
	one, two measure
}

func (r row) speedup() float64 { return r.one.wall.Seconds() / r.two.wall.Seconds() }

// busy is the two-core run's CPU time over its wall time: 2 when both
// cores were busy all along.
func (r row) busy() float64 { return r.two.cpu.Seconds() / r.two.wall.Seconds() }

// cpuCost is the two-core run's CPU time over the one-core run's: above
// 1 when the same work took more CPU on two cores.
func (r row) cpuCost() float64 { return r.two.cpu.Seconds() / r.one.cpu.Seconds() }

// runPinned runs argv on the first n CPUs, its output discarded, and
// returns its wall and CPU time. newsx's exit code 3 (some inputs
// failed; in the evaluation sets, the few pages that hold no article,
// whose records newsx still writes) counts as success.
func runPinned(n int, argv []string) (measure, error) {
	cpus := "0"
	if n > 1 {
		cpus = fmt.Sprintf("0-%d", n-1)
	}
	cmd := exec.Command("taskset", append([]string{"-c", cpus}, argv...)...)
	cmd.Env = append(os.Environ(), "GOMAXPROCS=", "GOGC=")
	var errBuf strings.Builder
	cmd.Stderr = &errBuf
	start := time.Now()
	err := cmd.Run()
	m := measure{wall: time.Since(start)}
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 3) {
		return m, fmt.Errorf("%v: %s", err, lastLine(errBuf.String()))
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return m, nil
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func report(w io.Writer, rows []row, systems []system, pages int) {
	fmt.Fprintf(w, "\n%d pages a run, %d pairs per system; seconds of wall time\n\n", pages, len(rows)/len(systems))
	fmt.Fprintln(w, "| system | pair | 1 core s | 2 cores s | speedup | 2-core CPU ÷ wall | 2-core CPU ÷ 1-core CPU |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %d | %.2f | %.2f | %.3f | %.2f | %.3f |\n", r.system, r.pair, r.one.wall.Seconds(), r.two.wall.Seconds(), r.speedup(), r.busy(), r.cpuCost())
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| system | speedup, median of pairs | min–max | 1 core s, median | 2 cores s, median | 2-core CPU ÷ wall, median | 2-core CPU ÷ 1-core CPU, median |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|")
	med := map[string]float64{}
	for _, s := range systems {
		var sp, one, two, busy, cost []float64
		for _, r := range rows {
			if r.system == s.name {
				sp = append(sp, r.speedup())
				one = append(one, r.one.wall.Seconds())
				two = append(two, r.two.wall.Seconds())
				busy = append(busy, r.busy())
				cost = append(cost, r.cpuCost())
			}
		}
		med[s.name] = median(sp)
		fmt.Fprintf(w, "| %s | %.3f | %.3f–%.3f | %.2f | %.2f | %.2f | %.3f |\n", s.name, median(sp), slices.Min(sp), slices.Max(sp), median(one), median(two), median(busy), median(cost))
	}
	if len(systems) == 2 {
		a, b := systems[1].name, systems[0].name
		fmt.Fprintf(w, "\n%s speedup ÷ %s speedup (medians): %.3f\n", a, b, med[a]/med[b])
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// pages lists the .html and .htm files of dir, sorted, as newsx extract
// does with a directory argument.
func pages(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		name := strings.ToLower(e.Name())
		if !e.IsDir() && (strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".htm")) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no .html files", dir)
	}
	sort.Strings(out)
	return out, nil
}

// parseAll reads and parses every page of dir, repeat times over, on
// jobs workers, the way newsx extract reads its inputs, at newsx's GOGC.
func parseAll(dir string, jobs, repeat int) error {
	debug.SetGCPercent(gcPercent)
	files, err := pages(dir)
	if err != nil {
		return err
	}
	// Workers take the next file from a shared counter, as newsx extract's
	// do, rather than from a goroutine that hands them out.
	var (
		taken atomic.Int64
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	n := int64(len(files) * repeat)
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := taken.Add(1) - 1; i < n; i = taken.Add(1) - 1 {
				f := files[i%int64(len(files))]
				b, err := os.ReadFile(f)
				if err == nil {
					_, err = html.Parse(bytes.NewReader(b))
				}
				if err != nil {
					mu.Lock()
					first = cmp.Or(first, fmt.Errorf("%s: %w", f, err))
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return first
}
