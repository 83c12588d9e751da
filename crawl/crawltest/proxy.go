package crawltest

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
)

// Proxy is an HTTP forward proxy on loopback that never connects
// anywhere: it answers every proxied request with its handler itself,
// and logs the target of every request it gets, CONNECT included (which
// it refuses). Point HTTP_PROXY and HTTPS_PROXY at URL.
type Proxy struct {
	// URL is http://127.0.0.1:PORT.
	URL   string
	mu    sync.Mutex
	hosts []string
}

// NewProxy starts a Proxy answering with h, closed when the test ends.
// h sees each request as a server would, with r.Host the target's
// host[:port].
func NewProxy(t testing.TB, h http.Handler) *Proxy {
	t.Helper()
	p := &Proxy{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.hosts = append(p.hosts, r.Host)
		p.mu.Unlock()
		if r.Method == http.MethodConnect || r.URL.Host == "" {
			http.Error(w, "this proxy answers plain proxied requests only", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// Hosts returns the targets asked for so far, each once, sorted.
func (p *Proxy) Hosts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := slices.Clone(p.hosts)
	slices.Sort(out)
	return slices.Compact(out)
}

// UseProxy points HTTP_PROXY and HTTPS_PROXY (both spellings) at
// proxyURL for the test, with NO_PROXY empty.
func UseProxy(t *testing.T, proxyURL string) {
	for _, k := range []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"} {
		t.Setenv(k, proxyURL)
	}
	t.Setenv("NO_PROXY", "")
	t.Setenv("no_proxy", "")
}
