//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows)

package crawl

import (
	"errors"
	"os"
	"time"
)

// errLocked says another process holds the lock of a state file.
var errLocked = errors.New("locked")

// lockFile does nothing on systems without flock or LockFileEx: there,
// two processes must not be started on one state file.
func lockFile(*os.File, time.Duration) error { return nil }
