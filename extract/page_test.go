package extract

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// councilBody is four paragraphs of made-up article text, each long
// enough (over 200 visible characters) to count as the start of the text.
var councilBody = strings.Repeat("<p>The council met on Tuesday to weigh the plan, which would move the market to the old harbour and add two bus routes. "+
	"Traders said the move would cost them a season of custom, and the harbour board asked for a delay until spring. "+
	"The mayor said a vote would come in the new year, once the costs were known.</p>", 4)

// councilPage builds a small article page for the rule tests: head goes
// into <head>, top before the <article>, afterH1 just after its headline,
// and tail after councilBody.
func councilPage(head, top, afterH1, tail string) string {
	return "<html><head><title>Council weighs harbour plan</title>" + head + "</head><body>" + top +
		"<article><h1>Council weighs harbour plan</h1>" + afterH1 + councilBody + tail + "</article></body></html>"
}

// councilURL is the address the rule tests give their pages.
var councilURL, _ = url.Parse("https://news.example.com/local/council-harbour-plan")

// councilArticle extracts councilPage(head, top, afterH1, tail) from
// councilURL, failing the test on any error but ErrNoArticle (so small a
// page need not pass for an article; its record is still complete).
func councilArticle(t *testing.T, head, top, afterH1, tail string) *Article {
	t.Helper()
	a, err := FromBytes([]byte(councilPage(head, top, afterH1, tail)), councilURL, Options{})
	if err != nil && !errors.Is(err, ErrNoArticle) {
		t.Fatal(err)
	}
	return a
}
