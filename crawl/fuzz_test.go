package crawl

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzNormalize: Normalize never panics, is idempotent, and gives either
// "" or an absolute http(s) URL without a fragment or tracking parameter.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"https://Example.COM:443/a/b/?utm_source=x&b=2&a=1#frag", "http://example.com:80", "https://x.test/%7Euser/",
		"javascript:alert(1)", "//example.com/a", "https://[::1]:8080/a?fbclid=1", "https://example.com/a;jsessionid=ABC?x=1",
		"http://user:pass@example.com/", "https://example.com/" + strings.Repeat("a/", 200), "https://xn--bcher-kva.example/ä",
		"", "https://", "http://%zz/", "https://example.com/?q=a b&q=c",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		n := Normalize(raw)
		if n == "" {
			return
		}
		if again := Normalize(n); again != n {
			t.Fatalf("not idempotent: %q -> %q -> %q", raw, n, again)
		}
		u, err := url.Parse(n)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			t.Fatalf("%q normalised to %q, not an absolute http(s) URL", raw, n)
		}
		if u.Fragment != "" {
			t.Fatalf("%q normalised to %q, which keeps a fragment", raw, n)
		}
		for k := range u.Query() {
			if isTrackingParam(k) {
				t.Fatalf("%q normalised to %q, which keeps the tracking parameter %q", raw, n, k)
			}
		}
	})
}

// FuzzDiscover feeds arbitrary bytes to the content sniffer and to the
// feed, sitemap and page link parsers: no panic, and every link they
// return either is dropped by cleanURL (javascript:, mailto:, garbage) or
// becomes an absolute http(s) URL in valid UTF-8, the only kind the
// crawler queues.
func FuzzDiscover(f *testing.F) {
	for _, s := range []string{
		`<?xml version="1.0"?><rss version="2.0"><channel><item><link>https://news.example/a</link><pubDate>Mon, 25 Mar 2024 10:00:00 GMT</pubDate></item></channel></rss>`,
		`<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="/b"/><updated>2024-03-25T10:00:00Z</updated></entry></feed>`,
		`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://news.example/c</loc><news:news><news:publication_date>2024-03-25</news:publication_date><news:title>T</news:title></news:news></url></urlset>`,
		`<sitemapindex><sitemap><loc>https://news.example/s.xml.gz</loc></sitemap></sitemapindex>`,
		`<html><head><link rel="alternate" type="application/rss+xml" href="/feed"></head><body><a href="/x">x</a><a href="javascript:1">j</a></body></html>`,
		"\x1f\x8b\x08\x00", "", "<", "<?xml", "<rss><channel><item><link>" + strings.Repeat("a", 5000),
	} {
		f.Add([]byte(s))
	}
	base, _ := url.Parse("https://news.example/section/")
	f.Fuzz(func(t *testing.T, body []byte) {
		_ = sniffKind(body).String()
		check := func(where string, links []link) {
			for _, l := range links {
				u := l.resolve()
				if u == nil {
					continue
				}
				if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !utf8.ValidString(u.String()) {
					t.Fatalf("%s gave link %q, cleaned to %q", where, l.ref, u)
				}
			}
		}
		check("pageLinks", pageLinks(body, base))
		if links, err := feedLinks(body, base); err == nil {
			check("feedLinks", links)
		}
		if links, err := sitemapLinks(body, base); err == nil {
			check("sitemapLinks", links)
		}
	})
}
