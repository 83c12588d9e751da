package extract

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestHostileDocuments feeds pages built to break extractors. Each must
// give a clear error or a degraded record, never a panic, within a time
// and memory bound.
func TestHostileDocuments(t *testing.T) {
	t.Parallel()
	links := func(n int) []byte {
		var b bytes.Buffer
		b.WriteString("<html><body><h1>Links</h1>")
		for i := range n {
			fmt.Fprintf(&b, `<a href="/p/%d">l%d</a>`, i, i)
		}
		return b.Bytes()
	}
	deep := func(n int) []byte {
		return []byte("<html><body>" + strings.Repeat("<div>", n) + "<p>deep text</p>" + strings.Repeat("</div>", n))
	}
	garbageLD := func(n int) []byte {
		var b bytes.Buffer
		b.WriteString("<html><head>")
		for i := range n {
			fmt.Fprintf(&b, `<script type="application/ld+json">{"@type": [%d, {"x": ]]] garbage %d</script>`, i, i)
		}
		b.WriteString(`</head><body><article><h1>Headline survives garbage</h1>` + strings.Repeat("<p>Sentence of a real article that keeps going for a while. </p>", 20) + `</article></body></html>`)
		return b.Bytes()
	}
	lie := append([]byte(`<html><head><meta charset="utf-8"><title>Caf`), 0xe9, ' ', 'M', 0xfc, 'l', 'l', 'e', 'r', 0x92, 's', '<', '/', 't', 'i', 't', 'l', 'e', '>')
	lie = append(lie, []byte("</head><body><p>Die K")...)
	lie = append(lie, 0xfc)
	lie = append(lie, []byte("che des Caf")...)
	lie = append(lie, 0xe9, 0x73, ' ', 'h', 'a', 't', ' ', 'g', 'e', 0xf6, 'f', 'f', 'n', 'e', 't', '.')
	lie = append(lie, []byte("</p></body></html>")...)
	tests := []struct {
		name    string
		page    []byte
		wantErr string // substring; "" means a record (article or not)
		check   func(t *testing.T, a *Article)
	}{
		{name: "empty", page: nil, wantErr: "empty page"},
		{name: "whitespace", page: []byte(" \n\t \r\n "), wantErr: "empty page"},
		{name: "pdf", page: []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), wantErr: "a PDF document"},
		{name: "png", page: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), wantErr: "a PNG image"},
		{name: "gzip", page: []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"), wantErr: "gzip-compressed data"},
		{name: "binary", page: bytes.Repeat([]byte{0, 1, 2, 3, 0, 0, 7}, 100), wantErr: "binary data"},
		{name: "deep nesting", page: deep(100000), wantErr: "open stack of elements exceeds"},
		{name: "a million links", page: links(1000000)},
		{name: "invalid utf-8", page: []byte("<html><body><h1>Bad \xff\xfe bytes</h1><p>\xc3\x28\xa0\xa1 text</p></body></html>")},
		{name: "charset lie", page: lie, check: func(t *testing.T, a *Article) {
			// The bytes are windows-1252 whatever the meta tag says.
			if a.Headline != "Café Müller’s" || !strings.Contains(a.Body, "Küche des Cafés hat geöffnet") {
				t.Errorf("headline %q, body %q", a.Headline, a.Body)
			}
		}},
		{name: "script only", page: []byte("<script>while(true){}</script>")},
		{name: "frameset", page: []byte(`<html><frameset cols="50%,50%"><frame src="a.html"><frame src="b.html"></frameset></html>`)},
		{name: "50 garbage JSON-LD blocks", page: garbageLD(50), check: func(t *testing.T, a *Article) {
			if a.Headline != "Headline survives garbage" {
				t.Errorf("headline %q", a.Headline)
			}
		}},
		{name: "unclosed everything", page: []byte("<html><head><title>x<body><div><p><a href='")},
	}
	u, _ := url.Parse("https://hostile.test/page")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			a, err := FromBytes(tt.page, u, Options{})
			elapsed := time.Since(start)
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || a != nil {
					t.Fatalf("got %v (record %v), want error %q", err, a != nil, tt.wantErr)
				}
			case err != nil && !errors.Is(err, ErrNoArticle):
				t.Fatalf("error %v, want a record", err)
			case a == nil:
				t.Fatal("no record")
			}
			// Bounds that hold on a loaded 2-core machine: generous, they
			// catch hangs and blow-ups, not slowness.
			bound := 20 * time.Second
			if raceEnabled {
				bound *= 10
			}
			if elapsed > bound {
				t.Errorf("took %v", elapsed)
			}
			if a != nil && tt.check != nil {
				tt.check(t, a)
			}
		})
	}
}

// TestLeadImageFallback: with no image in the metadata, the first content
// image that is not a logo or avatar is the lead image.
func TestLeadImageFallback(t *testing.T) {
	t.Parallel()
	page := `<html><body><header><a href="/"><img src="/static/logo.png" alt="Site"></a></header>
<article><h1>Storm closes the harbour for three days</h1>
<img class="author-avatar" src="/img/jane.jpg" width="48">
<figure><img data-src="/media/harbour-storm.jpg" src="data:image/gif;base64,R0lGOD"><figcaption>The harbour</figcaption></figure>
` + paragraphs(6) + `</article></body></html>`
	u, _ := url.Parse("https://news.example/2024/03/25/storm")
	a, err := FromBytes([]byte(page), u, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Image != "https://news.example/media/harbour-storm.jpg" {
		t.Errorf("image = %q", a.Image)
	}
}

// paragraphs returns n distinct paragraphs of article-like text.
func paragraphs(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "<p>Paragraph %d: the harbour stayed closed while the storm passed over the coast, the port authority said on Monday.</p>", i+1)
	}
	return b.String()
}

// TestInferZone: a visible time without a zone next to a structured UTC
// time gives the page's offset.
func TestInferZone(t *testing.T) {
	t.Parallel()
	page := `<html><head><meta property="article:published_time" content="2023-12-22T22:05:00Z"></head><body><article>
<h1>Council approves the harbour budget after a long night</h1><p class="byline">By Jane Doe</p><div class="meta">Dec 22, 2023 5:05 PM</div>` + paragraphs(5) + `</article></body></html>`
	u, _ := url.Parse("https://news.example/a")
	a, err := FromBytes([]byte(page), u, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Published != "2023-12-22T17:05:00-05:00" {
		t.Errorf("published %q, want the page's own offset -05:00", a.Published)
	}
}

func TestGuessLanguage(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]string{
		"The minister said on Monday that the plan for the harbour was ready and that it would be debated in the council.": "en",
		"Der Minister sagte am Montag, dass der Plan für den Hafen fertig ist und dass er nicht mehr geändert wird.":       "de",
		"Le ministre a déclaré lundi que le plan pour le port est prêt et qu'il sera débattu dans les prochains jours.":    "fr",
		"東京都は二十五日、新しい計画を発表した。市民の生活を守るための対策が盛り込まれている。":                                                                      "ja",
		"서울시는 25일 새로운 계획을 발표했다고 밝혔다 시민들의 생활을 지키기 위한 대책이 포함되어 있다":                                                           "ko",
		"मौसम विभाग के अनुसार अगले कुछ दिनों तक बारिश की कोई संभावना नहीं है और तापमान बढ़ेगा":                             "hi",
		"Министр заявил в понедельник, что план для порта готов и будет обсуждаться в совете.":                             "ru",
		"short": "",
	} {
		if got := guessLanguage(text); got != want {
			t.Errorf("guessLanguage(%.30q) = %q, want %q", text, got, want)
		}
	}
}
