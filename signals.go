package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
)

// signalError is the cause of the run's context when a stop signal
// ended it.
type signalError struct{ sig os.Signal }

func (e signalError) Error() string { return "received " + e.sig.String() }

// abortKey is the context key of the channel a second stop signal
// closes.
type abortKey struct{}

// stopContext returns a context that the first stop signal (Ctrl-C,
// and SIGTERM and SIGHUP where they exist) cancels, with a signalError
// as its cause. A second one closes the channel abortOf returns, for what
// must stop at once; after it, a third one ends the process as if newsx
// handled none. Signals ignored when newsx started (nohup, a background
// job) stay ignored. stop releases the signals.
func stopContext(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	abort := make(chan struct{})
	ctx = context.WithValue(ctx, abortKey{}, (<-chan struct{})(abort))
	var sigs []os.Signal
	for _, s := range stopSignals {
		if !signal.Ignored(s) {
			sigs = append(sigs, s)
		}
	}
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, sigs...)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			cancel(signalError{s})
		case <-done:
			return
		}
		select {
		case <-ch:
			close(abort)
			signal.Stop(ch)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// abortOf returns the channel a second stop signal closes, or nil (which
// never is) for a context stopContext did not make.
func abortOf(ctx context.Context) <-chan struct{} {
	ch, _ := ctx.Value(abortKey{}).(<-chan struct{})
	return ch
}

// interrupted says on stderr that a stop signal (or a cancelled
// context) ended the run, and returns the exit code: 128 plus the
// signal's number (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP).
func interrupted(ctx context.Context, stderr io.Writer) int {
	var se signalError
	if errors.As(context.Cause(ctx), &se) && se.sig != os.Interrupt {
		fmt.Fprintf(stderr, "newsx: interrupted (%v)\n", se.sig)
		return signalCode(se.sig)
	}
	fmt.Fprintf(stderr, "newsx: interrupted\n")
	return exitInterrupted
}
