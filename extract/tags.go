package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// tags returns the article's tags: the visible tag list first (in page
// order, as the reader sees it), then article:tag, JSON-LD keywords and
// news_keywords; deduplicated ignoring case. The generic keywords meta tag
// is used only when nothing else names a tag, since sites often fill it
// with the same words on every page.
func tags(p *page, ld *ldData) []string {
	out := []string{}
	seen := make(map[string]bool)
	add := func(vals ...string) {
		for _, v := range vals {
			v = strings.Trim(collapse(v), " ,;#·|")
			if v == "" || len(v) > 80 || strings.Contains(v, "://") || isDigits(v) {
				continue
			}
			k := strings.ToLower(v)
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, v)
		}
	}
	add(visibleTags(p)...)
	add(p.meta["article:tag"]...)
	add(p.meta["og:article:tag"]...)
	for _, k := range ldStrings(ld.article, "keywords") {
		add(splitKeywords(k)...)
	}
	for _, v := range p.meta["news_keywords"] {
		add(splitKeywords(v)...)
	}
	for _, v := range p.meta["parsely-tags"] {
		add(splitKeywords(v)...)
	}
	if len(out) == 0 {
		for _, v := range p.meta["keywords"] {
			add(splitKeywords(v)...)
		}
	}
	return out
}

// splitKeywords splits a keyword list on commas or semicolons.
func splitKeywords(s string) []string {
	if strings.ContainsAny(s, ",;") {
		return splitAny(s, ",;")
	}
	return []string{s}
}

// tagLabels introduce a visible tag list, in several languages.
var tagLabels = []string{"tags", "tagged", "tagged with", "topics", "related topics", "keywords", "schlagwörter", "themen", "mots-clés", "mots clés", "sujets", "etiquetas", "temas", "argomenti", "टैग", "タグ", "关键词", "태그"}

// visibleTags returns the texts of the page's tag-list links.
func visibleTags(p *page) []string {
	var out []string
	var lists []*html.Node
	walk(p.root, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Head, atom.Script, atom.Style, atom.Nav, atom.Header:
			return false
		case atom.A, atom.P, atom.Span:
			// a list container is a block, but a label may be a span
		}
		if p.facts.of(n)&factTagList != 0 {
			lists = append(lists, n)
			return false
		}
		return true
	})
	for _, l := range lists {
		if inBoilerplate(l) {
			continue
		}
		walk(l, func(n *html.Node) bool {
			if n.DataAtom == atom.A {
				if t := textOf(n); t != "" && len(t) <= 60 {
					out = append(out, t)
				}
				return false
			}
			return true
		})
	}
	for _, a := range p.tagLinks {
		if t := textOf(a); t != "" && !inBoilerplate(a) && len(t) <= 60 {
			out = append(out, t)
		}
	}
	return out
}

// isTagList reports whether n is a list of tag links: by its class or id
// (tags, tag-list, topics, keywords), or because its text starts with a
// label such as "Tags:". c is n's classJoined.
func isTagList(n *html.Node, c string) bool {
	if n.DataAtom == atom.A {
		return false // one link, however it is named ("keywords")
	}
	named := false
	if c != "" {
		// One search for "tag" rules out tags, tag-list, taglist,
		// tagcloud and tagged at once.
		for _, s := range [...]string{"tag", "keywords", "topics", "etiquetas", "schlagw", "stichw"} {
			if !strings.Contains(c, s) {
				continue
			}
			if s != "tag" || strings.Contains(c, "tags") || strings.Contains(c, "tag-list") || strings.Contains(c, "taglist") ||
				strings.Contains(c, "tagcloud") || strings.Contains(c, "tagged") {
				named = true
				break
			}
		}
	}
	if named {
		return countLinks(n, 3) > 0 && rawTextLen(n) < 2000
	}
	first := firstText(n)
	if first == "" || len(first) > 40 {
		return false // labels such as "Tags:" are short
	}
	label := strings.TrimRight(strings.TrimSpace(first), ": ")
	for _, l := range tagLabels {
		if strings.EqualFold(label, l) {
			return countLinks(n, 1) > 0 && rawTextLen(n) < 2000
		}
	}
	return false
}

// firstText returns the first non-blank text directly inside n or its
// first child elements, without descending into links.
func firstText(n *html.Node) string {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			if t := strings.TrimSpace(c.Data); t != "" {
				return t
			}
		case html.ElementNode:
			if c.DataAtom == atom.A {
				return ""
			}
			if t := firstText(c); t != "" {
				return t
			}
			if hasText(c) {
				return ""
			}
		}
	}
	return ""
}

// hasText reports whether any non-space text sits under n, stopping at
// the first.
func hasText(n *html.Node) bool {
	if n.Type == html.TextNode {
		return strings.TrimSpace(n.Data) != ""
	}
	if n.Type == html.ElementNode {
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template:
			return false
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasText(c) {
			return true
		}
	}
	return false
}

// countLinks counts the <a href> elements under n, stopping at max.
func countLinks(n *html.Node, max int) int {
	c := 0
	walk(n, func(x *html.Node) bool {
		if c >= max {
			return false
		}
		if x.DataAtom == atom.A && attr(x, "href") != "" {
			c++
			return false
		}
		return true
	})
	return c
}
