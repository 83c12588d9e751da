package extract

import (
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
		want:    "2023-12-20T00:00:00Z",
	}, {
		name:    "a short unlabelled line is the page's date",
		afterH1: `<div><span>Jane Doe</span><span>Wednesday, December 20, 2023</span></div>`,
		want:    "2023-12-20T00:00:00Z",
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
