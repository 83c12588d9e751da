package extract

import (
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// dateKind says which date a candidate claims to be.
type dateKind int

const (
	kindPublished dateKind = iota
	kindModified
)

// dateCand is one date found on the page, in the order of trust.
type dateCand struct {
	raw  string
	kind dateKind
	// visible is true for dates read from text the reader sees.
	visible bool
	// near is true for visible dates printed with the headline or byline,
	// where a page shows its own date.
	near bool
}

// pageDates holds every date candidate of a page.
type pageDates struct {
	cands []dateCand
	url   string
	// zoneHints are visible date texts that state a zone, read for the
	// page's offset only: the text of a <time> whose datetime gives the
	// instant in UTC ("Feb 16, 2020 at 3:02pm PST").
	zoneHints []string
}

// findDates gathers publication and update dates from structured data,
// meta tags, microdata, <time> elements, labelled visible text and the URL.
func findDates(p *page, ld *ldData) *pageDates {
	d := &pageDates{url: p.base.pageString()}
	if d.url == "" && p.base.base != nil {
		// A saved page of unknown address: its canonical URL (the base
		// fromNode set) gives the URL's date hints.
		d.url = p.base.base.String()
	}
	near := false
	add := func(kind dateKind, visible bool, vals ...string) {
		for _, v := range vals {
			if v = strings.TrimSpace(v); v != "" {
				d.cands = append(d.cands, dateCand{raw: v, kind: kind, visible: visible, near: near})
			}
		}
	}
	if o := ld.article; o != nil {
		add(kindPublished, false, ldString(o, "datePublished"), ldString(o, "dateCreated"), ldString(o, "uploadDate"))
		add(kindModified, false, ldString(o, "dateModified"))
	}
	for _, k := range [...]string{"article:published_time", "og:article:published_time", "article:published", "published_time",
		"datepublished", "publishdate", "publish-date", "publish_date", "pubdate", "publication_date", "og:pubdate",
		"parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dcterms.created", "dc.date", "dcterms.date",
		"date", "article.published", "cxenseparse:recs:publishtime", "citation_publication_date", "displaydate", "pub_date", "release_date"} {
		add(kindPublished, false, p.meta[k]...)
	}
	for _, k := range [...]string{"article:modified_time", "og:updated_time", "article:modified", "modified_time", "datemodified",
		"last-modified", "lastmod", "dcterms.modified", "dc.date.modified", "article.updated", "revised"} {
		add(kindModified, false, p.meta[k]...)
	}
	for _, n := range p.itemprops {
		if n.DataAtom == atom.Meta {
			continue // already in p.meta
		}
		switch strings.ToLower(attr(n, "itemprop")) {
		case "datepublished", "datecreated":
			add(kindPublished, false, firstNonEmpty(attr(n, "datetime"), attr(n, "content"), textOf(n)))
		case "datemodified":
			add(kindModified, false, firstNonEmpty(attr(n, "datetime"), attr(n, "content"), textOf(n)))
		}
	}
	for _, n := range p.times {
		// The text too: some templates fill datetime with junk
		// ("00:00-YY-DD-MM") and print the real date inside.
		dt, txt := attr(n, "datetime"), textOf(n)
		_, _, dtOK := parseDate(dt, "")
		if dtOK && txt != "" && len(d.zoneHints) < 8 {
			// Any <time>, a sidebar's too: the site's clock is the
			// article's.
			d.zoneHints = append(d.zoneHints, txt)
		}
		if inBoilerplate(n) {
			continue
		}
		kind := kindPublished
		if c := classJoined(n) + " " + labelBefore(n); strings.Contains(c, "updat") || strings.Contains(c, "modif") || strings.Contains(c, "aktualisiert") {
			kind = kindModified
		}
		add(kind, true, dt)
		if !dtOK {
			add(kind, true, txt)
		}
	}
	// Labelled dates in the byline block: "Updated: March 25, 2024 12:58 IST".
	near = true
	for _, n := range p.bylines {
		scanLabelled(n, add)
		if n.Parent != nil && rawTextLen(n.Parent) < 300 {
			scanLabelled(n.Parent, add)
		}
	}
	for _, n := range datelineBlocks(p) {
		if !scanLabelled(n, add) {
			add(kindPublished, true, dateParts(textOf(n))...)
		}
	}
	// A page object's dates (WebPage, a recipe) when no article is typed:
	// templates fill them for every page, so they rank after the page's
	// <time> elements and labelled dates.
	if o := ld.page; o != nil && ld.article == nil {
		near = false
		add(kindPublished, false, ldString(o, "datePublished"), ldString(o, "uploadDate"))
		add(kindModified, false, ldString(o, "dateModified"))
		near = true
	}
	var labelled []string
	for _, t := range textsAfterHeadline(p, hasDigit) {
		if scanLabelledText(t, add) {
			labelled = append(labelled, t)
			continue
		}
		// the parts of a labelled line ("Updated <span>Jul 24</span>")
		// carry its label, not another date
		inLabelled := false
		for _, l := range labelled {
			inLabelled = inLabelled || strings.Contains(l, t)
		}
		if !inLabelled {
			add(kindPublished, true, dateParts(t)...)
		}
	}
	// Dates above the headline, after all the others: they may be a
	// header's "today" as much as the story's day.
	near = false
	for _, t := range textsBeforeHeadline(p) {
		if !scanLabelledText(t, add) {
			add(kindPublished, true, dateParts(t)...)
		}
	}
	if ds := dateInURL(d.url); ds != "" {
		add(kindPublished, false, ds)
	}
	return d
}

// dateParts splits a short line of page text into the parts that may hold
// a date: at separators, and before a "By" credit glued to the date
// ("20 Dec 2023 10:35 am ET ByZack Savitsky").
func dateParts(t string) []string {
	if len(t) > 300 {
		return nil
	}
	var out []string
	keep := func(s string) {
		if s = strings.TrimSpace(s); s != "" && len(strings.Fields(s)) <= maxDateWords {
			out = append(out, s)
		}
	}
	for _, part := range splitAny(t, "|•·\u2022") {
		if i := indexCredit(part); i > 0 {
			keep(part[:i])
			keep(part[i:])
			continue
		}
		keep(part)
		// A line may hold its date as one piece between dashes or
		// around a credit: "22/11/2020 - 04:30 - Fonte: Agência Brasil",
		// "Posted on October 31, 2012 by John Smith". A piece and the
		// next together come first: a date and its time.
		pieces := datePieces(part)
		if len(pieces) < 2 {
			continue
		}
		for i, p := range pieces {
			if i+1 < len(pieces) {
				keep(p + " " + pieces[i+1])
			}
			keep(p)
		}
	}
	return out
}

// datePieces splits a line at spaced dashes, before a credit ("by",
// "von", "par", "por"), and inside a credit before the word that starts
// its date ("by Jane Doe on June 25, 2012"): where a date begins or ends
// inside a longer line. A label stays with its date ("Updated on …").
func datePieces(s string) []string {
	var out, cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, " "))
			cur = cur[:0]
		}
	}
	for _, w := range strings.Fields(s) {
		switch w {
		case "-", "–", "—":
			flush()
			continue
		case "by", "By", "BY", "von", "Von", "par", "Par", "por", "Por":
			flush()
		case "on", "am", "le", "el", "il":
			if len(cur) > 0 && isCreditWord(cur[0]) {
				flush()
			}
		}
		cur = append(cur, w)
	}
	flush()
	return out
}

// isCreditWord reports whether w starts a credit: "By Jane Doe".
func isCreditWord(w string) bool {
	switch strings.ToLower(w) {
	case "by", "von", "par", "por":
		return true
	}
	return false
}

// maxDateWords is how many words an unlabelled line may have and still be
// read as the page's date. A longer line is prose ("pay rises starting July
// 1, 2024") or a teaser, and the date inside it is not the page's.
const maxDateWords = 10

// indexCredit returns where a "By" credit starts inside s, or -1.
func indexCredit(s string) int {
	for i := 1; i+3 < len(s); i++ {
		if s[i] == 'B' && s[i+1] == 'y' && (s[i+2] == ' ' || s[i+2] >= 'A' && s[i+2] <= 'Z') && (s[i-1] == ' ' || s[i-1] >= '0' && s[i-1] <= '9' || s[i-1] >= 'a' && s[i-1] <= 'z') {
			return i
		}
	}
	return -1
}

// textsAfterHeadline returns the texts of the short elements that follow
// the headline element (p.head, else an <h1>) in document order, where
// pages print the date and byline whatever their markup: each small
// element whole, and its parts one by one ("<span>Jane Doe</span><span>Oct
// 17, 2023</span>"). It stops where the article text begins, or at 16
// texts. When keep is not nil, only texts it accepts are taken (and
// counted): the date search takes those with a digit, so that names,
// buttons and labels do not use up the budget.
func textsAfterHeadline(p *page, keep func(string) bool) []string {
	var out []string
	h1s := p.h1s
	if p.head != nil {
		// The element that holds the headline, not a site-title h1
		// above it (whose neighbours are the header's "today" date).
		h1s = []*html.Node{p.head}
	}
	for i, h1 := range h1s {
		if i >= 2 || len(out) > 0 {
			break
		}
		if p.head == nil && inBoilerplate(h1) {
			continue
		}
		visited := 0
		for n := nextElement(h1); n != nil && len(out) < 16 && visited < 400; {
			visited++
			l := rawTextLen(n)
			switch {
			case n.DataAtom == atom.P && l > 200:
				return out // the text has begun
			case n.DataAtom == atom.Script || n.DataAtom == atom.Style || n.DataAtom == atom.Svg || l == 0:
				n = nextElement(n)
			case l <= 200:
				if t := textOf(n); keep == nil || keep(t) {
					out = append(out, t)
					walk(n, func(x *html.Node) bool {
						if x != n && x.Type == html.ElementNode && rawTextLen(x) > 0 && len(out) < 16 {
							if t := textOf(x); keep == nil || keep(t) {
								out = append(out, t)
							}
						}
						return true
					})
				}
				n = nextElement(n)
			default:
				// a container: go inside it
				if c := firstElementChild(n); c != nil {
					n = c
				} else {
					n = nextElement(n)
				}
			}
		}
	}
	return out
}

// hasDigit reports whether s holds a decimal digit of any script.
func hasDigit(s string) bool {
	for _, r := range s {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// textsBeforeHeadline returns the short texts with a digit printed just
// above the headline element, where blogs and some news templates put
// the date ("Friday, October 19, 2012" over the post's title): up to
// three elements before it, in its container or its container's.
func textsBeforeHeadline(p *page) []string {
	if p.head == nil {
		return nil
	}
	var out []string
	n, seen := p.head, 0
	for level := 0; level < 2 && n != nil; level++ {
		for s := n.PrevSibling; s != nil && seen < 3; s = s.PrevSibling {
			if s.Type != html.ElementNode {
				continue
			}
			seen++
			if l := rawTextLen(s); l == 0 || l > 120 || inBoilerplate(s) || isSiteHeader(s) {
				continue
			}
			if t := textOf(s); hasDigit(t) {
				out = append(out, t)
			}
		}
		n = n.Parent
	}
	return out
}

// firstElementChild returns n's first child element.
func firstElementChild(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			return c
		}
	}
	return nil
}

// labelBefore returns the lower-cased text just before n in its parent,
// where sites put labels such as "Updated".
func labelBefore(n *html.Node) string {
	if n.PrevSibling != nil && n.PrevSibling.Type == html.TextNode {
		return strings.ToLower(n.PrevSibling.Data)
	}
	return ""
}

// datelineBlocks returns small elements whose class names them as the
// article's date or meta line.
func datelineBlocks(p *page) []*html.Node {
	var out []*html.Node
	walk(p.root, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Head, atom.Nav, atom.Footer:
			return false
		}
		// the site's header (its "today" date), not an article's
		if isSiteHeader(n) && ancestor(n, func(a *html.Node) bool { return a.DataAtom == atom.Article || a.DataAtom == atom.Main }) == nil &&
			findFirst(n, func(x *html.Node) bool { return x.DataAtom == atom.H1 }) == nil {
			return false
		}
		if len(out) >= 8 {
			return false
		}
		if classWords(n, func(w string) bool {
			switch w {
			case "date", "dateline", "timestamp", "published", "updated", "pubdate", "posted", "time", "meta", "datetime":
				return true
			}
			return false
		}) && rawTextLen(n) < 200 && !inBoilerplate(n) {
			out = append(out, n)
			return false
		}
		return true
	})
	return out
}

// isSiteHeader reports whether n is a page header: a <header>, or an
// element whose class or id calls it a header, masthead or top bar
// ("header-date", "site-header") and not an article's ("entry-header",
// "article-header").
func isSiteHeader(n *html.Node) bool {
	if n.DataAtom == atom.Header {
		return true
	}
	header, article := false, false
	classWords(n, func(w string) bool {
		switch w {
		case "header", "masthead", "topbar":
			header = true
		case "article", "post", "entry", "story", "content", "headline", "title", "single":
			article = true
		}
		return false
	})
	return header && !article
}

// scanLabelled finds "Updated: <date>" and "Published: <date>" phrases in
// the text of n and reports whether it found any.
func scanLabelled(n *html.Node, add func(dateKind, bool, ...string)) bool {
	return scanLabelledText(textOf(n), add)
}

// scanLabelledText is scanLabelled for text.
func scanLabelledText(t string, add func(dateKind, bool, ...string)) bool {
	if len(t) > 400 {
		return false
	}
	found := false
	for _, part := range splitAny(t, "|•·\u2022") {
		part = strings.TrimSpace(part)
		low := strings.ToLower(part)
		for _, l := range modifiedLabels {
			if i := indexLabel(part, low, l); i >= 0 {
				add(kindModified, true, labelledParts(part[i:])...)
				found = true
				goto next
			}
		}
		for _, l := range publishedLabels {
			if i := indexLabel(part, low, l); i >= 0 {
				add(kindPublished, true, labelledParts(part[i:])...)
				found = true
				goto next
			}
		}
	next:
	}
	return found
}

// labelledParts returns a labelled date text and, when it goes on past
// the date, the same cut before a credit ("Posted on October 31, 2012
// by John Smith" gives "Posted on October 31, 2012").
func labelledParts(s string) []string {
	out := []string{s}
	for _, p := range datePieces(s) {
		if len(p) < len(s) {
			out = append(out, p)
			break
		}
	}
	return out
}

// Labels that introduce an update time or a publication time.
var (
	modifiedLabels  = []string{"last updated", "last update", "updated", "last modified", "aktualisiert", "mis à jour", "actualizado", "atualizado", "aggiornato", "更新", "अपडेट", "업데이트", "수정"}
	publishedLabels = []string{"first published", "published", "posted", "veröffentlicht", "publié", "publicado", "pubblicato", "公開", "प्रकाशित", "입력"}
)

// dateInURL returns a YYYY-MM-DD date found in a URL path: in segments
// (/2024/03/25/slug, /2024-03/25/), in one segment (/20240325/,
// /25032024/, /2024-03-25-slug), or inside a slug (/story-2024-03-25,
// /story_2024_03_25.html). Years run from 1995 to 2100.
func dateInURL(u string) string {
	i := strings.Index(u, "://")
	if i < 0 {
		return ""
	}
	path := u[i+3:]
	if j := strings.IndexByte(path, '/'); j >= 0 {
		path = path[j:]
	} else {
		return ""
	}
	if j := strings.IndexAny(path, "?#"); j >= 0 {
		path = path[:j]
	}
	segs := strings.Split(path, "/")
	for k := 0; k+1 < len(segs); k++ {
		y, m, dd := segs[k], segs[k+1], ""
		if k+2 < len(segs) {
			dd = segs[k+2]
		}
		// /2024-03/25/
		if len(y) == 7 && y[4] == '-' && isDigits(y[:4]) && isDigits(y[5:]) {
			if d, ok := urlDate(y[:4], y[5:], m); ok {
				return d
			}
		}
		if len(y) == 4 && isDigits(y) && len(m) <= 2 && isDigits(m) && len(dd) <= 2 && isDigits(dd) {
			if d, ok := urlDate(y, m, dd); ok {
				return d
			}
		}
	}
	for _, s := range segs {
		if len(s) >= 8 && isDigits(s[:8]) && (len(s) == 8 || !isDigit(s[8])) {
			if d, ok := urlDate(s[:4], s[4:6], s[6:8]); ok {
				return d
			}
			if d, ok := urlDate(s[4:8], s[2:4], s[:2]); ok {
				return d // DDMMYYYY
			}
		}
		// YYYY-MM-DD or YYYY_MM_DD anywhere in the segment, between
		// non-digits.
		for j := 0; j+10 <= len(s); j++ {
			if j > 0 && isDigit(s[j-1]) || j+10 < len(s) && isDigit(s[j+10]) {
				continue
			}
			c := s[j : j+10]
			if sep := c[4]; (sep == '-' || sep == '_') && c[7] == sep && isDigits(c[:4]) && isDigits(c[5:7]) && isDigits(c[8:]) {
				if d, ok := urlDate(c[:4], c[5:7], c[8:]); ok {
					return d
				}
			}
		}
	}
	return ""
}

// urlDate returns y-m-d as YYYY-MM-DD when it is a real day from 1995 to
// 2100.
func urlDate(y, m, d string) (string, bool) {
	if !isDigits(y) || !isDigits(m) || !isDigits(d) || len(m) > 2 || len(d) > 2 {
		return "", false
	}
	s := y + "-" + pad2(m) + "-" + pad2(d)
	if _, err := time.Parse(time.DateOnly, s); err != nil || y < "1995" || y > "2100" {
		return "", false
	}
	return s, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isDigits reports whether s is non-empty and all ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// parsedDate is a candidate that parsed.
type parsedDate struct {
	t       time.Time
	info    dateInfo
	kind    dateKind
	visible bool
	near    bool
}

// resolve picks the published and modified times and formats them as RFC
// 3339; with structuredOnly it ignores dates read from visible text. A time without a zone takes the offset that the page's other dates
// use; a UTC time in structured data takes the page's own offset when a
// visible date shows the same instant in it.
func (d *pageDates) resolve(lang string, structuredOnly bool) (published, modified string) {
	var all []parsedDate
	for _, c := range d.cands {
		if structuredOnly && c.visible {
			continue
		}
		t, info, ok := parseDate(c.raw, lang)
		if !ok {
			continue
		}
		all = append(all, parsedDate{t: t, info: info, kind: c.kind, visible: c.visible, near: c.near})
	}
	if len(all) == 0 {
		return "", ""
	}
	// The page's zone: the first non-UTC offset any date states.
	var zone *time.Location
	for _, c := range all {
		if c.info.HasZone {
			if _, off := c.t.Zone(); off != 0 {
				zone = time.FixedZone("", off)
				break
			}
		}
	}
	if zone == nil {
		for _, h := range d.zoneHints {
			if t, info, ok := parseDate(h, lang); ok && info.HasZone {
				if _, off := t.Zone(); off != 0 {
					zone = time.FixedZone("", off)
					break
				}
			}
		}
	}
	if zone == nil {
		zone = inferZone(all)
	}
	pick := func(kind dateKind) (parsedDate, bool) {
		for _, c := range all {
			if c.kind == kind {
				return c, true
			}
		}
		return parsedDate{}, false
	}
	format := func(c parsedDate) string {
		t := c.t
		switch {
		case !c.info.HasZone && zone != nil:
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), zone)
		case c.info.HasZone && zone != nil:
			if _, off := t.Zone(); off == 0 {
				t = t.In(zone)
			}
		}
		switch {
		case !c.info.HasTime && !c.info.HasZone:
			// The page gives a day, not a time: say no more than it.
			return t.Format(time.DateOnly)
		case !c.info.HasZone && zone == nil:
			// A time on the page's clock, whose offset the page does
			// not state.
			return t.Format(localLayout)
		}
		return t.Format(time.RFC3339)
	}
	pub, okP := pick(kindPublished)
	mod, okM := pick(kindModified)
	// A page republished under a new date shows that date to readers while
	// its structured data keeps the first one: a visible, unlabelled date
	// days later than the structured one is the page's publication date.
	if okP && !pub.visible {
		for _, c := range all {
			if c.kind != kindPublished || !c.near {
				continue
			}
			// Only the first date shown with the headline counts, and only
			// if the page says it was modified by then: a date past the
			// last modification, or on a page that gives none, is a
			// header's "today", a promo's date or an archive's capture
			// stamp.
			if c.t.Sub(pub.t) > 48*time.Hour && okM && !c.t.After(mod.t.Add(24*time.Hour)) {
				if sameDay(c, mod) && !c.info.HasTime {
					c = parsedDate{t: mod.t, info: mod.info, kind: kindPublished, visible: true}
				}
				pub = c
			}
			break
		}
	}
	// A page that gives only its update time was at least published then.
	if !okP && okM {
		pub, okP = mod, true
	}
	// A date-only published value gains its time from a fuller candidate
	// of the same day.
	if okP && !pub.info.HasTime {
		for _, c := range all {
			if c.kind == kindPublished && c.info.HasTime && sameDay(c, pub) {
				pub = c
				break
			}
		}
	}
	if okP {
		published = format(pub)
	}
	// An update before publication is a stale template value.
	if okM && !(okP && mod.t.Before(pub.t.Add(-time.Minute)) && !pub.visible) {
		modified = format(mod)
	}
	return published, modified
}

// inferZone finds the page's offset when no date states one but the page
// gives a time without a zone: a visible "5:05 PM" beside a structured
// 22:05Z says the page's clock is five hours behind UTC, and so does a
// structured "17:05:51" beside "22:05:51Z". The difference must be an
// offset a zone uses (validOffset), and not twelve hours (a.m. for p.m.).
func inferZone(all []parsedDate) *time.Location {
	for _, v := range all {
		if !v.info.HasTime || v.info.HasZone {
			continue
		}
		for _, s := range all {
			if s.visible || !s.info.HasZone || !s.info.HasTime {
				continue
			}
			if _, off := s.t.Zone(); off != 0 {
				continue
			}
			// A round hour matches too many unrelated times; trust it only
			// when the visible time is printed with the headline.
			if s.t.Minute() == 0 && !v.near {
				continue
			}
			// A structured local time must match to the second: "17:06:51"
			// beside "01:06:51Z" is the same instant eight hours behind.
			if !v.visible && (v.t.Minute() != s.t.Minute() || v.t.Second() != s.t.Second() || v.t.Second() == 0) {
				continue
			}
			// v's wall clock read as UTC, minus the instant; a visible
			// time shows minutes, not seconds.
			st := s.t
			if v.t.Second() == 0 {
				st = st.Truncate(time.Minute)
			}
			// Twelve hours apart is a.m. read for p.m., not a zone.
			diff := v.t.Sub(st)
			if diff != 0 && diff%time.Minute == 0 && validOffset(int(diff/time.Second)) && diff != 12*time.Hour && diff != -12*time.Hour {
				return time.FixedZone("", int(diff/time.Second))
			}
		}
	}
	return nil
}

// sameDay reports whether two dates fall on the same calendar day as written.
func sameDay(a, b parsedDate) bool {
	ay, am, ad := a.t.Date()
	by, bm, bd := b.t.Date()
	return ay == by && am == bm && ad == bd
}

// yearMonth returns the year and month of a date as resolve formats it
// (an RFC 3339 time, a time without an offset or a day), for datelines
// that omit the year; zero when there is none.
func yearMonth(s string) (int, time.Month) {
	for _, layout := range [...]string{time.RFC3339, localLayout, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Year(), t.Month()
		}
	}
	return 0, 0
}

// localLayout writes a time whose offset the page does not state.
const localLayout = "2006-01-02T15:04:05"
