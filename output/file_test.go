//go:build unix

package output

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// write creates path with Create, writes s and commits.
func write(path, s string) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write([]byte(s)); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}

// TestCreateSymlink writes through a symbolic link: the target gets the
// content, and the link stays a link. Relative links, chains of links and
// a link to a name that does not exist yet are followed the same way.
func TestCreateSymlink(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		links  [][2]string // link name, its target
		target string      // the file written
		exists bool
	}{
		{"relative", [][2]string{{"out.json", "real.json"}}, "real.json", true},
		{"absolute", [][2]string{{"out.json", "ABS/real.json"}}, "real.json", true},
		{"chain", [][2]string{{"out.json", "mid.json"}, {"mid.json", "sub/real.json"}}, "sub/real.json", true},
		{"dangling", [][2]string{{"out.json", "sub/new.json"}}, "sub/new.json", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			os.Mkdir(filepath.Join(dir, "sub"), 0o755)
			target := filepath.Join(dir, tc.target)
			if tc.exists {
				if err := os.WriteFile(target, []byte("old"), 0o640); err != nil {
					t.Fatal(err)
				}
			}
			for _, l := range tc.links {
				dest := strings.Replace(l[1], "ABS", dir, 1)
				if err := os.Symlink(dest, filepath.Join(dir, l[0])); err != nil {
					t.Fatal(err)
				}
			}
			link := filepath.Join(dir, "out.json")
			if err := write(link, "new"); err != nil {
				t.Fatal(err)
			}
			if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
				t.Fatalf("the link was replaced (%v, %v)", fi.Mode(), err)
			}
			b, err := os.ReadFile(target)
			if err != nil || string(b) != "new" {
				t.Fatalf("target holds %q, %v; want new", b, err)
			}
			if fi, _ := os.Stat(target); tc.exists && fi.Mode().Perm() != 0o640 {
				t.Errorf("target mode %v, want the old file's 0640", fi.Mode().Perm())
			}
			if left, _ := filepath.Glob(filepath.Join(dir, "*", ".*tmp*")); len(left) != 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

// TestCreateFIFO writes into a named pipe: its reader gets the bytes, and
// the pipe stays a pipe.
func TestCreateFIFO(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	if err := write(fifo, "through the pipe\n"); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "through the pipe\n" {
		t.Errorf("reader got %q", s)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v, %v", fi.Mode(), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files left beside the FIFO: %v", entries)
	}
}

// TestCreateDevice writes to /dev/null and /dev/full through links in a
// temporary directory (so that nothing outside it can be replaced): the
// devices are written directly, /dev/full's "no space" reaches the
// caller, and the links stay.
func TestCreateDevice(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		dev     string
		wantErr bool
	}{
		{"/dev/null", false},
		{"/dev/full", true},
	} {
		fi, err := os.Stat(tc.dev)
		if err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
			t.Logf("%s: not a character device here", tc.dev)
			continue
		}
		link := filepath.Join(t.TempDir(), "out.json")
		if err := os.Symlink(tc.dev, link); err != nil {
			t.Fatal(err)
		}
		f, err := Create(link)
		if err != nil {
			t.Fatalf("%s: %v", tc.dev, err)
		}
		_, werr := f.Write([]byte("record\n"))
		cerr := f.Commit()
		if (werr != nil) != tc.wantErr {
			t.Errorf("%s: write error %v, want error %v", tc.dev, werr, tc.wantErr)
		}
		if cerr != nil {
			t.Errorf("%s: commit: %v", tc.dev, cerr)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("%s: the link was replaced", tc.dev)
		}
		if fi, err := os.Stat(tc.dev); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
			t.Errorf("%s is no longer a device", tc.dev)
		}
	}
}

// TestRemoveStale leaves a temporary file behind as a killed newsx would
// and checks that the next Create in that directory removes it, and only
// it: not a running process's file, not a fresh one, not another name.
func TestRemoveStale(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	old := time.Now().Add(-2 * StaleAge)
	const gone = 2147483646   // above any pid_max: no such process
	files := map[string]bool{ // name -> removed
		".out.json.newsx-tmp-2147483646-12345":             true,
		".other.csv.newsx-tmp-2147483646-9":                true,
		".out.json.newsx-tmp-" + itoa(os.Getppid()) + "-1": false, // running
		".out.json.newsx-tmp-1-77":                         false, // init: running
		".out.json.tmp-12345":                              false, // not the pattern
		"out.json.newsx-tmp-2147483646-1":                  false, // no leading dot
		".out.json.newsx-tmp-2147483646-1.bak":             false,
		".out.json.newsx-tmp-2147483646-":                  false,
	}
	for name := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	fresh := ".out.json.newsx-tmp-" + itoa(gone) + "-55" // written just now
	os.WriteFile(filepath.Join(dir, fresh), []byte("x"), 0o600)
	files[fresh] = false

	if err := write(filepath.Join(dir, "out.json"), "new"); err != nil {
		t.Fatal(err)
	}
	for name, removed := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if gotRemoved := err != nil; gotRemoved != removed {
			t.Errorf("%s: removed %v, want %v", name, gotRemoved, removed)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestDirEncoderSymlink writes a record into a directory where its file
// name is a symbolic link: the link's target gets the record.
func TestDirEncoderSymlink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a := sample()
	name := Slug(a.Headline) + "-" + shortHash(identity(a)) + ".json"
	target := filepath.Join(t.TempDir(), "kept.json")
	if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
	enc, err := NewDirEncoder(dir, "json", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := enc.Encode(a); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(filepath.Join(dir, name)); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatal("the link was replaced")
	}
	if b, _ := os.ReadFile(target); !strings.Contains(string(b), `"headline"`) {
		t.Errorf("the target holds %q", b)
	}
}
