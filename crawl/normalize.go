package crawl

import (
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// trackingParams are query parameters that never change what a page shows:
// campaign tags, click IDs, referral markers and session IDs. Normalize
// drops them, so the same page reached through a newsletter, a social post
// or a fresh session is fetched once.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "twclid": true, "igshid": true, "_ga": true,
	"_gl": true, "mc_cid": true, "mc_eid": true, "mkt_tok": true,
	"ref": true, "ref_src": true, "ref_url": true, "referrer": true,
	"cmpid": true, "ncid": true, "ocid": true, "smid": true, "sr_share": true,
	"share": true, "via": true, "amp_js_v": true,
	// session IDs
	"sid": true, "sessionid": true, "session_id": true, "phpsessid": true,
	"jsessionid": true, "aspsessionid": true, "cfid": true, "cftoken": true,
}

// isTrackingParam reports whether the query parameter name k should be
// dropped (compared case-insensitively; any utm_* parameter is tracking).
func isTrackingParam(k string) bool {
	k = strings.ToLower(k)
	return strings.HasPrefix(k, "utm_") || trackingParams[k]
}

// cleanURL resolves raw against base (nil for an absolute raw) and returns
// the URL newsx fetches: http or https only, scheme and host lower-cased,
// default port, fragment, ";jsessionid=" path parameters and tracking or
// session query parameters removed, the remaining parameters sorted. It
// returns nil for URLs newsx never fetches (mailto:, javascript:, no host).
func cleanURL(base *url.URL, raw string) *url.URL {
	raw = strings.TrimSpace(raw)
	if raw == "" || strings.HasPrefix(raw, "#") {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.User != nil || u.Opaque != "" {
		return nil
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	// An empty label ("a..b", ".a", "a..") names no host.
	if host == "" || strings.Contains(host, "..") || strings.HasPrefix(host, ".") || strings.HasSuffix(host, ".") {
		return nil
	}
	port := u.Port()
	if port == "" || u.Scheme == "http" && port == "80" || u.Scheme == "https" && port == "443" {
		u.Host = hostPort(host, "")
	} else {
		u.Host = hostPort(host, port)
	}
	u.Fragment, u.RawFragment = "", ""
	if i := indexFoldASCII(u.Path, ";jsessionid="); i >= 0 {
		u.Path, u.RawPath = u.Path[:i], ""
	}
	if u.Path == "" {
		u.Path = "/"
	}
	// "%2E" is an escaped "." (unreserved): unescape it first, so that
	// "/.%2E" is the dot segment it means.
	if strings.Contains(u.RawPath, "%2E") || strings.Contains(u.RawPath, "%2e") {
		u.RawPath = strings.NewReplacer("%2E", ".", "%2e", ".").Replace(u.RawPath)
	}
	if strings.Contains(u.Path, "/.") {
		// Resolve dot segments, which ResolveReference does for a path.
		u = u.ResolveReference(&url.URL{Path: u.Path, RawPath: u.RawPath, RawQuery: u.RawQuery})
	}
	if u.RawQuery != "" || u.ForceQuery {
		q := u.Query()
		for k := range q {
			if isTrackingParam(k) {
				delete(q, k)
			}
		}
		u.RawQuery = q.Encode() // sorted by key
		u.ForceQuery = false
	}
	return u
}

// indexFoldASCII returns the index of sub (lower-case ASCII) in s, ignoring
// ASCII case, or -1. Unlike strings.Index on strings.ToLower(s), its index
// is into s itself: ToLower changes the length of invalid UTF-8.
func indexFoldASCII(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for j < len(sub) {
			c := s[i+j]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
			j++
		}
		if j == len(sub) {
			return i
		}
	}
	return -1
}

func hostPort(host, port string) string {
	if strings.Contains(host, ":") { // IPv6
		host = "[" + host + "]"
	}
	if port == "" {
		return host
	}
	return host + ":" + port
}

// Normalize returns the key newsx uses to decide whether two URLs name the
// same page: the cleaned URL (see the package documentation) with empty
// path segments collapsed ("//a//b" is "/a/b") and any trailing slash
// dropped from a path other than "/". It returns "" for a URL that is not
// an absolute http or https URL.
func Normalize(raw string) string {
	u := cleanURL(nil, raw)
	if u == nil {
		return ""
	}
	return key(u)
}

// key is Normalize for a cleaned URL. Keys are kept in crawl state: a
// change here makes a resumed crawl see some pages as new.
func key(u *url.URL) string {
	k := *u
	if len(k.Path) > 1 {
		p := k.Path
		for strings.Contains(p, "//") {
			p = strings.ReplaceAll(p, "//", "/")
		}
		k.Path = strings.TrimRight(p, "/")
		k.RawPath = ""
		if k.Path == "" {
			k.Path = "/"
		}
	}
	return k.String()
}

// registrable returns the registrable domain of host (example.co.uk for
// www.news.example.co.uk), or host itself for IP addresses, single labels
// such as localhost, and public suffixes.
func registrable(host string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if net.ParseIP(host) != nil {
		return host
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host
	}
	return d
}

// scope is the set of domains a crawl follows links into.
type scope map[string]bool

// add puts a domain (or a URL's registrable domain) into the scope.
func (s scope) add(domain string) {
	domain = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(domain)), ".")
	if domain != "" {
		s[domain] = true
	}
}

// contains reports whether host is one of the scope's domains or a
// subdomain of one.
func (s scope) contains(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	for {
		if s[host] {
			return true
		}
		i := strings.IndexByte(host, '.')
		if i < 0 || net.ParseIP(host) != nil {
			return false
		}
		host = host[i+1:]
	}
}

// Trap bounds: URLs past these are skipped as probable crawler traps.
const (
	// maxURLLength is the longest URL newsx fetches, in bytes.
	maxURLLength = 1024
	// maxPathSegments is the most path segments newsx follows.
	maxPathSegments = 12
	// maxSegmentRepeats is how often one path segment may occur in a path
	// (/a/b/a/b/a/b... is a relative-link loop).
	maxSegmentRepeats = 2
	// maxPageNumber is the deepest pagination followed (?page=N, /page/N).
	maxPageNumber = 30
	// maxCalendarPages is how many calendar-like pages (a path ending in
	// date segments, or a date query) are followed per host in one run.
	maxCalendarPages = 24
)

// pageParams are query parameters that usually number a listing page, with
// the largest value followed: a page number, or an item offset.
var pageParams = map[string]int{
	"page": maxPageNumber, "p": maxPageNumber, "pg": maxPageNumber, "paged": maxPageNumber,
	"pagenum": maxPageNumber, "start": maxPageNumber * 100, "offset": maxPageNumber * 100,
}

// dateParams are query parameters that usually select a calendar date.
var dateParams = map[string]bool{"date": true, "day": true, "month": true, "year": true, "d": true, "m": true, "y": true, "ym": true}

// trapReason returns why a cleaned URL looks like a crawler trap, or "" for
// a URL worth following. calendar is true for calendar-like URLs, which
// are followed only up to maxCalendarPages per host.
func trapReason(u *url.URL) (reason string, calendar bool) {
	if len(u.String()) > maxURLLength {
		return "long URL", false
	}
	segs := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
	if len(segs) > maxPathSegments {
		return "deep path", false
	}
	count := map[string]int{}
	for _, s := range segs {
		count[s]++
		if count[s] > maxSegmentRepeats {
			return "repeated path segment", false
		}
	}
	q := u.Query()
	for k, vs := range q {
		k = strings.ToLower(k)
		if limit, ok := pageParams[k]; ok {
			for _, v := range vs {
				if n, err := strconv.Atoi(v); err == nil && n > limit {
					return "deep pagination", false
				}
			}
		}
		if dateParams[k] {
			calendar = true
		}
	}
	for i, s := range segs {
		if strings.EqualFold(s, "page") && i+1 < len(segs) {
			if n, err := strconv.Atoi(segs[i+1]); err == nil && n > maxPageNumber {
				return "deep pagination", false
			}
		}
	}
	// A path that ends in date segments (/2024/03, /events/2024/03/25,
	// /calendar/2024) is a calendar or archive listing; an article has a
	// slug after its date.
	trailing := 0
	for i := len(segs) - 1; i >= 0 && isDateSegment(segs[i]); i-- {
		trailing++
	}
	dates := segs[len(segs)-trailing:]
	if slices.ContainsFunc(dates, isYear) &&
		(trailing >= 2 || trailing < len(segs) && calendarWords[strings.ToLower(segs[len(segs)-trailing-1])]) {
		calendar = true
		for _, s := range dates {
			if isYear(s) {
				if y, _ := strconv.Atoi(s); y < 1990 || y > 2100 {
					return "calendar year out of range", true
				}
			}
		}
	}
	return "", calendar
}

// calendarWords are path segments that introduce a date listing.
var calendarWords = map[string]bool{"calendar": true, "archive": true, "archives": true, "events": true, "day": true, "date": true}

// isYear reports whether s is a four-digit number that could be a year.
func isYear(s string) bool {
	if len(s) != 4 {
		return false
	}
	n, err := strconv.Atoi(s)
	return err == nil && n >= 1000
}

// isDateSegment reports whether s is a year, month or day number, or an
// ISO date such as 2024-03-25.
func isDateSegment(s string) bool {
	if isYear(s) {
		return true
	}
	if n, err := strconv.Atoi(s); err == nil && len(s) <= 2 && n >= 0 && n <= 31 {
		return true
	}
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		return isYear(s[:4])
	}
	if len(s) == 7 && s[4] == '-' {
		return isYear(s[:4])
	}
	return false
}

// indexShaped reports whether a URL's shape says it is a listing page even
// when the extractor found article-like text on it: the home page, tag,
// category, author, search and pagination pages.
func indexShaped(u *url.URL) bool {
	segs := strings.FieldsFunc(strings.ToLower(u.Path), func(r rune) bool { return r == '/' })
	if len(segs) == 0 {
		return true
	}
	if _, calendar := trapReason(u); calendar {
		return true
	}
	for i, s := range segs {
		switch s {
		case "tag", "tags", "topic", "topics", "category", "categories", "author", "authors", "search":
			return i >= len(segs)-2
		case "page":
			if i == len(segs)-2 {
				if _, err := strconv.Atoi(segs[i+1]); err == nil {
					return true
				}
			}
		}
	}
	return false
}
