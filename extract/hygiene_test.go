package extract

import (
	"slices"
	"testing"
)

func TestPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Plain", "Plain"},
		{"she&amp;#39;s here", "she's here"},
		{"<p>Sweet dreams</p>", "Sweet dreams"},
		{"Headline</span></td>", "Headline"},
		{"Text<br/><a href=\"/x\">more</a>", "Text more"},
		{"x < y and y > z", "x < y and y > z"},
		{"Tom\u00adas", "Tomas"},
	}
	for _, tt := range tests {
		if got := plainText(tt.in); got != tt.want {
			t.Errorf("plainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTidyByline(t *testing.T) {
	tests := []struct {
		in      string
		authors []string
		want    string
	}{
		{"By Meg James Staff Writer | Facebook | Twitter | Show more sharing options | LinkedIn | Email", []string{"Meg James"}, "By Meg James Staff Writer"},
		{"By | Sarah Needleman | Sarah Needleman | The Daily Ledger | Biography | @sneedleman | s.needleman@example.com", []string{"Sarah Needleman"}, "By Sarah Needleman | The Daily Ledger"},
		{"By Alex Heath, a deputy editor and author of the newsletter. He has covered tech for a decade.", []string{"Alex Heath"}, "By Alex Heath"},
		{"Budget vote set for Tuesday as council meets By Edwin Kee", []string{"Edwin Kee"}, "By Edwin Kee"},
		{"By Jo Raphael, Contributing Editor | Not your average phone news, a mix of advice and analysis with veteran journalist Jo Raphael.", []string{"Jo Raphael"}, "By Jo Raphael, Contributing Editor"},
		{"by Google</a> ' + u + '</div>'; } google_adnum = 1;", nil, ""},
	}
	for _, tt := range tests {
		if got := tidyByline(plainText(tt.in), tt.authors, ""); got != tt.want {
			t.Errorf("tidyByline(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTidyTags(t *testing.T) {
	in := []string{"Hong Kong,Protest,Asia Pacific", "Trump, Donald J", "Section:culture", "AdNode:culture/wide_angle",
		"source:tagname:CNBC US Source", "COVID-19: vaccines", "protest", "Harbour plan approved"}
	want := []string{"Hong Kong", "Protest", "Asia Pacific", "Trump, Donald J", "COVID-19: vaccines"}
	if got := tidyTags(in, "Harbour plan approved"); !slices.Equal(got, want) {
		t.Errorf("tidyTags = %q, want %q", got, want)
	}
}

func TestBodyLanguage(t *testing.T) {
	es := "Las cooperativas de pescadores de la bahía se harán cargo desde el próximo año de los estanques de cría que el gobierno construyó en la costa, según un acuerdo firmado este lunes. El convenio prevé que las cooperativas reciban capacitación durante seis meses y que el estado cubra los costos del primer ciclo, que comenzará en marzo con las primeras crías para la bahía y sus comunidades."
	ro := "Femeile din țara noastră pot obține studii gratuite în domeniul tehnologiei, potrivit unui program lansat de guvern. Cursurile de programare vor începe în luna octombrie și vor fi găzduite de universități din mai multe orașe. Programul este finanțat de la bugetul de stat și din fonduri europene, iar locurile sunt limitate."
	tests := []struct {
		name, body, declared, want string
	}{
		{"Spanish text declared English", es, "en", "es"},
		{"Spanish text declared Spanish", es, "es", ""},
		{"a language without a word list is not overridden by a guess", ro, "en", ""},
		{"Spanish text declared Russian", es, "ru", "es"},
		{"too short to judge", "Hola, ¿qué tal?", "en", ""},
	}
	for _, tt := range tests {
		if got := bodyLanguage(tt.body, tt.declared); got != tt.want {
			t.Errorf("%s: bodyLanguage = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestUsableSiteName(t *testing.T) {
	for _, s := range []string{"@politifact", "Premium", "checkout", "Home", ""} {
		if usableSiteName(s) {
			t.Errorf("usableSiteName(%q) = true", s)
		}
	}
	for _, s := range []string{"The Korea Herald", "Libération", "NPR"} {
		if !usableSiteName(s) {
			t.Errorf("usableSiteName(%q) = false", s)
		}
	}
}

func TestStripSiteNameGlued(t *testing.T) {
	tests := []struct{ title, site, want string }{
		{"Harbour plan approved -Coastal Courier", "Coastal Courier", "Harbour plan approved"},
		{"Harbour plan approved|Coastal Courier", "Coastal Courier", "Harbour plan approved"},
		{"Swapping meat for plant-based protein helps the heart", "Health", "Swapping meat for plant-based protein helps the heart"},
	}
	for _, tt := range tests {
		if got := stripSiteName(tt.title, tt.site, ""); got != tt.want {
			t.Errorf("stripSiteName(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}
