package extract

// Article is the structured record newsx extracts from one page.
//
// The JSON field names are newsx's public contract: they are snake_case and
// never change once released. Empty strings, empty lists and a nil Dateline
// mean "not found on the page"; newsx never invents a value.
type Article struct {
	// URL is the page URL the article was extracted from (after redirects).
	URL string `json:"url"`
	// Source is the input the page was read from, as the user gave it: a
	// file path, a URL, or "-" for stdin. The extract functions leave it
	// empty; newsx extract sets it, newsx crawl does not.
	Source string `json:"source"`
	// CanonicalURL is the page's own canonical URL (link rel=canonical,
	// og:url or JSON-LD url), made absolute.
	CanonicalURL string `json:"canonical_url"`
	// IsArticle reports whether the page holds an article, as opposed to a
	// section front, a search page, an error page or a page with no text.
	IsArticle bool `json:"is_article"`
	// Headline is the article's title without the site name or kicker.
	Headline string `json:"headline"`
	// Description is the page's summary (JSON-LD description,
	// og:description or meta description); when the page has none, the
	// body's first paragraph.
	Description string `json:"description"`
	// Byline is the credit line as the page shows it, such as "By IANS".
	Byline string `json:"byline"`
	// Authors lists the person names credited, cleaned of "By", roles,
	// dates and agencies; a wire agency is listed only when it is the
	// sole credit and spelled out ("By The Associated Press" gives
	// "Associated Press"). It is never nil in JSON output.
	Authors []string `json:"authors"`
	// Agency is the wire service credited by the byline or the dateline
	// (AP, Reuters, AFP, IANS, Yonhap, ...), or empty.
	Agency string `json:"agency"`
	// Dateline is the wire-style lead of the story ("SEOUL, March 25
	// (Yonhap) --"), or nil when the body does not open with one.
	Dateline *Dateline `json:"dateline"`
	// Published is the publication time in RFC 3339, in the offset the
	// page states ("2024-03-25T12:58:00+05:30"); without an offset
	// ("2024-03-25T12:58:00") when the page gives a time but no zone; the
	// day alone ("2024-03-25") when it gives no time of day. newsx never
	// invents a midnight or an offset.
	Published string `json:"published"`
	// Modified is the last update time, written as Published, or empty.
	Modified string `json:"modified"`
	// Fetched is when the page was fetched, in RFC 3339 (UTC): now for a
	// URL, the WARC-Date of a page read from a web archive; empty for a
	// file or stdin. extract never sets it and never takes Published
	// from it.
	Fetched string `json:"fetched"`
	// Section is the site section the article belongs to, such as "World".
	Section string `json:"section"`
	// Tags lists the article's keywords and topic tags in page order,
	// deduplicated case-insensitively. It is never nil in JSON output.
	Tags []string `json:"tags"`
	// Body is the article text: plain text, paragraphs separated by one
	// blank line, without headline, navigation or boilerplate.
	Body string `json:"body"`
	// Related lists the page's related-story links, absolute and
	// deduplicated, never the page itself. It is never nil in JSON output.
	Related []Link `json:"related"`
	// Image is the absolute URL of the lead image, or empty.
	Image string `json:"image"`
	// Language is the BCP 47 primary language subtag, such as "en".
	Language string `json:"language"`
	// SiteName is the publication's name, such as "The Korea Herald".
	SiteName string `json:"site_name"`
	// WordCount is the number of words in Body.
	WordCount int `json:"word_count"`
}

// Dateline is the place, date and agency a wire story opens with.
type Dateline struct {
	// Place is the place as written, such as "SEOUL" or "TALLAHASSEE, Fla.".
	Place string `json:"place"`
	// Date is the dateline's date as YYYY-MM-DD, its year taken from the
	// published date; empty when the dateline has no date.
	Date string `json:"date"`
	// Agency is the agency named inside the dateline, such as "Yonhap".
	Agency string `json:"agency"`
	// Raw is the dateline text as it appears, such as "SEOUL, March 25 (Yonhap) --".
	Raw string `json:"raw"`
}

// Link is a related-story link.
type Link struct {
	// Title is the linked story's headline.
	Title string `json:"title"`
	// URL is the absolute URL of the linked story.
	URL string `json:"url"`
}
