package bigsite

import (
	"fmt"
	"html"
	"math/rand/v2"
	"strings"
	"time"
)

// The site's name and the made-up words its text is built from.
const siteName = "The Lakeview Courier"

var (
	headSubjects = []string{"council", "regional board", "union leaders", "health officials", "the port authority",
		"farmers", "city planners", "the transit agency", "residents", "the school district", "investors",
		"researchers", "the coast guard", "small businesses", "the water utility", "local clubs"}
	headVerbs = []string{"back", "reject", "delay", "approve", "question", "revive", "expand", "scrap",
		"defend", "review", "fund", "challenge"}
	headObjects = []string{"plan", "deal", "proposal", "budget", "project", "reform", "study", "contract", "ban", "rules"}
	headTails   = []string{"costs climb", "winter nears", "deadline looms", "talks resume", "protests grow",
		"vote nears", "report lands", "numbers improve", "questions mount", "season opens"}
	nouns = []string{"harbour", "rail", "bridge", "library", "stadium", "orchard", "river", "market", "clinic",
		"ferry", "housing", "wind farm", "tram", "airport", "museum", "school", "broadband", "reservoir",
		"bus depot", "festival", "bike lane", "seawall", "landfill", "hospital"}
	places = []string{"lakeview", "northgate", "millbrook", "eastport", "redcliff", "ashford", "pinehurst",
		"westmere", "stonebridge", "fairhaven", "oakdale", "riverside"}
	firstNames = []string{"Ana", "Tom", "Priya", "Kwame", "Lena", "Mateo", "Sofia", "Ravi", "Hannah", "Jonas",
		"Amara", "Diego", "Mei", "Oskar", "Fatima", "Liam"}
	lastNames = []string{"Ferreira", "Okafor", "Raman", "Mensah", "Novak", "Alvarez", "Rossi", "Iyer",
		"Becker", "Lindqvist", "Diallo", "Moreno", "Chen", "Nilsson", "Haddad", "Walsh"}
	sentSubjects = []string{"Residents", "The mayor", "Local traders", "A spokesperson for the agency", "Engineers",
		"Volunteers", "Two councillors", "The regional office", "Opposition members", "A union representative",
		"Analysts at a local bank", "The project's lead architect", "Parents at the meeting", "Emergency crews",
		"The finance committee", "Neighbours on both sides of the street"}
	sentVerbs = []string{"said on Tuesday that", "warned that", "told reporters that", "argued in a letter that",
		"confirmed that", "expect that", "pointed out that", "admitted that", "insisted that",
		"wrote in a statement that", "said in an interview that", "cautioned that"}
	sentObjects = []string{"the work would start after the winter", "costs had risen by a fifth since the spring",
		"the plan needed another public hearing", "funding from the province was still uncertain",
		"the old building would be kept and repaired", "a final vote was planned for next month",
		"traffic would be diverted for at least six weeks", "the contractor had asked for more time",
		"ridership had recovered to pre-pandemic levels", "the consultation drew more than 400 written comments",
		"three options remained on the table", "the decision could still be appealed in court",
		"the grant covered only the first phase", "inspectors found no structural damage",
		"prices at the market had barely moved", "the new schedule would add two evening departures"}
	sentTails = []string{"", "", "", " according to documents seen by the Courier", " despite objections from the neighbourhood association",
		" after a long debate", " for the second time this year", " pending a review by the auditor",
		" in a split decision", " without giving further details"}
	quotes = []string{"We have waited long enough for this.", "Nobody here is against progress, but the numbers do not add up.",
		"It is a good first step, not the last one.", "We will keep asking questions until we get answers.",
		"This affects every family on the east side.", "The timetable is tight but realistic.",
		"I have lived here forty years and never seen anything like it."}
)

var css = func() string {
	var b strings.Builder
	b.WriteString("<style>")
	for k := range 60 {
		fmt.Fprintf(&b, ".c%d{margin:%dpx %dpx;padding:%dpx;font-size:%d.%dpx;color:#%06x}\n", k, k%7, k%5, k%9, 12+k%8, k%10, (uint32(k)*2654435761)&0xffffff)
	}
	b.WriteString("body{font-family:Georgia,serif;max-width:72rem;margin:0 auto}nav ul{display:flex;gap:1rem}footer{font-size:.8rem}</style>")
	return b.String()
}()

func (s *Site) header() string {
	var b strings.Builder
	b.WriteString(`<header class="site-header"><a class="logo" href="/">` + siteName + `</a>
<div class="top-bar"><a href="/newsletters/">Newsletters</a> <a href="/podcasts/">Podcasts</a> <a href="https://shop.lakeview-courier.example/">Shop</a> <a href="https://subscribe.lakeview-courier.example/">Subscribe</a> <a href="https://accounts.lakeview-courier.example/login">Log in</a></div>
<nav class="main-nav" aria-label="Sections"><ul>`)
	for _, sec := range s.sections {
		fmt.Fprintf(&b, `<li class="nav-item"><a class="nav-link" href="/%s/">%s</a></li>`, sec, strings.ToUpper(sec[:1])+sec[1:])
	}
	b.WriteString(`</ul></nav><form class="search" action="/search" method="get"><input type="search" name="q" placeholder="Search the Courier"><button>Search</button></form></header>`)
	return b.String()
}

func (s *Site) footer() string {
	var b strings.Builder
	b.WriteString(`<footer class="site-footer"><div class="footer-sections"><h2>Sections</h2><ul>`)
	for _, sec := range s.sections {
		fmt.Fprintf(&b, `<li><a href="/%s/">%s</a></li>`, sec, sec)
	}
	b.WriteString(`</ul></div><div class="footer-company"><h2>Company</h2><ul><li><a href="/about/">About us</a></li><li><a href="/contact/">Contact the newsroom</a></li>
<li><a href="https://careers.lakeview-courier.example/">Careers</a></li><li><a href="https://ads.lakeview-courier.example/">Advertise</a></li><li><a href="https://lakeview-courier.example/terms">Terms of use</a></li>
<li><a href="https://lakeview-courier.example/privacy">Privacy policy</a></li><li><a href="https://lakeview-courier.example/cookies">Cookie settings</a></li></ul></div>
<div class="footer-social"><a href="https://social.example/lakeviewcourier">Follow us</a> <a href="https://video.example/lakeviewcourier">Watch</a> <a href="https://photos.example/lakeviewcourier">Photos</a></div>
<p class="copyright">© 2026 Lakeview Courier Media. All rights reserved. Made-up text for testing.</p></footer>`)
	return b.String()
}

// script is a page-data blob like a site framework's, n bytes or so.
func script(r *rand.Rand, n int) string {
	var b strings.Builder
	b.WriteString(`<script id="__PAGE_DATA__" type="application/json">{"ads":[`)
	for k := 0; b.Len() < n; k++ {
		if k > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"slot":"div-gpt-%d","sizes":[[300,250],[728,90]],"targeting":{"pos":"%d","kw":"%s","seg":"%08x"}}`, k, k%4, pick(r, nouns), r.Uint32())
	}
	b.WriteString(`]}</script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());gtag('config','G-FAKE0000');</script>`)
	return b.String()
}

func sentence(r *rand.Rand) string {
	return fmt.Sprintf("%s %s %s%s.", pick(r, sentSubjects), pick(r, sentVerbs), pick(r, sentObjects), pick(r, sentTails))
}

func (s *Site) head(title, canonical, desc, extra string) string {
	return fmt.Sprintf(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title><meta name="description" content="%s"><link rel="canonical" href="%s">
<meta property="og:site_name" content="%s"><meta property="og:title" content="%s"><meta property="og:url" content="%s">
<link rel="preconnect" href="https://cdn.lakeview-courier.example"><link rel="icon" href="/favicon.ico">%s%s</head>`,
		html.EscapeString(title), html.EscapeString(desc), canonical, siteName, html.EscapeString(title), canonical, extra, css)
}

// articlePage renders an article in one of four templates. With amp, the
// page is its AMP copy, whose canonical link is the original.
func (s *Site) articlePage(a Article, canonical string, amp bool) string {
	r := s.rng(a.I, 1)
	hl := html.EscapeString(a.Headline)
	pub := a.Date.Format(time.RFC3339)
	desc := sentence(r)
	tmpl := a.I % 4
	var extra string
	switch tmpl {
	case 0:
		extra = fmt.Sprintf(`<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":%q,"datePublished":%q,"dateModified":%q,"author":{"@type":"Person","name":%q},"publisher":{"@type":"Organization","name":%q},"mainEntityOfPage":%q}</script>`,
			a.Headline, pub, a.Date.Add(90*time.Minute).Format(time.RFC3339), a.Author, siteName, canonical)
	case 1, 3:
		extra = fmt.Sprintf(`<meta property="og:type" content="article"><meta property="article:published_time" content="%s"><meta property="article:section" content="%s"><meta name="author" content="%s">`, pub, a.Section, a.Author)
	}
	var b strings.Builder
	b.Grow(48 << 10)
	b.WriteString(s.head(a.Headline+" | "+siteName, canonical, desc, extra))
	b.WriteString(`<body class="article-page">`)
	b.WriteString(s.header())
	fmt.Fprintf(&b, `<div class="breadcrumbs"><a href="/">Home</a> › <a href="/%s/">%s</a></div>`, a.Section, a.Section)
	switch tmpl {
	case 2:
		fmt.Fprintf(&b, `<main><article itemscope itemtype="https://schema.org/NewsArticle"><h1 itemprop="headline">%s</h1>
<p class="byline">By <span itemprop="author">%s</span> · <time itemprop="datePublished" datetime="%s">%s</time></p>`, hl, a.Author, pub, a.Date.Format("January 2, 2006, 3:04 PM"))
	default:
		fmt.Fprintf(&b, `<main><article class="story"><h1 class="headline">%s</h1>
<div class="meta"><span class="byline">By %s</span> <time datetime="%s">%s</time></div>`, hl, a.Author, pub, a.Date.Format("Jan. 2, 2006"))
	}
	fmt.Fprintf(&b, `<figure class="lead"><img src="https://cdn.lakeview-courier.example/img/%07d.jpg" alt="%s" width="1200" height="675"><figcaption>%s (Photo: %s)</figcaption></figure>`,
		a.I, pick(r, nouns), html.EscapeString(sentence(r)), pick(r, lastNames))
	b.WriteString(`<div class="story-body" itemprop="articleBody">`)
	paras := 8 + r.IntN(20)
	fmt.Fprintf(&b, "<p>%s, %s — %s %s</p>\n", strings.ToUpper(pick(r, places)), a.Date.Format("Jan. 2"), sentence(r), sentence(r))
	for p := range paras {
		b.WriteString("<p>")
		for range 3 + r.IntN(4) {
			b.WriteString(sentence(r))
			b.WriteByte(' ')
		}
		b.WriteString("</p>\n")
		if p%5 == 2 {
			fmt.Fprintf(&b, "<p>“%s” said %s %s.</p>\n", pick(r, quotes), pick(r, firstNames), pick(r, lastNames))
		}
		if p == paras/2 {
			o := s.Article((a.I + 1 + r.IntN(50)) % s.opts.Articles)
			fmt.Fprintf(&b, `<aside class="inline-promo"><h3>Read more</h3><a href="%s">%s</a></aside><div class="ad-slot" id="div-gpt-mid"></div>`+"\n", o.Path, html.EscapeString(o.Headline))
		}
	}
	b.WriteString(`</div><div class="tags">`)
	for range 3 {
		t := pick(r, nouns)
		fmt.Fprintf(&b, `<a rel="tag" href="/topics/%s">%s</a> `, strings.ReplaceAll(t, " ", "-"), t)
	}
	b.WriteString(`</div><div class="share"><a href="https://social.example/share">Share</a> <a href="mailto:?subject=story">Email</a></div></article>`)
	b.WriteString(`<aside class="related"><h2>More from the Courier</h2><ul>`)
	for k := range 6 {
		o := s.Article((a.I + 7 + k*13 + r.IntN(40)) % s.opts.Articles)
		href := o.Path
		if k == 0 {
			href += "?utm_source=related&utm_medium=web"
		}
		fmt.Fprintf(&b, `<li><a href="%s">%s</a> <span class="when">%s</span></li>`, href, html.EscapeString(o.Headline), o.Date.Format("Jan. 2"))
	}
	b.WriteString(`</ul></aside><aside class="most-read"><h2>Most read</h2><ol>`)
	for k := range 5 {
		o := s.Article((k * 31) % s.opts.Articles)
		fmt.Fprintf(&b, `<li><a href="%s">%s</a></li>`, o.Path, html.EscapeString(o.Headline))
	}
	b.WriteString(`</ol></aside></main>`)
	b.WriteString(s.footer())
	b.WriteString(script(r, 4<<10+r.IntN(20<<10)))
	if amp {
		b.WriteString(`<script async src="https://cdn.ampproject.example/v0.js"></script>`)
	}
	b.WriteString("</body></html>")
	return b.String()
}

// listPage renders an index page.
func (s *Site) listPage(title, canonical string, links []string, heads []string, pager string) string {
	var b strings.Builder
	b.WriteString(s.head(title+" | "+siteName, canonical, "The latest from "+siteName, `<meta property="og:type" content="website">`))
	b.WriteString(`<body class="index-page">`)
	b.WriteString(s.header())
	fmt.Fprintf(&b, `<main><h1>%s</h1><ul class="story-list">`, html.EscapeString(title))
	for k, l := range links {
		fmt.Fprintf(&b, `<li class="teaser"><a href="%s">%s</a></li>`+"\n", html.EscapeString(l), html.EscapeString(heads[k]))
	}
	b.WriteString("</ul>")
	b.WriteString(pager)
	b.WriteString("</main>")
	b.WriteString(s.footer())
	b.WriteString("</body></html>")
	return b.String()
}

func (s *Site) home() string {
	var links, heads []string
	for i := range min(30, s.opts.Articles) {
		a := s.Article(i)
		links = append(links, a.Path+"?utm_source=home&utm_medium=web#top")
		heads = append(heads, a.Headline)
	}
	for _, p := range []string{"/about/", "/contact/", "/newsletters/", "/podcasts/"} {
		links = append(links, p)
		heads = append(heads, strings.Trim(p, "/"))
	}
	return s.listPage(siteName, "/", links, heads, "")
}

func (s *Site) plainPage(name string) string {
	return s.listPage(strings.ToUpper(name[:1])+name[1:], "/"+name+"/", []string{"/"}, []string{"Home"}, "")
}

// indexPage renders page `page` (from 1) of section sec: its articles,
// newest first, then a pager naming every page of the section.
func (s *Site) indexPage(sec, page int) string {
	n := len(s.sections)
	var links, heads []string
	for k := (page - 1) * perPage; k < page*perPage; k++ {
		i := sec + k*n
		if i >= s.opts.Articles {
			break
		}
		a := s.Article(i)
		links = append(links, a.Path) // a Moved article's old URL, which redirects
		heads = append(heads, a.Headline)
		if s.opts.AMP && i%10 == 3 && s.Fault(i) == None {
			links = append(links, "/amp"+a.Path)
			heads = append(heads, a.Headline+" (AMP)")
		}
	}
	var pager strings.Builder
	pager.WriteString(`<nav class="pager">`)
	name := s.sections[sec]
	for p := 1; p <= s.sectionPages(sec); p++ {
		href := fmt.Sprintf("/%s/page/%d", name, p)
		if p == 1 {
			href = "/" + name + "/"
		}
		fmt.Fprintf(&pager, `<a href="%s">%d</a> `, href, p)
	}
	pager.WriteString("</nav>")
	canonical := "/" + name + "/"
	if page > 1 {
		canonical = fmt.Sprintf("/%s/page/%d", name, page)
	}
	return s.listPage(strings.ToUpper(name[:1])+name[1:]+" news", canonical, links, heads, pager.String())
}

// topicPage lists a few articles under a tag.
func (s *Site) topicPage(topic string) string {
	var links, heads []string
	h := 0
	for _, c := range topic {
		h = h*31 + int(c)
	}
	for k := range 20 {
		a := s.Article((h&0xffff + k*97) % s.opts.Articles)
		links = append(links, a.Path)
		heads = append(heads, a.Headline)
	}
	return s.listPage("Topic: "+topic, "/topics/"+topic, links, heads, "")
}
