package extract

import (
	"bytes"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// bodyResult is the article text and what was learnt extracting it.
type bodyResult struct {
	text string
	// linkDensity is the share of the text that sits inside links.
	linkDensity float64
	// paragraphs counts the text blocks.
	paragraphs int
	// linkParas counts the text blocks that are one link each (at least
	// nine tenths of their text inside links): the headlines of teasers.
	linkParas int
	// excerpts counts the text blocks cut short with an ellipsis or a
	// "Read more" link: the summaries of teasers.
	excerpts int
}

// placeholderURL stands in for the page URL when none is known, so that
// readability can run; relative links then stay unresolved.
var placeholderURL = &url.URL{Scheme: "http", Host: "localhost", Path: "/"}

// extractBody finds the article text. It prunes boilerplate from the tree
// (which it mutates), lets readability choose the content, and renders
// that as plain text. When readability finds too little, the JSON-LD
// articleBody is used instead.
func extractBody(root *html.Node, src []byte, head *html.Node, marks []*html.Node, elems int, pageURL *url.URL, ld *ldData, cr credit, facts blockFacts) bodyResult {
	var lead *html.Node
	if head != nil {
		lead = leadAfter(head, facts)
	}
	prune(root, head, lead, marks, cr.nodes, facts)
	squeezeSpace(root)
	if pageURL == nil {
		pageURL = placeholderURL
	}
	var res bodyResult
	// Readability rescans and clones the tree several times; on a page of
	// more than maxBodyElements elements (ten times the largest news page
	// we have seen; a generated link farm) that takes seconds, and such a
	// page has no article text to find.
	if elems > maxBodyElements {
		return res
	}
	res = readable(root, pageURL)
	// Pruning can take the article with the page's furniture (a story
	// printed as a photo caption, in a block named for a sidebar). When
	// the pruned tree gives no text at all, readability reads the page
	// as it came.
	if res.text == "" && len(src) > 0 {
		if whole, err := html.ParseWithOptions(bytes.NewReader(src), html.ParseOptionEnableScripting(false)); err == nil {
			squeezeSpace(whole)
			res = readable(whole, pageURL)
		}
	}
	if ldBody := ldString(ld.article, "articleBody"); len(ldBody) > 2*len(res.text) && len(ldBody) > 200 {
		res = bodyResult{text: paragraphsFromPlain(ldBody), paragraphs: strings.Count(ldBody, "\n") + 1}
	}
	return res
}

// readable runs readability on the document root (which it mutates) and
// renders what it finds as text.
func readable(root *html.Node, pageURL *url.URL) bodyResult {
	stopBylineRemoval(root)
	parser := readability.NewParser()
	parser.DisableJSONLD = true
	// Its default logger formats every Info record and writes it to
	// io.Discard; a discarding handler skips the formatting.
	parser.Logger = discardLogger
	art, err := parser.ParseAndMutate(root, pageURL)
	if err != nil || art.Node == nil {
		return bodyResult{}
	}
	return renderText(art.Node)
}

// stopBylineRemoval gives the document a <meta name="author">, which
// turns off readability's own byline removal. That removal takes any
// short element whose class or id says "author" or "byline" for the
// byline, and on a page with a short story it removes the story's whole
// container (<article class="post author-jane-doe">). newsx has read and
// removed the credit lines already (credits, prune).
func stopBylineRemoval(root *html.Node) {
	head := findFirst(root, func(n *html.Node) bool { return n.DataAtom == atom.Head })
	if head == nil {
		return
	}
	head.AppendChild(&html.Node{Type: html.ElementNode, DataAtom: atom.Meta, Data: "meta",
		Attr: []html.Attribute{{Key: "name", Val: "author"}, {Key: "content", Val: "newsx"}}})
}

// squeezeSpace replaces each run of HTML white space in the text under
// root with one space, outside <pre> and <textarea>, as a browser shows
// it: a line break in the markup's text is no line break in the article.
// Readability also walks the text of every candidate container rune by
// rune and counts such a run as one character: the indentation of
// pretty-printed markup, often a large share of a page's text, cost it
// time and changed nothing.
func squeezeSpace(root *html.Node) {
	walk(root, func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			n.Data = squeezeRuns(n.Data)
		case html.ElementNode:
			return n.DataAtom != atom.Pre && n.DataAtom != atom.Textarea
		}
		return true
	})
}

// squeezeRuns returns s with each run of HTML white-space characters that
// is not a single space (a line break, a tab, two spaces or more) replaced
// by one space; s itself when it has none.
func squeezeRuns(s string) string {
	first := -1
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != ' ' && isHTMLSpace(c) || c == ' ' && i+1 < len(s) && isHTMLSpace(s[i+1]) {
			first = i
			break
		}
	}
	if first < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:first]...)
	space := false
	for i := first; i < len(s); i++ {
		if isHTMLSpace(s[i]) {
			if !space {
				b = append(b, ' ')
			}
			space = true
			continue
		}
		space = false
		b = append(b, s[i])
	}
	return string(b)
}

// isHTMLSpace reports whether c is one of HTML's white-space characters.
func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// discardLogger drops readability's log records unformatted.
var discardLogger = slog.New(slog.DiscardHandler)

// maxBodyElements is the most elements a page may have for the body pass.
const maxBodyElements = 100000

// paragraphsFromPlain turns plain text with single line breaks into
// paragraphs separated by blank lines.
func paragraphsFromPlain(s string) string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if line = collapse(line); line != "" {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n\n")
}

// isBoilerWord reports whether a class or id word names a block that is
// never article text. Each group says what the words name; a word that
// names one site's or one plugin's block does not belong here.
func isBoilerWord(w string) bool {
	switch w {
	case "share", "sharing", "sharebar", "social", "socials":
		// share and follow buttons
	case "newsletter", "newsletters", "subscribe", "subscription", "signup", "paywall":
		// sign-up boxes and subscription prompts
	case "related", "relatedposts", "recommended", "recommendations", "recirc", "trending", "popular", "mostread",
		"promo", "readmore", "alsoread", "outbrain", "taboola":
		// other stories: related, recommended, most read, promoted (the
		// two recommendation widgets every site embeds the same way)
	case "comments", "comment", "disqus":
		// readers' comments and the comment service sites embed
	case "advert", "advertisement", "advertising", "ads", "ad", "adslot", "adunit", "dfp", "sponsored":
		// advertising slots (dfp: the ad server's slot name)
	case "cookie", "cookies", "consent", "gdpr", "modal", "popup", "overlay", "toolbar":
		// consent banners, pop-ups and tool bars over the page
	case "breadcrumb", "breadcrumbs", "pagination", "skiplink", "sidebar":
		// navigation: crumbs, page numbers, skip links, the side column
		// (readability drops it too, but not inside layout tables)
	case "tags", "taglist":
		// the tag list, read as tags
	case "bio", "authorbio", "byline", "credit", "credits":
		// author boxes, the credit line (read as the byline), photo
		// credits
	case "caption", "disclaimer":
		// captions beside pictures, legal notes
	case "standfirst", "dek", "subheadline", "strapline", "kicker", "eyebrow":
		// the lines above and below the headline: read as headline and
		// description, not body
	default:
		return false
	}
	return true
}

// prune removes from the tree what is never article text: hidden elements,
// navigation, forms, share buttons, the byline elements already read,
// blocks whose markup names them as boilerplate, and, once the text has
// begun, a comments heading and what follows it in its container. A
// block so named is kept when it holds the headline element (head), the
// start of the text (lead) or an element standard markup names as the
// body (marks), or much of the page's prose (30%, or 1500 bytes; see
// proseText), however it is named.
func prune(root, head, lead *html.Node, marks, bylines []*html.Node, facts blockFacts) {
	total := proseText(root)
	// keep reports whether a block named as boilerplate holds the article:
	// its headline, the start of its text, the element standard markup
	// names as its body, or much of the page's prose (a page-wide wrapper).
	keep := func(n *html.Node) bool {
		if head != nil && isAncestorOf(n, head) || lead != nil && isAncestorOf(n, lead) {
			return true
		}
		for _, m := range marks {
			if isAncestorOf(n, m) {
				return true
			}
		}
		pt := proseText(n)
		return total > 0 && (pt*10 >= total*3 || pt >= 1500)
	}
	// Comments under the article: once the text has begun (at its lead,
	// or its headline when no lead was found), a heading such as "12
	// Comments" or "Leave a Reply" starts the readers' part of the page,
	// which old templates print in the article's own container.
	start := lead
	if start == nil {
		start = head
	}
	begun := false
	var drop []*html.Node
	for _, b := range bylines {
		if rawTextLen(b) < 300 {
			drop = append(drop, b)
		}
	}
	walk(root, func(n *html.Node) bool {
		if n == start {
			begun = true
		}
		if n.Type != html.ElementNode {
			return true
		}
		if begun && isHeading(n.DataAtom) && isCommentHeading(textOf(n)) {
			// The heading, or the box it alone fills, and all that
			// follows it in its container.
			x := n
			for x.Parent != nil && x.Parent.DataAtom != atom.Body && rawTextLen(x.Parent) == rawTextLen(n) && !isAncestorOf(x.Parent, start) {
				x = x.Parent
			}
			for ; x != nil; x = x.NextSibling {
				drop = append(drop, x)
			}
			return false
		}
		switch n.DataAtom {
		case atom.Head:
			// The metadata pass has read the head; the body pass needs
			// only its <title>.
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type != html.ElementNode || c.DataAtom != atom.Title {
					drop = append(drop, c)
				}
			}
			return false
		case atom.Script, atom.Style, atom.Template:
			drop = append(drop, n)
			return false
		case atom.Form:
			// ASP.NET pages wrap the whole page in one <form>.
			if !keep(n) {
				drop = append(drop, n)
				return false
			}
		case atom.Nav, atom.Button, atom.Dialog, atom.Select, atom.Textarea, atom.Input, atom.Svg, atom.Iframe, atom.Figcaption:
			drop = append(drop, n)
			return false
		case atom.Html, atom.Body:
			return true
		case atom.A:
			if isShareLink(attr(n, "href")) {
				drop = append(drop, n)
				return false
			}
			// A javascript: link is a control ("Print this story"), not
			// a page; readability would turn it into plain text, so give
			// it an address that keeps it a link, marked for the renderer
			// (see controlAttr).
			if h := strings.TrimSpace(attr(n, "href")); len(h) >= 11 && strings.EqualFold(h[:11], "javascript:") {
				for i := range n.Attr {
					if n.Attr[i].Key == "href" {
						n.Attr[i].Val = "#"
					}
				}
				n.Attr = append(n.Attr, html.Attribute{Key: controlAttr, Val: "1"})
			}
		}
		if isHidden(n) {
			drop = append(drop, n)
			return false
		}
		if (n.DataAtom == atom.Ul || n.DataAtom == atom.Ol) && isLinkList(n) {
			drop = append(drop, n)
			// and the label that introduced it ("Next read this:")
			if h := prevElementSibling(n); h != nil && rawTextLen(h) < 60 && countLinks(h, 1) == 0 && isLabelLike(h) {
				drop = append(drop, h)
			}
			return false
		}
		// Dates and times printed above or below the text: a <time> that is
		// not part of a sentence, or a short block named as a date.
		if n.DataAtom == atom.Time && ancestor(n, func(a *html.Node) bool { return a.DataAtom == atom.P || a.DataAtom == atom.Li }) == nil ||
			n.DataAtom != atom.P && classWords(n, isDateWord) && rawTextLen(n) < 120 {
			drop = append(drop, n)
			return false
		}
		if isBoilerBlock(n, facts) && !keep(n) {
			drop = append(drop, n)
			return false
		}
		return true
	})
	for _, n := range drop {
		removeNode(n)
	}
}

// isBoilerBlock reports whether n is a block that is never article text:
// by its role or class (ariaBoiler, isBoilerWord, boilerClassPhrase), an
// "Also read" insert, a tag list, a related-stories container or a block
// opened by a heading such as "Most Read", "Synopsis" or a related-stories
// heading (not an <article>, <main> or <body>). The tests that need the
// class string or the leading heading come from facts.
func isBoilerBlock(n *html.Node, facts blockFacts) bool {
	if ariaBoiler(n) || classWords(n, isBoilerWord) {
		return true
	}
	f := facts.of(n)
	if f&(factBoilerClass|factAlsoRead|factTagList|factRelated) != 0 {
		return true
	}
	switch n.DataAtom {
	case atom.Article, atom.Main, atom.Body:
		return false
	}
	return f&factHeadedBoiler != 0
}

// blockFacts remembers, per element, the outcomes of the tests that read
// an element's class string, text and structure (boilerClassPhrase,
// isAlsoRead, isTagList, its leading heading, isRelatedBlock). The
// related-link, tag-list and prune passes each run them over the same
// tree, not changed in between; the first pass to test an element
// computes them all, with one class string and one leading heading, and
// the later ones look them up.
type blockFacts map[*html.Node]uint8

// Bits of a blockFacts value.
const (
	factBoilerClass  uint8 = 1 << iota // boilerClassPhrase
	factAlsoRead                       // isAlsoRead
	factTagList                        // isTagList
	factRelated                        // isRelatedBlock
	factSiteList                       // led by a site-wide list's heading (isBoilerHeadingText)
	factHeadedBoiler                   // led by a short related-stories or boilerplate heading
)

// of returns n's facts, computing them on first use.
func (f blockFacts) of(n *html.Node) uint8 {
	if v, ok := f[n]; ok {
		return v
	}
	var v uint8
	c := classJoined(n)
	if boilerClassPhrase(c) {
		v |= factBoilerClass
	}
	if isAlsoRead(n) {
		v |= factAlsoRead
	}
	if isTagList(n, c) {
		v |= factTagList
	}
	t, ok := leadingHeadingText(n)
	if isRelatedBlock(n, c, t) {
		v |= factRelated
	}
	if ok {
		siteList := isBoilerHeadingText(t)
		if siteList {
			v |= factSiteList
		}
		if len(t) <= 50 && (siteList || isRelatedHeading(t)) {
			v |= factHeadedBoiler
		}
	}
	f[n] = v
	return v
}

// boilerClassPhrase catches boilerplate named by multi-word class names:
// pull quotes (which repeat the text), image sources and summary boxes.
// c is the element's classJoined.
func boilerClassPhrase(c string) bool {
	return boilerClassPhrases.in(c)
}

var boilerClassPhrases = newPhrases(
	// pull quotes repeat the text; captions and picture credits describe
	// pictures
	"caption", "pullquote", "pull-quote", "image-source", "imagesource", "photo-credit", "image-credit", "photocredit",
	// sign-up and share boxes named in one word with another
	"newsletter", "social-share", "share-bar", "sharebar",
	// editors' notes and disclosures printed apart from the story
	"opinion-note", "editor-note", "editors-note", "editorial-note", "disclosure", "disclaimer")

// boilerHeadings open blocks that are never article text, matched against
// the lower-cased heading.
var boilerHeadings = []string{
	// lists of other stories
	"most read", "most popular", "most viewed", "trending", "popular now", "editor's picks", "editors' picks", "top stories",
	"top news", "latest news", "latest stories", "latest", "don't miss", "dont miss", "just in", "breaking news",
	"meistgelesen", "les plus lus", "lo más leído", "più letti",
	// lists of links
	"related links", "external links",
	// summaries that repeat the story in short
	"synopsis", "summary", "story highlights", "highlights", "in short", "at a glance",
	// sign-up, follow and share boxes; comments
	"newsletter", "sign up", "follow us", "share this", "comments",
}

// isBoilerHeadingText reports whether a lower-cased heading is one of
// boilerHeadings, alone or followed by more words ("latest news today").
func isBoilerHeadingText(t string) bool {
	for _, b := range boilerHeadings {
		if strings.HasPrefix(t, b) && (len(t) == len(b) || t[len(b)] == ' ') {
			return true
		}
	}
	return false
}

// prevElementSibling returns the element before n among its siblings.
func prevElementSibling(n *html.Node) *html.Node {
	for s := n.PrevSibling; s != nil; s = s.PrevSibling {
		if s.Type == html.ElementNode {
			return s
		}
		if s.Type == html.TextNode && strings.TrimSpace(s.Data) != "" {
			return nil
		}
	}
	return nil
}

// isLabelLike reports whether an element reads as a heading or label:
// an h2-h6, or a short text ending with a colon.
func isLabelLike(n *html.Node) bool {
	switch n.DataAtom {
	case atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	t := strings.TrimSpace(textOf(n))
	return strings.HasSuffix(t, ":") || len(strings.Fields(t)) <= 4 && !strings.HasSuffix(t, ".")
}

// isLinkList reports whether a list is made of links only (every item's
// text is a link's text): a menu, a table of contents or a list of other
// stories, never article text.
func isLinkList(n *html.Node) bool {
	items := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.DataAtom != atom.Li {
			continue
		}
		total := rawTextLen(c)
		if total == 0 {
			continue
		}
		linked := 0
		walk(c, func(x *html.Node) bool {
			if x.DataAtom == atom.A {
				linked += rawTextLen(x)
				return false
			}
			return true
		})
		if linked*10 < total*9 {
			return false
		}
		items++
	}
	return items >= 2
}

// ariaBoiler reports whether n's role marks it as page chrome.
func ariaBoiler(n *html.Node) bool {
	switch strings.ToLower(attr(n, "role")) {
	case "navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alert", "menu", "menubar":
		return true
	}
	return false
}

// proseText returns the amount of prose under n: the non-space bytes of
// its text runs that are at least minProseRun long, a run being the text
// between two block boundaries (or <br>s) without the text of links and
// lists. It measures article text however it is marked up: in <p>s, in
// runs separated by <br>, in table cells or bare <div>s. Menus, link
// lists and short labels add nothing.
func proseText(n *html.Node) int {
	total, run := 0, 0
	flush := func() {
		if run >= minProseRun {
			total += run
		}
		run = 0
	}
	var visit func(x *html.Node)
	visit = func(x *html.Node) {
		switch x.Type {
		case html.TextNode:
			run += rawTextLenString(x.Data)
			return
		case html.ElementNode:
			switch x.DataAtom {
			case atom.Script, atom.Style, atom.Head, atom.Noscript, atom.Template, atom.Svg,
				atom.A, atom.Ul, atom.Ol, atom.Select, atom.Button, atom.Textarea, atom.Option:
				return
			case atom.Br, atom.Hr:
				flush()
				return
			}
			if isBlock(x.DataAtom) {
				flush()
				for c := x.FirstChild; c != nil; c = c.NextSibling {
					visit(c)
				}
				flush()
				return
			}
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(n)
	flush()
	return total
}

// minProseRun is the shortest text run proseText counts: about a line of
// a sentence, longer than menu items, labels, dates and bylines.
const minProseRun = 50

// renderText renders readability's content node as plain text: one
// paragraph per block, separated by blank lines; list items and headings
// on their own; table rows as lines with cells joined by " | ".
func renderText(n *html.Node) bodyResult {
	r := &textRenderer{}
	r.render(n)
	r.flush()
	// Lines of links only before and after the text are the page's
	// navigation ("Home > News", "Print this story | Back to News"),
	// when there is text between them.
	if !slices.Contains(r.linkOnly, false) {
		r.linkOnly = nil // links only: a list, kept as it is
	}
	for len(r.linkOnly) > 0 && r.linkOnly[0] && len(r.paras[0]) < 200 {
		r.paras, r.linkOnly = r.paras[1:], r.linkOnly[1:]
	}
	for n := len(r.linkOnly); n > 0 && r.linkOnly[n-1] && len(r.paras[n-1]) < 200; n-- {
		r.paras, r.linkOnly = r.paras[:n-1], r.linkOnly[:n-1]
	}
	res := bodyResult{text: strings.Join(r.paras, "\n\n"), paragraphs: len(r.paras), linkParas: r.linkParas}
	for _, p := range r.paras {
		if isExcerpt(p) {
			res.excerpts++
		}
	}
	if r.total > 0 {
		res.linkDensity = float64(r.linked) / float64(r.total)
	}
	return res
}

// textRenderer accumulates paragraphs.
type textRenderer struct {
	paras     []string
	cur       strings.Builder
	inLink    int
	inControl int // inside a javascript: link (see controlAttr)
	inPre     int
	linked    int
	total     int
	// the linked and total letters and digits of the paragraph being
	// built (separators such as "|" and ">" between links count for
	// neither)
	parLinked, parTotal int
	linkParas           int
	// linkOnly tells, for each of paras, whether its text is all links.
	linkOnly []bool
}

func (r *textRenderer) flush() {
	t := strings.ReplaceAll(r.cur.String(), "\x00", "\n")
	r.cur.Reset()
	linkOnly := r.parTotal > 0 && r.parLinked*10 >= r.parTotal*9
	if linkOnly && r.parTotal >= 20 {
		r.linkParas++
	}
	r.parLinked, r.parTotal = 0, 0
	var lines []string
	for _, line := range strings.Split(t, "\n") {
		if line = collapse(line); line != "" {
			lines = append(lines, line)
		}
	}
	if len(lines) > 0 {
		r.paras = append(r.paras, strings.Join(lines, "\n"))
		r.linkOnly = append(r.linkOnly, linkOnly)
	}
}

func (r *textRenderer) render(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		if r.inPre > 0 {
			r.cur.WriteString(strings.ReplaceAll(n.Data, "\n", "\x00"))
		} else {
			r.cur.WriteString(n.Data)
		}
		l, w := rawTextLenString(n.Data), wordLen(n.Data)
		r.total += l
		r.parTotal += w
		switch {
		case r.inLink > 0:
			r.linked += l
			r.parLinked += w
		case r.inControl > 0:
			// a control's label: not a link to another page (the
			// link density), but not text either (link-only lines)
			r.parLinked += w
		}
		return
	case html.ElementNode:
	default:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			r.render(c)
		}
		return
	}
	// readability creates elements without setting DataAtom.
	tag := n.DataAtom
	if tag == 0 {
		tag = atom.Lookup([]byte(n.Data))
	}
	switch tag {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Iframe, atom.Figcaption, atom.Button,
		atom.Img, atom.Picture, atom.Video, atom.Audio, atom.Object, atom.Embed, atom.Canvas, atom.Select, atom.Input:
		return
	case atom.Br:
		// Two line breaks in a row separate paragraphs on older pages.
		if t := strings.TrimRight(r.cur.String(), " \t\r"); strings.HasSuffix(t, "\n") {
			r.flush()
			return
		}
		r.cur.WriteByte('\n')
		return
	case atom.Hr:
		r.flush()
		return
	case atom.Td, atom.Th:
		if n.PrevSibling != nil {
			r.cur.WriteString(" | ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			r.render(c)
		}
		return
	case atom.Tr:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			r.render(c)
		}
		r.cur.WriteByte('\n')
		return
	case atom.Thead, atom.Tbody, atom.Tfoot:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			r.render(c)
		}
		return
	case atom.A:
		if hasAttr(n, controlAttr) {
			r.inControl++
		} else {
			r.inLink++
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			r.render(c)
		}
		if hasAttr(n, controlAttr) {
			r.inControl--
		} else {
			r.inLink--
		}
		return
	case atom.Pre:
		r.flush()
		r.inPre++
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			r.render(c)
		}
		r.inPre--
		t := strings.Trim(r.cur.String(), "\x00 ")
		r.cur.Reset()
		r.parLinked, r.parTotal = 0, 0
		if t != "" {
			r.paras = append(r.paras, strings.ReplaceAll(t, "\x00", "\n"))
			r.linkOnly = append(r.linkOnly, false)
		}
		return
	}
	if isHidden(n) || classWords(n, func(w string) bool { return w == "caption" || w == "credit" }) || screenReaderOnly(n) {
		return
	}
	if tag == atom.Table || isBlock(tag) {
		r.flush()
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			r.render(c)
		}
		r.flush()
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.render(c)
	}
}

// wordLen counts the letters and digits of s.
func wordLen(s string) int {
	c := 0
	for _, r := range s {
		if r < utf8.RuneSelf {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
				c++
			}
		} else if unicode.IsLetter(r) || unicode.IsDigit(r) {
			c++
		}
	}
	return c
}

// rawTextLenString counts the non-space bytes of s.
func rawTextLenString(s string) int {
	c := 0
	for i := 0; i < len(s); i++ {
		if s[i] > ' ' {
			c++
		}
	}
	return c
}

// screenReaderOnly reports whether n is text for screen readers only
// (sr-only, visually-hidden, screen-reader-text).
func screenReaderOnly(n *html.Node) bool {
	c := classJoined(n)
	return srOnlyPhrases.in(c)
}

var srOnlyPhrases = newPhrases("sr-only", "visually-hidden", "screen-reader", "visuallyhidden")

// leadAfter returns the block holding the first prose after the headline
// element head: leadRun non-space bytes or more of text in one block
// (links and line breaks aside), not inside a list, figure, form
// control, heading, page chrome or a block named as boilerplate (a
// standfirst, a caption). The article text starts there.
func leadAfter(head *html.Node, facts blockFacts) *html.Node {
	var block *html.Node // the block whose text is being counted
	run := 0
	steps := 0
	for n := following(head, true); n != nil && steps < 5000; steps++ {
		switch n.Type {
		case html.TextNode:
			b := n.Parent
			for b != nil && b.Type == html.ElementNode && !isBlock(b.DataAtom) {
				b = b.Parent
			}
			if b != block {
				block, run = b, 0
			}
			if run += rawTextLenString(n.Data); run >= leadRun && block != nil {
				return block
			}
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Template, atom.Svg, atom.Nav, atom.Aside, atom.Footer, atom.A, atom.Li,
				atom.Select, atom.Button, atom.Textarea, atom.Noscript, atom.Figure, atom.Figcaption,
				atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				n = following(n, true)
				continue
			case atom.Br:
				run = 0 // a line of its own
			}
			if isHidden(n) || isBoilerBlock(n, facts) {
				n = following(n, true)
				continue
			}
		}
		n = following(n, false)
	}
	return nil
}

// leadRun is the shortest text leadAfter takes for the start of the
// article: a sentence, longer than a byline, date or caption credit.
const leadRun = 80

// following returns the node after n in document order; with skipKids,
// the node after n's subtree.
func following(n *html.Node, skipKids bool) *html.Node {
	if !skipKids && n.FirstChild != nil {
		return n.FirstChild
	}
	for ; n != nil; n = n.Parent {
		if n.NextSibling != nil {
			return n.NextSibling
		}
	}
	return nil
}

// isHeading reports whether a is h2–h6 (an <h1> titles the page, never a
// section of it).
func isHeading(a atom.Atom) bool {
	switch a {
	case atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// isCommentHeading reports whether a heading opens a page's comments:
// "Comments", "12 Comments", "One Response to “Title”", "3 thoughts on
// “Title”", "Leave a Reply", "Post a Comment", "Trackback Pings",
// "Kommentare". The words after "to" or "on" (the story's title) are not
// read; the rest must be only comment nouns and the small words around
// them, so a subheading such as "Comments from the minister" is not one.
func isCommentHeading(t string) bool {
	if len(t) > 200 {
		return false
	}
	words := strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) })
	noun := false
	for i, w := range words {
		if (w == "to" || w == "on" || w == "zu" || w == "sur") && i > 0 {
			words = words[:i]
			break
		}
	}
	if len(words) == 0 || len(words) > 5 {
		return false
	}
	for _, w := range words {
		switch w {
		case "comments", "comment", "responses", "response", "replies", "reply", "trackbacks", "trackback", "pingbacks",
			"pings", "thoughts", "reactions", "kommentare", "kommentar", "commentaires", "commentaire", "comentarios",
			"comentario", "comentários", "comentário", "commenti", "commento", "reacties", "reactie", "kommentarer":
			noun = true
		case "one", "no", "a", "an", "the", "leave", "post", "add", "your", "reader", "readers", "show", "view", "all", "and",
			"join", "write", "discussion", "de", "des", "los", "ihre", "schreiben", "laisser", "un", "deja", "lascia", "un'":
		default:
			return false
		}
	}
	return noun
}

// isShareLink reports whether href is a share button's: the endpoints
// social networks give sites to post a page (twitter.com/intent/tweet,
// facebook.com/sharer, linkedin.com/shareArticle, ...), or a mail link
// with only a subject and body.
func isShareLink(href string) bool {
	h := strings.ToLower(strings.TrimSpace(href))
	if strings.HasPrefix(h, "mailto:?") {
		return true
	}
	h = strings.TrimPrefix(strings.TrimPrefix(h, "https://"), "http://")
	h = strings.TrimPrefix(h, "www.")
	for _, p := range [...]string{"twitter.com/intent/", "twitter.com/share", "x.com/intent/", "facebook.com/sharer", "facebook.com/share.php",
		"linkedin.com/sharearticle", "linkedin.com/share", "pinterest.com/pin/create", "reddit.com/submit", "wa.me/?", "api.whatsapp.com/send",
		"t.me/share", "telegram.me/share", "tumblr.com/share", "tumblr.com/widgets/share", "getpocket.com/edit", "getpocket.com/save",
		"news.ycombinator.com/submitlink", "vk.com/share.php", "digg.com/submit", "del.icio.us/post", "stumbleupon.com/submit"} {
		if strings.HasPrefix(h, p) {
			return true
		}
	}
	return false
}

// controlAttr marks the links prune found to be javascript: controls.
const controlAttr = "data-newsx-control"

// isExcerpt reports whether a paragraph is a teaser's summary: it ends
// with an ellipsis ("…", "...", "[…]") or a "Read more" prompt.
func isExcerpt(p string) bool {
	p = strings.TrimRight(p, " »›>→)]\u00a0")
	if strings.HasSuffix(p, "…") || strings.HasSuffix(p, "...") {
		return true
	}
	low := strings.ToLower(p)
	for _, s := range [...]string{"read more", "continue reading", "weiterlesen", "lire la suite", "leer más", "leggi tutto", "lees meer"} {
		if strings.HasSuffix(low, s) {
			return true
		}
	}
	return false
}
