package crawl

import (
	"sync"
)

// Kind says how an entry was found, which decides how its failures count.
type Kind uint8

const (
	// KindPage is a seed or a link: a page, feed or sitemap, told apart by
	// content once fetched.
	KindPage Kind = iota
	// KindSitemap is a sitemap listed in robots.txt or a sitemap index; it
	// may live outside the crawl's domains.
	KindSitemap
	// KindProbe is a guessed /sitemap.xml; a 404 there is not a failure.
	KindProbe
)

// Entry is one URL in the frontier.
type Entry struct {
	// Seq orders the frontier; the store assigns it in Add.
	Seq uint64 `json:"-"`
	// URL is the URL to fetch, cleaned of fragments and tracking
	// parameters.
	URL string `json:"u"`
	// Key is Normalize(URL), the identity used by the visited checks.
	Key string `json:"k"`
	// Depth counts link hops from a seed; feed and sitemap entries are one
	// hop from the feed or sitemap.
	Depth int `json:"d"`
	// Kind is how the URL was found.
	Kind Kind `json:"t,omitempty"`
}

// Outcome is what processing one frontier entry changed, committed by
// Store.Done in one step so that a crash leaves either all of it or none.
type Outcome struct {
	// Entry leaves the frontier.
	Entry Entry
	// Visited are keys now fetched (the requested URL and, after
	// redirects, the final one).
	Visited []string
	// Found are discovered entries, added to the frontier unless their key
	// was ever queued before.
	Found []Entry
	// Emitted is the emitted key of the record written for the page, or "".
	Emitted string
}

// Frontier is the queue of URLs still to fetch. A key is queued at most
// once in a store's life, so no URL is fetched twice.
type Frontier interface {
	// Add queues the entries whose Key was never queued before, assigning
	// their Seq, and returns how many were new.
	Add(entries []Entry) (int, error)
	// Next returns up to n queued entries with Seq greater than after, in
	// Seq order. Entries stay queued until Done removes them, so a crawl
	// that stops early leaves them for the next run.
	Next(after uint64, n int) ([]Entry, error)
	// Len returns how many entries are queued.
	Len() (int, error)
}

// VisitedSet records the pages fetched.
type VisitedSet interface {
	// Visited reports whether a page with this key was fetched.
	Visited(key string) (bool, error)
}

// EmittedSet records the records written, by EmittedKey.
type EmittedSet interface {
	// Emitted reports whether a record with this key was written.
	Emitted(key string) (bool, error)
	// MarkEmitted records keys as written, such as those read back from
	// an output file when a crawl resumes.
	MarkEmitted(keys ...string) error
}

// Store holds a crawl's state: the frontier, the visited set and the
// emitted set. NewMemoryStore keeps them in memory for one run; OpenBolt
// keeps them in a file, so a stopped or killed crawl resumes where it
// left off. Run calls a Store from one goroutine at a time; the stores
// here are also safe for concurrent use.
type Store interface {
	Frontier
	VisitedSet
	EmittedSet
	// Done commits one entry's outcome: it removes o.Entry from the
	// frontier, marks o.Visited, queues o.Found and marks o.Emitted,
	// atomically.
	Done(o Outcome) error
	// Close releases the store.
	Close() error
}

// memoryStore is the in-memory Store.
type memoryStore struct {
	mu       sync.Mutex
	seq      uint64
	queue    []Entry // in Seq order; removed entries are dropped lazily
	queued   map[uint64]bool
	seen     map[string]bool
	visited  map[string]bool
	emitted  map[string]bool
	removedN int
}

// NewMemoryStore returns a Store that lives in memory for one run.
func NewMemoryStore() Store {
	return &memoryStore{
		queued:  map[uint64]bool{},
		seen:    map[string]bool{},
		visited: map[string]bool{},
		emitted: map[string]bool{},
	}
}

func (m *memoryStore) Add(entries []Entry) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.add(entries), nil
}

func (m *memoryStore) add(entries []Entry) int {
	n := 0
	for _, e := range entries {
		if m.seen[e.Key] {
			continue
		}
		m.seen[e.Key] = true
		m.seq++
		e.Seq = m.seq
		m.queue = append(m.queue, e)
		m.queued[e.Seq] = true
		n++
	}
	return n
}

func (m *memoryStore) Next(after uint64, n int) ([]Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Entry
	// queue is sorted by Seq: binary search for the first Seq > after.
	lo, hi := 0, len(m.queue)
	for lo < hi {
		mid := (lo + hi) / 2
		if m.queue[mid].Seq <= after {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	for _, e := range m.queue[lo:] {
		if len(out) >= n {
			break
		}
		if m.queued[e.Seq] {
			out = append(out, e)
		}
	}
	return out, nil
}

func (m *memoryStore) Len() (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.queued), nil
}

func (m *memoryStore) Visited(key string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.visited[key], nil
}

func (m *memoryStore) Emitted(key string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.emitted[key], nil
}

func (m *memoryStore) MarkEmitted(keys ...string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range keys {
		m.emitted[k] = true
	}
	return nil
}

func (m *memoryStore) Done(o Outcome) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.queued[o.Entry.Seq] {
		delete(m.queued, o.Entry.Seq)
		m.removedN++
	}
	for _, k := range o.Visited {
		m.visited[k] = true
	}
	m.add(o.Found)
	if o.Emitted != "" {
		m.emitted[o.Emitted] = true
	}
	// Compact the queue once most of it is done.
	if m.removedN > 1024 && m.removedN > len(m.queue)/2 {
		q := m.queue[:0]
		for _, e := range m.queue {
			if m.queued[e.Seq] {
				q = append(q, e)
			}
		}
		m.queue, m.removedN = q, 0
	}
	return nil
}

func (m *memoryStore) Close() error { return nil }
