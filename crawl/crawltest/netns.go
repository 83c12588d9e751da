package crawltest

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// netnsEnv names the test that a process re-executed by LoopbackOnly
// runs inside its namespace.
const netnsEnv = "NEWSX_TEST_LOOPBACK_ONLY"

// LoopbackOnly runs the calling test again, alone, in a new network
// namespace that has a loopback interface and nothing else (`unshare
// -rn`), so that no packet it sends can leave the machine: tests that
// make newsx aim at non-loopback addresses (10.0.0.1, 169.254.169.254, a
// proxy's targets) use it. It returns true in that inner run, where the
// test does its work, and false in the outer one, after the inner run
// passed (the outer test then just returns). The outer test runs in
// parallel with others; the inner one is alone in its process, so it may
// use t.Setenv. When unshare is missing or not permitted the test is
// skipped, except when the environment variable CI is set, where it
// fails.
func LoopbackOnly(t *testing.T) bool {
	t.Helper()
	if os.Getenv(netnsEnv) == t.Name() {
		if err := loopbackUp(); err != nil {
			t.Fatalf("bring up loopback in the test's network namespace: %v", err)
		}
		return true
	}
	t.Parallel()
	unshare, err := exec.LookPath("unshare")
	if err == nil {
		// A namespace that cannot be made fails here, before the test.
		err = exec.Command(unshare, "-rn", "true").Run()
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("cannot make a loopback-only network namespace (unshare -rn): %v", err)
		}
		t.Skipf("cannot make a loopback-only network namespace (unshare -rn): %v", err)
	}
	parts := strings.Split(t.Name(), "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	cmd := exec.Command(unshare, "-rn", os.Args[0], "-test.run="+strings.Join(parts, "/"), "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), netnsEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	switch {
	case err != nil:
		t.Fatalf("%s in a loopback-only namespace: %v\n%s", t.Name(), err, out)
	case strings.Contains(string(out), "--- SKIP: "+t.Name()+" "):
		t.Skipf("skipped in the loopback-only namespace:\n%s", out)
	case !strings.Contains(string(out), "--- PASS: "+t.Name()+" "):
		t.Fatalf("%s did not run in the loopback-only namespace:\n%s", t.Name(), out)
	}
	if testing.Verbose() {
		t.Logf("in a loopback-only namespace:\n%s", out)
	}
	return false
}
