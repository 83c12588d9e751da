package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/newsx/newsx/archive"
	"github.com/newsx/newsx/crawl"
	"github.com/newsx/newsx/extract"
)

// archiveStats counts what one web archive gave. Only the goroutine
// reading the results writes it, except bytes, which the reader sets.
type archiveStats struct {
	name     string
	records  int            // records read, damaged ones included
	pages    int            // records written
	articles int            // of them, with is_article true
	failed   int            // records that gave an error line
	skipped  map[string]int // by cause
	offset   int64          // how far reading has got, in bytes
}

// isArchiveName reports whether a name (a file or a URL path) ends like a
// WARC file.
func isArchiveName(name string) bool {
	if u, err := url.Parse(name); err == nil && crawl.IsURL(name) {
		name = u.Path
	}
	name = strings.ToLower(name)
	return strings.HasSuffix(name, ".warc") || strings.HasSuffix(name, ".warc.gz")
}

// isArchiveFile reports whether the file at path starts like a WARC file.
func isArchiveFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, archive.SniffLen)
	n, _ := io.ReadFull(f, head)
	return archive.IsWARC(head[:n])
}

// isArchiveInput reports whether an input is a web archive: a file or
// stdin by its first bytes, a URL by its name.
func isArchiveInput(in string, stdin *bufio.Reader) bool {
	switch {
	case in == "-":
		head, _ := stdin.Peek(archive.SniffLen)
		return archive.IsWARC(head)
	case crawl.IsURL(in):
		return isArchiveName(in)
	}
	return isArchiveFile(in)
}

// inputTasks yields a task per input, and for an input that is a web
// archive, a task per record.
func inputTasks(ctx context.Context, inputs []string, stdin *bufio.Reader, fo crawl.FetchOptions) iter.Seq[task] {
	return func(yield func(task) bool) {
		for _, in := range inputs {
			if ctx.Err() != nil {
				return
			}
			if !isArchiveInput(in, stdin) {
				if !yield(task{in: in}) {
					return
				}
				continue
			}
			st := &archiveStats{name: in, skipped: make(map[string]int)}
			if in == "-" {
				st.name = "stdin"
			}
			if !archiveTasks(ctx, in, stdin, fo, st, yield) {
				return
			}
		}
	}
}

// archiveTasks opens the web archive in and yields a task per record. It
// returns false when yield did.
func archiveTasks(ctx context.Context, in string, stdin io.Reader, fo crawl.FetchOptions, st *archiveStats, yield func(task) bool) bool {
	var r io.Reader
	switch {
	case in == "-":
		r = stdin
	case crawl.IsURL(in):
		body, err := crawl.Open(ctx, in, fo)
		if err != nil {
			return yield(task{in: in, err: err, arc: st})
		}
		defer body.Close()
		r = body
	default:
		f, err := os.Open(in)
		if err != nil {
			return yield(task{in: in, err: fmt.Errorf("read %w", err), arc: st})
		}
		defer f.Close()
		r = f
	}
	ar, err := archive.NewReader(r, archive.Options{MaxBytes: fo.MaxBytes})
	if err != nil {
		return yield(task{in: in, err: fmt.Errorf("%s: %w", st.name, err), arc: st})
	}
	for ctx.Err() == nil {
		rec, err := ar.Next()
		var t task
		switch {
		case errors.Is(err, io.EOF):
			return true
		case err != nil:
			t = task{in: in, err: fmt.Errorf("%s: %w", st.name, err)}
		case rec.Type != "response":
			t = task{in: in, skip: rec.Type}
		case !rec.HTTP:
			t = task{in: in, skip: "response without HTTP"}
		case rec.Status != 200:
			t = task{in: in, skip: fmt.Sprintf("status %d", rec.Status)}
		case rec.Err != nil:
			t = task{in: in, err: fmt.Errorf("%s: record at offset %d (%s): %w", st.name, rec.Offset, rec.TargetURI, rec.Err)}
		default:
			t = task{in: in, rec: rec}
		}
		t.arc = st
		t.off = ar.Offset()
		if !yield(t) {
			return false
		}
	}
	return true
}

// extractRecord extracts the page a web archive record holds. A record
// that is not HTML is skipped; one without an article gives its record
// and no error (an archive holds many pages that are not articles).
func extractRecord(t task, fo crawl.FetchOptions) result {
	rec := t.rec
	res := result{in: t.in, arc: t.arc}
	u, err := url.Parse(rec.TargetURI)
	if err != nil || !u.IsAbs() {
		res.err = fmt.Errorf("%s: record at offset %d: WARC-Target-URI %q is not an absolute URL", t.arc.name, rec.Offset, rec.TargetURI)
		return res
	}
	page, err := crawl.StoredPage(u, rec.Status, rec.Header, rec.Body, fo)
	switch {
	case errors.Is(err, crawl.ErrNotHTML):
		res.skip = "non-HTML"
		return res
	case err != nil:
		res.err = fmt.Errorf("%s: record at offset %d: %w", t.arc.name, rec.Offset, err)
		return res
	}
	a, err := extract.FromBytes(page.Body, u, extract.Options{ContentType: page.ContentType})
	if err != nil && !errors.Is(err, extract.ErrNoArticle) {
		res.err = fmt.Errorf("%s: record at offset %d (%s): %w", t.arc.name, rec.Offset, rec.TargetURI, err)
		return res
	}
	a.URL = rec.TargetURI
	a.Source = fmt.Sprintf("%s#%d", t.in, rec.Offset)
	if !rec.Date.IsZero() {
		a.Fetched = rec.Date.UTC().Format(time.RFC3339)
	}
	res.a = a
	return res
}

// count adds a result to its archive's counts.
func (st *archiveStats) count(r result) {
	st.records++
	st.offset = max(st.offset, r.off)
	switch {
	case r.skip != "":
		st.skipped[r.skip]++
	case r.err != nil && r.a == nil:
		st.failed++
	default:
		st.pages++
		if r.a != nil && r.a.IsArticle {
			st.articles++
		}
	}
}

// summary is the line said on stderr after an archive was read.
func (st *archiveStats) summary() string {
	s := fmt.Sprintf("%s: %d records, %d pages written (%d articles)", st.name, st.records, st.pages, st.articles)
	if st.failed > 0 {
		s += fmt.Sprintf(", %d failed", st.failed)
	}
	if len(st.skipped) > 0 {
		causes := make([]string, 0, len(st.skipped))
		for c := range st.skipped {
			causes = append(causes, c)
		}
		sort.Strings(causes)
		var parts []string
		for _, c := range causes {
			parts = append(parts, fmt.Sprintf("%d %s", st.skipped[c], c))
		}
		s += "; skipped " + strings.Join(parts, ", ")
	}
	return s
}

// showArchive draws the progress of reading a web archive.
func (p *progress) showArchive(st *archiveStats, elapsed time.Duration) {
	p.line(elapsed, st.name+": records", st.records, "articles", st.articles, "pages", st.pages, "MB read", fmt.Sprintf("%.1f", float64(st.offset)/1e6))
}
