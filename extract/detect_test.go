package extract

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// teaserList builds n teasers: a linked heading and a summary each, the
// summary ending with end.
func teaserList(n int, end string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `<div class="item"><h3><a href="/news/story-%d">Story number %d makes the news today</a></h3>`+
			`<p>The summary of story %d runs to a sentence or two, as summaries do on an index page%s</p></div>`, i, i, i, end)
	}
	return b.String()
}

// TestNotArticle checks the article detector on pages built for each of
// its rules: what makes a page a listing, an error page or a story.
func TestNotArticle(t *testing.T) {
	story := "<p>The harbour board met on Tuesday and voted to move the market, a plan traders say will cost them a season of custom.</p>" +
		"<p>Traders asked for a delay until spring, when the new stalls would be ready, and the board said it would consider it.</p>" +
		"<p>The mayor said the costs would be known by the new year, and a final vote would follow.</p>"
	tests := []struct {
		name, url, page string
		why             string // "" for an article, else a part of the reason
	}{
		{name: "a story headlined with 404 and not found",
			url:  "https://news.example/travel/flight-404-not-found",
			page: `<html><head><title>Flight 404 not found on radar for an hour</title></head><body><h1>Flight 404 not found on radar for an hour</h1>` + story + `</body></html>`},
		{name: "a story at a search URL",
			url:  "https://news.example/search-teams-return?s=1",
			page: `<html><head><title>Search teams return</title></head><body><h1>Search teams return</h1>` + story + `</body></html>`},
		{name: "a short story with no metadata",
			page: `<html><head><title>Bridge reopens</title></head><body><h1>Bridge reopens</h1><p>The bridge reopened on Monday.</p></body></html>`},
		{name: "an error page by its title",
			page: `<html><head><title>Page not found</title></head><body><h1>Oops</h1><p>We could not find that page. Try the home page.</p></body></html>`,
			why:  "error page"},
		{name: "an error page with a search form as its main content",
			page: `<html><head><title>The Daily Example</title></head><body><main><h1>Sorry</h1><p>That page has moved or never was.</p>` +
				`<form role="search"><input type="search" name="q"></form></main></body></html>`,
			why: "search form"},
		{name: "a short page of the website type",
			page: `<html><head><title>Contact</title><meta property="og:type" content="website"></head><body><h1>Contact</h1><p>Call us on 555 0100.</p></body></html>`,
			why:  "little text"},
		{name: "a list of teasers",
			page: `<html><head><title>World</title></head><body><h1>World</h1>` + teaserList(8, ".") + `</body></html>`,
			why:  "teasers"},
		{name: "a list of excerpts, even with teaser bylines and dates",
			page: `<html><head><title>Elections</title></head><body><h1>Elections</h1>` + teaserList(6, " […]") + `</body></html>`,
			why:  "excerpts"},
		{name: "a page typed as a collection by its JSON-LD",
			page: `<html><head><title>World</title><script type="application/ld+json">{"@type":"CollectionPage","name":"World"}</script></head><body><h1>World</h1>` + story + `</body></html>`,
			why:  "CollectionPage"},
		{name: "a collection page whose own article is typed too is a story",
			page: `<html><head><title>Harbour</title><script type="application/ld+json">[{"@type":"CollectionPage"},{"@type":"NewsArticle","headline":"Harbour"}]</script></head><body><h1>Harbour</h1>` + story + `</body></html>`},
		{name: "a page without text",
			page: `<html><head><title>Video</title></head><body><h1>Video</h1></body></html>`,
			why:  "no text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var u *url.URL
			if tt.url != "" {
				u, _ = url.Parse(tt.url)
			}
			a, err := FromBytes([]byte(tt.page), u, Options{})
			switch {
			case tt.why == "" && err != nil:
				t.Errorf("not an article (%v), want one", err)
			case tt.why != "" && !errors.Is(err, ErrNoArticle):
				t.Errorf("an article (err %v), want none: %s", err, tt.why)
			case tt.why != "" && !strings.Contains(err.Error(), tt.why):
				t.Errorf("reason %q, want one saying %q", err, tt.why)
			}
			if a != nil && a.IsArticle != (err == nil) {
				t.Errorf("is_article %v disagrees with err %v", a.IsArticle, err)
			}
		})
	}
}

func TestErrorHeadline(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"Page not found", true},
		{"404 – Not Found", true},
		{"Error 500", true},
		{"Seite nicht gefunden", true},
		{"Flight 4040 lands", false},
		{"Errors of judgement", false},
		{"Found: the lost city", false},
	}
	for _, tt := range tests {
		if got := errorHeadline(tt.in); got != tt.want {
			t.Errorf("errorHeadline(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestIsExcerpt(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"The council voted on Tuesday to add bike lanes […]", true},
		{"The council voted on Tuesday...", true},
		{"The council voted on Tuesday to add bike lanes. Read more »", true},
		{"The council voted on Tuesday to add bike lanes.", false},
		{"He said: “We will see.”", false},
	}
	for _, tt := range tests {
		if got := isExcerpt(tt.in); got != tt.want {
			t.Errorf("isExcerpt(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
