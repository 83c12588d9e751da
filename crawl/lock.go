package crawl

import (
	"errors"
	"os"
	"time"
)

// errLocked says another process holds the lock of a state file.
var errLocked = errors.New("locked")

// lockFile takes an exclusive lock of f (tryLock, per system), released
// when f is closed, trying every 50 ms for up to wait.
func lockFile(f *os.File, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		busy, err := tryLock(f)
		switch {
		case err != nil:
			return err
		case !busy:
			return nil
		case time.Now().After(deadline):
			return errLocked
		}
		time.Sleep(50 * time.Millisecond)
	}
}
