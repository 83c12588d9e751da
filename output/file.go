package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"
)

// File is an output file opened by Create.
//
// Over a regular file or a new path, it is written under a temporary
// name in the final directory (.NAME.newsx-tmp-PID-N) and renamed into
// place by Commit, so that a crash or an error never leaves a
// half-written file under the final name; a file replaced keeps its
// permission bits. A symbolic link is followed: its target is replaced
// that way, and the link stays. A device, FIFO or socket is written to
// directly, as a shell redirection does; Commit and Abort then only
// close it.
type File struct {
	f    *os.File
	path string // the name written: path, or the target of its links
	tmp  string // the temporary name; "" when writing directly
	mode fs.FileMode
	done bool
}

// Create opens path for writing as File describes. The caller must call
// Commit or Abort. Temporary files that a newsx process killed before
// its Commit left in the directory are removed first (see RemoveStale).
// Opening a FIFO waits for its reader, as a shell redirection does.
func Create(path string) (*File, error) {
	return open(path, true)
}

// open is Create; clean removes stale temporary files first.
func open(path string, clean bool) (*File, error) {
	target, err := resolveLinks(path)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	fi, err := os.Stat(target)
	switch {
	case err == nil && fi.IsDir():
		return nil, fmt.Errorf("create %s: is a directory", path)
	case err == nil && !fi.Mode().IsRegular():
		// A device, FIFO or socket: writing it is what the user asked.
		f, err := os.OpenFile(target, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return nil, fmt.Errorf("create %s: %w", path, err)
		}
		return &File{f: f, path: target}, nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	if clean {
		RemoveStale(filepath.Dir(target))
	}
	return create(target)
}

// create starts writing path, a regular file or a new one, under a
// temporary name.
func create(path string) (*File, error) {
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	dir := filepath.Dir(path)
	prefix := "." + filepath.Base(path) + ".newsx-tmp-" + strconv.Itoa(os.Getpid()) + "-"
	f, err := os.CreateTemp(dir, prefix+"*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &File{f: f, path: path, tmp: f.Name(), mode: mode}, nil
}

// maxLinks is how many symbolic links Create follows, as Linux does.
const maxLinks = 40

// resolveLinks follows the symbolic links at path to the name they lead
// to, which need not exist yet.
func resolveLinks(path string) (string, error) {
	for range maxLinks {
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		dest, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(path), dest)
		}
		path = dest
	}
	return "", errors.New("too many levels of symbolic links")
}

// Write writes to the file.
func (a *File) Write(p []byte) (int, error) { return a.f.Write(p) }

// Commit finishes the file: a temporary file is flushed to disk and
// renamed to its final name; a file written directly is closed.
func (a *File) Commit() error {
	if a.done {
		return nil
	}
	a.done = true
	if a.tmp == "" {
		if err := a.f.Close(); err != nil {
			return fmt.Errorf("write %s: %w", a.path, err)
		}
		return nil
	}
	err := a.f.Sync()
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		_ = os.Chmod(a.tmp, a.mode)
		err = os.Rename(a.tmp, a.path)
	}
	if err != nil {
		os.Remove(a.tmp)
		return fmt.Errorf("write %s: %w", a.path, err)
	}
	return nil
}

// Abort drops the file: a temporary file is removed and the final name
// left untouched; a file written directly is closed.
func (a *File) Abort() error {
	if a.done {
		return nil
	}
	a.done = true
	err := a.f.Close()
	if a.tmp != "" {
		err = os.Remove(a.tmp)
	}
	return err
}

// tmpName matches the names of Create's temporary files and captures the
// process id in them.
var tmpName = regexp.MustCompile(`^\..+\.newsx-tmp-([0-9]+)-[0-9]+$`)

// StaleAge is how old a temporary file of a process no longer running
// must be before RemoveStale removes it.
const StaleAge = time.Minute

// RemoveStale removes from dir the temporary files Create names
// (.NAME.newsx-tmp-PID-N) that a newsx process killed before its Commit
// left: those whose process is no longer running and that were last
// written more than StaleAge ago. Files of running processes, and every
// other file, are left alone; where a process cannot be looked up (not a
// Unix system) nothing is removed. Errors are ignored: the files are
// only clutter.
func RemoveStale(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		m := tmpName.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		pid, err := strconv.Atoi(m[1])
		if err != nil || pid == os.Getpid() || processRunning(pid) {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > StaleAge {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
