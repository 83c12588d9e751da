package extract

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// datelineCases are story openings with the dateline parseDateline must
// find (nil for none), for a story published in April 2024.
var datelineCases = []struct {
	text string
	want *Dateline
}{
	{"SEOUL, March 25 (Yonhap) -- A senior North Korean official said on Monday",
		&Dateline{Place: "SEOUL", Date: "2024-03-25", Agency: "Yonhap", Raw: "SEOUL, March 25 (Yonhap) --"}},
	{"Seoul, March 25 A senior North Korean official said on Monday",
		&Dateline{Place: "Seoul", Date: "2024-03-25", Raw: "Seoul, March 25"}},
	{"TALLAHASSEE, Fla. (AP) — Florida State sued the conference on Friday",
		&Dateline{Place: "TALLAHASSEE, Fla.", Agency: "AP", Raw: "TALLAHASSEE, Fla. (AP) —"}},
	{"NEW DELHI: The government on Monday announced",
		&Dateline{Place: "NEW DELHI", Raw: "NEW DELHI:"}},
	{"LONDON (Reuters) - British inflation fell",
		&Dateline{Place: "LONDON", Agency: "Reuters", Raw: "LONDON (Reuters) -"}},
	{"WASHINGTON — The Senate voted",
		&Dateline{Place: "WASHINGTON", Raw: "WASHINGTON —"}},
	{"ATLANTA -- Federal officials warned",
		&Dateline{Place: "ATLANTA", Raw: "ATLANTA --"}},
	{"BEIJING, March 25 (Xinhua) -- China's exports rose",
		&Dateline{Place: "BEIJING", Date: "2024-03-25", Agency: "Xinhua", Raw: "BEIJING, March 25 (Xinhua) --"}},
	{"New Delhi, Mar 25 (PTI) The opposition on Monday",
		&Dateline{Place: "New Delhi", Date: "2024-03-25", Agency: "PTI", Raw: "New Delhi, Mar 25 (PTI)"}},
	{"PARIS (AFP) – France's president said",
		&Dateline{Place: "PARIS", Agency: "AFP", Raw: "PARIS (AFP) –"}},
	{"BERLIN (dpa) - Die Regierung hat",
		&Dateline{Place: "BERLIN", Agency: "dpa", Raw: "BERLIN (dpa) -"}},
	{"Berlin, 25. März (dpa) - Die Regierung hat",
		&Dateline{Place: "Berlin", Date: "2024-03-25", Agency: "dpa", Raw: "Berlin, 25. März (dpa) -"}},
	{"KYIV, Ukraine (AP) — Russian forces struck",
		&Dateline{Place: "KYIV, Ukraine", Agency: "AP", Raw: "KYIV, Ukraine (AP) —"}},
	{"UNITED NATIONS (AP) — The Security Council voted",
		&Dateline{Place: "UNITED NATIONS", Agency: "AP", Raw: "UNITED NATIONS (AP) —"}},
	{"SAN JUAN, Puerto Rico — Officials said",
		&Dateline{Place: "SAN JUAN, Puerto Rico", Raw: "SAN JUAN, Puerto Rico —"}},
	{"Islamabad, March 25\nPakistan's government said",
		&Dateline{Place: "Islamabad", Date: "2024-03-25", Raw: "Islamabad, March 25"}},
	{"Islamabad, March 25 (IANS) Pakistan's government said",
		&Dateline{Place: "Islamabad", Date: "2024-03-25", Agency: "IANS", Raw: "Islamabad, March 25 (IANS)"}},
	{"NEW YORK, March 25, 2022 /PRNewswire/ -- Acme Corp. today announced",
		&Dateline{Place: "NEW YORK", Date: "2022-03-25", Agency: "PRNewswire", Raw: "NEW YORK, March 25, 2022 /PRNewswire/ --"}},
	{"NEW YORK--(BUSINESS WIRE)--Acme Corp. today announced",
		&Dateline{Place: "NEW YORK", Agency: "Business Wire", Raw: "NEW YORK--(BUSINESS WIRE)--"}},
	{"CLEAR LAKE, Iowa, Dec 23 (Reuters) - The candidate has risen",
		&Dateline{Place: "CLEAR LAKE, Iowa", Date: "2023-12-23", Agency: "Reuters", Raw: "CLEAR LAKE, Iowa, Dec 23 (Reuters) -"}},
	{"Seoul, Dec. 30 (Yonhap) -- Exports rose",
		&Dateline{Place: "Seoul", Date: "2023-12-30", Agency: "Yonhap", Raw: "Seoul, Dec. 30 (Yonhap) --"}},
	{"RAFAH, Gaza Strip (AP) — More than 20 people",
		&Dateline{Place: "RAFAH, Gaza Strip", Agency: "AP", Raw: "RAFAH, Gaza Strip (AP) —"}},
	{"ST. LOUIS — A police chase ended",
		&Dateline{Place: "ST. LOUIS", Raw: "ST. LOUIS —"}},
	{"Santa Barbara, California—Reclusive and shy, the physicist",
		&Dateline{Place: "Santa Barbara, California", Raw: "Santa Barbara, California—"}},
	{"United Nations – The Security Council voted",
		&Dateline{Place: "United Nations", Raw: "United Nations –"}},
	{"CLEVELAND, Ohio — Imagine if",
		&Dateline{Place: "CLEVELAND, Ohio", Raw: "CLEVELAND, Ohio —"}},
	{"Rio de Janeiro, March 25 (EFE) - Brazil said",
		&Dateline{Place: "Rio de Janeiro", Date: "2024-03-25", Agency: "EFE", Raw: "Rio de Janeiro, March 25 (EFE) -"}},
	{"THE HAGUE, Netherlands (AP) — The court ruled",
		&Dateline{Place: "THE HAGUE, Netherlands", Agency: "AP", Raw: "THE HAGUE, Netherlands (AP) —"}},
	{"CNN — A jury found", nil},
	{"BBC: A jury found", nil},
	{"NEW YORK (CNN) — A jury found",
		&Dateline{Place: "NEW YORK", Raw: "NEW YORK (CNN) —"}},
	{"WASHINGTON, Feb. 29 (Reuters) - The Senate",
		&Dateline{Place: "WASHINGTON", Date: "2024-02-29", Agency: "Reuters", Raw: "WASHINGTON, Feb. 29 (Reuters) -"}},
	{"  \n LONDON (Reuters) - Shares fell",
		&Dateline{Place: "LONDON", Agency: "Reuters", Raw: "LONDON (Reuters) -"}},
	{"MOSCOW, March 25. /TASS/. The Kremlin said",
		&Dateline{Place: "MOSCOW", Date: "2024-03-25", Agency: "TASS", Raw: "MOSCOW, March 25. /TASS/."}},
	{"Madrid, 25 mar (EFE).- El Gobierno aprobó",
		&Dateline{Place: "Madrid", Date: "2024-03-25", Agency: "EFE", Raw: "Madrid, 25 mar (EFE).-"}},
	{"Paris, 25 mars 2024 (AFP) - Le gouvernement",
		&Dateline{Place: "Paris", Date: "2024-03-25", Agency: "AFP", Raw: "Paris, 25 mars 2024 (AFP) -"}},
	{"ROMA, 25 MAR - Il governo",
		&Dateline{Place: "ROMA", Date: "2024-03-25", Raw: "ROMA, 25 MAR -"}},
	{"SHANGHAI: Chinese police said",
		&Dateline{Place: "SHANGHAI", Raw: "SHANGHAI:"}},

	// Not datelines.
	{"However, the minister said", nil},
	{"In 2024, prices rose", nil},
	{"The President (Joe Biden) said", nil},
	{"Update: the story was changed", nil},
	{"UPDATE: The story was changed", nil},
	{"Editor's note: This story", nil},
	{"EDITOR'S NOTE — This story", nil},
	{"WASHINGTON's new rule", nil},
	{"New York is a city", nil},
	{"Photo: Reuters", nil},
	{"Mr. Smith — who was there", nil},
	{"Dear Abby: I am a reader", nil},
	{"Sen. Jane Doe (D-Calif.) has declared", nil},
	{"Jane Doe, a founding member of The Band — formerly", nil},
	{"Exclusive: Producers tease", nil},
	{"Taylor Swift — yes, that Taylor Swift", nil},
	{"Monday, March 25, 2024 — The", nil},
	{"WATCH: Video of the storm", nil},
	{"BREAKING NEWS: A storm", nil},
	{"Paris, March 25 was the day", nil},
	{"NASA said on Monday", nil},
	{"London-based firms said", nil},
	{"“LONDON — is it?” she asked", nil},
	{"", nil},
}

// TestParseDateline checks parseDateline on datelineCases.
func TestParseDateline(t *testing.T) {
	t.Parallel()
	for _, tc := range datelineCases {
		t.Run(tc.text, func(t *testing.T) {
			t.Parallel()
			got := parseDateline(tc.text, 2024, time.April)
			switch {
			case got == nil && tc.want == nil:
			case got == nil || tc.want == nil || *got != *tc.want:
				t.Errorf("parseDateline(%q) = %+v, want %+v", tc.text, got, tc.want)
			}
		})
	}
}

// TestParseDatelineYear checks the year given to a dateline date: the
// written year, the published year, or the year before for a later month.
func TestParseDatelineYear(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text     string
		year     int
		pubMonth time.Month
		want     string
	}{
		{"SEOUL, Dec. 31 (Yonhap) -- Exports", 2024, time.January, "2023-12-31"},
		{"SEOUL, Dec. 31 (Yonhap) -- Exports", 2024, time.December, "2024-12-31"},
		{"SEOUL, Jan. 2 (Yonhap) -- Exports", 2024, time.January, "2024-01-02"},
		{"SEOUL, March 25 (Yonhap) -- Exports", 2024, 0, "2024-03-25"},
		{"SEOUL, March 25 (Yonhap) -- Exports", 0, time.April, ""},
		{"SEOUL, Feb. 29 (Yonhap) -- Exports", 2023, time.March, ""},
		{"SEOUL, Feb. 30 (Yonhap) -- Exports", 2024, time.March, ""},
		{"NEW YORK, Dec. 31, 2023 /PRNewswire/ -- Acme", 2024, time.January, "2023-12-31"},
		{"NEW YORK, March 25, 2022 /PRNewswire/ -- Acme", 0, 0, "2022-03-25"},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			t.Parallel()
			got := parseDateline(tc.text, tc.year, tc.pubMonth)
			if got == nil {
				t.Fatalf("parseDateline(%q) = nil", tc.text)
			}
			if got.Date != tc.want {
				t.Errorf("parseDateline(%q, %d, %d).Date = %q, want %q", tc.text, tc.year, tc.pubMonth, got.Date, tc.want)
			}
		})
	}
}

// FuzzParseDateline checks that parseDateline never panics and that a
// dateline is a valid-UTF-8 prefix of the text with a well-formed date and
// a known agency.
func FuzzParseDateline(f *testing.F) {
	for _, tc := range datelineCases {
		f.Add(tc.text, 2024, 4)
	}
	for _, s := range []string{"\xff", "A —", "AB (AP) —", "AB, (", "AB /x/ --", "AB--(", "AB, March 99 (AP) —",
		"AB (Reuters\xff) —", "\u00a0LONDON —", strings.Repeat("LONDON ", 80)} {
		f.Add(s, 0, 0)
	}
	agencies := canonicalAgencies()
	f.Fuzz(func(t *testing.T, text string, year, month int) {
		d := parseDateline(text, year, time.Month(month))
		if d == nil {
			return
		}
		trimmed := strings.TrimLeftFunc(text, isLeadSpace)
		if !strings.HasPrefix(trimmed, d.Raw) {
			t.Errorf("Raw %q is no prefix of %q", d.Raw, trimmed)
		}
		if d.Place == "" || !strings.HasPrefix(d.Raw, d.Place) {
			t.Errorf("Place %q is no prefix of Raw %q", d.Place, d.Raw)
		}
		for _, s := range []string{d.Place, d.Date, d.Agency, d.Raw} {
			if !utf8.ValidString(s) {
				t.Errorf("invalid UTF-8 in %+v", d)
			}
		}
		if d.Agency != "" && !agencies[d.Agency] && !strings.Contains(strings.ToLower(d.Agency), "wire") {
			t.Errorf("Agency %q is no agency", d.Agency)
		}
		if d.Date != "" {
			dt, err := time.Parse(time.DateOnly, d.Date)
			if err != nil {
				t.Fatalf("Date %q: %v", d.Date, err)
			}
			if !strings.Contains(d.Raw, dt.Format("2006")) && dt.Year() != year && dt.Year() != year-1 {
				t.Errorf("Date %q for year %d", d.Date, year)
			}
		}
		if d2 := parseDateline(text, year, time.Month(month)); d2 == nil || *d2 != *d {
			t.Errorf("parseDateline is not deterministic")
		}
	})
}
