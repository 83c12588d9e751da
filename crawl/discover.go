package crawl

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
)

// contentKind is what a fetched body turned out to be, judged by its bytes.
type contentKind int

const (
	kindHTML contentKind = iota
	kindFeed
	kindSitemap
	kindSitemapIndex
)

func (k contentKind) String() string {
	switch k {
	case kindFeed:
		return "feed"
	case kindSitemap:
		return "sitemap"
	case kindSitemapIndex:
		return "sitemap index"
	}
	return "page"
}

// isGzip reports whether b starts with the gzip magic number.
func isGzip(b []byte) bool { return len(b) > 2 && b[0] == 0x1f && b[1] == 0x8b }

// gunzip decompresses b, failing with ErrTooLarge past max bytes.
func gunzip(b []byte, max int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return readAllCapped(zr, max)
}

// sniffKind tells a feed or a sitemap from an HTML page by the name of the
// first element in body.
func sniffKind(body []byte) contentKind {
	b := body
	if len(b) > 4096 {
		b = b[:4096]
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		if len(b) < 2 || b[0] != '<' {
			return kindHTML
		}
		switch {
		case bytes.HasPrefix(b, []byte("<?")):
			i := bytes.Index(b, []byte("?>"))
			if i < 0 {
				return kindHTML
			}
			b = b[i+2:]
			continue
		case bytes.HasPrefix(b, []byte("<!--")):
			i := bytes.Index(b, []byte("-->"))
			if i < 0 {
				return kindHTML
			}
			b = b[i+3:]
			continue
		case b[1] == '!':
			i := bytes.IndexByte(b, '>')
			if i < 0 {
				return kindHTML
			}
			b = b[i+1:]
			continue
		}
		end := bytes.IndexAny(b[1:], " \t\r\n/>")
		if end < 0 {
			return kindHTML
		}
		name := strings.ToLower(string(b[1 : end+1]))
		if i := strings.IndexByte(name, ':'); i >= 0 {
			name = name[i+1:]
		}
		switch name {
		case "rss", "feed", "rdf":
			return kindFeed
		case "urlset":
			return kindSitemap
		case "sitemapindex":
			return kindSitemapIndex
		}
		return kindHTML
	}
}

// link is a URL found in a page, feed or sitemap, as written there. It
// is resolved against base only when Run may follow it (admit), so the
// links of a page at the depth limit cost nothing. date is the entry's
// publication or modification time from a feed or sitemap, zero when
// unknown.
type link struct {
	base *url.URL // what ref is relative to: the page, its <base>, the feed or sitemap
	ref  string
	date time.Time
	feed bool // a <link rel="alternate"> feed: no hop
}

// resolve returns the link's absolute URL cleaned by cleanURL, or nil
// when it names no http(s) page. An empty link or a fragment alone names
// the document, which under <base href> is the base, as a browser
// follows it.
func (l link) resolve() *url.URL {
	if r := strings.TrimSpace(l.ref); (r == "" || r[0] == '#') && l.base != nil {
		return cleanURL(nil, l.base.String())
	}
	return cleanURL(l.base, l.ref)
}

// pageLinks returns the links of an HTML page: <a href> and <area href>,
// and feeds announced with <link rel="alternate">, each with the page URL
// or its <base href> to resolve it against. Run takes them from
// extract's parse of the page (extract.Options.Links); pageLinks
// tokenizes the page itself, for a page extract could not parse.
func pageLinks(body []byte, pageURL *url.URL) []link {
	c := newLinkCollector(pageURL)
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return c.out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		a := atom.Lookup(name)
		if !hasAttr || (a != atom.A && a != atom.Area && a != atom.Link && a != atom.Base) {
			continue
		}
		var href, rel, typ string
		for {
			k, v, more := z.TagAttr()
			switch string(k) {
			case "href":
				href = string(v)
			case "rel":
				rel = string(v)
			case "type":
				typ = string(v)
			}
			if !more {
				break
			}
		}
		c.add(a.String(), href, rel, typ)
	}
}

// linkCollector gathers a page's links from its link elements, in
// document order.
type linkCollector struct {
	page, base *url.URL
	out        []link
}

func newLinkCollector(pageURL *url.URL) *linkCollector {
	return &linkCollector{page: pageURL, base: pageURL}
}

// add takes one <a>, <area>, <link> or <base> element (tag in lower case)
// with its href, rel and type attributes; it has the signature of
// extract.Options.Links.
func (c *linkCollector) add(tag, href, rel, typ string) {
	rel, typ = strings.ToLower(rel), strings.ToLower(typ)
	switch tag {
	case "base":
		if u, err := c.page.Parse(strings.TrimSpace(href)); err == nil && href != "" {
			c.base = u
		}
	case "link":
		if hasWord(rel, "alternate") && (strings.Contains(typ, "rss") || strings.Contains(typ, "atom")) {
			c.out = append(c.out, link{base: c.base, ref: href, feed: true})
		} else if hasWord(rel, "next") {
			c.out = append(c.out, link{base: c.base, ref: href})
		}
	case "a", "area":
		if hasWord(rel, "nofollow") {
			return
		}
		c.out = append(c.out, link{base: c.base, ref: href})
	}
}

func hasWord(list, word string) bool {
	for _, w := range strings.Fields(list) {
		if w == word {
			return true
		}
	}
	return false
}

// feedLinks returns the entries of an RSS, Atom or RDF feed with their
// publication (else update) times.
func feedLinks(body []byte, feedURL *url.URL) ([]link, error) {
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse feed: %w", err)
	}
	out := make([]link, 0, len(f.Items))
	for _, it := range f.Items {
		href := it.Link
		if href == "" && len(it.Links) > 0 {
			href = it.Links[0]
		}
		if href == "" {
			continue
		}
		l := link{base: feedURL, ref: href}
		switch {
		case it.PublishedParsed != nil:
			l.date = *it.PublishedParsed
		case it.UpdatedParsed != nil:
			l.date = *it.UpdatedParsed
		}
		out = append(out, l)
	}
	return out, nil
}

// sitemapXML covers both <urlset> and <sitemapindex>, with the Google News
// extension (news:news/news:publication_date, news:title).
type sitemapXML struct {
	URLs []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
		News    struct {
			PublicationDate string `xml:"publication_date"`
			Title           string `xml:"title"`
		} `xml:"news"`
	} `xml:"url"`
	Sitemaps []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"sitemap"`
}

// sitemapLinks returns the page URLs of a sitemap, or the child sitemaps
// of a sitemap index, with their dates (news:publication_date, else
// lastmod).
func sitemapLinks(body []byte, sitemapURL *url.URL) ([]link, error) {
	var sm sitemapXML
	d := xml.NewDecoder(bytes.NewReader(body))
	d.CharsetReader = charset.NewReaderLabel
	d.Strict = false
	if err := d.Decode(&sm); err != nil && err != io.EOF {
		return nil, fmt.Errorf("parse sitemap: %w", err)
	}
	out := make([]link, 0, len(sm.URLs)+len(sm.Sitemaps))
	for _, u := range sm.URLs {
		date := w3cDate(u.News.PublicationDate)
		if date.IsZero() {
			date = w3cDate(u.LastMod)
		}
		out = append(out, link{base: sitemapURL, ref: u.Loc, date: date})
	}
	for _, s := range sm.Sitemaps {
		out = append(out, link{base: sitemapURL, ref: s.Loc, date: w3cDate(s.LastMod)})
	}
	return out, nil
}

// w3cDate parses the W3C datetime profile sitemaps use; zero when s is
// empty or unparsable.
func w3cDate(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
