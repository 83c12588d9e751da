package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxBylineInput is how many bytes of a credit line parseByline reads.
const maxBylineInput = 400

// Limits on one person name, and on the pieces of a credit segment read.
const (
	maxNameWords    = 6
	maxNameBytes    = 70
	maxCreditPieces = 24
)

// parseByline parses a credit line as a page shows it and returns the person
// names it credits and the wire agency it names (canonical short name), if any.
//
// The credit is cut into segments at "|" and bullets, and each segment into
// pieces at commas, semicolons, "&", "/", spaced dashes and the words "and",
// "und", "et", "y", "e", "en", "og", "och", "with" and "for". It drops
// leading credit words ("By", "Written by", "Von", "Por", "Par", "Di",
// "Door", "Text:", "Author:"), glued dates and times ("John SmithMarch 25,
// 2024", "Jane Doe, 2 hours ago", "5 min read"), roles ("Senior Political
// Correspondent", "Staff Writer"), outlets ("USA TODAY", "The Washington
// Post", "for The Guardian", "CNN"), desks and teams ("Web Desk", "Editorial
// Team"), institutions, e-mail addresses, URLs, @handles and social-network
// words, and credits for photos, video or editing ("Editing by ..."). An
// agency anywhere in the credit ("By IANS", "(Reuters)", "Jane Doe,
// Associated Press", "Jane Doe with Reuters") sets agency and credits no
// person; the first agency wins. Short ambiguous agency names ("PA", "CP")
// count only as the whole credit or in parentheses.
//
// A suffix piece ("Jr.", "Sr.", "III", "Ph.D.", "MD") stays attached to the
// name before it as ", Jr.". When the credit has a name of several words, a
// one-word piece after a comma, slash or dash is taken for a place or an
// outlet and dropped. Names in capitals ("JANE DOE", "Jean DUPONT") are put
// in Title case with "McDonald", "O'Neil", "van der Berg" and Roman numerals
// kept; other names keep their case. Names are deduplicated
// case-insensitively, keep their order, and never contain the word "by".
//
// authors is nil when the credit names no person. Only the first
// maxBylineInput bytes are read. parseByline is safe for concurrent use and
// never panics.
func parseByline(raw string) (authors []string, agency string) {
	raw = clipString(raw, maxBylineInput)
	if strings.Contains(raw, "${") || strings.Contains(raw, "{{") {
		return nil, "" // an unfilled template
	}
	s := foldSpaces(markGaps(raw))
	if s == "" {
		return nil, ""
	}
	lowerOnly := !hasUpperRune(s)
	var names []creditName
	firstSeg := true
	for _, seg := range splitCreditSegments(s) {
		segNames, ag := parseCreditSegment(seg, firstSeg, lowerOnly)
		if agency == "" {
			agency = ag
		}
		firstSeg = firstSeg && isBareCredit(seg) // "By" on a line of its own
		for j, n := range segNames {
			if j == 0 && len(names) > 0 {
				n.sep = sepSlash // a later segment counts as after a separator
			}
			names = append(names, n)
		}
	}
	// "Jane Doe, Washington", "Jane Doe | Worcester": a lone word after a
	// name of several words is a place or an outlet.
	multi := false
	for _, n := range names {
		multi = multi || strings.Contains(n.name, " ")
	}
	seen := make(map[string]bool)
	for i, n := range names {
		if multi && i > 0 && !strings.Contains(n.name, " ") && (n.sep == sepComma || n.sep == sepSlash || n.sep == sepDash) {
			continue
		}
		if k := strings.ToLower(n.name); !seen[k] {
			seen[k] = true
			authors = append(authors, n.name)
		}
	}
	return authors, agency
}

// isBareCredit reports whether a segment holds only credit words ("By",
// "Written by", "Von") or nothing.
func isBareCredit(seg string) bool {
	for _, w := range strings.Fields(seg) {
		if lw := foldWord(w); lw != "by" && !leadCreditWords[lw] && !writingWords[lw] && lw != "" {
			return false
		}
	}
	return true
}

// markGaps turns line breaks and wide gaps of white space ("Jane Doe
// \u00a0 USA TODAY") into "|", which splitCreditSegments cuts at. A single
// space or no-break space is no gap.
func markGaps(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		j, n, gap := i, 0, false
		for j < len(s) {
			r2, sz := utf8.DecodeRuneInString(s[j:])
			if !unicode.IsSpace(r2) {
				break
			}
			n++
			gap = gap || r2 == '\n' || r2 == '\r' || r2 == '\t' || r2 == '\u00a0'
			j += sz
		}
		if n >= 3 || (n >= 2 && gap) || strings.ContainsAny(s[i:j], "\n\r") {
			b.WriteString(" | ")
		} else {
			b.WriteByte(' ')
		}
		i = j
	}
	return b.String()
}

// hasUpperRune reports whether s has an upper-case letter.
func hasUpperRune(s string) bool {
	for _, r := range s {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// splitCreditSegments cuts a credit at "|", bullets and a spaced middle dot.
func splitCreditSegments(s string) []string {
	s = strings.ReplaceAll(s, " · ", "|")
	return strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case '|', '•', '●', '▪', '◆', '■', '‖', '¦':
			return true
		}
		return false
	})
}

// creditSep is what came before a piece of a credit.
type creditSep uint8

const (
	sepStart creditSep = iota // the piece opens the segment
	sepComma                  // ","
	sepAnd                    // "and", "&", "und", ...
	sepSlash                  // "/"
	sepDash                   // a spaced dash
	sepWith                   // "with"
	sepFor                    // "for": an outlet follows
	sepSemi                   // ";": a new clause
)

// creditPiece is one piece of a credit segment.
type creditPiece struct {
	text string
	sep  creditSep
}

// creditName is a name found in a segment and what came before it.
type creditName struct {
	name string
	sep  creditSep
}

// parseCreditSegment returns the names and the agency of one segment.
// firstSeg reports whether the segments before seg held only credit words.
func parseCreditSegment(seg string, firstSeg, lowerOnly bool) ([]creditName, string) {
	seg = dropContactWords(seg)
	seg = cutDateTail(seg)
	seg = strings.TrimFunc(seg, isCreditTrim)
	if seg == "" {
		return nil, ""
	}
	if ag, _ := lookupAgency(seg); ag != "" {
		return nil, ag // "By IANS", "The Associated Press", "PA"
	}
	seg, agency := extractParens(seg)

	var names []creditName
	drop, clauseStart, writing, afterBody := false, true, false, false
	pieces := splitCreditPieces(seg)
	for i, pc := range pieces[:min(len(pieces), maxCreditPieces)] {
		if pc.sep == sepSemi {
			drop, clauseStart, writing = false, true, false
		}
		if afterBody && pc.sep == sepAnd {
			continue // "National Institute of Allergy and Infectious Diseases"
		}
		afterBody = false
		words := strings.Fields(pc.text)
		if label, rest, ok := cutCreditLabel(words); ok {
			// "Story and photos by Jane Doe": the writing credit wins.
			drop = isNonWritingCredit(label) && !(writing && pc.sep == sepAnd)
			words = rest
		} else if clauseStart {
			words = stripLeadCredit(words)
		}
		clauseStart = false
		writing = len(words) > 0 && allWordsIn(words, writingWords)
		if drop || len(words) == 0 {
			continue
		}
		text := strings.Join(words, " ")
		if suffix, ok := nameSuffix(text); ok {
			if len(names) > 0 {
				last := &names[len(names)-1]
				if hasLowerRune(last.name) && !hasLowerRune(suffix) {
					suffix, _ = titleCaseWord(suffix, false, false) // "JANE DOE, JR."
				}
				last.name += ", " + suffix
			}
			continue
		}
		if isRoleOnly(words) {
			// "Jane Doe Data and Graphics Journalist"
			if pc.sep == sepAnd && len(names) > 0 {
				names[len(names)-1].name = trimRoleModifiers(names[len(names)-1].name)
			}
			continue
		}
		afterBody = hasWordIn(words, institutionWords)
		name, ag := classifyCreditPiece(words, pc.sep, firstSeg && i == 0, lowerOnly)
		if agency == "" {
			agency = ag
		}
		if name != "" {
			names = append(names, creditName{name: name, sep: pc.sep})
		}
	}

	return names, agency
}

// classifyCreditPiece returns the person name of one piece, or the agency
// it names. first reports whether the piece opens its segment.
func classifyCreditPiece(words []string, sep creditSep, first, lowerOnly bool) (name, agency string) {
	text := strings.TrimFunc(strings.Join(words, " "), isCreditTrim)
	if text == "" {
		return "", ""
	}
	if ag, amb := lookupAgency(text); ag != "" && !amb {
		return "", ag
	}
	if sep == sepFor {
		return "", "" // "for The Guardian"
	}
	words = trimSocialWords(strings.Fields(text))
	if n, ag := agencyTail(words); ag != "" {
		agency, words = ag, words[:n]
	}
	for i := 1; i < len(words); i++ {
		if outletAcronyms[strings.TrimFunc(words[i], isCreditTrim)] {
			words = words[:i] // "Jane Doe CNN Business"
			break
		}
	}
	if len(words) == 0 || nonNamePhrases[strings.ToLower(strings.Join(words, " "))] ||
		hasWordIn(words, institutionWords) || hasWordIn(words, pictureWords) {
		return "", agency // "University of Tokyo", "AP Photo"
	}
	before := len(words)
	// "Jane Doe, National Recruiting Analyst", "Jane Doe | National
	// Recruiting Analyst": after a comma or in a later segment, a piece
	// ending in a job title is the title of the name before it.
	titled := (sep == sepComma || sep == sepStart) && !first && isRoleHead(words[len(words)-1])
	words = stripRoleWords(words)
	if !lowerOnly && len(words) > 0 {
		if isLowerWord(words[0]) && !particlesBeforeCapital(words) {
			return "", agency // "who covers politics"
		}
		for i := 1; i < len(words); i++ {
			if isLowerWord(words[i]) && !isNameParticle(words[i]) {
				words = words[:i] // "Jane Doe is a reporter at ..."
				break
			}
		}
		words = stripRoleWords(words)
	}
	if len(words) == 0 || (len(words) == 1 && before > 1) {
		return "", agency // "Forbes Staff", "Newsletter writer", headlines
	}
	if hasWordIn(words, groupWords) {
		// "Reuters Staff", "Web Desk", "Editorial Team"
		var rest []string
		for _, w := range words {
			if !groupWords[foldWord(w)] {
				rest = append(rest, w)
			}
		}
		if ag, amb := lookupAgency(strings.Join(rest, " ")); ag != "" && !amb && agency == "" {
			agency = ag
		}
		return "", agency
	}
	if ag, amb := lookupAgency(strings.Join(words, " ")); ag != "" && !amb {
		return "", ag // "Associated Press Writer"
	}
	if titled || isOutlet(words, first) {
		return "", agency
	}
	name = cleanName(strings.Join(words, " "))
	if !plausibleName(name) {
		return "", agency
	}
	if name = titleCaseCaps(name); strings.Contains(name, "By ") {
		return "", agency // "AbBy Smith" is no name
	}
	return name, agency
}

// dropContactWords removes e-mail addresses, @handles, URLs and domain
// names from a credit.
func dropContactWords(s string) string {
	if !strings.ContainsAny(s, "@.:") {
		return s
	}
	words := strings.Fields(s)
	kept := words[:0]
	for _, w := range words {
		lw := strings.ToLower(w)
		if strings.Contains(w, "@") || strings.Contains(lw, "://") || strings.HasPrefix(lw, "www.") || isDomainLike(lw) {
			continue
		}
		kept = append(kept, w)
	}
	return strings.Join(kept, " ")
}

// isDomainLike reports whether w looks like "hollywood.com" or "x.co.uk".
func isDomainLike(w string) bool {
	w = strings.TrimRight(strings.ToLower(w), ".,;:)")
	i := strings.LastIndexByte(w, '.')
	if i < 2 || i == len(w)-1 {
		return false
	}
	return topLevelDomains[w[i+1:]]
}

// cutDateTail cuts a date, a time or a date label off a credit, with the
// month, weekday and joining words left before it ("Jane Doe on Mar. 25,
// 2024", "John SmithMarch 25, 2024", "Jane Doe Published 3 hours ago").
// A date before a "By" goes with everything before the "By".
func cutDateTail(s string) string {
	firstDigit := strings.IndexFunc(s, unicode.IsDigit)
	if firstDigit >= 0 {
		if k := lastByWord(s); k > firstDigit {
			s = s[k:] // "March 25, 2024 by Jane Doe"
			firstDigit = strings.IndexFunc(s, unicode.IsDigit)
		}
	}
	cut := len(s)
	if firstDigit >= 0 {
		cut = firstDigit
	}
	if k := firstDateLabel(s[:cut]); k > 0 {
		cut = k
	}
	if cut == len(s) {
		return s
	}
	out := s[:cut]
	for range 8 {
		out = strings.TrimRightFunc(out, isDateDebris)
		start := strings.LastIndexByte(out, ' ') + 1
		w := out[start:]
		lw := strings.ToLower(strings.TrimRight(w, "."))
		if _, ok := monthNames[lw]; ok || weekdayNames[lw] || dateLabelWords[lw] || dateJoinWords[lw] {
			out = out[:start]
			continue
		}
		if k := gluedDateWord(w); k > 0 {
			out = out[:start+k]
			continue
		}
		break
	}
	return out
}

// lastByWord returns the offset of the last word "by" in s, or -1.
func lastByWord(s string) int {
	last := -1
	for i := 0; i+2 <= len(s); i++ {
		if (s[i] == 'b' || s[i] == 'B') && (s[i+1] == 'y' || s[i+1] == 'Y') &&
			(i == 0 || s[i-1] == ' ') && (i+2 == len(s) || s[i+2] == ' ' || s[i+2] == ':') {
			last = i
		}
	}
	return last
}

// firstDateLabel returns the offset of the first date label ("Updated",
// "Published", "ago") after the first word of s, or -1.
func firstDateLabel(s string) int {
	pos := 0
	for i, w := range strings.Split(s, " ") {
		if i > 0 && dateLabelWords[foldWord(w)] && hasLowerRune(w) { // not "USA TODAY"
			return pos
		}
		pos += len(w) + 1
	}
	return -1
}

// isDateDebris reports whether r is left over around a cut date.
func isDateDebris(r rune) bool {
	return unicode.IsSpace(r) || (r != '.' && (unicode.IsPunct(r) || unicode.IsSymbol(r)))
}

// gluedDateWords are capitalised month names and date labels that pages
// glue to a name ("John SmithMarch", "Jane DoeUpdated").
var gluedDateWords = buildGluedDateWords()

// buildGluedDateWords builds gluedDateWords.
func buildGluedDateWords() []string {
	var out []string
	for name := range monthNames {
		if utf8.RuneCountInString(name) >= 3 {
			r, size := utf8.DecodeRuneInString(name)
			out = append(out, string(unicode.ToUpper(r))+name[size:])
		}
	}
	return append(out, "Updated", "Published", "Posted", "Last", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
}

// gluedDateWord returns where a month name or date label glued after a
// lower-case letter starts in w ("SmithMarch" -> 5), or 0.
func gluedDateWord(w string) int {
	best := 0
	for _, g := range gluedDateWords {
		if len(w) <= len(g) || !strings.HasSuffix(w, g) {
			continue
		}
		k := len(w) - len(g)
		r, _ := utf8.DecodeLastRuneInString(w[:k])
		if unicode.IsLower(r) && (best == 0 || k < best) {
			best = k
		}
	}
	return best
}

// extractParens removes parenthesised and bracketed parts of a credit and
// returns the first agency they name ("Jane Doe (Reuters)").
func extractParens(s string) (string, string) {
	agency := ""
	for range 8 {
		i := strings.IndexAny(s, "([")
		if i < 0 {
			break
		}
		close := ")"
		if s[i] == '[' {
			close = "]"
		}
		j := strings.Index(s[i+1:], close)
		if j < 0 {
			s = s[:i] + " " + s[i+1:] // unbalanced
			continue
		}
		if ag := agencyName(s[i+1 : i+1+j]); ag != "" && agency == "" {
			agency = ag
		}
		s = s[:i] + " , " + s[i+1+j+1:]
	}
	return s, agency
}

// splitCreditPieces cuts a credit segment into pieces at list separators.
func splitCreditPieces(s string) []creditPiece {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case ',', ';', '&', '/', '+', '，', '、', '；':
			b.WriteByte(' ')
			b.WriteRune(r)
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	var pieces []creditPiece
	var cur []string
	sep := sepStart
	flush := func(next creditSep) {
		if len(cur) > 0 {
			pieces = append(pieces, creditPiece{text: strings.Join(cur, " "), sep: sep})
			cur = cur[:0]
			sep = next
			return
		}
		if next == sepSemi || next > sep || sep == sepStart && len(pieces) > 0 {
			sep = next
		}
	}
	for _, w := range strings.Fields(b.String()) {
		if k, ok := pieceSeparator(w); ok {
			flush(k)
			continue
		}
		cur = append(cur, w)
	}
	flush(sepStart)
	return pieces
}

// pieceSeparator reports whether the token w separates pieces, and how.
func pieceSeparator(w string) (creditSep, bool) {
	switch w {
	case ",", "，", "、":
		return sepComma, true
	case ";", "；":
		return sepSemi, true
	case "&", "+", "und", "et", "y", "e", "en", "og", "och", "ve", "i", "és", "dan", "oraz", "и", "și":
		return sepAnd, true
	case "/":
		return sepSlash, true
	case "-", "–", "—", "--", "―":
		return sepDash, true
	case "mit", "avec", "con", "com":
		return sepWith, true
	case "für", "pour", "para", "per":
		return sepFor, true
	}
	switch strings.ToLower(w) {
	case "and":
		return sepAnd, true
	case "with":
		return sepWith, true
	case "for":
		return sepFor, true
	}
	return 0, false
}

// cutCreditLabel finds a credit label in a piece: everything up to the last
// word "by" ("Story by", "Reporting by", "Editing by") or up to a word
// ending in a colon ("Text:", "Fotos:"). It returns the label words, the
// words after it, and whether there was a label.
func cutCreditLabel(words []string) (label, rest []string, ok bool) {
	for k := len(words) - 1; k >= 0; k-- {
		lw := strings.ToLower(words[k])
		switch {
		case lw == "by" || lw == "by:":
			return words[:k], words[k+1:], true
		case strings.HasPrefix(lw, "by:") && k == 0:
			return nil, append([]string{words[k][3:]}, words[k+1:]...), true
		case lw == "from" && k > 0 && allWordsIn(words[:k], fromLabelWords):
			return words[:k], words[k+1:], true // "Contributions from", "More from"
		case strings.HasSuffix(lw, ":") && k < len(words)-1:
			label := append(append([]string(nil), words[:k]...), strings.TrimSuffix(words[k], ":"))
			return label, words[k+1:], true
		}
	}
	return nil, words, false
}

// allWordsIn reports whether every word of words, folded, is in set.
func allWordsIn(words []string, set map[string]bool) bool {
	for _, w := range words {
		if !set[foldWord(w)] {
			return false
		}
	}
	return true
}

// isNonWritingCredit reports whether a credit label credits photos, video,
// graphics, editing or review rather than writing.
func isNonWritingCredit(label []string) bool {
	for _, w := range label {
		if nonWritingWords[foldWord(w)] {
			return true
		}
	}
	return false
}

// stripLeadCredit drops a leading credit word without a colon ("From",
// "Von", "Por", "Par", "Di", "Door") when a name of two words or more
// follows it, and not before a particle ("Von der Leyen").
func stripLeadCredit(words []string) []string {
	if len(words) >= 3 && leadCreditWords[strings.ToLower(words[0])] && !isNameParticle(words[1]) {
		return words[1:]
	}
	return words
}

// nameSuffix reports whether a piece is a name suffix that belongs to the
// name before it ("Jr.", "III", "Ph.D."), and returns it trimmed.
func nameSuffix(text string) (string, bool) {
	t := strings.TrimFunc(text, func(r rune) bool { return r != '.' && isCreditTrim(r) })
	if len(t) > 8 {
		return "", false
	}
	k := strings.ToLower(strings.ReplaceAll(t, ".", ""))
	if nameSuffixes[k] {
		return t, true
	}
	return "", false
}

// trimSocialWords removes "Follow", "Twitter", "Email" and the like from
// both ends of a piece.
func trimSocialWords(words []string) []string {
	for len(words) > 0 && (socialWords[foldWord(words[0])] || uiWords[foldWord(words[0])]) {
		words = words[1:]
	}
	for len(words) > 0 && socialWords[foldWord(words[len(words)-1])] {
		words = words[:len(words)-1]
	}
	return words
}

// agencyTail finds an agency at the end of a piece ("Jane Doe Associated
// Press", "JANE DOE AP") and returns how many words precede it. A single
// word counts only in capitals for an agency written in capitals (AP, AFP,
// IANS) or as written for Reuters, Xinhua, Yonhap and dpa.
func agencyTail(words []string) (int, string) {
	for k := min(4, len(words)-1); k >= 1; k-- {
		tail := words[len(words)-k:]
		ag, amb := lookupAgency(strings.Join(tail, " "))
		if ag == "" || amb {
			continue
		}
		if k == 1 {
			w := strings.TrimFunc(tail[0], isCreditTrim)
			upper := w == strings.ToUpper(w) && ag == strings.ToUpper(ag) && len(w) >= 2
			if !(upper || (w == ag && tailAgencies[ag])) || len(words) < 3 {
				continue
			}
		}
		return len(words) - k, ag
	}
	return len(words), ""
}

// stripRoleWords removes a job title from the end ("Jane Doe Political
// Editor") or the start ("Senior Reporter Jane Doe") of a piece. A piece
// that is only a job title ("Staff Writer", "Health") gives nothing.
func stripRoleWords(words []string) []string {
	end := len(words)
	if end > 0 && isRoleHead(words[end-1]) {
		end--
		for end > 0 && isRoleWord(words[end-1]) {
			end--
		}
		if end >= 3 && isBrandWord(words[end-1]) {
			end-- // "Monica Torres HuffPost Writer"
		}
	}
	words = words[:end]
	k := 0
	for k < len(words) && isRoleWord(words[k]) {
		k++
	}
	if k == len(words) {
		return nil
	}
	if k > 0 && isRoleHead(words[k-1]) {
		words = words[k:]
	}
	return words
}

// isRoleOnly reports whether a piece is only a job title.
func isRoleOnly(words []string) bool {
	head := false
	for _, w := range words {
		if !isRoleWord(w) {
			return false
		}
		head = head || isRoleHead(w)
	}
	return head
}

// trimRoleModifiers drops job-title words from the end of a name when two
// words or more remain ("Jane Doe Data" -> "Jane Doe").
func trimRoleModifiers(name string) string {
	words := strings.Fields(name)
	for len(words) > 2 && isRoleWord(words[len(words)-1]) {
		words = words[:len(words)-1]
	}
	return strings.Join(words, " ")
}

// particlesBeforeCapital reports whether a piece opening in lower case
// holds only name particles before its first capitalised word ("van der
// Berg", "de la Cruz").
func particlesBeforeCapital(words []string) bool {
	for _, w := range words {
		if !isLowerWord(w) {
			return true
		}
		if !isNameParticle(w) {
			return false
		}
	}
	return false
}

// isBrandWord reports whether w has a capital after four letters or more
// ("HuffPost", "GamesRadar"), as brands have and names rarely do.
func isBrandWord(w string) bool {
	n := 0
	for _, r := range w {
		if n >= 4 && unicode.IsUpper(r) {
			return true
		}
		if !unicode.IsLetter(r) {
			return false
		}
		n++
	}
	return false
}

// isRoleHead reports whether w is a job title noun ("Reporter",
// "Editor-in-Chief", "Korrespondentin").
func isRoleHead(w string) bool {
	lw := foldWord(w)
	if roleHeads[lw] {
		return true
	}
	if strings.Contains(lw, "-") {
		for _, part := range strings.Split(lw, "-") {
			if roleHeads[part] {
				return true
			}
		}
	}
	return false
}

// isRoleWord reports whether w is part of a job title.
func isRoleWord(w string) bool {
	lw := foldWord(w)
	return isRoleHead(w) || roleModifiers[lw] || lw == "and" || lw == "&" || lw == "of" || lw == "the"
}

// isOutlet reports whether a piece names a publication or broadcaster
// rather than a person: "The ..." names, newspaper words ("Times",
// "Today"), acronyms ("CNN") and domain names. Words that are also
// surnames ("Post", "Star", "Sun") count only after the first piece.
func isOutlet(words []string, first bool) bool {
	if strings.EqualFold(words[0], "the") {
		return true
	}
	for _, w := range words {
		for _, lw := range strings.Split(foldWord(w), "-") {
			if strongOutletWords[lw] || (!first && weakOutletWords[lw]) {
				return true
			}
		}
		if isDomainLike(w) {
			return true
		}
	}
	if len(words) == 1 && isAcronym(words[0]) {
		return true
	}
	return !first && isAcronym(words[0]) && hasLowerRune(strings.Join(words, " "))
}

// isAcronym reports whether w is 2-5 capital letters ("CNN", "BBC").
func isAcronym(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.IsUpper(r) {
			return false
		}
		n++
	}
	return n >= 2 && n <= 5
}

// hasWordIn reports whether a word of words, folded, is in set.
func hasWordIn(words []string, set map[string]bool) bool {
	for _, w := range words {
		if set[foldWord(w)] {
			return true
		}
	}
	return false
}

// foldWord lowers w and trims punctuation around it.
func foldWord(w string) string {
	return strings.ToLower(strings.TrimFunc(w, func(r rune) bool { return unicode.IsPunct(r) && r != '-' || unicode.IsSymbol(r) }))
}

// isLowerWord reports whether w starts with a lower-case letter.
func isLowerWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsLower(r)
}

// isNameParticle reports whether a lower-case word may sit inside a name
// ("van", "de", "bin", "d'Estaing", "al-Assad").
func isNameParticle(w string) bool {
	lw := strings.ToLower(w)
	if nameParticles[lw] {
		return true
	}
	if strings.HasPrefix(lw, "al-") || strings.HasPrefix(lw, "el-") {
		return true
	}
	r, size := utf8.DecodeRuneInString(w)
	if unicode.IsLower(r) && size < len(w) {
		next, _ := utf8.DecodeRuneInString(w[size:])
		return next == '\'' || next == '’'
	}
	return false
}

// isCreditTrim reports whether r is trimmed from around a credit or name.
func isCreditTrim(r rune) bool {
	if unicode.IsSpace(r) {
		return true
	}
	switch r {
	case '\'', '’', '‘', '.':
		return false // "O'Neil", "Jr."; see cleanName
	}
	return unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// cleanName trims punctuation around a name and a full stop after its last
// word unless that word is an initial or an abbreviation ("C.J.", "Jr.").
func cleanName(name string) string {
	name = strings.TrimFunc(name, func(r rune) bool { return isCreditTrim(r) || r == '\'' || r == '’' || r == '‘' })
	name = strings.TrimLeft(name, ".")
	if strings.HasSuffix(name, ".") {
		last := name[strings.LastIndexByte(name, ' ')+1:]
		core := strings.TrimRight(last, ".")
		if !strings.Contains(core, ".") && utf8.RuneCountInString(core) > 2 && !nameSuffixes[strings.ToLower(core)] {
			name = strings.TrimRight(name, ".")
		}
	}
	name = strings.TrimSpace(name)
	// Degrees and licences after a name ("Lauren Manaker MS", "Jane Doe,
	// RD") are not part of it; Jr., Sr. and numerals are.
	for {
		words := strings.Fields(name)
		if len(words) < 3 {
			break
		}
		last := strings.ToLower(strings.Trim(words[len(words)-1], ".,"))
		if !credentials[strings.ReplaceAll(last, ".", "")] {
			break
		}
		name = strings.TrimRight(strings.Join(words[:len(words)-1], " "), " ,")
	}
	return name
}

// credentials are degree and licence abbreviations written after names,
// without dots.
var credentials = setOf(`ms msc ma mba md rd rdn ldn rn mph phd dds dmd dvm cfa cfp cpa jd lcsw lmft psyd edd np facs frcs
mfa bsn msn cscs cpt ibclc cde cdces`)

// calendarWords are month and weekday names, which a credit line's date
// debris can leave where a name should be.
var calendarWords = setOf(`january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday today yesterday`)

// plausibleName reports whether s can be a person's name: letters, no
// digits, no "by", at most maxNameWords words and maxNameBytes bytes.
func plausibleName(s string) bool {
	if s == "" || len(s) > maxNameBytes || strings.ContainsAny(s, "@<>{}[]()|=#") {
		return false
	}
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			return false
		case unicode.IsLetter(r):
			letters++
		}
	}
	words := strings.Fields(s)
	if letters < 2 || len(words) > maxNameWords {
		return false
	}
	if len(words) == 1 && calendarWords[strings.ToLower(strings.Trim(words[0], ".,"))] {
		return false
	}
	for _, w := range words {
		if strings.EqualFold(strings.Trim(w, ":.,"), "by") {
			return false
		}
	}
	return true
}

// titleCaseCaps puts the words of a name written in capitals into Title
// case: every word when the whole name is in capitals, else the words of
// three letters or more ("Jean DUPONT" -> "Jean Dupont").
func titleCaseCaps(name string) string {
	whole := !hasLowerRune(name)
	words := strings.Split(name, " ")
	changed := false
	prevParticle := false
	for i, w := range words {
		if hasLowerRune(w) || !hasLetter(w) {
			prevParticle = false
			continue
		}
		if !whole && letterCount(w) < 3 {
			continue
		}
		words[i], prevParticle = titleCaseWord(w, i == 0, prevParticle)
		changed = true
	}
	if !changed {
		return name
	}
	return strings.Join(words, " ")
}

// titleCaseWord puts one word in capitals into Title case. It returns the
// word and whether it is a lower-case particle.
func titleCaseWord(w string, first, afterParticle bool) (string, bool) {
	lw := strings.ToLower(w)
	core := strings.TrimRight(lw, ".,")
	switch {
	case !first && (lowerParticles[core] || afterParticle && (core == "de" || core == "la" || core == "le")):
		return lw, true
	case isRomanNumeral(w):
		return w, false
	case suffixTitles[strings.ReplaceAll(core, ".", "")] != "" && !first:
		return suffixTitles[strings.ReplaceAll(core, ".", "")] + w[len(strings.TrimRight(w, ".,")):], false
	case isInitials(w):
		return w, false
	}
	parts := strings.Split(w, "-")
	for i, p := range parts {
		parts[i] = titleCasePart(p)
	}
	return strings.Join(parts, "-"), false
}

// titleCasePart capitalises one hyphen-free part of a word in capitals:
// "MCDONALD" -> "McDonald", "O'NEIL" -> "O'Neil".
func titleCasePart(p string) string {
	rs := []rune(strings.ToLower(p))
	if len(rs) == 0 {
		return p
	}
	rs[0] = unicode.ToUpper(rs[0])
	if len(rs) > 3 && rs[0] == 'M' && rs[1] == 'c' {
		rs[2] = unicode.ToUpper(rs[2])
	}
	if len(rs) > 2 && (rs[1] == '\'' || rs[1] == '’') {
		rs[2] = unicode.ToUpper(rs[2])
	}
	return string(rs)
}

// isRomanNumeral reports whether w is a generational numeral (II, III, IV).
func isRomanNumeral(w string) bool {
	switch strings.TrimRight(w, ".,") {
	case "II", "III", "IV":
		return true
	}
	return false
}

// isInitials reports whether w is one letter or dotted initials ("J.",
// "C.J.").
func isInitials(w string) bool {
	if letterCount(w) == 1 {
		return true
	}
	for i, r := range w {
		if i%2 == 1 && r != '.' {
			return false
		}
	}
	return strings.Contains(w, ".")
}

// hasLetter reports whether s has a letter.
func hasLetter(s string) bool { return letterCount(s) > 0 }

// letterCount counts the letters of s.
func letterCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// Word lists of parseByline, lower case.
var (
	// topLevelDomains end the domain names dropped from credits.
	topLevelDomains = setOf(`com org net edu gov info biz io co uk de fr es it nl in au ca us news tv me ly ru jp kr cn`)

	// dateLabelWords end the name part of a credit.
	dateLabelWords = setOf(`updated published posted modified aktualisiert veröffentlicht publié publiée publicado publicada
actualizado actualizada atualizado atualizada pubblicato aggiornato gepubliceerd bijgewerkt opublikowano
yesterday today ago gestern heute ayer hoy ieri oggi ontem hoje`)

	// dateJoinWords are left before a cut date ("on", "at", "am", "le").
	dateJoinWords = setOf(`on at am um le el il em den the of de à and und with last first just now et y e`)

	// leadCreditWords open a credit without a colon.
	leadCreditWords = setOf(`from von por par di door av af`)

	// nonWritingWords mark credits for work other than writing.
	nonWritingWords = setOf(`photo photos photograph photographs photography photographed foto fotos fotografie fotografía fotografia
image images bild bilder illustration illustrations illustrated ilustración graphic graphics grafik grafiken video videos
edited editing editor editors edición redigiert lektorat produced production producer design designed
translated translation translator übersetzung traducción traduction animation map maps chart charts
reviewed fact-checked factchecked checked fact verified camera kamera cinematography audio montage schnitt
styled styling sponsored presented powered partnership`)

	// fromLabelWords may precede "from" in a credit label.
	fromLabelWords = setOf(`more stories articles posts latest contributions contribution additional reporting with input inputs ...`)

	// writingWords label a writing credit ("Story and photos by").
	writingWords = setOf(`story text texte texto testo tekst words reporting report article bericht written`)

	// nameSuffixes belong to the name before them, without dots.
	nameSuffixes = setOf(`jr sr ii iii iv phd md esq cpa rn dds dmd dvm mba mph obe mbe cbe kc qc jd edd psyd lcsw cfa cfp`)

	// suffixTitles give the Title-case form of suffixes.
	suffixTitles = map[string]string{"jr": "Jr", "sr": "Sr", "phd": "Ph.D", "esq": "Esq", "md": "MD", "mba": "MBA", "obe": "OBE", "mbe": "MBE", "cbe": "CBE", "kc": "KC", "qc": "QC", "cpa": "CPA", "rn": "RN"}

	// socialWords are links next to a name.
	socialWords = setOf(`follow twitter facebook instagram linkedin email e-mail bio rss profile tiktok youtube bluesky mastodon
website homepage comments comment print share whatsapp reddit pinterest telegram google+ x`)

	// uiWords are page controls that may open a credit ("Close", "See full
	// bio", "Name *").
	uiWords = setOf(`close see view show read more full about name contact menu open toggle expand`)

	// nonNamePhrases are whole pieces that name nobody: placeholders,
	// roles and desks, page controls printed beside a byline (a text-size
	// widget: "Text Size", "A A A") and a credit word alone ("By", "Von").
	nonNamePhrases = setOf(`staff|admin|administrator|guest|anonymous|unknown|n/a|na|none|null|undefined|nobody|user|author|authors|
editor|editors|contributor|contributors|sponsored|sponsored content|partner content|press release|advertorial|advertisement|
paid post|promoted|brand|brandvoice|tnn|ens|agencies|agency|wire|wires|wire services|news service|newsdesk|webdesk|team|
text|texte|texto|words|story|more|view|all|posts|articles|stories|inputs|with inputs|correspondent|our correspondent|special correspondent|
home|reviews|in partnership|partnership|this author|the author|
text size|font size|size|zoom|a a|a a a|aa aa|by|von|par|por|door|av|af|di|de|da|written by|posted by`)

	// institutionWords mark universities, companies and other bodies.
	institutionWords = setOf(`university universität université universidad universidade università institute institut instituto istituto
school college hospital clinic foundation stiftung fundación association society council laboratory laboratories
ministry department company corporation corp inc ltd llc gmbh plc organization organisation commission committee
authority museum academy centre government technologies solutions systems partners capital ventures consulting`)

	// pictureWords mark picture credits ("AP Photo", "Getty Images").
	pictureWords = setOf(`photo photos image images illustration illustrations foto fotos bild`)

	// groupWords mark desks, teams and boards rather than persons.
	groupWords = setOf(`staff desk team bureau newsroom board redaktion rédaction redaccion redacción redazione redactie redakcja
agencies wires services admin administrator webmaster correspondents reporters editors writers contributors editorial
insiders experts analysts staffers kitchen`)

	// roleHeads are job title nouns.
	roleHeads = setOf(`reporter reporters correspondent correspondents editor editors writer writers columnist columnists
contributor contributors journalist journalists producer producers critic critics analyst analysts photographer
photojournalist anchor host blogger intern fellow researcher strategist economist commentator presenter freelancer
stringer staffer author chief director manager publisher associate assistant officer secretary spokesperson
spokesman spokeswoman minister chairperson coordinator specialist consultant scientist engineer developer
designer advisor adviser counsel attorney physician dietitian nutritionist therapist trainer ambassador
governor senator commissioner strategist officers scholar
ceo cto cfo coo cio cmo founder co-founder cofounder president vp professor lecturer chairman chairwoman
redakteur redakteurin korrespondent korrespondentin reporterin autorin journalistin rédacteur rédactrice journaliste
correspondant correspondante envoyé envoyée periodista redactor redactora corresponsal giornalista inviato inviata
corrispondente redattore redattrice verslaggever redacteur correspondente jornalista repórter dziennikarz dziennikarka
корреспондент журналист`)

	// roleModifiers may precede a job title noun.
	roleModifiers = setOf(`senior junior chief deputy associate assistant staff contributing special managing executive digital
foreign political politics business money sports sport health science tech technology economics economy environment
environmental climate education entertainment culture arts art food travel data investigative national international
world local metro city news features feature opinion legal courts justice defense defence security diplomatic markets
finance financial energy medical music film tv television lifestyle fashion royal crime breaking night weekend global
regional state social media audience visual video photo graphics copy web online freelance guest editorial
investigations general consumer personal transport transportation property motoring wine games gaming books
white house content community engagement standards desk bureau principal lead co e-commerce ecommerce commerce
shopping deals review reviews product products guides`)

	// strongOutletWords name publications.
	strongOutletWords = setOf(`times tribune journal gazette chronicle telegraph herald inquirer magazine newspaper newspapers network
media radio tv television news today daily zeitung insider broadcasting bulletin examiner ledger weekly presse nachrichten
rundschau tagblatt kurier anzeiger allgemeine newsweek politico axios`)

	// weakOutletWords name publications after a name, but are also surnames.
	weakOutletWords = setOf(`post star sun mail press review record standard monitor express mirror observer guardian independent
register sentinel enquirer leader citizen globe courier dispatch report reports week world voice nation republic
statesman hindu online digital telegram`)

	// nameParticles are lower-case words allowed inside a name.
	nameParticles = setOf(`van von der den de del della delle di da das do dos du la le les ten ter bin binti bint ibn al el zu af av ap`)

	// lowerParticles are the particles titleCaseCaps writes in lower case.
	lowerParticles = setOf(`van von der den ten ter zu da das dos do bin binti bint ibn af av`)

	// outletAcronyms are broadcasters and papers known by their initials,
	// as written.
	outletAcronyms = setOf(`CNN CNBC MSNBC BBC NPR PBS CBS NBC ABC ESPN WSJ NYT FT HT TOI NDTV RTE CBC SBS ZDF ARD ORF SRF RTL DW NHK KBS MBC SBS`)

	// tailAgencies may end a piece as written ("Jane Doe Reuters").
	tailAgencies = map[string]bool{"Reuters": true, "Xinhua": true, "Yonhap": true, "dpa": true}
)
