//go:build unix

package output

import (
	"errors"
	"syscall"
)

// processRunning reports whether a process with this id exists. A
// process of another user counts (kill says EPERM).
func processRunning(pid int) bool {
	if pid <= 0 {
		return true
	}
	err := syscall.Kill(pid, 0)
	return !errors.Is(err, syscall.ESRCH)
}
