package crawl

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
)

// ErrPrivateAddress means a crawled link (or a redirect) led to a
// loopback, private, link-local, shared or cloud-metadata address that no
// seed is on. The crawler never connects there: a page on the public web
// must not make newsx probe the network it runs in.
var ErrPrivateAddress = errors.New("refusing a non-public address")

// addrGuard decides which IP addresses the crawler may connect to: every
// public address, and the non-public addresses the seeds themselves are
// on (a crawl of an intranet site, or of a test server on loopback).
type addrGuard struct {
	mu      sync.Mutex
	allowed map[netip.Addr]bool
	lookup  func(ctx context.Context, host string) ([]netip.Addr, error)
}

// newAddrGuard returns a guard using the system resolver.
func newAddrGuard() *addrGuard {
	return &addrGuard{
		allowed: make(map[netip.Addr]bool),
		lookup: func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		},
	}
}

// allowHost allows the non-public addresses host resolves to now (a seed's
// host, a proxy). Resolution errors are ignored: the fetch reports them.
func (g *addrGuard) allowHost(ctx context.Context, host string) {
	addrs, err := g.resolve(ctx, host)
	if err != nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, a := range addrs {
		if !isPublic(a) {
			g.allowed[a] = true
		}
	}
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

// permits reports whether the crawler may connect to a.
func (g *addrGuard) permits(a netip.Addr) bool {
	if isPublic(a) {
		return true
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.allowed[a]
}

// dialContext wraps a dialer: it resolves the host itself, checks every
// address and connects only to permitted ones, so that the check covers
// redirects and DNS answers, not just the names in links.
func (g *addrGuard) dialContext(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		addrs, err := g.resolve(ctx, host)
		if err != nil {
			return nil, err
		}
		var lastErr error
		refused := 0
		for _, a := range addrs {
			if !g.permits(a) {
				refused++
				continue
			}
			c, err := d.DialContext(ctx, network, net.JoinHostPort(a.String(), port))
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

// sharedAddrSpace is 100.64.0.0/10, carrier-grade NAT space, which
// netip does not count as private.
var sharedAddrSpace = netip.MustParsePrefix("100.64.0.0/10")

// isPublic reports whether a is a globally routable unicast address: not
// loopback, private (RFC 1918, fc00::/7), link-local (which holds the
// 169.254.169.254 and fe80:: metadata services), shared CGNAT space,
// multicast or unspecified.
func isPublic(a netip.Addr) bool {
	a = a.Unmap()
	switch {
	case !a.IsValid(), a.IsLoopback(), a.IsPrivate(), a.IsLinkLocalUnicast(), a.IsLinkLocalMulticast(),
		a.IsInterfaceLocalMulticast(), a.IsMulticast(), a.IsUnspecified():
		return false
	case a.Is4() && (sharedAddrSpace.Contains(a) || a.As4()[0] == 0):
		return false
	}
	return true
}
