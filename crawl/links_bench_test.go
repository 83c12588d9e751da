package crawl

import (
	"net/url"
	"testing"

	"github.com/newsx/newsx/crawl/crawltest/bigsite"
	"github.com/newsx/newsx/extract"
)

// BenchmarkPageWork times, on generated article pages, the two passes
// Run makes over every HTML page: extracting the article and
// tokenizing the page again for its links.
func BenchmarkPageWork(b *testing.B) {
	site := bigsite.New(bigsite.Options{Articles: 64, Seed: 1})
	base := "http://127.0.0.1:8080"
	pages := make([][]byte, site.Len())
	urls := make([]*url.URL, site.Len())
	size := 0
	for i := range pages {
		pages[i] = site.Render(i, base)
		urls[i], _ = url.Parse(base + site.Article(i).Path)
		size += len(pages[i])
	}
	b.Run("extract", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(size / len(pages)))
		i := 0
		for b.Loop() {
			if _, err := extract.FromBytes(pages[i%len(pages)], urls[i%len(pages)], extract.Options{ContentType: "text/html; charset=utf-8"}); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("pageLinks", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(size / len(pages)))
		i := 0
		for b.Loop() {
			if len(pageLinks(pages[i%len(pages)], urls[i%len(pages)])) == 0 {
				b.Fatal("no links")
			}
			i++
		}
	})
}

// BenchmarkLinks times what Run does with the links of one page after
// extract has parsed it: the collector takes each link element, and
// admit turns each link into a frontier entry (or drops it). The link
// elements are gathered up front, so tokenizing is not timed.
func BenchmarkLinks(b *testing.B) {
	site := bigsite.New(bigsite.Options{Articles: 64, Seed: 1})
	base := "http://127.0.0.1:8080"
	type elem struct{ tag, href, rel, typ string }
	pages := make([][]elem, site.Len())
	urls := make([]*url.URL, site.Len())
	links := 0
	for i := range pages {
		urls[i], _ = url.Parse(base + site.Article(i).Path)
		_, err := extract.FromBytes(site.Render(i, base), urls[i], extract.Options{Links: func(tag, href, rel, typ string) {
			pages[i] = append(pages[i], elem{tag, href, rel, typ})
		}})
		if err != nil {
			b.Fatal(err)
		}
		links += len(pages[i])
	}
	r := newRunner(Config{Depth: 3, Domains: []string{"127.0.0.1"}, Store: NewMemoryStore()}, nil)
	b.ReportAllocs()
	i, found := 0, 0
	for b.Loop() {
		p := i % len(pages)
		c := newLinkCollector(urls[p])
		for _, e := range pages[p] {
			c.add(e.tag, e.href, e.rel, e.typ)
		}
		for _, l := range c.out {
			if r.admit(l, 1, KindPage) != nil {
				found++
			}
		}
		i++
	}
	if found == 0 {
		b.Fatal("no link admitted")
	}
	b.ReportMetric(float64(links)/float64(len(pages)), "links/page")
}
