package output

import (
	"strings"
	"testing"
	"unicode/utf16"
)

func TestExcelFit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		cut  bool
	}{
		{"at the limit", strings.Repeat("a", ExcelCellLimit), false},
		{"one over", strings.Repeat("a", ExcelCellLimit+1), true},
		{"three-byte runes at the limit", strings.Repeat("日", ExcelCellLimit), false},
		{"surrogate pairs over", strings.Repeat("😀", ExcelCellLimit/2+1), true},
	}
	for _, tt := range tests {
		cuts := 0
		e := &csvEncoder{excel: true, onCut: func(string) { cuts++ }}
		got := e.fit("body", tt.in)
		n := len(utf16.Encode([]rune(got)))
		switch {
		case tt.cut && (cuts != 1 || !strings.HasSuffix(got, "…") || n > ExcelCellLimit):
			t.Errorf("%s: %d units, %d cuts, want a cut ending in … within the limit", tt.name, n, cuts)
		case !tt.cut && (cuts != 0 || got != tt.in):
			t.Errorf("%s: cut, want it whole", tt.name)
		}
		if plain := (&csvEncoder{}).fit("body", tt.in); plain != tt.in {
			t.Errorf("%s: cut without Excel mode", tt.name)
		}
	}
}
