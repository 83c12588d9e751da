package extract

import (
	"slices"
	"strings"
	"testing"
)

// TestPageAuthors checks how the authors are chosen from the visible
// byline, JSON-LD and the site name, on small pages built for each rule.
func TestPageAuthors(t *testing.T) {
	ld := func(names ...string) string {
		var people []string
		for _, n := range names {
			people = append(people, `{"@type":"Person","name":"`+n+`"}`)
		}
		return `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Council weighs harbour plan","author":[` + strings.Join(people, ",") + `]}</script>`
	}
	tests := []struct {
		name, head, byline string
		want               []string
	}{{
		name:   "contributors named beside the byline are not authors",
		head:   ld("Jane Doe", "John Smith", "Ann Lee"),
		byline: `<div class="author-byline"><div class="author-byline__authors">By <a href="/author/jane-doe">Jane Doe</a></div><span class="author-byline__contributors">Contributions from <a href="/author/john-smith">John Smith</a>, <a href="/author/ann-lee">Ann Lee</a></span></div>`,
		want:   []string{"Jane Doe"},
	}, {
		name:   "photographers and stylists are not authors",
		head:   ld("Jane Doe", "John Smith", "Ann Lee"),
		byline: `<div class="byline">By Jane Doe | Photography by John Smith | Styled by Ann Lee</div>`,
		want:   []string{"Jane Doe"},
	}, {
		name:   "JSON-LD may add co-authors the byline shortens",
		head:   ld("Jane Doe", "John Smith"),
		byline: `<div class="byline">By Jane Doe</div>`,
		want:   []string{"Jane Doe", "John Smith"},
	}, {
		name:   "the site's name after the author is not an author",
		head:   `<meta property="og:site_name" content="Harbour Xpress">`,
		byline: `<div class="byline">by Jane Doe, Harbour Xpress</div>`,
		want:   []string{"Jane Doe"},
	}, {
		name:   "a one-person site bears its author's name",
		head:   `<meta property="og:site_name" content="Jane Doe">`,
		byline: `<div class="byline">By Jane Doe</div>`,
		want:   []string{"Jane Doe"},
	}, {
		name:   "a staff credit is the author when no person is named",
		byline: `<div class="article__byline">By <span itemprop="author"><a href="/author/harbour-staff">Harbour Post Staff</a></span></div>`,
		want:   []string{"Harbour Post Staff"},
	}, {
		name: "a JSON-LD Person that names a board is the author",
		head: ld("Harbour Post Editorial Board"),
		want: []string{"Harbour Post Editorial Board"},
	}, {
		name: "a JSON-LD Organization author is the publisher, not a credit",
		head: `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Council weighs harbour plan","author":{"@type":"NewsMediaOrganization","name":"Harbour News"}}</script>`,
		want: []string{},
	}, {
		name:   "a section label in a byline element is no author",
		byline: `<div class="byline">World News</div>`,
		want:   []string{},
	}, {
		name: "the publisher named as the author is no author",
		head: `<meta property="og:site_name" content="Harbour News Network"><meta name="author" content="Harbour News Network">`,
		want: []string{},
	}, {
		name:   "a person named in the site's name stays an author",
		head:   `<meta property="og:site_name" content="Jane Doe Studio">`,
		byline: `<div class="byline">By Jane Doe and John Smith</div>`,
		want:   []string{"Jane Doe", "John Smith"},
	}, {
		name:   "a person wins over a group",
		head:   ld("Harbour Post Editorial Board"),
		byline: `<div class="byline">By Jane Doe</div>`,
		want:   []string{"Jane Doe"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := councilArticle(t, tt.head, "", tt.byline, "")
			if !slices.Equal(a.Authors, tt.want) {
				t.Errorf("authors = %q, want %q", a.Authors, tt.want)
			}
		})
	}
}

func TestGroupCredit(t *testing.T) {
	tests := []struct{ in, want string }{
		{"By Slate Staff", "Slate Staff"},
		{"Team EBONY", "Team EBONY"},
		{"University of Tokyo", "University of Tokyo"},
		{"Institute for Basic Science", "Institute for Basic Science"},
		{"Field Level Media", "Field Level Media"},
		{"Sun Sentinel Editorial Board", "Sun Sentinel Editorial Board"},
		{"Our Foreign Staff", "Our Foreign Staff"},
		{"Opinion", ""},      // a kicker
		{"Follow Us", ""},    // a button
		{"Staff Writer", ""}, // a job title
		{"Staff", ""},        // one word
		{"Updated 3 hours ago", ""},
		{"the newsroom staff", ""}, // not capitalised
		{"Harbour Post Staff and Friends of the Harbour Post", ""}, // too long
		{"Breaking News", ""},   // a section label
		{"Sponsored Post", ""},  // a label
		{"Share This Post", ""}, // a button
	}
	for _, tt := range tests {
		if got := groupCredit(tt.in); got != tt.want {
			t.Errorf("groupCredit(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
