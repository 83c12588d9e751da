package crawl

import (
	"cmp"
	"errors"
	"runtime"
	"slices"
	"sync"
	"time"
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
	// Nesting counts the sitemap indexes between a sitemap and the seed,
	// robots.txt or link it was found from: 0 for those, 1 for a sitemap
	// an index lists, 2 for one an index in an index lists. Run follows
	// at most maxSitemapNesting of them; stores keep up to 15.
	Nesting int `json:"n,omitempty"`
	// Revisit marks a source queued again (SourceSet.Revisit): it is
	// fetched although visited, with a conditional request.
	Revisit bool `json:"r,omitempty"`
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
	// Emitted is the emitted key of the record written for the page, or
	// "". The key was claimed with ClaimEmitted before the record was
	// written.
	Emitted string
	// Failed says the entry failed for good; it counts in Counts.Failed.
	Failed bool
}

// Counts are a crawl's totals as a store sees them, over every process
// that shares it.
type Counts struct {
	// Queued counts entries waiting to be claimed, expired leases
	// included.
	Queued int `json:"queued"`
	// InFlight counts entries under a live lease.
	InFlight int `json:"in_flight"`
	// Done counts entries finished (fetched, skipped or failed), Failed
	// those of them that failed for good.
	Done   int `json:"done"`
	Failed int `json:"failed"`
	// Emitted counts records written.
	Emitted int `json:"emitted"`
}

// Frontier is the queue of URLs still to fetch. A key is queued at most
// once in a store's life, so no URL is fetched twice; only sources are
// queued again, by SourceSet.Revisit.
//
// Entries are taken with a lease: Claim moves them from the queue to the
// in-flight set with a deadline, Renew pushes the deadline back, Done
// acknowledges an entry, and Release hands it back. An entry whose lease
// runs out (its process was killed, or lost its store for longer than the
// lease) goes back to the queue for any process to claim.
type Frontier interface {
	// Add queues the entries whose Key was never queued before, assigning
	// their Seq, and returns how many were new.
	Add(entries []Entry) (int, error)
	// Claim leases up to n queued entries, oldest first, for the duration
	// lease. It first returns expired leases to the queue.
	Claim(n int, lease time.Duration) ([]Entry, error)
	// Renew extends the leases of entries held by this Store value by
	// lease. An entry whose lease expired but which nobody claimed since
	// is taken again. It returns the Seqs of the entries no longer held:
	// claimed by another process, or done.
	Renew(entries []Entry, lease time.Duration) (lost []uint64, err error)
	// Release returns leased entries to the queue, for a graceful stop.
	Release(entries []Entry) error
	// Len returns how many entries are queued, not counting those in
	// flight.
	Len() (int, error)
	// Counts returns the crawl's totals.
	Counts() (Counts, error)
}

// VisitedSet records the pages fetched.
type VisitedSet interface {
	// Visited reports whether a page with this key was fetched.
	Visited(key string) (bool, error)
}

// EmittedSet records the records written, by EmittedKey.
type EmittedSet interface {
	// Emitted reports whether a record with this key was written, or is
	// claimed (ClaimEmitted) and being written.
	Emitted(key string) (bool, error)
	// ClaimEmitted checks and sets the emitted mark of key for entry e in
	// one step: it returns true when no record with the key was claimed
	// before (the caller then writes the record), false when one was, by
	// any process. A store may answer true again to the entry holding
	// the claim, so that a retry after a lost reply is not a duplicate.
	ClaimEmitted(key string, e Entry) (bool, error)
	// MarkEmitted records keys as written, such as those read back from
	// an output file when a crawl resumes.
	MarkEmitted(keys ...string) error
}

// Store holds a crawl's state: the frontier, the visited set and the
// emitted set, and the hosts of the seeds that define the crawl's scope.
// NewMemoryStore keeps them in memory for one run; OpenState keeps them in
// a file, so a stopped or killed crawl resumes where it left off;
// OpenRedis keeps them in Redis, shared by every process of a fleet. Run
// calls a Store from one goroutine at a time; the stores here are also
// safe for concurrent use.
type Store interface {
	Frontier
	VisitedSet
	EmittedSet
	// Done acknowledges one entry and commits its outcome: it ends
	// o.Entry's lease and removes it from the frontier, marks o.Visited,
	// queues o.Found and marks o.Emitted, atomically. Done of an entry
	// whose lease another process holds now commits the rest and leaves
	// that lease alone.
	Done(o Outcome) error
	// AddScope records the hosts of seeds; Scope returns all of them,
	// added by any process.
	AddScope(hosts ...string) error
	Scope() ([]string, error)
	// Close releases the store.
	Close() error
}

// HostGate limits requests per host across every process sharing a
// store. A Store that is shared (OpenRedis) implements it; Run consults
// it before each request, besides its own per-process limits.
type HostGate interface {
	// AcquireHost takes one of limit request slots of origin
	// (scheme://host:port) for at most hold. It returns the slot's token,
	// or, when all slots are taken, how long until one may be free.
	AcquireHost(origin string, limit int, hold time.Duration) (token string, wait time.Duration, err error)
	// ReleaseHost frees a slot after the given pause: zero frees it now,
	// a Crawl-delay keeps it taken that much longer.
	ReleaseHost(origin, token string, after time.Duration) error
}

// leases is the lease bookkeeping of the local stores: which entries this
// process holds, until when, and which came back to the queue. Entries
// with Seq <= cursor were claimed at least once; back holds those of them
// released or expired, by Seq.
type leases struct {
	held   map[uint64]leased
	back   []Entry
	cursor uint64
}

type leased struct {
	e        Entry
	deadline time.Time
}

func newLeases() leases { return leases{held: map[uint64]leased{}} }

// expire moves leases past their deadline back to the queue.
func (l *leases) expire(now time.Time) {
	for seq, h := range l.held {
		if now.After(h.deadline) {
			delete(l.held, seq)
			l.putBack(h.e)
		}
	}
}

func (l *leases) putBack(e Entry) {
	i, found := slices.BinarySearchFunc(l.back, e.Seq, func(x Entry, seq uint64) int { return cmp.Compare(x.Seq, seq) })
	if !found {
		l.back = slices.Insert(l.back, i, e)
	}
}

func (l *leases) dropBack(seq uint64) bool {
	i, found := slices.BinarySearchFunc(l.back, seq, func(x Entry, seq uint64) int { return cmp.Compare(x.Seq, seq) })
	if found {
		l.back = slices.Delete(l.back, i, i+1)
	}
	return found
}

// claim leases up to n entries: those back in the queue first, then the
// never claimed ones, read with next (queued entries after a Seq, in Seq
// order).
func (l *leases) claim(n int, lease time.Duration, next func(after uint64, n int) ([]Entry, error)) ([]Entry, error) {
	now := time.Now()
	l.expire(now)
	var out []Entry
	for len(out) < n && len(l.back) > 0 {
		out = append(out, l.back[0])
		l.back = l.back[1:]
	}
	if len(out) < n {
		more, err := next(l.cursor, n-len(out))
		if err != nil {
			return nil, err
		}
		for _, e := range more {
			l.cursor = e.Seq
			out = append(out, e)
		}
	}
	for _, e := range out {
		l.held[e.Seq] = leased{e: e, deadline: now.Add(lease)}
	}
	return out, nil
}

func (l *leases) renew(entries []Entry, lease time.Duration) []uint64 {
	now := time.Now()
	var lost []uint64
	for _, e := range entries {
		switch {
		case l.held[e.Seq].e.Seq == e.Seq:
		case l.dropBack(e.Seq):
		default:
			lost = append(lost, e.Seq)
			continue
		}
		l.held[e.Seq] = leased{e: e, deadline: now.Add(lease)}
	}
	return lost
}

func (l *leases) release(entries []Entry) {
	for _, e := range entries {
		if _, ok := l.held[e.Seq]; ok {
			delete(l.held, e.Seq)
			l.putBack(e)
		}
	}
}

// done ends an entry's lease, wherever it is.
func (l *leases) done(seq uint64) {
	delete(l.held, seq)
	l.dropBack(seq)
}

// live counts the leases not expired.
func (l *leases) live() int {
	now := time.Now()
	n := 0
	for _, h := range l.held {
		if !now.After(h.deadline) {
			n++
		}
	}
	return n
}

// memoryStore is the in-memory Store: the ledger, and the frontier
// entries in a slice.
type memoryStore struct {
	mu sync.Mutex
	ledger
	queue  []Entry // in Seq order; removed entries are dropped lazily
	closed bool
}

// NewMemoryStore returns a Store that lives in memory for one run. Close
// releases its key table (so does the garbage collector, later, for a
// store that is not closed).
func NewMemoryStore() Store {
	m := &memoryStore{ledger: newLedger()}
	runtime.AddCleanup(m, (*keySet).free, m.keys)
	return m
}

func (m *memoryStore) Add(entries []Entry) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return 0, errStoreClosed
	}
	return m.add(entries), nil
}

func (m *memoryStore) add(entries []Entry) int {
	n := 0
	for _, e := range entries {
		if m.seen(m.keys.hash(e.Key)) {
			continue
		}
		e.Seq = m.seq + 1
		m.enqueue(e.Seq)
		m.queue = append(m.queue, e)
		n++
	}
	return n
}

// next returns up to n queued entries with Seq greater than after, in
// Seq order.
func (m *memoryStore) next(after uint64, n int) ([]Entry, error) {
	var out []Entry
	// queue is sorted by Seq: binary search for the first Seq > after.
	lo, _ := slices.BinarySearchFunc(m.queue, after+1, func(x Entry, seq uint64) int { return cmp.Compare(x.Seq, seq) })
	for _, e := range m.queue[lo:] {
		if len(out) >= n {
			break
		}
		if m.queued.has(e.Seq) {
			out = append(out, e)
		}
	}
	return out, nil
}

func (m *memoryStore) Claim(n int, lease time.Duration) ([]Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.leases.claim(n, lease, m.next)
}

func (m *memoryStore) Renew(entries []Entry, lease time.Duration) ([]uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.leases.renew(entries, lease), nil
}

func (m *memoryStore) Release(entries []Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.leases.release(entries)
	return nil
}

func (m *memoryStore) Len() (int, error) {
	c, err := m.Counts()
	return c.Queued, err
}

func (m *memoryStore) Counts() (Counts, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.counts(), nil
}

func (m *memoryStore) Visited(key string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return false, errStoreClosed
	}
	return m.has(key, flagVisited), nil
}

func (m *memoryStore) Emitted(key string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return false, errStoreClosed
	}
	return m.emittedOrClaimed(key), nil
}

func (m *memoryStore) ClaimEmitted(key string, e Entry) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return false, errStoreClosed
	}
	return m.claimEmitted(key), nil
}

func (m *memoryStore) MarkEmitted(keys ...string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return errStoreClosed
	}
	for _, k := range keys {
		m.markEmitted(k)
	}
	return nil
}

func (m *memoryStore) AddScope(hosts ...string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, h := range hosts {
		m.scope[h] = true
	}
	return nil
}

func (m *memoryStore) Scope() ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.scopeHosts(), nil
}

func (m *memoryStore) Done(o Outcome) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return errStoreClosed
	}
	m.leases.done(o.Entry.Seq)
	m.finish(o.Entry.Seq, o.Failed)
	for _, k := range o.Visited {
		m.visit(m.keys.hash(k))
	}
	m.add(o.Found)
	if o.Emitted != "" {
		m.markEmitted(o.Emitted)
	}
	// Compact the queue once most of it is done: queue holds every entry
	// since the last compaction, queued those not done.
	if done := len(m.queue) - m.queuedN; done > 1024 && done > len(m.queue)/2 {
		q := m.queue[:0]
		for _, e := range m.queue {
			if m.queued.has(e.Seq) {
				q = append(q, e)
			}
		}
		m.queue = q
	}
	return nil
}

// Close releases the key table; the calls that need it fail after.
func (m *memoryStore) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	m.keys.free()
	return nil
}

// errStoreClosed is what a memory store's calls that need its key table
// return after Close.
var errStoreClosed = errors.New("memory store: closed")
