//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows)

package crawl

import "os"

// tryLock does nothing on systems without flock or LockFileEx: there,
// two processes must not be started on one state file.
func tryLock(*os.File) (busy bool, err error) { return false, nil }
