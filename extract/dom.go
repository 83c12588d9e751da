package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// attr returns the value of n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}

// hasAttr reports whether n has the attribute key.
func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return true
		}
	}
	return false
}

// textOf returns the visible text of n with whitespace collapsed to single
// spaces. Block elements and <br> separate words.
func textOf(n *html.Node) string {
	var b strings.Builder
	appendText(&b, n)
	return collapse(b.String())
}

// appendText writes the text under n to b, skipping non-visible elements.
func appendText(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(n.Data)
		return
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Iframe, atom.Head:
			return
		case atom.Br:
			b.WriteByte(' ')
			return
		}
		if isHidden(n) {
			return
		}
	}
	block := n.Type == html.ElementNode && isBlock(n.DataAtom)
	if block {
		b.WriteByte(' ')
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		appendText(b, c)
	}
	if block {
		b.WriteByte(' ')
	}
}

// rawTextLen returns the number of non-space bytes of text under n.
func rawTextLen(n *html.Node) int {
	if n.Type == html.TextNode {
		c := 0
		for i := 0; i < len(n.Data); i++ {
			if n.Data[i] > ' ' {
				c++
			}
		}
		return c
	}
	if n.Type == html.ElementNode {
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template:
			return 0
		}
	}
	t := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t += rawTextLen(c)
	}
	return t
}

// collapse trims s and collapses every run of white space (including
// no-break and zero-width spaces) to one space. Invalid UTF-8, U+FFFD and
// soft hyphens are dropped. Text that is already so (most attribute values and short
// fields) is returned as it is, without a copy; otherwise runs of plain
// ASCII are copied whole.
func collapse(s string) string {
	// The longest prefix that needs no change: ASCII with single spaces
	// between words.
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c < ' ' || c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] <= ' ') {
			break
		}
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	head, space := s[:i], false
	if strings.HasSuffix(head, " ") {
		// a single space before a non-ASCII rune, which may be a space too
		head, space = head[:len(head)-1], true
	}
	b.WriteString(head)
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c <= ' ' {
				space = b.Len() > 0
				i++
				continue
			}
			j := i + 1
			for j < len(s) && s[j] > ' ' && s[j] < utf8.RuneSelf {
				j++
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteString(s[i:j])
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if isBlankRune(r) {
			space = b.Len() > 0
			continue
		}
		if r == utf8.RuneError || r == '\u00ad' {
			// keep replacement characters out of text fields, and soft
			// hyphens (where a word may break, never text)
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteString(s[i-size : i])
	}
	return b.String()
}

// isBlankRune reports whether collapse treats r as white space: Unicode
// white space, and the zero-width space, byte order mark and direction
// marks, which show nothing between words.
func isBlankRune(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || r == '\u200e' || r == '\u200f'
}

// isBlock reports whether elements of atom a start a new line of text.
func isBlock(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Dd, atom.Details, atom.Dialog,
		atom.Div, atom.Dl, atom.Dt, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer, atom.Form,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Header, atom.Hgroup, atom.Hr, atom.Li,
		atom.Main, atom.Nav, atom.Ol, atom.P, atom.Pre, atom.Section, atom.Table, atom.Tr, atom.Td, atom.Th,
		atom.Ul, atom.Caption, atom.Summary, atom.Tbody, atom.Thead, atom.Tfoot, atom.Body, atom.Html:
		return true
	}
	return false
}

// isHidden reports whether n is hidden from readers by markup.
func isHidden(n *html.Node) bool {
	if hasAttr(n, "hidden") {
		return true
	}
	if strings.EqualFold(attr(n, "aria-hidden"), "true") && n.DataAtom != atom.Img && n.DataAtom != atom.Span && n.DataAtom != atom.I {
		return true
	}
	if s := attr(n, "style"); s != "" {
		s = strings.ToLower(strings.ReplaceAll(s, " ", ""))
		if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") {
			return true
		}
	}
	return false
}

// classWords splits n's class and id into lower-case words at spaces,
// hyphens and underscores ("post-share_bar" gives post, share, bar) and
// calls fn for each until it returns true. The words of a BEM modifier,
// after "--", are left out ("section--ads" gives section). camelCase is
// not split: in names like "liveAlertAd" the parts mean nothing on their
// own.
func classWords(n *html.Node, fn func(w string) bool) bool {
	for _, key := range [...]string{"class", "id"} {
		v := attr(n, key)
		if v == "" {
			continue
		}
		start, upper := -1, false
		for i := 0; i <= len(v); i++ {
			var c byte
			if i < len(v) {
				c = v[i]
			}
			if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
				if start < 0 {
					start = i
				}
				upper = upper || c <= 'Z' && c >= 'A'
				continue
			}
			if start >= 0 {
				w := v[start:i]
				if upper {
					// collect lower-cases class and id in place, so
					// this is for nodes made after it.
					w = strings.ToLower(w)
				}
				if fn(w) {
					return true
				}
				start, upper = -1, false
			}
			// A BEM modifier ("section--ads", "card__title--related")
			// says how a block looks or what it sits beside, not what
			// it is: its words are skipped to the end of the name.
			if c == '-' && i+1 < len(v) && v[i+1] == '-' {
				for i < len(v) && !isHTMLSpace(v[i]) {
					i++
				}
			}
		}
	}
	return false
}

// classJoined returns n's class and id attributes lower-cased and joined,
// for substring tests such as "byline".
func classJoined(n *html.Node) string {
	c, id := attr(n, "class"), attr(n, "id")
	switch {
	case id == "":
		return strings.ToLower(c) // no copy when already lower-case
	case c == "":
		return strings.ToLower(id)
	}
	return strings.ToLower(c + " " + id)
}

// ancestor returns the nearest ancestor of n (not n) for which fn is true.
func ancestor(n *html.Node, fn func(*html.Node) bool) *html.Node {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && fn(p) {
			return p
		}
	}
	return nil
}

// walk calls fn for n and each descendant in document order. When fn
// returns false the node's children are skipped.
func walk(n *html.Node, fn func(*html.Node) bool) {
	if !fn(n) {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

// findFirst returns the first descendant of n (not n) for which fn is true.
func findFirst(n *html.Node, fn func(*html.Node) bool) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && fn(c) {
			return c
		}
		if f := findFirst(c, fn); f != nil {
			return f
		}
	}
	return nil
}

// removeNode detaches n from its parent.
func removeNode(n *html.Node) {
	if n.Parent != nil {
		n.Parent.RemoveChild(n)
	}
}

// phrases is a set of byte strings looked for inside a class name, such
// as "share-bar" in "post-share-bar__top", indexed by their first byte:
// in scans the name once, trying at each byte only the phrases that
// start with it, instead of searching the whole name once per phrase.
type phrases [256][]string

// newPhrases returns the set of ps; none may be empty.
func newPhrases(ps ...string) *phrases {
	var t phrases
	for _, p := range ps {
		t[p[0]] = append(t[p[0]], p)
	}
	return &t
}

// in reports whether s contains one of the phrases.
func (t *phrases) in(s string) bool {
	for i := 0; i < len(s); i++ {
		for _, p := range t[s[i]] {
			if strings.HasPrefix(s[i:], p) {
				return true
			}
		}
	}
	return false
}
