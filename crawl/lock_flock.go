//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package crawl

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// errLocked says another process holds the lock of a state file.
var errLocked = errors.New("locked")

// lockFile takes an exclusive lock (flock) of f, released when f is
// closed, trying for up to wait.
func lockFile(f *os.File, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR):
			return err
		case time.Now().After(deadline):
			return errLocked
		}
		time.Sleep(50 * time.Millisecond)
	}
}
