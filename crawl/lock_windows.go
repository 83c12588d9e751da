//go:build windows

package crawl

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// tryLock takes an exclusive LockFileEx lock of f without waiting; busy
// says another process holds it. Like bbolt, it locks the last byte of
// the largest possible file, which no read or write touches: Windows
// locks are mandatory.
func tryLock(f *os.File) (busy bool, err error) {
	ol := windows.Overlapped{Offset: ^uint32(0), OffsetHigh: ^uint32(0)}
	err = windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		return true, nil
	}
	return false, err
}
