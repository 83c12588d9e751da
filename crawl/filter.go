package crawl

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/newsx/newsx/extract"
)

// Discover is the set of sources a crawl reads to find pages: feeds,
// sitemaps and the links of HTML pages. The zero value means all three.
type Discover uint8

const (
	// DiscoverFeeds follows the feeds a page names (<link
	// rel="alternate">) and reads their entries.
	DiscoverFeeds Discover = 1 << iota
	// DiscoverSitemaps reads the sitemaps robots.txt lists (else
	// /sitemap.xml) and the sitemaps found as links.
	DiscoverSitemaps
	// DiscoverLinks follows the links of HTML pages.
	DiscoverLinks
	// DiscoverAll is feeds, sitemaps and links.
	DiscoverAll = DiscoverFeeds | DiscoverSitemaps | DiscoverLinks
)

// ParseDiscover reads a comma-separated list of feeds, sitemaps and
// links, as --discover takes it.
func ParseDiscover(s string) (Discover, error) {
	var d Discover
	for _, w := range strings.Split(s, ",") {
		switch strings.ToLower(strings.TrimSpace(w)) {
		case "feeds", "feed":
			d |= DiscoverFeeds
		case "sitemaps", "sitemap":
			d |= DiscoverSitemaps
		case "links", "link":
			d |= DiscoverLinks
		case "":
		default:
			return 0, fmt.Errorf("%q: want feeds, sitemaps or links", strings.TrimSpace(w))
		}
	}
	if d == 0 {
		return 0, fmt.Errorf("%q: want one or more of feeds, sitemaps, links", s)
	}
	return d, nil
}

// String lists the sources, comma-separated.
func (d Discover) String() string {
	var out []string
	for _, x := range []struct {
		d    Discover
		name string
	}{{DiscoverFeeds, "feeds"}, {DiscoverSitemaps, "sitemaps"}, {DiscoverLinks, "links"}} {
		if d&x.d != 0 {
			out = append(out, x.name)
		}
	}
	return strings.Join(out, ",")
}

func (d Discover) has(x Discover) bool { return d == 0 || d&x != 0 }

// urlFilter holds --include and --exclude: a URL passes when it matches
// one Include pattern (or there are none) and no Exclude pattern.
type urlFilter struct {
	include, exclude []*regexp.Regexp
}

// allows reports whether a URL passes, and if not, why. A pattern is
// tried on the URL as it is fetched (fragment and tracking parameters
// removed) and on its normalized form (Normalize), so that /world/
// matches https://example.com/world/ though its key ends without "/".
func (f urlFilter) allows(u, key string) (bool, string) {
	for _, re := range f.exclude {
		if re.MatchString(u) || re.MatchString(key) {
			return false, "matches --exclude " + re.String()
		}
	}
	if len(f.include) == 0 {
		return true, ""
	}
	for _, re := range f.include {
		if re.MatchString(u) || re.MatchString(key) {
			return true, ""
		}
	}
	return false, "matches no --include"
}

// olderThan reports whether the article's publication time is before
// since; undated is true when it has none that parses.
func olderThan(a *extract.Article, since time.Time) (old, undated bool) {
	if a.Published == "" {
		return false, true
	}
	t, ok := parsePublished(a.Published)
	if !ok {
		return false, true
	}
	return t.Before(since), false
}

// parsePublished reads a record's published field: RFC 3339, or a date
// alone (taken as UTC midnight).
func parsePublished(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
