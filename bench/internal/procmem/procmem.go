// Package procmem samples a child process's memory from /proc (Linux).
package procmem

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Peaks are the highest values seen, in bytes.
type Peaks struct {
	Anon int64 // RssAnon: the resident heap and stacks
	File int64 // RssFile: resident file-backed pages (the binary, mapped files)
	HWM  int64 // VmHWM: the kernel's own peak resident set
}

// Sample polls /proc/pid/status every 50ms until stop is closed and
// returns the peaks seen. Where /proc is absent it returns zeros.
func Sample(pid int, stop <-chan struct{}) Peaks {
	var p Peaks
	path := fmt.Sprintf("/proc/%d/status", pid)
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		if b, err := os.ReadFile(path); err == nil {
			for line := range strings.SplitSeq(string(b), "\n") {
				f := strings.Fields(line)
				if len(f) < 2 {
					continue
				}
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				switch f[0] {
				case "RssAnon:":
					p.Anon = max(p.Anon, kb*1024)
				case "RssFile:":
					p.File = max(p.File, kb*1024)
				case "VmHWM:":
					p.HWM = max(p.HWM, kb*1024)
				}
			}
		}
		select {
		case <-stop:
			return p
		case <-t.C:
		}
	}
}
