package crawl

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Buckets of the bbolt store.
var (
	bucketFrontier = []byte("frontier") // Seq (8 bytes, big-endian) -> Entry JSON
	bucketSeen     = []byte("seen")     // key -> empty: every key ever queued
	bucketVisited  = []byte("visited")  // key -> empty
	bucketEmitted  = []byte("emitted")  // emitted key -> empty
	bucketScope    = []byte("scope")    // seed host -> empty
	bucketMeta     = []byte("meta")     // "done", "failed" -> count (8 bytes, big-endian)
)

// boltStore is the Store kept in a bbolt file. Leases live in memory:
// only one process opens the file, so after a crash every entry still in
// the frontier is simply queued again.
type boltStore struct {
	db *bolt.DB

	mu      sync.Mutex
	leases  leases
	pending map[string]bool // emitted keys claimed, not yet committed

	// Outcomes are committed in groups (see Done): batch holds those not
	// yet committed, since the time of the first of them; batchVisited
	// their visited keys, so that Visited sees them at once.
	batch        []Outcome
	batchSince   time.Time
	batchVisited map[string]bool
}

// A group of outcomes is committed when it holds batchMax of them or its
// first is batchWait old, and before any read of the frontier.
const (
	batchMax  = 64
	batchWait = 100 * time.Millisecond
)

// OpenBolt opens (creating if needed) the crawl state file at path, a
// bbolt database holding the frontier, the visited set, the emitted set
// and the crawl's scope. Outcomes (Done) are committed in groups, one
// transaction synced to disk for up to 64 pages or 100 ms: a transaction
// with its two fsyncs costs milliseconds, more than extracting a page.
// A crawl killed at any moment resumes from its last committed group:
// the entries of the group not committed, like those in flight, are
// queued again, and the records already written are found again by
// reading the output back (MarkEmitted), so none is written twice.
// Leases and emitted keys claimed with ClaimEmitted are kept in memory
// until their group is committed. Only one process may open the file at
// a time; a second one fails after a second instead of waiting.
func OpenBolt(path string) (Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, fmt.Errorf("open state %s: in use by another newsx process", path)
		}
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketFrontier, bucketSeen, bucketVisited, bucketEmitted, bucketScope, bucketMeta} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	return &boltStore{db: db, leases: newLeases(), pending: map[string]bool{}, batchVisited: map[string]bool{}}, nil
}

func seqKey(seq uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], seq)
	return b[:]
}

func (s *boltStore) Add(entries []Entry) (int, error) {
	s.mu.Lock()
	err := s.flushLocked()
	s.mu.Unlock()
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.db.Update(func(tx *bolt.Tx) error {
		var err error
		n, err = addEntries(tx, entries)
		return err
	})
	return n, err
}

func addEntries(tx *bolt.Tx, entries []Entry) (int, error) {
	seen := tx.Bucket(bucketSeen)
	front := tx.Bucket(bucketFrontier)
	n := 0
	for _, e := range entries {
		if e.Key == "" || seen.Get([]byte(e.Key)) != nil {
			continue
		}
		if err := seen.Put([]byte(e.Key), []byte{}); err != nil {
			return n, err
		}
		seq, err := front.NextSequence()
		if err != nil {
			return n, err
		}
		b, err := json.Marshal(e)
		if err != nil {
			return n, err
		}
		if err := front.Put(seqKey(seq), b); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// next returns up to n queued entries with Seq greater than after, in
// Seq order.
func (s *boltStore) next(after uint64, n int) ([]Entry, error) {
	var out []Entry
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketFrontier).Cursor()
		for k, v := c.Seek(seqKey(after + 1)); k != nil && len(out) < n; k, v = c.Next() {
			var e Entry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("read state: frontier entry: %w", err)
			}
			e.Seq = binary.BigEndian.Uint64(k)
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

func (s *boltStore) Claim(n int, lease time.Duration) ([]Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// The frontier is read from the file: commit the outcomes first, so
	// that finished entries have left it and found ones joined it.
	if err := s.flushLocked(); err != nil {
		return nil, err
	}
	return s.leases.claim(n, lease, s.next)
}

func (s *boltStore) Renew(entries []Entry, lease time.Duration) ([]uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Renew comes every third of a lease: a group waiting since then is
	// committed here when no Done came to commit it.
	if err := s.flushLocked(); err != nil {
		return nil, err
	}
	return s.leases.renew(entries, lease), nil
}

func (s *boltStore) Release(entries []Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.leases.release(entries)
	return nil
}

func (s *boltStore) Len() (int, error) {
	c, err := s.Counts()
	return c.Queued, err
}

func (s *boltStore) Counts() (Counts, error) {
	var c Counts
	s.mu.Lock()
	live := s.leases.live()
	err := s.flushLocked()
	s.mu.Unlock()
	if err != nil {
		return c, err
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		c.Queued = tx.Bucket(bucketFrontier).Stats().KeyN - live
		c.InFlight = live
		c.Emitted = tx.Bucket(bucketEmitted).Stats().KeyN
		meta := tx.Bucket(bucketMeta)
		c.Done = int(getCount(meta, "done"))
		c.Failed = int(getCount(meta, "failed"))
		return nil
	})
	return c, err
}

func getCount(b *bolt.Bucket, name string) uint64 {
	if v := b.Get([]byte(name)); len(v) == 8 {
		return binary.BigEndian.Uint64(v)
	}
	return 0
}

func addCount(b *bolt.Bucket, name string) error {
	return b.Put([]byte(name), seqKey(getCount(b, name)+1))
}

func (s *boltStore) has(bucket []byte, key string) (bool, error) {
	found := false
	err := s.db.View(func(tx *bolt.Tx) error {
		found = tx.Bucket(bucket).Get([]byte(key)) != nil
		return nil
	})
	return found, err
}

func (s *boltStore) Visited(key string) (bool, error) {
	s.mu.Lock()
	p := s.batchVisited[key]
	s.mu.Unlock()
	if p {
		return true, nil
	}
	return s.has(bucketVisited, key)
}
func (s *boltStore) Emitted(key string) (bool, error) {
	s.mu.Lock()
	p := s.pending[key]
	s.mu.Unlock()
	if p {
		return true, nil
	}
	return s.has(bucketEmitted, key)
}

func (s *boltStore) ClaimEmitted(key string, e Entry) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending[key] {
		return false, nil
	}
	found, err := s.has(bucketEmitted, key)
	if err != nil || found {
		return false, err
	}
	s.pending[key] = true
	return true, nil
}

func (s *boltStore) AddScope(hosts ...string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketScope)
		for _, h := range hosts {
			if err := b.Put([]byte(h), []byte{}); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *boltStore) Scope() ([]string, error) {
	var out []string
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketScope).ForEach(func(k, _ []byte) error {
			out = append(out, string(k))
			return nil
		})
	})
	return out, err
}

func (s *boltStore) MarkEmitted(keys ...string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketEmitted)
		for _, k := range keys {
			if err := b.Put([]byte(k), []byte{}); err != nil {
				return err
			}
		}
		return nil
	})
}

// Done records o in the current group and commits the group when it is
// full or old enough (see OpenBolt).
func (s *boltStore) Done(o Outcome) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.leases.done(o.Entry.Seq)
	if len(s.batch) == 0 {
		s.batchSince = time.Now()
	}
	s.batch = append(s.batch, o)
	for _, k := range o.Visited {
		s.batchVisited[k] = true
	}
	if len(s.batch) >= batchMax || time.Since(s.batchSince) >= batchWait {
		return s.flushLocked()
	}
	return nil
}

// flushLocked commits the group of outcomes in one transaction. s.mu is
// held.
func (s *boltStore) flushLocked() error {
	if len(s.batch) == 0 {
		return nil
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		for _, o := range s.batch {
			if err := commitOutcome(tx, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, o := range s.batch {
		if o.Emitted != "" {
			delete(s.pending, o.Emitted)
		}
	}
	s.batch = s.batch[:0]
	clear(s.batchVisited)
	return nil
}

// commitOutcome writes one outcome: the entry leaves the frontier, its
// visited keys, found entries and emitted key are recorded.
func commitOutcome(tx *bolt.Tx, o Outcome) error {
	front := tx.Bucket(bucketFrontier)
	if front.Get(seqKey(o.Entry.Seq)) != nil {
		if err := front.Delete(seqKey(o.Entry.Seq)); err != nil {
			return err
		}
		meta := tx.Bucket(bucketMeta)
		if err := addCount(meta, "done"); err != nil {
			return err
		}
		if o.Failed {
			if err := addCount(meta, "failed"); err != nil {
				return err
			}
		}
	}
	v := tx.Bucket(bucketVisited)
	for _, k := range o.Visited {
		if err := v.Put([]byte(k), []byte{}); err != nil {
			return err
		}
	}
	if _, err := addEntries(tx, o.Found); err != nil {
		return err
	}
	if o.Emitted != "" {
		return tx.Bucket(bucketEmitted).Put([]byte(o.Emitted), []byte{})
	}
	return nil
}

// Close commits the last group of outcomes and closes the file.
func (s *boltStore) Close() error {
	s.mu.Lock()
	err := s.flushLocked()
	s.mu.Unlock()
	return errors.Join(err, s.db.Close())
}
