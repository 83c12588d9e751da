package extract

import (
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzFromReader feeds arbitrary bytes to the extractor. It must never
// panic, and a record it returns must marshal to JSON with valid UTF-8 in
// every text field.
func FuzzFromReader(f *testing.F) {
	matches, _ := filepath.Glob(filepath.Join(fixtureDir, "*", "source.html"))
	for _, m := range matches {
		if b, err := os.ReadFile(m); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"", " ", "<", "<html", "<!doctype html><title>x</title>", "\xff\xfe<\x00h\x00", "\xef\xbb\xbf<p>bom</p>",
		strings.Repeat("<div>", 5000), strings.Repeat("<p>a</p>", 3000), "<p>\xc3\x28 invalid utf-8</p>",
		`<script type="application/ld+json">{"@graph":[{"@id":"a","author":{"@id":"a"}}]}</script>`,
		`<script type="application/ld+json">[[[[[[[[[[[[[[[[[[[[{"@type":"NewsArticle"}]]]]]]]]]]]]]]]]]]]</script>`,
		`<meta charset="shift_jis"><p>` + "\x82\xa0\x82\xa2" + `</p>`, "<frameset><frame src=x></frameset>",
		`<html lang="x-invalid-tag-123"><h1>By By By</h1><p class="byline">By</p>`,
	} {
		f.Add([]byte(s))
	}
	u, _ := url.Parse("https://fuzz.test/a/b")
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := FromBytes(b, u, Options{})
		if err != nil && !errors.Is(err, ErrNoArticle) {
			if a != nil {
				t.Fatalf("error %v with a record", err)
			}
			return
		}
		if _, err := json.Marshal(a); err != nil {
			t.Fatalf("record does not marshal: %v", err)
		}
		texts := []string{a.URL, a.CanonicalURL, a.Headline, a.Description, a.Byline, a.Agency, a.Published, a.Modified,
			a.Section, a.Body, a.Image, a.Language, a.SiteName}
		texts = append(texts, a.Authors...)
		texts = append(texts, a.Tags...)
		for _, l := range a.Related {
			texts = append(texts, l.Title, l.URL)
		}
		if a.Dateline != nil {
			texts = append(texts, a.Dateline.Place, a.Dateline.Date, a.Dateline.Agency, a.Dateline.Raw)
		}
		for _, s := range texts {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in %q", s)
			}
		}
		for _, s := range a.Authors {
			if strings.TrimSpace(s) == "" {
				t.Fatal("empty author")
			}
		}
	})
}
