package crawl

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/temoto/robotstxt"
)

// maxRobotsBytes caps a robots.txt body; Google reads the first 500 KiB.
const maxRobotsBytes = 500 << 10

// robots is what one host's robots.txt says to newsx.
type robots struct {
	group       *robotstxt.Group // nil: everything allowed
	disallowAll bool             // robots.txt was unavailable (5xx, network)
	delay       time.Duration    // Crawl-delay
	sitemaps    []string
	// why, when set, is why the host is not crawled, said instead of
	// "disallowed by robots.txt" (a Crawl-delay over the limit).
	why string
	// err is why robots.txt was unavailable, with disallowAll.
	err error
}

// reason says why a URL r does not allow is skipped.
func (r *robots) reason() string {
	if r != nil && r.why != "" {
		return r.why
	}
	return "disallowed by robots.txt"
}

// allowed reports whether the path and query of a URL may be fetched.
func (r *robots) allowed(requestURI string) bool {
	if r == nil {
		return true
	}
	if r.disallowAll {
		return false
	}
	return r.group == nil || r.group.Test(requestURI)
}

// robotsAgent is the product token newsx matches robots.txt groups with:
// the User-Agent up to its first slash or space ("newsx").
func robotsAgent(userAgent string) string {
	if i := strings.IndexAny(userAgent, "/ "); i > 0 {
		return userAgent[:i]
	}
	return userAgent
}

// fetchRobots gets and parses origin's robots.txt (origin is
// "scheme://host[:port]"). A 4xx means no rules; a 5xx or a network error
// is retried up to retries times, waiting wait(attempt, retryAfter) in
// between, and then returned as an error: the caller treats the host as
// disallowed for the run.
func fetchRobots(ctx context.Context, client *http.Client, origin, userAgent string, retries int, wait func(int, time.Duration) time.Duration) (*robots, int, error) {
	robotsURL := origin + "/robots.txt"
	var lastErr error
	lastStatus := 0
	for attempt := 0; ; attempt++ {
		status, body, ra, err := getRobots(ctx, client, robotsURL, userAgent)
		lastStatus = status
		switch {
		case err == nil && status >= 200 && status < 300:
			data, perr := robotstxt.FromStatusAndBytes(status, body)
			if perr != nil {
				// A garbled file: read what temoto could not as no rules.
				return &robots{}, status, nil
			}
			g := data.FindGroup(robotsAgent(userAgent))
			return &robots{group: g, delay: g.CrawlDelay, sitemaps: data.Sitemaps}, status, nil
		case err == nil && status >= 400 && status < 500 && status != http.StatusTooManyRequests:
			return &robots{}, status, nil
		case err == nil:
			lastErr = fmt.Errorf("fetch %s: %d %s", robotsURL, status, http.StatusText(status))
		default:
			lastErr = err
		}
		if ctx.Err() != nil {
			return nil, lastStatus, ctx.Err()
		}
		if attempt >= retries {
			return nil, lastStatus, lastErr
		}
		select {
		case <-ctx.Done():
			return nil, lastStatus, ctx.Err()
		case <-time.After(wait(attempt, ra)):
		}
	}
}

func getRobots(ctx context.Context, client *http.Client, robotsURL, userAgent string) (status int, body []byte, retryAfterDelay time.Duration, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, robotsURL, nil)
	if err != nil {
		return 0, nil, 0, fmt.Errorf("fetch %s: %w", robotsURL, err)
	}
	req.Header.Set("User-Agent", userAgent)
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, 0, fmt.Errorf("fetch %s: %w", robotsURL, err)
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(io.LimitReader(resp.Body, maxRobotsBytes))
	if err != nil {
		return resp.StatusCode, nil, 0, fmt.Errorf("fetch %s: %w", robotsURL, err)
	}
	return resp.StatusCode, body, retryAfter(resp.Header, time.Now()), nil
}
