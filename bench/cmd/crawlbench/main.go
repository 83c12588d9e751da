// Command crawlbench measures `newsx crawl` against a generated news site
// (package crawltest/bigsite) served on loopback by a child process, so
// that the crawler's figures are its own:
//
//	crawlbench -newsx BIN overhead [-n 10000] [-rounds 3]
//	    the crawl's pages/s against extract-only on the same pages
//	    (`newsx extract -f jsonl` over the saved article HTML), the two
//	    run in turn, alternating which goes first; also the crawl
//	    without --state, to tell the state file's share
//	crawlbench -newsx BIN rss [-n 10000,100000] [-memory]
//	    peak RSS of `newsx crawl --state` at each size, and its growth;
//	    with -memory, of the crawl without a state file
//	crawlbench -newsx BIN soak [-n 20000] [-faults 0.05]
//	    a crawl of a site with faulty pages: pages/s, peak RSS, articles
//	    lost and duplicated, failures by cause and by fault kind
//
// Peak RSS is the child's VmHWM, sampled from /proc every 50ms (not its
// ru_maxrss, which on Linux includes the parent's resident size when Go
// starts the child); CPU is its user+system time. The server runs on one
// scheduler thread (see serve). BIN is
// a newsx binary built from the tree under test (go build -o BIN . at the
// repository root). `crawlbench serve` is the server child.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/newsx/newsx/bench/internal/procmem"
	"github.com/newsx/newsx/crawl/crawltest/bigsite"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	newsx       string
	dir         string
	sizes       []int
	faults      float64
	amp         bool
	rounds      int
	concurrency int
	perHost     int
	jobs        int
	seed        uint64
	keep        bool
	prerender   bool
	memory      bool
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("crawlbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	var sizes string
	fs.StringVar(&o.newsx, "newsx", "", "newsx binary to measure (required)")
	fs.StringVar(&o.dir, "dir", "", "work directory (default: a new temporary one, removed at the end)")
	fs.StringVar(&sizes, "n", "", "articles on the site, comma-separated for rss (default: overhead 10000, rss 10000,100000, soak 20000)")
	fs.Float64Var(&o.faults, "faults", -1, "share of faulty articles (default: soak 0.05, else 0)")
	fs.BoolVar(&o.amp, "amp", false, "give every tenth article an AMP copy (always on for soak)")
	fs.IntVar(&o.rounds, "rounds", 3, "overhead: rounds of extract and crawl")
	fs.IntVar(&o.concurrency, "concurrency", 8, "crawl --concurrency")
	fs.IntVar(&o.perHost, "per-host", 8, "crawl --per-host")
	fs.IntVar(&o.jobs, "jobs", 0, "extract --jobs (default: CPU count, as newsx's default)")
	fs.Uint64Var(&o.seed, "seed", 1, "site text seed")
	fs.BoolVar(&o.keep, "keep", false, "keep the work directory")
	fs.BoolVar(&o.memory, "memory", false, "rss: crawl without --state (the memory store), to tell the state's share of the growth")
	fs.BoolVar(&o.prerender, "prerender", false, "the server renders the healthy article pages before it starts, to spend less CPU while serving")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: crawlbench -newsx BIN [flags] overhead|rss|soak\n       crawlbench serve [-n N] [-faults F] [-amp] [-seed S]\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	mode := fs.Arg(0)
	for _, f := range strings.Split(sizes, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			fmt.Fprintf(stderr, "crawlbench: -n %q: want a positive number\n", f)
			return 2
		}
		o.sizes = append(o.sizes, n)
	}
	if mode == "serve" {
		if len(o.sizes) != 1 {
			fmt.Fprintln(stderr, "crawlbench serve: want one -n")
			return 2
		}
		if err := serve(o, stdout); err != nil {
			fmt.Fprintf(stderr, "crawlbench: %v\n", err)
			return 1
		}
		return 0
	}
	if o.newsx == "" {
		fs.Usage()
		return 2
	}
	if abs, err := filepath.Abs(o.newsx); err == nil {
		o.newsx = abs
	}
	if o.jobs == 0 {
		o.jobs = nproc()
	}
	if o.dir == "" {
		d, err := os.MkdirTemp("", "crawlbench")
		if err != nil {
			fmt.Fprintf(stderr, "crawlbench: %v\n", err)
			return 1
		}
		o.dir = d
		if !o.keep {
			defer os.RemoveAll(d)
		}
	} else if err := os.MkdirAll(o.dir, 0o755); err != nil {
		fmt.Fprintf(stderr, "crawlbench: %v\n", err)
		return 1
	}
	var err error
	switch mode {
	case "overhead":
		if len(o.sizes) == 0 {
			o.sizes = []int{10000}
		}
		o.faults = max(o.faults, 0)
		err = overhead(o, stdout, stderr)
	case "rss":
		if len(o.sizes) == 0 {
			o.sizes = []int{10000, 100000}
		}
		o.faults = max(o.faults, 0)
		err = rss(o, stdout, stderr)
	case "soak":
		if len(o.sizes) == 0 {
			o.sizes = []int{20000}
		}
		if o.faults < 0 {
			o.faults = 0.05
		}
		o.amp = true
		err = soak(o, stdout, stderr)
	default:
		fs.Usage()
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "crawlbench: %v\n", err)
		return 1
	}
	return 0
}

func nproc() int {
	n, err := strconv.Atoi(strings.TrimSpace(runOut("nproc")))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

func runOut(name string, args ...string) string {
	b, _ := exec.Command(name, args...).Output()
	return string(b)
}

// serve runs the site on a loopback port, prints its URL on the first
// line of stdout, and serves until killed. POST /__reset forgets the
// retry faults' request counts.
func serve(o options, stdout io.Writer) error {
	// The site stands in for servers on other machines, but it shares
	// this machine's cores with the crawler it serves. On one scheduler
	// thread (unless GOMAXPROCS is set) it hands each request from the
	// network poller to its handler without waking a second thread: over
	// three 3,000-article crawls it used 51-61 ticks of CPU against
	// 80-99 with two, most of the difference in the kernel's context
	// switches, futex wake-ups and the runtime's sysmon.
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(1)
	}
	site := bigsite.New(bigsite.Options{Articles: o.sizes[0], FaultRate: max(o.faults, 0), AMP: o.amp, Seed: o.seed})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /__reset", func(w http.ResponseWriter, _ *http.Request) { site.Reset() })
	mux.Handle("/", site)
	base := fmt.Sprintf("http://%s", ln.Addr())
	if o.prerender {
		// The healthy article pages rendered once, up front, so that
		// serving them costs the server little CPU during a crawl.
		pages := make(map[string][]byte, site.Len())
		for i := range site.Len() {
			if site.Fault(i) == bigsite.None {
				pages[site.Article(i).Path] = site.Render(i, base)
			}
		}
		mux = http.NewServeMux()
		mux.HandleFunc("POST /__reset", func(w http.ResponseWriter, _ *http.Request) { site.Reset() })
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			b, ok := pages[r.URL.Path]
			if !ok {
				site.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Length", strconv.Itoa(len(b)))
			_, _ = w.Write(b)
		})
	}
	fmt.Fprintln(stdout, base)
	return (&http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}).Serve(ln)
}

// server is a running serve child.
type server struct {
	cmd  *exec.Cmd
	url  string
	site *bigsite.Site // the same site, for the expected set and pages
}

func startServer(o options, n int) (*server, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"-n", strconv.Itoa(n), "-faults", fmt.Sprint(max(o.faults, 0)), "-seed", strconv.FormatUint(o.seed, 10)}
	if o.amp {
		args = append(args, "-amp")
	}
	if o.prerender {
		args = append(args, "-prerender")
	}
	cmd := exec.Command(self, append(args, "serve")...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("server: %w", err)
	}
	return &server{cmd: cmd, url: strings.TrimSpace(line),
		site: bigsite.New(bigsite.Options{Articles: n, FaultRate: max(o.faults, 0), AMP: o.amp, Seed: o.seed})}, nil
}

func (s *server) reset() error {
	resp, err := http.Post(s.url+"/__reset", "text/plain", nil)
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}

// cpu returns the server's CPU time so far, from /proc.
func (s *server) cpu() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond // USER_HZ 100
}

func (s *server) stop() {
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
}

// measure is one child run.
type measure struct {
	wall time.Duration
	cpu  time.Duration
	// maxRSS is the child's peak resident set: its VmHWM in
	// /proc/PID/status, read every 50ms until it exits. (Its ru_maxrss is
	// no use on Linux: a child that Go starts with vfork-style clone
	// inherits the parent's resident size in it at exec.)
	maxRSS int64 // bytes
	// peakAnon and peakFile are the highest RssAnon (heap, stacks,
	// anonymous mappings) and RssFile (the binary, mmapped files) seen in
	// the same samples; bytes.
	peakAnon, peakFile int64
	exit               int
	stderr             string
}

func runChild(name string, args []string, stderrPath string) (measure, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "GOMAXPROCS=") // newsx's own default
	ef, err := os.Create(stderrPath)
	if err != nil {
		return measure{}, err
	}
	defer ef.Close()
	cmd.Stderr = ef
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return measure{}, err
	}
	stop := make(chan struct{})
	peaks := make(chan procmem.Peaks, 1)
	go func() { peaks <- procmem.Sample(cmd.Process.Pid, stop) }()
	err = cmd.Wait()
	m := measure{wall: time.Since(start)}
	close(stop)
	pk := <-peaks
	m.peakAnon, m.peakFile, m.maxRSS = pk.Anon, pk.File, pk.HWM
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		return m, err
	}
	ps := cmd.ProcessState
	m.exit = ps.ExitCode()
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		m.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	b, _ := os.ReadFile(stderrPath)
	m.stderr = string(b)
	return m, nil
}

// summary reads the key=value pairs of the "crawl finished" log line.
func summary(stderr string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(stderr, "\n") {
		if !strings.Contains(line, `msg="crawl finished"`) {
			continue
		}
		for _, f := range strings.Fields(line) {
			if k, v, ok := strings.Cut(f, "="); ok {
				out[k] = strings.Trim(v, `"`)
			}
		}
	}
	return out
}

func (o options) crawlArgs(url, state, out, errs string, depth int) []string {
	args := []string{"crawl", "--delay", "0", "--per-host", strconv.Itoa(o.perHost),
		"--concurrency", strconv.Itoa(o.concurrency), "--ignore-robots", "--depth", strconv.Itoa(depth),
		"--retry-backoff", "200ms", "--timeout", "10s", "-f", "jsonl", "-o", out, "--errors", errs}
	if state != "" {
		args = append(args, "--state", state)
	}
	return append(args, url+"/")
}

// crawlRun is one crawl and what it produced.
type crawlRun struct {
	measure
	fetched  int
	articles int // records in the output
	failed   int
	causes   map[string]int
	records  []record
	failures []failure
}

type record struct {
	URL          string `json:"url"`
	CanonicalURL string `json:"canonical_url"`
	IsArticle    bool   `json:"is_article"`
}

type failure struct {
	URL    string `json:"url"`
	Stage  string `json:"stage"`
	Error  string `json:"error"`
	Status int    `json:"status"`
}

func (o options) crawl(srv *server, name string, withState bool) (*crawlRun, error) {
	if err := srv.reset(); err != nil {
		return nil, err
	}
	d := filepath.Join(o.dir, name)
	if err := os.RemoveAll(d); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(d, 0o755); err != nil {
		return nil, err
	}
	state := ""
	if withState {
		state = filepath.Join(d, "state.db")
	}
	out, errs := filepath.Join(d, "out.jsonl"), filepath.Join(d, "errors.jsonl")
	m, err := runChild(o.newsx, o.crawlArgs(srv.url, state, out, errs, 3), filepath.Join(d, "stderr.log"))
	if err != nil {
		return nil, err
	}
	if m.exit != 0 && m.exit != 3 {
		return nil, fmt.Errorf("newsx crawl exited %d: %s", m.exit, tail(m.stderr))
	}
	cr := &crawlRun{measure: m, causes: map[string]int{}}
	sum := summary(m.stderr)
	cr.fetched, _ = strconv.Atoi(sum["fetched"])
	cr.failed, _ = strconv.Atoi(sum["failed"])
	for k, v := range sum {
		if c, ok := strings.CutPrefix(k, "failed_"); ok {
			cr.causes[strings.ReplaceAll(c, "_", " ")], _ = strconv.Atoi(v)
		}
	}
	if cr.records, err = decodeJSONL[record](out); err != nil {
		return nil, err
	}
	cr.articles = len(cr.records)
	if cr.failures, err = decodeJSONL[failure](errs); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return cr, nil
}

// decodeJSONL decodes every line of a JSON Lines file as a T.
func decodeJSONL[T any](path string) ([]T, error) {
	var out []T
	err := readJSONL(path, func(b []byte) error {
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

// readJSONL calls fn with every non-empty line of a JSON Lines file.
func readJSONL(path string, fn func([]byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		if len(sc.Bytes()) == 0 {
			continue
		}
		if err := fn(sc.Bytes()); err != nil {
			return err
		}
	}
	return sc.Err()
}

func tail(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 600 {
		s = "…" + s[len(s)-600:]
	}
	return s
}

func mb(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }

func rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

func overhead(o options, stdout, stderr io.Writer) error {
	n := o.sizes[0]
	srv, err := startServer(o, n)
	if err != nil {
		return err
	}
	defer srv.stop()
	// The extract-only input: the article pages exactly as served.
	pages := filepath.Join(o.dir, "pages")
	if err := os.MkdirAll(pages, 0o755); err != nil {
		return err
	}
	var bytes int64
	for i := range n {
		b := srv.site.Render(i, srv.url)
		bytes += int64(len(b))
		if err := os.WriteFile(filepath.Join(pages, fmt.Sprintf("%07d.html", i)), b, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "site %s: %d articles, %.1f MB of article HTML (%.1f KB a page)\n", srv.url, n, float64(bytes)/(1<<20), float64(bytes)/float64(n)/1024)

	type row struct {
		name              string
		pages, arts       int
		m                 measure
		srvCPU            time.Duration
		pagesPS, artsPS   float64
		cpuPerPage, ratio float64
		cpuRatio          float64 // extract's CPU per page ÷ this one's, same round
	}
	var rows []row
	systems := []string{"extract", "crawl --state", "crawl (memory)"}
	for r := range o.rounds {
		order := slices.Clone(systems)
		for range r {
			order = append(order[1:], order[0]) // rotate who goes first
		}
		var extractPS, extractCPU float64
		var roundRows []row
		for _, sys := range order {
			before := srv.cpu()
			var rw row
			switch sys {
			case "extract":
				out := filepath.Join(o.dir, "extract.jsonl")
				m, err := runChild(o.newsx, []string{"extract", "-q", "-f", "jsonl", "--jobs", strconv.Itoa(o.jobs), "-o", out, pages + "/"},
					filepath.Join(o.dir, "extract.stderr"))
				if err != nil {
					return err
				}
				if m.exit != 0 && m.exit != 3 {
					return fmt.Errorf("newsx extract exited %d: %s", m.exit, tail(m.stderr))
				}
				recs := 0
				if err := readJSONL(out, func([]byte) error { recs++; return nil }); err != nil {
					return err
				}
				rw = row{name: sys, pages: n, arts: recs, m: m}
			default:
				cr, err := o.crawl(srv, fmt.Sprintf("crawl-%d", r), sys == "crawl --state")
				if err != nil {
					return err
				}
				rw = row{name: sys, pages: cr.fetched, arts: cr.articles, m: cr.measure}
				if cr.failed > 0 {
					fmt.Fprintf(stderr, "round %d %s: %d failed %v\n", r+1, sys, cr.failed, cr.causes)
				}
			}
			rw.srvCPU = srv.cpu() - before
			rw.pagesPS = rate(rw.pages, rw.m.wall)
			rw.artsPS = rate(rw.arts, rw.m.wall)
			rw.cpuPerPage = rw.m.cpu.Seconds() * 1000 / float64(max(rw.pages, 1))
			if sys == "extract" {
				extractPS, extractCPU = rw.pagesPS, rw.cpuPerPage
			}
			roundRows = append(roundRows, rw)
			fmt.Fprintf(stderr, "round %d %-15s %6d pages %6d records in %7.1fs: %6.1f pages/s, %6.1f records/s, cpu %.2f ms/page, max RSS %s (anon %s), server cpu %.1fs\n",
				r+1, sys, rw.pages, rw.arts, rw.m.wall.Seconds(), rw.pagesPS, rw.artsPS, rw.cpuPerPage, mb(rw.m.maxRSS), mb(rw.m.peakAnon), rw.srvCPU.Seconds())
		}
		for _, rw := range roundRows {
			rw.ratio = rw.artsPS / extractPS
			rw.cpuRatio = extractCPU / rw.cpuPerPage
			rows = append(rows, rw)
		}
	}
	fmt.Fprintf(stdout, "\n%d articles, %d rounds, crawl --concurrency %d --per-host %d, extract --jobs %d, %d CPUs, server pre-rendered %v\n\n",
		n, o.rounds, o.concurrency, o.perHost, o.jobs, nproc(), o.prerender)
	fmt.Fprintln(stdout, "| system | round | pages | records | wall s | pages/s | records/s | records/s ÷ extract pages/s (same round) | CPU ms/page | extract CPU ÷ this CPU | max RSS | server CPU s |")
	fmt.Fprintln(stdout, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for k, rw := range rows {
		fmt.Fprintf(stdout, "| %s | %d | %d | %d | %.1f | %.1f | %.1f | %.3f | %.2f | %.3f | %s | %.1f |\n",
			rw.name, k/len(systems)+1, rw.pages, rw.arts, rw.m.wall.Seconds(), rw.pagesPS, rw.artsPS, rw.ratio, rw.cpuPerPage, rw.cpuRatio, mb(rw.m.maxRSS), rw.srvCPU.Seconds())
	}
	fmt.Fprintln(stdout)
	for _, sys := range systems {
		var ratios, ps, cpus []float64
		for _, rw := range rows {
			if rw.name == sys {
				ratios = append(ratios, rw.ratio)
				ps = append(ps, rw.artsPS)
				cpus = append(cpus, rw.cpuRatio)
			}
		}
		fmt.Fprintf(stdout, "%s: records/s median %.1f; ÷ extract pages/s median %.3f (rounds %s); extract CPU/page ÷ its CPU/page median %.3f (rounds %s)\n",
			sys, median(ps), median(ratios), fmtList(ratios), median(cpus), fmtList(cpus))
	}
	return nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func fmtList(xs []float64) string {
	var parts []string
	for _, x := range xs {
		parts = append(parts, fmt.Sprintf("%.3f", x))
	}
	return strings.Join(parts, ", ")
}

func rss(o options, stdout, stderr io.Writer) error {
	type row struct {
		n  int
		cr *crawlRun
		db int64
	}
	var rows []row
	for _, n := range o.sizes {
		srv, err := startServer(o, n)
		if err != nil {
			return err
		}
		cr, err := o.crawl(srv, fmt.Sprintf("rss-%d", n), !o.memory)
		srv.stop()
		if err != nil {
			return err
		}
		var db int64
		if fi, err := os.Stat(filepath.Join(o.dir, fmt.Sprintf("rss-%d", n), "state.db")); err == nil {
			db = fi.Size()
		}
		fmt.Fprintf(stderr, "%d articles: fetched %d, %d records, %.1fs, %.1f pages/s, max RSS %s (peak anon %s, file %s), state file %s\n",
			n, cr.fetched, cr.articles, cr.wall.Seconds(), rate(cr.fetched, cr.wall), mb(cr.maxRSS), mb(cr.peakAnon), mb(cr.peakFile), mb(db))
		rows = append(rows, row{n, cr, db})
	}
	fmt.Fprintln(stdout, "\n| articles | pages fetched | records | wall s | pages/s | max RSS | growth | peak RssAnon | growth | peak RssFile | state file |")
	fmt.Fprintln(stdout, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		g := float64(r.cr.maxRSS)/float64(rows[0].cr.maxRSS) - 1
		ga := float64(r.cr.peakAnon)/float64(rows[0].cr.peakAnon) - 1
		fmt.Fprintf(stdout, "| %d | %d | %d | %.1f | %.1f | %s | %+.1f%% | %s | %+.1f%% | %s | %s |\n", r.n, r.cr.fetched, r.cr.articles,
			r.cr.wall.Seconds(), rate(r.cr.fetched, r.cr.wall), mb(r.cr.maxRSS), g*100, mb(r.cr.peakAnon), ga*100, mb(r.cr.peakFile), mb(r.db))
	}
	return nil
}

func soak(o options, stdout, stderr io.Writer) error {
	n := o.sizes[0]
	srv, err := startServer(o, n)
	if err != nil {
		return err
	}
	defer srv.stop()
	site := srv.site
	before := srv.cpu()
	cr, err := o.crawl(srv, "soak", true)
	if err != nil {
		return err
	}
	srvCPU := srv.cpu() - before

	emitted := map[int]int{}
	other := 0
	for _, r := range cr.records {
		id := bigsite.ID(urlPath(r.URL))
		if id < 0 {
			other++
			continue
		}
		emitted[id]++
	}
	type kindRow struct{ pages, expected, emitted, lost, dups, unexpected, failed int }
	kinds := map[bigsite.Fault]*kindRow{}
	var lost []int
	dups := 0
	for i := range n {
		f := site.Fault(i)
		k := kinds[f]
		if k == nil {
			k = &kindRow{}
			kinds[f] = k
		}
		k.pages++
		c := emitted[i]
		if c > 0 {
			k.emitted++
		}
		if c > 1 {
			k.dups += c - 1
			dups += c - 1
		}
		if site.Expected(i) {
			k.expected++
			if c == 0 {
				k.lost++
				lost = append(lost, i)
			}
		} else if c > 0 {
			k.unexpected++
		}
	}
	// Failures by fault kind and message class.
	byKind := map[bigsite.Fault]map[string]int{}
	otherFail := map[string]int{}
	for _, f := range cr.failures {
		class := failClass(f)
		id := bigsite.ID(urlPath(f.URL))
		if id < 0 {
			otherFail[urlPath(f.URL)+": "+class]++
			continue
		}
		fk := site.Fault(id)
		if byKind[fk] == nil {
			byKind[fk] = map[string]int{}
		}
		byKind[fk][class]++
		if k := kinds[fk]; k != nil {
			k.failed++
		}
	}

	fmt.Fprintf(stdout, "\nsoak: %d articles, fault rate %.2f, AMP copies on, crawl --concurrency %d --per-host %d --state, %d CPUs\n\n",
		n, o.faults, o.concurrency, o.perHost, nproc())
	fmt.Fprintf(stdout, "pages fetched %d, records %d, wall %.1fs: %.1f pages/s, %.1f records/s; CPU %.1fs (%.2f ms/page); max RSS %s (peak anon %s, file %s); server CPU %.1fs; exit code %d\n",
		cr.fetched, cr.articles, cr.wall.Seconds(), rate(cr.fetched, cr.wall), rate(cr.articles, cr.wall), cr.cpu.Seconds(),
		cr.cpu.Seconds()*1000/float64(max(cr.fetched, 1)), mb(cr.maxRSS), mb(cr.peakAnon), mb(cr.peakFile), srvCPU.Seconds(), cr.exit)
	fmt.Fprintf(stdout, "articles lost %d, duplicates %d, records that are not site articles %d\n", len(lost), dups, other)
	if len(lost) > 0 {
		fmt.Fprintf(stdout, "lost, e.g.: %v\n", lost[:min(10, len(lost))])
	}
	fmt.Fprintf(stdout, "failed %d; by cause (crawl summary): %s\n\n", cr.failed, fmtCauses(cr.causes))
	fmt.Fprintln(stdout, "| fault | pages | must emit | emitted | lost | duplicates | emitted though not expected | failures | failure classes (--errors) |")
	fmt.Fprintln(stdout, "|---|---:|---:|---:|---:|---:|---:|---:|---|")
	for _, f := range append([]bigsite.Fault{bigsite.None}, bigsite.Faults()...) {
		k := kinds[f]
		if k == nil {
			continue
		}
		fmt.Fprintf(stdout, "| %s | %d | %d | %d | %d | %d | %d | %d | %s |\n", f, k.pages, k.expected, k.emitted, k.lost, k.dups, k.unexpected, k.failed, fmtCauses(byKind[f]))
	}
	if len(otherFail) > 0 {
		fmt.Fprintf(stdout, "\nfailures of other pages: %s\n", fmtCauses(otherFail))
	}
	if len(lost) > 0 || dups > 0 {
		return fmt.Errorf("%d articles lost, %d duplicates", len(lost), dups)
	}
	return nil
}

func urlPath(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			return u[j:]
		}
		return "/"
	}
	return u
}

// failClass is a short class of an --errors line: the status, else the
// error message after the URL, with URLs and addresses masked.
func failClass(f failure) string {
	if f.Status != 0 && f.Status != 200 {
		return fmt.Sprintf("%s: status %d", f.Stage, f.Status)
	}
	msg := f.Error
	if i := strings.Index(msg, f.URL+": "); i >= 0 {
		msg = msg[i+len(f.URL)+2:]
	}
	msg = urlRE.ReplaceAllString(msg, "URL")
	msg = ipRE.ReplaceAllString(msg, "ADDR")
	if len(msg) > 70 {
		msg = msg[:70] + "…"
	}
	return f.Stage + ": " + msg
}

var (
	urlRE = regexp.MustCompile(`[a-z]+://[^\s"]*[^\s":]`)
	ipRE  = regexp.MustCompile(`\d+\.\d+\.\d+\.\d+`)
)

func fmtCauses(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
