// Command newsx turns news web pages into clean, structured records.
//
//	newsx extract https://example.com/news/story.html
//	newsx extract --url https://example.com/a.html page.html
//	newsx extract -f jsonl a.html b.html | jq .headline
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/urfave/cli/v2"

	"github.com/newsx/newsx/crawl"
	"github.com/newsx/newsx/output"
)

// Exit codes.
const (
	exitOK      = 0 // every input gave an article
	exitFailure = 1 // no input gave an article, or a fatal error
	exitUsage   = 2 // bad flags or arguments
	exitPartial = 3 // some inputs failed
)

func main() {
	// A closed stdout pipe must end newsx quietly.
	ignoreSIGPIPE()
	// Extraction allocates a page's tree and drops it: with the default
	// GOGC (100) the collector ran so often that two extract workers on
	// two cores reached only 1.5-1.6x one core's rate; at 200 they reach
	// 1.8-1.9x for about 6 MB more peak RSS (measured on 421 news pages,
	// BENCHMARKS.md). A GOGC set in the environment wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	ctx, stop := stopContext(context.Background())
	code := run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// gcPercent is newsx's garbage-collection target (see main).
const gcPercent = 200

// shortUsage is what newsx alone prints.
const shortUsage = `newsx turns news web pages into clean, structured records.

usage:
  newsx extract [flags] INPUT...    extract the article from pages (URLs, files, - for stdin)
      newsx extract https://example.com/news/story.html
  newsx crawl [flags] [SEED...]     crawl sites from seeds (pages, feeds, sitemaps)
      newsx crawl --seeds sites.txt --out articles.jsonl

newsx help COMMAND lists a command's flags.
`

// usageError marks errors in flags or arguments (exit code 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// exitError carries a command's exit code back to run.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// run is newsx without the process: it parses args, runs the command and
// returns the exit code. Records go to stdout, logs and errors to stderr.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	bi := readBuildInfo()
	commands := []*cli.Command{
		extractCommand(stdin, stdout, stderr, userAgent(bi)),
		crawlCommand(stdin, stdout, stderr, userAgent(bi)),
	}
	app := &cli.App{
		Name:           "newsx",
		Usage:          "turn news web pages into clean, structured records",
		Version:        buildVersion(bi),
		Writer:         stdout,
		ErrWriter:      stderr,
		Reader:         stdin,
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return cliUsageError(err)
		},
		// urfave/cli's own --version flag takes -v, which newsx uses for
		// --verbose; newsx offers --version itself.
		HideVersion: true,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "version", Usage: "print the version"},
		},
		Action: func(c *cli.Context) error {
			if c.Bool("version") {
				fmt.Fprintln(stdout, versionLine(bi))
				return nil
			}
			if c.NArg() > 0 {
				return usageError{fmt.Errorf("unknown command %q (valid: extract, crawl)", c.Args().First())}
			}
			fmt.Fprint(stderr, shortUsage)
			return exitError{exitUsage}
		},
		Commands: commands,
	}
	args, err := orderArgs(args, commands)
	if err == nil {
		err = app.RunContext(ctx, args)
	}
	var ee exitError
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "newsx: %v\n", ue.err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "newsx: %v\n", err)
		return exitFailure
	}
}

// extractCommand wires `newsx extract`.
func extractCommand(stdin io.Reader, stdout, stderr io.Writer, ua string) *cli.Command {
	return &cli.Command{
		Name:      "extract",
		Usage:     "extract the article from pages (URLs, files, or - for stdin)",
		ArgsUsage: "INPUT...",
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return cliUsageError(err)
		},
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "json", Usage: "output format: json, jsonl, csv, md or text"},
			&cli.StringFlag{Name: "fields", Usage: "comma-separated fields to write, in this order (default: all)"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write to `FILE` (atomically) or, ending in /, one file per article into a directory"},
			&cli.BoolFlag{Name: "excel", Aliases: []string{"bom"}, Usage: "CSV for Excel: a UTF-8 byte-order mark, cells over 32,767 characters cut (implies -f csv)"},
			&cli.BoolFlag{Name: "csv-raw", Usage: "do not guard CSV cells that start with = + - @ against spreadsheet formulas"},
			&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Value: runtime.NumCPU(), Usage: "pages extracted in parallel (output order is kept)"},
			&cli.BoolFlag{Name: "recursive", Aliases: []string{"r"}, Usage: "read directories and their subdirectories"},
			&cli.StringFlag{Name: "url", Usage: "page URL for file or stdin input (the base for relative links)"},
			listFlag("input-file", []string{"i"}, "read inputs from `FILE`, one URL or path a line (# comments; - for stdin; repeatable)"),
			&cli.IntFlag{Name: "per-host", Value: crawl.DefaultPerHost, Usage: "requests at once per host"},
			durationFlag("delay", crawl.DefaultDelay, false, "pause after each request to a host (0 for none)"),
			&cli.BoolFlag{Name: "ignore-robots", Usage: "do not read robots.txt (only for sites you run)"},
			durationFlag("max-crawl-delay", crawl.DefaultMaxCrawlDelay, false, "skip hosts whose robots.txt Crawl-delay is longer (0: no limit)"),
			durationFlag("timeout", crawl.DefaultTimeout, true, "time limit for fetching one URL (5s, 1m; a bare number is seconds)"),
			sizeFlag("max-bytes", crawl.DefaultMaxBytes, "refuse pages larger than this (bytes, or 10MB, 512KiB)"),
			&cli.StringFlag{Name: "user-agent", Value: ua, Usage: "User-Agent header for fetching"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "log debug events to stderr"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "log only errors"},
		},
		Action: func(c *cli.Context) error {
			inputs, err := extractInputs(c.Args().Slice(), listValues(c, "input-file"), stdin)
			if err != nil {
				return err
			}
			if err := atLeast(c, 1, "jobs", "per-host"); err != nil {
				return err
			}
			format := c.String("format")
			if c.Bool("excel") {
				if c.IsSet("format") && format != "csv" {
					return usageError{fmt.Errorf("--excel writes CSV, not %s: drop -f or use -f csv", format)}
				}
				format = "csv"
			}
			cfg := extractConfig{
				inputs:    inputs,
				format:    format,
				excel:     c.Bool("excel"),
				fields:    c.String("fields"),
				out:       c.String("out"),
				csvRaw:    c.Bool("csv-raw"),
				jobs:      c.Int("jobs"),
				baseURL:   c.String("url"),
				recursive: c.Bool("recursive"),
				fetch: crawl.FetchOptions{
					Timeout:   c.Duration("timeout"),
					MaxBytes:  c.Int64("max-bytes"),
					UserAgent: c.String("user-agent"),
				},
				polite:  politeOptions(c),
				log:     newLogger(stderr, c.Bool("verbose"), c.Bool("quiet")),
				quiet:   c.Bool("quiet"),
				verbose: c.Bool("verbose"),
			}
			cfg.fetch.Logger = cfg.log
			cfg.polite.Logger = cfg.log
			code, err := runExtract(c.Context, cfg, stdin, stdout, stderr)
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

// newLogger returns the slog logger on stderr: Info by default, Debug with
// -v, Error with -q.
func newLogger(w io.Writer, verbose, quiet bool) *slog.Logger {
	level := slog.LevelInfo
	switch {
	case quiet:
		level = slog.LevelError
	case verbose:
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// checkFormat validates a --format value as a usage error.
func checkFormat(format string) error {
	if _, err := output.NewEncoder(io.Discard, format, output.Options{}); err != nil {
		return usageError{err}
	}
	return nil
}
