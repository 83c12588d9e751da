package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestIsTagListByName(t *testing.T) {
	links := `<a href="/t/a">Harbour</a> <a href="/t/b">Markets</a> <a href="/t/c">Council</a>`
	tests := []struct {
		class string
		want  bool
	}{
		{"post-tags", true},
		{"tag-list", true},
		{"taglist", true},
		{"tagcloud", true},
		{"entry-tagged", true},
		{"keywords", true},
		{"article-topics", true},
		{"etiquetas", true},
		{"schlagworte", true},
		{"stichwoerter", true},
		{"stage", false},   // holds "tag", names no tag list
		{"tagline", false}, // a slogan
		{"menu", false},
	}
	for _, tt := range tests {
		doc, err := html.Parse(strings.NewReader(`<div class="` + tt.class + `">` + links + `</div>`))
		if err != nil {
			t.Fatal(err)
		}
		div := findFirst(doc, func(n *html.Node) bool { return n.Data == "div" })
		if got := isTagList(div, classJoined(div)); got != tt.want {
			t.Errorf("isTagList(class %q) = %v, want %v", tt.class, got, tt.want)
		}
	}
}
