package crawl

import (
	"maps"
	"slices"
)

// ledger is the bookkeeping both local stores keep in memory, with the
// same rules: a hash of every key seen, visited or emitted with its
// flags (keySet, outside the Go heap: a crawl of a million pages keeps a
// few dozen megabytes, not the keys), one bit per Seq queued and not
// done, the counts, the emitted keys claimed whose outcome is not yet
// done, the scope and the leases. The memory store keeps its frontier
// entries beside it; the state file keeps them in the file and rebuilds
// the ledger by replaying its records. Callers hold their store's lock.
type ledger struct {
	keys    *keySet
	queued  bitset // Seqs queued and not done
	seq     uint64 // the last Seq assigned
	queuedN int    // members of queued
	done    int
	failed  int
	emitted int             // keys with flagEmitted
	pending map[string]bool // emitted keys claimed, their outcome not yet done
	scope   map[string]bool
	leases  leases
	sources sourceBook
}

func newLedger() ledger {
	return ledger{keys: newKeySet(), pending: map[string]bool{}, scope: map[string]bool{}, leases: newLeases(), sources: sourceBook{}}
}

// seen marks the key of hash h seen and reports whether it was before.
func (l *ledger) seen(h uint64) bool {
	return l.keys.set(h, flagSeen)&flagSeen != 0
}

// enqueue records seq, the next Seq, as queued.
func (l *ledger) enqueue(seq uint64) {
	l.queued.add(seq)
	l.queuedN++
	l.seq = seq
}

// finish takes seq out of the queue and counts it done, and failed if it
// failed; a Seq not queued is left alone.
func (l *ledger) finish(seq uint64, failed bool) {
	if seq > l.seq || !l.queued.has(seq) {
		return
	}
	l.queued.remove(seq)
	l.queuedN--
	l.done++
	if failed {
		l.failed++
	}
}

// visit marks the key of hash h visited.
func (l *ledger) visit(h uint64) {
	l.keys.set(h, flagVisited)
}

// markEmitted records key as written, counting it once, and ends its
// claim.
func (l *ledger) markEmitted(key string) {
	l.emit(l.keys.hash(key))
	delete(l.pending, key)
}

// markEmittedBytes is markEmitted for a key held in bytes.
func (l *ledger) markEmittedBytes(key []byte) {
	l.emit(l.keys.hashBytes(key))
	delete(l.pending, string(key))
}

func (l *ledger) emit(h uint64) {
	if l.keys.set(h, flagEmitted)&flagEmitted == 0 {
		l.emitted++
	}
}

// has reports whether key has flag f.
func (l *ledger) has(key string, f uint64) bool {
	return l.keys.flags(l.keys.hash(key))&f != 0
}

// emittedOrClaimed reports whether a record with key was written or is
// claimed and being written (EmittedSet.Emitted).
func (l *ledger) emittedOrClaimed(key string) bool {
	return l.pending[key] || l.has(key, flagEmitted)
}

// claimEmitted claims key for a record to be written (ClaimEmitted).
func (l *ledger) claimEmitted(key string) bool {
	if l.emittedOrClaimed(key) {
		return false
	}
	l.pending[key] = true
	return true
}

func (l *ledger) counts() Counts {
	live := l.leases.live()
	return Counts{Queued: l.queuedN - live, InFlight: live, Done: l.done, Failed: l.failed, Emitted: l.emitted}
}

func (l *ledger) scopeHosts() []string {
	return slices.Sorted(maps.Keys(l.scope))
}
