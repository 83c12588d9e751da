package crawl

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"
)

// ErrDisallowed means robots.txt does not let newsx fetch a URL: its
// rules disallow the path, it asks for a Crawl-delay over the limit, or
// it could not be read (a 5xx or a network error), which closes the host
// for the run as Run does.
var ErrDisallowed = errDisallowed

// PoliteOptions configure a Polite. The zero value means Run's defaults:
// robots.txt obeyed, 2 requests at a time per host, 500ms apart.
type PoliteOptions struct {
	// PerHost is how many requests may run at once per host; zero means
	// DefaultPerHost. A robots.txt Crawl-delay lowers it to one.
	PerHost int
	// Delay is the pause after each request to a host before its slot
	// takes the next one; zero means DefaultDelay, negative means none.
	// A longer robots.txt Crawl-delay wins.
	Delay time.Duration
	// IgnoreRobots skips robots.txt. The zero value obeys it.
	IgnoreRobots bool
	// MaxCrawlDelay is the longest robots.txt Crawl-delay obeyed: a host
	// asking for more is not fetched from, each URL failing with
	// ErrDisallowed. Zero means DefaultMaxCrawlDelay; negative means no
	// limit.
	MaxCrawlDelay time.Duration
	// Retries is how often robots.txt is retried after a 5xx, a 429 or a
	// network error; zero means DefaultRetries, negative none. Pages are
	// not retried.
	Retries int
	// RetryBackoff is the first retry's wait, doubled for each further
	// one, with jitter; a longer Retry-After wins. Zero means
	// DefaultRetryBackoff.
	RetryBackoff time.Duration
	// Logger receives warnings about hosts closed by robots.txt; nil
	// discards them.
	Logger *slog.Logger
}

func (o PoliteOptions) withDefaults() PoliteOptions {
	if o.PerHost <= 0 {
		o.PerHost = DefaultPerHost
	}
	if o.Delay == 0 {
		o.Delay = DefaultDelay
	}
	if o.Delay < 0 {
		o.Delay = 0
	}
	if o.MaxCrawlDelay == 0 {
		o.MaxCrawlDelay = DefaultMaxCrawlDelay
	}
	if o.Retries == 0 {
		o.Retries = DefaultRetries
	}
	if o.Retries < 0 {
		o.Retries = 0
	}
	if o.RetryBackoff <= 0 {
		o.RetryBackoff = DefaultRetryBackoff
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Polite fetches single pages, each with Fetch, with Run's politeness
// per host (scheme, name and port): at most PerHost requests at once,
// a slot resting Delay after each request, robots.txt read once per
// host and obeyed, its Crawl-delay honoured (one request at a time,
// each that long after the end of the one before). Requests to different hosts do not wait
// for each other. Redirects are followed as Fetch follows them; the
// limits and robots.txt are those of the URL asked for.
//
// Polite is for a list of URLs given by a user (`newsx extract -i`);
// Run has its own scheduling. It is safe for concurrent use, and keeps
// one small entry per host for its lifetime.
type Polite struct {
	opts  PoliteOptions
	mu    sync.Mutex
	hosts map[string]*politeHost
}

// politeHost is one host's state, guarded by Polite.mu.
type politeHost struct {
	inflight int
	// resting holds when each slot used lately is free again (the end
	// of its request plus Delay), while that is in the future.
	resting []time.Time
	// next is the earliest start of the next request (Crawl-delay).
	next time.Time
	// line holds the tickets of the callers waiting for a slot, first
	// come first: slots go to the head, so a host's URLs are requested
	// in the order they were asked for.
	line    []uint64
	tickets uint64
	// robots is the host's robots.txt once read; reading is set while
	// one caller reads it.
	robots  *robots
	reading bool
	// wake is closed, and replaced, when a slot is freed or robots.txt
	// is in.
	wake chan struct{}
}

// NewPolite returns a Polite with opts' defaults filled in.
func NewPolite(opts PoliteOptions) *Polite {
	return &Polite{opts: opts.withDefaults(), hosts: map[string]*politeHost{}}
}

// Fetch fetches rawURL with Fetch and fo once the host's limits allow,
// after checking its robots.txt (unless IgnoreRobots). A URL robots.txt
// refuses is not requested; the error wraps ErrDisallowed and names
// robots.txt. Waiting ends early when ctx is done, with ctx's error.
func (p *Polite) Fetch(ctx context.Context, rawURL string, fo FetchOptions) (*Page, error) {
	u, err := parseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	release, err := p.acquire(ctx, u, fo)
	if err != nil {
		return nil, err
	}
	defer release()
	return Fetch(ctx, rawURL, fo)
}

// acquire waits for a request slot on u's host, reading its robots.txt
// first when needed, and returns the function that frees the slot.
func (p *Polite) acquire(ctx context.Context, u *url.URL, fo FetchOptions) (func(), error) {
	o := origin(u)
	p.mu.Lock()
	h := p.hosts[o]
	if h == nil {
		h = &politeHost{wake: make(chan struct{})}
		p.hosts[o] = h
	}
	var ticket uint64 // this caller's place in h.line, once it has one
	for {
		now := time.Now()
		if h.robots == nil && !p.opts.IgnoreRobots {
			if !h.reading {
				h.reading = true
				p.mu.Unlock()
				rb := p.readRobots(ctx, o, u, fo)
				p.mu.Lock()
				h.reading = false
				if rb != nil {
					h.robots = rb
					if rb.delay > 0 {
						h.next = time.Now().Add(rb.delay)
					}
				}
				h.wakeAll()
				if err := ctx.Err(); err != nil {
					p.mu.Unlock()
					return nil, err
				}
				continue
			}
			if err := p.wait(ctx, h, time.Time{}); err != nil {
				p.mu.Unlock()
				return nil, err
			}
			continue
		}
		if rb := h.robots; rb != nil && !rb.allowed(u.RequestURI()) {
			p.mu.Unlock()
			return nil, disallowed(u, rb)
		}
		if ticket == 0 {
			h.tickets++
			ticket = h.tickets
			h.line = append(h.line, ticket)
		}
		// Slots resting past their Delay are in use too.
		var free time.Time
		keep := h.resting[:0]
		for _, t := range h.resting {
			if t.After(now) {
				keep = append(keep, t)
				if free.IsZero() || t.Before(free) {
					free = t
				}
			}
		}
		h.resting = keep
		limit := p.opts.PerHost
		if h.robots != nil && h.robots.delay > 0 {
			limit = 1
		}
		busy := h.inflight+len(h.resting) >= limit
		if !busy && !h.next.After(now) && h.line[0] == ticket {
			h.line = h.line[1:]
			h.inflight++
			h.wakeAll() // the next in line may have a slot too
			p.mu.Unlock()
			return func() { p.release(h) }, nil
		}
		// Wait for a slot to be freed (wake), a resting one to be free,
		// and the Crawl-delay to pass.
		var at time.Time
		if busy && h.inflight < limit {
			at = free
		}
		if h.next.After(now) && h.next.After(at) {
			at = h.next
		}
		if err := p.wait(ctx, h, at); err != nil {
			h.line = slices.DeleteFunc(h.line, func(t uint64) bool { return t == ticket })
			h.wakeAll()
			p.mu.Unlock()
			return nil, err
		}
	}
}

// wait waits, with p.mu held and held again on return, until h's state
// changes, until at (when not zero), or until ctx is done (then it
// returns ctx's error).
func (p *Polite) wait(ctx context.Context, h *politeHost, at time.Time) error {
	wake := h.wake
	p.mu.Unlock()
	var timer <-chan time.Time
	if !at.IsZero() {
		t := time.NewTimer(time.Until(at))
		defer t.Stop()
		timer = t.C
	}
	var err error
	select {
	case <-wake:
	case <-timer:
	case <-ctx.Done():
		err = ctx.Err()
	}
	p.mu.Lock()
	return err
}

// release frees a request slot, which rests for Delay first; with a
// Crawl-delay, the host's next request waits that long from now.
func (p *Polite) release(h *politeHost) {
	p.mu.Lock()
	defer p.mu.Unlock()
	h.inflight--
	now := time.Now()
	if p.opts.Delay > 0 {
		h.resting = append(h.resting, now.Add(p.opts.Delay))
	}
	if h.robots != nil && h.robots.delay > 0 {
		h.next = now.Add(h.robots.delay)
	}
	h.wakeAll()
}

// wakeAll wakes every caller waiting on h.
func (h *politeHost) wakeAll() {
	close(h.wake)
	h.wake = make(chan struct{})
}

// readRobots reads origin's robots.txt as Run does: a Crawl-delay over
// MaxCrawlDelay, or a robots.txt that could not be read, closes the host
// (with a warning). It returns nil when ctx ended the read.
func (p *Polite) readRobots(ctx context.Context, origin string, u *url.URL, fo FetchOptions) *robots {
	fo = fo.withDefaults()
	// The address guard Fetch uses: the host asked for may be on a
	// private address, a redirect of robots.txt may not lead to another.
	g := newAddrGuard(nil)
	g.allowURL(ctx, u)
	g.useEnvProxy(ctx)
	gctx := context.WithValue(ctx, guardKey{}, g)
	client := &http.Client{Transport: sharedTransport(), Timeout: fo.Timeout}
	if fo.Client != nil {
		c := *fo.Client
		client = &c
		if client.Timeout == 0 {
			client.Timeout = fo.Timeout
		}
	}
	rb, status, err := fetchRobots(gctx, client, origin, fo.UserAgent, p.opts.Retries, p.backoff)
	switch {
	case ctx.Err() != nil:
		return nil
	case err != nil:
		p.opts.Logger.Warn("robots.txt unavailable, not fetching from host for this run",
			"url", origin+"/robots.txt", "status", status, "err", err)
		return &robots{disallowAll: true, why: "robots.txt unavailable", err: err}
	case p.opts.MaxCrawlDelay > 0 && rb.delay > p.opts.MaxCrawlDelay:
		p.opts.Logger.Warn("robots.txt asks for a Crawl-delay over --max-crawl-delay, not fetching from host for this run",
			"url", origin+"/robots.txt", "delay", rb.delay, "max", p.opts.MaxCrawlDelay)
		return &robots{disallowAll: true,
			why: fmt.Sprintf("its Crawl-delay %s is over the limit of %s", rb.delay, p.opts.MaxCrawlDelay)}
	}
	return rb
}

// backoff is the wait before robots.txt retry number attempt+1, as Run
// waits: RetryBackoff doubled per attempt, with jitter between half and
// the full value, or the server's Retry-After when longer.
func (p *Polite) backoff(attempt int, retryAfter time.Duration) time.Duration {
	d := p.opts.RetryBackoff << min(attempt, 16)
	d = d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
	d = min(d, maxRetryWait)
	return max(d, retryAfter)
}

// disallowed is the error for a URL rb refuses.
func disallowed(u *url.URL, rb *robots) error {
	target := shorten(u.Redacted())
	switch {
	case rb.err != nil:
		return fmt.Errorf("fetch %s: %w (robots.txt unavailable: %v)", target, errDisallowed, rb.err)
	case rb.why != "":
		return fmt.Errorf("fetch %s: %w (%s)", target, errDisallowed, rb.why)
	}
	return fmt.Errorf("fetch %s: %w", target, errDisallowed)
}
