package extract

import (
	"bytes"
	"fmt"
	"os"
	"testing"

	"golang.org/x/net/html"
)

func TestDbgPrune2(t *testing.T) {
	b, _ := os.ReadFile(os.Getenv("PAGE"))
	text, _ := toUTF8(b, "")
	root, _ := html.Parse(bytes.NewReader(text))
	total := paragraphText(root)
	walk(root, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		pt := paragraphText(n)
		if pt < 300 {
			return true
		}
		why := ""
		switch {
		case ariaBoiler(n):
			why = "aria"
		case classWords(n, isBoilerWord):
			why = "boilerword"
		case boilerClassPhrase(n):
			why = "phrase"
		case isAlsoRead(n):
			why = "alsoread"
		case isTagList(n):
			why = "taglist"
		case isRelatedContainer(n):
			why = "related"
		case hasBoilerHeading(n):
			why = "boilheading"
		case n.DataAtom != 0 && looksLikeByline(n) && rawTextLen(n) < 120:
			why = "byline"
		}
		if why != "" {
			fmt.Printf("%s %s class=%q id=%q pt=%d/%d\n", why, n.Data, attr(n, "class"), attr(n, "id"), pt, total)
		}
		return true
	})
}
