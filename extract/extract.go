package extract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// ErrNoArticle reports that a page was read but holds no article: a section
// front, a search page, an error page or a page without text. FromReader
// returns it together with the record of what was found.
var ErrNoArticle = errors.New("no article found")

// Options tune FromReader. The zero value means the defaults.
type Options struct {
	// ContentType is the HTTP Content-Type header the page was served with,
	// if any. Its charset parameter is one of the hints used to decode the
	// page.
	ContentType string
	// Links, if not nil, is called for each <a>, <area>, <link> and <base>
	// element of the page, in document order, with its tag name and its
	// href, rel and type attributes as written. A crawler finds a page's
	// links this way from the one parse FromBytes makes. It is not called
	// when FromBytes fails before parsing (an empty or binary page), and
	// not for elements inside <template>, <svg>, <script> or <style>.
	Links func(tag, href, rel, typ string)
}

// FromReader reads an HTML page from r and extracts its article.
//
// pageURL is the page's address, the base for relative links; it may be nil
// for a page of unknown origin, in which case relative links are dropped.
// FromReader reads r to the end and never closes it; callers cap its size.
// It does no I/O of its own and is safe for concurrent use.
//
// When the page holds no article FromReader returns the record of what it
// found, with IsArticle false, and an error wrapping ErrNoArticle. Any other
// error means nothing could be extracted.
func FromReader(r io.Reader, pageURL *url.URL, opts Options) (*Article, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read page: %w", err)
	}
	return FromBytes(b, pageURL, opts)
}

// FromBytes is FromReader for a page already in memory. It does not modify b.
func FromBytes(b []byte, pageURL *url.URL, opts Options) (*Article, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, errors.New("empty page")
	}
	if kind := binaryKind(b); kind != "" {
		return nil, fmt.Errorf("not an HTML page: the content is %s", kind)
	}
	text, _ := toUTF8(b, opts.ContentType)
	root, err := html.ParseWithOptions(bytes.NewReader(text), html.ParseOptionEnableScripting(false))
	if err != nil {
		return nil, fmt.Errorf("parse html: %w", err)
	}
	a, why := fromNode(root, text, pageURL, opts.Links)
	if !a.IsArticle {
		return a, fmt.Errorf("%w: %s", ErrNoArticle, why)
	}
	return a, nil
}

// fromNode extracts the article from a parsed document. It mutates root:
// the metadata pass reads it first, then the body pass prunes it.
// When the page holds no article it also returns why (see notArticle).
// src is the page's text, parsed again when the pruned tree gives no
// body (see extractBody).
func fromNode(root *html.Node, src []byte, pageURL *url.URL, links func(tag, href, rel, typ string)) (*Article, string) {
	res := newURLResolver(pageURL)
	p := collect(root, res, links)
	pageStr := ""
	if pageURL != nil {
		pageStr = pageURL.String()
	}
	ld := parseJSONLD(p.jsonLD, pageStr)
	if pageURL == nil {
		// A saved page of unknown address: its canonical URL is the best
		// base for its relative links.
		res.setBase(firstNonEmpty(p.canonical, p.first("og:url")))
	}

	a := &Article{URL: pageStr, Authors: []string{}, Tags: []string{}, Related: []Link{}}
	a.CanonicalURL = canonicalURL(p, ld)
	a.SiteName = siteName(p, ld)
	a.Headline = headline(p, ld, a.SiteName)
	p.head = headlineNode(p, a.Headline)
	a.Description = description(p, ld)
	a.Image = leadImage(p, ld)
	a.Section = section(p, ld)
	dates := findDates(p, ld)
	cr := credits(p, ld, a.Headline, a.SiteName)
	a.Byline, a.Authors, a.Agency = cr.byline, cr.authors, cr.agency
	a.Tags = tags(p, ld)

	self := []string{pageStr, a.CanonicalURL}
	a.Related = relatedLinks(p, self)
	credits := creditTexts(p)
	body := extractBody(root, src, p.head, p.bodyMarks, p.elems, pageURL, ld, cr, p.facts)
	a.Body = cleanBody(body.text, a, credits)
	a.WordCount = wordCount(a.Body)

	lang := language(p, ld, a.Body)
	a.Language = lang
	a.Published, a.Modified = dates.resolve(lang, false)
	// The dateline's year is the published date's, as written in the record.
	year, month := yearMonth(a.Published)
	a.Dateline = parseDateline(a.Body, year, month)
	if a.Dateline != nil && a.Agency == "" && a.Dateline.Agency != "" {
		a.Agency = a.Dateline.Agency
	}
	why := notArticle(p, ld, a, body)
	a.IsArticle = why == ""
	if why != "" && why != noText {
		// A listing's visible dates, bylines, first paragraph and links
		// belong to its teasers, not to the page: keep only the page's
		// own metadata.
		a.Published, a.Modified = dates.resolve(lang, true)
		a.Related = []Link{}
		a.Byline, a.Authors, a.Agency, a.Dateline = "", []string{}, "", nil
	} else if a.Description == "" {
		a.Description = firstParagraph(a.Body)
	}
	tidy(a)
	return a, why
}

// binaryKind names well-known binary formats by their magic numbers, so a
// PDF or image served as text/html is refused rather than parsed.
func binaryKind(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "a PDF document"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "a PNG image"
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "a JPEG image"
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "a GIF image"
	case bytes.HasPrefix(b, []byte{0x1F, 0x8B}):
		return "gzip-compressed data"
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return "a ZIP archive"
	case len(b) > 12 && bytes.HasPrefix(b, []byte("RIFF")) && bytes.Equal(b[8:12], []byte("WEBP")):
		return "a WebP image"
	}
	// Many NUL bytes at the start mean binary data.
	head := b
	if len(head) > 512 {
		head = head[:512]
	}
	if bytes.Count(head, []byte{0}) > 8 && !bytes.HasPrefix(b, []byte{0xFE, 0xFF}) && !bytes.HasPrefix(b, []byte{0xFF, 0xFE}) {
		return "binary data"
	}
	return ""
}

// htmlUnescape decodes HTML entities left in metadata values.
func htmlUnescape(s string) string {
	if strings.IndexByte(s, '&') < 0 {
		return s
	}
	return html.UnescapeString(s)
}
