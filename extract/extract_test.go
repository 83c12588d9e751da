package extract

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden article.json files from the current output")

// fixtureDir holds one folder per case: source.html, article.json (the
// golden record) and expect.json (the facts the fixture's author asserts).
const fixtureDir = "../fixtures"

// fixtureCases lists the case folders that hold a source.html.
func fixtureCases(t testing.TB) []string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(fixtureDir, "*", "source.html"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []string
	for _, m := range matches {
		cases = append(cases, filepath.Base(filepath.Dir(m)))
	}
	if len(cases) == 0 {
		t.Fatal("no fixtures found under " + fixtureDir)
	}
	return cases
}

// extractFixture extracts one fixture with the base URL
// https://fixture.test/<case>/.
func extractFixture(t testing.TB, name string) *Article {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(fixtureDir, name, "source.html"))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("https://fixture.test/" + name + "/")
	a, err := FromBytes(src, u, Options{})
	if err != nil && !errors.Is(err, ErrNoArticle) {
		t.Fatalf("FromBytes: %v", err)
	}
	if a == nil {
		t.Fatal("FromBytes returned no record")
	}
	return a
}

// TestGolden compares every fixture's record with its golden article.json.
// Refresh with `go test ./extract -update` and review the diff.
func TestGolden(t *testing.T) {
	t.Parallel()
	for _, name := range fixtureCases(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a := extractFixture(t, name)
			got, err := json.MarshalIndent(a, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join(fixtureDir, name, "article.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./extract -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("record differs from %s (run go test ./extract -update and review the diff):\n%s", path, lineDiff(string(want), string(got)))
			}
		})
	}
}

// lineDiff shows the first lines where two texts differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, c string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			c = g[i]
		}
		if a != c {
			b.WriteString("- " + a + "\n+ " + c + "\n")
			if shown++; shown >= 8 {
				break
			}
		}
	}
	return b.String()
}

// expectation is a fixture's expect.json: exact values for some record
// fields, plus checks on the body and related links.
type expectation struct {
	Fields              map[string]json.RawMessage
	BodyStarts          string   `json:"body_starts"`
	BodyEnds            string   `json:"body_ends"`
	BodyContains        []string `json:"body_contains"`
	BodyExcludes        []string `json:"body_excludes"`
	RelatedMin          int      `json:"related_min"`
	RelatedTitles       []string `json:"related_titles"`
	RelatedExcludesURLs []string `json:"related_excludes_urls"`
}

// TestExpectations checks every fixture against the facts its author
// wrote down in expect.json, independently of the golden files.
func TestExpectations(t *testing.T) {
	t.Parallel()
	for _, name := range fixtureCases(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(filepath.Join(fixtureDir, name, "expect.json"))
			if err != nil {
				t.Fatalf("every fixture needs an expect.json: %v", err)
			}
			var exp expectation
			if err := json.Unmarshal(raw, &exp); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(raw, &exp.Fields); err != nil {
				t.Fatal(err)
			}
			a := extractFixture(t, name)
			rec, _ := json.Marshal(a)
			var got map[string]json.RawMessage
			if err := json.Unmarshal(rec, &got); err != nil {
				t.Fatal(err)
			}
			for k, want := range exp.Fields {
				if strings.HasPrefix(k, "body_") || strings.HasPrefix(k, "related_") {
					continue
				}
				g, ok := got[k]
				if !ok {
					t.Errorf("expect.json names unknown field %q", k)
					continue
				}
				var wv, gv any
				_ = json.Unmarshal(want, &wv)
				_ = json.Unmarshal(g, &gv)
				if !reflect.DeepEqual(wv, gv) {
					t.Errorf("%s = %s, want %s", k, g, want)
				}
			}
			if exp.BodyStarts != "" && !strings.HasPrefix(a.Body, exp.BodyStarts) {
				t.Errorf("body starts %q, want %q", head(a.Body, len(exp.BodyStarts)+20), exp.BodyStarts)
			}
			if exp.BodyEnds != "" && !strings.HasSuffix(a.Body, exp.BodyEnds) {
				t.Errorf("body ends %q, want %q", tail(a.Body, len(exp.BodyEnds)+20), exp.BodyEnds)
			}
			for _, s := range exp.BodyContains {
				if !strings.Contains(a.Body, s) {
					t.Errorf("body lacks %q", s)
				}
			}
			for _, s := range exp.BodyExcludes {
				if strings.Contains(a.Body, s) {
					t.Errorf("body holds boilerplate %q", s)
				}
			}
			if len(a.Related) < exp.RelatedMin {
				t.Errorf("%d related links, want at least %d", len(a.Related), exp.RelatedMin)
			}
			titles := make(map[string]bool)
			urls := make(map[string]bool)
			for _, l := range a.Related {
				titles[l.Title] = true
				urls[l.URL] = true
			}
			for _, s := range exp.RelatedTitles {
				if !titles[s] {
					t.Errorf("related lacks %q", s)
				}
			}
			for _, s := range exp.RelatedExcludesURLs {
				if urls[s] {
					t.Errorf("related holds %s", s)
				}
			}
		})
	}
}

func head(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
