// Package extract turns one news page into a structured record: bytes of
// HTML and the page's URL in, an Article out (FromBytes, FromReader).
//
// It finds the headline, byline and authors, wire agency, dateline,
// publication and update times, body text without boilerplate, tags,
// section, related links, lead image, description, language, site name
// and canonical URL, and tells an article from a listing, a search or an
// error page (Article.IsArticle, ErrNoArticle). It decodes the page's
// charset itself.
//
// It never does I/O: no network, no files, no logging, no global state
// that a call changes. Callers cap the input's size; every function is
// safe for concurrent use.
package extract
