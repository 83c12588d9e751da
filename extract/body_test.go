package extract

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestPruneInserts checks which inserts in the text the body pass drops
// and which it keeps.
func TestPruneInserts(t *testing.T) {
	tests := []struct {
		name        string
		insert      string
		body, gone  string // text the body must hold, and must not
		tag, notTag string // a tag that must be found, and one that must not
	}{
		{name: "a link named keywords is text, not a tag list",
			insert: `<p>With advances in <a class="keywords" href="/topics/neuroscience">neuroscience</a>, the harbour board studied how traders choose their pitches.</p>`,
			body:   "With advances in neuroscience, the harbour board", notTag: "neuroscience"},
		{name: "a tag list named keywords is dropped",
			insert: `<div class="keywords"><a href="/t/harbour">Harbour</a> <a href="/t/markets">Markets</a></div>`,
			gone:   "Markets", tag: "Markets"},
		{name: "an also-read insert is dropped",
			insert: `<p>Also read: <a href="/news/b">Harbour board quits</a></p>`,
			gone:   "Harbour board quits"},
		{name: "an also-read insert split over elements is dropped",
			insert: `<p><strong>Also</strong> read: <a href="/news/b">Harbour board quits</a></p>`,
			gone:   "Harbour board quits"},
		{name: "an also-read link inside brackets is dropped",
			insert: `<p>(<a href="/news/b"><strong><em>Leggi anche: Harbour board quits</em></strong></a>)</p>`,
			gone:   "Harbour board quits"},
		{name: "a share button glued to a quote is dropped",
			insert: `<p>“The harbour is ours,” she said.<a href="https://twitter.com/intent/tweet?text=The+harbour">Click To Tweet</a></p>`,
			body:   "“The harbour is ours,” she said.", gone: "Click To Tweet"},
		{name: "a link to a tweet is text",
			insert: `<p>The mayor <a href="https://twitter.com/mayor/status/1">said on Twitter</a> that the vote would wait.</p>`,
			body:   "The mayor said on Twitter that the vote would wait."},
		{name: "a sentence opening with also is text",
			insert: `<p>Also on Tuesday, the harbour board <a href="/board">published</a> its accounts, which showed a loss for the third year.</p>`,
			body:   "Also on Tuesday, the harbour board published its accounts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := councilArticle(t, "", "", "", tt.insert)
			if tt.body != "" && !strings.Contains(a.Body, tt.body) {
				t.Errorf("body lacks %q:\n%s", tt.body, a.Body)
			}
			if tt.gone != "" && strings.Contains(a.Body, tt.gone) {
				t.Errorf("body holds %q:\n%s", tt.gone, a.Body)
			}
			if tt.tag != "" && !slices.Contains(a.Tags, tt.tag) {
				t.Errorf("tags %q lack %q", a.Tags, tt.tag)
			}
			if tt.notTag != "" && slices.Contains(a.Tags, tt.notTag) {
				t.Errorf("tags %q hold %q", a.Tags, tt.notTag)
			}
		})
	}
}

func TestSqueezeRuns(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"one two", "one two"},
		{"one\ntwo", "one two"},
		{"one two three", "one two three"}, // no copy
		{"one\n    two", "one two"},
		{"\n\t\t", " "},
		{"a  b \r\n c", "a b c"},
		{"a\u00a0\u00a0b", "a\u00a0\u00a0b"}, // no-break spaces are text
	}
	for _, tt := range tests {
		if got := squeezeRuns(tt.in); got != tt.want {
			t.Errorf("squeezeRuns(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestBodySourceLineBreaks checks that line breaks in the markup's text
// are spaces, as a browser shows them, except in <pre>.
func TestBodySourceLineBreaks(t *testing.T) {
	a := councilArticle(t, "", "", "", "<p>The harbour board\nsaid on Tuesday that\n        it would appeal.</p>"+
		"<pre>line one\n    line two</pre>")
	if !strings.Contains(a.Body, "The harbour board said on Tuesday that it would appeal.") {
		t.Errorf("a paragraph's source line breaks were kept:\n%s", a.Body)
	}
	if !strings.Contains(a.Body, "line one\n    line two") {
		t.Errorf("a <pre> lost its line breaks:\n%s", a.Body)
	}
}

// TestBodyStructure checks the body pass on page structures that name
// nothing: comments printed after a heading in the article's own
// container, navigation lines around the text, javascript: controls,
// text in <br> runs inside a page-wide form, and a story titled by a
// lower heading under a site-name <h1>.
func TestBodyStructure(t *testing.T) {
	para := func(s string) string {
		return s + " The board met for three hours and heard from traders, residents and the port's engineers before it voted."
	}
	tests := []struct {
		name, page string
		headline   string
		body, gone []string
	}{
		{name: "comments after a heading in the same container",
			page: `<html><head><title>Harbour plan approved</title></head><body><div class="content"><h1>Harbour plan approved</h1>` +
				`<p>` + para("The harbour plan was approved on Tuesday.") + `</p><p>` + para("Work starts in spring.") + `</p>` +
				`<h2 id="comments">3 Comments</h2><p>` + para("Great news, said a reader.") + `</p><p class="posted">Posted by: Sam at 2:30 PM</p>` +
				`<h3>Leave a Reply</h3><p>Your email address will not be published.</p></div></body></html>`,
			body: []string{"The harbour plan was approved on Tuesday.", "Work starts in spring."},
			gone: []string{"Great news", "Posted by: Sam", "Leave a Reply", "3 Comments"}},
		{name: "a heading about comments inside the story is text",
			page: `<html><head><title>Minister defends plan</title></head><body><article><h1>Minister defends plan</h1>` +
				`<p>` + para("The minister defended the plan on Tuesday.") + `</p><h2>Comments from the minister</h2><p>` + para("She said it was fair.") + `</p></article></body></html>`,
			body: []string{"Comments from the minister", "She said it was fair."}},
		{name: "lines of links around the text",
			page: `<html><head><title>Bridge reopens</title></head><body><h1>Bridge reopens</h1><div>` +
				`<p><a href="/">Home</a> &gt; <a href="/news">News</a></p><p>` + para("The bridge reopened on Monday.") + `</p><p>` + para("Trucks may use it again.") + `</p>` +
				`<p><a href="javascript:window.print()">Print this story</a> | <a href="/news">Back to News</a></p></div></body></html>`,
			body: []string{"The bridge reopened on Monday.", "Trucks may use it again."},
			gone: []string{"Print this story", "Back to News", "Home"}},
		{name: "a page-wide form around text in <br> runs",
			page: `<html><head><title>Grain elevator expands - County Star</title></head><body><form id="aspnetForm" class="sidebar-layout"><table><tr>` +
				`<td class="sidebar"><a href="/a">Library board names director</a><br><a href="/b">Road work starts</a></td>` +
				`<td><b>Grain elevator expands</b><br><br>` + para("The county approved four new bins on Monday.") + `<br><br>` + para("Farmers said the lines were too long.") + `</td>` +
				`</tr></table></form></body></html>`,
			body: []string{"The county approved four new bins on Monday.", "Farmers said the lines were too long."},
			gone: []string{"Library board"}},
		{name: "a site-name h1 and the story in a lower heading",
			page: `<html><head><title>Econ Notes: Another weak quarter</title></head><body><div id="banner"><h1><a href="/">Econ Notes</a></h1></div>` +
				`<div class="content"><h2>October 28</h2><h3>Another weak quarter</h3><p>` + para("Growth slowed again in the third quarter.") + `</p>` +
				`<p>` + para("Spending held up.") + `</p></div></body></html>`,
			headline: "Another weak quarter",
			body:     []string{"Growth slowed again in the third quarter."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := FromBytes([]byte(tt.page), nil, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if tt.headline != "" && a.Headline != tt.headline {
				t.Errorf("headline %q, want %q", a.Headline, tt.headline)
			}
			for _, s := range tt.body {
				if !strings.Contains(a.Body, s) {
					t.Errorf("body lacks %q:\n%s", s, a.Body)
				}
			}
			for _, s := range tt.gone {
				if strings.Contains(a.Body, s) {
					t.Errorf("body holds %q:\n%s", s, a.Body)
				}
			}
		})
	}
}

func TestIsCommentHeading(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"Comments", true},
		{"12 Comments", true},
		{"One Response to “Harbour plan approved”", true},
		{"3 thoughts on “Harbour plan approved”", true},
		{"Leave a Reply", true},
		{"Post a Comment", true},
		{"Trackback Pings", true},
		{"Kommentare", true},
		{"Comments from the minister", false},
		{"The reply from the council", false},
		{"What readers think", false},
	}
	for _, tt := range tests {
		if got := isCommentHeading(tt.in); got != tt.want {
			t.Errorf("isCommentHeading(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestProseText(t *testing.T) {
	tests := []struct {
		name, html string
		want       int
	}{
		{"a paragraph", `<div><p>` + strings.Repeat("word ", 20) + `</p></div>`, 80},
		{"runs between line breaks", `<div>` + strings.Repeat("word ", 15) + `<br><br>` + strings.Repeat("text ", 15) + `</div>`, 120},
		{"a short label", `<div>Share this</div>`, 0},
		{"links and lists", `<div><a href="/">` + strings.Repeat("link ", 20) + `</a><ul><li>` + strings.Repeat("item ", 20) + `</li></ul></div>`, 0},
	}
	for _, tt := range tests {
		root, err := html.Parse(strings.NewReader(tt.html))
		if err != nil {
			t.Fatal(err)
		}
		if got := proseText(root); got != tt.want {
			t.Errorf("%s: proseText = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestBodyUnprunedFallback checks that when pruning leaves readability
// no text, the page is read as it came.
func TestBodyUnprunedFallback(t *testing.T) {
	page := `<html><head><title>Ferry service resumes</title></head><body><nav role="navigation"><div>` +
		`<p>The island ferry resumed its full timetable on Monday after three weeks of repairs to the landing ramp, the harbour board said.</p>` +
		`<p>Commuters had relied on a smaller boat that ran twice a day, and the board said it would refund monthly passes for the period.</p>` +
		`</div></nav></body></html>`
	a, err := FromBytes([]byte(page), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Body, "The island ferry resumed its full timetable") {
		t.Errorf("body %q, want the story", a.Body)
	}
}
