//go:build plan9 || js

package main

import (
	"errors"
	"os"
)

// stopSignals end newsx the way Ctrl-C does; these systems have no
// SIGTERM.
var stopSignals = []os.Signal{os.Interrupt}

// signalCode is the exit code after sig: that of Ctrl-C.
func signalCode(os.Signal) int { return exitInterrupted }

// ignoreSIGPIPE does nothing: these systems deliver no SIGPIPE.
func ignoreSIGPIPE() {}

// errBrokenPipe is never returned here: a write to a closed pipe fails
// with an error that is reported as it is.
var errBrokenPipe = errors.New("broken pipe")
