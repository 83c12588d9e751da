//go:build unix

package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// termWidth is the width in columns of the terminal w is, 0 when w is
// not one.
func termWidth(w any) int {
	f, ok := w.(*os.File)
	if !ok {
		return 0
	}
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil {
		return 0
	}
	return int(ws.Col)
}
