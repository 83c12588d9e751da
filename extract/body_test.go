package extract

import (
	"slices"
	"strings"
	"testing"
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
