// Package dataset reads evaluation sets laid out as pages/<id>.html plus
// truth.jsonl (one JSON object per page with its id and url).
package dataset

import (
	"bufio"
	"crypto/sha1"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	"github.com/newsx/newsx/bench/internal/score"
)

// ErrAbsent reports a dataset folder that does not exist or lacks
// truth.jsonl; callers skip such sets with a message.
var ErrAbsent = errors.New("dataset absent")

// Set is one dataset folder.
type Set struct {
	Name   string
	Dir    string
	Truths []score.Truth
}

// Load reads dir/truth.jsonl.
func Load(dir string) (*Set, error) {
	f, err := os.Open(filepath.Join(dir, "truth.jsonl"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", dir, ErrAbsent)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s := &Set{Name: filepath.Base(filepath.Clean(dir)), Dir: dir}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var t score.Truth
		if err := json.Unmarshal(sc.Bytes(), &t); err != nil {
			return nil, fmt.Errorf("%s/truth.jsonl:%d: %w", dir, line, err)
		}
		s.Truths = append(s.Truths, t)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s/truth.jsonl: %w", dir, err)
	}
	return s, nil
}

// Half returns the truths of one half of a set, split as score.py
// --half splits it: by the first byte of the SHA-1 of the page id, even
// for the tune half, odd for the check half.
func Half(truths []score.Truth, tune bool) []score.Truth {
	var out []score.Truth
	for _, t := range truths {
		if (sha1.Sum([]byte(t.ID))[0]%2 == 0) == tune {
			out = append(out, t)
		}
	}
	return out
}

// Page returns the raw bytes of a page.
func (s *Set) Page(id string) ([]byte, error) {
	return os.ReadFile(filepath.Join(s.Dir, "pages", id+".html"))
}

// PageURL returns the page's url from the truth, or nil when it has none
// (score.py then runs newsx without --url).
func PageURL(t score.Truth) *url.URL {
	if t.URL == nil || *t.URL == "" {
		return nil
	}
	u, err := url.Parse(*t.URL)
	if err != nil || !u.IsAbs() {
		return nil
	}
	return u
}
