// Package crawltest serves a generated news site for the crawl tests: a
// home page, four sections with pagination, 120 articles in four
// templates, AMP copies that point at their originals, an RSS feed, a
// sitemap index with a gzipped Google News sitemap and a plain sitemap, a
// robots.txt that disallows /private/ and sets a Crawl-delay, and the bad
// pages: 404, 500, 503-then-200, 429 with Retry-After, slow, redirect
// loop, PDF, 20 MB page and an endless calendar. All page text is made up
// here.
package crawltest

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Articles is how many numbered articles the site has.
const Articles = 120

var sections = []string{"world", "business", "tech", "sports"}

// Page describes one generated article.
type Page struct {
	I        int
	Section  string
	Path     string // path on the site
	Headline string
	Date     time.Time
}

func Article(i int) Page {
	sec := sections[i%len(sections)]
	date := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC).Add(-time.Duration(i) * 7 * time.Hour)
	if i >= 110 {
		// The oldest ten: what --since 2026-01-01 skips.
		date = time.Date(2025, 6, 1+i-110, 8, 30, 0, 0, time.UTC)
	}
	words := []string{"council", "harbour", "budget", "river", "festival", "rail", "school", "market", "bridge", "orchard", "library", "stadium"}
	w1, w2 := words[i%len(words)], words[(i*7+3)%len(words)]
	return Page{
		I:        i,
		Section:  sec,
		Path:     fmt.Sprintf("/news/%s/%s/story-%03d-%s-%s-plan", sec, date.Format("2006/01/02"), i, w1, w2),
		Headline: fmt.Sprintf("Town %s weighs new %s plan in story %d", w1, w2, i),
		Date:     date,
	}
}

// Extras are article pages that are not numbered: reached only after a
// retry, a Retry-After or a slow answer.
var Extras = []string{"/news/extra/flaky-503-story", "/news/extra/rate-limited-story", "/news/extra/slow-story"}

// articleBody writes paragraphs of plain, varied text for page key.
func articleBody(key string, n int) string {
	var b strings.Builder
	subjects := []string{"Residents", "The mayor", "Local traders", "A spokesperson", "Engineers", "Volunteers", "Two councillors", "The regional office"}
	verbs := []string{"said on Tuesday that", "warned that", "told reporters that", "argued in a letter that", "confirmed that", "expect that"}
	objects := []string{"the work would start after the winter", "costs had risen by a fifth since the spring", "the plan needed another public hearing", "funding from the province was still uncertain", "the old building would be kept and repaired", "a final vote was planned for next month"}
	h := 0
	for _, c := range key {
		h = h*31 + int(c)
	}
	if h < 0 {
		h = -h
	}
	for p := range n {
		fmt.Fprintf(&b, "<p>")
		for s := range 4 {
			k := h + p*5 + s*3
			fmt.Fprintf(&b, "%s %s %s (%s, paragraph %d). ", subjects[k%len(subjects)], verbs[(k/2)%len(verbs)], objects[(k/3)%len(objects)], key, p+1)
		}
		fmt.Fprintf(&b, "</p>\n")
	}
	return b.String()
}

// articlePage renders an article in one of four templates. canonical is
// the URL the page names as canonical.
func articlePage(base, path, headline string, date time.Time, template int, canonical string) string {
	hl := html.EscapeString(headline)
	pub := date.Format(time.RFC3339)
	nav := `<nav><a href="/">Home</a> <a href="/world/">World</a> <a href="/business/">Business</a> <a href="/tech/">Tech</a> <a href="/sports/">Sports</a></nav>`
	body := articleBody(path, 6)
	related := `<aside class="related"><a href="/news/extra/slow-story">Slow story</a> <a href="/private/members-only-story">Members</a></aside>`
	switch template % 4 {
	case 0: // JSON-LD NewsArticle, byline
		return fmt.Sprintf(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%s | Fixture Gazette</title>
<link rel="canonical" href="%s">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":%q,"datePublished":%q,"author":{"@type":"Person","name":"Ana Ferreira"},"mainEntityOfPage":%q}</script>
</head><body>%s<main><article><h1>%s</h1><p class="byline">By Ana Ferreira</p><time datetime="%s">%s</time>
<div class="article-body">%s</div></article>%s</main></body></html>`, hl, canonical, headline, pub, canonical, nav, hl, pub, date.Format("January 2, 2006"), body, related)
	case 1: // og:type article, dateline
		return fmt.Sprintf(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%s - Fixture Gazette</title>
<meta property="og:type" content="article"><meta property="og:title" content="%s"><meta property="og:url" content="%s">
<meta property="article:published_time" content="%s"><meta property="og:site_name" content="Fixture Gazette">
</head><body>%s<div class="story"><h1 class="headline">%s</h1><div class="author">Staff Reporter</div>
<div class="story-body"><p>LAKEVIEW, Nov. 3 (Gazette Wire) -- The town board met again this week.</p>%s</div></div>%s</body></html>`, hl, hl, canonical, pub, nav, hl, body, related)
	case 2: // microdata, time element only
		return fmt.Sprintf(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%s</title><link rel="canonical" href="%s"></head>
<body>%s<article itemscope itemtype="https://schema.org/NewsArticle"><h1 itemprop="headline">%s</h1>
<span itemprop="author">Priya Raman</span> <time itemprop="datePublished" datetime="%s">%s</time>
<div itemprop="articleBody">%s</div></article>%s</body></html>`, hl, canonical, nav, hl, pub, date.Format("02 Jan 2006"), body, related)
	default: // plain blog-like markup with meta description
		return fmt.Sprintf(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%s</title>
<meta name="description" content="A report from the Fixture Gazette."><meta property="og:type" content="article"><link rel="canonical" href="%s">
</head><body>%s<div id="content"><h1>%s</h1><p class="meta">Posted %s by Tom Okafor</p><div class="entry-content">%s</div></div>%s</body></html>`,
			hl, canonical, nav, hl, date.Format("2006-01-02"), body, related)
	}
}

// PlainArticle renders a news article that names no canonical URL, so
// that its record is keyed by the URL it was fetched from.
func PlainArticle(path, headline string) string {
	return articleAt(path, headline, "2026-11-02T08:00:00Z")
}

// articleAt is PlainArticle published at the RFC 3339 time published.
func articleAt(path, headline, published string) string {
	hl := html.EscapeString(headline)
	return fmt.Sprintf(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%s</title>
<meta property="og:type" content="article"><meta property="article:published_time" content="%s"></head>
<body><article><h1>%s</h1><p class="byline">By Ana Ferreira</p><div class="article-body">%s</div></article></body></html>`,
		hl, html.EscapeString(published), hl, articleBody(path, 6))
}

// listPage renders an index page: a title and a list of links.
func listPage(title string, links []string, extraHead string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%s | Fixture Gazette</title>
<meta property="og:type" content="website">%s</head><body><nav><a href="/">Home</a> <a href="/world/">World</a> <a href="/business/">Business</a> <a href="/tech/">Tech</a> <a href="/sports/">Sports</a></nav>
<h1>%s</h1><ul>`, html.EscapeString(title), extraHead, html.EscapeString(title))
	for _, l := range links {
		fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a></li>\n", html.EscapeString(l), html.EscapeString(strings.Trim(l, "/")))
	}
	b.WriteString("</ul></body></html>")
	return b.String()
}

// Site is a running fixture site with a log of the requests it served.
type Site struct {
	*httptest.Server
	mu       sync.Mutex
	requests []Request
	hits     map[string]int
	active   map[string]int // requests being served, by Host
	maxConc  map[string]int // the most served at once, by Host
	// RobotsStatus, when set, answers robots.txt with these statuses in
	// turn (the last one repeating). Set it before the first request.
	RobotsStatus []int
	// CrawlDelay is robots.txt's Crawl-delay value ("0.02"). Set it
	// before the first request, or with SetCrawlDelay when the requests
	// come from another process.
	CrawlDelay string
}

// Request is one request the site served.
type Request struct {
	Path string // path and query
	At   time.Time
	UA   string
}

// New starts a site that stops when the test ends.
func New(t testing.TB) *Site {
	t.Helper()
	s := Start()
	t.Cleanup(s.Close)
	return s
}

// Start starts a site on a loopback port; the caller closes it.
func Start() *Site {
	s := &Site{hits: map[string]int{}, active: map[string]int{}, maxConc: map[string]int{}, CrawlDelay: "0.02"}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Count returns how often a path (with query) was requested.
func (s *Site) Count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// Log returns the requests served so far, in order.
func (s *Site) Log() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// SetCrawlDelay sets CrawlDelay under the site's lock: the race detector
// cannot see that a request from another process comes after a plain
// assignment.
func (s *Site) SetCrawlDelay(v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.CrawlDelay = v
}

// MaxConcurrent returns the most requests the site served at once for
// one Host (robots.txt included), over all hosts: what per-host
// politeness bounds.
func (s *Site) MaxConcurrent() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, m := range s.maxConc {
		n = max(n, m)
	}
	return n
}

func (s *Site) serve(w http.ResponseWriter, r *http.Request) {
	path := r.URL.RequestURI()
	s.mu.Lock()
	s.hits[path]++
	n := s.hits[path]
	s.requests = append(s.requests, Request{Path: path, At: time.Now(), UA: r.UserAgent()})
	s.active[r.Host]++
	s.maxConc[r.Host] = max(s.maxConc[r.Host], s.active[r.Host])
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.active[r.Host]--
		s.mu.Unlock()
	}()
	base := "http://" + r.Host
	htmlOK := func(page string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(page))
	}
	switch {
	case r.URL.Path == "/robots.txt":
		if len(s.RobotsStatus) > 0 {
			st := s.RobotsStatus[min(n-1, len(s.RobotsStatus)-1)]
			if st != 200 {
				w.WriteHeader(st)
				return
			}
		}
		s.mu.Lock()
		delay := s.CrawlDelay
		s.mu.Unlock()
		fmt.Fprintf(w, "User-agent: *\nDisallow: /private/\nCrawl-delay: %s\n\nUser-agent: BadBot\nDisallow: /\n\nSitemap: %s/sitemap_index.xml\n", delay, base)
	case r.URL.Path == "/":
		links := []string{"/world/", "/business/", "/tech/", "/sports/", "/private/", "/calendar/2026/11",
			"/broken/404", "/broken/500", Extras[0], Extras[1], Extras[2], "/loop/a", "/files/report.pdf", "/huge",
			"mailto:desk@fixture.test", "https://elsewhere.test/news/offsite-story"}
		for i := range 8 {
			a := Article(i)
			links = append(links, a.Path+"?utm_source=home&utm_medium=web#comments", "/amp"+a.Path)
		}
		htmlOK(listPage("Fixture Gazette", links, `<link rel="alternate" type="application/rss+xml" href="/feed.xml">`))
	case r.URL.Path == "/world/" || r.URL.Path == "/business/" || r.URL.Path == "/tech/" || r.URL.Path == "/sports/" ||
		strings.HasSuffix(r.URL.Path, "/page/2"):
		sec := strings.Split(strings.Trim(r.URL.Path, "/"), "/")[0]
		page2 := strings.HasSuffix(r.URL.Path, "/page/2")
		var links []string
		k := 0
		for i := range Articles {
			a := Article(i)
			if a.Section != sec {
				continue
			}
			if (k < 10) != page2 && k < 20 {
				links = append(links, a.Path)
			}
			k++
		}
		if !page2 {
			links = append(links, "/"+sec+"/page/2")
		}
		htmlOK(listPage(strings.ToUpper(sec[:1])+sec[1:]+" news", links, ""))
	case strings.HasPrefix(r.URL.Path, "/private/"):
		htmlOK(articlePage(base, r.URL.Path, "Members only story", time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), 0, base+r.URL.Path))
	case strings.HasPrefix(r.URL.Path, "/calendar/"):
		// /calendar/YYYY/MM links to the months before and after, forever.
		var y, m int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/calendar/"), "%d/%d", &y, &m)
		t := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		prev, next := t.AddDate(0, -1, 0), t.AddDate(0, 1, 0)
		htmlOK(listPage("Events "+t.Format("January 2006"), []string{prev.Format("/calendar/2006/01"), next.Format("/calendar/2006/01")}, ""))
	case r.URL.Path == "/broken/404":
		http.NotFound(w, r)
	case r.URL.Path == "/broken/500":
		http.Error(w, "boom", http.StatusInternalServerError)
	case r.URL.Path == Extras[0]: // 503, then fine
		if n == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		htmlOK(articlePage(base, r.URL.Path, "Flaky server finally answers", time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC), 0, base+r.URL.Path))
	case r.URL.Path == Extras[1]: // 429 with Retry-After, then fine
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		htmlOK(articlePage(base, r.URL.Path, "Rate limited story gets through", time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC), 1, base+r.URL.Path))
	case r.URL.Path == Extras[2]: // slow
		select {
		case <-time.After(300 * time.Millisecond):
		case <-r.Context().Done():
			return
		}
		htmlOK(articlePage(base, r.URL.Path, "Slow story arrives late", time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC), 2, base+r.URL.Path))
	case r.URL.Path == "/loop/a":
		http.Redirect(w, r, "/loop/b", http.StatusFound)
	case r.URL.Path == "/loop/b":
		http.Redirect(w, r, "/loop/a", http.StatusFound)
	case r.URL.Path == "/files/report.pdf":
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write([]byte("%PDF-1.4\n% fixture\n"))
	case r.URL.Path == "/huge":
		// 20 MB of HTML, streamed without a Content-Length.
		w.Header().Set("Content-Type", "text/html")
		chunk := []byte(strings.Repeat("<p>filler text for a very large page</p>\n", 1600))
		_, _ = w.Write([]byte("<!doctype html><html><body>"))
		for sent := 0; sent < 20<<20; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	case r.URL.Path == "/feed.xml":
		var b strings.Builder
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Fixture Gazette</title><link>%s/</link><description>Latest</description>`, base)
		for i := range 20 {
			a := Article(i)
			fmt.Fprintf(&b, "<item><title>%s</title><link>%s%s</link><pubDate>%s</pubDate></item>", html.EscapeString(a.Headline), base, a.Path, a.Date.Format(time.RFC1123Z))
		}
		b.WriteString("</channel></rss>")
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write([]byte(b.String()))
	case r.URL.Path == "/sitemap_index.xml":
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>%s/sitemaps/news.xml.gz</loc></sitemap><sitemap><loc>%s/sitemaps/pages.xml</loc><lastmod>2026-11-01</lastmod></sitemap></sitemapindex>`, base, base)
	case r.URL.Path == "/sitemaps/news.xml.gz":
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">`)
		for i := range 100 {
			a := Article(i)
			fmt.Fprintf(&b, "<url><loc>%s%s</loc><news:news><news:publication><news:name>Fixture Gazette</news:name><news:language>en</news:language></news:publication><news:publication_date>%s</news:publication_date><news:title>%s</news:title></news:news></url>\n",
				base, a.Path, a.Date.Format(time.RFC3339), html.EscapeString(a.Headline))
		}
		b.WriteString("</urlset>")
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		_, _ = zw.Write([]byte(b.String()))
		_ = zw.Close()
		w.Header().Set("Content-Type", "application/x-gzip")
		_, _ = w.Write(z.Bytes())
	case r.URL.Path == "/sitemaps/pages.xml":
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		for i := 100; i < Articles; i++ {
			a := Article(i)
			fmt.Fprintf(&b, "<url><loc>%s%s</loc><lastmod>%s</lastmod></url>\n", base, a.Path, a.Date.Format("2006-01-02"))
		}
		b.WriteString("</urlset>")
		w.Header().Set("Content-Type", "application/xml")
		_, _ = w.Write([]byte(b.String()))
	case strings.HasPrefix(r.URL.Path, "/amp/news/"):
		for i := range Articles {
			if a := Article(i); "/amp"+a.Path == r.URL.Path {
				htmlOK(articlePage(base, r.URL.Path, a.Headline, a.Date, i, base+a.Path))
				return
			}
		}
		http.NotFound(w, r)
	case strings.HasPrefix(r.URL.Path, "/news/"):
		for i := range Articles {
			if a := Article(i); a.Path == r.URL.Path {
				htmlOK(articlePage(base, r.URL.Path, a.Headline, a.Date, i, base+a.Path))
				return
			}
		}
		http.NotFound(w, r)
	default:
		http.NotFound(w, r)
	}
}

// Hits returns how often each path (with query) was requested.
func (s *Site) Hits() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.hits))
	for k, v := range s.hits {
		out[k] = v
	}
	return out
}

// WantArticles returns the paths of every article on the site dated since
// (the zero time: all), which a full crawl must emit.
func WantArticles(since time.Time) map[string]bool {
	want := map[string]bool{}
	for i := range Articles {
		if a := Article(i); since.IsZero() || !a.Date.Before(since) {
			want[a.Path] = true
		}
	}
	for _, p := range Extras {
		want[p] = true
	}
	return want
}
