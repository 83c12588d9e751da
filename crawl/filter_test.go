package crawl

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsx/newsx/crawl/crawltest"
)

func TestParseDiscover(t *testing.T) {
	tests := []struct {
		in   string
		want Discover
		bad  bool
	}{
		{"feeds,sitemaps,links", DiscoverAll, false},
		{"sitemaps", DiscoverSitemaps, false},
		{" feeds , links ", DiscoverFeeds | DiscoverLinks, false},
		{"", 0, true},
		{"rss", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseDiscover(tt.in)
		if (err != nil) != tt.bad || got != tt.want {
			t.Errorf("ParseDiscover(%q) = %v, %v; want %v (error %v)", tt.in, got, err, tt.want, tt.bad)
		}
	}
}

// fetchedPaths returns the paths the site served, robots.txt left out.
func fetchedPaths(s *crawltest.Site) []string {
	var out []string
	for p := range s.Hits() {
		if p != "/robots.txt" {
			out = append(out, p)
		}
	}
	return out
}

func TestRunIncludeExclude(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		include, exclude string
		ok               func(path string) bool // for every page fetched but the seed and sitemaps
	}{
		{"include", `/world/`, "", func(p string) bool { return strings.Contains(p, "/world/") }},
		{"exclude", "", `/(sports|business)/|/calendar/`, func(p string) bool {
			return !strings.Contains(p, "/sports/") && !strings.Contains(p, "/business/") && !strings.HasPrefix(p, "/calendar/")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := crawltest.New(t)
			cfg := fastConfig()
			if tt.include != "" {
				cfg.Include = []*regexp.Regexp{regexp.MustCompile(tt.include)}
			}
			if tt.exclude != "" {
				cfg.Exclude = []*regexp.Regexp{regexp.MustCompile(tt.exclude)}
			}
			res := crawl(t, t.Context(), cfg, []string{s.URL + "/"})
			if res.err != nil {
				t.Fatal(res.err)
			}
			if len(res.articles) == 0 {
				t.Fatal("no articles emitted")
			}
			for _, p := range fetchedPaths(s) {
				if p == "/" || strings.HasPrefix(p, "/sitemap") || p == "/feed.xml" {
					continue
				}
				if !tt.ok(p) {
					t.Errorf("fetched %s, which the filter leaves out", p)
				}
			}
		})
	}
}

func TestRunDiscover(t *testing.T) {
	t.Parallel()
	feedArticles := 20
	tests := []struct {
		name     string
		discover Discover
		never    []string // path prefixes never fetched
		fetched  []string // paths fetched
		articles int      // articles emitted, -1: any
	}{
		{"sitemaps only", DiscoverSitemaps, []string{"/world/", "/feed.xml", "/calendar/", "/amp/"}, []string{"/sitemap_index.xml"}, crawltest.Articles},
		{"feeds only", DiscoverFeeds, []string{"/world/", "/sitemap", "/calendar/", "/amp/"}, []string{"/feed.xml"}, feedArticles},
		{"links only", DiscoverLinks, []string{"/sitemap", "/feed.xml"}, []string{"/world/"}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := crawltest.New(t)
			cfg := fastConfig()
			cfg.Discover = tt.discover
			res := crawl(t, t.Context(), cfg, []string{s.URL + "/"})
			if res.err != nil {
				t.Fatal(res.err)
			}
			for _, p := range fetchedPaths(s) {
				for _, n := range tt.never {
					if strings.HasPrefix(p, n) {
						t.Errorf("fetched %s with --discover %v", p, tt.discover)
					}
				}
			}
			for _, p := range tt.fetched {
				if s.Count(p) == 0 {
					t.Errorf("%s never fetched with --discover %v", p, tt.discover)
				}
			}
			if tt.articles >= 0 && len(res.articles) != tt.articles {
				t.Errorf("%d articles emitted, want %d", len(res.articles), tt.articles)
			}
		})
	}
}

// TestRunSinceLinks: articles found by links, which carry no date, are
// fetched but not emitted when published before Since.
func TestRunSinceLinks(t *testing.T) {
	t.Parallel()
	s := crawltest.New(t)
	since := crawltest.Article(20).Date
	cfg := fastConfig()
	cfg.Since = since
	cfg.IgnoreRobots = true // no sitemaps: their entries are dated
	res := crawl(t, t.Context(), cfg, []string{s.URL + "/"})
	if res.err != nil {
		t.Fatal(res.err)
	}
	old := 0
	for i := range crawltest.Articles {
		a := crawltest.Article(i)
		if a.Date.Before(since) && s.Count(a.Path) > 0 {
			old++
		}
	}
	if old == 0 {
		t.Fatalf("no article older than since was fetched: the test tests nothing; fetched %v", fetchedPaths(s))
	}
	if len(res.articles) == 0 {
		t.Fatal("no articles emitted")
	}
	for _, a := range res.articles {
		if a.Published == "" {
			continue
		}
		p, ok := parsePublished(a.Published)
		if !ok {
			t.Fatalf("%s: published %q", a.URL, a.Published)
		}
		if p.Before(since.Truncate(24 * time.Hour)) {
			t.Errorf("%s published %s, before since %s", a.URL, a.Published, since)
		}
	}
	if res.stats.Undated != 0 {
		t.Errorf("undated %d, want 0: every fixture article is dated", res.stats.Undated)
	}
}
