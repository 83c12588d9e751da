package crawl

import (
	"encoding/binary"
	"time"
)

// Source is a page the crawl reads for links rather than for a record:
// a seed, a feed, a sitemap, or a page that was not an article (a home
// page or section front). A store that keeps sources (SourceSet) lets a
// later run, or a watching one, visit them again and fetch only the
// links not seen before.
type Source struct {
	// Entry is the source's frontier entry as first queued: URL, key,
	// depth, kind and nesting.
	Entry Entry `json:"e"`
	// ETag and LastModified are the validators of the last response,
	// sent back as If-None-Match and If-Modified-Since.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"lm,omitempty"`
	// Failures counts the visits in a row that failed; each one doubles
	// the wait before the next visit, up to maxSourceBackoff times.
	Failures int `json:"f,omitempty"`
	// Until, for an article checked again for changes (Config.Recheck),
	// is when the checks end, in Unix seconds; zero for a source proper.
	// A store drops the article after it.
	Until int64 `json:"until,omitempty"`
	// Hash identifies the headline and body of such an article as last
	// written (articleHash).
	Hash string `json:"h,omitempty"`
}

// expired reports whether an article checked for changes is past its
// checks at now.
func (s *Source) expired(now time.Time) bool {
	return s.Until != 0 && now.Unix() > s.Until
}

// maxSourceBackoff caps the doublings of a failing source's interval.
const maxSourceBackoff = 5

// pendingFor is how long a round of visits holds a source back: within
// it of the source's last queuing, Revisit does not queue it again, even
// with a zero interval, while the visit is pending (the processes of a
// fleet starting together, or a run stopped before the visit) or while
// the frontier is busy (a process joining a fleet whose round is under
// way, or a stopped crawl resumed). Past it, a visit that never reported
// back (a host closed by robots.txt) or a crawl that never drains no
// longer holds the source back.
const pendingFor = 10 * time.Minute

// SourceSet is a Store that remembers a crawl's sources. All the stores
// here implement it. Run records each source it reads (SaveSource) and,
// when Config.Recrawl or Config.Watch asks for it, queues them again
// (Revisit) as entries with Revisit set, which are fetched although
// visited, with conditional requests.
type SourceSet interface {
	// Source returns the source recorded under key, and whether there is
	// one.
	Source(key string) (Source, bool, error)
	// SaveSource records src under src.Entry.Key, replacing the record
	// there, and ends its pending visit. Its queuing time is kept, or set
	// to now for a new source.
	SaveSource(src Source) error
	// Revisit queues again every source due: queued (first, or by
	// Revisit) at least every ago, doubled per failure in a row up to
	// 32 times, and not within pendingFor if it was queued again without
	// a visit since, or if the frontier holds entries queued or in
	// flight. It returns how many were queued. Over the processes that
	// share a store, a source is queued at most once per every.
	Revisit(every time.Duration) (int, error)
}

// sourceRec is a source with the bookkeeping of the local stores.
type sourceRec struct {
	src     Source
	queued  time.Time // first recorded, or last queued again
	pending bool      // queued again, not visited since
}

// due reports whether a source is due for a visit at now; busy says the
// frontier holds entries queued or in flight.
func (s *sourceRec) due(now time.Time, every time.Duration, busy bool) bool {
	if s.src.expired(now) {
		return false
	}
	if (s.pending || busy) && now.Sub(s.queued) < pendingFor {
		return false
	}
	wait := every << min(s.src.Failures, maxSourceBackoff)
	return now.Sub(s.queued) >= wait
}

// sourceBook is the sources of a local store, by key. Callers hold their
// store's lock.
type sourceBook map[string]*sourceRec

// save records src as SaveSource does.
func (b sourceBook) save(src Source, now time.Time) {
	rec := b[src.Entry.Key]
	if rec == nil {
		rec = &sourceRec{queued: now}
		b[src.Entry.Key] = rec
	}
	rec.src = src
	rec.pending = false
}

// requeue marks the sources due at now pending and returns their entries,
// with Revisit set, in key order of the map (any order).
func (b sourceBook) requeue(now time.Time, every time.Duration, busy bool) []Entry {
	var out []Entry
	for k, rec := range b {
		if rec.src.expired(now) {
			delete(b, k)
			continue
		}
		if !rec.due(now, every, busy) {
			continue
		}
		rec.queued, rec.pending = now, true
		e := rec.src.Entry
		e.Seq = 0
		e.Revisit = true
		out = append(out, e)
	}
	return out
}

func (m *memoryStore) Source(key string) (Source, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if rec := m.sources[key]; rec != nil {
		return rec.src, true, nil
	}
	return Source{}, false, nil
}

func (m *memoryStore) SaveSource(src Source) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return errStoreClosed
	}
	m.sources.save(src, time.Now())
	return nil
}

func (m *memoryStore) Revisit(every time.Duration) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return 0, errStoreClosed
	}
	c := m.counts()
	entries := m.sources.requeue(time.Now(), every, c.Queued+c.InFlight > 0)
	for _, e := range entries {
		e.Seq = m.seq + 1
		m.enqueue(e.Seq)
		m.queue = append(m.queue, e)
	}
	return len(entries), nil
}

// appendSource writes a recSource record of rec into s.buf and applies
// it. s.mu is held.
func (s *journalStore) appendSource(rec *sourceRec) error {
	start := s.begin(recSource)
	s.buf = appendSource(s.buf, rec)
	return s.seal(start)
}

// appendSource appends the payload of a recSource record of rec.
func appendSource(b []byte, rec *sourceRec) []byte {
	b = appendEntry(b, rec.src.Entry)
	b = appendString(b, rec.src.ETag)
	b = appendString(b, rec.src.LastModified)
	b = binary.AppendUvarint(b, uint64(max(rec.src.Failures, 0)))
	b = binary.AppendUvarint(b, uint64(max(rec.queued.UnixMilli(), 0)))
	p := byte(0)
	if rec.pending {
		p = 1
	}
	b = append(b, p)
	b = binary.AppendVarint(b, rec.src.Until)
	return appendString(b, rec.src.Hash)
}

func (s *journalStore) Source(key string) (Source, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return Source{}, false, err
	}
	if rec := s.sources[key]; rec != nil {
		return rec.src, true, nil
	}
	return Source{}, false, nil
}

// SaveSource writes the source with the next group of outcomes.
func (s *journalStore) SaveSource(src Source) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return err
	}
	if tooLong(src.Entry.URL) || tooLong(src.Entry.Key) || tooLong(src.ETag) || tooLong(src.LastModified) || tooLong(src.Hash) {
		return nil
	}
	rec := sourceRec{src: src, queued: time.Now()}
	if old := s.sources[src.Entry.Key]; old != nil {
		rec.queued = old.queued
	}
	return s.appendSource(&rec)
}

// Revisit writes the sources due, then their entries, at once. Before,
// between the rounds of a watching crawl, it compacts the file if due.
func (s *journalStore) Revisit(every time.Duration) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return 0, err
	}
	if s.compactDue() && s.quiet() {
		// Between rounds: once the outcomes waiting are written and
		// synced, the file is ours to replace.
		if err := s.settle(); err != nil {
			return 0, err
		}
		if s.quiet() && len(s.buf) == 0 && !s.syncing {
			s.compactIfDue()
		}
	}
	now := time.Now()
	c := s.counts()
	busy := c.Queued+c.InFlight > 0
	var due []Entry
	for k, rec := range s.sources {
		if rec.src.expired(now) {
			delete(s.sources, k) // replay brings it back, until this call
			continue
		}
		if !rec.due(now, every, busy) {
			continue
		}
		next := *rec
		next.queued, next.pending = now, true
		if err := s.appendSource(&next); err != nil {
			return 0, err
		}
		e := rec.src.Entry
		e.Revisit = true
		due = append(due, e)
	}
	w := s.chunked(recAdd)
	for _, e := range due {
		began, err := w.item()
		if err != nil {
			return 0, err
		}
		if began {
			s.buf = binary.AppendUvarint(s.buf, s.seq+1)
		}
		s.buf = appendEntry(s.buf, e)
	}
	if err := w.close(); err != nil {
		return 0, err
	}
	return len(due), s.flushLocked()
}
