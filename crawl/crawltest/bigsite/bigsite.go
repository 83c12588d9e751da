// Package bigsite serves a generated news site of any size for crawl
// benchmarks and soak tests: N article pages of 20-60 KB each, with the
// navigation, scripts and footer of a real news page around varied,
// made-up text, reached from a home page through section fronts and
// numbered pagination (home → section → page N → article, so a crawl
// needs depth 3). A share of the articles can be faulty (404, 500,
// 503-then-200, 429 with Retry-After, slow, truncated or reset bodies,
// binary served as HTML, broken markup, a page over the size cap,
// redirects to a private address, a bad scheme or a new location), and
// each fault kind says whether the article must still be emitted.
//
// Pages are rendered on request from the article number alone; nothing
// is held per page except the request counts of faulty pages, which the
// retry faults need. The package knows nothing of package crawl.
package bigsite

import (
	"fmt"
	"html"
	"math/rand/v2"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault is what is wrong with a faulty article page.
type Fault int

// The fault kinds. Emitted reports which ones a crawl must still emit.
const (
	None         Fault = iota
	NotFound           // 404, always
	ServerError        // 500, always
	Flaky503           // 503 on the first request, then the page
	RateLimited        // 429 with Retry-After: 1 on the first request, then the page
	Slow               // the page, after SlowDelay
	Truncated          // Content-Length of the whole page, half of it sent, connection closed; always
	ResetOnce          // connection reset (RST) on the first request, then the page
	Binary             // binary bytes served as text/html
	BrokenHTML         // the page with unclosed, misnested and stray markup
	Huge               // 12 MB of HTML without a Content-Length, over the 10 MB default cap
	PrivateRedir       // 302 to a private address (10.x)
	SchemeRedir        // 302 to an ftp:// URL
	Moved              // 301 to the article's new URL, which serves the page
	numFaults
)

var faultNames = [...]string{"none", "404", "500", "503-then-200", "429-retry-after", "slow",
	"truncated", "reset-once", "binary-as-html", "broken-html", "huge", "redirect-private",
	"redirect-scheme", "moved-301"}

func (f Fault) String() string {
	if f >= 0 && int(f) < len(faultNames) {
		return faultNames[f]
	}
	return "fault(" + strconv.Itoa(int(f)) + ")"
}

// Emitted reports whether an article with this fault must be in a
// crawl's output: the page is served in the end (after a retry, a wait or
// a redirect) or its markup, though broken, holds the article.
func (f Fault) Emitted() bool {
	switch f {
	case None, Flaky503, RateLimited, Slow, ResetOnce, BrokenHTML, Moved:
		return true
	}
	return false
}

// Faults lists the fault kinds, None excluded.
func Faults() []Fault {
	out := make([]Fault, 0, numFaults-1)
	for f := Fault(1); f < numFaults; f++ {
		out = append(out, f)
	}
	return out
}

// SlowDelay is how long a Slow page takes to answer.
const SlowDelay = time.Second

// HugeSize is the body size of a Huge page.
const HugeSize = 12 << 20

// perPage is how many articles an index page lists; sections are sized so
// that none has more than 25 pages (crawl follows /page/N up to 30).
const perPage = 80

// Options configure a site.
type Options struct {
	// Articles is the number of article pages (N).
	Articles int
	// FaultRate is the share of articles that are faulty, 0 to 1; the
	// kinds are spread evenly over the faulty ones.
	FaultRate float64
	// AMP gives every tenth healthy article an AMP copy, linked from its
	// index page, whose canonical link names the original: a duplicate a
	// crawl must not emit twice.
	AMP bool
	// Seed varies the text; the same seed gives the same site.
	Seed uint64
}

// Site is a generated site. Its methods are safe for concurrent use.
type Site struct {
	opts     Options
	sections []string
	mu       sync.Mutex
	hits     map[int]int // requests per faulty article, for the retry faults
}

// New returns the site for opts.
func New(opts Options) *Site {
	s := &Site{opts: opts, hits: map[int]int{}}
	n := max(8, (opts.Articles+perPage*25-1)/(perPage*25))
	for i := range n {
		s.sections = append(s.sections, sectionName(i))
	}
	return s
}

var baseSections = []string{"world", "politics", "business", "tech", "science", "health", "sports", "culture",
	"climate", "education", "travel", "food", "opinion", "local", "money", "autos"}

func sectionName(i int) string {
	if i < len(baseSections) {
		return baseSections[i]
	}
	return fmt.Sprintf("%s-%d", baseSections[i%len(baseSections)], i/len(baseSections))
}

// Reset forgets the request counts, so that the retry faults fail once
// more: call it between crawls of the same running site.
func (s *Site) Reset() {
	s.mu.Lock()
	s.hits = map[int]int{}
	s.mu.Unlock()
}

// Len returns the number of articles.
func (s *Site) Len() int { return s.opts.Articles }

// Sections returns the section names.
func (s *Site) Sections() []string { return s.sections }

// Fault returns article i's fault. Faults are spread over the articles by
// a hash, so they are not bunched on one index page.
func (s *Site) Fault(i int) Fault {
	if s.opts.FaultRate <= 0 || i < 0 || i >= s.opts.Articles {
		return None
	}
	h := mix(uint64(i) ^ s.opts.Seed*0x9e3779b97f4a7c15)
	if float64(h%1_000_000) >= s.opts.FaultRate*1_000_000 {
		return None
	}
	return Fault(1 + (h/1_000_000)%uint64(numFaults-1))
}

func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb93e2a8b3d97
	x ^= x >> 33
	return x
}

// Article describes article i.
type Article struct {
	I        int
	Section  string
	Path     string // path on the site
	Headline string
	Author   string
	Date     time.Time
}

var idRE = regexp.MustCompile(`-(\d{7})\.html$`)

// ID returns the article number in a URL or path of an article, its AMP
// copy or its moved location, or -1.
func ID(path string) int {
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	m := idRE.FindStringSubmatch(path)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// Article returns article i's description.
func (s *Site) Article(i int) Article {
	r := s.rng(i, 0)
	sec := s.sections[i%len(s.sections)]
	date := time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC).Add(-time.Duration(i) * 7 * time.Minute)
	w1, w2, w3 := pick(r, nouns), pick(r, nouns), pick(r, places)
	head := fmt.Sprintf("%s %s %s %s as %s %s", pick(r, headSubjects), pick(r, headVerbs), w1, pick(r, headObjects), w2, pick(r, headTails))
	head = strings.ToUpper(head[:1]) + head[1:]
	slug := strings.ReplaceAll(strings.ToLower(w3+"-"+w1+"-"+w2), " ", "-")
	return Article{
		I:        i,
		Section:  sec,
		Path:     fmt.Sprintf("/%s/%s/%s-%07d.html", sec, date.Format("2006/01/02"), slug, i),
		Headline: head,
		Author:   pick(r, firstNames) + " " + pick(r, lastNames),
		Date:     date,
	}
}

// Expected reports whether article i must be in a crawl's output.
func (s *Site) Expected(i int) bool { return s.Fault(i).Emitted() }

func (s *Site) rng(i int, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(s.opts.Seed+uint64(i)*0x9e3779b97f4a7c15, stream))
}

func pick(r *rand.Rand, words []string) string { return words[r.IntN(len(words))] }

// sectionArticles returns how many articles section k has.
func (s *Site) sectionArticles(k int) int {
	n := len(s.sections)
	if k >= s.opts.Articles {
		return 0
	}
	return (s.opts.Articles - k + n - 1) / n
}

// sectionPages returns how many index pages section k has.
func (s *Site) sectionPages(k int) int {
	return max(1, (s.sectionArticles(k)+perPage-1)/perPage)
}

// ServeHTTP serves the site.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/":
		s.serveHTML(w, s.home())
	case p == "/robots.txt":
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "User-agent: *\nDisallow: /search\n")
	case p == "/about/" || p == "/contact/" || p == "/newsletters/" || p == "/podcasts/":
		s.serveHTML(w, s.plainPage(strings.Trim(p, "/")))
	case strings.HasPrefix(p, "/topics/") && strings.Count(p, "/") == 2:
		s.serveHTML(w, s.topicPage(strings.TrimPrefix(p, "/topics/")))
	case strings.HasPrefix(p, "/amp/"):
		i := ID(p)
		if i < 0 || i >= s.opts.Articles || s.Fault(i) != None || !s.opts.AMP {
			http.NotFound(w, r)
			return
		}
		a := s.Article(i)
		s.serveHTML(w, s.articlePage(a, "http://"+r.Host+a.Path, true))
	case strings.HasPrefix(p, "/moved/"):
		i := ID(p)
		if i < 0 || i >= s.opts.Articles || s.Fault(i) != Moved {
			http.NotFound(w, r)
			return
		}
		s.serveHTML(w, s.articlePage(s.Article(i), "http://"+r.Host+p, false))
	case strings.HasSuffix(p, ".html"):
		s.serveArticle(w, r)
	default:
		sec, page, ok := s.indexPath(p)
		if !ok {
			http.NotFound(w, r)
			return
		}
		s.serveHTML(w, s.indexPage(sec, page))
	}
}

// indexPath parses /SECTION/ and /SECTION/page/N.
func (s *Site) indexPath(p string) (sec, page int, ok bool) {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	sec = -1
	for k, name := range s.sections {
		if parts[0] == name {
			sec = k
		}
	}
	switch {
	case sec < 0:
		return 0, 0, false
	case len(parts) == 1:
		return sec, 1, true
	case len(parts) == 3 && parts[1] == "page":
		n, err := strconv.Atoi(parts[2])
		if err != nil || n < 2 || n > s.sectionPages(sec) {
			return 0, 0, false
		}
		return sec, n, true
	}
	return 0, 0, false
}

func (s *Site) serveHTML(w http.ResponseWriter, page string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(page)))
	_, _ = w.Write([]byte(page))
}

func (s *Site) serveArticle(w http.ResponseWriter, r *http.Request) {
	i := ID(r.URL.Path)
	if i < 0 || i >= s.opts.Articles {
		http.NotFound(w, r)
		return
	}
	a := s.Article(i)
	if a.Path != r.URL.Path {
		http.NotFound(w, r)
		return
	}
	base := "http://" + r.Host
	f := s.Fault(i)
	n := 0
	if f != None {
		s.mu.Lock()
		s.hits[i]++
		n = s.hits[i]
		s.mu.Unlock()
	}
	switch f {
	case NotFound:
		http.NotFound(w, r)
	case ServerError:
		http.Error(w, "internal server error", http.StatusInternalServerError)
	case Flaky503:
		if n == 1 {
			http.Error(w, "service unavailable", http.StatusServiceUnavailable)
			return
		}
		s.serveHTML(w, s.articlePage(a, base+a.Path, false))
	case RateLimited:
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "too many requests", http.StatusTooManyRequests)
			return
		}
		s.serveHTML(w, s.articlePage(a, base+a.Path, false))
	case Slow:
		select {
		case <-time.After(SlowDelay):
		case <-r.Context().Done():
			return
		}
		s.serveHTML(w, s.articlePage(a, base+a.Path, false))
	case Truncated:
		page := s.articlePage(a, base+a.Path, false)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(page)))
		_, _ = w.Write([]byte(page[:len(page)/2]))
		// Returning with fewer bytes than announced makes net/http close
		// the connection: the client reads an unexpected EOF.
	case ResetOnce:
		if n == 1 {
			reset(w)
			return
		}
		s.serveHTML(w, s.articlePage(a, base+a.Path, false))
	case Binary:
		r := s.rng(i, 7)
		b := make([]byte, 24<<10)
		for k := range b {
			b[k] = byte(r.Uint32())
		}
		copy(b, "\x89PNG\r\n\x1a\n")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(b)
	case BrokenHTML:
		s.serveHTML(w, breakMarkup(s.articlePage(a, base+a.Path, false)))
	case Huge:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		chunk := []byte(strings.Repeat("<p>Archive filler text that goes on and on and on.</p>\n", 600))
		_, _ = w.Write([]byte("<!doctype html><html><head><title>" + html.EscapeString(a.Headline) + "</title></head><body>"))
		for sent := 0; sent < HugeSize; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	case PrivateRedir:
		http.Redirect(w, r, fmt.Sprintf("http://10.%d.%d.7/internal%s", i%250, (i/250)%250, a.Path), http.StatusFound)
	case SchemeRedir:
		http.Redirect(w, r, "ftp://files.example.net/pub"+a.Path, http.StatusFound)
	case Moved:
		http.Redirect(w, r, s.movedPath(a), http.StatusMovedPermanently)
	default:
		s.serveHTML(w, s.articlePage(a, base+a.Path, false))
	}
}

func (s *Site) movedPath(a Article) string {
	return fmt.Sprintf("/moved/%s/story-%07d.html", a.Section, a.I)
}

// reset closes the request's connection with a TCP reset.
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	c, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}

// breakMarkup damages a page the way sloppy templates do: closing tags
// dropped, a stray '<', an unclosed <b>, misnested inline tags, and no
// </body></html>.
func breakMarkup(page string) string {
	page = strings.ReplaceAll(page, "</p>", "")
	page = strings.Replace(page, "<div class=\"story-body\">", "<div class=\"story-body\"><b>Update < 5 min ago<i>", 1)
	page = strings.Replace(page, "</nav>", "</div></span></nav", 1)
	page = strings.ReplaceAll(page, "</li>", "")
	page = strings.TrimSuffix(page, "</body></html>")
	return page
}

// Render returns article i's page as served when healthy, for an
// extract-only run over the same pages; base is the site's URL
// ("http://127.0.0.1:8080").
func (s *Site) Render(i int, base string) []byte {
	a := s.Article(i)
	return []byte(s.articlePage(a, base+a.Path, false))
}

// URLs returns the URL of every article, in order; base as for Render.
func (s *Site) URLs(base string) []string {
	out := make([]string, s.opts.Articles)
	for i := range out {
		out[i] = base + s.Article(i).Path
	}
	return out
}
