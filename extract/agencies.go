package extract

import (
	"strings"
	"unicode"
)

// agencyRef is what an agency alias stands for.
type agencyRef struct {
	// name is the agency's canonical short name.
	name string
	// ambiguous marks a short alias that is also a common abbreviation
	// ("PA" is Pennsylvania, "CP" many things): it names the agency only as
	// a whole credit or inside parentheses.
	ambiguous bool
}

// agencyTable lists wire agencies by canonical short name, each with its
// lower-case aliases. An alias starting with '!' is ambiguous (see
// agencyRef). Aliases are matched after agencyKey has lowered the text and
// dropped a leading "The", "By" or "From".
var agencyTable = []struct {
	name    string
	aliases string // separated by '|'
}{
	{"AP", "ap|a.p|associated press|ap news|associated press news"},
	{"Reuters", "reuters|thomson reuters|reuters news|reuters news agency"},
	{"AFP", "afp|a.f.p|agence france-presse|agence france presse|agence france press|france-presse|afp news agency"},
	{"IANS", "ians|indo-asian news service|indo asian news service"},
	{"PTI", "pti|press trust of india"},
	{"ANI", "ani|asian news international"},
	{"UNI", "!uni|united news of india"},
	{"Yonhap", "yonhap|yonhap news agency|yonhap news|연합뉴스"},
	{"Xinhua", "xinhua|xinhua news agency|xinhua news|新华社|新華社"},
	{"dpa", "dpa|deutsche presse-agentur|deutsche presse agentur"},
	{"EFE", "efe|agencia efe"},
	{"ANSA", "ansa|agenzia ansa"},
	{"Kyodo", "kyodo|kyodo news|共同通信"},
	{"Jiji", "jiji|jiji press|時事通信"},
	{"Bloomberg", "bloomberg|bloomberg news"},
	{"AAP", "aap|australian associated press"},
	{"CP", "!cp|canadian press"},
	{"PA", "!pa|pa media|press association|pa news agency"},
	{"UPI", "upi|united press international"},
	{"TASS", "tass|itar-tass|тасс"},
	{"Interfax", "interfax|интерфакс"},
	{"Anadolu", "anadolu|anadolu agency|anadolu ajansı|anadolu ajansi|!aa"},
	{"Bernama", "bernama"},
	{"Antara", "antara|antara news|antara news agency"},
	{"APA", "!apa|austria presse agentur|austria presse agentur apa"},
	{"Belga", "belga"},
	{"ANP", "!anp"},
	{"Lusa", "lusa|agência lusa|agencia lusa"},
	{"Europa Press", "europa press"},
	{"KNA", "!kna|katholische nachrichten-agentur"},
	{"epd", "epd|evangelischer pressedienst"},
	{"AGI", "!agi|agenzia italia"},
	{"Keystone-SDA", "keystone-sda|keystone-ats|keystone sda|keystone ats|!sda|!ats"},
	{"CTK", "čtk|ctk|czech news agency"},
	{"PAP", "!pap|polish press agency|polska agencja prasowa"},
	{"MTI", "!mti"},
	{"NTB", "!ntb|norsk telegrambyrå"},
	{"TT", "!tt|tt nyhetsbyrån"},
	{"Ritzau", "ritzau|ritzaus bureau"},
	{"STT", "!stt|stt-info"},
	{"WAM", "!wam|emirates news agency"},
	{"SPA", "!spa|saudi press agency"},
	{"KUNA", "kuna|kuwait news agency"},
	{"IRNA", "irna|islamic republic news agency"},
	{"APP", "!app|associated press of pakistan"},
	{"BSS", "!bss|bangladesh sangbad sangstha"},
	{"PNA", "!pna|philippine news agency"},
	{"CNA", "!cna|central news agency"},
	{"Notimex", "notimex"},
	{"Prensa Latina", "prensa latina"},
	{"Agencia Brasil", "agencia brasil|agência brasil"},
	{"Sputnik", "sputnik|sputnik news"},
	{"RIA Novosti", "ria novosti|риа новости|!ria"},
	{"Ukrinform", "ukrinform|укрінформ"},
	{"KCNA", "kcna|korean central news agency"},
	{"VNA", "!vna|vietnam news agency"},
	{"Agerpres", "agerpres"},
	{"HINA", "hina"},
	{"Tanjug", "tanjug"},
	{"BTA", "!bta|bulgarian news agency"},
	{"MENA", "mena|middle east news agency"},
	{"QNA", "qna|qatar news agency"},
	{"Dow Jones", "dow jones|dow jones newswires"},
	{"PRNewswire", "prnewswire|pr newswire|prnewswire-firstcall"},
	{"GlobeNewswire", "globenewswire|globe newswire"},
	{"Business Wire", "business wire|businesswire"},
	{"Accesswire", "accesswire"},
	{"EIN Presswire", "ein presswire|einpresswire"},
	{"CNW", "!cnw|canada newswire"},
}

// agencyIndex maps every alias of agencyTable to its agency.
var agencyIndex = buildAgencyIndex()

// buildAgencyIndex builds agencyIndex.
func buildAgencyIndex() map[string]agencyRef {
	idx := make(map[string]agencyRef, 4*len(agencyTable))
	for _, a := range agencyTable {
		for _, alias := range strings.Split(a.aliases, "|") {
			ref := agencyRef{name: a.name}
			if strings.HasPrefix(alias, "!") {
				alias, ref.ambiguous = alias[1:], true
			}
			idx[alias] = ref
		}
	}
	return idx
}

// agencySuffixes are generic words a credit may add after an agency's name
// ("Reuters Staff", "AFP News Agency").
var agencySuffixes = []string{" staff", " news agency", " news service", " news", " agency", " wire", " reporters", " correspondent"}

// agencyName returns the canonical short name of a wire agency named by s
// ("Associated Press", "The Associated Press", "AP" -> "AP"; "Yonhap News Agency" -> "Yonhap";
// "Agence France-Presse" -> "AFP"), or "" when s names none. s is a whole credit such as "IANS" or "(Reuters)".
//
// Case, surrounding punctuation and a leading "By", "From" or "The" are
// ignored. Short ambiguous aliases ("PA", "CP", "TT") match because s is the
// whole credit; parseByline does not accept them inside a longer credit.
// A credit of several agencies ("AFP/Reuters", "dpa, AFP") gives the first.
// A person's name is never an agency: "Dpa Smith" gives "".
func agencyName(s string) string {
	name, _ := lookupAgency(s)
	return name
}

// lookupAgency returns the agency named by the whole of s and whether the
// alias that matched is ambiguous.
func lookupAgency(s string) (name string, ambiguous bool) {
	k := agencyKey(s)
	if k == "" || len(k) > 80 {
		return "", false
	}
	if ref, ok := agencyIndex[k]; ok {
		return ref.name, ref.ambiguous
	}
	for _, suf := range agencySuffixes {
		if base, ok := strings.CutSuffix(k, suf); ok {
			if ref, ok := agencyIndex[strings.TrimSpace(base)]; ok && !ref.ambiguous {
				return ref.name, false
			}
		}
	}
	// Several agencies: "AFP/Reuters", "AP and Reuters", "dpa, AFP".
	parts := strings.FieldsFunc(strings.ReplaceAll(k, " and ", "/"), func(r rune) bool {
		return r == '/' || r == ',' || r == '&' || r == '+' || r == ';'
	})
	if len(parts) < 2 {
		return "", false
	}
	first := ""
	for _, part := range parts {
		ref, ok := agencyIndex[strings.TrimSpace(part)]
		if !ok {
			return "", false
		}
		if first == "" {
			first = ref.name
		}
	}
	return first, false
}

// agencyPrefixes are lower-case words a credit may put before an agency's
// name.
var agencyPrefixes = []string{"by:", "by", "from", "via", "source:", "source", "sources:", "credit:", "credits:", "with", "von", "par", "por", "the", "©", "(c)", "copyright"}

// agencyKey lowers s, trims punctuation around it, folds its spaces and
// dashes and drops leading credit words, giving the key agencyIndex uses.
func agencyKey(s string) string {
	s = strings.ToLower(foldSpaces(s))
	for range 4 {
		s = strings.TrimFunc(s, isAgencyTrim)
		before := s
		for _, pre := range agencyPrefixes {
			rest, ok := strings.CutPrefix(s, pre)
			if !ok || rest == "" {
				continue
			}
			if r := rest[0]; r == ' ' || strings.HasSuffix(pre, ":") || pre == "©" {
				s = strings.TrimSpace(rest)
				break
			}
		}
		if s == before {
			break
		}
	}
	return s
}

// isAgencyTrim reports whether r is trimmed from around an agency credit.
func isAgencyTrim(r rune) bool {
	if unicode.IsSpace(r) {
		return true
	}
	switch r {
	case '(', ')', '[', ']', '{', '}', '"', '\'', '“', '”', '‘', '’', '«', '»', '.', ',', ';', ':', '|', '/', '\\', '-', '–', '—', '*', '•', '·', '_':
		return true
	}
	return false
}

// foldSpaces replaces every run of whitespace, format characters and
// invalid bytes with one space, maps typographic dashes to '-', and trims
// the ends.
func foldSpaces(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\uFFFD' || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || unicode.IsControl(r):
			space = true
			continue
		case r == '‐' || r == '‑':
			r = '-'
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// spelledOutAgency returns the name of agency (a canonical short name)
// as s spells it out in full, as written ("Associated Press" in "By The
// Associated Press"), or "" when s does not: a short alias ("AP",
// "IANS") is no spelled-out name.
func spelledOutAgency(s, agency string) string {
	low := strings.ToLower(s)
	best := ""
	for _, a := range agencyTable {
		if a.name != agency {
			continue
		}
		for _, alias := range strings.Split(a.aliases, "|") {
			if strings.HasPrefix(alias, "!") || !strings.Contains(alias, " ") && !strings.Contains(alias, "-") || len(alias) <= len(best) {
				continue
			}
			if i := strings.Index(low, alias); i >= 0 && len(low) == len(s) {
				best = titleCaseCaps(s[i : i+len(alias)])
			}
		}
	}
	return best
}
