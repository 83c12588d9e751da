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
