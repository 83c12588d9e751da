package crawl

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/newsx/newsx/extract"
)

// revisit queues again the sources due after every (SourceSet.Revisit).
func (r *runner) revisit(every time.Duration) error {
	if r.sources == nil || r.stopping {
		return nil
	}
	n, err := r.sources.Revisit(every)
	if err != nil {
		return fmt.Errorf("crawl state: %w", err)
	}
	if n > 0 {
		r.exhausted = false
		r.cfg.Logger.Info("visiting sources again", "sources", n)
	} else {
		r.cfg.Logger.Debug("no source due for a visit")
	}
	return nil
}

// watchWait is the wait before the next round of --watch: Watch plus up
// to a tenth of it, so that the processes of a fleet spread out.
func (r *runner) watchWait() time.Duration {
	w := r.cfg.Watch
	return w + time.Duration(rand.Int64N(int64(w/10)+1))
}

// conditional adds If-None-Match and If-Modified-Since to the request of
// a source visited again, from what its last response said, and keeps
// the source for handle.
func (r *runner) conditional(e Entry, hdr http.Header) error {
	if !e.Revisit || r.sources == nil {
		return nil
	}
	src, ok, err := r.sources.Source(e.Key)
	if err != nil || !ok {
		return err
	}
	r.revisits[e.Seq] = src
	if src.ETag != "" {
		hdr.Set("If-None-Match", src.ETag)
	}
	if src.LastModified != "" {
		hdr.Set("If-Modified-Since", src.LastModified)
	}
	return nil
}

// sourceOutcome records what a request said about a source: a source
// visited again that failed backs off, one that answered (changed or not)
// keeps its new validators, and a page first read as a source (ok) is
// recorded. It returns false when the store failed and the crawl stops.
func (r *runner) sourceOutcome(res *result, failed, isSource bool) bool {
	if r.sources == nil {
		return true
	}
	e := res.entry
	prev, revisited := r.revisits[e.Seq]
	delete(r.revisits, e.Seq)
	var src Source
	switch {
	case failed && revisited:
		src = prev
		src.Failures++
	case failed:
		return true
	case res.status == http.StatusNotModified && revisited:
		src = prev
		src.Failures = 0
	case isSource:
		src = Source{Entry: e, ETag: res.etag, LastModified: res.lastModified, Until: res.until, Hash: res.hash}
		if revisited {
			src.Entry = prev.Entry
		}
		src.Entry.Seq, src.Entry.Revisit = 0, false
	default:
		return true
	}
	if err := r.sources.SaveSource(src); err != nil {
		r.stop(fmt.Errorf("crawl state: %w", err))
		return false
	}
	return true
}

// isSource reports whether a page read without failure is a source: a
// seed, a feed or sitemap whose entries are in depth, or a page that is
// not an article and whose links are in depth.
func (r *runner) isSource(e Entry, kind contentKind, isArticle bool) bool {
	switch {
	case e.Depth == 0:
		return true
	case kind == kindSitemapIndex:
		return true
	case kind == kindFeed || kind == kindSitemap:
		return e.Depth < r.cfg.Depth
	}
	return !isArticle && e.Depth < r.cfg.Depth
}

// recheck writes again an article checked for changes (Config.Recheck)
// if its headline or body changed since prev, with Modified set.
func (r *runner) recheck(a *extract.Article, prev Source) error {
	if articleHash(a) == prev.Hash {
		r.stats.Unchanged++
		r.cfg.Logger.Debug("unchanged", "url", a.URL)
		return nil
	}
	if a.Modified == "" {
		a.Modified = time.Now().UTC().Format(time.RFC3339)
	}
	if err := r.emit(a); err != nil {
		return err
	}
	r.stats.Emitted++
	r.stats.Updated++
	r.cfg.Logger.Debug("updated", "url", a.URL)
	return nil
}

// recheckUntil is when the checks of an article for changes end, in Unix
// seconds: Recheck after its publication, if that is still to come, or
// the end set when it was first fetched; zero for no checks.
func (r *runner) recheckUntil(a *extract.Article, prev Source, rechecking bool) int64 {
	if rechecking {
		return prev.Until
	}
	pub, ok := parsePublished(a.Published)
	if !ok {
		return 0
	}
	until := pub.Add(r.cfg.Recheck)
	if !until.After(time.Now()) {
		return 0
	}
	return until.Unix()
}

// articleHash identifies an article's headline and body.
func articleHash(a *extract.Article) string {
	h := sha256.New()
	h.Write([]byte(a.Headline))
	h.Write([]byte{0})
	h.Write([]byte(a.Body))
	return hex.EncodeToString(h.Sum(nil)[:16])
}
