//go:build unix

package main

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/newsx/newsx/crawl/crawltest"
	"github.com/newsx/newsx/output"
)

// TestExtractOutKinds writes `extract -o` into a symbolic link, a FIFO
// and devices (through links in a temporary directory, so that nothing
// outside it can be replaced): a link's target gets the record and the
// link stays, a FIFO's reader gets it and the FIFO stays, /dev/null takes
// it and /dev/full's "no space" is an error.
func TestExtractOutKinds(t *testing.T) {
	t.Run("symlink", func(t *testing.T) {
		dir := t.TempDir()
		target := filepath.Join(dir, "real.json")
		os.WriteFile(target, []byte("old"), 0o644)
		link := filepath.Join(dir, "link.json")
		if err := os.Symlink("real.json", link); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCLI(t, "", "extract", "-q", "-o", link, seed)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Fatalf("the link was replaced by a file")
		}
		if b, _ := os.ReadFile(target); !strings.Contains(string(b), `"headline"`) {
			t.Errorf("the link's target holds %q", b)
		}
	})
	t.Run("fifo", func(t *testing.T) {
		fifo := filepath.Join(t.TempDir(), "pipe")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		got := readFIFO(fifo)
		code, _, stderr := runCLI(t, "", "extract", "-q", "-o", fifo, seed)
		if code != exitOK {
			// Unblock the reader if newsx never opened the FIFO.
			if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				f.Close()
			}
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
			t.Fatalf("the FIFO was replaced") // its reader waits forever
		}
		if s := <-got; !strings.Contains(s, `"headline"`) {
			t.Errorf("the FIFO's reader got %q", s)
		}
	})
	for _, tc := range []struct {
		dev  string
		code int
	}{
		{"/dev/null", exitOK},
		{"/dev/full", exitFailure},
	} {
		t.Run(tc.dev, func(t *testing.T) {
			if fi, err := os.Stat(tc.dev); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
				t.Skipf("%s is not a device here", tc.dev)
			}
			link := filepath.Join(t.TempDir(), "out.json")
			if err := os.Symlink(tc.dev, link); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := runCLI(t, "", "extract", "-q", "-o", link, seed)
			if code != tc.code {
				t.Errorf("exit %d, want %d: %s", code, tc.code, stderr)
			}
			if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
				t.Errorf("the link to %s was replaced by a file", tc.dev)
			}
		})
	}
}

// TestCrawlSameFile gives two of --out, --errors and --state the same
// file, by name, through a symbolic link or a hard link: a usage error
// naming both flags, before anything is written.
func TestCrawlSameFile(t *testing.T) {
	for _, tc := range []struct {
		name  string
		flags func(dir string) []string
		want  [2]string
	}{
		{"state and out", func(d string) []string {
			return []string{"--state", filepath.Join(d, "f"), "--out", filepath.Join(d, "f")}
		}, [2]string{"--out", "--state"}},
		{"errors and state, relative and absolute", func(d string) []string {
			return []string{"--errors", filepath.Join(d, "sub", "..", "f"), "--state", filepath.Join(d, "f")}
		}, [2]string{"--errors", "--state"}},
		{"out and errors", func(d string) []string {
			return []string{"--out", filepath.Join(d, "f"), "--errors", filepath.Join(d, "f")}
		}, [2]string{"--out", "--errors"}},
		{"state through a symlink", func(d string) []string {
			os.WriteFile(filepath.Join(d, "f"), []byte("keep"), 0o644)
			os.Symlink("f", filepath.Join(d, "link"))
			return []string{"--state", filepath.Join(d, "f"), "--out", filepath.Join(d, "link")}
		}, [2]string{"--out", "--state"}},
		{"errors through a hard link", func(d string) []string {
			os.WriteFile(filepath.Join(d, "f"), []byte("keep"), 0o644)
			os.Link(filepath.Join(d, "f"), filepath.Join(d, "hard"))
			return []string{"--errors", filepath.Join(d, "hard"), "--state", filepath.Join(d, "f")}
		}, [2]string{"--errors", "--state"}},
		{"through a linked directory", func(d string) []string {
			os.Mkdir(filepath.Join(d, "real"), 0o755)
			os.Symlink("real", filepath.Join(d, "dir"))
			return []string{"--state", filepath.Join(d, "real", "f"), "--out", filepath.Join(d, "dir", "f")}
		}, [2]string{"--out", "--state"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			os.Mkdir(filepath.Join(dir, "sub"), 0o755)
			args := append([]string{"crawl", "-q"}, tc.flags(dir)...)
			code, _, stderr := runCLI(t, "", append(args, "http://127.0.0.1:1/")...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d: %s", code, exitUsage, stderr)
			}
			for _, f := range tc.want {
				if !strings.Contains(stderr, f+" ") {
					t.Errorf("stderr does not name %s: %s", f, stderr)
				}
			}
			if b, err := os.ReadFile(filepath.Join(dir, "f")); err == nil && string(b) != "keep" {
				t.Errorf("the file was written: %q", b)
			}
		})
	}
	// Different files are fine.
	dir := t.TempDir()
	code, _, stderr := runCLI(t, "", "crawl", "-q", "--state", filepath.Join(dir, "s"), "--out", filepath.Join(dir, "o.jsonl"), "--errors", filepath.Join(dir, "e.jsonl"), "--retries", "0", "http://127.0.0.1:1/")
	if code == exitUsage {
		t.Errorf("distinct files refused: %s", stderr)
	}
}

// TestCrawlCSVHeaderMismatch appends with other --fields to a CSV file:
// a usage error naming both column lists, before any request, the file
// untouched. The same columns append as before.
func TestCrawlCSVHeaderMismatch(t *testing.T) {
	s := crawltest.New(t)
	out := filepath.Join(t.TempDir(), "articles.csv")
	const old = "url,headline,published,word_count\r\nhttps://x.test/a,A,2024-01-02,300\r\n"
	if err := os.WriteFile(out, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"crawl", "-q", "-f", "csv", "--out", out, "--ignore-robots", "--depth", "0"}, fastFlags...)
	code, _, stderr := runCLI(t, "", append(args, "--fields", "url,headline", s.URL+"/world/")...)
	if code != exitUsage || !strings.Contains(stderr, "url,headline,published,word_count") || !strings.Contains(stderr, "writes url,headline:") {
		t.Errorf("exit %d, want %d and both column lists: %s", code, exitUsage, stderr)
	}
	if hits := s.Hits(); len(hits) != 0 {
		t.Errorf("requests before the usage error: %v", hits)
	}
	if b, _ := os.ReadFile(out); string(b) != old {
		t.Errorf("the file changed:\n%s", b)
	}
	code, _, stderr = runCLI(t, "", append(args, "--fields", "url,headline,published,word_count", "--emit", "all", s.URL+"/world/")...)
	if code != exitOK {
		t.Fatalf("same columns: exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(out)
	if !strings.HasPrefix(string(b), old) || strings.Count(string(b), "headline") != 1 || len(b) == len(old) {
		t.Errorf("same columns: want a row appended under the one header:\n%s", b)
	}
}

// TestExtractStopSignals stops `extract -o FILE` with SIGHUP and SIGTERM
// while it waits for a page: it ends like Ctrl-C, with 128 plus the
// signal's number, and leaves no temporary file.
func TestExtractStopSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := newsxBinary(t)
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{
		{syscall.SIGHUP, 129},
		{syscall.SIGTERM, 143},
		{syscall.SIGINT, 130},
	} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			t.Parallel()
			if signal.Ignored(tc.sig) {
				t.Skipf("%v is ignored here, and so in newsx, which keeps it ignored", tc.sig)
			}
			asked := make(chan struct{}, 1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				asked <- struct{}{}
				<-r.Context().Done()
			}))
			defer srv.Close()
			dir := t.TempDir()
			cmd := exec.Command(bin, "extract", "-q", "--timeout", "1h", "-o", filepath.Join(dir, "out.json"), srv.URL+"/a.html")
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			select {
			case <-asked:
			case <-time.After(time.Minute):
				cmd.Process.Kill()
				t.Fatal("no request within a minute")
			}
			cmd.Process.Signal(tc.sig)
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			var err error
			select {
			case err = <-exited:
			case <-time.After(time.Minute):
				cmd.Process.Kill()
				t.Fatalf("%v did not end newsx within a minute", tc.sig)
			}
			if code := cmd.ProcessState.ExitCode(); code != tc.code {
				t.Errorf("exit %d (%v), want %d; stderr: %s", code, err, tc.code, stderr.String())
			}
			if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
				t.Errorf("files left behind: %v", left)
			}
		})
	}
}

// TestExtractRemovesStaleTemp kills `extract -o FILE` with kill -9
// while it waits for a page, which leaves its temporary file behind: the
// next `extract -o` into that directory removes it, once it is older
// than output.StaleAge, and leaves a fresh one of the same kind alone.
func TestExtractRemovesStaleTemp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := newsxBinary(t)
	asked := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked <- struct{}{}
		<-r.Context().Done()
	}))
	defer srv.Close()
	dir := t.TempDir()
	cmd := exec.Command(bin, "extract", "-q", "-o", filepath.Join(dir, "out.json"), srv.URL+"/a.html")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-asked:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		t.Fatal("no request within a minute")
	}
	cmd.Process.Kill()
	cmd.Wait()
	left, _ := filepath.Glob(filepath.Join(dir, ".out.json.newsx-tmp-*"))
	if len(left) != 1 {
		t.Fatalf("after kill -9, temporary files %v, want one", left)
	}
	stale := left[0]
	old := time.Now().Add(-2 * output.StaleAge)
	os.Chtimes(stale, old, old)
	fresh := filepath.Join(dir, ".other.json.newsx-tmp-2147483646-1") // no such process, but new
	os.WriteFile(fresh, nil, 0o600)
	if code, _, stderr := runCLI(t, "", "extract", "-q", "-o", filepath.Join(dir, "out.json"), seed); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("the stale temporary file is still there")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("a fresh temporary file was removed")
	}
}

// TestCrawlSecondInterrupt stops a crawl whose request hangs (--timeout
// 1h) with two Ctrl-Cs: the first waits for the request, the second
// ends the crawl at once with exit 130, and the page stays queued in the
// state, so that the resumed crawl fetches it and writes its record.
func TestCrawlSecondInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if signal.Ignored(os.Interrupt) {
		t.Skip("Ctrl-C is ignored here, and so in newsx, which keeps it ignored")
	}
	bin := newsxBinary(t)
	page, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	var hang atomic.Bool
	hang.Store(true)
	asked := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hang.Load() {
			select {
			case asked <- struct{}{}:
			default:
			}
			<-r.Context().Done()
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	defer srv.Close()
	dir := t.TempDir()
	args := append([]string{"crawl", "--progress", "never", "--ignore-robots", "--depth", "0", "--emit", "all", "--timeout", "1h",
		"--state", filepath.Join(dir, "state"), "--out", filepath.Join(dir, "out.jsonl")}, fastFlags...)
	args = append(args, srv.URL+"/a.html")

	cmd := exec.Command(bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	logged := make(chan string, 100)
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := stderr.Read(b)
			if n > 0 {
				logged <- string(b[:n])
			}
			if err != nil {
				close(logged)
				return
			}
		}
	}()
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.After(time.Minute)
		for !ok() {
			select {
			case <-deadline:
				t.Fatalf("no %s within a minute", what)
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	select {
	case <-asked:
	case <-time.After(time.Minute):
		t.Fatal("no request within a minute")
	}
	cmd.Process.Signal(os.Interrupt)
	var log strings.Builder
	waitFor("log of the first interrupt", func() bool {
		for {
			select {
			case s := <-logged:
				log.WriteString(s)
				continue
			default:
			}
			return strings.Contains(log.String(), "finishing requests in flight")
		}
	})
	cmd.Process.Signal(os.Interrupt)
	exited := make(chan error, 1)
	go func() {
		for s := range logged {
			log.WriteString(s)
		}
		exited <- cmd.Wait()
	}()
	select {
	case <-exited:
	case <-time.After(time.Minute):
		t.Fatal("the second Ctrl-C did not end the crawl within a minute")
	}
	if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitInterrupted, log.String())
	}

	hang.Store(false)
	if code, _, stderr := runCLI(t, "", append([]string{"crawl", "-q"}, args[1:]...)...); code != exitOK {
		t.Fatalf("resumed crawl: exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "out.jsonl")); !strings.Contains(string(b), "/a.html") {
		t.Errorf("the resumed crawl did not write the page's record:\n%s", b)
	}
}

// TestCrawlOutKinds gives crawl a FIFO for --out and a symbolic link for
// --errors: the FIFO's reader gets the records, the link's target the
// failures, and both stay what they are.
func TestCrawlOutKinds(t *testing.T) {
	s := crawltest.New(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := os.Symlink("real-errors.jsonl", filepath.Join(dir, "errors.jsonl")); err != nil {
		t.Fatal(err)
	}
	got := readFIFO(fifo)
	args := append([]string{"crawl", "-q", "--ignore-robots", "--depth", "0", "--retries", "0", "--out", fifo, "--errors", filepath.Join(dir, "errors.jsonl")}, fastFlags...)
	code, _, stderr := runCLI(t, "", append(args, s.URL+"/private/members-only-story", s.URL+"/broken/404")...)
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Fatalf("the FIFO was replaced") // its reader waits forever
	}
	if code != exitOK {
		t.Errorf("exit %d: %s", code, stderr)
	}
	if s := <-got; !strings.Contains(s, "members-only-story") {
		t.Errorf("the FIFO's reader got %q", s)
	}
	if fi, err := os.Lstat(filepath.Join(dir, "errors.jsonl")); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the --errors link was replaced")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "real-errors.jsonl")); !strings.Contains(string(b), "/broken/404") {
		t.Errorf("the link's target holds %q", b)
	}
}

// readFIFO opens the named pipe for reading, as its consumer would, and
// sends all it read (or the open error) once the writer closes it.
func readFIFO(fifo string) <-chan string {
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
	return got
}
