package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/newsx/newsx/archive"
	"github.com/newsx/newsx/crawl"
	"github.com/newsx/newsx/extract"
	"github.com/newsx/newsx/output"
)

// exitInterrupted is the exit code after Ctrl-C (128 + SIGINT); see
// interrupted for other signals.
const exitInterrupted = 130

// crawlCommand wires `newsx crawl`.
func crawlCommand(stdin io.Reader, stdout, stderr io.Writer, ua string) *cli.Command {
	return &cli.Command{
		Name:      "crawl",
		Usage:     "crawl news sites from seeds (pages, feeds, sitemaps) and write their articles",
		ArgsUsage: "[SEED...]",
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return cliUsageError(err)
		},
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "seeds", Usage: "read seed URLs from `FILE`, one a line (# comments)"},
			&cli.StringSliceFlag{Name: "domain", Usage: "also follow links into `DOMAIN` (repeatable)"},
			&cli.IntFlag{Name: "depth", Value: crawl.DefaultDepth, Usage: "link hops followed from a seed (feed and sitemap entries are 1)"},
			&cli.StringFlag{Name: "emit", Value: "articles", Usage: "records to write: articles, or all pages"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "jsonl", Usage: "output format: jsonl, json, csv, md or text"},
			&cli.StringFlag{Name: "fields", Usage: "comma-separated fields to write, in this order (default: all)"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "append records to `FILE` (or, ending in /, one file each into a directory)"},
			&cli.BoolFlag{Name: "csv-raw", Usage: "do not guard CSV cells that start with = + - @ against spreadsheet formulas"},
			&cli.StringFlag{Name: "state", Usage: "keep the crawl state in `PATH` to resume an interrupted crawl (also keeps memory flat on large crawls)"},
			&cli.StringFlag{Name: "redis", Usage: "share the crawl state with other workers in Redis at `URL` (redis://host:6379/0)"},
			&cli.StringFlag{Name: "crawl", Usage: "the shared crawl's `NAME` in Redis (with --redis)"},
			&cli.BoolFlag{Name: "status", Usage: "print the shared crawl's counters as JSON and exit (with --redis and --crawl)"},
			durationFlag("lease", crawl.DefaultLease, true, "how long a dead worker's pages stay claimed before others take them (with --redis)"),
			durationFlag("redis-timeout", crawl.DefaultRedisTimeout, true, "how long to retry while Redis is unreachable before giving up"),
			&cli.StringFlag{Name: "errors", Usage: "append one JSON line per failed URL to `FILE`"},
			&cli.IntFlag{Name: "per-host", Value: crawl.DefaultPerHost, Usage: "requests at once per host"},
			durationFlag("delay", crawl.DefaultDelay, false, "pause after each request to a host (0 for none)"),
			&cli.IntFlag{Name: "concurrency", Value: crawl.DefaultConcurrency, Usage: "requests at once in all"},
			&cli.BoolFlag{Name: "ignore-robots", Usage: "do not read robots.txt (only for sites you run)"},
			durationFlag("max-crawl-delay", crawl.DefaultMaxCrawlDelay, false, "skip hosts whose robots.txt Crawl-delay is longer (0: no limit)"),
			durationFlag("timeout", crawl.DefaultTimeout, true, "time limit for one request"),
			&cli.IntFlag{Name: "retries", Value: crawl.DefaultRetries, Usage: "retries after 429, 5xx, timeouts and resets"},
			durationFlag("retry-backoff", crawl.DefaultRetryBackoff, false, "wait before the first retry, doubled for each next one"),
			sizeFlag("max-bytes", crawl.DefaultMaxBytes, "skip pages larger than this (bytes, or 10MB, 512KiB)"),
			&cli.StringFlag{Name: "user-agent", Value: ua, Usage: "User-Agent header (robots.txt is matched by its first word)"},
			&cli.StringFlag{Name: "warc", Usage: "record every response into WARC files in `DIR` (newsx-<timestamp>-<serial>.warc.gz)"},
			sizeFlag("warc-size", archive.DefaultMaxFileSize, "start a new WARC file after this size (bytes, or 1GB, 512MiB)"),
			&cli.IntFlag{Name: "max-pages", Usage: "stop after this many fetches (0: no limit)"},
			&cli.IntFlag{Name: "max-articles", Usage: "stop after this many articles (0: no limit)"},
			durationFlag("max-duration", 0, false, "stop after this long (0: no limit)"),
			durationFlag("watch", 0, false, "keep running: visit the sources again every `INTERVAL` (with jitter) and fetch what is new, until Ctrl-C or --max-duration"),
			durationFlag("recheck", 0, false, "when visiting sources again, also check articles published within `DURATION` for changes, and write again those whose headline or body changed (0: never)"),
			&cli.StringFlag{Name: "since", Usage: "skip entries and articles dated before `DATE` (2006-01-02 or RFC 3339); undated articles are kept"},
			&cli.StringSliceFlag{Name: "include", Usage: "fetch only URLs matching `REGEX` (repeatable; seeds, sitemaps and named feeds always)"},
			&cli.StringSliceFlag{Name: "exclude", Usage: "never fetch URLs matching `REGEX` (repeatable; seeds always)"},
			&cli.StringFlag{Name: "discover", Value: "feeds,sitemaps,links", Usage: "where to find pages: any of feeds, sitemaps, links"},
			&cli.BoolFlag{Name: "strict", Usage: "exit 3 when any page failed"},
			&cli.StringFlag{Name: "progress", Value: "auto", Usage: "progress display: never, auto (a line on a terminal, else a log line every 30s) or always"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "log debug events to stderr"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "log only errors, no progress line"},
		},
		Action: func(c *cli.Context) error {
			code, err := runCrawl(c, stdin, stdout, stderr)
			if err != nil {
				return err
			}
			if code != exitOK {
				return exitError{code}
			}
			return nil
		},
	}
}

// frontierHint is how many URLs queued in memory make a crawl without
// --state say once that a state file would keep them on disk: the
// memory store holds each queued URL on the heap (a crawl of a
// 100,000-article site peaked at 88 MB without --state and 41 MB with it).
var frontierHint = 200_000

// runCrawl runs `newsx crawl` and returns its exit code.
func runCrawl(c *cli.Context, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	ctx := c.Context
	mode, err := parseProgress(c.String("progress"))
	if err != nil {
		return 0, err
	}
	prog := newProgress(stderr, mode, c.Bool("quiet"), c.Bool("verbose"))
	// Log lines clear the progress line first, so they never mix.
	log := newLogger(prog.logWriter(), c.Bool("verbose"), c.Bool("quiet"))
	prog.periodic(log, mode, c.Bool("quiet"))
	cfg, err := crawlConfig(c, log)
	if err != nil {
		return 0, err
	}
	redisURL, crawlName, err := redisFlags(c)
	if err != nil {
		return 0, err
	}
	if c.Bool("status") {
		return crawlStatus(c, redisURL, crawlName, log, stdout)
	}
	if err := checkFileFlags(c); err != nil {
		return 0, err
	}
	format := c.String("format")
	if err := checkFormat(format); err != nil {
		return 0, err
	}
	fields, err := output.ParseFields(c.String("fields"))
	if err != nil {
		return 0, usageError{fmt.Errorf("--fields: %w", err)}
	}
	// A worker joining a shared crawl needs no seeds.
	seeds, err := readSeeds(c.Args().Slice(), c.String("seeds"), stdin, redisURL != "")
	if err != nil {
		return 0, err
	}

	inMemory := false // the frontier is kept in memory (no --state, no --redis)
	if redisURL != "" {
		st, err := crawl.OpenRedis(ctx, redisURL, crawlName, crawl.RedisOptions{Timeout: c.Duration("redis-timeout"), Logger: log})
		if err != nil {
			return 0, err
		}
		defer st.Close()
		if len(seeds) == 0 {
			// A worker without seeds joins a crawl; a crawl that never
			// started is a misspelt name or a wrong database.
			n, err := st.Counts()
			if err != nil {
				return 0, err
			}
			if n == (crawl.Counts{}) {
				where := redisURL
				if u, err := url.Parse(redisURL); err == nil {
					where = u.Redacted()
				}
				return 0, fmt.Errorf("crawl %q on %s has nothing queued and nothing done: start it with seeds (newsx crawl --redis URL --crawl NAME SEED...), or check the name", crawlName, where)
			}
		}
		cfg.Store = st
		cfg.Recrawl = true // the same crawl again visits its sources again
	} else if path := c.String("state"); path != "" {
		st, err := crawl.OpenState(path, crawl.StateOptions{Logger: log})
		if err != nil {
			return 0, err
		}
		defer st.Close()
		cfg.Store = st
		cfg.Recrawl = true
	} else {
		cfg.Store = crawl.NewMemoryStore()
		inMemory = true
	}

	dest, err := openCrawlDest(c.String("out"), format, output.Options{Array: true, Fields: fields, CSVRaw: c.Bool("csv-raw")}, stdout, cfg.Store)
	if err != nil {
		return 0, err
	}
	defer dest.closeFile()

	var failures *json.Encoder
	if path := c.String("errors"); path != "" {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			return 0, fmt.Errorf("open --errors file: %w", err)
		}
		defer f.Close()
		failures = json.NewEncoder(f)
		failures.SetEscapeHTML(false)
	}
	cfg.OnFailure = func(f crawl.Failure) {
		if failures != nil {
			// A full disk here is reported once, by the last write below.
			_ = failures.Encode(f)
		}
	}
	var final crawl.Stats
	recordsOnTerminal := (c.String("out") == "" || c.String("out") == "-") && isTerminal(stdout)
	hinted := false
	cfg.OnProgress = func(s crawl.Stats) {
		final = s
		if inMemory && !hinted && s.Queued >= frontierHint {
			hinted = true
			log.Warn("many URLs queued in memory: --state PATH keeps the queue on disk, and lets an interrupted crawl resume", "queued", s.Queued)
		}
		showCrawl(prog, s)
	}

	emit := func(a *extract.Article) error {
		if recordsOnTerminal {
			prog.clear()
		}
		if err := dest.enc.Encode(a); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
		return nil
	}
	if dir := c.String("warc"); dir != "" {
		w, err := openWARC(dir, c)
		if err != nil {
			return 0, err
		}
		defer func() {
			if err := w.Close(); err != nil {
				log.Error("close warc", "err", err)
			}
		}()
		cfg.WARC = w
	}
	logPoliteness(log, cfg)
	runErr := crawl.Run(ctx, cfg, seeds, emit)
	prog.clear()
	closeErr := dest.enc.Close()
	if runErr != nil && isBrokenPipe(runErr) {
		return exitOK, nil
	}
	if closeErr != nil && !isBrokenPipe(closeErr) && runErr == nil {
		return 0, fmt.Errorf("write output: %w", closeErr)
	}
	if err := dest.closeFile(); err != nil && runErr == nil {
		return 0, fmt.Errorf("write output: %w", err)
	}
	switch {
	case runErr != nil && ctx.Err() != nil && errors.Is(runErr, ctx.Err()):
		return interrupted(ctx, stderr), nil
	case runErr != nil:
		return 0, runErr
	}
	return crawlExit(final, c.Bool("strict")), nil
}

// redisFlags checks --redis, --crawl and --status: the URL and name, or
// "" when the crawl is not shared.
func redisFlags(c *cli.Context) (string, string, error) {
	u, name := c.String("redis"), c.String("crawl")
	switch {
	case u == "" && name == "" && !c.Bool("status"):
		return "", "", nil
	case u == "":
		return "", "", usageError{errors.New("--crawl and --status need --redis URL")}
	case name == "":
		return "", "", usageError{errors.New("--redis needs --crawl NAME, the name its workers share")}
	case c.String("state") != "":
		return "", "", usageError{errors.New("--redis and --state: the crawl state is in one or the other")}
	}
	if err := crawl.CheckRedis(u, name); err != nil {
		return "", "", usageError{fmt.Errorf("--redis: %w", err)}
	}
	if c.Duration("lease") < crawl.MinLease || c.Duration("redis-timeout") <= 0 {
		return "", "", usageError{errors.New("--lease and --redis-timeout: want a duration such as 1m (a lease of 1s at least)")}
	}
	return u, name, nil
}

// crawlStatus prints a shared crawl's counters as one JSON object.
func crawlStatus(c *cli.Context, redisURL, name string, log *slog.Logger, stdout io.Writer) (int, error) {
	st, err := crawl.OpenRedis(c.Context, redisURL, name, crawl.RedisOptions{Timeout: c.Duration("redis-timeout"), Logger: log})
	if err != nil {
		return 0, err
	}
	defer st.Close()
	counts, err := st.Counts()
	if err != nil {
		return 0, err
	}
	b, err := json.Marshal(struct {
		Crawl string `json:"crawl"`
		crawl.Counts
	}{name, counts})
	if err != nil {
		return 0, err
	}
	if _, err := fmt.Fprintf(stdout, "%s\n", b); err != nil {
		return 0, fmt.Errorf("write output: %w", err)
	}
	return exitOK, nil
}

// crawlConfig turns the flags into a crawl.Config.
func crawlConfig(c *cli.Context, log *slog.Logger) (crawl.Config, error) {
	cfg := crawl.Config{
		Domains:       c.StringSlice("domain"),
		Depth:         c.Int("depth"),
		PerHost:       c.Int("per-host"),
		Delay:         c.Duration("delay"),
		Concurrency:   c.Int("concurrency"),
		IgnoreRobots:  c.Bool("ignore-robots"),
		MaxCrawlDelay: c.Duration("max-crawl-delay"),
		Timeout:       c.Duration("timeout"),
		Retries:       c.Int("retries"),
		RetryBackoff:  c.Duration("retry-backoff"),
		MaxBytes:      c.Int64("max-bytes"),
		UserAgent:     c.String("user-agent"),
		MaxPages:      c.Int("max-pages"),
		MaxArticles:   c.Int("max-articles"),
		MaxDuration:   c.Duration("max-duration"),
		Watch:         c.Duration("watch"),
		Recheck:       c.Duration("recheck"),
		Lease:         c.Duration("lease"),
		Logger:        log,
		Abort:         abortOf(c.Context),
	}
	switch {
	case cfg.Depth < 0:
		return cfg, usageError{errors.New("--depth: want 0 or more")}
	case cfg.Depth == 0:
		cfg.Depth = -1 // crawl.Config: negative means the seeds only
	}
	if cfg.Delay <= 0 {
		cfg.Delay = -1
	}
	if cfg.Retries <= 0 {
		cfg.Retries = -1
	}
	switch {
	case cfg.MaxCrawlDelay < 0:
		return cfg, usageError{errors.New("--max-crawl-delay: want 0 (no limit) or more")}
	case cfg.MaxCrawlDelay == 0:
		cfg.MaxCrawlDelay = -1 // crawl.Config: negative means no limit
	}
	if err := atLeast(c, 0, "per-host", "concurrency", "retries", "max-pages", "max-articles"); err != nil {
		return cfg, err
	}
	switch c.String("emit") {
	case "articles", "article":
	case "all":
		cfg.EmitAll = true
	default:
		return cfg, usageError{fmt.Errorf("--emit %q: want articles or all", c.String("emit"))}
	}
	if err := scopeFlags(c, &cfg); err != nil {
		return cfg, err
	}
	if cfg.Recheck > 0 && cfg.Watch == 0 && c.String("state") == "" && c.String("redis") == "" {
		return cfg, usageError{errors.New("--recheck checks articles when the sources are visited again: give it with --state, --redis or --watch")}
	}
	if s := c.String("since"); s != "" {
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			t, err = time.Parse(time.RFC3339, s)
		}
		if err != nil {
			return cfg, usageError{fmt.Errorf("--since %q: want a date such as 2024-03-25", s)}
		}
		cfg.Since = t
	}
	return cfg, nil
}

// readSeeds collects the seeds: the arguments, the --seeds file (- for
// stdin), or stdin when neither gives any and stdin is not a terminal. None is a usage
// error unless optional.
func readSeeds(args []string, file string, stdin io.Reader, optional bool) ([]string, error) {
	seeds := append([]string(nil), args...)
	if file == "-" {
		s, err := seedLines(stdin)
		if err != nil {
			return nil, fmt.Errorf("read stdin: %w", err)
		}
		seeds = append(seeds, s...)
	} else if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return nil, usageError{fmt.Errorf("--seeds: %w", err)}
		}
		defer f.Close()
		s, err := seedLines(f)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", file, err)
		}
		seeds = append(seeds, s...)
	}
	if len(seeds) == 0 && stdin != nil && !isTerminal(stdin) {
		s, err := seedLines(stdin)
		if err != nil {
			return nil, fmt.Errorf("read stdin: %w", err)
		}
		seeds = s
	}
	if len(seeds) == 0 && !optional {
		return nil, usageError{errors.New("crawl: no seeds given (want URLs as arguments, --seeds FILE, or on stdin)")}
	}
	for _, s := range seeds {
		if !crawl.IsURL(s) || crawl.Normalize(s) == "" {
			return nil, usageError{fmt.Errorf("crawl: seed %q is not an http or https URL", s)}
		}
	}
	return seeds, nil
}

// seedLines reads one URL a line, skipping blank lines and # comments.
func seedLines(r io.Reader) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, " #"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out, sc.Err()
}

// isTerminal reports whether r or w is a character device (a terminal).
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// crawlDest is where crawl records go: stdout, a file opened for
// appending, or a directory.
type crawlDest struct {
	enc  output.Encoder
	file *os.File
	once sync.Once
	err  error
}

func (d *crawlDest) closeFile() error {
	d.once.Do(func() {
		if d.file != nil {
			d.err = d.file.Close()
		}
	})
	return d.err
}

// openCrawlDest opens the --out target. A file is opened for appending so
// that a resumed crawl adds to it (through a symbolic link, its target);
// a device, FIFO or socket is written to directly. With a store that survives runs, the
// records already in a jsonl or csv file are marked emitted first: a crawl
// killed between writing a record and committing its page does not write
// that record again. A last line cut short by the kill is dropped.
func openCrawlDest(out, format string, opts output.Options, stdout io.Writer, st crawl.Store) (*crawlDest, error) {
	switch {
	case out == "" || out == "-":
		enc, err := output.NewEncoder(stdout, format, opts)
		if err != nil {
			return nil, usageError{err}
		}
		return &crawlDest{enc: enc}, nil
	case output.IsDirTarget(out):
		enc, err := output.NewDirEncoder(out, format, opts)
		if err != nil {
			return nil, usageError{err}
		}
		return &crawlDest{enc: enc}, nil
	}
	if fi, err := os.Stat(out); err == nil && !fi.Mode().IsRegular() {
		// A device, FIFO or socket: written to as a shell redirection
		// does, with nothing to read back.
		f, err := os.OpenFile(out, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			return nil, fmt.Errorf("open output: %w", err)
		}
		enc, err := output.NewEncoder(f, format, opts)
		if err != nil {
			f.Close()
			return nil, usageError{err}
		}
		return &crawlDest{enc: enc, file: f}, nil
	}
	f, err := os.OpenFile(out, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open output: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open output: %w", err)
	}
	var w io.Writer = f
	if fi.Size() > 0 {
		switch strings.ToLower(format) {
		case "jsonl", "ndjson":
			if err := readBackJSONL(f, fi.Size(), st); err != nil {
				f.Close()
				return nil, fmt.Errorf("resume %s: %w", out, err)
			}
		case "csv":
			if err := checkCSVHeader(f, out, output.CSVHeader(opts.Fields)); err != nil {
				f.Close()
				return nil, err
			}
			if err := readBackCSV(f, fi.Size(), st); err != nil {
				f.Close()
				return nil, fmt.Errorf("resume %s: %w", out, err)
			}
			// The file has its header: drop the one the encoder writes.
			w = &skipLine{w: f}
		default:
			f.Close()
			return nil, usageError{fmt.Errorf("--out %s exists: crawls append, which only jsonl and csv allow", out)}
		}
	}
	enc, err := output.NewEncoder(w, format, opts)
	if err != nil {
		f.Close()
		return nil, usageError{err}
	}
	return &crawlDest{enc: enc, file: f}, nil
}

// readBackJSONL marks the records of a jsonl output file as emitted, and
// cuts off a last line left incomplete by a killed run.
func readBackJSONL(f *os.File, size int64, st crawl.Store) error {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	br := bufio.NewReaderSize(f, 1<<20)
	var good int64
	var keys []string
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 && line[len(line)-1] == '\n' {
			var rec struct {
				URL          string `json:"url"`
				CanonicalURL string `json:"canonical_url"`
			}
			if json.Unmarshal(bytes.TrimSpace(line), &rec) == nil {
				if k := crawl.EmittedKey(&extract.Article{URL: rec.URL, CanonicalURL: rec.CanonicalURL}); k != "" {
					keys = append(keys, k)
				}
			}
			good += int64(len(line))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if len(keys) >= 1000 {
			if err := st.MarkEmitted(keys...); err != nil {
				return err
			}
			keys = keys[:0]
		}
	}
	if err := st.MarkEmitted(keys...); err != nil {
		return err
	}
	if good < size {
		if err := f.Truncate(good); err != nil {
			return err
		}
	}
	return nil
}

// readBackCSV is readBackJSONL for a CSV file with a header naming url or
// canonical_url. A last record not ended by a newline is cut off.
func readBackCSV(f *os.File, size int64, st crawl.Store) error {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		return nil // no complete header: nothing to read back
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	field := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	good := r.InputOffset()
	var keys []string
	for {
		rec, err := r.Read()
		if err != nil {
			break // io.EOF, or a record cut short by a kill
		}
		end := r.InputOffset()
		if end == size && !endsWithNewline(f, size) {
			break // the last record lacks its line end: written partly
		}
		good = end
		if k := crawl.EmittedKey(&extract.Article{URL: field(rec, "url"), CanonicalURL: field(rec, "canonical_url")}); k != "" {
			keys = append(keys, k)
		}
	}
	if err := st.MarkEmitted(keys...); err != nil {
		return err
	}
	if good < size {
		return f.Truncate(good)
	}
	return nil
}

// endsWithNewline reports whether the file of the given size ends in '\n'.
func endsWithNewline(f *os.File, size int64) bool {
	b := make([]byte, 1)
	_, err := f.ReadAt(b, size-1)
	return err == nil && b[0] == '\n'
}

// skipLine drops everything up to and including the first newline written
// through it.
type skipLine struct {
	w    io.Writer
	done bool
}

func (s *skipLine) Write(p []byte) (int, error) {
	if s.done {
		return s.w.Write(p)
	}
	i := bytes.IndexByte(p, '\n')
	if i < 0 {
		return len(p), nil
	}
	s.done = true
	n, err := s.w.Write(p[i+1:])
	return i + 1 + n, err
}

// openWARC opens the --warc directory (made if missing) for a new WARC
// file; its warcinfo names newsx, its version and the options set.
func openWARC(dir string, c *cli.Context) (*archive.Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("--warc: %w", err)
	}
	var info [][2]string
	var opts []string
	for _, name := range c.FlagNames() {
		if c.IsSet(name) {
			opts = append(opts, "--"+name+"="+fmt.Sprint(c.Value(name)))
		}
	}
	info = append(info, [2]string{"newsx-options", strings.Join(opts, " ")})
	return archive.NewWriter(dir, archive.WriterOptions{
		MaxFileSize: c.Int64("warc-size"),
		Software:    "newsx/" + strings.TrimPrefix(buildVersion(readBuildInfo()), "v"),
		Info:        info,
	})
}
