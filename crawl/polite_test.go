package crawl

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestPoliteRobotsUnavailable: a robots.txt that cannot be read closes
// its host, as in a crawl: no page is requested, and each URL's error
// wraps ErrDisallowed and says why. A robots.txt redirected to another
// loopback port is refused by the address guard, so that port is never
// dialled.
func TestPoliteRobotsUnavailable(t *testing.T) {
	t.Parallel()
	var other atomic.Int32
	elsewhere := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.Add(1)
	}))
	tests := []struct {
		name   string
		robots http.HandlerFunc
		want   string
	}{
		{name: "5xx", robots: func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "down", http.StatusServiceUnavailable)
		}, want: "robots.txt unavailable: fetch http://"},
		{name: "redirect to a private address", robots: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere.URL+"/robots.txt", http.StatusFound)
		}, want: ErrPrivateAddress.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var pages atomic.Int32
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/robots.txt" {
					tt.robots(w, r)
					return
				}
				pages.Add(1)
				w.Write([]byte(page))
			}))
			p := NewPolite(PoliteOptions{Retries: -1, Delay: -1})
			for _, path := range []string{"/a", "/b"} {
				_, err := p.Fetch(t.Context(), srv.URL+path, FetchOptions{})
				if !errors.Is(err, ErrDisallowed) || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("%s: err %v, want ErrDisallowed and %q", path, err, tt.want)
				}
			}
			if n := pages.Load(); n != 0 {
				t.Errorf("%d pages requested from a closed host", n)
			}
		})
	}
	if n := other.Load(); n != 0 {
		t.Errorf("the redirect target got %d requests", n)
	}
}

// TestPoliteWaitCancelled: a fetch waiting for its host's Crawl-delay
// ends with ctx's error when ctx is cancelled, without a request.
func TestPoliteWaitCancelled(t *testing.T) {
	t.Parallel()
	var pages atomic.Int32
	robotsRead := make(chan struct{})
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			w.Write([]byte("User-agent: *\nCrawl-delay: 50\n"))
			close(robotsRead)
			return
		}
		pages.Add(1)
		w.Write([]byte(page))
	}))
	p := NewPolite(PoliteOptions{Delay: -1, MaxCrawlDelay: -1})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := p.Fetch(ctx, srv.URL+"/a", FetchOptions{})
		done <- err
	}()
	// The page waits 50s after robots.txt.
	<-robotsRead
	time.Sleep(10 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err %v, want context.Canceled", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Fetch still waiting 20s after its context was cancelled (Crawl-delay 50s)")
	}
	if n := pages.Load(); n != 0 {
		t.Errorf("%d pages requested", n)
	}
}
