package extract

import (
	"bytes"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// prescanBytes is how much of a page is searched for <meta charset>. The
// HTML standard says 1024 bytes; real pages often put the tag later, after
// long <script> or <link> runs, so newsx looks further.
const prescanBytes = 16 << 10

// toUTF8 decodes a page to UTF-8.
//
// The order follows what browsers do, with one difference that real pages
// need: a byte-order mark wins; then bytes that are valid UTF-8 and contain
// non-ASCII text are taken as UTF-8 whatever the labels say (a page labelled
// windows-1252 whose bytes are valid multibyte UTF-8 is, in practice,
// UTF-8); then the HTTP header's charset, then <meta charset> or
// http-equiv. When no label is given, or the label is UTF-8 and the bytes
// are not, the encoding is detected from the bytes. The result is always
// valid UTF-8 and name is the encoding used.
func toUTF8(b []byte, contentType string) (out []byte, name string) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return valid(b[3:]), "utf-8"
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return decodeWith(unicode.UTF16(unicode.BigEndian, unicode.UseBOM), b), "utf-16be"
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), b), "utf-16le"
	}
	if utf8.Valid(b) {
		return b, "utf-8"
	}
	label := headerCharset(contentType)
	if label == "" {
		label = metaCharset(b)
	}
	if enc, canonical := lookupCharset(label); enc != nil && canonical != "utf-8" {
		out := decodeWith(enc, b)
		if !mostlyReplaced(out) {
			return out, canonical
		}
	}
	if enc, canonical := detectCharset(b); enc != nil {
		return decodeWith(enc, b), canonical
	}
	return decodeWith(charmap.Windows1252, b), "windows-1252"
}

// headerCharset returns the charset parameter of a Content-Type header.
func headerCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return params["charset"]
}

// metaCharset prescans the start of a page for a <meta charset> or
// <meta http-equiv="Content-Type"> declaration and returns its label.
func metaCharset(b []byte) string {
	if len(b) > prescanBytes {
		b = b[:prescanBytes]
	}
	z := html.NewTokenizer(bytes.NewReader(b))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body":
				return ""
			case "meta":
			default:
				continue
			}
			var label, equiv, content string
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "charset":
					label = string(v)
				case "http-equiv":
					equiv = strings.ToLower(string(v))
				case "content":
					content = string(v)
				}
			}
			if label != "" {
				return label
			}
			if equiv == "content-type" {
				if l := headerCharset(content); l != "" {
					return l
				}
			}
		}
	}
}

// lookupCharset resolves a charset label the way browsers do (ISO-8859-1
// and ASCII mean windows-1252).
func lookupCharset(label string) (encoding.Encoding, string) {
	label = strings.TrimSpace(strings.Trim(label, `"'`))
	if label == "" {
		return nil, ""
	}
	e, name := charset.Lookup(label)
	return e, name
}

// detectCharset guesses the encoding of bytes that are not UTF-8.
func detectCharset(b []byte) (encoding.Encoding, string) {
	sample := b
	if len(sample) > 64<<10 {
		sample = sample[:64<<10]
	}
	res, err := chardet.NewHtmlDetector().DetectBest(sample)
	if err != nil || res == nil || res.Confidence < 10 {
		return nil, ""
	}
	return lookupCharset(res.Charset)
}

// decodeWith decodes b with enc, replacing undecodable bytes with U+FFFD.
func decodeWith(enc encoding.Encoding, b []byte) []byte {
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return valid(b)
	}
	return valid(out)
}

// mostlyReplaced reports whether decoding failed on a large share of the
// text, a sign that the declared charset is wrong.
func mostlyReplaced(b []byte) bool {
	n := bytes.Count(b, []byte("\uFFFD"))
	return n > 8 && n*200 > utf8.RuneCount(b)
}

// valid returns b with invalid UTF-8 sequences replaced by U+FFFD.
func valid(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	return bytes.ToValidUTF8(b, []byte("\uFFFD"))
}
