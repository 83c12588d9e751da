package output

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/newsx/newsx/extract"
)

const schemaPath = "article.schema.json"

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	s, err := c.Compile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestGoldensMatchSchema validates every golden record, and this
// package's own output, against the JSON Schema.
func TestGoldensMatchSchema(t *testing.T) {
	t.Parallel()
	s := compileSchema(t)
	goldens, _ := filepath.Glob("../fixtures/*/article.json")
	if len(goldens) < 25 {
		t.Fatalf("found %d golden records, want at least 25", len(goldens))
	}
	for _, g := range goldens {
		f, err := os.Open(g)
		if err != nil {
			t.Fatal(err)
		}
		v, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", g, err)
		}
		if err := s.Validate(v); err != nil {
			t.Errorf("%s: %v", g, err)
		}
	}
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(encodeAll(t, "json", Options{}, sample())))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("sample record: %v", err)
	}
}

// TestSchemaMatchesFields keeps the schema, the encoder's field list and
// the Article struct's JSON names in step.
func TestSchemaMatchesFields(t *testing.T) {
	t.Parallel()
	props := schemaProps(t)
	var names []string
	for _, p := range props {
		names = append(names, p.name)
	}
	if !reflect.DeepEqual(names, Fields) {
		t.Errorf("schema properties %v\n!= Fields %v", names, Fields)
	}
	var tags []string
	rt := reflect.TypeOf(extract.Article{})
	for i := range rt.NumField() {
		tags = append(tags, strings.Split(rt.Field(i).Tag.Get("json"), ",")[0])
	}
	if !reflect.DeepEqual(tags, Fields) {
		t.Errorf("Article JSON names %v\n!= Fields %v", tags, Fields)
	}
}

type schemaProp struct{ name, typ string }

// schemaProps returns the schema's properties in file order with a short
// type name (string, bool, int, list, object or null).
func schemaProps(t *testing.T) []schemaProp {
	t.Helper()
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Properties json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(doc.Properties))
	dec.Token() // {
	var out []schemaProp
	for dec.More() {
		k, _ := dec.Token()
		var p struct {
			Type  string `json:"type"`
			OneOf []any  `json:"oneOf"`
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		typ := map[string]string{"string": "string", "boolean": "bool", "integer": "int", "array": "list"}[p.Type]
		if p.OneOf != nil {
			typ = "object or null"
		}
		out = append(out, schemaProp{k.(string), typ})
	}
	return out
}

// TestREADMEFieldTable checks README's field table against the schema: the
// same fields, in the same order, with the same types.
func TestREADMEFieldTable(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\| ([^|]+?) \\|")
	var got []schemaProp
	for _, m := range row.FindAllStringSubmatch(string(readme), -1) {
		typ := m[2]
		if !strings.Contains(string(readme[:strings.Index(string(readme), m[0])]), "## The record") {
			continue // a table before the record section (flags)
		}
		if strings.HasPrefix(typ, "list") {
			typ = "list"
		}
		got = append(got, schemaProp{m[1], typ})
	}
	want := schemaProps(t)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("README field table\n%v\n!= schema\n%v", got, want)
	}
}

// FuzzCSVRoundTrip writes arbitrary text through the CSV encoder and reads
// it back with encoding/csv: every cell must come back as written (after
// the formula guard's quote) and every record must stay one row.
func FuzzCSVRoundTrip(f *testing.F) {
	f.Add("plain", "=SUM(A1)", "a,b\"c\r\nd", "tag;x", "t", "https://x/y", true)
	f.Add("", "", "", "", "", "", false)
	f.Add("\xff\xfe", "-1", "\n\n\n", "@", "|", "<", true)
	f.Fuzz(func(t *testing.T, headline, section, body, tag, title, link string, guard bool) {
		a := &extract.Article{Headline: headline, Section: section, Body: body, Tags: []string{tag}, Related: []extract.Link{{Title: title, URL: link}}}
		var buf bytes.Buffer
		enc, _ := NewEncoder(&buf, "csv", Options{CSVRaw: !guard})
		if err := enc.Encode(a); err != nil {
			t.Fatal(err)
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatalf("output does not parse: %v", err)
		}
		if len(rows) != 2 {
			t.Fatalf("%d rows, want 2", len(rows))
		}
		e := &csvEncoder{guard: guard}
		cols := CSVHeader(nil)
		for i, name := range cols {
			var want string
			switch name {
			case "headline":
				want = e.cell(headline)
			case "section":
				want = e.cell(section)
			case "body":
				want = e.cell(body)
			case "tags":
				want = e.cell(tag)
			case "related":
				want = e.cell(title + " <" + link + ">")
			default:
				continue
			}
			// encoding/csv reads \r\n inside quoted fields as \n.
			want = strings.ReplaceAll(want, "\r\n", "\n")
			if got := rows[1][i]; got != want && !(strings.ContainsRune(want, '\r')) {
				t.Errorf("%s: got %q, want %q", name, got, want)
			}
		}
	})
}

// FuzzJSONLRoundTrip writes arbitrary text through the JSONL encoder: the
// output must be exactly one line that decodes back to the same values
// (invalid UTF-8 becomes U+FFFD, as encoding/json does).
func FuzzJSONLRoundTrip(f *testing.F) {
	f.Add("a", "b\nc", "<script>&</script>", "\u2028")
	f.Add("", "", "", "")
	f.Fuzz(func(t *testing.T, headline, body, tag, author string) {
		a := &extract.Article{Headline: headline, Body: body, Tags: []string{tag}, Authors: []string{author}}
		var buf bytes.Buffer
		enc, _ := NewEncoder(&buf, "jsonl", Options{})
		if err := enc.Encode(a); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") {
			t.Fatalf("not one line: %q", out)
		}
		var back extract.Article
		if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
			t.Fatal(err)
		}
		// encoding/json replaces each invalid byte with U+FFFD.
		fix := func(s string) string {
			var b strings.Builder
			for i := 0; i < len(s); {
				r, n := utf8.DecodeRuneInString(s[i:])
				b.WriteRune(r) // RuneError for an invalid byte
				i += n
			}
			return b.String()
		}
		if back.Headline != fix(headline) || back.Body != fix(body) || back.Tags[0] != fix(tag) || back.Authors[0] != fix(author) {
			t.Errorf("round trip changed values: %+v", back)
		}
	})
}
