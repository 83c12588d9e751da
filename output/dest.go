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

// AtomicFile is a file written under a temporary name in its final
// directory and renamed into place by Commit, so that a crash or an error
// never leaves a half-written file under the final name.
type AtomicFile struct {
	f    *os.File
	path string
	done bool
}

// CreateAtomic starts writing path. The caller must call Commit or Abort.
func CreateAtomic(path string) (*AtomicFile, error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &AtomicFile{f: f, path: path}, nil
}

// Write writes to the temporary file.
func (a *AtomicFile) Write(p []byte) (int, error) { return a.f.Write(p) }

// Commit flushes the file to disk and renames it to its final name.
func (a *AtomicFile) Commit() error {
	if a.done {
		return nil
	}
	a.done = true
	err := a.f.Sync()
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		_ = os.Chmod(a.f.Name(), 0o644)
		err = os.Rename(a.f.Name(), a.path)
	}
	if err != nil {
		os.Remove(a.f.Name())
		return fmt.Errorf("write %s: %w", a.path, err)
	}
	return nil
}

// Abort removes the temporary file; the final name is left untouched.
func (a *AtomicFile) Abort() error {
	if a.done {
		return nil
	}
	a.done = true
	a.f.Close()
	return os.Remove(a.f.Name())
}

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
// is written atomically. Names are built only from the record's letters
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
	f, err := CreateAtomic(path)
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
