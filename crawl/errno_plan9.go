package crawl

import "errors"

// Plan 9 reports network failures as error strings, not errno values, so
// there is nothing to match: such a failure is classified by its other
// traits (a timeout, an unexpected EOF) or as "other". These sentinels
// are never returned.
var (
	errConnReset   = errors.New("connection reset")
	errConnRefused = errors.New("connection refused")
	errBrokenPipe  = errors.New("broken pipe")
)
