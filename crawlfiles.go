package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/newsx/newsx/output"
)

// fileFlags are the crawl flags that name a file newsx writes.
var fileFlags = []string{"out", "errors", "state"}

// checkFileFlags refuses two of --out, --errors and --state naming the
// same file, directly or through a symbolic or hard link: records,
// failures and the crawl state written into one file would destroy each
// other.
func checkFileFlags(c *cli.Context) error {
	type named struct{ flag, path string }
	var files []named
	for _, f := range fileFlags {
		p := c.String(f)
		if p == "" || p == "-" || (f == "out" && output.IsDirTarget(p)) {
			continue
		}
		files = append(files, named{f, p})
	}
	for i, a := range files {
		for _, b := range files[i+1:] {
			if sameFile(a.path, b.path) {
				return usageError{fmt.Errorf("--%s %s and --%s %s name the same file: give each its own", a.flag, a.path, b.flag, b.path)}
			}
		}
	}
	return nil
}

// sameFile reports whether two paths name one file: for existing files,
// the same file on disk (os.SameFile, after links); otherwise the same
// absolute path once the links in its directory are followed.
func sameFile(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	switch {
	case errA == nil && errB == nil:
		return os.SameFile(fa, fb)
	case errA == nil || errB == nil:
		return false
	}
	return canonical(a) == canonical(b)
}

// canonical returns path made absolute, with the links in its directory
// followed where it exists.
func canonical(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	dir := filepath.Dir(abs)
	if d, err := filepath.EvalSymlinks(dir); err == nil {
		dir = d
	}
	return filepath.Join(dir, filepath.Base(abs))
}

// checkCSVHeader compares the header of the CSV file f (named out) that
// a crawl appends to with the columns it is about to write: a file
// whose columns differ would get rows that match no header. A file
// without a complete header line is not checked.
func checkCSVHeader(f *os.File, out string, want []string) error {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil {
		return nil
	}
	r := csv.NewReader(strings.NewReader(line))
	r.FieldsPerRecord = -1
	got, err := r.Read()
	if err == nil && slices.Equal(got, want) {
		return nil
	}
	return usageError{fmt.Errorf("--out %s has the CSV columns %s, but this crawl writes %s: give the same --fields, or another --out file",
		out, strings.Join(got, ","), strings.Join(want, ","))}
}
