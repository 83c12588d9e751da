//go:build plan9 || js

package main

import (
	"errors"
	"os"
)

// stopSignals end newsx the way Ctrl-C does; these systems have no
// SIGTERM.
var stopSignals = []os.Signal{os.Interrupt}

// ignoreSIGPIPE does nothing: these systems deliver no SIGPIPE.
func ignoreSIGPIPE() {}

// errBrokenPipe is never returned here: a write to a closed pipe fails
// with an error that is reported as it is.
var errBrokenPipe = errors.New("broken pipe")
