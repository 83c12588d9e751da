package crawltest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Newsroom is a small site that publishes while it is crawled: a home
// page that links a section front (/world/) and two RSS feeds
// (/feed.xml, /other.xml), each listing articles at /a/NAME. Every page
// carries an ETag and answers a matching If-None-Match with 304 Not
// Modified, but for /other.xml, which carries a Last-Modified and
// answers an If-Modified-Since not before it with 304. Publish adds an article to a page; Hits tells how often a
// path was requested, and with which status; Hold keeps article requests
// waiting.
type Newsroom struct {
	*httptest.Server
	mu     sync.Mutex
	lists  map[string][]string // page path -> article names, newest last
	hits   map[string]int
	status map[string][]int
	held   chan struct{} // closed by the release of Hold; nil: not held
	// published is when each article was published; revised counts
	// its revisions (Revise).
	published map[string]time.Time
	revised   map[string]int
	failing   map[string]bool // paths answering 500
}

// NewNewsroom starts a Newsroom with one article on the home page, on
// the section front and in each feed, and closes it when the test ends.
func NewNewsroom(t testing.TB) *Newsroom {
	t.Helper()
	n := &Newsroom{
		lists: map[string][]string{
			"/":          {"home-1"},
			"/world/":    {"world-1"},
			"/feed.xml":  {"feed-1"},
			"/other.xml": {"other-1"},
		},
		hits:      map[string]int{},
		status:    map[string][]int{},
		published: map[string]time.Time{},
		revised:   map[string]int{},
		failing:   map[string]bool{},
	}
	for _, l := range n.lists {
		n.published[l[0]] = time.Now()
	}
	n.Server = httptest.NewServer(http.HandlerFunc(n.serve))
	t.Cleanup(n.Close)
	return n
}

// Publish adds the article name to the page at path ("/", "/world/",
// "/feed.xml" or "/other.xml") and returns its URL.
func (n *Newsroom) Publish(path, name string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.lists[path] = append(n.lists[path], name)
	n.published[name] = time.Now()
	return n.URL + "/a/" + name
}

// Revise changes the headline of the article name, as an update to a
// story does.
func (n *Newsroom) Revise(name string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.revised[name]++
}

// Hold makes requests for articles wait, counted, until release is
// called; the sources keep answering. release may be called more than
// once.
func (n *Newsroom) Hold() (release func()) {
	n.mu.Lock()
	defer n.mu.Unlock()
	held := make(chan struct{})
	n.held = held
	var once sync.Once
	return func() {
		once.Do(func() {
			n.mu.Lock()
			n.held = nil
			n.mu.Unlock()
			close(held)
		})
	}
}

// Fail makes path answer 500 Internal Server Error, or, with broken
// false, answer again.
func (n *Newsroom) Fail(path string, broken bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.failing[path] = broken
}

// Hits returns how many requests path received.
func (n *Newsroom) Hits(path string) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.hits[path]
}

// Statuses returns the statuses path was answered with, in order.
func (n *Newsroom) Statuses(path string) []int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]int(nil), n.status[path]...)
}

// ArticleHits returns the requests for articles, by path.
func (n *Newsroom) ArticleHits() map[string]int {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := map[string]int{}
	for p, c := range n.hits {
		if strings.HasPrefix(p, "/a/") {
			out[p] = c
		}
	}
	return out
}

// Reset forgets the requests counted so far.
func (n *Newsroom) Reset() {
	n.mu.Lock()
	defer n.mu.Unlock()
	clear(n.hits)
	clear(n.status)
}

func (n *Newsroom) serve(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	n.mu.Lock()
	n.hits[p]++
	if held := n.held; held != nil && strings.HasPrefix(p, "/a/") {
		n.mu.Unlock()
		select {
		case <-held:
		case <-r.Context().Done():
			return
		}
		n.mu.Lock()
	}
	defer n.mu.Unlock()
	if n.failing[p] {
		n.status[p] = append(n.status[p], http.StatusInternalServerError)
		http.Error(w, "broken", http.StatusInternalServerError)
		return
	}
	body, ctype := n.page(p)
	if body == "" {
		n.status[p] = append(n.status[p], http.StatusNotFound)
		http.NotFound(w, r)
		return
	}
	if p == "/other.xml" {
		// Validated by date alone: one second later per article listed.
		mod := time.Date(2026, 1, 1, 0, 0, len(n.lists[p]), 0, time.UTC)
		w.Header().Set("Last-Modified", mod.Format(http.TimeFormat))
		if since, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && !mod.After(since) {
			n.status[p] = append(n.status[p], http.StatusNotModified)
			w.WriteHeader(http.StatusNotModified)
			return
		}
	} else {
		sum := sha256.Sum256([]byte(body))
		etag := `"` + hex.EncodeToString(sum[:8]) + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			n.status[p] = append(n.status[p], http.StatusNotModified)
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	n.status[p] = append(n.status[p], http.StatusOK)
	w.Header().Set("Content-Type", ctype)
	fmt.Fprint(w, body)
}

// page renders path; "" when there is none. n.mu is held.
func (n *Newsroom) page(p string) (body, ctype string) {
	switch {
	case p == "/robots.txt":
		return "User-agent: *\nAllow: /\n", "text/plain"
	case p == "/feed.xml" || p == "/other.xml":
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Newsroom</title>`)
		for _, a := range n.lists[p] {
			fmt.Fprintf(&b, "<item><title>%s</title><link>%s/a/%s</link></item>", a, n.URL, a)
		}
		b.WriteString("</channel></rss>")
		return b.String(), "application/rss+xml"
	case p == "/" || p == "/world/":
		links := []string{}
		head := ""
		if p == "/" {
			links = append(links, "/world/")
			head = `<link rel="alternate" type="application/rss+xml" href="/feed.xml"><link rel="alternate" type="application/rss+xml" href="/other.xml">`
		}
		for _, a := range n.lists[p] {
			links = append(links, "/a/"+a)
		}
		return listPage("Newsroom "+p, links, head), "text/html; charset=utf-8"
	case strings.HasPrefix(p, "/a/"):
		name := strings.TrimPrefix(p, "/a/")
		for _, l := range n.lists {
			for _, a := range l {
				if a == name {
					headline := "Newsroom reports on " + name
					if v := n.revised[name]; v > 0 {
						headline += fmt.Sprintf(" (update %d)", v)
					}
					return articleAt(p, headline, n.published[name].UTC().Format(time.RFC3339)), "text/html; charset=utf-8"
				}
			}
		}
	}
	return "", ""
}
