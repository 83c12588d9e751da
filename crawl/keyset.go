package crawl

import (
	"hash/maphash"
	"math/bits"
)

// Flag bits of a keySet slot, kept in the low bits of the stored hash.
const (
	flagSeen    = 1 << iota // queued once (Add, Outcome.Found)
	flagVisited             // fetched (Outcome.Visited)
	flagEmitted             // record written (Outcome.Emitted, MarkEmitted)

	flagMask = 1<<3 - 1
)

// keySet is an open-addressing hash table (linear probing) of 64-bit key
// hashes, each slot one word: the hash with its low three bits replaced
// by the flags above, 0 for an empty slot. It keeps 61 bits of each key's
// hash and never the key, so two keys whose hashes agree in those bits
// share a slot: with n keys the chance that any two do is about
// n²/2⁶², 2·10⁻⁷ for a million keys. A colliding key would be taken for
// one already queued, fetched or written, and skipped. The table costs
// 11 to 21 bytes per key (8-byte slots, doubled at 3/4 full) and lives
// outside the Go heap where the system allows (allocSlots); free releases
// it.
//
// The seed is random per process: the table is rebuilt from the full keys
// each time a state file is opened. The zero keySet is not usable; use
// newKeySet.
type keySet struct {
	seed  maphash.Seed
	slots []uint64 // len is a power of two
	shift uint     // 64 - log2(len(slots)): a slot's home is hash >> shift
	n     int      // slots in use
}

// minSlots is the table's size when empty.
const minSlots = 1024

func newKeySet() *keySet {
	k := &keySet{seed: maphash.MakeSeed()}
	k.resize(minSlots)
	return k
}

// hash returns the stored form of a key's hash, flags cleared; never 0.
func (k *keySet) hash(key string) uint64 {
	return fold(maphash.String(k.seed, key))
}

// hashBytes is hash for a key held in bytes; it equals hash(string(b)).
func (k *keySet) hashBytes(b []byte) uint64 {
	return fold(maphash.Bytes(k.seed, b))
}

func fold(h uint64) uint64 {
	h &^= flagMask
	if h == 0 {
		h = flagMask + 1
	}
	return h
}

// slot returns the index of h's slot, or of the empty slot where it would
// go, and whether h is there.
func (k *keySet) slot(h uint64) (int, bool) {
	mask := len(k.slots) - 1
	for i := int(h >> k.shift); ; i = (i + 1) & mask {
		switch v := k.slots[i]; {
		case v == 0:
			return i, false
		case v&^flagMask == h:
			return i, true
		}
	}
}

// flags returns the flags of hash h, 0 when it is not in the table.
func (k *keySet) flags(h uint64) uint64 {
	if i, ok := k.slot(h); ok {
		return k.slots[i] & flagMask
	}
	return 0
}

// set adds flags f to hash h, adding h if needed, and returns the flags
// it had before.
func (k *keySet) set(h, f uint64) uint64 {
	i, ok := k.slot(h)
	if ok {
		old := k.slots[i] & flagMask
		k.slots[i] |= f
		return old
	}
	if (k.n+1)*4 > len(k.slots)*3 {
		k.resize(2 * len(k.slots))
		i, _ = k.slot(h)
	}
	k.slots[i] = h | f
	k.n++
	return 0
}

// resize moves the table to size slots, a power of two.
func (k *keySet) resize(size int) {
	old := k.slots
	k.slots = allocSlots(size)
	k.shift = uint(bits.LeadingZeros64(uint64(size))) + 1 // 64 - log2(size)
	for _, v := range old {
		if v != 0 {
			i, _ := k.slot(v &^ flagMask)
			k.slots[i] = v
		}
	}
	freeSlots(old)
}

// free releases the table; k must not be used after.
func (k *keySet) free() {
	freeSlots(k.slots)
	k.slots, k.n = nil, 0
}

// bitset is a growable set of integers (frontier Seqs), from base on:
// a set reset to a base past the Seqs of a long crawl keeps no words for
// the Seqs before it.
type bitset struct {
	base  uint64 // a multiple of 64; no member is below it
	words []uint64
}

// reset empties the set and moves its base to below from.
func (b *bitset) reset(from uint64) {
	*b = bitset{base: from &^ 63}
}

func (b *bitset) add(i uint64) {
	if i < b.base {
		// Never below a base set by reset, but kept correct: grow
		// downwards.
		n := (b.base - i&^63) / 64
		b.words = append(make([]uint64, n), b.words...)
		b.base = i &^ 63
	}
	w := int((i - b.base) / 64)
	if w >= len(b.words) {
		b.words = append(b.words, make([]uint64, w+1-len(b.words))...)
	}
	b.words[w] |= 1 << (i % 64)
}

func (b *bitset) has(i uint64) bool {
	if i < b.base {
		return false
	}
	w := (i - b.base) / 64
	return w < uint64(len(b.words)) && b.words[w]&(1<<(i%64)) != 0
}

func (b *bitset) remove(i uint64) {
	if i < b.base {
		return
	}
	if w := (i - b.base) / 64; w < uint64(len(b.words)) {
		b.words[w] &^= 1 << (i % 64)
	}
}

// first returns the smallest member at least from, or false.
func (b *bitset) first(from uint64) (uint64, bool) {
	from = max(from, b.base)
	for w := (from - b.base) / 64; w < uint64(len(b.words)); w++ {
		v := b.words[w]
		if w == (from-b.base)/64 {
			v &^= 1<<(from%64) - 1
		}
		if v != 0 {
			return b.base + w*64 + uint64(bits.TrailingZeros64(v)), true
		}
	}
	return 0, false
}
