package score

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Python's re `\w` on str and str.isalnum: letters (L*), numbers (N*),
// and for \w the underscore. Combining marks are not word characters in
// Python, so "हिन्दी" gives three tokens there, and here.
func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

func isWord(r rune) bool { return r == '_' || isAlnum(r) }

// isSpace is Python's str.isspace: Unicode White_Space plus the
// information separators U+001C..U+001F.
func isSpace(r rune) bool { return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f) }

// Tokens returns the `\w+` runs of s, as score.py's tokens().
func Tokens(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		if isWord(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// repl is score.py's REPL table.
var repl = strings.NewReplacer(
	"\u2019", "'", "\u2018", "'", "\u201c", `"`, "\u201d", `"`, "\u201e", `"`,
	"\u00ab", `"`, "\u00bb", `"`, "\u2013", "-", "\u2014", "-", "\u00a0", " ",
	"\u200b", "",
)

// pyFields is Python's str.split() with no argument.
func pyFields(s string) []string { return strings.FieldsFunc(s, isSpace) }

// pyStrip is Python's str.strip(chars).
func pyStrip(s, chars string) string {
	return strings.TrimFunc(s, func(r rune) bool { return strings.ContainsRune(chars, r) })
}

// Norm is score.py's norm(): NFKC, the REPL table, str.lower(),
// whitespace collapsed, then " |-:·" stripped from both ends.
func Norm(s string) string {
	s = norm.NFKC.String(s)
	s = repl.Replace(s)
	s = pyLower(s)
	s = strings.Join(pyFields(s), " ")
	return pyStrip(s, " |-:\u00b7")
}

// pyLower is Python's str.lower(): per-rune lowercase mapping plus the
// two context rules CPython applies: U+0130 becomes "i̇", and a capital
// sigma at the end of a word becomes the final sigma ς.
func pyLower(s string) string {
	isASCII := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			isASCII = false
			break
		}
	}
	if isASCII {
		return strings.ToLower(s)
	}
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range rs {
		switch r {
		case 0x130:
			b.WriteString("i\u0307")
		case 0x3a3:
			if finalSigma(rs, i) {
				b.WriteRune('ς')
			} else {
				b.WriteRune('σ')
			}
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// finalSigma is Unicode's Final_Sigma condition as CPython tests it: a
// cased letter before (skipping case-ignorable characters) and none after.
func finalSigma(rs []rune, i int) bool {
	j := i - 1
	for j >= 0 && caseIgnorable(rs[j]) {
		j--
	}
	if j < 0 || !cased(rs[j]) {
		return false
	}
	j = i + 1
	for j < len(rs) && caseIgnorable(rs[j]) {
		j++
	}
	return j == len(rs) || !cased(rs[j])
}

func cased(r rune) bool {
	return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) ||
		unicode.Is(unicode.Other_Lowercase, r) || unicode.Is(unicode.Other_Uppercase, r)
}

func caseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', '^', '`', 0xb7, 0x2018, 0x2019, 0x2024, 0xfe13, 0xfe52, 0xfe55, 0xff07, 0xff0e, 0xff1a:
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}

// suffixes are re-attached to the name before them (score.py's SUFFIX).
var suffixes = map[string]bool{
	"ph.d.": true, "phd": true, "ph.d": true, "jr.": true, "jr": true, "sr.": true, "sr": true,
	"md": true, "m.d.": true, "ii": true, "iii": true,
}

// splitWords are the conjunctions of score.py's SPLIT, in its order.
var splitWords = []string{"and", "und", "et", "y", "e", "og", "och", "ve", "en"}

// splitMatch reports where a match of score.py's SPLIT pattern
// `\s*(?:,|;|\||&|\b(?:and|...)\b)\s*` starting at byte i ends, or -1.
func splitMatch(s string, i int) int {
	j := i
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		if !isSpace(r) {
			break
		}
		j += n
	}
	k := -1
	if j < len(s) && strings.IndexByte(",;|&", s[j]) >= 0 {
		k = j + 1
	} else if j < len(s) {
		before := j == 0
		if !before {
			r, _ := utf8.DecodeLastRuneInString(s[:j])
			before = !isWord(r)
		}
		if before {
			for _, w := range splitWords {
				if !strings.HasPrefix(s[j:], w) {
					continue
				}
				e := j + len(w)
				if e < len(s) {
					if r, _ := utf8.DecodeRuneInString(s[e:]); isWord(r) {
						continue
					}
				}
				k = e
				break
			}
		}
	}
	if k < 0 {
		return -1
	}
	for k < len(s) {
		r, n := utf8.DecodeRuneInString(s[k:])
		if !isSpace(r) {
			break
		}
		k += n
	}
	return k
}

// reSplit is re.split(SPLIT, s).
func reSplit(s string) []string {
	var out []string
	last := 0
	for i := 0; i < len(s); {
		if e := splitMatch(s, i); e >= 0 {
			out = append(out, s[last:i])
			last = e
			i = e
			continue
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n
	}
	return append(out, s[last:])
}

func pyTrimSpace(s string) string { return strings.TrimFunc(s, isSpace) }

// SplitNames is score.py's split_names().
func SplitNames(s string) []string {
	var out []string
	for _, p := range reSplit(pyTrimSpace(s)) {
		p = pyTrimSpace(p)
		if p == "" {
			continue
		}
		if suffixes[pyLower(p)] && len(out) > 0 {
			out[len(out)-1] += ", " + p
			continue
		}
		out = append(out, p)
	}
	return out
}

// Loose is score.py's loose(): norm, NFD, combining marks (Mn) dropped,
// other non-alphanumerics turned to spaces, a leading "by " dropped.
func Loose(name string) string {
	s := norm.NFD.String(Norm(name))
	var b strings.Builder
	for _, r := range s {
		switch {
		case isAlnum(r):
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r):
		default:
			b.WriteByte(' ')
		}
	}
	s = strings.Join(pyFields(b.String()), " ")
	return strings.TrimPrefix(s, "by ")
}

// NameSet is score.py's name_set().
func NameSet(names []string) map[string]bool {
	out := map[string]bool{}
	for _, a := range names {
		for _, x := range SplitNames(a) {
			if n := Loose(x); n != "" {
				out[n] = true
			}
		}
	}
	return out
}
