package extract

import (
	"strings"
	"testing"
)

// TestPageDates checks how the published time is chosen from the dates a
// page gives, on small pages built for each rule.
func TestPageDates(t *testing.T) {
	tests := []struct {
		name, head, top, afterH1, tail, want string
	}{{
		name: "time element with a junk datetime keeps its text",
		tail: `<div class="c-info"><time class="c-label" datetime="00:00-YY-DD-MM">Dec 23, 2023 5:06pm PT</time></div>`,
		want: "2023-12-23T17:06:00-08:00",
	}, {
		name: "structured local time beside the same instant in UTC gives the offset",
		head: `<meta property="article:published_time" content="2023-12-24T01:06:51+00:00"><meta name="date" content="2023-12-23T17:06:51">`,
		want: "2023-12-23T17:06:51-08:00",
	}, {
		name:    "visible minutes match structured seconds",
		head:    `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Council weighs harbour plan","datePublished":"2023-12-23T03:00:46Z"}</script>`,
		afterH1: `<div class="byline"><span>By Jane Doe</span> <span>December 22, 2023 10:00 PM</span></div>`,
		want:    "2023-12-22T22:00:46-05:00",
	}, {
		name: "the site header's date of today is not the article's",
		head: `<meta property="article:published_time" content="2023-12-20T07:00:00-08:00">`,
		top:  `<div class="top"><span class="header-date">Sunday, December 24, 2023</span></div>`,
		want: "2023-12-20T07:00:00-08:00",
	}, {
		name:    "a date inside a sentence is not the page's",
		head:    `<meta name="pubdate" content="2023-12-20">`,
		afterH1: `<h2>Most stipends will rise by more than 20 percent for students in the humanities starting July 1, 2024.</h2>`,
		want:    "2023-12-20",
	}, {
		name:    "a short unlabelled line is the page's date, a day without a time",
		afterH1: `<div><span>Jane Doe</span><span>Wednesday, December 20, 2023</span></div>`,
		want:    "2023-12-20",
	}, {
		name:    "a later visible date on a page that gives no update is not a republication",
		head:    `<meta property="article:published_time" content="2023-12-20T07:00:00-08:00">`,
		afterH1: `<div><span>Captured January 14, 2024</span></div>`,
		want:    "2023-12-20T07:00:00-08:00",
	}, {
		name:    "a later visible date the update time confirms is the republication",
		head:    `<meta property="article:published_time" content="2023-12-20T07:00:00-08:00"><meta property="article:modified_time" content="2024-01-14T09:00:00-08:00">`,
		afterH1: `<div><span>January 14, 2024</span></div>`,
		want:    "2024-01-14T09:00:00-08:00",
	}, {
		name: "a date printed above the headline",
		top:  `<p>Sunday, March 3, 2024</p>`,
		want: "2024-03-03",
	}, {
		name:    "a date inside a longer line between dashes",
		afterH1: `<p class="tagline">22/11/2020 - 04:30 - Fonte: Agência Brasil - Foto: Cesar Greco</p>`,
		want:    "2020-11-22T04:30:00",
	}, {
		name:    "a date inside a credit line",
		afterH1: `<div class="meta">Posted on October 31, 2012 by John Smith in Local News</div>`,
		want:    "2012-10-31",
	}, {
		name:    "names and buttons after the headline do not use up the search",
		afterH1: strings.Repeat(`<span>Share</span><span>Tweet</span><span>Email</span>`, 6) + `<span>March 3, 2024 9:15 AM</span>`,
		want:    "2024-03-03T09:15:00",
	}, {
		name: "a WebPage's date when no article is typed",
		head: `<script type="application/ld+json">{"@graph":[{"@type":"WebSite","name":"X"},{"@type":"WebPage","datePublished":"2020-08-18T19:35:33+00:00"}]}</script>`,
		want: "2020-08-18T19:35:33Z",
	}, {
		name: "a video a page embeds does not date the page",
		head: `<script type="application/ld+json">{"@type":"VideoObject","name":"Clip","uploadDate":"2020-09-29T22:40:00-07:00"}</script><meta property="article:published_time" content="2020-09-30T02:00:07-07:00">`,
		want: "2020-09-30T02:00:07-07:00",
	}, {
		name: "JSON-LD with a stray closing brace",
		head: `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Council weighs harbour plan","datePublished":"2020-10-26T18:10:00+01:00"}}</script>`,
		want: "2020-10-26T18:10:00+01:00",
	}, {
		name: "an instant in UTC shown in the zone a <time> on the page states",
		head: `<meta property="article:published_time" content="2020-02-18T02:18:11Z">`,
		tail: `<aside><time datetime="2020-02-16T23:02:32+00:00">Feb 16, 2020 at 3:02pm PST</time></aside>`,
		want: "2020-02-17T18:18:11-08:00",
	}, {
		name: "an offset no zone uses is no offset",
		head: `<meta property="article:published_time" content="2020-03-01T10:00:00+10:15">`,
		want: "2020-03-01T10:00:00",
	}, {
		name: "an Arabic month name",
		head: `<meta property="article:published_time" content="الأربعاء، 07 أكتوبر 2020 - 12:09 م">`,
		want: "2020-10-07T12:09:00",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := councilArticle(t, tt.head, tt.top, tt.afterH1, tt.tail)
			if a.Published != tt.want {
				t.Errorf("published = %q, want %q", a.Published, tt.want)
			}
		})
	}
}

func TestDateInURL(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://x.example/2024/03/25/slug", "2024-03-25"},
		{"https://x.example/news/2024-03/25/slug", "2024-03-25"},
		{"https://x.example/news/20240325/slug", "2024-03-25"},
		{"https://x.example/news/25032024/slug", "2024-03-25"},
		{"https://x.example/news/story-2024-03-25-slug", "2024-03-25"},
		{"https://x.example/news/story_2024_03_25.html", "2024-03-25"},
		{"https://x.example/news/2024/03/slug", ""},
		{"https://x.example/news/12345678901/slug", ""},
		{"https://x.example/news/slug?d=2024-03-25", ""},
		{"https://x.example/1990/03/25/old", ""},
	}
	for _, tt := range tests {
		if got := dateInURL(tt.url); got != tt.want {
			t.Errorf("dateInURL(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}

// TestDateFromCanonicalURL checks that a saved page of unknown address
// takes the date in its canonical URL when it gives no other.
func TestDateFromCanonicalURL(t *testing.T) {
	page := `<html><head><title>Harbour plan approved</title><link rel="canonical" href="https://news.example/2024/03/25/harbour-plan"></head>` +
		`<body><h1>Harbour plan approved</h1>` + councilBody + `</body></html>`
	a, err := FromBytes([]byte(page), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Published != "2024-03-25" || a.URL != "" {
		t.Errorf("published %q, url %q; want 2024-03-25 from the canonical URL and no url", a.Published, a.URL)
	}
}
