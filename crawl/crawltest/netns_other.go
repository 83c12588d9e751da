//go:build !linux

package crawltest

import "errors"

// loopbackUp is only needed where unshare exists: on Linux.
func loopbackUp() error {
	return errors.New("network namespaces are a Linux feature")
}
