package extract

import (
	"encoding/json"
	"strings"
)

// ldNode is one JSON-LD object.
type ldNode = map[string]any

// ldData is what newsx reads from a page's JSON-LD blocks.
type ldData struct {
	article     ldNode // the best article-typed object, or nil
	articleType string // its @type
	// page is the object that describes the page itself when no article
	// does: a WebPage, or a Recipe, HowTo or video page's object. Its
	// dates are the page's.
	page    ldNode
	objects []ldNode // every typed object, flattened
	byID    map[string]ldNode
}

// articleTypes are the schema.org types newsx treats as articles.
var articleTypes = map[string]bool{
	"article": true, "newsarticle": true, "reportagenewsarticle": true, "analysisnewsarticle": true,
	"opinionnewsarticle": true, "backgroundnewsarticle": true, "reviewnewsarticle": true,
	"asknewsarticle": true, "askpublicnewsarticle": true, "blogposting": true, "liveblogposting": true,
	"socialmediaposting": true, "techarticle": true, "scholarlyarticle": true, "report": true,
	"satiricalarticle": true, "advertisercontentarticle": true, "medicalscholarlyarticle": true,
}

// webPageTypes are the schema.org types of a page, whose object stands
// for the page when no article does.
var webPageTypes = map[string]bool{"webpage": true, "itempage": true, "medicalwebpage": true}

// pageTypes are the schema.org types whose object stands for the page
// when no article does and the object names the page (namesPage): a
// recipe page, a how-to, a video page. Elsewhere they are things the
// page embeds.
var pageTypes = map[string]bool{"recipe": true, "howto": true, "videoobject": true, "creativework": true, "review": true}

// namesPage reports whether o's url, @id or mainEntityOfPage is the page
// (query strings and fragments aside).
func namesPage(o ldNode, pageURL string) bool {
	for _, key := range [...]string{"url", "@id", "mainEntityOfPage"} {
		if u := ldURL(o, key); u != "" && samePath(u, pageURL) {
			return true
		}
	}
	return false
}

// parseJSONLD decodes the page's JSON-LD blocks, tolerating the usual
// breakage (CDATA wrappers, HTML comments, trailing semicolons, raw
// newlines inside strings), and picks the article object.
func parseJSONLD(blocks []string, pageURL string) *ldData {
	d := &ldData{byID: make(map[string]ldNode)}
	for _, raw := range blocks {
		v, ok := decodeLD(raw)
		if !ok {
			continue
		}
		d.flatten(v, 0)
	}
	for _, o := range d.objects {
		if ldString(o, "datePublished") == "" && ldString(o, "uploadDate") == "" {
			continue
		}
		switch t := ldType(o); {
		case webPageTypes[t]:
		case pageTypes[t] && namesPage(o, pageURL):
		default:
			continue
		}
		d.page = o
		break
	}
	best := -1
	for _, o := range d.objects {
		t := ldType(o)
		if t == "" {
			continue
		}
		score := 0
		switch {
		case articleTypes[t]:
			score = 10
			if strings.HasSuffix(t, "newsarticle") {
				score = 12
			}
		case strings.HasSuffix(t, "article"):
			score = 8
		default:
			continue
		}
		if ldString(o, "headline") != "" {
			score += 3
		}
		if u := ldURL(o, "url"); u != "" && sameDoc(u, pageURL) {
			score += 2
		}
		if u := ldURL(o, "mainEntityOfPage"); u != "" && sameDoc(u, pageURL) {
			score += 2
		}
		if score > best {
			best = score
			d.article = o
			d.articleType = t
		}
	}
	return d
}

// decodeLD decodes one ld+json block.
func decodeLD(raw string) (any, bool) {
	s := strings.TrimSpace(raw)
	s = strings.TrimPrefix(s, "<![CDATA[")
	s = strings.TrimSuffix(s, "]]>")
	s = strings.TrimPrefix(s, "<!--")
	s = strings.TrimSuffix(s, "-->")
	s = strings.TrimSpace(s)
	s = strings.TrimRight(s, ";")
	if s == "" || len(s) > 4<<20 {
		return nil, false
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err == nil {
		return v, true
	}
	// Raw control characters inside strings are the most common breakage.
	fixed := strings.Map(func(r rune) rune {
		if r < 0x20 {
			return ' '
		}
		return r
	}, s)
	if err := json.Unmarshal([]byte(fixed), &v); err == nil {
		return v, true
	}
	// Then a stray closing brace or a second object after the first:
	// the first value, whole, is what the page meant.
	if err := json.NewDecoder(strings.NewReader(fixed)).Decode(&v); err == nil {
		return v, true
	}
	return nil, false
}

// flatten records every typed object in v, descending into arrays,
// @graph and the values that hold whole entities.
func (d *ldData) flatten(v any, depth int) {
	if depth > 12 {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			d.flatten(e, depth+1)
		}
	case ldNode:
		if id, ok := x["@id"].(string); ok && id != "" && len(x) > 1 {
			if _, seen := d.byID[id]; !seen {
				d.byID[id] = x
			}
		}
		if _, ok := x["@type"]; ok {
			d.objects = append(d.objects, x)
		}
		if g, ok := x["@graph"]; ok {
			d.flatten(g, depth+1)
		}
		for _, k := range [...]string{"mainEntity", "mainEntityOfPage", "hasPart", "itemListElement", "about"} {
			if e, ok := x[k]; ok {
				d.flatten(e, depth+1)
			}
		}
	}
}

// ldType returns o's @type, lower-cased; for a list of types, the first
// article type, else the first.
func ldType(o ldNode) string {
	switch t := o["@type"].(type) {
	case string:
		return strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(t, "http://schema.org/"), "https://schema.org/"))
	case []any:
		first := ""
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				continue
			}
			s = strings.ToLower(s)
			if articleTypes[s] {
				return s
			}
			if first == "" {
				first = s
			}
		}
		return first
	}
	return ""
}

// resolve follows an {"@id": ...} reference to the full object when the
// page defines it.
func (d *ldData) resolve(v any) any {
	if o, ok := v.(ldNode); ok {
		if id, ok := o["@id"].(string); ok && len(o) <= 2 {
			if full, ok := d.byID[id]; ok {
				return full
			}
		}
	}
	return v
}

// ldString returns o[key] as text: a string, the first string of a list,
// or the name/@value of an object.
func ldString(o ldNode, key string) string {
	if o == nil {
		return ""
	}
	return ldText(o[key])
}

// ldText turns a JSON-LD value into text.
func ldText(v any) string {
	switch x := v.(type) {
	case string:
		return collapse(htmlUnescape(x))
	case float64:
		return ""
	case []any:
		for _, e := range x {
			if s := ldText(e); s != "" {
				return s
			}
		}
	case ldNode:
		for _, k := range [...]string{"@value", "name", "text"} {
			if s, ok := x[k].(string); ok {
				return collapse(htmlUnescape(s))
			}
		}
	}
	return ""
}

// ldURL returns a URL-valued property: a string, or an object's url/@id.
func ldURL(o ldNode, key string) string {
	if o == nil {
		return ""
	}
	return ldURLValue(o[key])
}

// ldURLValue turns a URL-valued JSON-LD value into a string.
func ldURLValue(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case []any:
		for _, e := range x {
			if s := ldURLValue(e); s != "" {
				return s
			}
		}
	case ldNode:
		for _, k := range [...]string{"url", "contentUrl", "@id"} {
			if s, ok := x[k].(string); ok && s != "" {
				return strings.TrimSpace(s)
			}
		}
	}
	return ""
}

// ldStrings returns a property holding text or a list of texts.
func ldStrings(o ldNode, key string) []string {
	if o == nil {
		return nil
	}
	var out []string
	switch x := o[key].(type) {
	case string:
		if s := collapse(htmlUnescape(x)); s != "" {
			out = append(out, s)
		}
	case []any:
		for _, e := range x {
			if s := ldText(e); s != "" {
				out = append(out, s)
			}
		}
	case ldNode:
		if s := ldText(x); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// ldPerson is an author from JSON-LD.
type ldPerson struct {
	name  string
	isOrg bool
}

// authors returns the article's author (and creator) entries.
func (d *ldData) authors() []ldPerson {
	if d.article == nil {
		return nil
	}
	var out []ldPerson
	for _, key := range [...]string{"author", "creator"} {
		v, ok := d.article[key]
		if !ok {
			continue
		}
		list, isList := v.([]any)
		if !isList {
			list = []any{v}
		}
		for _, e := range list {
			e = d.resolve(e)
			switch x := e.(type) {
			case string:
				if s := collapse(htmlUnescape(x)); s != "" && !strings.HasPrefix(s, "http") {
					out = append(out, ldPerson{name: s})
				}
			case ldNode:
				name := ldText(x["name"])
				if name == "" {
					g, f := ldText(x["givenName"]), ldText(x["familyName"])
					name = strings.TrimSpace(g + " " + f)
				}
				if name == "" {
					continue
				}
				t := ldType(x)
				out = append(out, ldPerson{name: name, isOrg: t == "organization" || t == "newsmediaorganization" || strings.HasSuffix(t, "organization")})
			}
		}
		if len(out) > 0 {
			break
		}
	}
	return out
}

// publisherName returns the article's publisher name, or the WebSite's.
func (d *ldData) publisherName() string {
	if d.article != nil {
		if p := d.resolve(d.article["publisher"]); p != nil {
			if s := ldText(p); s != "" {
				return s
			}
		}
	}
	for _, o := range d.objects {
		if ldType(o) == "website" {
			if s := ldString(o, "name"); s != "" {
				return s
			}
		}
	}
	return ""
}

// breadcrumb returns the names of the page's BreadcrumbList items in order.
func (d *ldData) breadcrumb() []string {
	for _, o := range d.objects {
		if ldType(o) != "breadcrumblist" {
			continue
		}
		items, _ := o["itemListElement"].([]any)
		type crumb struct {
			pos  float64
			name string
		}
		var cs []crumb
		for i, it := range items {
			m, ok := it.(ldNode)
			if !ok {
				continue
			}
			name := ldText(m["name"])
			if name == "" {
				if item, ok := d.resolve(m["item"]).(ldNode); ok {
					name = ldText(item["name"])
				}
			}
			pos, ok := m["position"].(float64)
			if !ok {
				pos = float64(i + 1)
			}
			if name != "" {
				cs = append(cs, crumb{pos, name})
			}
		}
		// positions are usually in order already; keep a stable sort
		for i := 1; i < len(cs); i++ {
			for j := i; j > 0 && cs[j].pos < cs[j-1].pos; j-- {
				cs[j], cs[j-1] = cs[j-1], cs[j]
			}
		}
		out := make([]string, 0, len(cs))
		for _, c := range cs {
			out = append(out, c.name)
		}
		return out
	}
	return nil
}
