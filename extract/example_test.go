package extract_test

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/newsx/newsx/extract"
)

func ExampleFromReader() {
	page := `<html lang="en"><head>
<title>Harbour reopens after storm - The Example Times</title>
<meta property="og:site_name" content="The Example Times">
<meta property="article:published_time" content="2024-03-25T09:30:00+01:00">
</head><body>
<article>
<h1>Harbour reopens after storm</h1>
<p class="byline">By Jane Doe and John Smith</p>
<p>PORTSMOUTH (Reuters) - The harbour reopened on Monday after a storm closed it for three days, the port authority said.</p>
<p>Ferries resumed their timetables in the afternoon, and cargo ships that had waited offshore began to berth.</p>
<p>The authority said repairs to the outer wall would take several weeks but would not affect shipping traffic.</p>
</article>
</body></html>`
	u, _ := url.Parse("https://example.com/news/harbour")
	a, err := extract.FromReader(strings.NewReader(page), u, extract.Options{})
	if err != nil {
		fmt.Println("error:", err)
	}
	fmt.Println(a.Headline)
	fmt.Println(a.Authors, a.Agency)
	fmt.Println(a.Published)
	fmt.Println(a.Dateline.Place, a.Dateline.Agency)
	// Output:
	// Harbour reopens after storm
	// [Jane Doe John Smith] Reuters
	// 2024-03-25T09:30:00+01:00
	// PORTSMOUTH Reuters
}
