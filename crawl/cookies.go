package crawl

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Cookie bounds: a site that sets a new cookie with every response must
// not grow every later request until the server refuses it (431), nor
// the crawler's memory.
const (
	// maxCookiesPerHost is how many cookies a host keeps; RFC 6265 asks
	// a browser to keep at least 50.
	maxCookiesPerHost = 50
	// maxCookieBytes bounds a host's cookies as sent in one Cookie
	// header (names, values and separators), well under the 8 KB a
	// request line or header commonly may take.
	maxCookieBytes = 4096
	// maxCookieHosts is how many hosts keep cookies at once.
	maxCookieHosts = 1024
)

// cookieJar is the crawl's http.CookieJar. Cookies are kept per host
// name, as host-only cookies: a Domain attribute does not share them
// with other hosts. A host keeps at most maxCookiesPerHost cookies and
// maxCookieBytes of them, the oldest dropped first, and a cookie larger
// than that alone is ignored; at most maxCookieHosts hosts keep cookies,
// the one that set a cookie least recently dropped first. Path, Secure,
// Expires and Max-Age are honoured. It is safe for concurrent use.
type cookieJar struct {
	mu    sync.Mutex
	hosts map[string]*hostCookies
	tick  uint64 // counts SetCookies calls, for the host order
	now   func() time.Time
}

// hostCookies are one host's cookies, oldest first.
type hostCookies struct {
	cookies []jarCookie
	bytes   int    // sum of the cookies' sizes
	lastSet uint64 // cookieJar.tick when a cookie was last set
}

type jarCookie struct {
	name, value, path string
	secure            bool
	expires           time.Time // zero: a session cookie
}

// size is what the cookie adds to a Cookie header: "name=value; ".
func (c jarCookie) size() int { return len(c.name) + len(c.value) + 3 }

func newCookieJar() *cookieJar {
	return &cookieJar{hosts: map[string]*hostCookies{}, now: time.Now}
}

// SetCookies implements http.CookieJar.
func (j *cookieJar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	host := strings.ToLower(u.Hostname())
	if host == "" || len(cookies) == 0 {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	now := j.now()
	j.tick++
	h := j.hosts[host]
	if h == nil {
		if len(j.hosts) >= maxCookieHosts {
			j.dropLeastRecent()
		}
		h = &hostCookies{}
		j.hosts[host] = h
	}
	h.lastSet = j.tick
	for _, c := range cookies {
		if c.Name == "" {
			continue
		}
		jc := jarCookie{name: c.Name, value: c.Value, path: c.Path, secure: c.Secure}
		if jc.path == "" || jc.path[0] != '/' {
			jc.path = defaultCookiePath(u.Path)
		}
		h.remove(jc.name, jc.path)
		switch {
		case c.MaxAge < 0:
			continue // deleted
		case c.MaxAge > 0:
			jc.expires = now.Add(time.Duration(c.MaxAge) * time.Second)
		case !c.Expires.IsZero():
			if !c.Expires.After(now) {
				continue // deleted
			}
			jc.expires = c.Expires
		}
		if jc.size() > maxCookieBytes {
			continue
		}
		h.cookies = append(h.cookies, jc)
		h.bytes += jc.size()
		for len(h.cookies) > maxCookiesPerHost || h.bytes > maxCookieBytes {
			h.bytes -= h.cookies[0].size()
			h.cookies = h.cookies[1:]
		}
	}
	if len(h.cookies) == 0 {
		delete(j.hosts, host)
	}
}

// Cookies implements http.CookieJar.
func (j *cookieJar) Cookies(u *url.URL) []*http.Cookie {
	host := strings.ToLower(u.Hostname())
	j.mu.Lock()
	defer j.mu.Unlock()
	h := j.hosts[host]
	if h == nil {
		return nil
	}
	now := j.now()
	path := u.Path
	if path == "" {
		path = "/"
	}
	var out []*http.Cookie
	keep := h.cookies[:0]
	for _, c := range h.cookies {
		if !c.expires.IsZero() && !c.expires.After(now) {
			h.bytes -= c.size()
			continue
		}
		keep = append(keep, c)
		if (c.secure && u.Scheme != "https") || !pathMatch(path, c.path) {
			continue
		}
		out = append(out, &http.Cookie{Name: c.name, Value: c.value})
	}
	clear(h.cookies[len(keep):])
	h.cookies = keep
	if len(h.cookies) == 0 {
		delete(j.hosts, host)
	}
	return out
}

// forget drops host's cookies.
func (j *cookieJar) forget(host string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	delete(j.hosts, strings.ToLower(host))
}

// dropLeastRecent drops the cookies of the host that set one least
// recently.
func (j *cookieJar) dropLeastRecent() {
	var oldest string
	var at uint64
	for host, h := range j.hosts {
		if oldest == "" || h.lastSet < at {
			oldest, at = host, h.lastSet
		}
	}
	delete(j.hosts, oldest)
}

// remove drops the cookie with this name and path, if there is one.
func (h *hostCookies) remove(name, path string) {
	for i, c := range h.cookies {
		if c.name == name && c.path == path {
			h.bytes -= c.size()
			h.cookies = append(h.cookies[:i], h.cookies[i+1:]...)
			return
		}
	}
}

// defaultCookiePath is a cookie's path when it names none (RFC 6265
// 5.1.4): the request path up to its last slash, or "/".
func defaultCookiePath(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return "/"
	}
	return p[:i]
}

// pathMatch reports whether a request path is within a cookie path
// (RFC 6265 5.1.4).
func pathMatch(reqPath, cookiePath string) bool {
	switch {
	case reqPath == cookiePath:
		return true
	case !strings.HasPrefix(reqPath, cookiePath):
		return false
	}
	return strings.HasSuffix(cookiePath, "/") || reqPath[len(cookiePath)] == '/'
}
