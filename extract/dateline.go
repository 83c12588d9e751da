package extract

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxDatelineInput is how many bytes of body text parseDateline looks at.
const maxDatelineInput = 240

// Limits on the place of a dateline: words before the first comma, words
// of the ", State/Country" part, and bytes in all.
const (
	maxPlaceWords = 5
	maxStateWords = 3
	maxPlaceBytes = 80
)

// placeCase is how the main part of a dateline place is written.
type placeCase uint8

const (
	placeCaps  placeCase = iota + 1 // "SEOUL", "KANSAS CITY", "ST. LOUIS"
	placeTitle                      // "Seoul", "New Delhi", "Santa Barbara"
)

// parseDateline finds a wire-style dateline at the start of body text.
// year is the year to give a dateline date (from the article's published date; 0 if unknown: then Date stays empty),
// pubMonth the published month (1-12, 0 unknown): a dateline month later than pubMonth belongs to year-1.
// It returns nil when the text does not open with a dateline.
//
// A dateline is a short place, then optionally a date, an agency in
// parentheses or between slashes, and a separator:
//
//	SEOUL, March 25 (Yonhap) --
//	TALLAHASSEE, Fla. (AP) —
//	Seoul, March 25            (IANS: no separator)
//	NEW DELHI:
//	NEW YORK, March 25, 2024 /PRNewswire/ --
//
// The place is at most maxPlaceWords words, each capitalised (lower-case
// particles such as "de" may sit between them), plus an optional ", State"
// part of at most maxStateWords words. A place in capitals may end with a
// dash or a colon; a Title-case place needs a date, an agency or a dash, so
// that "However, the minister said" and "Update: ..." are not datelines.
// Labels ("UPDATE:", "Editor's note:"), titles ("Mr.", "Sen."), weekdays
// and common sentence openers are never places, and the text after a
// dateline with no agency must not start in lower case. A parenthesised
// credit that is no wire agency, such as "(CNN)", is accepted only before a
// dash and leaves Agency empty.
//
// Leading whitespace is skipped: Raw is a prefix of the text after its
// leading whitespace, and Place a prefix of Raw. A date without a written
// year takes year, or year-1 when its month is after pubMonth; Date stays
// empty when year is 0 or the day does not exist. Only the first
// maxDatelineInput bytes are read. parseDateline is safe for concurrent use
// and never panics.
func parseDateline(text string, year int, pubMonth time.Month) *Dateline {
	s := clipString(strings.TrimLeftFunc(text, isLeadSpace), maxDatelineInput)
	words, mode, pos := scanPlace(s, 0, maxPlaceWords)
	if len(words) == 0 || !placeAllowed(words, mode) {
		return nil
	}
	placeEnd := pos

	// ", State" and ", March 25": the state comes first, the date last.
	var month time.Month
	day, dateYear := 0, 0
	hasDate, hasState := false, false
	for !hasDate && strings.HasPrefix(s[pos:], ", ") {
		if m, d, y, end, ok := datelineDate(s, pos+2); ok {
			month, day, dateYear, pos, hasDate = m, d, y, end, true
			break
		}
		if hasState {
			break
		}
		stateWords, stateMode, end := scanPlace(s, pos+2, maxStateWords)
		if len(stateWords) == 0 || stateMode == 0 || stopWord(stateWords[0]) {
			break
		}
		pos, placeEnd, hasState = end, end, true
	}
	if placeEnd > maxPlaceBytes {
		return nil
	}

	// (AGENCY), /PRNewswire/ or --(BUSINESS WIRE)--.
	agency, credit := "", false
	end := pos
	glued := false
	if a, e, ok := datelineCredit(s, pos); ok {
		agency, credit, end = a, true, e
		glued = strings.HasPrefix(s[pos:], "--(")
		if agency == "" && !outletCredit(s[pos:e]) {
			return nil
		}
	} else if e := skipBlanks(s, pos); e < len(s) && (s[e] == '(' || s[e] == '[') {
		return nil // "The President (Joe Biden) said"
	}

	sep, sepEnd := datelineSeparator(s, end, credit, glued)
	if sep == ':' && mode != placeCaps && !hasDate && agency == "" {
		return nil // "Update: ...", "Dear Abby: ..."
	}
	if credit && agency == "" && !isDash(sep) {
		return nil // "(CNN)" without a dash after it
	}
	if sep == 0 && !hasDate && agency == "" {
		return nil
	}
	rawEnd := end
	if sep != 0 {
		rawEnd = sepEnd
	}

	// The story must go on with a sentence, not a lower-case word.
	next := skipBlanks(s, rawEnd)
	if sep == 0 && !spaceOrEnd(s, rawEnd) {
		return nil // "Seoul, March 25A": no space after the dateline
	}
	if next < len(s) && agency == "" {
		if r, _ := utf8.DecodeRuneInString(s[next:]); unicode.IsLower(r) {
			return nil
		}
	}

	if !utf8.ValidString(s[:rawEnd]) {
		return nil
	}
	dl := &Dateline{Place: s[:placeEnd], Agency: agency, Raw: s[:rawEnd]}
	if hasDate {
		dl.Date = datelineDateString(month, day, dateYear, year, pubMonth)
	}
	return dl
}

// isLeadSpace reports whether r is whitespace or a format character (such
// as a byte-order mark) that parseDateline skips at the start of the text.
func isLeadSpace(r rune) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
}

// datelineDateString formats a dateline date as YYYY-MM-DD, or "" when the
// year is unknown or the day does not exist.
func datelineDateString(month time.Month, day, written, year int, pubMonth time.Month) string {
	y := written
	if y == 0 {
		if year < minDateYear || year > maxDateYear {
			return ""
		}
		y = year
		if pubMonth >= time.January && pubMonth <= time.December && month > pubMonth {
			y--
		}
	}
	t := time.Date(y, month, day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, int(month), day)
}

// scanPlace reads up to limit capitalised words of a place from pos, words
// separated by single spaces, with lower-case particles between them. It
// returns the words, how they are written (0 when neither all capitals nor
// Title case) and the end of the last word. It returns no words when the
// place is longer than limit.
func scanPlace(s string, start, limit int) (words []string, mode placeCase, end int) {
	pos := start
	for {
		e := placeWordEnd(s, pos)
		if e == pos {
			break
		}
		w := s[pos:e]
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !placeParticles[w] {
			break
		}
		if len(words) == limit {
			return nil, 0, start // too long for a place
		}
		words = append(words, w)
		if e+1 < len(s) && s[e] == ' ' && placeWordEnd(s, e+1) > e+1 {
			pos = e + 1
			continue
		}
		break
	}
	// Particles only sit between capitalised words.
	for len(words) > 0 && placeParticles[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	if len(words) == 0 || placeParticles[words[0]] {
		return nil, 0, start
	}
	end = start + len(words) - 1
	for _, w := range words {
		end += len(w)
	}
	return words, wordsCase(words), end
}

// wordsCase reports how the capitalised words of a place are written.
func wordsCase(words []string) placeCase {
	caps, letters := true, 0
	for _, w := range words {
		if placeParticles[w] {
			continue
		}
		for _, r := range w {
			if unicode.IsLetter(r) {
				letters++
			}
			if unicode.IsLower(r) {
				caps = false
			}
		}
	}
	if caps && letters >= 2 {
		return placeCaps
	}
	return placeTitle
}

// placeWordEnd returns the end of the place word starting at i, or i when
// no word starts there. A word starts with a letter and may hold letters,
// combining marks, dots ("ST.", "D.C.") and apostrophes or hyphens between
// letters ("O'HARE", "Port-au-Prince").
func placeWordEnd(s string, i int) int {
	j := i
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		switch {
		case unicode.IsLetter(r) || (j > i && unicode.IsMark(r)):
		case r == '.' && j > i:
		case (r == '\'' || r == '’' || r == '-') && j > i && j+size < len(s):
			r2, _ := utf8.DecodeRuneInString(s[j+size:])
			if !unicode.IsLetter(r2) {
				return j
			}
		default:
			return j
		}
		j += size
	}
	return j
}

// placeAllowed rejects places that are labels, titles, weekdays or common
// sentence openers rather than places.
func placeAllowed(words []string, mode placeCase) bool {
	if mode == 0 {
		return false
	}
	first := strings.ToLower(strings.TrimRight(words[0], ".:"))
	if first == "the" && mode == placeCaps && len(words) > 1 {
		return true // THE HAGUE
	}
	if stopWord(words[0]) {
		return false
	}
	if len(words) == 1 && outletAcronyms[strings.TrimRight(words[0], ".:")] {
		return false // "CNN —": the outlet's credit, no place
	}
	whole := strings.ToLower(strings.Join(words, " "))
	return !datelineLabels[whole]
}

// stopWord reports whether w, as the first word of a place, shows that the
// text is no dateline.
func stopWord(w string) bool {
	k := strings.ToLower(strings.TrimRight(w, ".:"))
	if placeStopWords[k] {
		return true
	}
	_, isMonth := monthNames[k]
	return (isMonth || weekdayNames[k]) && utf8.RuneCountInString(k) > 3
}

// datelineDate reads a dateline date at i: "March 25", "Mar. 25",
// "25 March", "25. März", "Mar 25, 2024". It returns month, day, the
// written year (0 if none) and the end of the date.
func datelineDate(s string, i int) (month time.Month, day, year, end int, ok bool) {
	// Month first.
	if m, e, found := datelineMonth(s, i, false); found && e < len(s) && s[e] == ' ' {
		if d, e2, found := datelineDay(s, e+1); found {
			y, e3 := datelineYear(s, e2)
			if boundaryAt(s, e3) {
				return m, d, y, e3, true
			}
		}
	}
	// Day first.
	if d, e, found := datelineDay(s, i); found {
		if e < len(s) && s[e] == '.' {
			e++
		}
		if e < len(s) && s[e] == ' ' {
			if m, e2, found := datelineMonth(s, e+1, true); found {
				y, e3 := datelineYear(s, e2)
				if boundaryAt(s, e3) {
					return m, d, y, e3, true
				}
			}
		}
	}
	return 0, 0, 0, i, false
}

// datelineMonth reads a month name or abbreviation, with an optional dot,
// at i. It must be capitalised unless lower is set and it has three letters
// or more ("25 mars", "25 mar" after a day in French or Spanish).
func datelineMonth(s string, i int, lower bool) (time.Month, int, bool) {
	j := i
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if !unicode.IsLetter(r) {
			break
		}
		j += size
	}
	if j == i || j-i > 12 {
		return 0, i, false
	}
	w := s[i:j]
	if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) && !(lower && utf8.RuneCountInString(w) >= 3) {
		return 0, i, false
	}
	m, ok := monthNames[strings.ToLower(w)]
	if !ok {
		return 0, i, false
	}
	if j < len(s) && s[j] == '.' {
		j++
	}
	return m, j, true
}

// datelineDay reads a day of one or two ASCII digits at i.
func datelineDay(s string, i int) (int, int, bool) {
	j := i
	for j < len(s) && j-i < 3 && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == i || j-i > 2 || (j < len(s) && s[j] >= '0' && s[j] <= '9') {
		return 0, i, false
	}
	d := atoiDigits([]byte(s[i:j]))
	if d < 1 || d > 31 {
		return 0, i, false
	}
	return d, j, true
}

// datelineYear reads an optional ", 2024" or " 2024" at i.
func datelineYear(s string, i int) (int, int) {
	j := i
	if strings.HasPrefix(s[j:], ", ") {
		j += 2
	} else if strings.HasPrefix(s[j:], " ") {
		j++
	} else {
		return 0, i
	}
	if j+4 > len(s) || !boundaryAt(s, j+4) {
		return 0, i
	}
	for k := j; k < j+4; k++ {
		if s[k] < '0' || s[k] > '9' {
			return 0, i
		}
	}
	y := atoiDigits([]byte(s[j : j+4]))
	if y < minDateYear || y > maxDateYear {
		return 0, i
	}
	return y, j + 4
}

// boundaryAt reports whether no letter or digit starts at i.
func boundaryAt(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// skipBlanks returns the offset after spaces and no-break spaces at i.
func skipBlanks(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == ' ' || s[i] == '\t':
			i++
		case strings.HasPrefix(s[i:], "\u00a0"):
			i += len("\u00a0")
		default:
			return i
		}
	}
	return i
}

// datelineCredit reads an agency credit at pos: " (Yonhap)", " /PRNewswire/"
// or "--(BUSINESS WIRE)". It returns the canonical agency ("" for a credit
// that names no agency) and the end of the credit.
func datelineCredit(s string, pos int) (agency string, end int, ok bool) {
	i := skipBlanks(s, pos)
	if strings.HasPrefix(s[i:], ". /") {
		i = skipBlanks(s, i+1) // "MOSCOW, March 25. /TASS/."
	}
	open, close := byte(0), byte(0)
	switch {
	case strings.HasPrefix(s[i:], "--(") && i == pos:
		i += 2
		open, close = '(', ')'
	case i < len(s) && (s[i] == '(' || s[i] == '['):
		open = s[i]
		close = ')'
		if open == '[' {
			close = ']'
		}
	case i < len(s) && s[i] == '/' && i > pos:
		open, close = '/', '/'
	default:
		return "", pos, false
	}
	j := strings.IndexByte(s[i+1:], close)
	if j <= 0 || j > 48 {
		return "", pos, false
	}
	inner := s[i+1 : i+1+j]
	if strings.ContainsAny(inner, "()[]\n") {
		return "", pos, false
	}
	agency = agencyName(inner)
	if agency == "" && open == '/' {
		agency = pressWireName(inner)
		if agency == "" {
			return "", pos, false
		}
	}
	return agency, i + 1 + j + 1, true
}

// pressWireName returns the name of a press-release wire given between
// slashes that agencyName does not know ("/EINPresswire/"), or "".
func pressWireName(s string) string {
	s = strings.TrimSpace(s)
	low := strings.ToLower(s)
	if len(strings.Fields(s)) > 3 || !(strings.Contains(low, "wire") || strings.Contains(low, "newswire")) {
		return ""
	}
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || r == '-' || r == '.') {
			return ""
		}
	}
	return s
}

// outletCredit reports whether a parenthesised credit that names no agency
// looks like an outlet's ("(CNN)", "(CNN Business)", "(WTOP)"): at most
// four words, each capitalised.
func outletCredit(credit string) bool {
	inner := strings.Trim(strings.TrimSpace(credit), "-()[] ")
	words := strings.Fields(inner)
	if len(words) == 0 || len(words) > 4 {
		return false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// datelineSeparator reads the separator that closes a dateline at pos:
// "--", "—", "–", " - ", " _ " or ":", and after a credit ".-" or ".". It
// returns the separator (0 if none; '-' for every dash) and its end.
func datelineSeparator(s string, pos int, afterCredit, glued bool) (rune, int) {
	i := skipBlanks(s, pos)
	spaced := i > pos
	rest := s[i:]
	switch {
	case strings.HasPrefix(rest, "--"):
		e := i + 2
		for e < len(s) && s[e] == '-' {
			e++
		}
		return '-', e
	case strings.HasPrefix(rest, "—"):
		return '-', i + len("—")
	case strings.HasPrefix(rest, "–"):
		return '-', i + len("–")
	case glued:
		return 0, pos
	case strings.HasPrefix(rest, "-") && (spaced || afterCredit) && spaceOrEnd(s, i+1):
		return '-', i + 1
	case strings.HasPrefix(rest, "_") && spaced && spaceOrEnd(s, i+1):
		return '-', i + 1
	case strings.HasPrefix(rest, ":") && !spaced && spaceOrEnd(s, i+1):
		return ':', i + 1
	case afterCredit && !spaced && strings.HasPrefix(rest, ".-"):
		return '-', i + 2 // "(EFE).-"
	case afterCredit && !spaced && strings.HasPrefix(rest, ".") && spaceOrEnd(s, i+1):
		return '.', i + 1 // "/TASS/."
	}
	return 0, pos
}

// spaceOrEnd reports whether s ends at i or has whitespace there.
func spaceOrEnd(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r)
}

// isDash reports whether sep is a dash separator.
func isDash(sep rune) bool { return sep == '-' }

// placeParticles are lower-case words allowed between the capitalised words
// of a place ("Rio de Janeiro", "Dar es Salaam", "Stratford upon Avon").
var placeParticles = map[string]bool{
	"de": true, "da": true, "do": true, "dos": true, "das": true, "del": true, "la": true, "le": true, "les": true,
	"el": true, "es": true, "al": true, "am": true, "an": true, "im": true, "upon": true, "on": true, "sur": true,
	"en": true, "of": true, "di": true, "du": true, "von": true, "van": true, "der": true, "y": true, "sul": true,
}

// placeStopWords are lower-case first words that show a text opens with a
// sentence, a label or a person, not a place.
var placeStopWords = setOf(`a an the this that these those it its he she they we you i my our his her their
however but and or so yet if when while after before as since during although though because
in on at for from to by with without about into over under of
update updated updates editor's editors editor note photo photos video videos watch read listen
breaking exclusive opinion analysis review reviews source sources credit credits image images caption
pros cons verdict dear faq summary highlights background context click subscribe share follow
correction clarification advertisement sponsored warning spoiler disclaimer transcript interview
editorial commentary obituary recipe question answer here there today yesterday tomorrow tonight now
meanwhile also plus what why how who where which whose
mr mrs ms miss mx dr sen rep gov gen lt col sgt capt cmdr adm prof rev sir dame
president minister prime chairman chairwoman chief judge justice officer pope
senator governor mayor secretary speaker rabbi coach detective sheriff police
officials authorities researchers scientists experts`)

// datelineLabels are whole lower-case "places" that are labels.
var datelineLabels = setOf(`editor's note|programming note|fact check|read more|also read|file photo|key points|
bottom line|tl;dr|what we know|breaking news|live updates|watch live|just in|developing story|news analysis|
new|live|top|first|next|last|more|related|file|story|letter|letters|q|a|key|sign up|see also|in brief|
first look|hands on|the big picture|why it matters|go deeper|zoom in|zoom out|driving the news`)

// weekdayNames are lower-case weekday names and abbreviations in the
// languages of monthNames.
var weekdayNames = setOf(`monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag
lundi mardi mercredi jeudi vendredi samedi dimanche
lunes martes miércoles miercoles jueves viernes sábado sabado domingo
lunedì martedì mercoledì giovedì venerdì sabato
segunda terça terca quarta quinta sexta
maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
poniedziałek wtorek środa czwartek piątek sobota niedziela
понедельник вторник среда четверг пятница суббота воскресенье
pazartesi salı sali çarşamba perşembe cuma cumartesi pazar
senin selasa rabu kamis jumat sabtu minggu
सोमवार मंगलवार बुधवार गुरुवार शुक्रवार शनिवार रविवार`)

// setOf builds a set from words separated by whitespace, or by '|' when
// the list holds one.
func setOf(list string) map[string]bool {
	var items []string
	if strings.Contains(list, "|") {
		items = strings.Split(list, "|")
	} else {
		items = strings.Fields(list)
	}
	m := make(map[string]bool, len(items))
	for _, it := range items {
		if it = strings.TrimSpace(it); it != "" {
			m[it] = true
		}
	}
	return m
}
