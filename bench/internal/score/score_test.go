package score

import (
	"reflect"
	"sort"
	"testing"
)

// The wants below are what score.py's functions return for the same
// inputs (Python 3.11).

func TestTokens(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"हिन्दी café naïve ½ Ⅻ x_y", []string{"ह", "न", "द", "café", "naïve", "½", "Ⅻ", "x_y"}},
		{"It's a 4-token e.g. test—ok", []string{"It", "s", "a", "4", "token", "e", "g", "test", "ok"}},
	} {
		if got := Tokens(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNorm(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"  «Hello» — World | ": `"hello" - world`,
		"ΑΘΗΝΑΣ Σ":             "αθηνας σ",
		"İstanbul\u00a0Times:": "i̇stanbul times",
		"ﬁle\u200bname":        "filename",
	} {
		if got := Norm(in); got != want {
			t.Errorf("Norm(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNameSet(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   []string
		want []string
	}{
		{[]string{"By Jane Doe and John Smith, Ph.D."}, []string{"jane doe", "john smith ph d"}},
		{[]string{"Anna Müller und Jörg Weiß"}, []string{"anna muller", "jorg weiß"}},
		{[]string{"Mary Ellen Jones; Eric Brand & co"}, []string{"co", "eric brand", "mary ellen jones"}},
		{[]string{"Yves Saint-Laurent et Édith Piaf"}, []string{"edith piaf", "yves saint laurent"}},
	} {
		var got []string
		for k := range NameSet(tc.in) {
			got = append(got, k)
		}
		sort.Strings(got)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("NameSet(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTPFPFN(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		truth, pred string
		want        [3]float64
	}{
		{"a b c d e f g", "a b c d x f g h", [3]float64{0.125, 0.5, 0.375}},
		{"one two", "one two three", [3]float64{0, 0.5, 0.5}},
	} {
		tp, fp, fn := TPFPFN(tc.truth, tc.pred)
		if got := [3]float64{tp, fp, fn}; got != tc.want {
			t.Errorf("TPFPFN(%q, %q) = %v, want %v", tc.truth, tc.pred, got, tc.want)
		}
	}
}
