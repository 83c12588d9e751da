// Package systems wraps newsx and the peer extractors behind one
// signature, and maps each one's output to newsx's record fields.
package systems

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	readeck "codeberg.org/readeck/go-readability/v2"
	shiori "github.com/go-shiori/go-readability"
	distiller "github.com/markusmobius/go-domdistiller"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"github.com/newsx/newsx/bench/internal/score"
	"github.com/newsx/newsx/extract"
)

// System is one extractor. Extract does the work that is timed: parse the
// page and produce the article with its text. Pred maps Extract's result
// to newsx's record fields; it is nil for systems that produce no article
// (bare parsing).
type System struct {
	Name    string
	Extract func(page []byte, pageURL *url.URL) (any, error)
	Pred    func(v any) *score.Pred
}

// FallbackURL is the base URL given to peers that need one when the
// truth has none (Mozilla's test pages use it).
var FallbackURL, _ = url.Parse("http://fakehost/test/page.html")

func orFallback(u *url.URL) *url.URL {
	if u == nil {
		return FallbackURL
	}
	return u
}

// Parse is bare golang.org/x/net/html parsing, the floor for any
// extractor built on it.
var Parse = System{
	Name: "html.Parse",
	Extract: func(page []byte, _ *url.URL) (any, error) {
		return html.Parse(bytes.NewReader(page))
	},
}

// Newsx is extract.FromBytes with default options, as `newsx extract`
// runs it on a file: a nil URL when the truth has none, and the record
// kept when the page is judged not to be an article.
var Newsx = System{
	Name: "newsx",
	Extract: func(page []byte, u *url.URL) (any, error) {
		a, err := extract.FromBytes(page, u, extract.Options{})
		if a != nil && errors.Is(err, extract.ErrNoArticle) {
			err = nil
		}
		return a, err
	},
	Pred: func(v any) *score.Pred {
		// Through JSON, as score.py reads `newsx extract --format json`.
		b, err := json.Marshal(v.(*extract.Article))
		if err != nil {
			return &score.Pred{Error: err.Error()}
		}
		var p score.Pred
		if err := json.Unmarshal(b, &p); err != nil {
			return &score.Pred{Error: err.Error()}
		}
		return &p
	},
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func list(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return []string{s}
}

type readeckResult struct {
	a    readeck.Article
	text string
}

// Readeck is codeberg.org/readeck/go-readability/v2 with a new parser
// per page, its text rendered with the package's own renderer.
var Readeck = System{
	Name: "readeck go-readability",
	Extract: func(page []byte, u *url.URL) (any, error) {
		p := readeck.NewParser()
		a, err := p.Parse(bytes.NewReader(page), orFallback(u))
		if err != nil {
			return nil, err
		}
		var b strings.Builder
		if a.Node != nil {
			if err := a.RenderText(&b); err != nil {
				return nil, err
			}
		}
		return &readeckResult{a: a, text: b.String()}, nil
	},
	Pred: func(v any) *score.Pred {
		r := v.(*readeckResult)
		p := &score.Pred{
			Headline: r.a.Title(), Authors: list(r.a.Byline()), Body: r.text,
			Description: r.a.Excerpt(), SiteName: r.a.SiteName(), Image: r.a.ImageURL(),
			Language: r.a.Language(),
		}
		if t, err := r.a.PublishedTime(); err == nil {
			p.Published = rfc3339(t)
		}
		return p
	},
}

// Shiori is github.com/go-shiori/go-readability (deprecated in favour of
// readeck's fork, kept because published figures use it).
var Shiori = System{
	Name: "go-shiori go-readability",
	Extract: func(page []byte, u *url.URL) (any, error) {
		a, err := shiori.FromReader(bytes.NewReader(page), orFallback(u))
		if err != nil {
			return nil, err
		}
		return &a, nil
	},
	Pred: func(v any) *score.Pred {
		a := v.(*shiori.Article)
		p := &score.Pred{
			Headline: a.Title, Authors: list(a.Byline), Body: a.TextContent,
			Description: a.Excerpt, SiteName: a.SiteName, Image: a.Image, Language: a.Language,
		}
		if a.PublishedTime != nil {
			p.Published = rfc3339(*a.PublishedTime)
		}
		return p
	},
}

func trafilaturaSystem(name string, fallback bool) System {
	return System{
		Name: name,
		Extract: func(page []byte, u *url.URL) (any, error) {
			return trafilatura.Extract(bytes.NewReader(page), trafilatura.Options{OriginalURL: u, EnableFallback: fallback})
		},
		Pred: func(v any) *score.Pred {
			r := v.(*trafilatura.ExtractResult)
			m := r.Metadata
			return &score.Pred{
				Headline: m.Title, Authors: list(m.Author), Published: rfc3339(m.Date), Body: r.ContentText,
				Tags: m.Tags, Image: m.Image, Description: m.Description, SiteName: m.Sitename, Language: m.Language,
			}
		},
	}
}

// Trafilatura is go-trafilatura with default options; TrafilaturaFallback
// enables its fallback to readability and DOM Distiller candidates, its
// most accurate mode.
var (
	Trafilatura         = trafilaturaSystem("go-trafilatura", false)
	TrafilaturaFallback = trafilaturaSystem("go-trafilatura fallback", true)
)

// Distiller is github.com/markusmobius/go-domdistiller, pagination
// detection off.
var Distiller = System{
	Name: "go-domdistiller",
	Extract: func(page []byte, u *url.URL) (any, error) {
		return distiller.ApplyForReader(bytes.NewReader(page), &distiller.Options{OriginalURL: u, SkipPagination: true})
	},
	Pred: func(v any) *score.Pred {
		r := v.(*distiller.Result)
		m := r.MarkupInfo
		p := &score.Pred{
			Headline: r.Title, Body: r.Text, Description: m.Description, SiteName: m.Publisher,
			Published: m.Article.PublishedTime,
		}
		if m.Author != "" {
			p.Authors = list(m.Author)
		} else {
			p.Authors = m.Article.Authors
		}
		for _, im := range m.Images {
			if im.URL != "" {
				p.Image = im.URL
				break
			}
			if im.SecureURL != "" {
				p.Image = im.SecureURL
				break
			}
		}
		return p
	},
}

// Extractors are the systems scored for accuracy, newsx first.
var Extractors = []System{Newsx, Trafilatura, TrafilaturaFallback, Readeck, Shiori, Distiller}

// Run calls Extract and Pred, turning a panic into an error.
func Run(s System, page []byte, u *url.URL) (p *score.Pred, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("%s: panic: %v", s.Name, r)
		}
	}()
	v, err := s.Extract(page, u)
	if err != nil {
		return nil, err
	}
	if s.Pred == nil || v == nil {
		return &score.Pred{}, nil
	}
	return s.Pred(v), nil
}
