package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsx/newsx/archive"
	"github.com/newsx/newsx/crawl"
	"github.com/newsx/newsx/extract"
	"github.com/newsx/newsx/output"
)

// extractConfig is `newsx extract` after flag parsing.
type extractConfig struct {
	inputs    []string
	format    string
	fields    string
	out       string
	csvRaw    bool
	excel     bool // CSV for Excel: BOM, cells cut to its limit
	baseURL   string
	recursive bool // read directories recursively
	jobs      int
	fetch     crawl.FetchOptions
	polite    crawl.PoliteOptions // for URLs
	log       *slog.Logger
	// quiet and verbose hide the progress line on a terminal.
	quiet, verbose bool
}

// result is one input's outcome.
type result struct {
	in  string
	a   *extract.Article
	err error
	// skip names why a web archive record gave no record and no error
	// ("request", "revisit", "non-HTML", "status 404", ...).
	skip string
	// arc is the web archive the record came from, or nil; off is how
	// far reading the archive had got.
	arc *archiveStats
	off int64
}

// task is one unit of work: an input to load, or a record read from a
// web archive (or the damage found where a record should be).
type task struct {
	in   string
	rec  *archive.Record
	err  error
	skip string
	arc  *archiveStats
	off  int64
}

// windowPerJob is how many results per worker may wait to be written.
// A slow page holds back the writing of every page after it; with a
// window of two per worker, the other workers stopped after two pages
// each and sat idle until the slow one was done.
const windowPerJob = 16

// extractAll runs fn over the inputs on jobs workers and yields the
// results in input order; see extractTasks.
func extractAll(ctx context.Context, inputs []string, jobs int, fn func(string) (*extract.Article, error)) iter.Seq[result] {
	tasks := func(yield func(task) bool) {
		for _, in := range inputs {
			if !yield(task{in: in}) {
				return
			}
		}
	}
	return extractTasks(ctx, tasks, max(1, min(jobs, len(inputs))), func(t task) result {
		a, err := fn(t.in)
		return result{in: t.in, a: a, err: err}
	})
}

// extractTasks runs fn over the tasks on jobs workers and yields the
// results in task order. At most windowPerJob*jobs results wait to be
// written, so memory stays bounded however many tasks there are; tasks
// are drawn from the sequence (on a goroutine of its own) only as
// workers become free. Stopping the iteration (or cancelling ctx) stops
// the workers and the sequence.
func extractTasks(ctx context.Context, tasks iter.Seq[task], jobs int, fn func(task) result) iter.Seq[result] {
	return func(yield func(result) bool) {
		ctx, cancel := context.WithCancel(ctx)
		jobs := max(1, jobs)
		size := windowPerJob * jobs
		window := make(chan struct{}, size) // results not yet written
		// Each worker takes a place in the window, then the next task.
		// Taking the place first keeps the tasks in flight the oldest
		// unwritten ones, at most size of them, so the task the writer
		// waits for is always being worked on, and task i's result can
		// go to slot i%size: task i+size is taken only after the writer
		// has read task i's result from that slot and freed its place.
		type numbered struct {
			i int
			t task
		}
		next := make(chan numbered)
		slots := make([]chan result, size)
		for i := range slots {
			slots[i] = make(chan result, 1)
		}
		var total atomic.Int64 // tasks sent, final once fed is closed
		fed := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(fed)
			n := 0
			defer func() { total.Store(int64(n)) }()
			for t := range tasks {
				select {
				case next <- numbered{n, t}:
					n++
				case <-ctx.Done():
					return
				}
			}
		}()
		for range jobs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case window <- struct{}{}:
					case <-ctx.Done():
						return
					}
					var nt numbered
					select {
					case nt = <-next:
					case <-fed:
						return
					case <-ctx.Done():
						return
					}
					slots[nt.i%size] <- fn(nt.t)
				}
			}()
		}
		// On the way out, stop the workers and wait for them.
		defer func() {
			cancel()
			wg.Wait()
		}()
		for i := 0; ; i++ {
			var r result
			select {
			case r = <-slots[i%size]:
			case <-fed:
				if total.Load() <= int64(i) {
					return
				}
				select {
				case r = <-slots[i%size]:
				case <-ctx.Done():
					return
				}
			case <-ctx.Done():
				return
			}
			<-window
			if !yield(r) {
				return
			}
		}
	}
}

// runExtract extracts every input and writes the records. Inputs that fail
// are reported on stderr, one line each, and the others still written. It
// returns the exit code, or an error for a failure before any input ran.
func runExtract(ctx context.Context, cfg extractConfig, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	fields, err := output.ParseFields(cfg.fields)
	if err != nil {
		return 0, usageError{fmt.Errorf("--fields: %w", err)}
	}
	if err := checkFormat(cfg.format); err != nil {
		return 0, err
	}
	var base *url.URL
	if cfg.baseURL != "" {
		u, err := url.Parse(cfg.baseURL)
		if err != nil || !u.IsAbs() || (u.Scheme != "http" && u.Scheme != "https") {
			return 0, usageError{fmt.Errorf("--url %q: want an absolute http or https URL", cfg.baseURL)}
		}
		base = u
	}
	inputs, err := expandInputs(cfg.inputs, cfg.recursive)
	if err != nil {
		return 0, err
	}
	cfg.inputs = inputs
	if base != nil {
		local := 0
		for _, in := range cfg.inputs {
			if !crawl.IsURL(in) {
				local++
			}
		}
		if local > 1 {
			return 0, usageError{fmt.Errorf("--url names one page, but %d files are given: extract them one at a time with --url, or without it", local)}
		}
	}
	stdinUsed := 0
	for _, in := range cfg.inputs {
		if in == "-" {
			stdinUsed++
		}
	}
	if stdinUsed > 1 {
		return 0, usageError{errors.New("extract: stdin (-) given more than once")}
	}
	// stdin is peeked to tell a web archive from a page.
	stdinBuf := bufio.NewReaderSize(stdin, archive.SniffLen)
	array := len(cfg.inputs) > 1
	if len(cfg.inputs) == 1 && isArchiveInput(cfg.inputs[0], stdinBuf) {
		array = true // an archive holds many pages
	}

	cut := 0 // cells cut to Excel's limit
	opts := output.Options{Array: array, Fields: fields, CSVRaw: cfg.csvRaw, Excel: cfg.excel}
	opts.OnCut = func(string) { cut++ }
	dest, err := openDest(cfg.out, cfg.format, opts, stdout)
	if err != nil {
		return 0, err
	}
	enc := dest.enc
	ok, failed := 0, 0
	var archives []*archiveStats
	// Many inputs or an archive on a terminal: a progress line, cleared
	// before each message and before records written to the same terminal.
	prog := newProgress(stderr, progressAuto, cfg.quiet || !array, cfg.verbose)
	recordsOnTerminal := (cfg.out == "" || cfg.out == "-") && isTerminal(stdout)
	start := time.Now()
	done := 0 // inputs other than archives done
	var progArc *archiveStats
	tasks := inputTasks(ctx, cfg.inputs, stdinBuf, cfg.fetch)
	polite := crawl.NewPolite(cfg.polite)
	// Workers extract in parallel; records are written in input order as
	// soon as each one's predecessors are written.
	for r := range extractTasks(ctx, tasks, cfg.jobs, func(t task) result {
		switch {
		case t.err != nil || t.skip != "":
			return result{in: t.in, err: t.err, skip: t.skip, arc: t.arc, off: t.off}
		case t.rec != nil:
			r := extractRecord(t, cfg.fetch)
			r.off = t.off
			return r
		}
		a, err := extractOne(ctx, t.in, base, stdinBuf, cfg.fetch, polite)
		return result{in: t.in, a: a, err: err}
	}) {
		if recordsOnTerminal || r.err != nil {
			prog.clear()
		}
		if r.arc != nil {
			if r.arc != progArc {
				progArc = r.arc
				archives = append(archives, r.arc)
			}
			r.arc.count(r)
			if r.skip != "" {
				prog.showArchive(r.arc, time.Since(start))
				continue
			}
		} else {
			done++
		}
		if r.a != nil {
			if werr := enc.Encode(r.a); werr != nil {
				dest.abort()
				if isBrokenPipe(werr) {
					return exitOK, nil
				}
				return 0, fmt.Errorf("write output: %w", werr)
			}
		}
		if r.err != nil {
			if ctx.Err() != nil {
				break // interrupted: said once below
			}
			failed++
			fmt.Fprintf(stderr, "newsx: %v\n", r.err)
		} else {
			ok++
			cfg.log.Debug("extracted", "input", r.in, "words", r.a.WordCount)
		}
		if r.arc != nil {
			prog.showArchive(r.arc, time.Since(start))
		} else {
			prog.line(time.Since(start), "inputs", fmt.Sprintf("%d/%d", done, len(cfg.inputs)), "articles", ok, "failed", failed)
		}
	}
	prog.clear()
	for _, st := range archives {
		fmt.Fprintf(stderr, "newsx: %s\n", st.summary())
	}
	if err := dest.close(); err != nil && !isBrokenPipe(err) {
		return 0, fmt.Errorf("write output: %w", err)
	}
	if cut > 0 {
		fmt.Fprintf(stderr, "newsx: %d CSV cells cut to Excel's limit of %d characters (they end in …); without --excel cells are kept whole\n", cut, output.ExcelCellLimit)
	}
	if ctx.Err() != nil {
		return interrupted(ctx, stderr), nil
	}
	switch {
	case failed == 0:
		return exitOK, nil
	case ok == 0:
		return exitFailure, nil
	default:
		return exitPartial, nil
	}
}

// extractOne loads and extracts one input, a URL through polite. A page
// without an article gives both its record and an error.
func extractOne(ctx context.Context, in string, base *url.URL, stdin io.Reader, fo crawl.FetchOptions, polite *crawl.Polite) (*extract.Article, error) {
	var page *crawl.Page
	var err error
	var fetched time.Time
	if crawl.IsURL(in) {
		// After any wait for the host's turn.
		page, err = polite.Fetch(ctx, in, fo)
		fetched = time.Now()
	} else {
		page, err = crawl.Load(ctx, in, stdin, fo)
	}
	if err != nil {
		return nil, err
	}
	pageURL := page.URL
	if pageURL == nil {
		pageURL = base
	}
	name := in
	if in == "-" {
		name = "stdin"
	}
	a, err := extract.FromBytes(page.Body, pageURL, extract.Options{ContentType: page.ContentType})
	if a != nil {
		a.Source = in
	}
	if a != nil && crawl.IsURL(in) {
		a.Fetched = fetched.UTC().Format(time.RFC3339)
	}
	switch {
	case errors.Is(err, extract.ErrNoArticle):
		return a, fmt.Errorf("%s: %w (its record has is_article false)", name, err)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return a, nil
}

// isBrokenPipe reports whether a write failed because the reader went
// away (`newsx ... | head -1`), which ends newsx quietly.
func isBrokenPipe(err error) bool {
	return errors.Is(err, errBrokenPipe)
}

// destination is where records go: stdout, one file written atomically,
// or a directory with a file per record.
type destination struct {
	enc  output.Encoder
	file *output.File // set for --out FILE
}

// openDest opens the --out target ("" or "-" means stdout).
func openDest(out, format string, opts output.Options, stdout io.Writer) (*destination, error) {
	switch {
	case out == "" || out == "-":
		enc, err := output.NewEncoder(stdout, format, opts)
		if err != nil {
			return nil, usageError{err}
		}
		return &destination{enc: enc}, nil
	case output.IsDirTarget(out):
		enc, err := output.NewDirEncoder(out, format, opts)
		if err != nil {
			return nil, usageError{err}
		}
		return &destination{enc: enc}, nil
	}
	f, err := output.Create(out)
	if err != nil {
		return nil, err
	}
	enc, err := output.NewEncoder(f, format, opts)
	if err != nil {
		f.Abort()
		return nil, usageError{err}
	}
	return &destination{enc: enc, file: f}, nil
}

// close finishes the output; a file is renamed into place only when
// everything was written.
func (d *destination) close() error {
	err := d.enc.Close()
	if d.file == nil {
		return err
	}
	if err != nil {
		d.file.Abort()
		return err
	}
	return d.file.Commit()
}

// abort drops a half-written output file.
func (d *destination) abort() {
	if d.file != nil {
		d.file.Abort()
	}
}

// expandInputs replaces each directory argument with the HTML files and
// web archives in it (*.html, *.htm, *.html.gz, *.warc, *.warc.gz, sorted
// by name); recursive also takes those in its subdirectories, in path order.
func expandInputs(inputs []string, recursive bool) ([]string, error) {
	var out []string
	for _, in := range inputs {
		if in == "-" || crawl.IsURL(in) {
			out = append(out, in)
			continue
		}
		fi, err := os.Stat(in)
		if err != nil || !fi.IsDir() {
			out = append(out, in) // a file; errors are reported per input
			continue
		}
		var files []string
		err = filepath.WalkDir(in, func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.IsDir() {
				if path != in && !recursive {
					return filepath.SkipDir
				}
				return nil
			}
			if isHTMLName(e.Name()) || isArchiveName(e.Name()) {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read %w", err)
		}
		if len(files) == 0 {
			where := "the directory"
			if !recursive {
				where += " (-r reads its subdirectories)"
			}
			return nil, usageError{fmt.Errorf("%s: no .html, .htm, .html.gz, .warc or .warc.gz files in %s", in, where)}
		}
		out = append(out, files...)
	}
	return out, nil
}

// isHTMLName reports whether a file name is a saved page's: *.html, *.htm
// or *.html.gz, in any case.
func isHTMLName(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".html") || strings.HasSuffix(n, ".htm") || strings.HasSuffix(n, ".html.gz")
}
