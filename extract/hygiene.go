package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// tidy makes the record's text fields what their names say: plain text
// without markup, entities or soft hyphens, a byline that is the credit
// line only, tags that are the page's topics, and no site name or
// section that is a template's placeholder.
func tidy(a *Article) {
	a.Headline = tidyHeadline(plainText(a.Headline))
	a.Description = plainText(a.Description)
	a.SiteName = plainText(a.SiteName)
	a.Section = plainText(a.Section)
	if placeholderSection[strings.ToLower(a.Section)] {
		a.Section = ""
	}
	for i, n := range a.Authors {
		a.Authors[i] = plainText(n)
	}
	a.Byline = tidyByline(plainText(a.Byline), a.Authors, a.Agency)
	if isSentence(a.Byline) {
		// A sentence of the text taken for a credit ("I am inspired
		// by ... shoes by Charlotte Olympia."): its "names" are not
		// the authors.
		a.Byline, a.Authors = "", []string{}
	}
	a.Tags = tidyTags(a.Tags, a.Headline)
	for i := range a.Related {
		a.Related[i].Title = plainText(a.Related[i].Title)
	}
	if strings.Contains(a.Body, softHyphen) {
		a.Body = strings.ReplaceAll(a.Body, softHyphen, "")
	}
}

// softHyphen marks where a word may break; it is never text.
const softHyphen = "\u00ad"

// plainText returns s without markup: entities decoded (twice, for the
// "&amp;#39;" of values escaped once too often), tags such as "<p>" and
// "</span></td>" removed, soft hyphens dropped, white space collapsed.
func plainText(s string) string {
	for i := 0; i < 2 && strings.IndexByte(s, '&') >= 0; i++ {
		u := html.UnescapeString(s)
		if u == s {
			break
		}
		s = u
	}
	if strings.IndexByte(s, '<') >= 0 {
		s = stripTags(s)
	}
	if strings.Contains(s, softHyphen) {
		s = strings.ReplaceAll(s, softHyphen, "")
	}
	return collapse(s)
}

// stripTags removes what reads as an HTML tag: "<" followed by a letter,
// "/" or "!", up to the next ">". Other "<" (as in "x < y") stay.
func stripTags(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 || i+1 >= len(s) {
			b.WriteString(s)
			return b.String()
		}
		c := s[i+1]
		j := strings.IndexByte(s[i:], '>')
		if j < 0 || !(c == '/' || c == '!' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i])
		b.WriteByte(' ')
		s = s[i+j+1:]
	}
}

// tidyHeadline removes what a dropped kicker or a hidden separator
// leaves before a headline: ": ", "| ", "- ".
func tidyHeadline(h string) string {
	t := strings.TrimLeft(h, ":|-–—·•» ")
	if t == "" {
		return h
	}
	return t
}

// placeholderSection are section values that name a page type or a
// template default, not a section (lower-cased).
var placeholderSection = map[string]bool{
	"tags": true, "tag": true, "article": true, "articles": true, "story": true, "stories": true, "post": true, "posts": true,
	"home": true, "homepage": true, "default": true, "uncategorized": true, "uncategorised": true, "none": true, "null": true,
}

// tidyByline keeps of a byline only the credit: its parts (split at "|")
// that are not buttons, social links, handles, addresses or sentences (an
// author's bio), each once. A byline with code in it (a script's text
// left in the page) is no byline.
func tidyByline(b string, authors []string, agency string) string {
	if b == "" || strings.ContainsAny(b, "{}=") || strings.Contains(b, "();") {
		return ""
	}
	names := append(authors[:len(authors):len(authors)], agency)
	parts := strings.Split(b, "|")
	var keep []string
	seen := make(map[string]bool)
	for _, p := range parts {
		p = creditPart(strings.TrimSpace(p), names)
		low := strings.ToLower(p)
		if p == "" || seen[low] || isBylineChrome(p, low) {
			continue
		}
		seen[low] = true
		keep = append(keep, p)
	}
	// A lone "By" part opens the credit that follows it.
	for i := 0; i+1 < len(keep); i++ {
		if l := strings.ToLower(strings.TrimRight(keep[i], ": ")); l == "by" || l == "von" || l == "par" || l == "por" {
			keep[i+1] = strings.TrimRight(keep[i], " ") + " " + keep[i+1]
			keep = append(keep[:i], keep[i+1:]...)
		}
	}
	out := strings.Join(keep, " | ")
	if utf8.RuneCountInString(out) <= 100 {
		return out
	}
	// Still long: only the parts that name a credited author or agency.
	var named []string
	for _, p := range keep {
		if nameEnd(p, names) > 0 {
			named = append(named, p)
		}
	}
	return strings.Join(named, " | ")
}

// isSentence reports whether a byline is a sentence of prose: ten words
// or more, ending with a full stop, not opening with "By".
func isSentence(b string) bool {
	low := strings.ToLower(b)
	return len(strings.Fields(b)) >= 10 && strings.HasSuffix(b, ".") && !strings.HasPrefix(low, "by ") && !strings.HasPrefix(low, "by:")
}

// creditPart cuts a byline part to its credit: from a "By" that follows
// other words (a headline glued to the byline: "Samsung to mass produce
// ... By Edwin Kee"), and before what follows the last credited name when
// that is a description, a handle or a date ("By Alex Heath, a deputy
// editor and ...", "By Jane Doe - @janedoe", "By Jane Doe / 05:42 AM").
// A long part that names no one credited is a sentence, and is dropped.
func creditPart(p string, names []string) string {
	if i := strings.Index(p, " By "); i > 0 && len(strings.Fields(p[:i])) >= 4 {
		p = p[i+1:]
	}
	end := nameEnd(p, names)
	if end < 0 || len(strings.Fields(p)) >= 8 && len(strings.Fields(p[:end])) > 8 {
		// no credited name, or one far into a sentence (a tagline
		// that ends "... with veteran journalist Jane Doe.")
		if len(strings.Fields(p)) >= 8 {
			return ""
		}
		return p
	}
	tail := p[end:]
	for _, cut := range [...]string{", a ", ", an ", ", the ", " is ", " was ", ". ", " - @", " – @", " @", " / ", " on "} {
		if strings.HasPrefix(tail, cut) || strings.HasPrefix(strings.ToLower(tail), cut) {
			return strings.TrimSpace(p[:end])
		}
	}
	return p
}

// nameEnd returns where the last of names that occurs in p ends, or -1.
func nameEnd(p string, names []string) int {
	end := -1
	for _, n := range names {
		if n == "" {
			continue
		}
		if i := strings.LastIndex(p, n); i >= 0 && i+len(n) > end {
			end = i + len(n)
		}
	}
	return end
}

// isBylineChrome reports whether a byline part is page furniture: a
// share or follow button, a social network's name, a handle, an e-mail
// address or a link, a label such as "Biography", or a sentence.
func isBylineChrome(p, low string) bool {
	switch low {
	case "biography", "bio", "about", "about the author", "follow", "share", "email", "e-mail", "print", "comments",
		"show more sharing options", "more", "contact", "view all posts", "all posts", "website":
		return true
	}
	for _, s := range socialNetworks {
		if low == s || low == "follow on "+s || low == "follow us on "+s {
			return true
		}
	}
	if low == "x" || strings.HasPrefix(low, "@") || strings.Contains(low, "://") || strings.HasPrefix(low, "www.") ||
		strings.Contains(low, "@") && !strings.Contains(low, " ") {
		return true
	}
	// A bio: "Jane Doe is a contributing writer for ...".
	words := strings.Fields(p)
	if len(words) >= 8 {
		for _, w := range words {
			switch w {
			case "is", "was", "has", "covers", "writes":
				return true
			}
		}
	}
	return false
}

// tidyTags splits keyword lists left whole ("Hong Kong,Protest,Asia"),
// drops a CMS's internal labels ("Section:culture", "AdNode:culture/x"),
// sentences and the headline, and removes duplicates ignoring case.
func tidyTags(tags []string, headline string) []string {
	out := []string{}
	seen := make(map[string]bool)
	for _, t := range tags {
		for _, t := range splitTagList(plainText(t)) {
			t = strings.Trim(t, " ,;#·|")
			low := strings.ToLower(t)
			if t == "" || seen[low] || isInternalTag(t) || len(strings.Fields(t)) > 8 || strings.EqualFold(t, headline) {
				continue
			}
			seen[low] = true
			out = append(out, t)
		}
	}
	return out
}

// splitTagList splits a tag that is a comma-separated list. Two parts
// that read as "Surname, Given Names" ("Trump, Donald J") are one tag.
func splitTagList(t string) []string {
	if !strings.Contains(t, ",") {
		return []string{t}
	}
	parts := splitAny(t, ",")
	if len(parts) == 2 && isSurnameGiven(parts[0], parts[1]) {
		return []string{t}
	}
	return parts
}

// isSurnameGiven reports whether a and b read as a surname and given
// names: one or two capitalised words ("Trump", "Le Guin"), then one to
// three capitalised words or initials.
func isSurnameGiven(a, b string) bool {
	aw, bw := strings.Fields(a), strings.Fields(b)
	if len(aw) == 0 || len(aw) > 2 || len(bw) == 0 || len(bw) > 3 {
		return false
	}
	for _, w := range append(aw, bw...) {
		if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// isInternalTag reports whether a tag is a CMS's internal label: a key,
// a colon and a value with no space between ("Section:culture",
// "AdNode:culture/wide_angle", "source:tagname:CNBC US Source").
func isInternalTag(t string) bool {
	i := strings.IndexByte(t, ':')
	if i <= 0 || i+1 >= len(t) || t[i+1] == ' ' {
		return false
	}
	for _, r := range t[:i] {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '-' {
			return false
		}
	}
	return true
}
