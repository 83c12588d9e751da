package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/newsx/newsx/crawl"
)

// listValue is a repeatable flag value that keeps each occurrence whole:
// urfave/cli's StringSliceFlag would split a path at its commas.
type listValue struct{ vals []string }

// listSep joins the values in String. urfave/cli copies a flag's value to
// its aliases as Set(String()) after parsing; no argument holds a NUL,
// so Set knows such a copy by it and ignores it.
const listSep = "\x00"

// Set adds one occurrence.
func (v *listValue) Set(s string) error {
	if strings.HasPrefix(s, listSep) {
		return nil // the copy to an alias
	}
	v.vals = append(v.vals, s)
	return nil
}

// String returns the values, each after a NUL (see listSep).
func (v *listValue) String() string {
	var b strings.Builder
	for _, s := range v.vals {
		b.WriteString(listSep)
		b.WriteString(s)
	}
	return b.String()
}

// Get returns the values, so the flag is a flag.Getter.
func (v *listValue) Get() any { return v.vals }

// listFlag is a repeatable flag whose values are kept in order.
func listFlag(name string, aliases []string, usage string) *cli.GenericFlag {
	return &cli.GenericFlag{Name: name, Aliases: aliases, Value: &listValue{}, Usage: usage}
}

// listValues returns a listFlag's values.
func listValues(c *cli.Context, name string) []string {
	if v, ok := c.Generic(name).(*listValue); ok {
		return v.vals
	}
	return nil
}

// extractInputs returns extract's inputs: the arguments, then the lines
// of each --input-file list in the order given (as wget reads its
// command line before its -i file). A list is one URL or path a line,
// blank lines and # comments skipped; "-" reads the list from stdin,
// which then cannot also be a page input.
func extractInputs(args, lists []string, stdin io.Reader) ([]string, error) {
	inputs := append([]string(nil), args...)
	fromStdin := false
	for _, l := range lists {
		if l != "-" {
			continue
		}
		if fromStdin {
			return nil, usageError{errors.New("--input-file: stdin (-) given more than once")}
		}
		fromStdin = true
	}
	empty := true
	for _, l := range lists {
		var lines []string
		var err error
		if l == "-" {
			if lines, err = seedLines(stdin); err != nil {
				return nil, fmt.Errorf("read stdin: %w", err)
			}
		} else {
			f, err := os.Open(l)
			if err != nil {
				return nil, usageError{fmt.Errorf("--input-file: %w", err)}
			}
			lines, err = seedLines(f)
			f.Close()
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", l, err)
			}
		}
		if len(lines) > 0 {
			empty = false
		}
		inputs = append(inputs, lines...)
	}
	if fromStdin {
		for _, in := range inputs {
			if in == "-" {
				return nil, usageError{errors.New("extract: stdin (-) is read for the input list (-i -), so it cannot also be a page: save the page to a file")}
			}
		}
	}
	if len(inputs) == 0 {
		if len(lists) > 0 && empty {
			names := make([]string, len(lists))
			for i, l := range lists {
				names[i] = l
				if l == "-" {
					names[i] = "the list on stdin"
				}
			}
			verb := "holds"
			if len(lists) > 1 {
				verb = "hold"
			}
			return nil, usageError{fmt.Errorf("extract: no input given: %s %s no URLs or paths", strings.Join(names, " and "), verb)}
		}
		return nil, usageError{errors.New("extract: no input given (want URLs, files, - for stdin, or -i FILE)")}
	}
	return inputs, nil
}

// politeOptions reads the politeness flags extract shares with crawl.
func politeOptions(c *cli.Context) crawl.PoliteOptions {
	o := crawl.PoliteOptions{
		PerHost:       c.Int("per-host"),
		Delay:         c.Duration("delay"),
		IgnoreRobots:  c.Bool("ignore-robots"),
		MaxCrawlDelay: c.Duration("max-crawl-delay"),
	}
	if o.Delay <= 0 {
		o.Delay = -1 // crawl.PoliteOptions: negative means none
	}
	if o.MaxCrawlDelay <= 0 {
		o.MaxCrawlDelay = -1 // negative means no limit
	}
	return o
}
