package output

import (
	"fmt"
	"slices"
	"strings"

	"github.com/newsx/newsx/extract"
)

// Fields lists the record's field names in their canonical order, the
// order of the JSON object and of the CSV columns.
var Fields = []string{
	"url", "source", "canonical_url", "is_article", "headline", "description", "byline", "authors", "agency", "dateline",
	"published", "modified", "fetched", "section", "tags", "body", "related", "image", "language", "site_name", "word_count",
}

// ParseFields parses a --fields value ("headline,published,url") into
// field names, in the order given. Unknown or repeated names are an error
// that lists the valid ones. An empty value means every field.
func ParseFields(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []string
	seen := make(map[string]bool)
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" {
			continue
		}
		if !isField(f) {
			return nil, fmt.Errorf("unknown field %q (valid: %s)", f, strings.Join(Fields, ", "))
		}
		if seen[f] {
			return nil, fmt.Errorf("field %q given twice", f)
		}
		seen[f] = true
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no field named in %q (valid: %s)", s, strings.Join(Fields, ", "))
	}
	return out, nil
}

func isField(f string) bool { return slices.Contains(Fields, f) }

// value returns the field of a as a Go value for JSON encoding.
func value(a *extract.Article, field string) any {
	switch field {
	case "url":
		return a.URL
	case "source":
		return a.Source
	case "canonical_url":
		return a.CanonicalURL
	case "is_article":
		return a.IsArticle
	case "headline":
		return a.Headline
	case "description":
		return a.Description
	case "byline":
		return a.Byline
	case "authors":
		return nonNil(a.Authors)
	case "agency":
		return a.Agency
	case "dateline":
		return a.Dateline
	case "published":
		return a.Published
	case "modified":
		return a.Modified
	case "fetched":
		return a.Fetched
	case "section":
		return a.Section
	case "tags":
		return nonNil(a.Tags)
	case "body":
		return a.Body
	case "related":
		if a.Related == nil {
			return []extract.Link{}
		}
		return a.Related
	case "image":
		return a.Image
	case "language":
		return a.Language
	case "site_name":
		return a.SiteName
	case "word_count":
		return a.WordCount
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
