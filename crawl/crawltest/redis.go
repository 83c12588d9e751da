package crawltest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Redis is a redis-server started for one test, on a free loopback port,
// with no persistence, in the test's temporary directory.
type Redis struct {
	// URL is redis://127.0.0.1:PORT/0.
	URL  string
	Addr string
	cmd  *exec.Cmd
	done chan struct{}
	bin  string
	dir  string
}

// StartRedis starts redis-server and stops it when the test ends. When
// redis-server is not installed the test is skipped, except when the
// environment variable CI is set (.ci/run installs it), where it fails.
func StartRedis(t testing.TB) *Redis {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("redis-server not found in PATH; .ci/run installs it (apt-get install redis-server)")
		}
		t.Skip("redis-server not installed (apt-get install redis-server): skipping the Redis tests")
	}
	dir := t.TempDir()
	var lastErr error
	for range 3 { // a free port may be taken before redis-server binds it
		r, err := startRedis(bin, dir)
		if err == nil {
			t.Cleanup(r.Kill)
			return r
		}
		lastErr = err
	}
	t.Fatalf("start redis-server: %v", lastErr)
	return nil
}

func startRedis(bin, dir string) (*Redis, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	return startRedisOn(bin, dir, addr)
}

func startRedisOn(bin, dir, addr string) (*Redis, error) {
	_, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", dir, "--daemonize", "no", "--loglevel", "warning")
	var stderr strings.Builder
	cmd.Stdout = &stderr
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	r := &Redis{URL: "redis://" + addr + "/0", Addr: addr, cmd: cmd, done: make(chan struct{}), bin: bin, dir: dir}
	go func() { _ = cmd.Wait(); close(r.done) }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-r.done:
			return nil, fmt.Errorf("redis-server exited: %s", strings.TrimSpace(stderr.String()))
		default:
		}
		if ping(addr) {
			return r, nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.Kill()
	return nil, fmt.Errorf("redis-server on %s did not answer PING within 10s", addr)
}

// ping reports whether a Redis server at addr answers PING.
func ping(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return false
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && strings.HasPrefix(line, "+PONG")
}

// Kill stops the server with SIGKILL and waits for it to exit.
func (r *Redis) Kill() {
	_ = r.cmd.Process.Kill()
	<-r.done
}

// Restart starts a killed server again on the same address, empty. It
// must not run concurrently with Kill.
func (r *Redis) Restart() error {
	r.Kill()
	n, err := startRedisOn(r.bin, r.dir, r.Addr)
	if err != nil {
		return fmt.Errorf("restart redis-server: %w", err)
	}
	r.cmd, r.done = n.cmd, n.done
	return nil
}
