//go:build !plan9

package crawl

import "syscall"

// The system errors that mark a connection reset, refused or closed under
// a write: transient for a fetch, "connection" in the summary.
var (
	errConnReset   error = syscall.ECONNRESET
	errConnRefused error = syscall.ECONNREFUSED
	errBrokenPipe  error = syscall.EPIPE
)
