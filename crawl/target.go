package crawl

import (
	"net/url"
	"strings"
)

// target is what admit makes of a link, before the depth, scope, date
// and calendar checks: its cleaned URL and key, its host name (and with
// the port), and whether it looks like a crawler trap. ok is false for a
// link that names no http(s) page.
type target struct {
	url, key       string
	host, hostPort string
	trap           string // trapReason's reason, "" for none
	calendar       bool   // a calendar page (see trapReason)
	ok             bool
}

// targetOf resolves and cleans a URL and runs the trap test.
func targetOf(u *url.URL) target {
	if u == nil {
		return target{}
	}
	reason, calendar := trapReason(u)
	s, k := u.String(), key(u)
	if k == s {
		k = s // one copy: a queued entry keeps both
	}
	return target{url: s, key: k, host: u.Hostname(), hostPort: u.Host, trap: reason, calendar: calendar, ok: true}
}

// targetCacheSize is how many links one generation of the target cache
// holds. News pages repeat most of their links (menus, footers, most-read
// lists) on every page: a site has a few hundred such links, and a link
// seen again within a generation stays. Each entry costs about 400 bytes
// of heap, so two generations hold about 0.8 MB (4,096 a generation had
// added 10 MB to a crawl's peak RSS, the collector running at GOGC=200).
const targetCacheSize = 1024

// targetCache remembers the targets of links already seen, so that the
// links every page repeats are resolved once. A link is keyed by how it
// is written and the origin it is relative to: only absolute links and
// links with an absolute path are kept, whose target depends on nothing
// else. When the current generation is full it becomes the old one and
// the one before is dropped; a link found in the old generation moves
// to the current one. It is used by Run's one goroutine only.
type targetCache struct {
	cur, old map[targetKey]target
	// base and origin remember the scheme://host of the last base seen:
	// a page's links share one base.
	base   *url.URL
	origin string
}

type targetKey struct{ origin, ref string }

func newTargetCache() *targetCache {
	return &targetCache{cur: make(map[targetKey]target, targetCacheSize)}
}

// get returns l's target, from the cache when it can.
func (c *targetCache) get(l link) target {
	k, ok := c.keyOf(l)
	if !ok {
		return targetOf(l.resolve())
	}
	if t, ok := c.cur[k]; ok {
		return t
	}
	t, ok := c.old[k]
	if !ok {
		t = targetOf(l.resolve())
	}
	if len(c.cur) >= targetCacheSize {
		c.old, c.cur = c.cur, make(map[targetKey]target, targetCacheSize)
	}
	c.cur[k] = t
	return t
}

// keyOf returns the cache key of l, and false for a link whose target
// depends on more than its origin (a relative path, a query or fragment
// alone, a scheme-relative link) or that is not written in plain form.
func (c *targetCache) keyOf(l link) (targetKey, bool) {
	ref := l.ref
	switch {
	case ref == "" || ref != strings.TrimSpace(ref):
		return targetKey{}, false
	case IsURL(ref):
		return targetKey{ref: ref}, true
	case ref[0] == '/' && (len(ref) == 1 || ref[1] != '/'):
		b := l.base
		if b == nil || b.User != nil || b.Opaque != "" || b.Host == "" {
			return targetKey{}, false
		}
		if b != c.base {
			c.base, c.origin = b, b.Scheme+"://"+b.Host
		}
		return targetKey{origin: c.origin, ref: ref}, true
	}
	return targetKey{}, false
}
