package extract

import (
	"strings"
	"testing"
	"time"
)

// dateCases are dates as pages give them. want is the result in RFC 3339
// ("" when parseDate must fail).
var dateCases = []struct {
	in, lang string
	want     string
	hasTime  bool
	hasZone  bool
}{
	// ISO 8601 and RFC 3339.
	{"2024-03-25T12:58:00+05:30", "", "2024-03-25T12:58:00+05:30", true, true},
	{"2024-03-25T12:58:00.123Z", "", "2024-03-25T12:58:00.123Z", true, true},
	{"2024-03-25T12:58:00", "", "2024-03-25T12:58:00Z", true, false},
	{"2024-03-25T12:58:00-04:00", "", "2024-03-25T12:58:00-04:00", true, true},
	{"2024-03-25 12:58:00+0530", "", "2024-03-25T12:58:00+05:30", true, true},
	{"2024-03-25T12:58-04", "", "2024-03-25T12:58:00-04:00", true, true},
	{"2024-03-25T12:58:00.123456789+01:00", "", "2024-03-25T12:58:00.123456789+01:00", true, true},
	{"2024-03-25", "", "2024-03-25T00:00:00Z", false, false},
	{"2024/03/25", "", "2024-03-25T00:00:00Z", false, false},
	{"2024/3/5 8:05", "", "2024-03-05T08:05:00Z", true, false},
	{"20240325T125800Z", "", "2024-03-25T12:58:00Z", true, true},
	{"20240325", "", "2024-03-25T00:00:00Z", false, false},
	{"2024-03-25+08:00", "", "2024-03-25T00:00:00Z", false, false},
	{"2024-03-25 12:58:00 +0000 UTC", "", "2024-03-25T12:58:00Z", true, true},

	// RFC 1123, 822, 850 and ANSI C.
	{"Mon, 25 Mar 2024 12:58:00 GMT", "", "2024-03-25T12:58:00Z", true, true},
	{"Mon, 25 Mar 2024 12:58:00 +0100", "", "2024-03-25T12:58:00+01:00", true, true},
	{"Mon, 25 Mar 24 12:58:00 -0500", "", "2024-03-25T12:58:00-05:00", true, true},
	{"Mar 25 24", "", "", false, false},
	{"Monday, 25-Mar-24 12:58:00 GMT", "", "2024-03-25T12:58:00Z", true, true},
	{"Mon Mar 25 12:58:00 2024", "", "2024-03-25T12:58:00Z", true, false},
	{"Mon Mar 25 12:58:00 EDT 2024", "", "2024-03-25T12:58:00-04:00", true, true},

	// Unix times.
	{"1711371480", "", "2024-03-25T12:58:00Z", true, true},
	{"1711371480000", "", "2024-03-25T12:58:00Z", true, true},
	{"171137148", "", "", false, false},

	// English.
	{"March 25, 2024 12:58 IST", "en", "2024-03-25T12:58:00+05:30", true, true},
	{"Mar 25, 2024, 12:58 PM ET", "en", "2024-03-25T12:58:00-04:00", true, true},
	{"Jan 25, 2024, 12:58 PM ET", "en", "2024-01-25T12:58:00-05:00", true, true},
	{"Jul 4, 2024, 3 PM PT", "en", "2024-07-04T15:00:00-07:00", true, true},
	{"Nov 4, 2024 9:15 am CT", "en", "2024-11-04T09:15:00-06:00", true, true},
	{"March 25, 2024 at 12:58 p.m. EDT", "en", "2024-03-25T12:58:00-04:00", true, true},
	{"March 25, 2024 at 12:05 a.m. EDT", "en", "2024-03-25T00:05:00-04:00", true, true},
	{"Monday, March 25, 2024 - 12:58", "en", "2024-03-25T12:58:00Z", true, false},
	{"25 March 2024", "en", "2024-03-25T00:00:00Z", false, false},
	{"25 Mar 2024 12:58 GMT", "en", "2024-03-25T12:58:00Z", true, true},
	{"Mon 25 Mar 2024 12.58 GMT", "en", "2024-03-25T12:58:00Z", true, true},
	{"March 25th, 2024", "en", "2024-03-25T00:00:00Z", false, false},
	{"1st February 2024 13:58:24", "en", "2024-02-01T13:58:24Z", true, false},
	{"Mar 25 '24", "en", "2024-03-25T00:00:00Z", false, false},
	{"Sept. 7, 2023 11:15pm", "en", "2023-09-07T23:15:00Z", true, false},
	{"25 Mar 2024 12:58 GMT+5:30", "en", "2024-03-25T12:58:00+05:30", true, true},
	{"2024-03-25 12:58 UTC+9", "", "2024-03-25T12:58:00+09:00", true, true},
	{"12:58 IST, 25 Mar 2024", "en", "2024-03-25T12:58:00+05:30", true, true},
	{"25 Mar 2024 12:58 BST", "en", "2024-03-25T12:58:00+01:00", true, true},
	{"25 Mar 2024 12:58 AEDT", "en", "2024-03-25T12:58:00+11:00", true, true},
	{"25 Mar 2024 12:58 NZST", "en", "2024-03-25T12:58:00+12:00", true, true},
	{"25 Mar 2024 12:58 ACST", "en", "2024-03-25T12:58:00+09:30", true, true},
	{"25 Mar 2024 12:58 PST", "en", "2024-03-25T12:58:00-08:00", true, true},
	{"Fri Jul 3 2015 06:04:07 PST-0700 (Pacific Daylight Time)", "en", "2015-07-03T06:04:07-07:00", true, true},

	// Labels.
	{"Updated: March 25, 2024 12:58 IST", "en", "2024-03-25T12:58:00+05:30", true, true},
	{"Updated on March 25, 2024", "en", "2024-03-25T00:00:00Z", false, false},
	{"Published: 2024-03-25", "en", "2024-03-25T00:00:00Z", false, false},
	{"Last updated 25 March 2024", "en", "2024-03-25T00:00:00Z", false, false},
	{"Posted on March 25th, 2024", "en", "2024-03-25T00:00:00Z", false, false},
	{"First published on Mon 25 Mar 2024 12.58 GMT", "en", "2024-03-25T12:58:00Z", true, true},
	{"Published March 24, 2024 Updated March 25, 2024", "en", "2024-03-24T00:00:00Z", false, false},
	{"Published: 09:09 GMT, 22 March 2024 | Updated: 10:53 GMT, 22 March 2024", "en", "2024-03-22T09:09:00Z", true, true},

	// Other languages.
	{"Aktualisiert am 25.03.2024, 14:03 Uhr", "de", "2024-03-25T14:03:00Z", true, false},
	{"Veröffentlicht am 25. März 2024, 14:03 Uhr", "de", "2024-03-25T14:03:00Z", true, false},
	{"Montag, 25. März 2024, 14:03 Uhr MEZ", "de", "2024-03-25T14:03:00+01:00", true, true},
	{"25. März 2024, 14:03 Uhr", "de", "2024-03-25T14:03:00Z", true, false},
	{"Publié le 25 mars 2024 à 14h03", "fr", "2024-03-25T14:03:00Z", true, false},
	{"Mis à jour le 25/03/2024 à 14h03", "fr", "2024-03-25T14:03:00Z", true, false},
	{"Publicado el 25 de marzo de 2024, 14:03 CET", "es", "2024-03-25T14:03:00+01:00", true, true},
	{"Actualizado 25/03/2024 - 14:03", "es", "2024-03-25T14:03:00Z", true, false},
	{"mar., 2 abr. 2024", "es", "2024-04-02T00:00:00Z", false, false},
	{"25 marzo 2024 ore 14:03", "it", "2024-03-25T14:03:00Z", true, false},
	{"25 de março de 2024 às 14h03", "pt", "2024-03-25T14:03:00Z", true, false},
	{"25 maart 2024 om 14:03", "nl", "2024-03-25T14:03:00Z", true, false},
	{"25 marca 2024 14:03", "pl", "2024-03-25T14:03:00Z", true, false},
	{"25 марта 2024 г., 14:03", "ru", "2024-03-25T14:03:00Z", true, false},
	{"25 Mart 2024 Pazartesi 14:03", "tr", "2024-03-25T14:03:00Z", true, false},
	{"Senin, 25 Maret 2024 14:03 WIB", "id", "2024-03-25T14:03:00+07:00", true, true},
	{"25 मार्च 2024", "hi", "2024-03-25T00:00:00Z", false, false},
	{"२५ मार्च २०२४, १२:५८ IST", "hi", "2024-03-25T12:58:00+05:30", true, true},
	{"Updated: 25 फ़रवरी 2024", "hi", "2024-02-25T00:00:00Z", false, false},

	// Chinese, Japanese, Korean.
	{"2024年3月25日 12:58", "zh", "2024-03-25T12:58:00Z", true, false},
	{"更新 2024年3月25日 12:58", "zh", "2024-03-25T12:58:00Z", true, false},
	{"2024年3月25日 12時58分", "ja", "2024-03-25T12:58:00Z", true, false},
	{"公開日：2024年3月25日(月) 12:58 JST", "ja", "2024-03-25T12:58:00+09:00", true, true},
	{"2024年３月２５日 午後2時30分", "ja", "2024-03-25T14:30:00Z", true, false},
	{"2024년 3월 25일 12:58", "ko", "2024-03-25T12:58:00Z", true, false},
	{"2024년 3월 25일 오후 2:30", "ko", "2024-03-25T14:30:00Z", true, false},
	{"2024.03.25 12:58", "ko", "2024-03-25T12:58:00Z", true, false},
	{"2024. 3. 25. 오전 9:05 KST", "ko", "2024-03-25T09:05:00+09:00", true, true},

	// Ambiguous numeric dates.
	{"3/4/2024", "en", "2024-03-04T00:00:00Z", false, false},
	{"3/4/2024", "de", "2024-04-03T00:00:00Z", false, false},
	{"3/4/2024", "", "2024-04-03T00:00:00Z", false, false},
	{"03.04.2024", "en", "2024-04-03T00:00:00Z", false, false},
	{"25/03/2024", "en", "2024-03-25T00:00:00Z", false, false},
	{"03/25/2024", "de", "2024-03-25T00:00:00Z", false, false},
	{"25/03/24", "fr", "2024-03-25T00:00:00Z", false, false},
	{"03/25/2024 10:11:59 PM", "en-US", "2024-03-25T22:11:59Z", true, false},

	// Nonsense.
	{"", "", "", false, false},
	{"   ", "", "", false, false},
	{"today", "en", "", false, false},
	{"3 hours ago", "en", "", false, false},
	{"Published 2 hours ago", "en", "", false, false},
	{"vor 3 Stunden", "de", "", false, false},
	{"1985-03-25", "", "", false, false},
	{"2101-01-01", "", "", false, false},
	{"March 2024", "en", "", false, false},
	{"March 25", "en", "", false, false},
	{"2024-02-30", "", "", false, false},
	{"Feb 29, 2023", "en", "", false, false},
	{"2024-13-01", "", "", false, false},
	{"2024-03-25 25:00", "", "2024-03-25T00:00:00Z", false, false},
	{"Jane Doe", "", "", false, false},
	{"By Jane Doe March 25, 2024", "en", "", false, false},
	{"March 25, 2024 New York", "en", "", false, false},
	{"Zuletzt aktualisiert: Montag, 25. März 2024", "de", "2024-03-25T00:00:00Z", false, false},
	{"Last Updated Monday, March 25, 2024 12:58 PM (Eastern Daylight Time)", "en", "2024-03-25T12:58:00Z", true, false},
	{"Mon 25 Mar 2024 12:58 EDT (Eastern Daylight Time)", "en", "2024-03-25T12:58:00-04:00", true, true},
}

// TestParseDate checks parseDate on dateCases.
func TestParseDate(t *testing.T) {
	t.Parallel()
	for _, tc := range dateCases {
		t.Run(tc.lang+"/"+tc.in, func(t *testing.T) {
			t.Parallel()
			got, info, ok := parseDate(tc.in, tc.lang)
			if tc.want == "" {
				if ok {
					t.Errorf("parseDate(%q, %q) = %s, want failure", tc.in, tc.lang, got.Format(time.RFC3339Nano))
				}
				return
			}
			if !ok {
				t.Fatalf("parseDate(%q, %q) failed, want %s", tc.in, tc.lang, tc.want)
			}
			if s := got.Format(time.RFC3339Nano); s != tc.want || info.HasTime != tc.hasTime || info.HasZone != tc.hasZone {
				t.Errorf("parseDate(%q, %q) = %s %+v, want %s {HasTime:%v HasZone:%v}",
					tc.in, tc.lang, s, info, tc.want, tc.hasTime, tc.hasZone)
			}
			if !info.HasZone && got.Location() != time.UTC {
				t.Errorf("parseDate(%q, %q) without zone is in %v, want UTC", tc.in, tc.lang, got.Location())
			}
		})
	}
}

// TestParseDateLongInput checks that parseDate reads no more than
// maxDateInput bytes.
func TestParseDateLongInput(t *testing.T) {
	t.Parallel()
	long := "March 25, 2024 " + strings.Repeat("x ", 100) + "12:58 IST"
	got, info, ok := parseDate(long, "en")
	if !ok || info.HasTime || got.Format(time.DateOnly) != "2024-03-25" {
		t.Errorf("parseDate(long) = %v %+v %v, want the date only: the time is past maxDateInput", got, info, ok)
	}
}

// FuzzParseDate checks that parseDate never panics, keeps years in range,
// reports zones only with times, returns UTC without a zone, is
// deterministic and ignores bytes past maxDateInput.
func FuzzParseDate(f *testing.F) {
	for _, tc := range dateCases {
		f.Add(tc.in, tc.lang)
	}
	for _, s := range []string{"\xff\xfe", "2024-03-25T", "2024-03-25T12:", "+", "12:58 +", "GMT+", "2024年", "9999999999999",
		"2024-03-25T12:58:00+99:99", "Mar 25 '", strings.Repeat("2024-03-25 ", 40)} {
		f.Add(s, "en")
	}
	f.Fuzz(func(t *testing.T, s, lang string) {
		got, info, ok := parseDate(s, lang)
		if !ok {
			if !got.IsZero() || info != (dateInfo{}) {
				t.Errorf("failed parse returned %v %+v", got, info)
			}
			return
		}
		if y := got.UTC().Year(); y < minDateYear-1 || y > maxDateYear+1 {
			t.Errorf("year %d out of range", y)
		}
		if info.HasZone && !info.HasTime {
			t.Errorf("HasZone without HasTime")
		}
		if !info.HasZone && got.Location() != time.UTC {
			t.Errorf("no zone but location %v", got.Location())
		}
		if !info.HasTime && (got.Hour() != 0 || got.Minute() != 0 || got.Second() != 0 || got.Nanosecond() != 0) {
			t.Errorf("no time but %v", got)
		}
		got2, info2, ok2 := parseDate(s, lang)
		if !ok2 || !got2.Equal(got) || info2 != info {
			t.Errorf("parseDate is not deterministic")
		}
		if len(s) > maxDateInput {
			got3, info3, ok3 := parseDate(s+" 12:58 GMT 2024", lang)
			if !ok3 || !got3.Equal(got) || info3 != info {
				t.Errorf("parseDate read past maxDateInput")
			}
		}
	})
}
