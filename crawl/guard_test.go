package crawl

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
)

func TestIsPublic(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]bool{
		"93.184.216.34": true, "2606:4700::1111": true, "8.8.8.8": true,
		"127.0.0.1": false, "127.0.0.2": false, "::1": false, "10.1.2.3": false, "172.16.5.4": false,
		"192.168.1.1": false, "169.254.169.254": false, "100.64.0.1": false, "0.0.0.0": false, "0.1.2.3": false,
		"fd00:ec2::254": false, "fe80::1": false, "::ffff:127.0.0.1": false, "::ffff:10.0.0.1": false, "224.0.0.1": false,
	} {
		if got := isPublic(netip.MustParseAddr(addr)); got != want {
			t.Errorf("isPublic(%s) = %v, want %v", addr, got, want)
		}
	}
}

// TestGuardDial checks the dialer: loopback is refused until a seed is on
// it; a host name is judged by the addresses it resolves to.
func TestGuardDial(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	g := newAddrGuard()
	g.lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
		if host == "rebind.test" {
			return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
		}
		return nil, fmt.Errorf("no such host %s", host)
	}
	dial := g.dialContext(&net.Dialer{})
	for _, host := range []string{"127.0.0.1", "rebind.test"} {
		if _, err := dial(t.Context(), "tcp", net.JoinHostPort(host, port)); !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("dial %s before any seed is there: %v, want ErrPrivateAddress", host, err)
		}
	}
	g.allowHost(t.Context(), "127.0.0.1")
	for _, host := range []string{"127.0.0.1", "rebind.test"} {
		c, err := dial(t.Context(), "tcp", net.JoinHostPort(host, port))
		if err != nil {
			t.Errorf("dial %s once a seed is there: %v", host, err)
			continue
		}
		c.Close()
	}
}

// TestCrawlRefusesPrivateLinks: a page on the seed's server links to a
// server on another loopback address (in scope through --domain); the
// crawler records the link as refused and never connects to it.
func TestCrawlRefusesPrivateLinks(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.2: %v", err)
	}
	var hits atomic.Int32
	other := &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte("<html><body><p>internal</p></body></html>"))
	})}}
	other.Start()
	defer other.Close()

	seed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<html><body><h1>Home</h1><a href="%s/admin/secret-story">Internal story</a>
<a href="http://169.254.169.254/latest/meta-data/">Metadata</a></body></html>`, other.URL)
	}))
	defer seed.Close()

	cfg := fastConfig()
	cfg.Domains = []string{"127.0.0.2", "169.254.169.254"}
	cfg.Retries = -1
	res := crawl(t, t.Context(), cfg, []string{seed.URL + "/"})
	if res.err != nil {
		t.Fatal(res.err)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the server on 127.0.0.2 got %d requests, want none", n)
	}
	refused := 0
	for _, f := range res.failures {
		if f.Cause == "private address" {
			refused++
			if !strings.Contains(f.Error, "refusing a non-public address") {
				t.Errorf("failure %v", f.Error)
			}
		}
	}
	if refused != 2 {
		t.Errorf("%d links refused as private, want 2: %+v", refused, res.failures)
	}
}

// TestFetchRefusesRedirectToPrivate: the page asked for may be on
// loopback, but a redirect from it to another non-public address is
// refused before any connection.
func TestFetchRefusesRedirectToPrivate(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.2: %v", err)
	}
	var hits atomic.Int32
	inner := &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
	})}}
	inner.Start()
	defer inner.Close()
	outer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ok" {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html><body><p>fine</p></body></html>"))
			return
		}
		http.Redirect(w, r, inner.URL+"/internal", http.StatusFound)
	}))
	defer outer.Close()
	if _, err := Fetch(t.Context(), outer.URL+"/ok", FetchOptions{}); err != nil {
		t.Fatalf("the page asked for is on loopback and must be fetched: %v", err)
	}
	_, err = Fetch(t.Context(), outer.URL+"/go", FetchOptions{})
	if !errors.Is(err, ErrPrivateAddress) {
		t.Fatalf("redirect to 127.0.0.2: %v, want ErrPrivateAddress", err)
	}
	if hits.Load() != 0 {
		t.Error("the server on 127.0.0.2 was contacted")
	}
}
