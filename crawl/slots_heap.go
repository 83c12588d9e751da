//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package crawl

// allocSlots returns n zeroed words on the heap, where systems without
// mmap keep the key table.
func allocSlots(n int) []uint64 { return make([]uint64, n) }

// freeSlots leaves words from allocSlots to the garbage collector.
func freeSlots([]uint64) {}
