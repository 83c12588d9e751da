package crawltest

import (
	"compress/gzip"
	"io"
	"os"
	"testing"
)

// ReadGzip returns the uncompressed contents of the gzip file at path,
// failing the test if it cannot be read.
func ReadGzip(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
