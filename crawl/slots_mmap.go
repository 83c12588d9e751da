//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package crawl

import (
	"syscall"
	"unsafe"
)

// allocSlots returns n zeroed words outside the Go heap, in an anonymous
// private mapping: the garbage collector sets its heap goal at a multiple
// of the live heap (3× with newsx's GOGC=200), so a large table on the
// heap would cost up to three times its size in memory. It falls back to
// the heap if the mapping fails.
func allocSlots(n int) []uint64 {
	b, err := syscall.Mmap(-1, 0, n*8, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]uint64, n)
	}
	return unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), n)
}

// freeSlots releases words from allocSlots, which must not be used after.
func freeSlots(s []uint64) {
	if len(s) == 0 {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*8)
	// A heap fallback is not a mapping: Munmap fails with EINVAL and the
	// collector frees it.
	_ = syscall.Munmap(b)
}
