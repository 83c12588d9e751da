package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// boilerPrefixes open paragraphs that are page furniture, not article
// text, matched against the lower-cased paragraph. Each group says what
// the paragraphs are; each entry is a pattern seen across sites, not one
// site's wording.
var boilerPrefixes = []string{
	// inserts pointing at other stories
	"also read", "read also", "also see:", "read more:", "read more at", "recommended:", "related:", "related stories",
	"related articles", "related news", "you may also like", "click here to",
	"lesen sie auch", "mehr zum thema", "lire aussi", "à lire aussi", "lee también", "यह भी पढ़ें", "ये भी पढ़ें",
	// sign-up, follow, share and app prompts
	"subscribe to our", "subscribe now", "sign up for", "sign up to", "follow us on", "follow our", "share this", "share on",
	"share via", "copy link", "download the app", "download our app", "get the app", "open in app", "join our whatsapp",
	"join our telegram", "for the latest news", "like this story? share", "we'd love to hear",
	// paywall prompts
	"to continue reading", "subscribe to continue", "subscribe to read", "already a subscriber", "already have an account",
	"log in to continue", "this content is for subscribers",
	// advertising markers and "continues below" breaks
	"advertisement", "anzeige", "publicité", "publicidad", "story continues below", "article continues below",
	"continue reading below", "scroll to continue",
	// notes on how the text was made or syndicated, and disclosures
	"disclaimer:", "(this story has not been edited", "this story has not been edited", "this post has been auto-published",
	"this article has been auto-published", "this is an auto-generated", "this article was auto-generated",
	"this post may contain affiliate", "this article contains affiliate", "this post contains affiliate",
	"we may earn a commission", "as an amazon associate",
	// picture credits and copyright lines
	"image source:", "photo credit:", "file photo", "(photo:", "photo:", "image:", "image source,", "(image:", "picture:",
	"getty images", "©", "copyright ", "(c) ", "all rights reserved", "this material may not be published",
	// tag and filing lines, reading times, interface text
	"tags:", "topics:", "filed under:", "reading time:", "tempo de leitura", "lesezeit", "temps de lecture",
	"tiempo de lectura", "loading...", "loading…", "report an error", "skip to content", "sign in https",
}

// boilerExact are paragraphs that are furniture when they are the whole
// paragraph.
var boilerExact = map[string]bool{
	"advertisement": true, "advertisements": true, "ad": true, "share": true, "tweet": true, "email": true, "print": true,
	"comments": true, "comment": true, "open in app": true, "read more": true, "continue reading": true, "scroll down": true,
	"related": true, "more": true, "loading": true, "anzeige": true, "werbung": true, "publicité": true, "publicidad": true,
	"facebook": true, "twitter": true, "whatsapp": true, "linkedin": true, "reddit": true, "copy link": true, "x": true,
	"top": true, "back to top": true, "listen to this article": true, "listen": true, "skip ad": true, "subscribe": true,
	"follow": true, "save": true, "gift this article": true, "share this article": true, "show comments": true,
	"skip to content": true, "skip to main content": true, "click to tweet": true, "text size": true, "sign in": true,
	"iklan": true, "publicidade": true, "reklama": true, "annonce": true, "pubblicità": true, "advertentie": true,
	"広告": true, "광고": true, "广告": true, "sponsored": true, "sponsored content": true, "print this article": true,
	"advert": true, "adverts": true, "subscriber services": true, "recent articles": true, "recent posts": true,
	"popular this week": true, "popular posts": true, "most popular": true, "most read": true, "trending now": true,
}

// cleanBody drops furniture paragraphs, paragraphs repeating the headline,
// the byline or any credit printed on the page (credits, from creditTexts;
// live blogs print one per post), teasers repeated by the text that follows, and duplicates.
func cleanBody(text string, a *Article, credits map[string]bool) string {
	if text == "" {
		return ""
	}
	paras := strings.Split(text, "\n\n")
	head := normText(a.Headline)
	byline := normText(a.Byline)
	section := normText(a.Section)
	keep := make([]string, 0, len(paras))
	seen := make(map[string]bool, len(paras))
	norms := make([]string, len(paras))
	for i, para := range paras {
		paras[i] = dropDateLines(para)
		norms[i] = normText(paras[i])
	}
	for i, para := range paras {
		n := norms[i]
		if n == "" || boilerExact[n] || (head != "" && n == head) || (byline != "" && n == byline) || (section != "" && n == section) || credits[n] {
			continue
		}
		if isBoilerParagraph(n) || isCaption(n) || isCreditLine(para) || isOwnURL(n, a) || isFollowLine(n) || isNewsletterPromo(n) || isLinkPromo(n) || isGalleryCounter(n) {
			continue
		}
		if isEndMarker(n) || i > len(paras)/2 && isAboutHeading(para) {
			break // the story has ended: press-release boilerplate follows
		}
		// A long paragraph printed twice is a copy (a mobile and a desktop
		// version); short lines repeat in lists and recipes.
		if len(n) >= 100 && seen[n] {
			continue
		}
		if isTeaser(n, norms[i+1:]) {
			continue
		}
		seen[n] = true
		keep = append(keep, para)
	}
	return strings.Join(trimTail(keep, a.Authors), "\n\n")
}

// trimTail drops what closes a story but is not its text, and what
// templates print after the story's last paragraph:
//   - contact lines and author bios: "Reach him at x@example.com", "Jane
//     Doe is a senior reporter for ..." (authors are the credited names);
//   - sign-off credits: "Reporting by Jane Doe; Editing by John Smith",
//     "John Smith contributed reporting from Hong Kong.", credits like
//     the byline;
//   - a post's closing metadata ("Posted in Politics, Local | 7 Comments",
//     "Posted by Jane Doe at 3:00 AM", "This entry was posted on ...",
//     "Filed under: ...", "Tags: ...");
//   - the author box: a short credit line ("Author: Jane Doe", "Written by
//     Jane Doe", "About the Author") and what follows it, when that is
//     the named person's bio ("Jane Doe is ...", or under "About the
//     Author" any "<Name> is ...") or more such lines;
//   - labels and menu items: two or more short lines (five words or
//     fewer, ending without a full stop, question or exclamation mark),
//     or one of three words or fewer ("Permalink", "Source: NASA").
//
// It never takes the whole text.
func trimTail(paras, authors []string) []string {
	// The author box, looked for in the last few paragraphs.
	for k := max(1, len(paras)-6); k < len(paras); k++ {
		name, ok := authorBoxName(paras[k])
		if !ok {
			continue
		}
		rest := paras[k+1:]
		bio := true
		for i, p := range rest {
			intro := name != "" && strings.HasPrefix(p, name+" ") || name == "" && i == 0 && introducesPerson(p)
			if !intro && !isTailLabel(p, 5) && !isPostMeta(p) && !isContactLine(p) {
				bio = false
				break
			}
		}
		if bio {
			paras = paras[:k]
			break
		}
	}
	for len(paras) > 1 {
		last := paras[len(paras)-1]
		switch {
		case isContactLine(last) || isAuthorBio(last, authors) || isSignOff(last):
			paras = paras[:len(paras)-1]
			continue
		case isPostMeta(last):
			paras = paras[:len(paras)-1]
			continue
		case isTailLabel(last, 3):
			paras = paras[:len(paras)-1]
			continue
		}
		// a run of two or more label lines
		n := 0
		for n < len(paras)-1 && isTailLabel(paras[len(paras)-1-n], 5) {
			n++
		}
		if n >= 2 {
			paras = paras[:len(paras)-n]
			continue
		}
		break
	}
	return paras
}

// introducesPerson reports whether a paragraph opens with a name and
// what the person is: "Pearl Higgins is a ...", "Jane Doe has written ...".
func introducesPerson(p string) bool {
	words := strings.Fields(p)
	for i, w := range words {
		if i > 3 {
			return false
		}
		switch w {
		case "is", "was", "has", "writes", "covers":
			return i >= 2
		}
		if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) {
			return false
		}
	}
	return false
}

// isTailLabel reports whether a paragraph is a label or a menu item: a
// single line of at most maxWords words that does not end a sentence.
func isTailLabel(p string, maxWords int) bool {
	if strings.Contains(p, "\n") || len(strings.Fields(p)) > maxWords {
		return false
	}
	p = strings.TrimRight(p, " \"'”’)»]")
	if p == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(p)
	switch r {
	case '.', '!', '?', '…', '。', '！', '？':
		return false
	}
	return true
}

// isPostMeta reports whether a paragraph is a post's closing metadata:
// who posted it, when, and under which categories and tags.
func isPostMeta(p string) bool {
	if len(strings.Fields(p)) > 50 || strings.Contains(p, "\n") {
		return false
	}
	low := strings.ToLower(p)
	for _, pre := range [...]string{"posted in", "posted by", "posted on", "posted at", "posted:", "filed under", "filed in",
		"tagged", "tags:", "categories:", "category:", "this entry was posted", "this post was posted",
		"published in", "posted under"} {
		if rest, ok := strings.CutPrefix(low, pre); ok && (rest == "" || rest[0] == ' ' || rest[0] == ':' || pre[len(pre)-1] == ':') {
			return true
		}
	}
	return false
}

// authorBoxName reports whether a paragraph opens an author box: "About
// the Author", "Author: Jane Doe", "Written by Jane Doe", "About Jane
// Doe"; name is the person named, if any.
func authorBoxName(p string) (name string, ok bool) {
	if strings.Contains(p, "\n") || len(strings.Fields(p)) > 8 {
		return "", false
	}
	low := strings.ToLower(p)
	switch {
	case low == "about the author" || low == "about the authors":
		return "", true
	case strings.HasPrefix(low, "author:"), strings.HasPrefix(low, "written by "), strings.HasPrefix(low, "about "):
		i := strings.IndexAny(p, ": ")
		if strings.HasPrefix(low, "written by ") {
			i = len("written by")
		}
		rest := strings.TrimSpace(strings.TrimLeft(p[i:], ": "))
		names, _ := parseByline("By " + rest)
		if len(names) == 1 && names[0] == rest {
			return rest, true
		}
	}
	return "", false
}

// isOwnURL reports whether a normalised paragraph is only the page's own
// address, as share widgets print it. Other addresses in the text are
// sources the article cites, and stay.
func isOwnURL(n string, a *Article) bool {
	if len(n) > 500 || strings.ContainsAny(n, " \t") || !strings.Contains(n, ".") {
		return false
	}
	key := urlKey(n)
	return key != "" && (key == urlKey(a.URL) || key == urlKey(a.CanonicalURL))
}

// urlKey reduces an address to lower-case host and path, without scheme,
// "www.", query, fragment and trailing slash.
func urlKey(u string) string {
	u = strings.ToLower(u)
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	u = strings.TrimPrefix(u, "www.")
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return strings.TrimRight(u, "/")
}

// socialNetworks are named together in "follow us" lines.
var socialNetworks = []string{"facebook", "twitter", "instagram", "youtube", "tiktok", "linkedin", "threads", "snapchat", "whatsapp", "telegram"}

// isFollowLine reports whether a short normalised paragraph asks readers to
// follow the site on social networks ("Follow Newsbeat on Instagram,
// Facebook, Twitter and YouTube").
func isFollowLine(n string) bool {
	if len(n) > 250 {
		return false
	}
	// "Follow us ...", "Follow Newsbeat on ...", "Like us on ...", not
	// "Follow the money: Facebook and Instagram spent ...".
	on := strings.Index(n, " on ")
	if !strings.HasPrefix(n, "follow us") && !(strings.HasPrefix(n, "follow ") && on > 0 && on < 40) &&
		!strings.HasPrefix(n, "like us on") && !strings.HasPrefix(n, "find us on") {
		return false
	}
	k := 0
	for _, s := range socialNetworks {
		if strings.Contains(n, s) {
			k++
		}
	}
	return k >= 2
}

// isSignOff reports whether a paragraph is a closing credit: "Reporting by
// ...", "Additional reporting by ...", "Editing by ...", "Compiled by
// ...", or "... contributed reporting" / "... contributed to this report".
func isSignOff(p string) bool {
	if len(p) > 300 {
		return false
	}
	bracketed := strings.HasPrefix(p, "(") || strings.HasPrefix(p, "[")
	trimmed := strings.TrimLeft(p, "([")
	for _, pre := range [...]string{"reporting by ", "additional reporting by ", "additional reporting from ", "writing by ", "editing by ",
		"edited by ", "compiled by ", "reporting and writing by "} {
		if len(trimmed) < len(pre) || !strings.EqualFold(trimmed[:len(pre)], pre) {
			continue
		}
		// A credit, not a sentence ("Reporting by ProPublica found the
		// agency ..."): in brackets, in ';' clauses, or names and little
		// else after the label.
		if bracketed || strings.Contains(p, ";") {
			return true
		}
		rest := strings.TrimRight(trimmed[len(pre):], " .)]")
		names, _ := parseByline("By " + rest)
		nameWords := 0
		for _, nm := range names {
			nameWords += len(strings.Fields(nm))
		}
		return nameWords > 0 && len(strings.Fields(rest)) <= nameWords+3
	}
	low := strings.ToLower(p)
	for _, c := range [...]string{"contributed reporting", "contributed to this report", "contributed to this story", "contributed to this article"} {
		if strings.Contains(low, c) && len(p) < 250 {
			return true
		}
	}
	return false
}

// isAuthorBio reports whether a paragraph describes one of the article's
// authors ("Jane Doe is a reporter covering ...", "Jane Doe covers ...").
func isAuthorBio(p string, authors []string) bool {
	if len(p) > 400 {
		return false
	}
	for _, name := range authors {
		rest, ok := strings.CutPrefix(p, name)
		if !ok {
			continue
		}
		for _, verb := range [...]string{" is a", " is an", " is the", " covers ", " writes ", " reports on", ", a ", " has been"} {
			if strings.HasPrefix(rest, verb) {
				return true
			}
		}
	}
	return false
}

// isContactLine reports whether a short paragraph is a contact note: it
// holds an e-mail address and little else ("Write to Jane Doe at
// jane@example.com"), or ends with the address ("... let us know at
// news@example.com."), not an instruction that names an address on its
// way.
func isContactLine(p string) bool {
	if len(p) > 220 || !strings.Contains(p, "@") {
		return false
	}
	words := strings.Fields(p)
	for i, w := range words {
		at := strings.IndexByte(w, '@')
		if at > 0 && strings.Contains(w[at:], ".") && (len(words) <= 20 || i == len(words)-1) {
			return true
		}
	}
	return false
}

// dropDateLines removes the lines of a paragraph that hold only a date,
// a time and labels such as "Updated" ("May 8, 2024 at 7:45 p.m.").
func dropDateLines(p string) string {
	if len(p) > 300 {
		return p
	}
	lines := strings.Split(p, "\n")
	out := lines[:0]
	for _, l := range lines {
		if !isDateLine(l) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// isDateLine reports whether a line is made only of date and time words.
func isDateLine(l string) bool {
	if len(l) > 100 {
		return false
	}
	words := strings.FieldsFunc(strings.ToLower(l), func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == '|' || r == '/' || r == '-' || r == ':' || r == '.' || r == '(' || r == ')' || r == '•' || r == '·'
	})
	if len(words) == 0 {
		return false
	}
	digits := false
	for _, w := range words {
		if w[0] >= '0' && w[0] <= '9' {
			digits = true
			continue
		}
		if !dateWords[w] {
			return false
		}
	}
	return digits
}

// dateWords are the words date lines are made of, besides numbers.
var dateWords = map[string]bool{
	"jan": true, "january": true, "feb": true, "february": true, "mar": true, "march": true, "apr": true, "april": true,
	"may": true, "jun": true, "june": true, "jul": true, "july": true, "aug": true, "august": true, "sep": true, "sept": true,
	"september": true, "oct": true, "october": true, "nov": true, "november": true, "dec": true, "december": true,
	"mon": true, "monday": true, "tue": true, "tues": true, "tuesday": true, "wed": true, "wednesday": true, "thu": true,
	"thurs": true, "thursday": true, "fri": true, "friday": true, "sat": true, "saturday": true, "sun": true, "sunday": true,
	"am": true, "pm": true, "a": true, "p": true, "m": true, "at": true, "on": true, "updated": true, "published": true,
	"posted": true, "last": true, "ago": true, "hours": true, "hour": true, "hrs": true, "minutes": true, "mins": true, "min": true,
	"read": true, "first": true, "modified": true, "date": true, "time": true, "ist": true, "gmt": true, "utc": true, "bst": true,
	"et": true, "est": true, "edt": true, "ct": true, "cst": true, "cdt": true, "pt": true, "pst": true, "pdt": true, "mt": true,
	"mst": true, "mdt": true, "kst": true, "jst": true, "cet": true, "cest": true, "aest": true, "aedt": true, "hkt": true, "sgt": true,
	"uhr": true, "stand": true, "aktualisiert": true, "am.": true, "le": true, "à": true, "mis": true, "jour": true, "publié": true,
}

// isBoilerParagraph reports whether a normalised paragraph is furniture.
func isBoilerParagraph(n string) bool {
	if len(n) > 400 {
		return false
	}
	// A short line with a copyright notice: "The contents of this site are
	// ©2019 ...", "... © Harbour Post" (not "released under © Sony Music,
	// topped the charts").
	if len(n) < 200 && isCopyrightLine(n) {
		return true
	}
	// "[Related: ...]", "(Also read: ...)"
	n = strings.TrimLeft(n, "[( ")
	for _, p := range boilerPrefixes {
		if strings.HasPrefix(n, p) {
			// "Photo: ..." is furniture only when short, like a caption.
			if (p == "photo:" || p == "image:" || p == "©") && len(n) > 160 {
				return false
			}
			// "Getty Images" alone or with a credit, not a sentence
			// about the company.
			if p == "getty images" && len(n) > 50 {
				return false
			}
			return true
		}
	}
	return false
}

// isCaption reports whether a normalised paragraph is a photo caption
// left in the text: "In this Dec. 12, 2006, file photo, ...", or a short
// line crediting a photo agency.
func isCaption(n string) bool {
	if len(n) > 500 {
		return false
	}
	if strings.HasPrefix(n, "in this ") {
		if i := strings.Index(n, " photo"); i > 0 && i < 120 {
			return true
		}
	}
	if strings.HasPrefix(n, "file - ") || strings.HasPrefix(n, "file – ") || strings.HasPrefix(n, "file photo") {
		return true
	}
	for _, c := range [...]string{"(ap photo", "(photo by", "(reuters/", "(afp photo", "via getty images)", "(getty images)", "/getty images", "(photo:", "(image:"} {
		if strings.Contains(n, c) && len(n) < 300 {
			return true
		}
	}
	// A short line ending in a picture agency after a credit separator:
	// "Natalie Naccache | Bloomberg | Getty Images", "Jane Doe/Shutterstock"
	// (not "... after the deal with Getty Images.").
	if len(n) < 120 {
		t := strings.TrimRight(n, " .)")
		for _, ag := range [...]string{"getty images", "shutterstock", "istock", "istockphoto", "alamy", "ap photo", "epa-efe", "imago images"} {
			if before, ok := strings.CutSuffix(t, ag); ok {
				before = strings.TrimRight(before, " ")
				for _, sep := range [...]string{"|", "/", "(", ",", ":", "via", "-", "–", "—"} {
					if strings.HasSuffix(before, sep) {
						return true
					}
				}
			}
		}
	}
	return false
}

// isCopyrightLine reports whether a normalised line holds a copyright
// notice: a © at its start or end, or followed by a year, or "all rights
// reserved".
func isCopyrightLine(n string) bool {
	i := strings.Index(n, "©")
	if i < 0 {
		return strings.Contains(n, "rights reserved")
	}
	if i == 0 || strings.HasSuffix(strings.TrimRight(n, " ."), "©") || strings.Contains(n, "rights reserved") {
		return true
	}
	after := strings.TrimLeft(n[i+len("©"):], " ")
	return len(after) >= 4 && isDigits(after[:4]) && (after[:2] == "19" || after[:2] == "20")
}

// isLinkPromo reports whether a short normalised paragraph sends readers
// to a web address: "Follow AP's full coverage of Brexit at https://...",
// "More AP NBA: https://... and https://...".
func isLinkPromo(n string) bool {
	if len(n) > 250 || strings.HasPrefix(n, "more than") || !hasAddressWord(n) {
		return false
	}
	for _, pre := range [...]string{"follow ", "more ", "read more", "see more", "find more", "get more", "watch more"} {
		if strings.HasPrefix(n, pre) {
			return true
		}
	}
	return false
}

// hasAddressWord reports whether a word of s is a web address.
func hasAddressWord(s string) bool {
	for _, w := range strings.Fields(s) {
		w = strings.TrimLeft(w, "(<[")
		if strings.HasPrefix(w, "http://") || strings.HasPrefix(w, "https://") || strings.HasPrefix(w, "www.") {
			return true
		}
	}
	return false
}

// isGalleryCounter reports whether a normalised paragraph is a slideshow
// counter: "1 of 6", "Image 2 of 10", or "Image of /" when the numbers were
// script-filled and are missing.
func isGalleryCounter(n string) bool {
	if len(n) > 30 {
		return false
	}
	of := false
	for _, w := range strings.Fields(n) {
		switch {
		case w == "of" || w == "/":
			of = true
		case w == "image" || w == "photo" || w == "picture" || w == "slide" || isDigits(w):
		default:
			return false
		}
	}
	return of
}

// isNewsletterPromo reports whether a short normalised paragraph invites
// readers to a newsletter ("Let our news meet your inbox. The news and
// stories that matter, delivered weekday mornings.").
func isNewsletterPromo(n string) bool {
	if len(n) > 250 || !strings.Contains(n, "newsletter") && !strings.Contains(n, "your inbox") {
		return false
	}
	for _, w := range [...]string{"sign up", "subscribe", "delivered", "straight to your", "get the", "in your inbox", "to your inbox"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// isCreditLine reports whether a paragraph only names a wire agency
// ("The Associated Press"), a credit, not text.
func isCreditLine(p string) bool {
	return len(p) < 40 && agencyName(p) != ""
}

// isEndMarker reports whether a paragraph is a press release's end mark.
func isEndMarker(n string) bool {
	switch n {
	case "###", "# # #", "-30-", "- 30 -", "-ends-", "ends", "(end)":
		return true
	}
	return false
}

// isAboutHeading reports whether a paragraph opens a press release's
// boilerplate section: "About Ascom", "About the Company".
func isAboutHeading(p string) bool {
	if !strings.HasPrefix(p, "About ") || len(p) > 60 || strings.HasSuffix(p, ".") {
		return false
	}
	words := strings.Fields(p)
	return len(words) >= 2 && len(words) <= 6 && unicode.IsUpper([]rune(words[1])[0])
}

// isTeaser reports whether a normalised paragraph is a shortened copy of
// text that follows ("First words of the story ..." before the full
// story); rest holds the following paragraphs, normalised.
func isTeaser(n string, rest []string) bool {
	var stem string
	switch {
	case strings.HasSuffix(n, "..."):
		stem = strings.TrimRight(strings.TrimSuffix(n, "..."), " ")
	case strings.HasSuffix(n, "…"):
		stem = strings.TrimRight(strings.TrimSuffix(n, "…"), " ")
	default:
		return false
	}
	if len(stem) < 30 {
		return false
	}
	for _, r := range rest {
		if strings.HasPrefix(r, stem) {
			return true
		}
	}
	return false
}

// normText lower-cases s and collapses its white space, for comparisons.
func normText(s string) string {
	return strings.ToLower(collapse(s))
}

// notArticle says why a page holds no article, or "" when it holds one.
//
// A page is an article unless its structure says otherwise: newsx does
// not ask for evidence that a page is a story, it looks for evidence
// that it is something else, so a story on a page with no metadata, old
// markup or a headline such as "Flight 404 lands safely" is kept. The
// other kinds are:
//
//   - no text: the body is empty;
//   - a listing (section front, tag page, search results): JSON-LD that
//     types the page as a collection, search results, item list or
//     profile and names no article of its own, or a body made mostly of
//     link text, or of teasers (one paragraph in three or more is a
//     single link); the last two only when the page does not show two
//     signs of a story (see storySigns), as a shopping round-up or a
//     links post does; or a body made of excerpts (half its paragraphs
//     or more cut short with "…" or "Read more"), unless the page's own
//     markup types it as an article (teasers carry bylines and dates);
//   - an error or search page: a short text (under errorPageWords words)
//     with no sign of a story, on a page that says it is not an article:
//     its headline or <title> reads as an error message, its main
//     content holds a search form, or its og:type is "website".
//
// Words in a URL never decide.
func notArticle(p *page, ld *ldData, a *Article, body bodyResult) string {
	words := a.WordCount
	if hasCJK(a.Body) {
		words = utf8.RuneCountInString(a.Body) / 2
	}
	if words == 0 {
		return noText
	}
	own := ownLDArticle(ld, a)
	if !own {
		for _, o := range ld.objects {
			if name, ok := listingTypes[ldType(o)]; ok {
				return "its JSON-LD types it as a " + name
			}
		}
	}
	if body.excerpts >= 3 && body.excerpts*2 >= body.paragraphs && !own && !isArticleOGType(p.first("og:type")) {
		return "its text is a list of excerpts"
	}
	signs := storySigns(p, a, own)
	if signs < 2 {
		if body.linkDensity > 0.45 {
			return "its text is mostly links"
		}
		if body.linkParas >= 4 && body.linkParas*3 >= body.paragraphs {
			return "its text is a list of teasers"
		}
	}
	if words < errorPageWords && signs == 0 {
		switch {
		case errorHeadline(a.Headline) || errorHeadline(p.titleTag):
			return "it reads as an error page"
		case p.searchForm:
			return "its main content is a search form"
		case strings.EqualFold(strings.TrimSpace(p.first("og:type")), "website"):
			return "it has little text and no sign of a story"
		}
	}
	return ""
}

// listingTypes are the schema.org page types of listings, by their
// lower-cased name.
var listingTypes = map[string]string{
	"collectionpage": "CollectionPage", "searchresultspage": "SearchResultsPage", "itemlist": "ItemList", "profilepage": "ProfilePage",
}

// storySigns counts the signs that a page is one story: an article
// og:type, a JSON-LD article of its own, a byline, a dateline and a
// publication date.
func storySigns(p *page, a *Article, ownLD bool) int {
	n := 0
	for _, ok := range [...]bool{isArticleOGType(p.first("og:type")), ownLD, a.Byline != "", a.Dateline != nil, a.Published != ""} {
		if ok {
			n++
		}
	}
	return n
}

// ownLDArticle reports whether the page's JSON-LD article is the page
// itself, not one item of a list: its url and mainEntityOfPage, where
// given, name the page or its canonical URL (a query string, such as a
// tracking parameter, aside).
func ownLDArticle(ld *ldData, a *Article) bool {
	if ld.article == nil {
		return false
	}
	for _, key := range [...]string{"url", "mainEntityOfPage"} {
		u := ldURL(ld.article, key)
		if u != "" && (a.URL != "" || a.CanonicalURL != "") && !samePath(u, a.URL) && !samePath(u, a.CanonicalURL) {
			return false
		}
	}
	return true
}

// noText is notArticle's reason for a page without text.
const noText = "the page has no text"

// errorPageWords is the most words an error page's text has: an apology,
// a hint to search and a link home.
const errorPageWords = 50

// isArticleOGType reports whether an og:type value names an article.
func isArticleOGType(t string) bool {
	t = strings.ToLower(strings.TrimSpace(t))
	return strings.HasPrefix(t, "article") || t == "news"
}

// errorHeadline reports whether a headline is an HTTP error message
// ("Page not found", "404 – Not Found", "Error 500"). It is read only for
// pages with too little text to be a story, so a story headlined "Flight
// 404 lands safely" is never taken for one.
func errorHeadline(h string) bool {
	// Words and phrases are matched whole: " 404 " in " error 404 ".
	var b strings.Builder
	b.WriteByte(' ')
	for _, r := range strings.ToLower(h) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte(' ')
		}
	}
	b.WriteByte(' ')
	low := strings.Join(strings.Fields(b.String()), " ")
	low = " " + low + " "
	for _, s := range [...]string{"not found", "404", "410", "500", "error", "seite nicht gefunden", "page introuvable",
		"página no encontrada", "pagina non trovata", "does not exist", "no longer available"} {
		if strings.Contains(low, " "+s+" ") {
			return true
		}
	}
	return strings.Contains(low, "ページが見つかりません")
}

// language returns the page's primary language subtag: declared by <html
// lang>, Content-Language, og:locale or JSON-LD, and checked against the
// body's text (see bodyLanguage); guessed from the body when the page
// declares none.
func language(p *page, ld *ldData, body string) string {
	for _, l := range []string{p.htmlLang, p.first("content-language", "language", "dc.language", "og:locale", "inlanguage"), ldString(ld.article, "inLanguage")} {
		if t := primaryTag(l); t != "" {
			if b := bodyLanguage(body, t); b != "" {
				return b
			}
			return t
		}
	}
	return guessLanguage(body)
}

// bodyLanguage returns the language the body is written in when it
// plainly contradicts the declared one (a template's lang="en-US" on a
// Spanish story), or "": the body is in another script than the declared
// language's (Latin text declared "ru", Cyrillic text declared "en"), or,
// both being in the Latin script, the function words of another language
// outnumber the declared one's four to one, twenty times at least, five
// different ones at least.
// Languages that share a script and have no word list here (Czech,
// Ukrainian, Persian) are never overridden.
func bodyLanguage(body, declared string) string {
	if len(body) < 400 {
		return ""
	}
	// A few thousand bytes tell a language as well as the whole text.
	body = clipString(body, 4000)
	guess := guessLanguage(body)
	if guess == "" || guess == declared {
		return ""
	}
	gs, ds := langScript(guess), langScript(declared)
	if gs != ds {
		if ds == "" || gs == "Latin" && stopwords[guess] == nil {
			return ""
		}
		return guess
	}
	if gs != "Latin" || stopwords[declared] == nil {
		return ""
	}
	counts := stopwordCounts(body)
	if counts[guess] >= 20 && counts[guess] >= 4*counts[declared] && distinctStopwords(body, guess) >= 5 {
		return guess
	}
	return ""
}

// distinctStopwords counts how many of lang's function words occur in
// text: a language is recognised by several of them, not by one word it
// shares with another ("de" is Dutch, French, Spanish and Romanian).
func distinctStopwords(text, lang string) int {
	want := make(map[string]bool, len(stopwords[lang]))
	for _, w := range stopwords[lang] {
		want[w] = true
	}
	found := 0
	eachWord(text, 3000, func(w []byte) {
		if want[string(w)] {
			want[string(w)] = false
			found++
		}
	})
	return found
}

// langScript returns the script a language is written in, for the
// languages newsx tells apart by script, "Latin" for the ones it tells
// apart by words, and "" for others.
func langScript(lang string) string {
	switch lang {
	case "ja":
		return "Japanese"
	case "zh":
		return "Han"
	case "ko":
		return "Hangul"
	case "ru", "uk", "bg", "sr", "mk", "be", "kk":
		return "Cyrillic"
	case "ar", "fa", "ur", "ps":
		return "Arabic"
	case "el":
		return "Greek"
	case "he", "iw", "yi":
		return "Hebrew"
	case "th":
		return "Thai"
	case "hi", "mr", "ne":
		return "Devanagari"
	}
	if stopwords[lang] != nil {
		return "Latin"
	}
	return ""
}

// primaryTag returns the primary subtag of a language tag ("en-US",
// "en_GB" and "EN" give "en"), or "" when it is not one.
func primaryTag(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "-_,; "); i >= 0 {
		s = s[:i]
	}
	s = strings.ToLower(s)
	if len(s) < 2 || len(s) > 3 {
		return ""
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return s
}

// stopwords holds frequent function words of Latin-script languages, for
// guessing a page's language when it declares none.
var stopwords = map[string][]string{
	"en": {"the", "and", "of", "to", "in", "is", "that", "for", "was", "with", "on", "said"},
	"de": {"der", "die", "und", "das", "ist", "nicht", "mit", "den", "sich", "auch", "ein", "eine"},
	"fr": {"le", "la", "les", "et", "des", "est", "une", "dans", "pour", "pas", "qui", "sur"},
	"es": {"el", "la", "los", "las", "que", "del", "por", "con", "una", "para", "es", "se"},
	"it": {"il", "di", "che", "della", "per", "non", "una", "sono", "gli", "con", "del", "nel"},
	"pt": {"o", "os", "que", "do", "da", "em", "um", "para", "com", "não", "uma", "dos"},
	"nl": {"de", "het", "een", "van", "en", "is", "dat", "niet", "op", "zijn", "voor", "met"},
	"id": {"yang", "dan", "di", "ini", "itu", "dengan", "untuk", "dari", "tidak", "dalam", "akan", "pada"},
	"tr": {"ve", "bir", "bu", "da", "de", "için", "ile", "olarak", "çok", "daha", "gibi", "olan"},
	"pl": {"i", "w", "się", "nie", "na", "że", "do", "jest", "to", "z", "jak", "od"},
	"sv": {"och", "att", "det", "som", "en", "på", "är", "av", "för", "med", "inte", "den"},
}

// scriptLangs maps scripts to the language a page mostly written in them
// is taken to be in, and the share of letters that makes it so (kana mark
// Japanese even among many Han characters).
var scriptLangs = []struct {
	table *unicode.RangeTable
	lang  string
	share int // the script must hold more than 1/share of the letters
}{
	{unicode.Hiragana, "ja", 10}, {unicode.Katakana, "ja", 10}, {unicode.Hangul, "ko", 3}, {unicode.Han, "zh", 3},
	{unicode.Devanagari, "hi", 3}, {unicode.Cyrillic, "ru", 3}, {unicode.Arabic, "ar", 3}, {unicode.Greek, "el", 3},
	{unicode.Thai, "th", 3}, {unicode.Hebrew, "he", 3},
}

// stopwordLangs maps each stopword to the languages it belongs to.
var stopwordLangs = func() map[string][]string {
	index := make(map[string][]string)
	for lang, ws := range stopwords {
		for _, w := range ws {
			index[w] = append(index[w], lang)
		}
	}
	return index
}()

// stopwordCounts counts, per language, the function words of the first
// 3,000 words of text.
func stopwordCounts(text string) map[string]int {
	byLang := make(map[string]int)
	eachWord(text, 3000, func(w []byte) {
		for _, lang := range stopwordLangs[string(w)] {
			byLang[lang]++
		}
	})
	return byLang
}

// eachWord calls fn with each of the first max words of text (runs of
// letters), lower-cased, in a buffer fn must not keep.
func eachWord(text string, max int, fn func(w []byte)) {
	var buf [64]byte
	w := buf[:0]
	n := 0
	flush := func() {
		if len(w) > 0 {
			fn(w)
			n++
			w = buf[:0]
		}
	}
	for _, r := range text {
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'):
			if r <= 'Z' {
				r += 'a' - 'A'
			}
			w = append(w, byte(r))
		case r >= utf8.RuneSelf && unicode.IsLetter(r):
			w = utf8.AppendRune(w, unicode.ToLower(r))
		default:
			flush()
			if n >= max {
				return
			}
		}
	}
	flush()
}

// guessLanguage guesses a language from the script and words of text.
func guessLanguage(text string) string {
	if len(text) > 20000 {
		text = text[:20000]
	}
	counts := make([]int, len(scriptLangs))
	total := 0
	for _, r := range text {
		if !unicode.IsLetter(r) {
			continue
		}
		total++
		if r < 0x80 {
			continue
		}
		for i, sl := range scriptLangs {
			if unicode.Is(sl.table, r) {
				counts[i]++
				break
			}
		}
	}
	if total < 20 {
		return ""
	}
	// Kana is counted with its two tables together.
	kana := counts[0] + counts[1]
	counts[0], counts[1] = kana, kana
	for i, sl := range scriptLangs {
		if counts[i]*sl.share > total {
			return sl.lang
		}
	}
	byLang := stopwordCounts(text)
	best, bestN := "", 0
	for lang, n := range byLang {
		if n > bestN || n == bestN && lang < best {
			best, bestN = lang, n
		}
	}
	if bestN < 5 {
		return ""
	}
	return best
}

// creditTexts returns the normalised texts of the page's short credit
// elements, to keep them out of the body.
func creditTexts(p *page) map[string]bool {
	out := make(map[string]bool)
	for _, n := range p.bylines {
		if rawTextLen(n) < 120 {
			if t := normText(textOf(n)); t != "" {
				out[t] = true
			}
		}
	}
	return out
}
