package crawl

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// names returns the names of the cookies the jar sends to rawURL.
func names(j *cookieJar, rawURL string) []string {
	u, _ := url.Parse(rawURL)
	var out []string
	for _, c := range j.Cookies(u) {
		out = append(out, c.Name)
	}
	return out
}

func set(j *cookieJar, rawURL string, cookies ...*http.Cookie) {
	u, _ := url.Parse(rawURL)
	j.SetCookies(u, cookies)
}

func TestCookieJar(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	newJar := func() *cookieJar {
		j := newCookieJar()
		j.now = func() time.Time { return now }
		return j
	}
	t.Run("per host", func(t *testing.T) {
		j := newJar()
		set(j, "http://a.test/", &http.Cookie{Name: "s", Value: "1", Domain: "test"})
		if got := names(j, "http://a.test/x"); !slices.Equal(got, []string{"s"}) {
			t.Errorf("a.test gets %v", got)
		}
		for _, other := range []string{"http://b.test/", "http://www.a.test/"} {
			if got := names(j, other); len(got) != 0 {
				t.Errorf("%s gets a.test's cookies %v", other, got)
			}
		}
	})
	t.Run("count bound drops the oldest", func(t *testing.T) {
		j := newJar()
		for i := range maxCookiesPerHost + 10 {
			set(j, "http://a.test/", &http.Cookie{Name: fmt.Sprintf("c%03d", i), Value: "v"})
		}
		got := names(j, "http://a.test/")
		if len(got) != maxCookiesPerHost || got[0] != "c010" || got[len(got)-1] != fmt.Sprintf("c%03d", maxCookiesPerHost+9) {
			t.Errorf("kept %d cookies from %s to %s, want the newest %d", len(got), got[0], got[len(got)-1], maxCookiesPerHost)
		}
	})
	t.Run("size bound drops the oldest", func(t *testing.T) {
		j := newJar()
		big := strings.Repeat("x", 1000)
		for i := range 10 {
			set(j, "http://a.test/", &http.Cookie{Name: fmt.Sprint("c", i), Value: big})
		}
		set(j, "http://a.test/", &http.Cookie{Name: "huge", Value: strings.Repeat("x", maxCookieBytes)})
		got := names(j, "http://a.test/")
		if !slices.Equal(got, []string{"c6", "c7", "c8", "c9"}) {
			t.Errorf("kept %v, want the newest four of 1 KB, and not the one larger than the bound", got)
		}
	})
	t.Run("replace, delete, expire", func(t *testing.T) {
		j := newJar()
		set(j, "http://a.test/", &http.Cookie{Name: "a", Value: "1"}, &http.Cookie{Name: "b", Value: "1"},
			&http.Cookie{Name: "old", Value: "1", Expires: now.Add(-time.Hour)},
			&http.Cookie{Name: "short", Value: "1", MaxAge: 60})
		set(j, "http://a.test/", &http.Cookie{Name: "a", Value: "2"}, &http.Cookie{Name: "b", MaxAge: -1})
		if got := names(j, "http://a.test/"); !slices.Equal(got, []string{"short", "a"}) {
			t.Errorf("cookies %v, want short and the new a", got)
		}
		now = now.Add(2 * time.Minute)
		if got := names(j, "http://a.test/"); !slices.Equal(got, []string{"a"}) {
			t.Errorf("cookies %v after short's Max-Age, want a", got)
		}
	})
	t.Run("path and secure", func(t *testing.T) {
		j := newJar()
		set(j, "https://a.test/news/story", &http.Cookie{Name: "dir", Value: "1"},
			&http.Cookie{Name: "root", Value: "1", Path: "/"}, &http.Cookie{Name: "sec", Value: "1", Path: "/", Secure: true})
		for u, want := range map[string][]string{
			"https://a.test/news/other": {"dir", "root", "sec"},
			"https://a.test/newsroom":   {"root", "sec"},
			"http://a.test/news/x":      {"dir", "root"},
		} {
			if got := names(j, u); !slices.Equal(got, want) {
				t.Errorf("%s gets %v, want %v", u, got, want)
			}
		}
	})
	t.Run("host bound drops the least recent", func(t *testing.T) {
		j := newJar()
		for i := range maxCookieHosts + 1 {
			set(j, fmt.Sprintf("http://h%d.test/", i), &http.Cookie{Name: "s", Value: "1"})
		}
		if len(j.hosts) != maxCookieHosts || len(names(j, "http://h0.test/")) != 0 || len(names(j, "http://h1.test/")) != 1 {
			t.Errorf("%d hosts kept, h0 %v, h1 %v; want %d, the first dropped", len(j.hosts),
				names(j, "http://h0.test/"), names(j, "http://h1.test/"), maxCookieHosts)
		}
	})
}

// TestRunCookieFlood: a site that sets 20 new cookies with every
// response, and answers 431 when the Cookie header passes 8 KB, as
// servers do, is crawled without a failure and without the header
// growing past the jar's bound.
func TestRunCookieFlood(t *testing.T) {
	t.Parallel()
	const pages = 60
	var mu sync.Mutex
	longest, served := 0, 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := len(r.Header.Get("Cookie"))
		mu.Lock()
		longest = max(longest, n)
		served++
		id := served
		mu.Unlock()
		if n > 8<<10 {
			http.Error(w, "request header fields too large", http.StatusRequestHeaderFieldsTooLarge)
			return
		}
		for i := range 20 {
			http.SetCookie(w, &http.Cookie{Name: fmt.Sprintf("visit_%d_%d", id, i), Value: "0123456789abcdef", Path: "/"})
		}
		w.Header().Set("Content-Type", "text/html")
		switch {
		case r.URL.Path == "/robots.txt" || r.URL.Path == "/sitemap.xml":
			http.NotFound(w, r)
		case r.URL.Path == "/":
			fmt.Fprint(w, "<html><body><h1>Home</h1>")
			for i := range pages {
				fmt.Fprintf(w, `<a href="/a/%d.html">story %d</a>`, i, i)
			}
			fmt.Fprint(w, "</body></html>")
		default:
			fmt.Fprint(w, "<html><body><h1>Story</h1><p>Text.</p></body></html>")
		}
	}))
	defer srv.Close()
	cfg := fastConfig()
	cfg.Retries = -1
	cfg.EmitAll = true
	res := crawl(t, t.Context(), cfg, []string{srv.URL + "/"})
	if res.err != nil {
		t.Fatal(res.err)
	}
	if res.stats.Failed != 0 {
		t.Errorf("%d pages failed (%v), want none", res.stats.Failed, res.stats.Causes)
	}
	if len(res.articles) != pages+1 {
		t.Errorf("%d records, want %d", len(res.articles), pages+1)
	}
	mu.Lock()
	defer mu.Unlock()
	if longest > maxCookieBytes {
		t.Errorf("a Cookie header of %d bytes was sent, want at most %d", longest, maxCookieBytes)
	}
}
