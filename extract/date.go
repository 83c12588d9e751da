package extract

import (
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // zone rules for "ET", "PT", ... when the host has no zoneinfo
	"unicode"
	"unicode/utf8"
)

// maxDateInput is how many bytes of a string parseDate looks at.
const maxDateInput = 200

// maxDateTokens bounds the tokens parseDate builds from one string.
const maxDateTokens = 64

// minDateYear and maxDateYear bound the years parseDate accepts.
const (
	minDateYear = 1990
	maxDateYear = 2100
)

// dateInfo says how much of a date a string gave.
type dateInfo struct {
	// HasTime reports whether the string gave a time of day.
	HasTime bool
	// HasZone reports whether the string gave a zone or an offset for that
	// time. It is never true without HasTime.
	HasZone bool
}

// parseDate parses a date or date-time as found in page metadata or visible text
// ("2024-03-25T12:58:00+05:30", "Mon, 25 Mar 2024 12:58:00 GMT", "Updated: March 25, 2024 12:58 IST",
// "25. März 2024, 14:03 Uhr", "2024年3月25日 12:58", "25 मार्च 2024") and reports what it contained.
// lang is the page's primary language subtag ("en", "de", ...; may be empty) used only to order ambiguous numeric dates (3/4/2024).
// When the string has no zone the time is returned in UTC with HasZone false (the caller decides the offset).
//
// The parser reads tokens, not layouts: labels ("Updated:", "Publié le",
// "更新"), weekday names and other words it does not know are skipped, and
// it stops at a second date, time or label, so "Published March 24, 2024
// Updated March 25, 2024" gives the first date. A result needs a day, a month
// and a year from 1990 to 2100; "today" and "3 hours ago" fail. So does a
// string with two capitalised words side by side that are neither month,
// weekday, label nor zone words, as in "By Jane Doe March 25, 2024": it
// names a person or a place, and is no date.
//
// Numeric dates: a four-digit first field is a year (2024-03-25, 2024/3/25,
// 2024.03.25). Otherwise the first field is the day if it is above 12, the
// month if the second field is above 12; when both could be either, the date
// is month-first only for slash dates on English pages (3/4/2024 is March 4
// with lang "en") and day-first everywhere else (3/4/2024 is 3 April with
// lang "de" or "", and 03.04.2024 or 03-04-2024 is 3 April on any page).
//
// Zones: numeric offsets ("+05:30", "+0530", "-05", "GMT+5:30", "UTC+9",
// "Z") win over abbreviations. Abbreviations must be written in capitals and
// follow the time; ambiguous ones take their most common newsroom meaning
// (IST is India, +05:30; CST is US Central; BST is British Summer Time; PST
// is US Pacific) and "AST" is not recognised. "ET", "PT", "CT" and "MT" take
// standard or daylight time from the America/... rules for that date.
//
// Digits of other scripts (full-width, Devanagari, Arabic-Indic, Bengali)
// are read as ASCII digits. Only the first maxDateInput bytes are read.
// parseDate is safe for concurrent use and never panics.
func parseDate(s, lang string) (t time.Time, info dateInfo, ok bool) {
	s = strings.TrimSpace(clipString(s, maxDateInput))
	if s == "" {
		return time.Time{}, dateInfo{}, false
	}
	if t, ok := parseUnixDigits(s); ok {
		return t, dateInfo{HasTime: true, HasZone: true}, true
	}
	p := dateParser{toks: tokenizeDate(s), lang: primaryLang(lang)}
	p.run()
	return p.result()
}

// primaryLang returns the lower-case primary subtag of a language tag.
func primaryLang(lang string) string {
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	return strings.ToLower(strings.TrimSpace(lang))
}

// clipString returns at most the first n bytes of s, cut at a rune boundary.
func clipString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// parseUnixDigits parses a string made only of 10 digits (Unix seconds) or
// 13 digits (Unix milliseconds).
func parseUnixDigits(s string) (time.Time, bool) {
	if len(s) != 10 && len(s) != 13 {
		return time.Time{}, false
	}
	var v int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return time.Time{}, false
		}
		v = v*10 + int64(c-'0')
	}
	var t time.Time
	if len(s) == 10 {
		t = time.Unix(v, 0).UTC()
	} else {
		t = time.UnixMilli(v).UTC()
	}
	if t.Year() < minDateYear || t.Year() > maxDateYear {
		return time.Time{}, false
	}
	return t, true
}

// dateTokKind is the kind of a date token.
type dateTokKind uint8

const (
	dateNum  dateTokKind = iota + 1 // a run of digits
	dateWord                        // a run of letters, or one CJK date marker
	dateSep                         // any other character
)

// dateTok is one token of a date string.
type dateTok struct {
	kind  dateTokKind
	text  string // the word as written; the digits in ASCII for dateNum
	low   string // lower-case word
	val   int    // value of a dateNum of at most 9 digits, else -1
	n     int    // number of digits of a dateNum
	sep   rune   // the (normalised) character of a dateSep
	space bool   // whitespace came before the token
	upper bool   // a dateWord with no lower-case letter
}

// tokenizeDate splits s into at most maxDateTokens tokens. Whitespace and
// format characters separate tokens and are dropped; invalid UTF-8 counts as
// whitespace.
func tokenizeDate(s string) []dateTok {
	toks := make([]dateTok, 0, 16)
	space := false
	for i := 0; i < len(s) && len(toks) < maxDateTokens; {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1, unicode.IsSpace(r), unicode.Is(unicode.Cf, r):
			space = true
			i += size
		case digitValue(r) >= 0:
			var buf [24]byte
			digits := buf[:0]
			j := i
			for j < len(s) {
				r2, sz := utf8.DecodeRuneInString(s[j:])
				d := digitValue(r2)
				if d < 0 {
					break
				}
				if len(digits) < cap(digits) {
					digits = append(digits, byte('0'+d))
				}
				j += sz
			}
			tok := dateTok{kind: dateNum, text: string(digits), n: len(digits), val: -1, space: space}
			if len(digits) <= 9 {
				tok.val = atoiDigits(digits)
			}
			toks = append(toks, tok)
			space = false
			i = j
		case isCJKDateMarker(r):
			w := s[i : i+size]
			toks = append(toks, dateTok{kind: dateWord, text: w, low: w, space: space})
			space = false
			i += size
		case unicode.IsLetter(r):
			j := i + size
			for j < len(s) {
				r2, sz := utf8.DecodeRuneInString(s[j:])
				if isCJKDateMarker(r2) || !(unicode.IsLetter(r2) || unicode.IsMark(r2)) {
					break
				}
				j += sz
			}
			w := s[i:j]
			toks = append(toks, dateTok{kind: dateWord, text: w, low: strings.ToLower(w), space: space, upper: !hasLowerRune(w)})
			space = false
			i = j
		case unicode.IsMark(r):
			i += size // a stray combining mark
		default:
			toks = append(toks, dateTok{kind: dateSep, sep: normalizeDateSep(r), space: space})
			space = false
			i += size
		}
	}
	return toks
}

// atoiDigits returns the value of a run of at most 9 ASCII digits.
func atoiDigits(b []byte) int {
	v := 0
	for _, c := range b {
		v = v*10 + int(c-'0')
	}
	return v
}

// digitValue returns the value of a decimal digit in ASCII, full-width,
// Devanagari, Bengali, Arabic-Indic or Extended Arabic-Indic script, or -1.
func digitValue(r rune) int {
	for _, zero := range [...]rune{'0', '\uFF10', '\u0966', '\u09E6', '\u0660', '\u06F0'} {
		if r >= zero && r <= zero+9 {
			return int(r - zero)
		}
	}
	return -1
}

// hasLowerRune reports whether s has a lower-case letter.
func hasLowerRune(s string) bool {
	for _, r := range s {
		if unicode.IsLower(r) {
			return true
		}
	}
	return false
}

// isCJKDateMarker reports whether r is a Chinese, Japanese or Korean unit
// written after a date or time number (年, 月, 日, 時, 分, 秒, 년, 월, ...).
func isCJKDateMarker(r rune) bool {
	switch r {
	case '年', '月', '日', '時', '时', '点', '點', '分', '秒', '년', '월', '일', '시', '분', '초':
		return true
	}
	return false
}

// normalizeDateSep maps full-width and typographic variants of date
// punctuation to ASCII.
func normalizeDateSep(r rune) rune {
	switch r {
	case '：':
		return ':'
	case '，', '、':
		return ','
	case '／':
		return '/'
	case '．', '。':
		return '.'
	case '（':
		return '('
	case '）':
		return ')'
	case '＋':
		return '+'
	case '−', '‐', '‑', '‒', '–', '—', '－':
		return '-'
	case '’', '‘', '`', '´':
		return '\''
	}
	return r
}

// dateParser holds the state of one parseDate call.
type dateParser struct {
	toks []dateTok
	lang string
	used []bool // tokens taken by a time or a numeric date

	year, month, day int   // 0 while unknown
	fixedDate        bool  // year, month and day came from one numeric or CJK group
	monthWords       []int // token indexes of month names

	hasTime               bool
	hour, minute, sec, ns int
	meridiem              byte // 'a' or 'p' when the time had AM or PM
	afterTime             bool // the previous significant token ended a time
	offset, abbrOffset    int
	hasOffset, hasAbbr    bool
	region                string // an IANA zone named by "ET", "PT", ...
	nameLike              bool   // two unknown capitalised words side by side
}

// run reads the tokens, stopping early at a second date, time or label.
func (p *dateParser) run() {
	p.used = make([]bool, len(p.toks))
	for i := 0; i < len(p.toks); {
		n := p.step(i)
		if n <= 0 {
			return
		}
		i += n
	}
}

// step reads the token at i and returns how many tokens it took, or 0 to
// stop reading.
func (p *dateParser) step(i int) int {
	t := p.toks[i]
	switch t.kind {
	case dateNum:
		return p.stepNum(i)
	case dateWord:
		return p.stepWord(i)
	default:
		if (t.sep == '+' || t.sep == '-') && p.afterTime && !p.hasOffset {
			if off, n := offsetAt(p.toks, i); n > 0 {
				p.offset, p.hasOffset = off, true
				return n
			}
		}
		return 1
	}
}

// stepNum reads a number: a time, a numeric or CJK date, a compact date or
// a year. Other numbers stay for dayNear to find next to a month name.
func (p *dateParser) stepNum(i int) int {
	t := p.toks[i]
	if c, n := p.timeAt(i); n > 0 && !p.offsetSignBefore(i) {
		if p.hasTime {
			return 0
		}
		p.setTime(c, i, n)
		return n
	}
	if y, m, d, n := p.numericDateAt(i); n > 0 {
		if p.hasDateParts() {
			return 0
		}
		p.year, p.month, p.day, p.fixedDate = y, m, d, true
		p.markUsed(i, n)
		p.afterTime = false
		return n
	}
	if n := p.cjkDateAt(i); n > 0 {
		p.afterTime = false
		return n
	}
	if t.n == 14 && !p.hasDateParts() && !p.hasTime {
		// 20240325125800
		hms := dateTok{kind: dateNum, n: 6, val: atoiDigits([]byte(t.text[8:]))}
		if y, m, d, ok := compactDate(atoiDigits([]byte(t.text[:8]))); ok {
			if c, ok := compactClock(hms); ok {
				p.year, p.month, p.day, p.fixedDate = y, m, d, true
				p.setTime(c, i, 1)
				return 1
			}
		}
	}
	if t.n == 8 && !p.hasDateParts() {
		if y, m, d, ok := compactDate(t.val); ok {
			p.year, p.month, p.day, p.fixedDate = y, m, d, true
			p.used[i] = true
			p.afterTime = false
			// 20240325T125800Z
			if i+2 < len(p.toks) && p.toks[i+1].kind == dateWord && p.toks[i+1].low == "t" &&
				p.toks[i+2].kind == dateNum && !p.hasTime {
				if c, ok := compactClock(p.toks[i+2]); ok {
					p.setTime(c, i+1, 2)
					return 3
				}
			}
			return 1
		}
	}
	switch {
	case t.n == 4 && t.val >= minDateYear && t.val <= maxDateYear:
		if p.year != 0 {
			return 0
		}
		p.year = t.val
		// "Thu Apr 7 15:13:13 2005 -0700": an offset may still follow the year.
		return 1
	case t.n == 2 && i > 0 && p.toks[i-1].kind == dateSep && p.toks[i-1].sep == '\'' && p.year == 0:
		p.year = twoDigitYear(t.val) // "Mar 25 '24"
		p.used[i] = true
	}
	p.afterTime = false
	return 1
}

// stepWord reads a word: a month name, a zone, AM/PM or a label that ends
// the date.
func (p *dateParser) stepWord(i int) int {
	t := p.toks[i]
	if p.afterTime {
		if n := p.zoneAt(i); n > 0 {
			return n
		}
		if timeSuffixWords[t.low] {
			return 1
		}
	}
	if m, ok := monthNames[t.low]; ok && m > 0 && !(t.low == "ago" && i > 0 && relativeUnits[p.toks[i-1].low]) {
		if p.year != 0 && p.month == 0 && len(p.monthWords) > 0 && p.wordDateReady() {
			return 0
		}
		if p.fixedDate {
			return 0
		}
		if len(p.monthWords) < 4 {
			p.monthWords = append(p.monthWords, i)
		}
		p.afterTime = false
		return 1
	}
	if dateLabels[t.low] && (p.fixedDate || (p.year != 0 && len(p.monthWords) > 0)) {
		return 0
	}
	if p.unknownCapital(i) && i > 0 && p.unknownCapital(i-1) && t.space {
		p.nameLike = true // "By Jane Doe March 25, 2024"
	}
	p.afterTime = false
	return 1
}

// offsetSignBefore reports whether the number at i follows an offset sign
// glued to a date ("2024-03-25+08:00"), so that it is no time of day.
func (p *dateParser) offsetSignBefore(i int) bool {
	if i < 2 || p.toks[i-1].kind != dateSep || p.toks[i-1].space || !p.used[i-2] {
		return false
	}
	return p.toks[i-1].sep == '+' || p.toks[i-1].sep == '-'
}

// unknownCapital reports whether token i is a capitalised word of two
// letters or more that no table of dates knows, such as a name.
func (p *dateParser) unknownCapital(i int) bool {
	t := p.toks[i]
	if t.kind != dateWord || utf8.RuneCountInString(t.text) < 2 {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(t.text); !unicode.IsUpper(r) {
		return false
	}
	_, month := monthNames[t.low]
	_, zone := zoneOffsets[strings.ToUpper(t.text)]
	_, region := zoneRegions[strings.ToUpper(t.text)]
	return !(month || zone || region || weekdayNames[t.low] || dateLabels[t.low] || dayFillers[t.low] ||
		relativeUnits[t.low] || timeSuffixWords[t.low] || dateTextWords[t.low])
}

// hasDateParts reports whether a full numeric date was already read.
func (p *dateParser) hasDateParts() bool {
	return p.fixedDate || (p.year != 0 && p.month != 0 && p.day != 0)
}

// wordDateReady reports whether a month word, a day next to it and a year
// were already read, so that another month word starts a second date.
func (p *dateParser) wordDateReady() bool {
	for _, m := range p.monthWords {
		if _, d := p.dayNear(m); d > 0 {
			return true
		}
	}
	return false
}

// markUsed marks n tokens from i as taken.
func (p *dateParser) markUsed(i, n int) {
	for k := i; k < i+n && k < len(p.used); k++ {
		p.used[k] = true
	}
}

// clock is a time of day read from the tokens.
type clock struct {
	hour, minute, sec, ns int
	meridiem              byte
}

// setTime records a time read from n tokens at i.
func (p *dateParser) setTime(c clock, i, n int) {
	p.hasTime = true
	p.hour, p.minute, p.sec, p.ns, p.meridiem = c.hour, c.minute, c.sec, c.ns, c.meridiem
	p.markUsed(i, n)
	p.afterTime = true
}

// timeAt reads a time of day at token i: "12:58", "12:58:00.123",
// "12:58 p.m.", "3 PM", "14h03", "14.03 Uhr", "12時58分", "오후 2시 30분".
// It returns the number of tokens taken, 0 if there is no time at i.
func (p *dateParser) timeAt(i int) (clock, int) {
	toks := p.toks
	t := toks[i]
	if t.n > 2 || t.val > 24 {
		return clock{}, 0
	}
	var c clock
	c.hour = t.val
	n := 0
	switch {
	case isSepAt(toks, i+1, ':') && isNumAt(toks, i+2, 2) && toks[i+2].val <= 59:
		c.minute = toks[i+2].val
		n = 3
		if isSepAt(toks, i+3, ':') && isNumAt(toks, i+4, 2) && toks[i+4].val <= 60 {
			c.sec = toks[i+4].val
			n = 5
			if (isSepAt(toks, i+5, '.') || isSepAt(toks, i+5, ',') || isSepAt(toks, i+5, ':')) &&
				!toks[i+5].space && i+6 < len(toks) && toks[i+6].kind == dateNum && !toks[i+6].space {
				c.ns = fractionNanos(toks[i+6].text)
				n = 7
			}
		}
	case isWordAt(toks, i+1, "h") && isNumAt(toks, i+2, 2) && toks[i+2].val <= 59:
		c.minute = toks[i+2].val // 14h03
		n = 3
	case isWordAt(toks, i+1, "h") && !toks[i+1].space:
		n = 2 // 14h
	case isSepAt(toks, i+1, '.') && isNumAt(toks, i+2, 2) && toks[i+2].val <= 59 && !isSepAt(toks, i+3, '.') &&
		(isWordAt(toks, i+3, "uhr") || isWordAt(toks, i+3, "h") || p.zoneWordAt(i+3) || (p.year != 0 && len(p.monthWords) > 0)):
		c.minute = toks[i+2].val // 14.03 Uhr, 12.58 GMT
		n = 3
	case isWordAt(toks, i+1, "uhr"):
		n = 1 // 14 Uhr
	case i+1 < len(toks) && toks[i+1].kind == dateWord && cjkHour[toks[i+1].text]:
		n = 2 // 12時58分30秒
		if isNumAt(toks, i+2, 2) || isNumAt(toks, i+2, 1) {
			if i+3 < len(toks) && cjkMinute[toks[i+3].text] && toks[i+2].val <= 59 {
				c.minute = toks[i+2].val
				n = 4
				if (isNumAt(toks, i+4, 2) || isNumAt(toks, i+4, 1)) && i+5 < len(toks) && cjkSecond[toks[i+5].text] && toks[i+4].val <= 60 {
					c.sec = toks[i+4].val
					n = 6
				}
			}
		}
	default:
		if m, k := meridiemAt(toks, i+1); k > 0 && t.val >= 1 && t.val <= 12 {
			c.meridiem = m // 3 PM
			return c, 1 + k
		}
		return clock{}, 0
	}
	if m, k := meridiemAt(toks, i+n); k > 0 {
		c.meridiem = m
		n += k
	} else if i > 0 && toks[i-1].kind == dateWord {
		c.meridiem = cjkMeridiem[toks[i-1].text]
	}
	return c, n
}

// zoneWordAt reports whether token i is a zone abbreviation in capitals.
func (p *dateParser) zoneWordAt(i int) bool {
	if i >= len(p.toks) || p.toks[i].kind != dateWord || !p.toks[i].upper {
		return false
	}
	_, fixed := zoneOffsets[p.toks[i].text]
	_, region := zoneRegions[p.toks[i].text]
	return fixed || region
}

// zoneAt reads a zone after a time: "IST", "ET", "GMT+5:30", "UTC", "Z".
// It returns the number of tokens taken.
func (p *dateParser) zoneAt(i int) int {
	t := p.toks[i]
	up := strings.ToUpper(t.text)
	switch {
	case up == "GMT" || up == "UTC" || up == "UT":
		if off, n := offsetAt(p.toks, i+1); n > 0 {
			if !p.hasOffset {
				p.offset, p.hasOffset = off, true
			}
			return 1 + n
		}
		if !p.hasAbbr {
			p.abbrOffset, p.hasAbbr = 0, true
		}
		return 1
	case up == "Z" && (t.upper || !t.space):
		if !p.hasAbbr {
			p.abbrOffset, p.hasAbbr = 0, true
		}
		return 1
	case !t.upper:
		return 0
	}
	if off, ok := zoneOffsets[up]; ok {
		if !p.hasAbbr && p.region == "" {
			p.abbrOffset, p.hasAbbr = off, true
		}
		return 1
	}
	if r, ok := zoneRegions[up]; ok {
		if !p.hasAbbr && p.region == "" {
			p.region = r
		}
		return 1
	}
	return 0
}

// offsetAt reads a signed UTC offset at token i ("+05:30", "+0530", "-05",
// "+9"), returning it in seconds and the number of tokens taken.
func offsetAt(toks []dateTok, i int) (int, int) {
	if i+1 >= len(toks) || toks[i].kind != dateSep || (toks[i].sep != '+' && toks[i].sep != '-') {
		return 0, 0
	}
	sign := 1
	if toks[i].sep == '-' {
		sign = -1
	}
	h := toks[i+1]
	if h.kind != dateNum || h.space {
		return 0, 0
	}
	var hh, mm, n int
	switch h.n {
	case 4:
		hh, mm, n = h.val/100, h.val%100, 2
	case 1, 2:
		hh, n = h.val, 2
		if isSepAt(toks, i+2, ':') && isNumAt(toks, i+3, 2) {
			mm, n = toks[i+3].val, 4
		}
	default:
		return 0, 0
	}
	off := sign * (hh*3600 + mm*60)
	if !validOffset(off) {
		return 0, 0
	}
	return off, n
}

// validOffset reports whether off (seconds east of UTC) is an offset a
// zone uses: from -12:00 to +14:00, in whole hours or at :30 or :45.
// Anything else ("+10:15", "+0099") is a typo or not an offset.
func validOffset(off int) bool {
	if off < -12*3600 || off > 14*3600 {
		return false
	}
	m := (off % 3600) / 60
	if m < 0 {
		m = -m
	}
	return off%60 == 0 && (m == 0 || m == 30 || m == 45)
}

// numericDateAt reads a numeric date at token i: "2024-03-25",
// "2024/3/25", "2024. 3. 25.", "25.03.2024", "3/25/2024", "25/03/24".
// It returns year, month, day and the number of tokens taken.
func (p *dateParser) numericDateAt(i int) (y, m, d, n int) {
	toks := p.toks
	if i+4 >= len(toks) || toks[i+1].kind != dateSep || toks[i+2].kind != dateNum ||
		toks[i+3].kind != dateSep || toks[i+4].kind != dateNum {
		return 0, 0, 0, 0
	}
	sep := toks[i+1].sep
	if sep != '-' && sep != '/' && sep != '.' || toks[i+3].sep != sep {
		return 0, 0, 0, 0
	}
	a, b, c := toks[i], toks[i+2], toks[i+4]
	switch {
	case a.n == 4 && b.n <= 2 && c.n <= 2:
		return a.val, b.val, c.val, 5
	case a.n <= 2 && b.n <= 2 && (c.n == 4 || (c.n == 2 && sep != '-')):
		y = c.val
		if c.n == 2 {
			y = twoDigitYear(c.val)
		}
		d, m = a.val, b.val
		if monthFirst(a.val, b.val, sep, p.lang) {
			d, m = b.val, a.val
		}
		return y, m, d, 5
	}
	return 0, 0, 0, 0
}

// monthFirst reports whether an ambiguous numeric date a/b/year is
// month-first: when only that order is valid, or when both are and the
// date uses slashes on an English page.
func monthFirst(a, b int, sep rune, lang string) bool {
	switch {
	case a > 12:
		return false
	case b > 12:
		return true
	}
	return sep == '/' && lang == "en"
}

// twoDigitYear maps a two-digit year as POSIX strptime does: 69-99 to
// 1969-1999 (which parseDate then rejects unless 1990 or later), 00-68 to
// 2000-2068.
func twoDigitYear(v int) int {
	if v >= 69 {
		return 1900 + v
	}
	return 2000 + v
}

// cjkDateAt reads a number followed by 年/년, 月/월 or 日/일 and records it.
// It returns the number of tokens taken, 0 if token i+1 is no such unit.
func (p *dateParser) cjkDateAt(i int) int {
	if i+1 >= len(p.toks) || p.toks[i+1].kind != dateWord {
		return 0
	}
	v := p.toks[i].val
	switch p.toks[i+1].text {
	case "年", "년":
		if p.year != 0 || v < minDateYear || v > maxDateYear {
			return 0
		}
		p.year = v
	case "月", "월":
		if p.month != 0 || v < 1 || v > 12 {
			return 0
		}
		p.month = v
	case "日", "일":
		if p.day != 0 || v < 1 || v > 31 || p.month == 0 {
			return 0
		}
		p.day = v
		if p.year != 0 {
			p.fixedDate = true
		}
	default:
		return 0
	}
	p.markUsed(i, 2)
	return 2
}

// compactDate splits an 8-digit YYYYMMDD value.
func compactDate(v int) (y, m, d int, ok bool) {
	y, m, d = v/10000, v/100%100, v%100
	if y < minDateYear || y > maxDateYear || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// compactClock reads HHMM or HHMMSS.
func compactClock(t dateTok) (clock, bool) {
	var c clock
	switch t.n {
	case 4:
		c.hour, c.minute = t.val/100, t.val%100
	case 6:
		c.hour, c.minute, c.sec = t.val/10000, t.val/100%100, t.val%100
	default:
		return clock{}, false
	}
	if c.hour > 23 || c.minute > 59 || c.sec > 60 {
		return clock{}, false
	}
	return c, true
}

// fractionNanos converts the digits of a decimal fraction of a second.
func fractionNanos(digits string) int {
	ns := 0
	for k := 0; k < 9; k++ {
		ns *= 10
		if k < len(digits) {
			ns += int(digits[k] - '0')
		}
	}
	return ns
}

// meridiemAt reads "AM", "pm", "a.m." or "p.m." at token i, returning 'a'
// or 'p' and the number of tokens taken.
func meridiemAt(toks []dateTok, i int) (byte, int) {
	if i >= len(toks) || toks[i].kind != dateWord {
		return 0, 0
	}
	switch toks[i].low {
	case "am":
		return 'a', 1
	case "pm":
		return 'p', 1
	case "a", "p":
		if isSepAt(toks, i+1, '.') && isWordAt(toks, i+2, "m") {
			n := 3
			if isSepAt(toks, i+3, '.') {
				n = 4
			}
			return toks[i].low[0], n
		}
	}
	return 0, 0
}

// isSepAt reports whether token i is the separator r.
func isSepAt(toks []dateTok, i int, r rune) bool {
	return i >= 0 && i < len(toks) && toks[i].kind == dateSep && toks[i].sep == r
}

// isNumAt reports whether token i is a number of exactly n digits.
func isNumAt(toks []dateTok, i, n int) bool {
	return i >= 0 && i < len(toks) && toks[i].kind == dateNum && toks[i].n == n
}

// isWordAt reports whether token i is the lower-case word w.
func isWordAt(toks []dateTok, i int, w string) bool {
	return i >= 0 && i < len(toks) && toks[i].kind == dateWord && toks[i].low == w
}

// dayNear finds the day number next to the month word at token m: just
// before it ("25 March", "25. März", "25 de marzo") or just after it
// ("March 25"). It returns the token index and the distance, 0 if none.
func (p *dateParser) dayNear(m int) (idx, dist int) {
	best, bestDist := -1, 0
	for dir := -1; dir <= 1; dir += 2 {
		d := 0
		for j := m + dir; j >= 0 && j < len(p.toks) && d < 4; j += dir {
			d++
			t := p.toks[j]
			if t.kind == dateSep && strings.ContainsRune(".,-/", t.sep) || t.kind == dateWord && dayFillers[t.low] {
				continue
			}
			if t.kind == dateNum && t.n <= 2 && t.val >= 1 && t.val <= 31 && !p.used[j] && (bestDist == 0 || d < bestDist) {
				best, bestDist = j, d
			}
			break
		}
	}
	if best < 0 {
		return -1, 0
	}
	return best, bestDist
}

// resolveWordDate picks the month word and the day next to it, and a
// two-digit year for "25-Mar-24" when no four-digit year was read.
func (p *dateParser) resolveWordDate() bool {
	bestM, bestD, bestDist := -1, -1, 0
	for _, m := range p.monthWords {
		if d, dist := p.dayNear(m); dist > 0 && (bestDist == 0 || dist < bestDist) {
			bestM, bestD, bestDist = m, d, dist
		}
	}
	if bestM < 0 {
		return false
	}
	if p.year == 0 {
		// RFC 850 "Monday, 25-Mar-24 12:58:00 GMT" and RFC 822 "25 Mar 24":
		// a two-digit year right after a month that follows its day.
		switch {
		case bestD > bestM:
			return false
		case isSepAt(p.toks, bestM-1, '-') && isSepAt(p.toks, bestM+1, '-') && isNumAt(p.toks, bestM+2, 2):
			p.year = twoDigitYear(p.toks[bestM+2].val)
		case isNumAt(p.toks, bestM+1, 2) && p.toks[bestM+1].space && !p.used[bestM+1]:
			p.year = twoDigitYear(p.toks[bestM+1].val)
		default:
			return false
		}
	}
	p.month = int(monthNames[p.toks[bestM].low])
	p.day = p.toks[bestD].val
	return true
}

// result builds the parsed time from the fields read.
func (p *dateParser) result() (time.Time, dateInfo, bool) {
	var zero time.Time
	if p.nameLike {
		return zero, dateInfo{}, false
	}
	if !p.fixedDate && !(p.year != 0 && p.month != 0 && p.day != 0) && !p.resolveWordDate() {
		return zero, dateInfo{}, false
	}
	y, mo, d := p.year, p.month, p.day
	if y < minDateYear || y > maxDateYear || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return zero, dateInfo{}, false
	}
	if time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC).Day() != d {
		return zero, dateInfo{}, false // 31 April, 29 February 2023
	}
	if !p.hasTime {
		return time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC), dateInfo{}, true
	}
	h := p.hour
	switch p.meridiem {
	case 'a':
		if h == 12 {
			h = 0
		}
	case 'p':
		if h < 12 {
			h += 12
		}
	}
	if h > 23 || (p.meridiem != 0 && p.hour > 12) {
		return zero, dateInfo{}, false
	}
	sec := min(p.sec, 59)
	info := dateInfo{HasTime: true, HasZone: true}
	switch {
	case p.hasOffset:
		return time.Date(y, time.Month(mo), d, h, p.minute, sec, p.ns, fixedZone(p.offset)), info, true
	case p.region != "":
		if loc := regionLocation(p.region); loc != nil {
			t := time.Date(y, time.Month(mo), d, h, p.minute, sec, p.ns, loc)
			_, off := t.Zone()
			return t.In(fixedZone(off)), info, true
		}
		return time.Date(y, time.Month(mo), d, h, p.minute, sec, p.ns, fixedZone(regionStdOffsets[p.region])), info, true
	case p.hasAbbr:
		return time.Date(y, time.Month(mo), d, h, p.minute, sec, p.ns, fixedZone(p.abbrOffset)), info, true
	}
	return time.Date(y, time.Month(mo), d, h, p.minute, sec, p.ns, time.UTC), dateInfo{HasTime: true}, true
}

// fixedZone returns UTC for a zero offset, else an unnamed fixed zone.
func fixedZone(offset int) *time.Location {
	if offset == 0 {
		return time.UTC
	}
	return time.FixedZone("", offset)
}

// regionLocations loads the zones behind "ET", "PT", "CT" and "MT" once.
var regionLocations = sync.OnceValue(func() map[string]*time.Location {
	locs := make(map[string]*time.Location, len(regionStdOffsets))
	for name := range regionStdOffsets {
		if loc, err := time.LoadLocation(name); err == nil {
			locs[name] = loc
		}
	}
	return locs
})

// regionLocation returns the loaded zone called name, or nil.
func regionLocation(name string) *time.Location {
	return regionLocations()[name]
}

// regionStdOffsets gives the standard offsets of the zones in zoneRegions,
// used only if their rules cannot be loaded.
var regionStdOffsets = map[string]int{
	"America/New_York":    -5 * 3600,
	"America/Chicago":     -6 * 3600,
	"America/Denver":      -7 * 3600,
	"America/Los_Angeles": -8 * 3600,
}

// zoneRegions maps generic zone names to zones whose rules pick standard or
// daylight time.
var zoneRegions = map[string]string{
	"ET": "America/New_York",
	"CT": "America/Chicago",
	"MT": "America/Denver",
	"PT": "America/Los_Angeles",
}

// zoneOffsets maps zone abbreviations, in capitals, to their offsets in
// seconds east of UTC.
var zoneOffsets = map[string]int{
	"UTC": 0, "GMT": 0, "UT": 0, "Z": 0, "WET": 0,
	"BST": 3600, "WEST": 3600, "CET": 3600, "MEZ": 3600, "WAT": 3600,
	"CEST": 2 * 3600, "MESZ": 2 * 3600, "EET": 2 * 3600, "CAT": 2 * 3600, "SAST": 2 * 3600,
	"EEST": 3 * 3600, "MSK": 3 * 3600, "TRT": 3 * 3600, "EAT": 3 * 3600,
	"IRST": 3*3600 + 1800, "GST": 4 * 3600,
	"PKT": 5 * 3600, "IST": 5*3600 + 1800, "NPT": 5*3600 + 2700,
	"WIB": 7 * 3600, "ICT": 7 * 3600,
	"HKT": 8 * 3600, "SGT": 8 * 3600, "PHT": 8 * 3600, "MYT": 8 * 3600, "AWST": 8 * 3600, "WITA": 8 * 3600,
	"JST": 9 * 3600, "KST": 9 * 3600, "WIT": 9 * 3600,
	"ACST": 9*3600 + 1800, "ACDT": 10*3600 + 1800,
	"AEST": 10 * 3600, "AEDT": 11 * 3600,
	"NZST": 12 * 3600, "NZDT": 13 * 3600,
	"NDT": -(2*3600 + 1800), "NST": -(3*3600 + 1800), "ADT": -3 * 3600, "BRT": -3 * 3600, "ART": -3 * 3600,
	"EDT": -4 * 3600, "EST": -5 * 3600,
	"CDT": -5 * 3600, "CST": -6 * 3600,
	"MDT": -6 * 3600, "MST": -7 * 3600,
	"PDT": -7 * 3600, "PST": -8 * 3600,
	"AKDT": -8 * 3600, "AKST": -9 * 3600, "HST": -10 * 3600,
}

// timeSuffixWords are words that may follow a time without ending it.
var timeSuffixWords = map[string]bool{"uhr": true, "h": true, "hs": true, "hrs": true, "horas": true, "ore": true, "saat": true}

// cjkHour, cjkMinute and cjkSecond are the CJK units of a time.
var (
	cjkHour   = map[string]bool{"時": true, "时": true, "点": true, "點": true, "시": true}
	cjkMinute = map[string]bool{"分": true, "분": true}
	cjkSecond = map[string]bool{"秒": true, "초": true}
)

// cjkMeridiem maps CJK words written before a time to 'a' (morning) or 'p'
// (afternoon, evening).
var cjkMeridiem = map[string]byte{
	"午前": 'a', "午後": 'p', "오전": 'a', "오후": 'p', "上午": 'a', "下午": 'p', "早上": 'a', "晚上": 'p',
}

// dayFillers are words allowed between a day number and a month name.
// Ordinal endings ("25th", "1er", "1º") are fillers too.
var dayFillers = map[string]bool{
	"de": true, "del": true, "di": true, "of": true, "the": true, "le": true, "el": true, "den": true, "der": true, "du": true,
	"st": true, "nd": true, "rd": true, "th": true, "er": true, "º": true, "ª": true, "ro": true,
}

// dateTextWords are other words that date strings hold: labels in several
// words, prepositions and the words of zone names.
var dateTextWords = setOf(`am pm on at um la die das à às om alle ore le el il em last first date time zuletzt dernière
última ultimo laatst data tarih standard daylight summer pacific eastern central mountain atlantic european british
india indian greenwich mean japan korea korean china hong kong singapore australian western coordinated universal`)

// relativeUnits are time units that precede "ago" in relative dates.
var relativeUnits = map[string]bool{
	"second": true, "seconds": true, "sec": true, "secs": true, "minute": true, "minutes": true, "min": true, "mins": true,
	"hour": true, "hours": true, "hr": true, "hrs": true, "day": true, "days": true, "week": true, "weeks": true,
	"month": true, "months": true, "year": true, "years": true,
}

// dateLabels are words that introduce a date; after a complete date they
// start the next one ("... Updated March 25, 2024").
var dateLabels = map[string]bool{
	"updated": true, "update": true, "modified": true, "published": true, "posted": true, "created": true,
	"aktualisiert": true, "veröffentlicht": true, "erstellt": true, "stand": true,
	"publié": true, "publiée": true, "mis": true, "modifié": true,
	"publicado": true, "publicada": true, "actualizado": true, "actualizada": true, "atualizado": true, "atualizada": true,
	"pubblicato": true, "aggiornato": true, "gepubliceerd": true, "bijgewerkt": true,
	"opublikowano": true, "zaktualizowano": true, "опубликовано": true, "обновлено": true,
	"güncelleme": true, "güncellendi": true, "yayınlanma": true, "diperbarui": true, "diterbitkan": true,
	"更新": true, "公開": true, "发布": true, "發布": true, "修正": true, "입력": true, "수정": true,
}

// monthNames maps lower-case month names and abbreviations in English,
// German, French, Spanish, Italian, Portuguese, Dutch, Polish, Russian,
// Turkish, Indonesian and Hindi to their months.
var monthNames = buildMonthNames()

// buildMonthNames builds monthNames.
func buildMonthNames() map[string]time.Month {
	// English, German, French, Spanish, Italian, Portuguese, Dutch,
	// Indonesian, Polish, Russian, Turkish and Hindi (the first lines);
	// Arabic (Egyptian/Gulf names), Persian (Gregorian), Hebrew, Greek
	// (genitive), Ukrainian, Bulgarian, Czech, Slovak, Croatian, Serbian,
	// Hungarian, Romanian, Scandinavian, Finnish and Catalan (the second).
	// Croatian "listopad" (October) is left out: it is November in Polish
	// and Czech.
	lists := [12][2]string{
		{"january jan januar jänner janv janvier enero ene gennaio gen janeiro januari styczeń stycznia sty январь января янв ocak oca जनवरी",
			"يناير ژانویه ינואר ιανουαρίου ιανουάριος січня січень януари leden ledna január januára siječanj siječnja januar ianuarie tammikuuta tammikuu gener"},
		{"february feb februar feber février févr fevrier fev fevr febrero febbraio fevereiro februari luty lutego lut февраль февраля фев şubat şub subat फ़रवरी फरवरी",
			"فبراير فوریه פברואר φεβρουαρίου φεβρουάριος лютого лютий февруари únor února február februára veljača veljače februar februarie helmikuuta helmikuu febrer"},
		{"march mar märz mär mrz maerz mars marzo março marco maart mrt maret marzec marca март марта мар mart मार्च",
			"مارس מרץ μαρτίου μάρτιος березня березень březen března marec marca ožujak ožujka március martie marts maaliskuuta maaliskuu març"},
		{"april apr avril avr abril abr aprile kwiecień kwietnia kwi апрель апреля апр nisan nis अप्रैल अप्रेल",
			"أبريل ابريل آوریل אפריל απριλίου απρίλιος квітня квітень април duben dubna apríl apríla travanj travnja április aprilie huhtikuuta huhtikuu"},
		{"may mai mayo maggio mag maio mei maj maja май мая mayıs mayis मई",
			"مايو مه מאי μαΐου μαΐου μάιος травня травень květen května máj mája svibanj svibnja május maig toukokuuta toukokuu"},
		{"june jun juni juin junio giugno giu junho czerwiec czerwca cze июнь июня июн haziran haz जून",
			"يونيو يونيه ژوئن יוני ιουνίου ιούνιος червня червень юни červen června jún júna lipanj lipnja június iunie kesäkuuta kesäkuu juny"},
		{"july jul juli juillet juil julio luglio lug julho lipiec lipca lip июль июля июл temmuz tem जुलाई",
			"يوليو يوليه ژوئیه יולי ιουλίου ιούλιος липня липень юли červenec července júl júla srpanj srpnja július iulie heinäkuuta heinäkuu juliol"},
		{"august aug augustus agustus agu agt août aout agosto ago sierpień sierpnia sie август августа авг ağustos ağu agustos अगस्त",
			"أغسطس اغسطس اوت אוגוסט αυγούστου αύγουστος серпня серпень srpen srpna kolovoz kolovoza avgust augusztus elokuuta elokuu agost"},
		{"september sep sept septembre septiembre setiembre settembre set setembro wrzesień września wrz сентябрь сентября сен сент eylül eyl eylul सितंबर सितम्बर",
			"سبتمبر سپتامبر ספטמבר σεπτεμβρίου σεπτέμβριος вересня вересень септември září septembra rujan rujna septembar szeptember septembrie syyskuuta syyskuu setembre"},
		{"october oct oktober okt octobre octubre ottobre ott outubro out październik października paź октябрь октября окт ekim eki अक्टूबर अक्तूबर",
			"أكتوبر اكتوبر اکتبر אוקטובר οκτωβρίου οκτώβριος жовтня жовтень октомври říjen října októbra oktobar október octombrie lokakuuta lokakuu octubre"},
		{"november nov novembre noviembre novembro listopad listopada lis ноябрь ноября ноя kasım kas kasim नवंबर नवम्बर",
			"نوفمبر نوامبر נובמבר νοεμβρίου νοέμβριος листопада листопад ноември listopadu novembra studeni studenoga novembar noiembrie marraskuuta marraskuu"},
		{"december dec dezember dez décembre déc decembre diciembre dic dicembre dezembro desember des grudzień grudnia gru декабрь декабря дек aralık ara aralik दिसंबर दिसम्बर",
			"ديسمبر دسامبر דצמבר δεκεμβρίου δεκέμβριος грудня грудень декември prosinec prosince december decembra prosinac prosinca decembar decembrie joulukuuta joulukuu desembre"},
	}
	m := make(map[string]time.Month, 256)
	for i, pair := range lists {
		for _, list := range pair {
			for _, name := range strings.Fields(list) {
				m[name] = time.Month(i + 1)
			}
		}
	}
	// फ़रवरी may be written with the precomposed letter U+095E.
	m["\u095eरवरी"] = time.February
	return m
}
