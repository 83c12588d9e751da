//go:build !plan9 && !js

package main

import (
	"os"
	"os/signal"
	"syscall"
)

// stopSignals end newsx the way Ctrl-C does: a crawl saves its state and
// exits 130.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// ignoreSIGPIPE keeps a closed stdout pipe from killing newsx: writes fail
// with EPIPE instead, which run treats as the end of the output.
func ignoreSIGPIPE() { signal.Ignore(syscall.SIGPIPE) }

// errBrokenPipe is the error of a write to a pipe whose reader is gone.
var errBrokenPipe error = syscall.EPIPE
