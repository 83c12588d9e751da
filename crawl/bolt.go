package crawl

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
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
)

// boltStore is the Store kept in a bbolt file.
type boltStore struct {
	db *bolt.DB
}

// OpenBolt opens (creating if needed) the crawl state file at path, a
// bbolt database holding the frontier, the visited set and the emitted set.
// Every Done is one transaction, synced to disk before it returns, so a
// crawl killed at any moment resumes from its last finished page. Only one
// process may open the file at a time; a second one fails after a second
// instead of waiting.
func OpenBolt(path string) (Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, fmt.Errorf("open state %s: in use by another newsx process", path)
		}
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketFrontier, bucketSeen, bucketVisited, bucketEmitted} {
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
	return &boltStore{db: db}, nil
}

func seqKey(seq uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], seq)
	return b[:]
}

func (s *boltStore) Add(entries []Entry) (int, error) {
	n := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
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

func (s *boltStore) Next(after uint64, n int) ([]Entry, error) {
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

func (s *boltStore) Len() (int, error) {
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketFrontier).Stats().KeyN
		return nil
	})
	return n, err
}

func (s *boltStore) has(bucket []byte, key string) (bool, error) {
	found := false
	err := s.db.View(func(tx *bolt.Tx) error {
		found = tx.Bucket(bucket).Get([]byte(key)) != nil
		return nil
	})
	return found, err
}

func (s *boltStore) Visited(key string) (bool, error) { return s.has(bucketVisited, key) }
func (s *boltStore) Emitted(key string) (bool, error) { return s.has(bucketEmitted, key) }

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

func (s *boltStore) Done(o Outcome) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketFrontier).Delete(seqKey(o.Entry.Seq)); err != nil {
			return err
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
	})
}

func (s *boltStore) Close() error { return s.db.Close() }
