package extract

import (
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxRelated caps the related links kept from one page.
const maxRelated = 60

// relatedHeadings are headings that introduce related-story lists, in
// several languages; matched against the lower-cased heading text.
var relatedHeadings = []string{
	"related", "realted", "more stories", "more from", "more news", "more on ", "more in ", "also read", "read also", "read more",
	"read next", "you may also like", "you might also like", "recommended", "see also", "more like this",
	"further reading", "more to read", "what to read next",
	"mehr zum thema", "das könnte sie auch interessieren", "weitere artikel", "lesen sie auch", "auch interessant",
	"à lire aussi", "lire aussi", "sur le même sujet", "a lire aussi", "te puede interesar", "noticias relacionadas",
	"leia também", "leia mais", "potrebbe interessarti", "leggi anche", "関連記事", "関連ニュース", "संबंधित", "यह भी पढ़ें",
	"관련기사", "相关新闻", "相關新聞",
}

// isRelatedWord reports whether a class or id word names a container of
// links to other stories: "related" and "recommended" in English and in
// the languages whose sites name them so (relacionadas, correlati,
// verwandt), "recirculation" (the trade's word for it), "read next",
// "more stories", and the two recommendation widgets sites embed the
// same way everywhere (outbrain, taboola).
func isRelatedWord(w string) bool {
	switch w {
	case "related", "relatedposts", "relatedstories", "relatedarticles", "relatedcontent", "recommended", "recommendations",
		"recirc", "recirculation", "readnext", "readmore", "alsoread", "morestories", "morenews", "outbrain", "taboola",
		"relacionada", "relacionadas", "relacionado", "relacionados", "correlati", "verwandt":
		return true
	}
	return false
}

// relatedLinks finds the page's related-story links: lists whose markup or
// heading marks them as related stories, and inline "Also read:" inserts.
// Links to the page itself, navigation and footer menus are left out.
func relatedLinks(p *page, self []string) []Link {
	out := []Link{}
	seen := make(map[string]bool)
	for _, s := range self {
		if s != "" {
			seen[docKey(s)] = true
		}
	}
	add := func(n *html.Node) {
		if len(out) >= maxRelated {
			return
		}
		u := p.base.resolve(attr(n, "href"))
		if u == "" || seen[docKey(u)] {
			return
		}
		t := linkTitle(n)
		if len(t) < 12 || len(strings.Fields(t)) < 2 && !hasCJK(t) || isIndexURL(u) {
			return
		}
		seen[docKey(u)] = true
		out = append(out, Link{Title: t, URL: u})
	}
	for _, c := range relatedContainers(p.root, p.facts) {
		walk(c, func(n *html.Node) bool {
			if n.DataAtom == atom.A && attr(n, "href") != "" {
				add(n)
				return false
			}
			return true
		})
	}
	for _, n := range alsoReadInserts(p.root, p.facts) {
		walk(n, func(x *html.Node) bool {
			if x.DataAtom == atom.A && attr(x, "href") != "" {
				add(x)
				return false
			}
			return true
		})
	}
	return out
}

// relatedContainers returns the outermost elements that hold related-story
// lists.
func relatedContainers(root *html.Node, facts blockFacts) []*html.Node {
	var out []*html.Node
	walk(root, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Head, atom.Script, atom.Style, atom.Nav, atom.Header, atom.A, atom.Form:
			return false
		case atom.Body, atom.Html, atom.Main:
			return true
		}
		// A site-wide list (Top Stories, Most Read, Trending) is not
		// related to the article.
		f := facts.of(n)
		if f&factSiteList != 0 {
			return false
		}
		if f&factRelated != 0 {
			out = append(out, n)
			return false
		}
		return true
	})
	return out
}

// isRelatedBlock reports whether n is a related-story block (never an
// <article>): named so by its class or id (c, its classJoined) and holding
// a link, or opened by a related-stories heading (t, the lower-cased
// leading heading, "" for none) and holding two links.
func isRelatedBlock(n *html.Node, c, t string) bool {
	if n.DataAtom == atom.Article {
		return false
	}
	if (classWords(n, isRelatedWord) || relatedClassPhrase(c)) && countLinks(n, 1) > 0 {
		return true
	}
	return t != "" && isRelatedHeading(t) && countLinks(n, 2) >= 2
}

// leadingHeadingText returns the lower-cased text of n's leading heading
// (see leadingHeading) without a trailing colon, and whether n has one.
func leadingHeadingText(n *html.Node) (string, bool) {
	h := leadingHeading(n)
	if h == nil {
		return "", false
	}
	return strings.ToLower(strings.TrimRight(textOf(h), ": ")), true
}

// isRelatedHeading reports whether a heading introduces related stories:
// "Related Stories", "More galleries", "Mehr zum Thema".
func isRelatedHeading(t string) bool {
	t = strings.ToLower(strings.TrimRight(t, ": "))
	if len(t) > 60 {
		return false
	}
	for _, r := range relatedHeadings {
		if strings.Contains(t, r) {
			return true
		}
	}
	// "More Community", "More local news": a short "more ..." heading.
	return strings.HasPrefix(t, "more ") && len(strings.Fields(t)) <= 4
}

// classSquash joins the words of class names ("more-stories" becomes
// "morestories"); a Replacer is safe for concurrent use.
var classSquash = strings.NewReplacer("-", "", "_", "", " ", "|")

// relatedClassPhrase catches multi-word class names such as
// "more-stories" or "read-next" that classWords splits; c is the
// element's classJoined.
func relatedClassPhrase(c string) bool {
	// Every phrase has one of these words; most class names have none, and
	// need no squashed copy.
	if !relatedClassWords.in(c) {
		return false
	}
	return relatedClassPhrases.in(classSquash.Replace(c))
}

var (
	relatedClassWords   = newPhrases("more", "read", "relat", "also", "like")
	relatedClassPhrases = newPhrases("morestories", "morenews", "readnext", "alsoread", "relatedstor", "relatedarticle", "relatednews", "relatedpost", "youmayalsolike", "morefrom", "relatedlinks", "relatedcontent")
)

// leadingHeading returns the first heading-like child of n: an h2–h6, or
// an element whose class says heading/title, as long as nothing with
// links comes before it.
func leadingHeading(n *html.Node) *html.Node {
	// Find the heading among the first four child elements first (most
	// elements have none), then check that no child before it has links.
	var h *html.Node
	steps := 0
	for c := n.FirstChild; c != nil && steps < 4 && h == nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		steps++
		switch c.DataAtom {
		case atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			h = c
			continue
		}
		if classWords(c, isHeadingWord) && rawTextLen(c) < 80 {
			h = c
		}
	}
	if h == nil {
		return nil
	}
	for c := n.FirstChild; c != h; c = c.NextSibling {
		if c.Type == html.ElementNode && countLinks(c, 1) > 0 {
			return nil
		}
	}
	return h
}

// isHeadingWord reports whether a class word names a heading.
func isHeadingWord(w string) bool {
	return w == "heading" || w == "title" || w == "header" || w == "headline"
}

// alsoReadInserts returns paragraphs such as "Also read: <a>…</a>" inside
// the text.
func alsoReadInserts(root *html.Node, facts blockFacts) []*html.Node {
	var out []*html.Node
	walk(root, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Head, atom.Script, atom.Style, atom.Nav:
			return false
		case atom.P, atom.Div, atom.Li, atom.Strong, atom.H4, atom.H5:
			if facts.of(n)&factAlsoRead != 0 {
				out = append(out, n)
				return false
			}
		}
		return true
	})
	return out
}

// isAlsoRead reports whether n is a short "Also read: link" insert.
func isAlsoRead(n *html.Node) bool {
	// The prefix test first: it reads a few words, not the whole subtree;
	// and before it the first word, which reads one text node and
	// allocates nothing.
	first := firstTextFrom(n)
	if first == "" || first[0] < utf8.RuneSelf && !alsoReadFirstBytes[lowerASCII(first[0])] ||
		!slices.ContainsFunc(alsoReadWords, func(w string) bool { return hasPrefixFold(first, w) }) {
		return false
	}
	t := strings.ToLower(textPrefix(n, 48))
	match := false
	for _, pre := range alsoReadPrefixes {
		if strings.HasPrefix(t, pre) {
			match = true
			break
		}
	}
	return match && countLinks(n, 1) > 0 && rawTextLen(n) <= 300
}

// textPrefix returns about the first max bytes of n's text, whitespace
// collapsed, reading no further than needed.
func textPrefix(n *html.Node, max int) string {
	var b strings.Builder
	var visit func(x *html.Node) bool
	visit = func(x *html.Node) bool {
		switch x.Type {
		case html.TextNode:
			// A paragraph's prefix, not the whole paragraph.
			d := x.Data
			if b.Len() == 0 {
				d = strings.TrimLeft(d, " \t\r\n\f")
			}
			if len(d) > max*2 {
				d = d[:max*2]
			}
			b.WriteString(d)
			b.WriteByte(' ')
			return b.Len() < max*2
		case html.ElementNode:
			switch x.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg:
				return true
			}
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			if !visit(c) {
				return false
			}
		}
		return true
	}
	visit(n)
	t := collapse(b.String())
	if len(t) > max {
		t = t[:max]
	}
	return t
}

// firstText returns n's text from its first non-space character to the
// end of the text node holding it, or "" when n has no text.
func firstTextFrom(n *html.Node) string {
	switch n.Type {
	case html.TextNode:
		for i, r := range n.Data {
			// The characters collapse drops count as space here too.
			if !isBlankRune(r) && r != utf8.RuneError {
				return n.Data[i:]
			}
		}
		return ""
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg:
			return ""
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if t := firstTextFrom(c); t != "" {
			return t
		}
	}
	return ""
}

// alsoReadFirstBytes marks the first bytes of alsoReadWords.
var alsoReadFirstBytes = func() (t [256]bool) {
	for _, w := range alsoReadWords {
		t[w[0]] = true
	}
	return t
}()

// alsoReadWords holds the first word of every alsoReadPrefixes entry.
var alsoReadWords = func() []string {
	var out []string
	for _, p := range alsoReadPrefixes {
		w, _, _ := strings.Cut(p, " ")
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}()

// alsoReadPrefixes open inline related-story inserts.
var alsoReadPrefixes = []string{"also read", "read also", "also see", "read more:", "read more |", "related:", "related story", "recommended:", "see also:", "read:", "must read", "lesen sie auch", "lire aussi", "à lire aussi", "leia também", "lee también", "te puede interesar", "le puede interesar", "relacionado:", "leggi anche", "यह भी पढ़ें", "ये भी पढ़ें"}

// linkTitle returns the headline of a related link: a heading inside it,
// else the text of its title element, else its text without category
// labels and times, else its title attribute.
func linkTitle(a *html.Node) string {
	if h := findFirst(a, func(n *html.Node) bool {
		switch n.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			return true
		}
		return classWords(n, func(w string) bool {
			return w == "title" || w == "headline" || w == "heading" || w == "titel" || w == "titre" || w == "titulo"
		})
	}); h != nil {
		if t := textOf(h); t != "" {
			return t
		}
	}
	if t := textWithoutLabels(a); t != "" {
		return t
	}
	return collapse(attr(a, "title"))
}

// textWithoutLabels returns the text of n without the kicker, category,
// date and author labels that sites put inside headlines and links.
func textWithoutLabels(n *html.Node) string {
	var b strings.Builder
	var visit func(x *html.Node)
	visit = func(x *html.Node) {
		if x.Type == html.TextNode {
			b.WriteString(x.Data)
			return
		}
		if x.Type == html.ElementNode && x != n {
			switch x.DataAtom {
			case atom.Time, atom.Img, atom.Script, atom.Style, atom.Svg, atom.Figure:
				return
			}
			if isHidden(x) || classWords(x, isLabelWord) {
				return
			}
			if isBlock(x.DataAtom) || x.DataAtom == atom.Br {
				b.WriteByte(' ')
			}
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(n)
	return collapse(b.String())
}

// isLabelWord reports whether a class word names a label printed beside a
// headline, left out of the headline's text: a kicker (kicker, eyebrow,
// overline, topline, and the German, French names: Dachzeile, Rubrik,
// Ressort, surtitre), a category or section, a badge or flag ("Live",
// "Exclusive"), a date or an author.
func isLabelWord(w string) bool {
	switch w {
	case "category", "cat", "label", "kicker", "section", "eyebrow", "tag", "time", "date", "timestamp", "byline", "author",
		"overline", "topline", "badge", "flag", "dachzeile", "rubrik", "ressort", "surtitre":
		return true
	}
	return strings.HasSuffix(w, "kicker") || strings.HasSuffix(w, "eyebrow")
}

// isIndexURL reports whether a URL is a tag, topic, author, category or
// search page rather than a story.
func isIndexURL(u string) bool {
	i := strings.Index(u, "://")
	if i < 0 {
		return false
	}
	path := u[i+3:]
	j := strings.IndexByte(path, '/')
	if j < 0 {
		return true // a home page
	}
	path = strings.ToLower(path[j:])
	if path == "/" {
		return true
	}
	for _, seg := range strings.Split(path, "/") {
		switch seg {
		case "tag", "tags", "topic", "topics", "category", "categories", "author", "authors", "search", "thema", "themen", "schlagwort", "tema", "temas", "sujet", "sujets", "label", "keyword", "keywords":
			return true
		}
	}
	return false
}

// hasCJK reports whether s contains Chinese, Japanese or Korean letters.
func hasCJK(s string) bool {
	for _, r := range s {
		if r >= 0x3040 && r <= 0x30ff || r >= 0x4e00 && r <= 0x9fff || r >= 0xac00 && r <= 0xd7af {
			return true
		}
	}
	return false
}
