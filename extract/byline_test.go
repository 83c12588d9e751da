package extract

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// bylineCases are credit lines as pages show them, with the authors and the
// agency parseByline must find.
var bylineCases = []struct {
	raw     string
	authors []string
	agency  string
}{
	// Credit words.
	{"By Jane Doe", []string{"Jane Doe"}, ""},
	// Page controls and a credit word alone name nobody.
	{"Text Size", nil, ""},
	{"A A A", nil, ""},
	{"Von", nil, ""},
	{"By", nil, ""},
	// Categories and affiliations after the name.
	{"By Jane Doe, in Politics, Elections", []string{"Jane Doe"}, ""},
	{"By Jane Doe, University of Oxford", []string{"Jane Doe"}, ""},
	{"by: Jane Doe", []string{"Jane Doe"}, ""},
	{"BY JANE DOE", []string{"Jane Doe"}, ""},
	{"By\u00a0 Jane Doe", []string{"Jane Doe"}, ""},
	{"Written by Jane Doe", []string{"Jane Doe"}, ""},
	{"Story by Jane Doe", []string{"Jane Doe"}, ""},
	{"Story and photos by Jane Doe", []string{"Jane Doe"}, ""},
	{"Reporting by Jane Doe; Editing by John Smith", []string{"Jane Doe"}, ""},
	{"Story by Jane Doe | Photos by John Smith", []string{"Jane Doe"}, ""},
	{"View all posts by Jane Doe", []string{"Jane Doe"}, ""},
	{"More from ... Jane Doe", []string{"Jane Doe"}, ""},
	{"From Jane Doe", []string{"Jane Doe"}, ""},
	{"Von Max Mustermann und Erika Musterfrau", []string{"Max Mustermann", "Erika Musterfrau"}, ""},
	{"Por María García y José López", []string{"María García", "José López"}, ""},
	{"Par Jean Dupont et Marie Curie", []string{"Jean Dupont", "Marie Curie"}, ""},
	{"Di Mario Rossi e Luca Bianchi", []string{"Mario Rossi", "Luca Bianchi"}, ""},
	{"Door Jan de Vries en Piet Jansen", []string{"Jan de Vries", "Piet Jansen"}, ""},
	{"Text: Max Mustermann", []string{"Max Mustermann"}, ""},
	{"Author: Jane Doe, Senior Editor", []string{"Jane Doe"}, ""},
	{"Jane Doe, National Recruiting Analyst", []string{"Jane Doe"}, ""},
	{"Jane Doe | Example.com | National Recruiting Analyst | @janedoe", []string{"Jane Doe"}, ""},
	{"Jane Doe, John Smith", []string{"Jane Doe", "John Smith"}, ""},
	{"Published By : Jane Doe", []string{"Jane Doe"}, ""},
	{"Photos by John Smith", nil, ""},
	{"Medically reviewed by Jane Doe, MD", nil, ""},

	// Dates, times and reading times glued to the credit.
	{"By IANS | Updated: March 25, 2024 12:58 IST", nil, "IANS"},
	{"John SmithMarch 25, 2024", []string{"John Smith"}, ""},
	{"Jane Doe Published 3 hours ago", []string{"Jane Doe"}, ""},
	{"Jane Doe, 2 hours ago", []string{"Jane Doe"}, ""},
	{"Jane Doe • 5 min read", []string{"Jane Doe"}, ""},
	{"By Jane Doe March 25, 2024 12:58 IST", []string{"Jane Doe"}, ""},
	{"Jane Doe on Mar. 25, 2024 at 12:58 p.m.", []string{"Jane Doe"}, ""},
	{"Jane Doe Monday, March 25, 2024", []string{"Jane Doe"}, ""},
	{"Von Max Mustermann, 25. März 2024", []string{"Max Mustermann"}, ""},
	{"March 25, 2024 by Jane Doe", []string{"Jane Doe"}, ""},
	{"Jane Doe | 4:30 PM on March 25, 2024", []string{"Jane Doe"}, ""},

	// Roles.
	{"Jane Doe, Money Reporter", []string{"Jane Doe"}, ""},
	{"John Smith - Staff Writer", []string{"John Smith"}, ""},
	{"Jane Doe, Senior Political Correspondent", []string{"Jane Doe"}, ""},
	{"Jane Doe is a reporter at The Daily Planet.", []string{"Jane Doe"}, ""},
	{"Jane Doe Political Editor", []string{"Jane Doe"}, ""},
	{"Jane Doe Senior reporter @janedoe", []string{"Jane Doe"}, ""},
	{"Jane Doe, Health and Science Reporter", []string{"Jane Doe"}, ""},
	{"Jane Doe Data and Graphics Journalist", []string{"Jane Doe"}, ""},
	{"Senior Reporter Jane Doe", []string{"Jane Doe"}, ""},
	{"Jane Doe, a reporter who covers crime", []string{"Jane Doe"}, ""},

	// Suffixes stay attached.
	{"Jane Doe, Ph.D.", []string{"Jane Doe, Ph.D."}, ""},
	{"Jane Doe, Jr.", []string{"Jane Doe, Jr."}, ""},
	{"John Smith, Jr., and Jane Doe", []string{"John Smith, Jr.", "Jane Doe"}, ""},
	{"JOHN SMITH, JR.", []string{"John Smith, Jr."}, ""},
	{"John Smith Jr.", []string{"John Smith Jr."}, ""},
	{"George T. Kent III", []string{"George T. Kent III"}, ""},

	// Outlets.
	{"By Jane Doe, USA TODAY", []string{"Jane Doe"}, ""},
	{"Jane Doe\u00a0 USA TODAY NETWORK", []string{"Jane Doe"}, ""},
	{"John Smith, CNN", []string{"John Smith"}, ""},
	{"Jane Doe CNN Business", []string{"Jane Doe"}, ""},
	{"Jane Doe / The Washington Post", []string{"Jane Doe"}, ""},
	{"Jane Doe, Washington Post", []string{"Jane Doe"}, ""},
	{"Jane Doe for The Guardian", []string{"Jane Doe"}, ""},
	{"By Jane Doe For Dailymail.Com", []string{"Jane Doe"}, ""},
	{"Jane Doe\u00a0 Springfield Courier-Post", []string{"Jane Doe"}, ""},
	{"Jane Doe, Springfield", []string{"Jane Doe"}, ""},
	{"Emily Post", []string{"Emily Post"}, ""},
	{"By\nEmily Post", []string{"Emily Post"}, ""},
	{"By Sun Times Editorial Board | Sun Times", nil, ""},
	{"Jane Doe | Springfield Post", []string{"Jane Doe"}, ""},

	// Several authors.
	{"Jane Doe and John Smith", []string{"Jane Doe", "John Smith"}, ""},
	{"Jane Doe, John Smith and Bob Lee", []string{"Jane Doe", "John Smith", "Bob Lee"}, ""},
	{"Jane Doe, John Smith, and Bob Lee", []string{"Jane Doe", "John Smith", "Bob Lee"}, ""},
	{"Jane Doe & John Smith", []string{"Jane Doe", "John Smith"}, ""},
	{"Jane Doe; John Smith", []string{"Jane Doe", "John Smith"}, ""},
	{"Jane Doe ,  John Smith ,  Bob Lee", []string{"Jane Doe", "John Smith", "Bob Lee"}, ""},
	{"Jane Doe with John Smith", []string{"Jane Doe", "John Smith"}, ""},
	{"Jane Doe and jane doe", []string{"Jane Doe"}, ""},
	{"RALPH D. ROSSI, BOB FERRIS", []string{"Ralph D. Rossi", "Bob Ferris"}, ""},

	// Agencies.
	{"By IANS", nil, "IANS"},
	{"The Associated Press", nil, "AP"},
	{"AP", nil, "AP"},
	{"Reuters", nil, "Reuters"},
	{"By AFP", nil, "AFP"},
	{"PTI", nil, "PTI"},
	{"Yonhap", nil, "Yonhap"},
	{"(Reuters)", nil, "Reuters"},
	{"By Jane Doe, Associated Press", []string{"Jane Doe"}, "AP"},
	{"By Jane Doe, Associated Press Writer", []string{"Jane Doe"}, "AP"},
	{"JANE DOE Associated Press", []string{"Jane Doe"}, "AP"},
	{"By JANE DOE and JOHN SMITH AP", []string{"Jane Doe", "John Smith"}, "AP"},
	{"Jane Doe with Reuters", []string{"Jane Doe"}, "Reuters"},
	{"Jane Doe (Reuters)", []string{"Jane Doe"}, "Reuters"},
	{"Jane Doe | Reuters", []string{"Jane Doe"}, "Reuters"},
	{"Jane Doe Thomson Reuters", []string{"Jane Doe"}, "Reuters"},
	{"Reuters Staff", nil, "Reuters"},
	{"Jane Doe, AFP/Reuters", []string{"Jane Doe"}, "AFP"},
	{"Von Max Mustermann, dpa", []string{"Max Mustermann"}, "dpa"},
	{"Par Jean Dupont avec AFP", []string{"Jean Dupont"}, "AFP"},
	{"Jane Doe/ The Canadian Press", []string{"Jane Doe"}, "CP"},
	{"PA Media", nil, "PA"},
	{"PA", nil, "PA"},
	{"Jane Doe, PA", []string{"Jane Doe"}, ""},
	{"Dpa Smith", []string{"Dpa Smith"}, ""},
	{"Michael Bloomberg", []string{"Michael Bloomberg"}, ""},
	{"AP Photo", nil, ""},

	// Capitals.
	{"JANE DOE", []string{"Jane Doe"}, ""},
	{"JOHN MCDONALD", []string{"John McDonald"}, ""},
	{"JAMES O'NEIL", []string{"James O'Neil"}, ""},
	{"JAN VAN DER BERG", []string{"Jan van der Berg"}, ""},
	{"JEAN-PIERRE DUPONT", []string{"Jean-Pierre Dupont"}, ""},
	{"Jean DUPONT", []string{"Jean Dupont"}, ""},
	{"EJ Antoni", []string{"EJ Antoni"}, ""},
	{"von der Leyen", []string{"von der Leyen"}, ""},
	{"danah boyd", []string{"danah boyd"}, ""},

	// No person.
	{"Staff", nil, ""},
	{"Admin", nil, ""},
	{"Editorial Team", nil, ""},
	{"Web Desk", nil, ""},
	{"News Desk", nil, ""},
	{"Staff Reporter", nil, ""},
	{"Guest Author", nil, ""},
	{"Sun Times Editorial Board", nil, ""},
	{"With inputs from agencies", nil, ""},
	{"University of Springfield", nil, ""},
	{"See full bio", nil, ""},
	{"Follow on X", nil, ""},
	{"{{ article.author_name }}", nil, ""},
	{"", nil, ""},
	{" \u00a0 ", nil, ""},

	// Contact details and punctuation.
	{"Jane Doe jane.doe@example.com", []string{"Jane Doe"}, ""},
	{"By Jane Doe (@janedoe)", []string{"Jane Doe"}, ""},
	{"Follow Jane Doe on Twitter", []string{"Jane Doe"}, ""},
	{"https://example.com/jane Jane Doe", []string{"Jane Doe"}, ""},
	{" Jane Doe ", []string{"Jane Doe"}, ""},
	{"Jane Doe,", []string{"Jane Doe"}, ""},
	{"Jane Doe |", []string{"Jane Doe"}, ""},
	{"Jane Doe.", []string{"Jane Doe"}, ""},
	{"Jane C.J.", []string{"Jane C.J."}, ""},
	{"Caitlin O'Kane", []string{"Caitlin O'Kane"}, ""},
	{"Aitor Hernández-Morales", []string{"Aitor Hernández-Morales"}, ""},
}

// TestParseByline checks parseByline on bylineCases.
func TestParseByline(t *testing.T) {
	t.Parallel()
	for _, tc := range bylineCases {
		t.Run(tc.raw, func(t *testing.T) {
			t.Parallel()
			authors, agency := parseByline(tc.raw)
			if !slices.Equal(authors, tc.authors) || agency != tc.agency {
				t.Errorf("parseByline(%q) = %q, %q; want %q, %q", tc.raw, authors, agency, tc.authors, tc.agency)
			}
		})
	}
}

// TestAgencyName checks agencyName on whole credits, including names that
// only look like agencies.
func TestAgencyName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		{"Associated Press", "AP"},
		{"The Associated Press", "AP"},
		{"AP", "AP"},
		{"(AP)", "AP"},
		{"By AP", "AP"},
		{"Yonhap News Agency", "Yonhap"},
		{"Agence France-Presse", "AFP"},
		{"Agence France Presse", "AFP"},
		{"AFP News Agency", "AFP"},
		{"IANS", "IANS"},
		{"(Reuters)", "Reuters"},
		{"REUTERS", "Reuters"},
		{"Reuters.", "Reuters"},
		{"Press Trust of India", "PTI"},
		{"Xinhua News Agency", "Xinhua"},
		{"dpa", "dpa"},
		{"Deutsche Presse-Agentur", "dpa"},
		{"The Canadian Press", "CP"},
		{"CP", "CP"},
		{"PA Media", "PA"},
		{"Press Association", "PA"},
		{"Kyodo News", "Kyodo"},
		{"Anadolu Agency", "Anadolu"},
		{"ATS/Keystone-SDA", "Keystone-SDA"},
		{"Central News Agency", "CNA"},
		{"AFP/Reuters", "AFP"},
		{"dpa, AFP", "dpa"},
		{"Dpa Smith", ""},
		{"APple", ""},
		{"Jane Doe", ""},
		{"Agencies", ""},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			if got := agencyName(tc.in); got != tc.want {
				t.Errorf("agencyName(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// canonicalAgencies is the set of names agencyName returns.
func canonicalAgencies() map[string]bool {
	m := make(map[string]bool, len(agencyTable))
	for _, a := range agencyTable {
		m[a.name] = true
	}
	return m
}

// FuzzParseByline checks that parseByline never panics, returns valid,
// trimmed, distinct names without the word "by" and only canonical agencies.
func FuzzParseByline(f *testing.F) {
	for _, tc := range bylineCases {
		f.Add(tc.raw)
	}
	for _, s := range []string{"\xff\xfe", "By", "by by by", "By By Jane", "((((", ")(", "|||", ",,,", " , and ,",
		"Jane\u00a0Doe\u200b", "ABBY SMITH", "Jane By Doe", strings.Repeat("Jane Doe and ", 60)} {
		f.Add(s)
	}
	agencies := canonicalAgencies()
	f.Fuzz(func(t *testing.T, raw string) {
		authors, agency := parseByline(raw)
		if agency != "" && !agencies[agency] {
			t.Errorf("agency %q is no canonical name", agency)
		}
		if ag := agencyName(raw); ag != "" && !agencies[ag] {
			t.Errorf("agencyName = %q, no canonical name", ag)
		}
		seen := make(map[string]bool)
		for _, a := range authors {
			if a == "" || a != strings.TrimSpace(a) || !utf8.ValidString(a) {
				t.Fatalf("bad author %q", a)
			}
			if strings.Contains(a, "By ") {
				t.Errorf("author %q contains %q", a, "By ")
			}
			for _, w := range strings.Fields(a) {
				if strings.EqualFold(strings.Trim(w, ":.,"), "by") {
					t.Errorf("author %q contains the word by", a)
				}
			}
			k := strings.ToLower(a)
			if seen[k] {
				t.Errorf("author %q twice", a)
			}
			seen[k] = true
		}
		a2, ag2 := parseByline(raw)
		if !slices.Equal(authors, a2) || agency != ag2 {
			t.Errorf("parseByline is not deterministic")
		}
	})
}

func TestBylineRolesCredentialsDates(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][]string{
		"Andrew Bosworth, Chief Technology Officer": {"Andrew Bosworth"},
		"Lauren Manaker MS":                         {"Lauren Manaker"},
		"By Jane Doe, RD":                           {"Jane Doe"},
		"By John Smith Jr.":                         {"John Smith Jr."},
		"December":                                  nil,
		"Emma Head":                                 {"Emma Head"},
	} {
		got, _ := parseByline(in)
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("parseByline(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSpelledOutAgency(t *testing.T) {
	tests := []struct{ in, agency, want string }{
		{"By The Associated Press", "AP", "Associated Press"},
		{"BY ASSOCIATED PRESS", "AP", "Associated Press"},
		{"Agence France-Presse", "AFP", "Agence France-Presse"},
		{"By IANS", "IANS", ""},
		{"AP", "AP", ""},
		{"By Jane Doe", "AP", ""},
	}
	for _, tt := range tests {
		if got := spelledOutAgency(tt.in, tt.agency); got != tt.want {
			t.Errorf("spelledOutAgency(%q, %q) = %q, want %q", tt.in, tt.agency, got, tt.want)
		}
	}
}
