package extract

import (
	"net/url"
	"strings"
)

// urlResolver makes links absolute against the page URL or its <base href>.
type urlResolver struct {
	page *url.URL // may be nil for input without a URL
	base *url.URL
}

// newURLResolver returns a resolver for a page at pageURL (nil allowed).
func newURLResolver(pageURL *url.URL) *urlResolver {
	return &urlResolver{page: pageURL, base: pageURL}
}

// setBase applies a <base href>; only the first one counts, as in browsers.
func (r *urlResolver) setBase(href string) {
	if r.base != r.page {
		return
	}
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return
	}
	if r.page != nil {
		u = r.page.ResolveReference(u)
	}
	if u.IsAbs() && (u.Scheme == "http" || u.Scheme == "https") {
		r.base = u
	}
}

// resolve returns href as an absolute http(s) URL, or "" when it cannot be
// made one (javascript:, mailto:, data:, or relative with no base).
func (r *urlResolver) resolve(href string) string {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	if !u.IsAbs() {
		if r.base == nil {
			if strings.HasPrefix(href, "//") {
				u.Scheme = "https"
				return u.String()
			}
			return ""
		}
		u = r.base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	return u.String()
}

// sameDoc reports whether two absolute URLs name the same document,
// ignoring the fragment, a trailing slash and the scheme.
func sameDoc(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	return docKey(a) == docKey(b)
}

// samePath reports whether two URLs name the same document when their
// query strings are ignored.
func samePath(a, b string) bool {
	cut := func(s string) string {
		if i := strings.IndexAny(s, "?#"); i >= 0 {
			return s[:i]
		}
		return s
	}
	return sameDoc(cut(a), cut(b))
}

// docKey reduces a URL to what identifies its document.
func docKey(s string) string {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
	s = strings.TrimPrefix(s, "www.")
	return strings.ToLower(strings.TrimSuffix(s, "/"))
}

// pageString returns the page URL as a string, or "".
func (r *urlResolver) pageString() string {
	if r.page == nil {
		return ""
	}
	return r.page.String()
}
