package extract

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// collapseRunes is collapse written rune by rune, the plain statement of
// what collapse must return; collapse itself copies ASCII runs whole and
// returns clean text as it is.
func collapseRunes(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r <= ' ' || unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || r == '\u200e' || r == '\u200f':
			space = b.Len() > 0
		case r == utf8.RuneError:
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestCollapse(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"plain words", "plain words"},
		{"  lead and trail  ", "lead and trail"},
		{"a\t\n b\r\nc", "a b c"},
		{"a  b", "a b"},
		{"a \u00a0b", "a b"},
		{"\u00a0a\u00a0", "a"},
		{"a\u200bb", "a b"},
		{"\ufeffBOM", "BOM"},
		{"a é", "a é"},
		{"Café  au lait", "Café au lait"},
		{"bad \xff byte", "bad byte"},
		{"x\uFFFDy", "xy"},
		{"ctl\x01char", "ctl char"},
		{"del\x7fkept", "del\x7fkept"},
		{"日本 \u3000語", "日本 語"},
		{" ", ""},
		{"a ", "a"},
	} {
		if got := collapse(tc.in); got != tc.want {
			t.Errorf("collapse(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := collapseRunes(tc.in); got != tc.want {
			t.Errorf("collapseRunes(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestCollapseNoCopy checks that clean text comes back without a copy.
func TestCollapseNoCopy(t *testing.T) {
	s := strings.Repeat("clean text, one space apart. ", 20) + "end"
	if n := testing.AllocsPerRun(100, func() { _ = collapse(s) }); n != 0 {
		t.Errorf("collapse of clean text allocated %v times, want 0", n)
	}
}

// FuzzCollapse checks collapse against collapseRunes on any input.
func FuzzCollapse(f *testing.F) {
	for _, s := range []string{"", "a  b", " x ", "a \u00a0b", "é\u2003 e", "\xff\xfe a", "t\u200b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapse(s), collapseRunes(s); got != want {
			t.Fatalf("collapse(%q) = %q, want %q", s, got, want)
		}
	})
}

func TestPhrases(t *testing.T) {
	set := newPhrases("share-bar", "caption", "cap", "note")
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"", false},
		{"post-share-bar__top", true},
		{"share-ba", false},
		{"figcaption", true},
		{"ca", false},
		{"capital", true}, // "cap" inside
		{"editor-note", true},
		{"not", false},
		{"xnote", true},
		{"Share-Bar", false}, // class names are lower-cased before the test
	} {
		if got := set.in(tc.in); got != tc.want {
			t.Errorf("in(%q) = %v, want %v", tc.in, got, tc.want)
		}
		want := false
		for _, p := range []string{"share-bar", "caption", "cap", "note"} {
			want = want || strings.Contains(tc.in, p)
		}
		if want != tc.want {
			t.Errorf("table wrong for %q", tc.in)
		}
	}
}

// classSamples are class-and-id strings as classJoined returns them, of
// the kinds news pages carry.
var classSamples = []string{
	"", "container", "col-md-8 col-sm-12", "article-body entry-content", "post-share-bar__top",
	"site-header sticky", "wp-block-image size-large", "c-byline__author", "newsletter-signup",
	"story-body__inner", "related-stories", "ad-slot ad-slot--mpu", "photo-credit", "main-nav menu",
}

func BenchmarkPhrases(b *testing.B) {
	b.Run("set", func(b *testing.B) {
		for b.Loop() {
			for _, c := range classSamples {
				boilerClassPhrases.in(c)
			}
		}
	})
	list := []string{"caption", "pullquote", "pull-quote", "image-source", "imagesource", "photo-credit", "image-credit", "photocredit", "newsletter", "social-share", "share-bar", "sharebar",
		"opinion-note", "editor-note", "editors-note", "editorial-note", "disclosure", "disclaimer"}
	b.Run("contains", func(b *testing.B) {
		for b.Loop() {
			for _, c := range classSamples {
				for _, p := range list {
					if strings.Contains(c, p) {
						break
					}
				}
			}
		}
	})
}

// TestPhraseSets checks the sets the extractor uses: each finds every one
// of its phrases inside a longer name, and answers as strings.Contains
// over its phrases does on class names of the kinds pages carry.
func TestPhraseSets(t *testing.T) {
	sets := map[string]*phrases{
		"boilerClassPhrases": boilerClassPhrases, "srOnlyPhrases": srOnlyPhrases,
		"bylineClassPhrases": bylineClassPhrases, "notBylineClassPhrases": notBylineClassPhrases,
		"relatedClassWords": relatedClassWords, "relatedClassPhrases": relatedClassPhrases,
	}
	for name, set := range sets {
		var all []string
		for _, ps := range set {
			all = append(all, ps...)
		}
		if len(all) == 0 {
			t.Fatalf("%s is empty", name)
		}
		for _, p := range all {
			if !set.in("x-" + p + "-y") {
				t.Errorf("%s does not find its phrase %q", name, p)
			}
		}
		for _, c := range append(classSamples, "morestories", "c-byline__author-bio", "sr-only", "post-share-bar") {
			want := false
			for _, p := range all {
				want = want || strings.Contains(c, p)
			}
			if got := set.in(c); got != want {
				t.Errorf("%s.in(%q) = %v, want %v", name, c, got, want)
			}
		}
	}
}

func TestClassWordsBEM(t *testing.T) {
	tests := []struct {
		class string
		want  []string
	}{
		{"post-share_bar", []string{"post", "share", "bar"}},
		{"section--ads", []string{"section"}},
		{"card__title--related big", []string{"card", "title", "big"}},
	}
	for _, tt := range tests {
		n := &html.Node{Type: html.ElementNode, Data: "div", Attr: []html.Attribute{{Key: "class", Val: tt.class}}}
		var got []string
		classWords(n, func(w string) bool { got = append(got, w); return false })
		if !slices.Equal(got, tt.want) {
			t.Errorf("classWords(%q) = %q, want %q", tt.class, got, tt.want)
		}
	}
}

// TestInBoilerplateNear checks that only near containers, never <body>
// or page-wide wrappers many levels up, make an element boilerplate.
func TestInBoilerplateNear(t *testing.T) {
	page := `<html><body class="has-sidebar with-comments"><div class="page--promo"><div><div><div><div><div><div>` +
		`<article><h1 id="story">Harbour plan approved</h1></article></div></div></div></div></div></div></div>` +
		`<div class="comments"><div><span id="comment-byline">By A Reader</span></div></div></body></html>`
	root, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	byID := func(id string) *html.Node {
		return findFirst(root, func(n *html.Node) bool { return attr(n, "id") == id })
	}
	if inBoilerplate(byID("story")) {
		t.Error("the headline is boilerplate because of the page's layout classes")
	}
	if !inBoilerplate(byID("comment-byline")) {
		t.Error("a comment's byline is not boilerplate")
	}
}
