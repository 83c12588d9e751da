//go:build windows

package crawl

import (
	"errors"
	"os"
	"time"

	"golang.org/x/sys/windows"
)

// errLocked says another process holds the lock of a state file.
var errLocked = errors.New("locked")

// lockFile takes an exclusive lock (LockFileEx) of f, released when f is
// closed, trying for up to wait. Like bbolt, it locks the last byte of
// the largest possible file, which no read or write touches: Windows
// locks are mandatory.
func lockFile(f *os.File, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		ol := windows.Overlapped{Offset: ^uint32(0), OffsetHigh: ^uint32(0)}
		err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
		switch {
		case err == nil:
			return nil
		case !errors.Is(err, windows.ERROR_LOCK_VIOLATION) && !errors.Is(err, windows.ERROR_IO_PENDING):
			return err
		case time.Now().After(deadline):
			return errLocked
		}
		time.Sleep(50 * time.Millisecond)
	}
}
