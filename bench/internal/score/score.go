// Package score is a Go port of ../shared/tools/score.py's score(): the
// article-extraction-benchmark body metrics and the per-field rules, with
// the same pages counted. Its figures for the same predictions equal
// score.py's; cmd/accuracy checks newsx against it.
package score

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Truth is one line of a dataset's truth.jsonl. Pointer fields tell an
// absent or null value from an empty one, as score.py does.
type Truth struct {
	ID               string          `json:"id"`
	URL              *string         `json:"url"`
	Text             string          `json:"text"`
	Title            string          `json:"title"`
	Authors          *[]string       `json:"authors"`
	Published        string          `json:"published"`
	PublishedSuspect bool            `json:"published_suspect"`
	Tags             []string        `json:"tags"`
	Image            string          `json:"image"`
	ImageAlts        json.RawMessage `json:"image_alts"`
	Description      string          `json:"description"`
	SiteName         string          `json:"site_name"`
	Lang             string          `json:"lang"`
	With             []string        `json:"with"`
	Without          []string        `json:"without"`
}

// Pred is one system's record for a page, in newsx's field names.
type Pred struct {
	ID          string   `json:"id"`
	Headline    string   `json:"headline"`
	Authors     []string `json:"authors"`
	Agency      string   `json:"agency"`
	Published   string   `json:"published"`
	Body        string   `json:"body"`
	Tags        []string `json:"tags"`
	Image       string   `json:"image"`
	Description string   `json:"description"`
	SiteName    string   `json:"site_name"`
	Language    string   `json:"language"`
	// IsArticle is the record's is_article; nil for systems that do not
	// say (the peers), whose pages are then not counted for "article".
	IsArticle *bool  `json:"is_article,omitempty"`
	Error     string `json:"error,omitempty"`
}

// Miss is a field that missed on a page: id, metric, truth, prediction.
type Miss [4]string

// Result maps score.py's metric names (body_f1, title, authors, date,
// ...) to values, and each name with "_n" appended to its page count.
type Result map[string]float64

// Has reports whether the metric was measured on at least one page.
func (r Result) Has(k string) bool { _, ok := r[k]; return ok }

// shingles counts the 4-token shingles of text, keyed by the tokens
// joined with NUL; fewer than four tokens make one shingle.
func shingles(toks []string) map[string]int {
	const n = 4
	out := map[string]int{}
	last := max(1, len(toks)-n+1)
	for i := 0; i < last; i++ {
		end := min(i+n, len(toks))
		if i >= end {
			continue
		}
		out[strings.Join(toks[i:end], "\x00")]++
	}
	return out
}

// TPFPFN is score.py's tp_fp_fn(): shingle counts normalised to sum 1.
func TPFPFN(truth, pred string) (tp, fp, fn float64) {
	a, b := shingles(Tokens(truth)), shingles(Tokens(pred))
	var t, f, n int
	for k, x := range a {
		y := b[k]
		t += min(x, y)
		f += max(0, y-x)
		n += max(0, x-y)
	}
	for k, y := range b {
		if _, ok := a[k]; !ok {
			f += y
		}
	}
	s := float64(t + f + n)
	if s == 0 {
		return 0, 0, 0
	}
	return float64(t) / s, float64(f) / s, float64(n) / s
}

func prec(tp, fp, fn float64) float64 {
	if fp == 0 && fn == 0 {
		return 1
	}
	if tp == 0 && fp == 0 {
		return 0
	}
	return tp / (tp + fp)
}

func rec(tp, fp, fn float64) float64 {
	if fp == 0 && fn == 0 {
		return 1
	}
	if tp == 0 && fn == 0 {
		return 0
	}
	return tp / (tp + fn)
}

// day is score.py's day(): the leading YYYY-MM-DD, after optional
// whitespace (Python's \d matches any decimal digit).
func day(s string) (y, m, d int, ok bool) {
	s = strings.TrimLeftFunc(s, isSpace)
	var nums [3]int
	for i, width := range []int{4, 2, 2} {
		if i > 0 {
			if !strings.HasPrefix(s, "-") {
				return 0, 0, 0, false
			}
			s = s[1:]
		}
		v := 0
		for range width {
			r, n := utf8.DecodeRuneInString(s)
			if !unicode.IsDigit(r) {
				return 0, 0, 0, false
			}
			v = v*10 + digitValue(r)
			s = s[n:]
		}
		nums[i] = v
	}
	return nums[0], nums[1], nums[2], true
}

// digitValue is the value of a Unicode decimal digit (category Nd, whose
// digits come in runs of ten starting at 0).
func digitValue(r rune) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	z := r
	for unicode.IsDigit(z - 1) {
		z--
	}
	return int(r-z) % 10
}

// validDate is whether datetime.date(y, m, d) accepts the day.
func validDate(y, m, d int) bool {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// daysApart is score.py's days_apart(): 99 when either day is invalid.
func daysApart(y1, m1, d1, y2, m2, d2 int) int {
	if !validDate(y1, m1, d1) || !validDate(y2, m2, d2) {
		return 99
	}
	a := time.Date(y1, time.Month(m1), d1, 0, 0, 0, 0, time.UTC)
	b := time.Date(y2, time.Month(m2), d2, 0, 0, 0, 0, time.UTC)
	h := a.Sub(b).Hours() / 24
	if h < 0 {
		h = -h
	}
	return int(h + 0.5)
}

// unquote is urllib.parse.unquote: %XX escapes decoded as UTF-8 (bad
// sequences become U+FFFD), malformed escapes kept as they are.
func unquote(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b = append(b, byte(v))
				i += 2
				continue
			}
		}
		b = append(b, s[i])
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// basename is score.py's basename(): the last segment of the URL's path
// (as urllib.parse.urlsplit finds it), unquoted and lower-cased.
func basename(u string) string {
	p := u
	if i := strings.IndexByte(p, ':'); i > 0 && isASCIILetter(p[0]) {
		scheme := true
		for j := 0; j < i; j++ {
			c := p[j]
			if !isASCIILetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.' {
				scheme = false
				break
			}
		}
		if scheme {
			p = p[i+1:]
		}
	}
	if strings.HasPrefix(p, "//") {
		if i := strings.IndexAny(p[2:], "/?#"); i >= 0 {
			p = p[2+i:]
		} else {
			p = ""
		}
	}
	if i := strings.IndexByte(p, '#'); i >= 0 {
		p = p[:i]
	}
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	p = strings.TrimRight(unquote(p), "/")
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		p = p[i+1:]
	}
	return pyLower(p)
}

func isASCIILetter(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

// asList is score.py's as_list() for a JSON value.
func asList(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	var xs []any
	if json.Unmarshal(raw, &xs) != nil {
		return nil
	}
	var out []string
	for _, x := range xs {
		if v, ok := x.(string); ok {
			out = append(out, v)
		}
	}
	return out
}

func normSet(xs []string) map[string]bool {
	out := map[string]bool{}
	for _, x := range xs {
		if n := Norm(x); n != "" {
			out[n] = true
		}
	}
	return out
}

func equalSets(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func equalTokens(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func primary(s string) string { p, _, _ := strings.Cut(Norm(s), "-"); return p }

// Score is score.py's score(): preds maps page id to record (a missing
// page scores as an empty record).
func Score(truths []Truth, preds map[string]*Pred) (Result, []Miss) {
	metrics := map[string][]float64{}
	var order []string
	add := func(k string, v float64) {
		if _, ok := metrics[k]; !ok {
			order = append(order, k)
		}
		metrics[k] = append(metrics[k], v)
	}
	b2f := func(b bool) float64 {
		if b {
			return 1
		}
		return 0
	}
	var misses []Miss
	type bodyRow struct {
		id         string
		tp, fp, fn float64
		exact      bool
	}
	var body []bodyRow
	var snip [5]int
	for _, t := range truths {
		p := preds[t.ID]
		if p == nil {
			p = &Pred{}
		}
		id := t.ID
		if len(t.With) > 0 || len(t.Without) > 0 {
			got := strings.Join(pyFields(p.Body), " ")
			snip[4]++
			for _, x := range t.With {
				if strings.Contains(got, strings.Join(pyFields(x), " ")) {
					snip[0]++
				} else {
					snip[1]++
					misses = append(misses, Miss{id, "snippet_missing", x, ""})
				}
			}
			for _, x := range t.Without {
				if strings.Contains(got, strings.Join(pyFields(x), " ")) {
					snip[2]++
					misses = append(misses, Miss{id, "snippet_unwanted", x, ""})
				} else {
					snip[3]++
				}
			}
		}
		if p.IsArticle != nil && p.Error == "" {
			// every page of the sets is an article: a record that
			// says otherwise is a miss
			add("article", b2f(*p.IsArticle))
			if !*p.IsArticle {
				misses = append(misses, Miss{id, "article", "true", "false"})
			}
		}
		if t.Text != "" {
			tp, fp, fn := TPFPFN(t.Text, p.Body)
			body = append(body, bodyRow{id, tp, fp, fn, equalTokens(Tokens(t.Text), Tokens(p.Body))})
		}
		if t.Title != "" {
			nt, np := Norm(t.Title), Norm(p.Headline)
			add("title", b2f(nt == np))
			add("title_contains", b2f(strings.Contains(np, nt)))
			if nt != np {
				misses = append(misses, Miss{id, "title", t.Title, p.Headline})
			}
		}
		if t.Authors != nil {
			pa := p.Authors
			if len(pa) == 0 && p.Agency != "" {
				pa = []string{p.Agency}
			}
			if len(*t.Authors) > 0 {
				ok := equalSets(NameSet(*t.Authors), NameSet(pa))
				add("authors", b2f(ok))
				if !ok {
					misses = append(misses, Miss{id, "authors", strings.Join(*t.Authors, "; "), strings.Join(pa, "; ")})
				}
			} else {
				add("authors_empty_ok", b2f(len(NameSet(pa)) == 0))
			}
		}
		if t.Published != "" && !t.PublishedSuspect {
			y1, m1, d1, ok1 := day(t.Published)
			y2, m2, d2, ok2 := day(p.Published)
			same := ok1 == ok2 && (!ok1 || (y1 == y2 && m1 == m2 && d1 == d2))
			add("date", b2f(ok1 && same))
			add("date_1day", b2f(ok1 && ok2 && daysApart(y1, m1, d1, y2, m2, d2) <= 1))
			if !same {
				misses = append(misses, Miss{id, "date", t.Published, p.Published})
			}
		}
		if len(t.Tags) > 0 {
			a, b := normSet(t.Tags), normSet(p.Tags)
			inter := 0
			for k := range a {
				if b[k] {
					inter++
				}
			}
			f := 0.0
			if inter > 0 {
				f = 2 * float64(inter) / float64(len(a)+len(b))
			}
			add("tags_f1", f)
		}
		if t.Image != "" {
			add("image", b2f(p.Image == t.Image))
			ok := false
			if p.Image != "" {
				bn := basename(p.Image)
				for _, x := range append([]string{t.Image}, asList(t.ImageAlts)...) {
					if basename(x) == bn {
						ok = true
					}
				}
			}
			add("image_file", b2f(ok))
		}
		if t.Description != "" {
			add("description", b2f(Norm(t.Description) == Norm(p.Description)))
		}
		if t.SiteName != "" {
			add("site_name", b2f(Norm(t.SiteName) == Norm(p.SiteName)))
		}
		if t.Lang != "" {
			add("lang", b2f(primary(t.Lang) == primary(p.Language)))
		}
	}
	res := Result{}
	if snip[0]+snip[1]+snip[2]+snip[3] > 0 {
		tp, fn, fp, tn := float64(snip[0]), float64(snip[1]), float64(snip[2]), float64(snip[3])
		res["snippet_precision"], res["snippet_recall"], res["snippet_f1"] = 0, 0, 0
		if tp+fp > 0 {
			res["snippet_precision"] = tp / (tp + fp)
		}
		if tp+fn > 0 {
			res["snippet_recall"] = tp / (tp + fn)
		}
		if tp > 0 {
			res["snippet_f1"] = 2 * tp / (2*tp + fp + fn)
		}
		res["snippet_accuracy"] = (tp + tn) / (tp + fn + fp + tn)
		res["snippet_n"] = float64(snip[4])
	}
	if len(body) > 0 {
		var sp, sr float64
		var np, nr, exact int
		for _, x := range body {
			if x.tp+x.fp > 0 {
				sp += prec(x.tp, x.fp, x.fn)
				np++
			}
			if x.tp+x.fn > 0 {
				sr += rec(x.tp, x.fp, x.fn)
				nr++
			}
			if x.exact {
				exact++
			}
		}
		P := sp / float64(max(1, np))
		R := sr / float64(max(1, nr))
		res["body_f1"] = 0
		if P+R > 0 {
			res["body_f1"] = 2 * P * R / (P + R)
		}
		res["body_precision"] = P
		res["body_recall"] = R
		res["body_accuracy"] = float64(exact) / float64(len(body))
		res["body_n"] = float64(len(body))
		for _, x := range body {
			pr, rc := prec(x.tp, x.fp, x.fn), rec(x.tp, x.fp, x.fn)
			f := 2 * pr * rc / max(1e-9, pr+rc)
			if f < 0.9 {
				misses = append(misses, Miss{x.id, "body_f1", strconv.FormatFloat(f, 'f', 3, 64),
					"precision " + strconv.FormatFloat(pr, 'f', 3, 64) + " recall " + strconv.FormatFloat(rc, 'f', 3, 64)})
			}
		}
	}
	for _, k := range order {
		v := metrics[k]
		s := 0.0
		for _, x := range v {
			s += x
		}
		res[k] = s / float64(len(v))
		res[k+"_n"] = float64(len(v))
	}
	return res, misses
}
