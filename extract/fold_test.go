package extract

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestIndexFold(t *testing.T) {
	tests := []struct {
		s, sub string
		want   int
	}{
		{"By Jane Doe Edited by John", "edited by", 12},
		{"UPDATED: March 25", "updated", 0},
		{"İİİİ Updated: March 25", "updated", 9},     // İ is 2 bytes; its lower case is 3
		{"\u212a\u212a updated", "updated", 7},       // the Kelvin sign is 3 bytes; k is 1
		{"\x8c\x8c;JSESSIONID=1", ";jsessionid=", 2}, // invalid UTF-8 before the match
		{"Mis À Jour le 3 mars", "mis à jour", 0},
		{"no label here", "updated", -1},
		{"upd", "updated", -1},
	}
	for _, tt := range tests {
		if got := indexFold(tt.s, tt.sub); got != tt.want {
			t.Errorf("indexFold(%q, %q) = %d, want %d", tt.s, tt.sub, got, tt.want)
		}
	}
}

// TestLabelCutsKeepUTF8 checks that the byline and date-label cuts, which
// search lower-cased labels, cut the original text at the label even when
// lower-casing would change its length.
func TestLabelCutsKeepUTF8(t *testing.T) {
	for _, s := range []string{"By JANE İİİİİİİİ edited by John", "\u212a\u212a\u212a Jane Doe updated", "İİİİİİ Updated: March 25, 2024"} {
		got := cutBylineExtras(s)
		if !utf8.ValidString(got) || strings.Contains(strings.ToLower(got), "updated") || strings.Contains(strings.ToLower(got), "edited") {
			t.Errorf("cutBylineExtras(%q) = %q", s, got)
		}
		scanLabelledText(s, func(_ dateKind, _ bool, vals ...string) {
			for _, v := range vals {
				if !utf8.ValidString(v) || !strings.HasPrefix(strings.ToLower(v), "updated") {
					t.Errorf("scanLabelledText(%q) gave %q", s, v)
				}
			}
		})
	}
}
