// Command warcbench measures `newsx extract` on a web archive against the
// same pages as files, and its peak memory on a small and a large
// archive.
//
// It builds, in a work directory removed at the end, the pages of the
// datasets given as files (<set>-<id>.html) and as WARC files written the
// way crawlers write them: a warcinfo record, then per page a response
// and a request record (WARC/1.1, sha1 block and payload digests, the
// page's bytes as stored in the dataset, Content-Type text/html), once
// uncompressed (.warc) and once with each record its own gzip member
// (.warc.gz, as CC-NEWS and crawlers write them). A large .warc.gz
// repeats the pages, each copy under a URL of its own (?copy=N), up to
// -big records. The files are given without a URL, the records with
// theirs.
//
// Speed: in each of -rounds rounds, for --jobs 1 and for --jobs NCPU,
// `newsx extract -f jsonl` runs over the folder of files, the .warc and
// the .warc.gz, in an order that rotates from round to round. Each run
// is a child process; pages/s is pages over its wall time, CPU its
// user+system time. The ratios to the files are taken within a round, so
// that the neighbours' load on a shared machine weighs on both alike;
// the table gives their median over the rounds and their range.
//
// Memory: `newsx extract --jobs NCPU` over the small and the large
// .warc.gz; peak RSS is the child's VmHWM, read from /proc/PID/status
// every 50 ms, with the peak RssAnon beside it.
//
//	go run ./cmd/warcbench -newsx BIN [-rounds 3] [-big 20000] DATASET...
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"encoding/base32"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/newsx/newsx/bench/internal/dataset"
	"github.com/newsx/newsx/bench/internal/procmem"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// page is one page of a dataset.
type page struct {
	name string // <set>-<id>
	url  string
	body []byte
}

type options struct {
	newsx  string
	dir    string
	rounds int
	big    int
	jobs   int
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("warcbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	keep := fs.Bool("keep", false, "keep the work directory")
	fs.StringVar(&o.newsx, "newsx", "", "newsx binary to measure (required)")
	fs.StringVar(&o.dir, "dir", "", "work directory (default: a new temporary one, removed at the end unless -keep)")
	fs.IntVar(&o.rounds, "rounds", 3, "rounds of the speed comparison")
	fs.IntVar(&o.big, "big", 20000, "records of the large archive (the pages repeated under distinct URLs)")
	fs.IntVar(&o.jobs, "jobs", runtime.NumCPU(), "--jobs of the all-cores runs and the memory runs")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: warcbench -newsx BIN [flags] DATASET...\n\nDATASET is a folder of pages/<id>.html and truth.jsonl (their URLs).\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if o.newsx == "" || fs.NArg() == 0 || o.rounds < 1 || o.big < 1 {
		fs.Usage()
		return 2
	}
	if abs, err := filepath.Abs(o.newsx); err == nil {
		o.newsx = abs
	}
	var pages []page
	for _, dir := range fs.Args() {
		set, err := dataset.Load(dir)
		if errors.Is(err, dataset.ErrAbsent) {
			fmt.Fprintf(stderr, "warcbench: skipping %s: not found\n", dir)
			continue
		}
		if err != nil {
			fmt.Fprintf(stderr, "warcbench: %v\n", err)
			return 1
		}
		for _, t := range set.Truths {
			b, err := set.Page(t.ID)
			if err != nil {
				fmt.Fprintf(stderr, "warcbench: %v\n", err)
				return 1
			}
			u := "https://" + set.Name + ".example/" + t.ID
			if pu := dataset.PageURL(t); pu != nil {
				u = pu.String()
			}
			pages = append(pages, page{name: set.Name + "-" + t.ID, url: u, body: b})
		}
	}
	if len(pages) == 0 {
		fmt.Fprintln(stderr, "warcbench: no pages (the datasets are absent): nothing to measure")
		return 0
	}
	if o.dir == "" {
		d, err := os.MkdirTemp("", "warcbench")
		if err != nil {
			fmt.Fprintf(stderr, "warcbench: %v\n", err)
			return 1
		}
		o.dir = d
	} else if err := os.MkdirAll(o.dir, 0o755); err != nil {
		fmt.Fprintf(stderr, "warcbench: %v\n", err)
		return 1
	}
	if !*keep {
		defer os.RemoveAll(o.dir)
	}
	if err := bench(o, pages, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "warcbench: %v\n", err)
		return 1
	}
	return 0
}

func bench(o options, pages []page, stdout, stderr io.Writer) error {
	filesDir := filepath.Join(o.dir, "files")
	if err := os.MkdirAll(filesDir, 0o755); err != nil {
		return err
	}
	var size int64
	for _, p := range pages {
		if err := os.WriteFile(filepath.Join(filesDir, p.name+".html"), p.body, 0o644); err != nil {
			return err
		}
		size += int64(len(p.body))
	}
	plain := filepath.Join(o.dir, "small.warc")
	small := filepath.Join(o.dir, "small.warc.gz")
	big := filepath.Join(o.dir, "big.warc.gz")
	start := time.Now()
	for _, a := range []struct {
		path     string
		n        int
		compress bool
	}{{plain, len(pages), false}, {small, len(pages), true}, {big, o.big, true}} {
		if err := writeArchive(a.path, pages, a.n, a.compress); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "warcbench: %d pages (%.1f MB); archives of %d records (%.1f MB, gzip %.1f MB) and %d (gzip %.1f MB) built in %v\n",
		len(pages), mb(size), len(pages), mb(fileSize(plain)), mb(fileSize(small)), o.big, mb(fileSize(big)), time.Since(start).Round(time.Millisecond))

	// Speed.
	inputs := []struct{ name, path string }{{"files", filesDir}, {".warc", plain}, {".warc.gz", small}}
	jobsList := []int{1, o.jobs}
	if o.jobs == 1 {
		jobsList = jobsList[:1]
	}
	// runs[jobs][input] holds one measure per round.
	runs := make(map[int][][]measure)
	for r := range o.rounds {
		for _, jobs := range jobsList {
			if runs[jobs] == nil {
				runs[jobs] = make([][]measure, len(inputs))
			}
			for k := range inputs {
				i := (k + r) % len(inputs) // the order rotates by round
				in := inputs[i]
				m, err := extract(o, jobs, in.path)
				if err != nil {
					return err
				}
				if m.records != len(pages) {
					return fmt.Errorf("%s, --jobs %d: %d records written, want %d; stderr:\n%s", in.name, jobs, m.records, len(pages), tail(m.stderr))
				}
				runs[jobs][i] = append(runs[jobs][i], m)
				fmt.Fprintf(stderr, "warcbench: round %d, --jobs %d, %s: %.1f pages/s, CPU %.2f ms/page, peak RSS %.1f MB\n",
					r+1, jobs, in.name, rate(len(pages), m.wall), cpuPerPage(m, len(pages)), mb(m.maxRSS))
			}
		}
	}
	fmt.Fprintf(stdout, "Speed: %d pages, %d rounds; median pages/s and CPU ms/page; input ÷ files within each round, median (range)\n\n", len(pages), o.rounds)
	fmt.Fprintln(stdout, "| --jobs | input | pages/s | CPU ms/page | pages/s ÷ files | CPU ÷ files |")
	fmt.Fprintln(stdout, "|---:|---|---:|---:|---:|---:|")
	for _, jobs := range jobsList {
		for i, in := range inputs {
			var pr, cpu, ratio, cratio []float64
			for round, m := range runs[jobs][i] {
				f := runs[jobs][0][round]
				pr = append(pr, rate(len(pages), m.wall))
				cpu = append(cpu, cpuPerPage(m, len(pages)))
				ratio = append(ratio, f.wall.Seconds()/m.wall.Seconds())
				cratio = append(cratio, cpuPerPage(m, len(pages))/cpuPerPage(f, len(pages)))
			}
			rel, crel := "1", "1"
			if i > 0 {
				rel = fmt.Sprintf("%.3f (%.3f–%.3f)", median(ratio), slices.Min(ratio), slices.Max(ratio))
				crel = fmt.Sprintf("%.3f (%.3f–%.3f)", median(cratio), slices.Min(cratio), slices.Max(cratio))
			}
			fmt.Fprintf(stdout, "| %d | %s | %.1f | %.2f | %s | %s |\n", jobs, in.name, median(pr), median(cpu), rel, crel)
		}
	}

	// Memory.
	fmt.Fprintf(stdout, "\nMemory: --jobs %d\n\n", o.jobs)
	fmt.Fprintln(stdout, "| archive | records | MB | pages/s | peak RSS | RssAnon |")
	fmt.Fprintln(stdout, "|---|---:|---:|---:|---:|---:|")
	var first int64
	for _, a := range []struct {
		name string
		path string
		n    int
	}{{"small.warc.gz", small, len(pages)}, {"big.warc.gz", big, o.big}} {
		m, err := extract(o, o.jobs, a.path)
		if err != nil {
			return err
		}
		if m.records != a.n {
			return fmt.Errorf("%s archive: %d records written, want %d; stderr:\n%s", a.name, m.records, a.n, tail(m.stderr))
		}
		growth := ""
		if first == 0 {
			first = m.maxRSS
		} else {
			growth = fmt.Sprintf(" (%+.1f%%)", 100*(float64(m.maxRSS)/float64(first)-1))
		}
		fmt.Fprintf(stdout, "| %s | %d | %.1f | %.1f | %.1f MB%s | %.1f MB |\n", a.name, a.n, mb(fileSize(a.path)), rate(a.n, m.wall), mb(m.maxRSS), growth, mb(m.peakAnon))
	}
	return nil
}

// writeArchive writes n pages (repeated under distinct URLs when n is
// more than there are) as a gzip-per-record WARC file. Records are
// compressed on all cores and written in order.
func writeArchive(path string, pages []page, n int, compress bool) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	date := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	info := []byte("software: warcbench\r\nformat: WARC File Format 1.1\r\n")
	if _, err := w.Write(gz(record("warcinfo", "", date, "application/warc-fields", info, nil), compress)); err != nil {
		return err
	}
	const batch = 64
	workers := runtime.NumCPU()
	for lo := 0; lo < n; lo += batch {
		hi := min(lo+batch, n)
		out := make([][]byte, hi-lo)
		var wg sync.WaitGroup
		next := make(chan int)
		for range workers {
			wg.Go(func() {
				for i := range next {
					out[i-lo] = pageRecords(pages, i, date, compress)
				}
			})
		}
		for i := lo; i < hi; i++ {
			next <- i
		}
		close(next)
		wg.Wait()
		for _, b := range out {
			if _, err := w.Write(b); err != nil {
				return err
			}
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// pageRecords returns the i-th page's response and request records, each
// compressed as a gzip member if compress is set.
func pageRecords(pages []page, i int, date time.Time, compress bool) []byte {
	p := pages[i%len(pages)]
	u := p.url
	if copyNo := i / len(pages); copyNo > 0 {
		sep := "?"
		if strings.Contains(u, "?") {
			sep = "&"
		}
		u += sep + "copy=" + strconv.Itoa(copyNo)
	}
	host, path := u, "/"
	if _, rest, ok := strings.Cut(u, "://"); ok {
		host = rest
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			host, path = rest[:j], rest[j:]
		}
	}
	req := fmt.Appendf(nil, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: warcbench\r\nAccept-Encoding: gzip, br\r\n\r\n", path, host)
	head := fmt.Appendf(nil, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n", len(p.body))
	block := append(head, p.body...)
	var b []byte
	b = append(b, gz(record("response", u, date, "application/http;msgtype=response", block, p.body), compress)...)
	b = append(b, gz(record("request", u, date, "application/http;msgtype=request", req, nil), compress)...)
	return b
}

// record formats one WARC/1.1 record with its block digest, and its
// payload digest when payload is not nil.
func record(typ, uri string, date time.Time, contentType string, block, payload []byte) []byte {
	var b bytes.Buffer
	id := sha1.Sum(append([]byte(typ+uri), block[:min(len(block), 64)]...))
	fmt.Fprintf(&b, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%x-%x-%x-%x-%x>\r\nWARC-Date: %s\r\n",
		typ, id[0:4], id[4:6], id[6:8], id[8:10], id[10:16], date.Format(time.RFC3339))
	if uri != "" {
		fmt.Fprintf(&b, "WARC-Target-URI: %s\r\n", uri)
	}
	fmt.Fprintf(&b, "WARC-Block-Digest: %s\r\n", digest(block))
	if payload != nil {
		fmt.Fprintf(&b, "WARC-Payload-Digest: %s\r\n", digest(payload))
	}
	fmt.Fprintf(&b, "Content-Type: %s\r\nContent-Length: %d\r\n\r\n", contentType, len(block))
	b.Write(block)
	b.WriteString("\r\n\r\n")
	return b.Bytes()
}

func digest(b []byte) string {
	s := sha1.Sum(b)
	return "sha1:" + base32.StdEncoding.EncodeToString(s[:])
}

// gz compresses b as one gzip member if compress is set.
func gz(b []byte, compress bool) []byte {
	if !compress {
		return b
	}
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}

// measure is one child run.
type measure struct {
	wall     time.Duration
	cpu      time.Duration
	maxRSS   int64 // VmHWM, bytes
	peakAnon int64 // highest RssAnon seen, bytes
	records  int   // lines written
	stderr   string
}

// extract runs newsx extract -f jsonl --jobs jobs input and measures it.
func extract(o options, jobs int, input string) (measure, error) {
	cmd := exec.Command(o.newsx, "extract", "-q", "-f", "jsonl", "--jobs", strconv.Itoa(jobs), input)
	cmd.Env = append(os.Environ(), "GOMAXPROCS=") // newsx's own default
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.StdoutPipe()
	if err != nil {
		return measure{}, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return measure{}, err
	}
	stop := make(chan struct{})
	peaks := make(chan procmem.Peaks, 1)
	go func() { peaks <- procmem.Sample(cmd.Process.Pid, stop) }()
	lines := 0
	buf := make([]byte, 1<<20)
	for {
		n, err := out.Read(buf)
		lines += bytes.Count(buf[:n], []byte("\n"))
		if err != nil {
			break
		}
	}
	err = cmd.Wait()
	m := measure{wall: time.Since(start), records: lines, stderr: errb.String()}
	close(stop)
	pk := <-peaks
	m.peakAnon, m.maxRSS = pk.Anon, pk.HWM
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		return m, err
	}
	if code := cmd.ProcessState.ExitCode(); code != 0 && code != 3 {
		return m, fmt.Errorf("newsx extract %s: exit %d; stderr:\n%s", input, code, tail(m.stderr))
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return m, nil
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

func rate(n int, d time.Duration) float64 { return float64(n) / d.Seconds() }

func cpuPerPage(m measure, n int) float64 {
	return float64(m.cpu.Microseconds()) / 1000 / float64(n)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func tail(s string) string {
	if len(s) > 2000 {
		return "..." + s[len(s)-2000:]
	}
	return s
}
