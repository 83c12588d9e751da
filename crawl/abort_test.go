package crawl

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/newsx/newsx/extract"
)

// TestRunAbort cancels a crawl whose only request hangs (Timeout an
// hour), then closes Config.Abort, as a second Ctrl-C does: Run returns
// the cancellation without waiting for the request, which stays queued
// in the store, not done or failed.
func TestRunAbort(t *testing.T) {
	t.Parallel()
	asked := make(chan struct{}, 1)
	release := make(chan struct{}) // ends the request when the test fails
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		asked <- struct{}{}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	cfg := fastConfig()
	cfg.Timeout = time.Hour
	abort := make(chan struct{})
	cfg.Abort = abort
	st := NewMemoryStore()
	defer st.Close()
	cfg.Store = st
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, cfg, []string{srv.URL + "/a.html"}, func(*extract.Article) error { return nil })
	}()
	select {
	case <-asked:
	case <-time.After(time.Minute):
		t.Fatal("no request within a minute")
	}
	cancel()
	close(abort)
	var err error
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		t.Fatal("Run did not return within a minute of Abort")
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
	c, err := st.Counts()
	if err != nil {
		t.Fatal(err)
	}
	if c.Queued == 0 || c.Done != 0 || c.Failed != 0 {
		t.Errorf("store after abort: %+v, want the page queued again", c)
	}
}
