package main

import (
	"fmt"
	"log/slog"
	"regexp"

	"github.com/urfave/cli/v2"

	"github.com/newsx/newsx/crawl"
)

// scopeFlags reads --include, --exclude and --discover into cfg.
func scopeFlags(c *cli.Context, cfg *crawl.Config) error {
	for _, f := range []struct {
		name string
		dst  *[]*regexp.Regexp
	}{{"include", &cfg.Include}, {"exclude", &cfg.Exclude}} {
		for _, p := range c.StringSlice(f.name) {
			re, err := regexp.Compile(p)
			if err != nil {
				return usageError{fmt.Errorf("--%s %q: %w", f.name, p, err)}
			}
			*f.dst = append(*f.dst, re)
		}
	}
	d, err := crawl.ParseDiscover(c.String("discover"))
	if err != nil {
		return usageError{fmt.Errorf("--discover %w", err)}
	}
	cfg.Discover = d
	return nil
}

// crawlExit is the exit code of a crawl that ran to its end: 0 however
// many pages failed, 3 with strict when some did, 1 when nothing could be
// fetched at all.
func crawlExit(s crawl.Stats, strict bool) int {
	switch {
	case s.Failed > 0 && s.OK == 0 && s.Emitted == 0:
		return exitFailure
	case s.Failed > 0 && strict:
		return exitPartial
	}
	return exitOK
}

// logPoliteness states once, at the start, what bounds the crawl's pace.
func logPoliteness(log *slog.Logger, cfg crawl.Config) {
	delay := cfg.Delay
	if delay == 0 {
		delay = crawl.DefaultDelay
	}
	delay = max(delay, 0)
	perHost := cfg.PerHost
	if perHost <= 0 {
		perHost = crawl.DefaultPerHost
	}
	concurrency := cfg.Concurrency
	if concurrency <= 0 {
		concurrency = crawl.DefaultConcurrency
	}
	robots := "obeyed (a Crawl-delay wins)"
	if cfg.IgnoreRobots {
		robots = "ignored"
	}
	log.Info("politeness", "per_host", perHost, "delay", delay, "concurrency", concurrency, "robots", robots)
}

// showCrawl draws a crawl's totals.
func showCrawl(p *progress, s crawl.Stats) {
	rate := 0.0
	if secs := s.Elapsed.Seconds(); secs > 0 {
		rate = float64(s.Fetched) / secs
	}
	p.line(s.Elapsed, "fetched", s.Fetched, "articles", s.Articles, "queued", s.Queued,
		"errors", s.Failed, "pages/s", fmt.Sprintf("%.1f", rate))
}
