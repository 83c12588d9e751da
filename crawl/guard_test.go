package crawl

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/newsx/newsx/crawl/crawltest"
)

// TestIsPublic checks each block of specialPurpose by its first and last
// address, the addresses the table must cover, and public neighbours.
func TestIsPublic(t *testing.T) {
	t.Parallel()
	for _, r := range specialPurpose {
		t.Run(r.prefix.String(), func(t *testing.T) {
			t.Parallel()
			first, last := r.prefix.Masked().Addr(), lastAddr(r.prefix)
			for _, a := range []netip.Addr{first, last} {
				if isPublic(a) {
					t.Errorf("isPublic(%s) = true, want false: %s", a, r.name)
				}
				if a.Is4() {
					if m := netip.AddrFrom16(a.As16()); isPublic(m) {
						t.Errorf("isPublic(%s) = true, want false: IPv4-mapped %s", m, r.name)
					}
				}
			}
		})
	}
	for addr, want := range map[string]bool{
		"93.184.216.34": true, "2606:4700::1111": true, "8.8.8.8": true, "2a00:1450:4001::200e": true,
		"198.17.255.255": true, "198.20.0.0": true, "100.63.255.255": true, "223.255.255.255": true,
		"192.0.1.255": true, "2001:200::1": true, "2003::1": true, "::ffff:8.8.8.8": true,
		"127.0.0.1": false, "127.0.0.2": false, "::1": false, "10.1.2.3": false, "172.16.5.4": false,
		"192.168.1.1": false, "169.254.169.254": false, "100.64.0.1": false, "0.0.0.0": false, "0.1.2.3": false,
		"fd00:ec2::254": false, "fe80::1": false, "fe80::1%eth0": false, "::ffff:127.0.0.1": false,
		"::ffff:10.0.0.1": false, "::ffff:169.254.169.254": false, "224.0.0.1": false,
		// Blocks that carry IPv4 or are reserved: NAT64, 6to4, IPv4-compatible, site-local,
		// discard, documentation, benchmarking, IETF, reserved,
		// broadcast, "this network"; each carrying 169.254.169.254
		// where the form carries an IPv4 address (2001:0:... is Teredo).
		"64:ff9b::a9fe:a9fe": false, "64:ff9b:1::a9fe:a9fe": false, "2002:a9fe:a9fe::1": false,
		"::a9fe:a9fe": false, "fec0::1": false, "100::1": false, "2001:db8::1": false,
		"2001:0:4136:e378:8000:63bf:5601:5601": false, "198.18.0.1": false, "198.19.255.255": false,
		"192.0.0.8": false, "240.0.0.1": false, "255.255.255.255": false, "0.255.255.255": false,
	} {
		if got := isPublic(netip.MustParseAddr(addr)); got != want {
			t.Errorf("isPublic(%s) = %v, want %v", addr, got, want)
		}
	}
}

// lastAddr returns the highest address in p.
func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// listen returns a loopback listener that accepts and closes
// connections, and its port.
func listen(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
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
	return port
}

// TestGuardDial checks the dialer: loopback is refused until a seed is on
// it, and then only on the seed's port; a host name is judged by the
// addresses it resolves to.
func TestGuardDial(t *testing.T) {
	t.Parallel()
	port, other := listen(t), listen(t)
	g := newAddrGuard(func(ctx context.Context, host string) ([]netip.Addr, error) {
		if host == "rebind.test" {
			return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
		}
		return nil, fmt.Errorf("no such host %s", host)
	})
	dial := g.dialContext(&net.Dialer{})
	for _, host := range []string{"127.0.0.1", "rebind.test"} {
		if _, err := dial(t.Context(), "tcp", net.JoinHostPort(host, port)); !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("dial %s before any seed is there: %v, want ErrPrivateAddress", host, err)
		}
	}
	g.allowURL(t.Context(), &url.URL{Scheme: "http", Host: "127.0.0.1:" + port})
	for _, host := range []string{"127.0.0.1", "rebind.test"} {
		c, err := dial(t.Context(), "tcp", net.JoinHostPort(host, port))
		if err != nil {
			t.Errorf("dial %s once a seed is there: %v", host, err)
			continue
		}
		c.Close()
		// Another service on the seed's machine stays out of reach.
		if _, err := dial(t.Context(), "tcp", net.JoinHostPort(host, other)); !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("dial %s on a port no seed is on: %v, want ErrPrivateAddress", host, err)
		}
	}
}

// TestGuardStandardPorts: a seed on port 80 or 443 allows both, so that
// an intranet site may redirect from http to https; no other port.
func TestGuardStandardPorts(t *testing.T) {
	t.Parallel()
	a := netip.MustParseAddr("10.0.0.1")
	for _, seed := range []string{"http://10.0.0.1/", "https://10.0.0.1/", "http://10.0.0.1:443/"} {
		g := newAddrGuard(nil)
		u, _ := url.Parse(seed)
		g.allowURL(t.Context(), u)
		for port, want := range map[uint16]bool{80: true, 443: true, 8080: false, 22: false} {
			if got := g.permits(a, port); got != want {
				t.Errorf("seed %s: permits port %d = %v, want %v", seed, port, got, want)
			}
		}
	}
}

// TestCrawlRefusesSeedsOtherPort: a link from the seed's server to
// another server on the same address, on another port, is refused: a
// seed's exception covers its service, not the whole machine.
func TestCrawlRefusesSeedsOtherPort(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte("<html><body><p>another service</p></body></html>"))
	}))
	defer other.Close()
	seed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<html><body><h1>Home</h1><a href="%s/admin/">Admin</a></body></html>`, other.URL)
	}))
	defer seed.Close()
	cfg := fastConfig()
	cfg.Retries = -1
	res := crawl(t, t.Context(), cfg, []string{seed.URL + "/"})
	if res.err != nil {
		t.Fatal(res.err)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the server on the seed's address, another port, got %d requests, want none", n)
	}
	if len(res.failures) != 1 || res.failures[0].Cause != "private address" {
		t.Errorf("failures %+v, want the link refused as a private address", res.failures)
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

// privateTargets are links to addresses the crawler must never reach,
// by literal and by name (see testLookup); the proxy tests check that no
// request for them gets to the proxy.
var privateTargets = []string{
	"http://169.254.169.254/latest/meta-data/", "http://meta.test/latest/meta-data/",
	"http://10.0.0.1/a", "http://internal.test/a", "https://10.0.0.2/a", "http://198.18.0.1/a",
	"http://[64:ff9b::a9fe:a9fe]/a", "http://nat64.test/a", "http://[fec0::1]/a",
	"http://[2002:a9fe:a9fe::1]/a", "http://100.64.0.1/a", "http://240.0.0.1/a", "http://[::1]/a",
}

// testLookup resolves the test's host names without DNS: news.test is
// public, the others are not.
func testLookup(ctx context.Context, host string) ([]netip.Addr, error) {
	addrs := map[string]string{
		"news.test": "93.184.215.14", "internal.test": "10.0.0.7",
		"meta.test": "169.254.169.254", "nat64.test": "64:ff9b::a9fe:a9fe",
	}
	if a, ok := addrs[host]; ok {
		return []netip.Addr{netip.MustParseAddr(a)}, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

// TestCrawlProxyChecksTargets: with HTTP_PROXY and HTTPS_PROXY set, the
// crawler hands the proxy requests for public targets only. Links and
// redirects to private, loopback, link-local and reserved targets (the
// proxy would connect to them) are refused before the proxy sees them;
// loopback ones, which go direct, are refused at the dial.
func TestCrawlProxyChecksTargets(t *testing.T) {
	if !crawltest.LoopbackOnly(t) {
		return
	}
	var loopHits atomic.Int32
	loop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		loopHits.Add(1)
	}))
	defer loop.Close()
	var proxy *crawltest.Proxy
	links := append(slices.Clone(privateTargets), loop.URL+"/a", "/go-meta", "/go-internal", "/go-proxy", "/story")
	proxy = crawltest.NewProxy(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Host != "news.test":
			http.Error(w, "unknown host", http.StatusBadGateway)
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case r.URL.Path == "/go-meta":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/iam", http.StatusFound)
		case r.URL.Path == "/go-internal":
			http.Redirect(w, r, "http://internal.test/admin", http.StatusFound)
		case r.URL.Path == "/go-proxy":
			// The proxy itself, asked directly (loopback goes direct).
			http.Redirect(w, r, proxy.URL+"/squid-internal-mgr/info", http.StatusFound)
		case r.URL.Path == "/story":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, crawltest.PlainArticle(r.URL.Path, "Harbour plan gets a second hearing"))
		default:
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><body><h1>Home</h1>")
			for _, l := range links {
				fmt.Fprintf(w, "<a href=%q>link</a>\n", l)
			}
			fmt.Fprint(w, "</body></html>")
		}
	}))
	crawltest.UseProxy(t, proxy.URL)

	cfg := fastConfig()
	cfg.Retries = -1
	cfg.lookup = testLookup
	for _, l := range links {
		if u, err := url.Parse(l); err == nil && u.Host != "" {
			cfg.Domains = append(cfg.Domains, u.Hostname())
		}
	}
	res := crawl(t, t.Context(), cfg, []string{"http://news.test/"})
	if res.err != nil {
		t.Fatal(res.err)
	}
	if hosts := proxy.Hosts(); !slices.Equal(hosts, []string{"news.test"}) {
		t.Errorf("the proxy was asked for %v, want news.test only", hosts)
	}
	if n := loopHits.Load(); n != 0 {
		t.Errorf("the loopback server no seed is on got %d requests", n)
	}
	if got := res.paths(t); !slices.Equal(got, []string{"/story"}) {
		t.Errorf("records %v, want /story, fetched through the proxy", got)
	}
	refused := 0
	for _, f := range res.failures {
		if f.Cause == "private address" {
			refused++
		} else {
			t.Errorf("failure %+v, want private address", f)
		}
	}
	// Each target's robots.txt, the loopback server's, and the three
	// redirects.
	if want := len(privateTargets) + 1 + 3; refused != want {
		t.Errorf("%d refused as private, want %d: %+v", refused, want, res.failures)
	}
}

// TestFetchThroughProxy: Fetch uses a proxy on loopback (its address is
// allowed for the proxy) and refuses redirects to non-public targets
// before they reach it.
func TestFetchThroughProxy(t *testing.T) {
	if !crawltest.LoopbackOnly(t) {
		return
	}
	const public = "93.184.215.14"
	proxy := crawltest.NewProxy(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host != public {
			http.Error(w, "unknown host", http.StatusBadGateway)
			return
		}
		if to := r.URL.Query().Get("to"); to != "" {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, page)
	}))
	crawltest.UseProxy(t, proxy.URL)
	if _, err := Fetch(t.Context(), "http://"+public+"/story", FetchOptions{}); err != nil {
		t.Fatalf("fetch through a proxy on loopback: %v", err)
	}
	for _, to := range privateTargets {
		if u, _ := url.Parse(to); net.ParseIP(u.Hostname()) == nil {
			continue // no DNS here
		}
		_, err := Fetch(t.Context(), "http://"+public+"/go?to="+url.QueryEscape(to), FetchOptions{})
		if !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("redirect to %s: %v, want ErrPrivateAddress", to, err)
		}
	}
	if hosts := proxy.Hosts(); !slices.Equal(hosts, []string{public}) {
		t.Errorf("the proxy was asked for %v, want %s only", hosts, public)
	}
}
