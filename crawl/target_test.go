package crawl

import (
	"fmt"
	"net/url"
	"slices"
	"testing"
)

// TestTargetCache checks that a cached target is the one the link
// resolves to, whatever page (origin, path, <base>) it was found on
// first, and that the cache stays bounded.
func TestTargetCache(t *testing.T) {
	bases := []string{
		"https://news.example/world/2024/story.html?page=2",
		"http://news.example:8080/world/",
		"https://other.example/",
		"https://user:pw@news.example/world/", // userinfo: never cached by origin
	}
	refs := []string{
		"/politics/", "/politics/?page=3", "/a/./b/../c", "/x#frag", "/calendar?date=2024-03-25",
		"https://news.example/sport", "HTTPS://NEWS.EXAMPLE/Sport", "http://other.example/x;jsessionid=9",
		"story-2.html", "../up/", "?page=4", "//cdn.example/img", "#top", "", " /padded ",
		"mailto:desk@news.example", "javascript:void(0)", "/" + string([]byte{0xff}) + "bad",
	}
	c := newTargetCache()
	for round := range 2 { // the second round reads the cache
		for _, b := range bases {
			base, err := url.Parse(b)
			if err != nil {
				t.Fatal(err)
			}
			for _, ref := range refs {
				l := link{base: base, ref: ref}
				if got, want := c.get(l), targetOf(l.resolve()); got != want {
					t.Errorf("round %d: %q on %s: got %+v, want %+v", round, ref, b, got, want)
				}
			}
		}
	}

	// Bounded: past two generations the oldest links are dropped, and a
	// link read from the old generation is carried into the new one.
	base, _ := url.Parse("https://news.example/")
	hot := link{base: base, ref: "/hot"}
	c.get(hot)
	for i := range targetCacheSize * 3 {
		c.get(link{base: base, ref: fmt.Sprintf("/story-%d", i)})
		if i%(targetCacheSize/2) == 0 {
			c.get(hot)
		}
	}
	if n := len(c.cur) + len(c.old); n > 2*targetCacheSize {
		t.Errorf("cache holds %d links, want at most %d", n, 2*targetCacheSize)
	}
	if _, ok := c.cur[targetKey{origin: "https://news.example", ref: "/hot"}]; !ok {
		if _, ok := c.old[targetKey{origin: "https://news.example", ref: "/hot"}]; !ok {
			t.Error("a link read every half generation fell out of the cache")
		}
	}
	first := targetKey{origin: "https://news.example", ref: "/story-0"}
	if _, ok := c.cur[first]; ok {
		t.Error("the first link of three generations ago is still cached")
	} else if _, ok := c.old[first]; ok {
		t.Error("the first link of three generations ago is still cached")
	}
}

// TestLinkToDocument: an empty link or a fragment alone names the
// document, which under <base href> is the base.
func TestLinkToDocument(t *testing.T) {
	page, _ := url.Parse("https://a.example/x/y.html")
	c := newLinkCollector(page)
	c.add("a", "#top", "", "")
	c.add("base", "https://a.example/section/", "", "")
	c.add("a", "", "", "")
	c.add("a", " #comments ", "", "")
	got := resolved(c.out)
	want := []string{"https://a.example/x/y.html", "https://a.example/section/", "https://a.example/section/"}
	if !slices.Equal(got, want) {
		t.Errorf("links = %q, want %q", got, want)
	}
}

func TestIsURL(t *testing.T) {
	for in, want := range map[string]bool{
		"http://x.test/a": true, "HTTPS://X.TEST/": true, "Http://x": true, "https://": true,
		"http:/x": false, "ftp://x": false, "": false, "page.html": false, "/abs/path": false,
		"httpſ://x": false, " http://x": false, "mailto:http://x": false,
	} {
		if got := IsURL(in); got != want {
			t.Errorf("IsURL(%q) = %v, want %v", in, got, want)
		}
	}
}
