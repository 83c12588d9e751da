//go:build !plan9 && !js

package main

import (
	"os"
	"os/signal"
	"syscall"
)

// stopSignals end newsx the way Ctrl-C does: a crawl saves its state,
// output files are finished or removed, and the exit code is 128 plus
// the signal's number.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// signalCode is the exit code after sig: 128 plus its number.
func signalCode(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return exitInterrupted
}

// ignoreSIGPIPE keeps a closed stdout pipe from killing newsx: writes fail
// with EPIPE instead, which run treats as the end of the output.
func ignoreSIGPIPE() { signal.Ignore(syscall.SIGPIPE) }

// errBrokenPipe is the error of a write to a pipe whose reader is gone.
var errBrokenPipe error = syscall.EPIPE
