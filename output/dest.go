package output

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsx/newsx/extract"
)

// IsDirTarget reports whether an --out value names a directory: it ends
// with a path separator or is an existing directory.
func IsDirTarget(path string) bool {
	if strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(filepath.Separator)) {
		return true
	}
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// dirEncoder writes one file per record into a directory.
type dirEncoder struct {
	dir    string
	format string
	opts   Options
	names  map[string]string // file name -> identity of the record written there
}

// NewDirEncoder returns an Encoder that writes each record to its own
// file in dir (created if needed), for the json, md and text formats. A
// file is named from the headline and a short hash of the article's URL
// ("harbour-reopens-after-storm-3f9a1c2b.json"), so the same article
// always gets the same name and two articles never share one. Each file
// is written as Create writes it. Names are built only from the record's letters
// and digits, so nothing is ever written outside dir.
func NewDirEncoder(dir, format string, opts Options) (Encoder, error) {
	switch strings.ToLower(format) {
	case "json", "md", "markdown", "text", "txt":
	default:
		return nil, fmt.Errorf("--out DIR/ writes one file per article and needs --format json, md or text, not %q", format)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	RemoveStale(dir)
	opts.Array = false
	return &dirEncoder{dir: dir, format: format, opts: opts, names: make(map[string]string)}, nil
}

func (d *dirEncoder) Encode(a *extract.Article) error {
	id := identity(a)
	base := Slug(a.Headline) + "-" + shortHash(id)
	name := base + Extension(d.format)
	for i := 2; d.names[name] != "" && d.names[name] != id; i++ {
		name = fmt.Sprintf("%s-%d%s", base, i, Extension(d.format))
	}
	d.names[name] = id
	path := filepath.Join(d.dir, name)
	f, err := open(path, false) // stale files were removed in NewDirEncoder
	if err != nil {
		return err
	}
	enc, err := NewEncoder(f, d.format, d.opts)
	if err != nil {
		f.Abort()
		return err
	}
	if err := errors.Join(enc.Encode(a), enc.Close()); err != nil {
		f.Abort()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}

func (d *dirEncoder) Close() error { return nil }

// identity returns what makes a record the same article: its canonical
// URL, else its URL, else its headline and body.
func identity(a *extract.Article) string {
	switch {
	case a.CanonicalURL != "":
		return a.CanonicalURL
	case a.URL != "":
		return a.URL
	}
	return a.Headline + "\x00" + a.Body
}

// shortHash returns 8 hex digits of a SHA-1 of s.
func shortHash(s string) string {
	h := sha1.Sum([]byte(s))
	return hex.EncodeToString(h[:4])
}

// Slug makes a file-name-safe slug of a headline: lower-case letters and
// digits joined by hyphens, cut at a word boundary to at most 60
// characters; "article" when nothing is left.
func Slug(s string) string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := ""
	for _, w := range words {
		next := w
		if out != "" {
			next = out + "-" + w
		}
		if utf8.RuneCountInString(next) > 60 {
			if out == "" {
				out = string([]rune(w)[:60])
			}
			break
		}
		out = next
	}
	if out == "" {
		return "article"
	}
	return out
}
