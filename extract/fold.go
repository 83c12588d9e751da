package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// indexFold returns the byte index in s of the first match of sub,
// ignoring case (Unicode simple folding), or -1.
//
// strings.Index(strings.ToLower(s), sub) is not a safe substitute when the
// index is used to cut s: lower-casing changes the byte length of some
// characters ("İ" grows, the Kelvin sign "K" shrinks) and of invalid UTF-8,
// so the index would point elsewhere in s, or past its end.
func indexFold(s, sub string) int {
	if sub == "" {
		return 0
	}
	first := sub[0]
	for i := 0; i < len(s); {
		c := s[i]
		// Two ASCII bytes match only as upper and lower case: most
		// positions are passed over here, without decoding or folding.
		if c < utf8.RuneSelf && first < utf8.RuneSelf && lowerASCII(c) != lowerASCII(first) {
			i++
			continue
		}
		if hasPrefixFold(s[i:], sub) {
			return i
		}
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return -1
}

// lowerASCII lower-cases an ASCII letter.
func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasPrefixFold reports whether s begins with prefix, ignoring case.
func hasPrefixFold(s, prefix string) bool {
	for prefix != "" {
		if s == "" {
			return false
		}
		if s[0] < utf8.RuneSelf && prefix[0] < utf8.RuneSelf {
			if lowerASCII(s[0]) != lowerASCII(prefix[0]) {
				return false
			}
			s, prefix = s[1:], prefix[1:]
			continue
		}
		r1, w1 := utf8.DecodeRuneInString(s)
		r2, w2 := utf8.DecodeRuneInString(prefix)
		if r1 != r2 && !equalFoldRune(r1, r2) {
			return false
		}
		s, prefix = s[w1:], prefix[w2:]
	}
	return true
}

// equalFoldRune reports whether two runes are equal under simple folding.
func equalFoldRune(a, b rune) bool {
	if a == utf8.RuneError || b == utf8.RuneError {
		return false
	}
	for f := unicode.SimpleFold(a); f != a; f = unicode.SimpleFold(f) {
		if f == b {
			return true
		}
	}
	return false
}

// indexLabel is indexFold(s, label) for a lower-case label, given low, the
// lower-cased s, for a quick first test: most texts hold no label, and
// strings.Contains rules that out far faster than folding at every byte.
func indexLabel(s, low, label string) int {
	if !strings.Contains(low, label) {
		return -1
	}
	return indexFold(s, label)
}
