package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
)

// progressEvery is how often a crawl without a terminal logs its totals
// (a variable for the tests).
var progressEvery = 30 * time.Second

// stderrTerminal tells whether the progress writer is a terminal; tests
// replace it.
var stderrTerminal = func(w io.Writer) bool { return isTerminal(w) }

// progressMode is --progress: when to show progress.
type progressMode int

const (
	progressAuto   progressMode = iota // a live line on a terminal, else a log line every 30s
	progressNever                      // nothing
	progressAlways                     // a live line, terminal or not
)

func parseProgress(s string) (progressMode, error) {
	switch s {
	case "", "auto":
		return progressAuto, nil
	case "never":
		return progressNever, nil
	case "always":
		return progressAlways, nil
	}
	return 0, usageError{fmt.Errorf("--progress %q: want never, auto or always", s)}
}

// progress shows a command's running totals on stderr: a live line,
// redrawn in place and never wider than the terminal, or, when stderr is
// not a terminal, a log line every progressEvery.
type progress struct {
	w     io.Writer
	live  bool
	width func() int // the terminal's columns, 0 when unknown
	log   *slog.Logger
	last  time.Time
	drawn bool
}

// newProgress returns the progress display for mode on w. quiet shows
// none; verbose shows no live line (the debug log would break it up).
func newProgress(w io.Writer, mode progressMode, quiet, verbose bool) *progress {
	p := &progress{w: w, width: func() int { return termWidth(w) }}
	switch {
	case quiet || mode == progressNever:
	case mode == progressAlways:
		p.live = true
	case stderrTerminal(w) && !verbose:
		p.live = true
	}
	return p
}

// periodic makes p log a line every progressEvery through log when it
// draws no live line. quiet leaves it silent.
func (p *progress) periodic(log *slog.Logger, mode progressMode, quiet bool) {
	if !p.live && !quiet && mode == progressAuto {
		p.log = log
		p.last = time.Now()
	}
}

// line draws fields as one live line, or logs them when it is time.
// Each field is "name value"; the log line gets them as attributes.
func (p *progress) line(elapsed time.Duration, fields ...any) {
	switch {
	case p.live:
		if time.Since(p.last) < 200*time.Millisecond {
			return
		}
		p.last = time.Now()
		var b strings.Builder
		b.WriteString(formatElapsed(elapsed))
		for i := 0; i+1 < len(fields); i += 2 {
			fmt.Fprintf(&b, "  %s %v", fields[i], fields[i+1])
		}
		text := b.String()
		w := p.width()
		if w <= 0 {
			w = 80
		}
		if len(text) > w-1 {
			text = text[:w-1] // ASCII only: bytes are columns
		}
		fmt.Fprintf(p.w, "\r\033[K%s", text)
		p.drawn = true
	case p.log != nil:
		if time.Since(p.last) < progressEvery {
			return
		}
		p.last = time.Now()
		p.log.Info("progress", append([]any{"elapsed", elapsed.Round(time.Second)}, fields...)...)
	}
}

// formatElapsed writes d as 1:02:03 or 2:03.
func formatElapsed(d time.Duration) string {
	s := int(d.Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

func (p *progress) clear() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}

// logWriter is stderr for the logger: each write first clears the
// progress line.
func (p *progress) logWriter() io.Writer {
	if !p.live {
		return p.w
	}
	return writerFunc(func(b []byte) (int, error) {
		p.clear()
		return p.w.Write(b)
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }
