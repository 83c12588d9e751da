package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// page holds what one walk over the parsed document collects: meta tags,
// links, JSON-LD blocks and the visible elements that carry metadata.
type page struct {
	root *html.Node
	base *urlResolver

	// meta maps a lower-cased meta name, property or itemprop to its
	// contents in document order.
	meta map[string][]string

	htmlLang    string
	titleTag    string
	canonical   string
	ampURL      string
	authorRel   []string     // text of rel=author links
	authorLinks []*html.Node // links to author pages (/author/jane-doe)
	jsonLD      []string     // contents of ld+json scripts

	logoAlts   []string // alt texts of logo images
	copyrights []string // short texts holding © or "Copyright"

	h1s       []*html.Node
	times     []*html.Node
	itemprops []*html.Node // elements with an itemprop attribute
	bylines   []*html.Node // elements that look like a byline or author credit
	tagLinks  []*html.Node // rel=tag links

	// head is the element that shows the headline (headlineNode), set
	// once the headline is known; nil when none does.
	head *html.Node

	// bodyMarks are the elements that standard markup names as an
	// article's text (see isBodyMark), outermost only.
	bodyMarks []*html.Node

	// searchForm is set when the page's main content (<main>, <article>
	// or role=main) holds a search form.
	searchForm bool

	elems int // element count

	facts blockFacts // tests shared by the related, tag and prune passes
}

// collect walks the document once and fills a page. It lower-cases the
// class and id attributes as it goes, and hands links to links (see
// Options.Links) when it is not nil.
func collect(root *html.Node, base *urlResolver, links func(tag, href, rel, typ string)) *page {
	p := &page{root: root, base: base, meta: make(map[string][]string)}
	inHead := false
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.TextNode && len(p.copyrights) < 4 && len(n.Data) < 300 &&
			(strings.Contains(n.Data, "©") || strings.Contains(n.Data, "Copyright") || strings.Contains(n.Data, "&copy")) {
			p.copyrights = append(p.copyrights, collapse(n.Data))
		}
		if n.Type != html.ElementNode {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				visit(c)
			}
			return
		}
		p.elems++
		// Class names and ids are tested by every later pass, always
		// case-insensitively: lower-case them once here, so those tests
		// need no copies.
		for i := range n.Attr {
			if k := n.Attr[i].Key; (k == "class" || k == "id") && n.Attr[i].Namespace == "" {
				n.Attr[i].Val = strings.ToLower(n.Attr[i].Val)
			}
		}
		if links != nil {
			switch n.DataAtom {
			case atom.A, atom.Area, atom.Link, atom.Base:
				links(n.Data, attr(n, "href"), attr(n, "rel"), attr(n, "type"))
			}
		}
		switch n.DataAtom {
		case atom.Html:
			if l := attr(n, "lang"); l != "" {
				p.htmlLang = l
			} else if l := attr(n, "xml:lang"); l != "" {
				p.htmlLang = l
			}
		case atom.Head:
			inHead = true
		case atom.Title:
			if p.titleTag == "" && ancestor(n, func(a *html.Node) bool { return a.DataAtom == atom.Svg }) == nil {
				p.titleTag = textOf(n)
			}
			return
		case atom.Base:
			if h := attr(n, "href"); h != "" {
				base.setBase(h)
			}
		case atom.Meta:
			content, ok := metaContent(n)
			if !ok {
				break
			}
			for _, key := range [...]string{"property", "name", "itemprop", "http-equiv"} {
				if k := attr(n, key); k != "" {
					for _, k := range strings.Fields(k) {
						k = strings.ToLower(k)
						p.meta[k] = append(p.meta[k], content)
					}
				}
			}
		case atom.Link:
			rel := strings.ToLower(attr(n, "rel"))
			href := strings.TrimSpace(attr(n, "href"))
			for _, r := range strings.Fields(rel) {
				switch r {
				case "canonical":
					if p.canonical == "" && href != "" {
						p.canonical = href
					}
				case "amphtml":
					p.ampURL = href
				}
			}
		case atom.Script:
			if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && n.FirstChild != nil {
				var b strings.Builder
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					b.WriteString(c.Data)
				}
				p.jsonLD = append(p.jsonLD, b.String())
			}
			return
		case atom.Style, atom.Template, atom.Svg:
			return
		case atom.Form:
			if !p.searchForm && isSearchForm(n) && ancestor(n, isMainContent) != nil {
				p.searchForm = true
			}
		case atom.H1:
			p.h1s = append(p.h1s, n)
		case atom.Img:
			if alt := collapse(attr(n, "alt")); alt != "" && len(alt) < 80 && len(p.logoAlts) < 8 && isLogo(n) {
				p.logoAlts = append(p.logoAlts, alt)
			}
		case atom.Time:
			p.times = append(p.times, n)
		case atom.A:
			if isAuthorHref(attr(n, "href")) {
				p.authorLinks = append(p.authorLinks, n)
			}
			rel := strings.ToLower(attr(n, "rel"))
			// WordPress marks category links rel="category tag": a section,
			// not a tag.
			if rel != "" && !strings.Contains(rel, "category") {
				for _, r := range strings.Fields(rel) {
					switch r {
					case "author":
						if t := textOf(n); t != "" {
							p.authorRel = append(p.authorRel, t)
						}
					case "tag":
						p.tagLinks = append(p.tagLinks, n)
					}
				}
			}
		case atom.Body:
			inHead = false
		}
		if !inHead {
			if isBodyMark(n) && (len(p.bodyMarks) == 0 || !isAncestorOf(p.bodyMarks[len(p.bodyMarks)-1], n)) {
				p.bodyMarks = append(p.bodyMarks, n)
			}
			if hasAttr(n, "itemprop") {
				p.itemprops = append(p.itemprops, n)
			}
			if looksLikeByline(n) {
				p.bylines = append(p.bylines, n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
		if n.DataAtom == atom.Head {
			inHead = false
		}
	}
	visit(root)
	p.facts = make(blockFacts, p.elems)
	return p
}

// isLogo reports whether an image is the site's logo: named so, or inside
// a link to the home page.
func isLogo(img *html.Node) bool {
	if strings.Contains(classJoined(img), "logo") || strings.Contains(strings.ToLower(attr(img, "src")), "logo") {
		return true
	}
	a := ancestor(img, func(x *html.Node) bool { return x.DataAtom == atom.A })
	if a == nil {
		return false
	}
	h := attr(a, "href")
	return h == "/" || h == "/index.html" || strings.Contains(classJoined(a), "logo") || strings.Contains(classJoined(a), "brand")
}

// metaContent returns the value a <meta> carries: content, or value for
// some microdata, or datetime.
func metaContent(n *html.Node) (string, bool) {
	for _, k := range [...]string{"content", "value", "datetime"} {
		for _, a := range n.Attr {
			if a.Key == k {
				v := collapse(html.UnescapeString(a.Val))
				return v, v != ""
			}
		}
	}
	return "", false
}

// first returns the first non-empty content of the given meta keys, in the
// order of keys.
func (p *page) first(keys ...string) string {
	for _, k := range keys {
		for _, v := range p.meta[k] {
			if v != "" {
				return v
			}
		}
	}
	return ""
}

// authorPathWords are URL path segments of author pages, followed by
// another segment ("/author/jane-doe").
var authorPathWords = setOf(`author authors autor autoren auteur auteurs profile profiles people staff writers writer
contributor contributors reporter reporters journalist journalists by columnist columnists team redaktion firmas autores autore`)

// isAuthorHref reports whether a link points to an author's page.
func isAuthorHref(href string) bool {
	if href == "" || len(href) > 300 {
		return false
	}
	low := strings.ToLower(href)
	// Each "/segment/" once, by a set lookup.
	for i := strings.IndexByte(low, '/'); i >= 0; {
		j := strings.IndexByte(low[i+1:], '/')
		if j < 0 {
			break
		}
		if authorPathWords[low[i+1:i+1+j]] {
			return true
		}
		i += 1 + j
	}
	return strings.Contains(low, "author=") || strings.Contains(low, "?author")
}

// looksLikeByline reports whether an element's markup names it as a byline
// or author credit (class, id, rel, itemprop or data attributes).
func looksLikeByline(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Html, atom.Body, atom.Main, atom.Article, atom.Script, atom.Style, atom.Img, atom.Meta, atom.Link:
		return false
	}
	if ip := strings.ToLower(attr(n, "itemprop")); ip == "author" || ip == "creator" {
		return true
	}
	if strings.Contains(strings.ToLower(attr(n, "rel")), "author") {
		return true
	}
	c := classJoined(n)
	if c == "" {
		return strings.Contains(strings.ToLower(attr(n, "data-testid")), "byline")
	}
	if bylineClassPhrases.in(c) {
		// author bio boxes, avatars and comment authors are not bylines
		return !notBylineClassPhrases.in(c)
	}
	return false
}

// bylineClassPhrases name a byline in a class or id; notBylineClassPhrases
// name what sits near one and is not: author bio boxes, avatars, photo
// credits, comment authors, follow buttons.
var (
	bylineClassPhrases    = newPhrases("byline", "by-line", "author", "writer", "reporter", "autor", "auteur", "verfasser")
	notBylineClassPhrases = newPhrases("bio", "avatar", "comment", "image", "photo", "img", "description", "about", "social", "follow", "more-from", "twitter")
)

// isSearchForm reports whether a form is a search box: role=search, or
// an <input type=search> inside it.
func isSearchForm(f *html.Node) bool {
	if strings.EqualFold(attr(f, "role"), "search") {
		return true
	}
	return findFirst(f, func(x *html.Node) bool {
		return x.DataAtom == atom.Input && strings.EqualFold(attr(x, "type"), "search")
	}) != nil
}

// isMainContent reports whether n is the page's main content element:
// <main>, <article> or role=main.
func isMainContent(n *html.Node) bool {
	return n.DataAtom == atom.Main || n.DataAtom == atom.Article || strings.EqualFold(attr(n, "role"), "main")
}

// isBodyMark reports whether standard markup names n as an article's
// text: schema.org microdata (itemprop=articleBody), the hAtom
// microformat (class entry-content) or microformats2 h-entry (class
// e-content).
func isBodyMark(n *html.Node) bool {
	if strings.EqualFold(attr(n, "itemprop"), "articlebody") {
		return true
	}
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == "entry-content" || c == "e-content" {
			return true
		}
	}
	return false
}

// isAncestorOf reports whether a is n or one of its ancestors.
func isAncestorOf(a, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == a {
			return true
		}
	}
	return false
}
