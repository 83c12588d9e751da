package extract

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// canonicalURL returns the page's canonical URL: link rel=canonical, then
// og:url, then the JSON-LD article's url.
func canonicalURL(p *page, ld *ldData) string {
	for _, c := range []string{p.canonical, p.first("og:url"), ldURL(ld.article, "url"), ldURL(ld.article, "mainEntityOfPage")} {
		if u := p.base.resolve(c); u != "" {
			return u
		}
	}
	return ""
}

// siteName returns the publication's name.
func siteName(p *page, ld *ldData) string {
	og, pub := p.first("og:site_name"), ld.publisherName()
	if !usableSiteName(og) {
		og = ""
	}
	if !usableSiteName(pub) {
		pub = ""
	}
	switch {
	case og != "" && pub != "":
		// One often adds a tagline, a legal suffix or a domain to the
		// other ("Spiceworks Inc", "Libération.fr", "Aktuálně.cz - Víte,
		// co se právě děje"): the shorter is the name.
		lo, lp := strings.ToLower(og), strings.ToLower(pub)
		if len(lp) < len(lo) && strings.HasPrefix(lo, lp) {
			return pub
		}
		return og
	case og != "":
		return og
	case pub != "":
		return pub
	}
	if s := microdataName(p, "publisher"); s != "" {
		return s
	}
	if s := p.first("application-name", "apple-mobile-web-app-title", "al:android:app_name", "al:ios:app_name", "twitter:app:name:iphone", "publisher", "dc.publisher", "cre"); usableSiteName(s) {
		return s
	}
	// The last part of the <title> when it spells the domain's name, as in
	// "Headline | The Example Times" on example-times.com, or when the logo
	// or the copyright line names the site so.
	host := hostOf(p.base.page)
	parts := splitTitle(p.titleTag)
	if len(parts) < 2 {
		return ""
	}
	for _, cand := range []string{parts[len(parts)-1], parts[0]} {
		if nameMatchesHost(cand, host) || confirmedSiteName(p, cand) {
			return cand
		}
	}
	return ""
}

// usableSiteName reports whether a declared site name can be one: not
// empty or overlong, not a social handle ("@politifact"), and not a page
// or product word that templates leave in the field ("Premium",
// "checkout", "Home").
func usableSiteName(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || len(s) >= 80 || strings.HasPrefix(s, "@") {
		return false
	}
	switch strings.ToLower(s) {
	case "premium", "checkout", "home", "homepage", "home page", "index", "default", "untitled", "website", "null", "undefined":
		return false
	}
	return true
}

// confirmedSiteName reports whether a title part is the site's name as
// its logo or copyright line spells it.
func confirmedSiteName(p *page, cand string) bool {
	lc := letters(cand)
	if len(lc) < 3 || len(strings.Fields(cand)) > 6 {
		return false
	}
	for _, alt := range p.logoAlts {
		if letters(alt) == lc {
			return true
		}
	}
	for _, c := range p.copyrights {
		if strings.Contains(letters(c), lc) {
			return true
		}
	}
	return false
}

// microdataName returns the name of the microdata item in property prop
// (itemprop="publisher" holding itemprop="name").
func microdataName(p *page, prop string) string {
	for _, n := range p.itemprops {
		if !strings.EqualFold(attr(n, "itemprop"), prop) {
			continue
		}
		if nameEl := findFirst(n, func(x *html.Node) bool { return strings.EqualFold(attr(x, "itemprop"), "name") }); nameEl != nil {
			if s := firstNonEmpty(attr(nameEl, "content"), textOf(nameEl)); s != "" {
				return collapse(s)
			}
		}
	}
	return ""
}

// hostOf returns u's host without "www.".
func hostOf(u *url.URL) string {
	if u == nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// nameMatchesHost reports whether a site name spells the host's main label
// ("The Korea Herald" and koreaherald.com).
func nameMatchesHost(name, host string) bool {
	compact := letters(name)
	if len(compact) < 3 {
		return false
	}
	label := host
	if i := strings.IndexByte(label, '.'); i > 0 {
		label = label[:i]
	}
	label = strings.ReplaceAll(label, "-", "")
	return compact == label || strings.TrimPrefix(compact, "the") == label ||
		(len(label) >= 4 && strings.Contains(compact, label)) || strings.Contains(strings.ReplaceAll(host, ".", ""), compact)
}

// letters returns the lower-case letters and digits of s.
func letters(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// titleSeparators split a <title> into headline and site parts.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " // ", " / ", " ~ ", "｜", " │ "}

// splitTitle splits a title on its separators.
func splitTitle(s string) []string {
	parts := []string{s}
	for _, sep := range titleSeparators {
		var next []string
		for _, p := range parts {
			for _, q := range strings.Split(p, sep) {
				if q = strings.TrimSpace(q); q != "" {
					next = append(next, q)
				}
			}
		}
		parts = next
	}
	return parts
}

// stripSiteName removes the site-name parts from a title: "Headline | Site"
// and "Site - Headline" give "Headline".
func stripSiteName(title, site, host string) string {
	title = collapse(title)
	for _, sep := range titleSeparators {
		i := strings.LastIndex(title, sep)
		if i > 0 {
			tail := strings.TrimSpace(title[i+len(sep):])
			if isSiteLabel(tail, site, host) {
				return stripSiteName(strings.TrimSpace(title[:i]), site, host)
			}
		}
		j := strings.Index(title, sep)
		if j > 0 {
			head := strings.TrimSpace(title[:j])
			if isSiteLabel(head, site, host) {
				return stripSiteName(strings.TrimSpace(title[j+len(sep):]), site, host)
			}
		}
	}
	// The site's name glued on with a bare hyphen or bar: "Headline
	// -Site", "Headline-Site"; it must be the name exactly, as words
	// joined so ("Plant-Based") are common.
	if i := strings.LastIndexAny(title, "-|"); i > 0 {
		tail, head := strings.TrimSpace(title[i+1:]), strings.TrimSpace(title[:i])
		if len(strings.Fields(head)) >= 2 && tail != "" && len(strings.Fields(tail)) <= 4 && (site != "" && letters(tail) == letters(site) || host != "" && nameMatchesHost(tail, host)) {
			return head
		}
	}
	return title
}

// isSiteLabel reports whether a title part names the site.
func isSiteLabel(part, site, host string) bool {
	if part == "" {
		return false
	}
	lp := letters(part)
	if site != "" {
		ls := letters(site)
		if lp == ls || (len(ls) >= 4 && strings.Contains(lp, ls) && len(lp) <= len(ls)+12) {
			return true
		}
	}
	return host != "" && nameMatchesHost(part, host)
}

// headline picks the article's title, cross-checking the visible <h1>
// against the metadata titles.
func headline(p *page, ld *ldData, site string) string {
	host := hostOf(p.base.page)
	var metas []string
	for _, t := range []string{
		ldString(ld.article, "headline"), p.first("og:title"), p.first("twitter:title"),
		ldString(ld.article, "name"), p.first("parsely-title", "sailthru.title", "dc.title", "title", "headline"),
	} {
		if t != "" {
			metas = append(metas, stripSiteName(t, site, host))
		}
	}
	titleTag := stripSiteName(p.titleTag, site, host)
	if titleTag != "" {
		metas = append(metas, titleTag)
	}
	// itemprop=headline is the page's own statement of its headline.
	for _, n := range p.itemprops {
		if strings.EqualFold(attr(n, "itemprop"), "headline") && n.DataAtom != atom.Meta &&
			ancestor(n, func(a *html.Node) bool { return a.DataAtom == atom.A }) == nil {
			if t := textWithoutLabels(n); len(t) > 3 && len(t) < 400 {
				return t
			}
		}
	}
	var best string
	bestScore := 0.0
	var mainH1 string
	for _, h := range p.h1s {
		if isHidden(h) || ancestor(h, isHidden) != nil {
			continue
		}
		t := textWithoutLabels(h)
		if len(t) < 4 || len(t) > 400 || isSiteLabel(t, site, host) {
			continue
		}
		for _, m := range metas {
			if s := titleSimilarity(t, m); s > bestScore {
				best, bestScore = t, s
			}
		}
		if mainH1 == "" && ancestor(h, func(a *html.Node) bool {
			return a.DataAtom == atom.Article || a.DataAtom == atom.Main || strings.EqualFold(attr(a, "role"), "main")
		}) != nil && len(strings.Fields(t)) >= 3 {
			mainH1 = t
		}
	}
	if bestScore >= 0.6 {
		return best
	}
	if mainH1 != "" {
		return mainH1
	}
	// An <h1> that matches no metadata title is still what readers see as
	// the headline, when it reads like one and sits outside page chrome.
	for _, h := range p.h1s {
		t := textWithoutLabels(h)
		if len(strings.Fields(t)) >= 4 && len(t) < 300 && !isSiteLabel(t, site, host) && !isHidden(h) &&
			ancestor(h, func(a *html.Node) bool {
				return a.DataAtom == atom.Nav || a.DataAtom == atom.Footer || a.DataAtom == atom.Aside || isHidden(a)
			}) == nil {
			return t
		}
	}
	// Old pages title the story with a lower heading and put the site's
	// name in the <h1>; the title then reads "Site: Headline".
	if t := titlePartHeading(p, metas); t != "" {
		return t
	}
	if len(metas) > 0 {
		return metas[0]
	}
	for _, h := range p.h1s {
		if t := textOf(h); len(strings.Fields(t)) >= 3 && !isSiteLabel(t, site, host) {
			return t
		}
	}
	return ""
}

// titleSimilarity compares two titles by their words: the share of the
// longer title's words found in the other.
func titleSimilarity(a, b string) float64 {
	wa, wb := titleWords(a), titleWords(b)
	if len(wa) == 0 || len(wb) == 0 {
		return 0
	}
	set := make(map[string]bool, len(wb))
	for _, w := range wb {
		set[w] = true
	}
	hit := 0
	for _, w := range wa {
		if set[w] {
			hit++
		}
	}
	n := len(wa)
	if len(wb) > n {
		n = len(wb)
	}
	return float64(hit) / float64(n)
}

// titleWords returns the lower-case words of a title.
func titleWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// description returns the page's summary.
func description(p *page, ld *ldData) string {
	if s := ldString(ld.article, "description"); s != "" {
		return s
	}
	return p.first("dc.description", "dcterms.description", "og:description", "description", "twitter:description", "sailthru.description")
}

// firstParagraph returns the body's first paragraph of some length, used as
// a description when the page has none.
func firstParagraph(body string) string {
	for _, para := range strings.Split(body, "\n\n") {
		if len(para) >= 80 {
			return para
		}
	}
	return ""
}

// leadImage returns the absolute URL of the lead image.
func leadImage(p *page, ld *ldData) string {
	cands := []string{
		p.first("og:image:secure_url", "og:image:url", "og:image"),
		p.first("twitter:image", "twitter:image:src"),
	}
	if ld.article != nil {
		cands = append(cands, ldURLValue(ld.resolve(ld.article["image"])), ldURLValue(ld.article["thumbnailUrl"]))
	}
	cands = append(cands, p.first("thumbnail", "image", "sailthru.image.full", "parsely-image-url"))
	for _, n := range p.itemprops {
		if strings.EqualFold(attr(n, "itemprop"), "image") {
			cands = append(cands, attr(n, "src"), attr(n, "content"), attr(n, "href"))
			if img := findFirst(n, func(x *html.Node) bool {
				ip := strings.ToLower(attr(x, "itemprop"))
				return x.DataAtom == atom.Img || ip == "url" || ip == "contenturl"
			}); img != nil {
				cands = append(cands, attr(img, "src"), attr(img, "content"), attr(img, "href"))
			}
		}
	}
	for _, c := range cands {
		if u := p.base.resolve(c); u != "" {
			return u
		}
	}
	return p.base.resolve(firstContentImage(p.root))
}

// firstContentImage returns the source of the first image inside the
// article's content that is not a logo, avatar, icon or tracking pixel,
// for pages that name no lead image in their metadata.
func firstContentImage(root *html.Node) string {
	src := ""
	doc := goquery.NewDocumentFromNode(root)
	doc.Find("article img, [itemprop=articleBody] img, main img, figure img").EachWithBreak(func(_ int, img *goquery.Selection) bool {
		cand := ""
		for _, attr := range [...]string{"src", "data-src", "data-lazy-src", "data-original"} {
			if v, ok := img.Attr(attr); ok && v != "" && !strings.HasPrefix(v, "data:") {
				cand = v
				break
			}
		}
		if cand == "" {
			return true
		}
		low := strings.ToLower(cand + " " + img.AttrOr("class", "") + " " + img.AttrOr("alt", ""))
		for _, bad := range [...]string{"logo", "avatar", "icon", "sprite", "pixel", "spacer", "blank.gif", "gravatar", "badge", "button"} {
			if strings.Contains(low, bad) {
				return true
			}
		}
		if w, err := strconv.Atoi(img.AttrOr("width", "")); err == nil && w > 0 && w < 150 {
			return true
		}
		src = cand
		return false
	})
	return src
}

// section returns the site section the article is filed under.
func section(p *page, ld *ldData) string {
	if s := p.first("article:section", "og:article:section"); s != "" {
		return s
	}
	if s := ldStrings(ld.article, "articleSection"); len(s) > 0 {
		return s[0]
	}
	if s := p.first("parsely-section", "sailthru.section", "section", "category", "dc.subject", "cxenseparse:pageclass"); s != "" && len(s) < 60 && s != "article" {
		return s
	}
	for _, n := range p.itemprops {
		if strings.EqualFold(attr(n, "itemprop"), "articleSection") {
			if s := textOf(n); s != "" && len(s) < 60 {
				return s
			}
			if s := attr(n, "content"); s != "" {
				return s
			}
		}
	}
	crumbs := ld.breadcrumb()
	// The last crumb is often the article itself; the one before is its section.
	for len(crumbs) > 0 {
		last := crumbs[len(crumbs)-1]
		if len(strings.Fields(last)) > 5 || strings.EqualFold(last, "home") {
			crumbs = crumbs[:len(crumbs)-1]
			continue
		}
		if len(crumbs) == 1 && strings.EqualFold(crumbs[0], "home") {
			return ""
		}
		return last
	}
	return ""
}

// wordCount counts the words of text: runs of letters and digits, with
// each CJK character counted as one word.
func wordCount(text string) int {
	n := 0
	in := false
	for i, r := range text {
		// "don't", "p.m.", "$4.8" and "Korea-China" are one word each: an
		// apostrophe, period or hyphen between letters or digits joins.
		if in && (r == '\'' || r == '’' || r == '.' || r == '-') {
			next, _ := utf8.DecodeRuneInString(text[i+len(string(r)):])
			if unicode.IsLetter(next) || unicode.IsDigit(next) {
				continue
			}
		}
		switch {
		case r < utf8.RuneSelf:
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
				if !in {
					n++
					in = true
				}
			} else {
				in = false
			}
		case r >= 0x2E80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)):
			n++
			in = false
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			if !in {
				n++
				in = true
			}
		default:
			in = false
		}
	}
	return n
}

// headlineNode returns the element that shows the headline on the page,
// the anchor from which the date, byline and body are looked for: the
// <h1> whose text is the headline; else the first other heading (h2–h6)
// or itemprop=headline element whose text is it; else the block holding
// the first text that is the headline, on old pages that print it in a
// <font>, <b> or table cell. It returns nil when no visible element
// shows the headline, or when it is empty.
func headlineNode(p *page, headline string) *html.Node {
	if headline == "" {
		return nil
	}
	want := titleKey(headline)
	if want == "" {
		return nil
	}
	for _, h := range p.h1s {
		if titleKey(textWithoutLabels(h)) == want && !inChrome(h) {
			return h
		}
	}
	var heading, block *html.Node
	walk(p.root, func(n *html.Node) bool {
		if heading != nil {
			return false
		}
		switch n.Type {
		case html.TextNode:
			if block == nil && len(n.Data) < 4*len(headline)+64 && titleKey(n.Data) == want {
				for a := n.Parent; a != nil; a = a.Parent {
					if a.Type == html.ElementNode && (isBlock(a.DataAtom) || a.DataAtom == atom.Body) {
						if !inChrome(a) && a.DataAtom != atom.Body {
							block = a
						}
						break
					}
				}
			}
			return false
		case html.ElementNode:
		default:
			return true
		}
		switch n.DataAtom {
		case atom.Head, atom.Script, atom.Style, atom.Template, atom.Svg, atom.Nav, atom.Footer, atom.Aside, atom.Select, atom.Title:
			return false
		case atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			if titleKey(textWithoutLabels(n)) == want && !inChrome(n) {
				heading = n
			}
			return false
		}
		if strings.EqualFold(attr(n, "itemprop"), "headline") && titleKey(textWithoutLabels(n)) == want {
			heading = n
			return false
		}
		return true
	})
	if heading != nil {
		return heading
	}
	return block
}

// titleKey reduces a title to its lower-cased letters and digits, so that
// the same headline matches whatever its spacing, quotes and dashes.
func titleKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// inChrome reports whether n sits in the page's navigation, sidebar or
// footer, or is hidden.
func inChrome(n *html.Node) bool {
	return isHidden(n) || ancestor(n, func(a *html.Node) bool {
		return a.DataAtom == atom.Nav || a.DataAtom == atom.Aside || a.DataAtom == atom.Footer || isHidden(a)
	}) != nil
}

// titlePartHeading returns the text of the first h2–h4 outside page
// chrome that is the longest part of a metadata title split at its
// separators (and at ": "), or "". The shorter parts are the site's or
// the section's name.
func titlePartHeading(p *page, metas []string) string {
	parts := map[string]bool{}
	for _, m := range metas {
		var longest string
		for _, part := range splitTitle(m) {
			for _, q := range strings.Split(part, ": ") {
				if len(q) > len(longest) {
					longest = q
				}
			}
		}
		if len(strings.Fields(longest)) >= 2 {
			parts[titleKey(longest)] = true
		}
	}
	if len(parts) == 0 {
		return ""
	}
	var found string
	walk(p.root, func(n *html.Node) bool {
		if found != "" || n.Type != html.ElementNode {
			return found == ""
		}
		switch n.DataAtom {
		case atom.Head, atom.Script, atom.Style, atom.Template, atom.Svg, atom.Nav, atom.Footer, atom.Aside, atom.Select, atom.A, atom.Title:
			return false
		case atom.H2, atom.H3, atom.H4:
			if t := textWithoutLabels(n); parts[titleKey(t)] && !inChrome(n) {
				found = t
			}
			return false
		}
		return true
	})
	return found
}
