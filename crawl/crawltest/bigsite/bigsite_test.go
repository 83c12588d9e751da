package bigsite

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/newsx/newsx/extract"
)

// TestArticlesExtract checks that every healthy page of a small site is
// an article to the extractor, with its headline, and that pages have the
// size of real news pages.
func TestArticlesExtract(t *testing.T) {
	t.Parallel()
	s := New(Options{Articles: 200, Seed: 1})
	base := "http://site.test"
	minSize, maxSize := 1<<30, 0
	for i := range s.Len() {
		a := s.Article(i)
		if got := ID(a.Path); got != i {
			t.Fatalf("ID(%q) = %d, want %d", a.Path, got, i)
		}
		page := s.Render(i, base)
		minSize, maxSize = min(minSize, len(page)), max(maxSize, len(page))
		u, _ := url.Parse(base + a.Path)
		art, err := extract.FromBytes(page, u, extract.Options{ContentType: "text/html; charset=utf-8"})
		if err != nil || !art.IsArticle {
			t.Errorf("%s: not an article (err %v)", a.Path, err)
			continue
		}
		if art.Headline != a.Headline {
			t.Errorf("%s: headline %q, want %q", a.Path, art.Headline, a.Headline)
		}
		if i < 4 && len(art.Authors) == 0 {
			t.Errorf("%s (template %d): no author", a.Path, i%4)
		}
	}
	t.Logf("page sizes %d to %d bytes", minSize, maxSize)
	if minSize < 15<<10 || maxSize > 70<<10 {
		t.Errorf("page sizes %d to %d bytes, want about 20 to 60 KB", minSize, maxSize)
	}
}

// TestFaults checks that faults come at the asked rate, cover every kind
// and are served as described.
func TestFaults(t *testing.T) {
	t.Parallel()
	s := New(Options{Articles: 20000, FaultRate: 0.05, Seed: 3})
	count := map[Fault]int{}
	for i := range s.Len() {
		count[s.Fault(i)]++
	}
	faulty := s.Len() - count[None]
	if faulty < 900 || faulty > 1100 {
		t.Errorf("%d faulty pages of 20000 at rate 0.05", faulty)
	}
	for _, f := range Faults() {
		if count[f] < 40 {
			t.Errorf("fault %s: %d pages", f, count[f])
		}
	}

	srv := httptest.NewServer(s)
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	first := map[Fault]int{}
	for i := range s.Len() {
		f := s.Fault(i)
		if _, ok := first[f]; !ok {
			first[f] = i
		}
	}
	tests := []struct {
		f      Fault
		status []int // the statuses of two requests in turn
	}{
		{NotFound, []int{404, 404}},
		{ServerError, []int{500, 500}},
		{Flaky503, []int{503, 200}},
		{RateLimited, []int{429, 200}},
		{BrokenHTML, []int{200, 200}},
		{PrivateRedir, []int{302, 302}},
		{SchemeRedir, []int{302, 302}},
		{Moved, []int{301, 301}},
		{None, []int{200, 200}},
	}
	for _, tt := range tests {
		u := srv.URL + s.Article(first[tt.f]).Path
		for k, want := range tt.status {
			resp, err := client.Get(u)
			if err != nil {
				t.Fatalf("%s: %v", tt.f, err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("%s request %d: status %d, want %d", tt.f, k+1, resp.StatusCode, want)
			}
			if tt.f == Moved {
				if loc := resp.Header.Get("Location"); ID(loc) != first[tt.f] || !strings.HasPrefix(loc, "/moved/") {
					t.Errorf("moved to %q", loc)
				}
			}
		}
	}
	s.Reset()
	resp, err := client.Get(srv.URL + s.Article(first[Flaky503]).Path)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 {
		t.Errorf("after Reset: status %d, want 503 again", resp.StatusCode)
	}
}

// TestIndexReachesAll checks that the section pages list every article
// once and that the pager stays within the pages crawl follows.
func TestIndexReachesAll(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1000, 100000} {
		s := New(Options{Articles: n})
		seen := 0
		for k := range s.Sections() {
			if p := s.sectionPages(k); p > 25 {
				t.Errorf("N=%d: section %d has %d pages", n, k, p)
			}
			for p := 1; p <= s.sectionPages(k); p++ {
				seen += strings.Count(s.indexPage(k, p), `class="teaser"`)
			}
		}
		if seen != n {
			t.Errorf("N=%d: index pages list %d articles", n, seen)
		}
	}
}
