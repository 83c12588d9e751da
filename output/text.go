package output

import (
	"bufio"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/newsx/newsx/extract"
)

// markdownEncoder writes a Markdown document per record: the headline as
// "#", a list of metadata, the description as a quote, the body's
// paragraphs, and the related links as a list. Several records are
// separated by a horizontal rule.
type markdownEncoder struct {
	w      io.Writer
	fields []string
	n      int
	err    error
}

// mdLabels names the metadata fields in the Markdown and text formats.
var mdLabels = map[string]string{
	"url": "URL", "source": "Source", "canonical_url": "Canonical URL", "is_article": "Article", "byline": "Byline", "authors": "Authors",
	"agency": "Agency", "dateline": "Dateline", "published": "Published", "modified": "Updated", "fetched": "Fetched", "section": "Section",
	"tags": "Tags", "image": "Image", "language": "Language", "site_name": "Site", "word_count": "Words",
}

func (e *markdownEncoder) Encode(a *extract.Article) error {
	if e.err != nil {
		return e.err
	}
	var b strings.Builder
	if e.n > 0 {
		b.WriteString("\n---\n\n")
	}
	e.n++
	has := func(f string) bool { return slices.Contains(e.fields, f) }
	if has("headline") {
		b.WriteString("# " + mdInline(firstNonEmpty(a.Headline, "(no headline)")) + "\n\n")
	}
	meta := 0
	for _, f := range e.fields {
		label, ok := mdLabels[f]
		if !ok {
			continue
		}
		v := plainValue(a, f)
		if v == "" {
			continue
		}
		switch f {
		case "url", "canonical_url", "image":
			v = "<" + strings.ReplaceAll(v, ">", "%3E") + ">"
		default:
			v = mdInline(v)
		}
		b.WriteString("- **" + label + ":** " + v + "\n")
		meta++
	}
	if meta > 0 {
		b.WriteByte('\n')
	}
	if has("description") && a.Description != "" && !strings.HasPrefix(a.Body, a.Description) {
		b.WriteString("> " + mdInline(a.Description) + "\n\n")
	}
	if has("body") && a.Body != "" {
		for _, p := range strings.Split(a.Body, "\n\n") {
			b.WriteString(mdParagraph(p) + "\n\n")
		}
	}
	if has("related") && len(a.Related) > 0 {
		b.WriteString("## Related\n\n")
		for _, l := range a.Related {
			b.WriteString("- [" + mdLinkText(l.Title) + "](<" + strings.ReplaceAll(l.URL, ">", "%3E") + ">)\n")
		}
		b.WriteByte('\n')
	}
	out := strings.TrimRight(b.String(), "\n") + "\n"
	_, e.err = io.WriteString(e.w, out)
	return e.err
}

func (e *markdownEncoder) Close() error { return e.err }

// textEncoder writes records for reading in a terminal: the headline, one
// line of metadata, then the body.
type textEncoder struct {
	w      io.Writer
	fields []string
	n      int
	err    error
}

func (e *textEncoder) Encode(a *extract.Article) error {
	if e.err != nil {
		return e.err
	}
	var b strings.Builder
	if e.n > 0 {
		b.WriteString("\n" + strings.Repeat("=", 72) + "\n\n")
	}
	e.n++
	if slices.Contains(e.fields, "headline") && a.Headline != "" {
		b.WriteString(a.Headline + "\n")
	}
	if meta := textMeta(a, e.fields); meta != "" {
		b.WriteString(meta + "\n")
	}
	if slices.Contains(e.fields, "body") && a.Body != "" {
		for _, p := range strings.Split(a.Body, "\n\n") {
			b.WriteString("\n" + wrap(p, 72) + "\n")
		}
	}
	if slices.Contains(e.fields, "related") && len(a.Related) > 0 {
		b.WriteString("\nRelated:\n")
		for _, l := range a.Related {
			b.WriteString("  " + l.Title + " <" + l.URL + ">\n")
		}
	}
	_, e.err = io.WriteString(e.w, b.String())
	return e.err
}

func (e *textEncoder) Close() error { return e.err }

// textMeta is the text format's one line of metadata: credit, agency,
// date, site and address, for the fields chosen.
func textMeta(a *extract.Article, fields []string) string {
	var parts []string
	add := func(field, v string) {
		if v != "" && slices.Contains(fields, field) {
			parts = append(parts, v)
		}
	}
	credit := a.Byline
	if credit == "" {
		credit = strings.Join(a.Authors, ", ")
	}
	add("byline", credit)
	if !strings.Contains(credit, a.Agency) {
		add("agency", a.Agency)
	}
	add("published", a.Published)
	add("section", a.Section)
	add("site_name", a.SiteName)
	add("url", firstNonEmpty(a.CanonicalURL, a.URL))
	if !a.IsArticle {
		add("is_article", "not an article")
	}
	return strings.Join(parts, " · ")
}

// plainValue renders a metadata field as one line of text.
func plainValue(a *extract.Article, f string) string {
	switch f {
	case "dateline":
		if a.Dateline == nil {
			return ""
		}
		return a.Dateline.Raw
	case "is_article":
		if a.IsArticle {
			return ""
		}
		return "not an article"
	case "word_count":
		if a.WordCount == 0 {
			return ""
		}
		return strconv.Itoa(a.WordCount)
	}
	return csvText(a, f)
}

// wrap breaks a paragraph into lines of at most width columns at spaces;
// its own line breaks are kept.
func wrap(p string, width int) string {
	var out strings.Builder
	for i, line := range strings.Split(p, "\n") {
		if i > 0 {
			out.WriteByte('\n')
		}
		col := 0
		sc := bufio.NewScanner(strings.NewReader(line))
		sc.Buffer(make([]byte, 0, 64*1024), len(line)+1)
		sc.Split(bufio.ScanWords)
		for sc.Scan() {
			w := sc.Text()
			n := len([]rune(w))
			if col > 0 && col+1+n > width {
				out.WriteByte('\n')
				col = 0
			} else if col > 0 {
				out.WriteByte(' ')
				col++
			}
			out.WriteString(w)
			col += n
		}
	}
	return out.String()
}

// mdInline escapes the characters that would start Markdown markup inside
// a line of text.
func mdInline(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|':
			b.WriteByte('\\')
		case '\n':
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdLinkText escapes text for the inside of a Markdown link label.
func mdLinkText(s string) string {
	return strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`).Replace(s)
}

// mdParagraph escapes a body paragraph so that its text cannot be read as
// a heading, list, quote or HTML; line breaks inside it are kept as hard
// breaks.
func mdParagraph(p string) string {
	lines := strings.Split(p, "\n")
	for i, l := range lines {
		l = mdInline(l)
		if l != "" {
			switch l[0] {
			case '#', '-', '+', '=', '~':
				l = `\` + l
			default:
				if j := strings.IndexAny(l, ".)"); j > 0 && j <= 9 && isDigits(l[:j]) {
					l = l[:j] + `\` + l[j:]
				}
			}
		}
		lines[i] = l
	}
	return strings.Join(lines, "  \n")
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
