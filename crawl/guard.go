package crawl

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"sync"

	"golang.org/x/net/http/httpproxy"
)

// ErrPrivateAddress means a crawled link (or a redirect) led to an
// address that is not on the public internet (loopback, private,
// link-local with the cloud metadata services, shared, reserved or
// special-purpose; see specialPurpose) and that no seed is on. The
// crawler never connects there, directly or through a proxy: a page on
// the public web must not make newsx probe the network it runs in.
var ErrPrivateAddress = errors.New("refusing a non-public address")

// addrGuard decides which addresses the crawler may connect to, and
// which targets it may hand to a proxy: every public address, and the
// non-public address and port pairs the seeds themselves are on (a crawl
// of an intranet site, or of a test server on loopback). The proxy from
// the environment may be on a non-public address, for the connection to
// the proxy only: a link to the proxy's address and port is refused.
type addrGuard struct {
	mu      sync.Mutex
	allowed map[netip.AddrPort]bool // the seeds'
	proxies map[netip.AddrPort]bool // the proxies', when not public
	lookup  func(ctx context.Context, host string) ([]netip.Addr, error)
	// proxy picks the proxy for a request URL (nil, nil: none); nil
	// when no proxy was set up.
	proxy func(*url.URL) (*url.URL, error)
}

// newAddrGuard returns a guard using the system resolver, or lookup when
// it is not nil.
func newAddrGuard(lookup func(ctx context.Context, host string) ([]netip.Addr, error)) *addrGuard {
	if lookup == nil {
		lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	return &addrGuard{allowed: map[netip.AddrPort]bool{}, proxies: map[netip.AddrPort]bool{}, lookup: lookup}
}

// defaultPort is the port a URL's scheme implies: 80 for http, 443 for
// https, 1080 for a socks5 proxy.
func defaultPort(u *url.URL) uint16 {
	if p, err := strconv.ParseUint(u.Port(), 10, 16); err == nil {
		return uint16(p)
	}
	switch u.Scheme {
	case "https":
		return 443
	case "socks5", "socks5h":
		return 1080
	}
	return 80
}

// allowURL allows the non-public addresses a seed's host resolves to
// now, on its port. The standard ports 80 and 443 go together, so that a
// site on a private address may redirect from http to https. Resolution
// errors are ignored: the fetch reports them.
func (g *addrGuard) allowURL(ctx context.Context, u *url.URL) {
	ports := []uint16{defaultPort(u)}
	if ports[0] == 80 || ports[0] == 443 {
		ports = []uint16{80, 443}
	}
	g.allow(ctx, g.allowed, u.Hostname(), ports)
}

// allow adds the non-public addresses host resolves to, on ports, to set.
func (g *addrGuard) allow(ctx context.Context, set map[netip.AddrPort]bool, host string, ports []uint16) {
	addrs, err := g.resolve(ctx, host)
	if err != nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, a := range addrs {
		if !isPublic(a) {
			for _, p := range ports {
				set[netip.AddrPortFrom(a, p)] = true
			}
		}
	}
}

// useEnvProxy makes the guard pick proxies as HTTP_PROXY, HTTPS_PROXY
// and NO_PROXY (or their lower-case forms) say, read now, and allows the
// proxies' own addresses, which may well be on loopback or a private
// network.
func (g *addrGuard) useEnvProxy(ctx context.Context) {
	g.proxy = httpproxy.FromEnvironment().ProxyFunc()
	for _, scheme := range []string{"http", "https"} {
		// A name under .invalid is never excluded by NO_PROXY unless
		// everything is.
		if px, err := g.proxy(&url.URL{Scheme: scheme, Host: "proxy-check.invalid"}); err == nil && px != nil {
			g.allow(ctx, g.proxies, px.Hostname(), []uint16{defaultPort(px)})
		}
	}
}

// proxyFor is the http.Transport.Proxy function: the proxy for req, once
// the target's addresses are checked. A proxy connects wherever it is
// asked to, so every address the target resolves to must be public or a
// seed's; the proxy resolves the name again itself. A request that goes
// direct is checked when dialing (dialContext), and here only against
// the proxies' own addresses, which the dial allows.
func (g *addrGuard) proxyFor(req *http.Request) (*url.URL, error) {
	if g.proxy == nil {
		return nil, nil
	}
	px, err := g.proxy(req.URL)
	if err != nil || (px == nil && len(g.proxies) == 0) {
		return px, err
	}
	host := req.URL.Hostname()
	addrs, err := g.resolve(req.Context(), host)
	if err != nil {
		return nil, fmt.Errorf("resolve %s before sending it to the proxy: %w", host, err)
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("%s: no address", host)
	}
	port := defaultPort(req.URL)
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, a := range addrs {
		ap := netip.AddrPortFrom(a, port)
		if px == nil && g.proxies[ap] && !g.allowed[ap] ||
			px != nil && !isPublic(a) && !g.allowed[ap] {
			return nil, fmt.Errorf("%w: %s resolves to %v", ErrPrivateAddress, host, addrs)
		}
	}
	return px, nil
}

// resolve returns host's addresses; an IP literal is its own address.
func (g *addrGuard) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a.Unmap()}, nil
	}
	addrs, err := g.lookup(ctx, host)
	for i := range addrs {
		addrs[i] = addrs[i].Unmap()
	}
	return addrs, err
}

// permits reports whether the crawler may connect to a on port: a
// public address, a seed's, or a proxy's.
func (g *addrGuard) permits(a netip.Addr, port uint16) bool {
	if isPublic(a) {
		return true
	}
	ap := netip.AddrPortFrom(a.Unmap(), port)
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.allowed[ap] || g.proxies[ap]
}

// dialContext wraps a dialer: it resolves the host itself, checks every
// address and connects only to permitted ones, so that the check covers
// redirects and DNS answers, not just the names in links.
func (g *addrGuard) dialContext(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, portStr, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		port, err := strconv.ParseUint(portStr, 10, 16)
		if err != nil {
			return nil, fmt.Errorf("dial %s: bad port", addr)
		}
		addrs, err := g.resolve(ctx, host)
		if err != nil {
			return nil, err
		}
		var lastErr error
		refused := 0
		for _, a := range addrs {
			if !g.permits(a, uint16(port)) {
				refused++
				continue
			}
			c, err := d.DialContext(ctx, network, net.JoinHostPort(a.String(), portStr))
			if err == nil {
				return c, nil
			}
			lastErr = err
		}
		if lastErr != nil {
			return nil, lastErr
		}
		if refused > 0 {
			return nil, fmt.Errorf("%w: %s resolves to %v", ErrPrivateAddress, host, addrs)
		}
		return nil, fmt.Errorf("%s: no address", host)
	}
}

// specialPurpose are the address blocks the crawler refuses: those of
// the IANA IPv4 and IPv6 Special-Purpose Address Registries that are not
// globally reachable (or not applicable), the multicast blocks, and the
// deprecated IPv6 site-local block. Two blocks go further than the
// registries: all of 192.0.0.0/24 and 2001::/23 are refused, though a few
// addresses in them are marked reachable, because those are anycast
// services (PCP, TURN, AMT, AS112 DNS) and identifiers, never web sites;
// and the NAT64 prefix 64:ff9b::/96 is refused because through it an
// IPv4 address is reached by a translator the crawler cannot see past.
// The IPv6 forms that carry an IPv4 address (IPv4-compatible, NAT64,
// 6to4, Teredo) are refused whole; an IPv4-mapped address
// (::ffff:a.b.c.d) is judged as the IPv4 address it carries.
var specialPurpose = []struct {
	prefix netip.Prefix
	name   string // what the block is, and its RFC
}{
	{netip.MustParsePrefix("0.0.0.0/8"), `"this network" (RFC 791)`},
	{netip.MustParsePrefix("10.0.0.0/8"), "private (RFC 1918)"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared, carrier-grade NAT (RFC 6598)"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback (RFC 1122)"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local, cloud metadata (RFC 3927)"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private (RFC 1918)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments (RFC 6890)"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation TEST-NET-1 (RFC 5737)"},
	{netip.MustParsePrefix("192.88.99.0/24"), "6to4 relay anycast, deprecated (RFC 7526)"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private (RFC 1918)"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking (RFC 2544)"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation TEST-NET-2 (RFC 5737)"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation TEST-NET-3 (RFC 5737)"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast (RFC 5771)"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved (RFC 1112)"},
	{netip.MustParsePrefix("255.255.255.255/32"), "limited broadcast (RFC 919)"},

	{netip.MustParsePrefix("::/128"), "unspecified (RFC 4291)"},
	{netip.MustParsePrefix("::1/128"), "loopback (RFC 4291)"},
	{netip.MustParsePrefix("::/96"), "IPv4-compatible, deprecated (RFC 4291)"},
	{netip.MustParsePrefix("64:ff9b::/96"), "NAT64 well-known prefix (RFC 6052)"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "NAT64 local use (RFC 8215)"},
	{netip.MustParsePrefix("100::/64"), "discard-only (RFC 6666)"},
	{netip.MustParsePrefix("100:0:0:1::/64"), "dummy prefix (RFC 9780)"},
	{netip.MustParsePrefix("2001::/23"), "IETF protocol assignments, Teredo, benchmarking, ORCHID (RFC 2928)"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation (RFC 3849)"},
	{netip.MustParsePrefix("2002::/16"), "6to4 (RFC 3056)"},
	{netip.MustParsePrefix("3fff::/20"), "documentation (RFC 9637)"},
	{netip.MustParsePrefix("5f00::/16"), "segment routing SIDs (RFC 9602)"},
	{netip.MustParsePrefix("fc00::/7"), "unique local (RFC 4193)"},
	{netip.MustParsePrefix("fe80::/10"), "link-local (RFC 4291)"},
	{netip.MustParsePrefix("fec0::/10"), "site-local, deprecated (RFC 3879)"},
	{netip.MustParsePrefix("ff00::/8"), "multicast (RFC 4291)"},
}

// isPublic reports whether a is an address the crawler may reach without
// a seed on it: valid, and in no specialPurpose block. An IPv4-mapped
// IPv6 address is judged as its IPv4 address.
func isPublic(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.Zone() != "" {
		return false
	}
	for _, r := range specialPurpose {
		if r.prefix.Contains(a) {
			return false
		}
	}
	return true
}
