package output

import (
	"io"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/newsx/newsx/extract"
)

// CSV layout: one row per record, a header row first, the columns in the
// order of the fields. Lists are joined: authors and tags with "; ",
// related links as "title <url>" items joined with " | ". The dateline
// field becomes three columns: dateline (its raw text), dateline_place and
// dateline_date.
const (
	listSep    = "; "
	relatedSep = " | "
)

// csvEncoder writes RFC 4180 CSV with a header row: records end with
// CRLF, fields holding a comma, quote or line break are quoted with quotes
// doubled. Line breaks inside a field are written as they are ("\n"), so
// that every CSV reader (Go's, Python's, pandas, spreadsheets) gives back
// the text exactly; encoding/csv's writer would turn them into CRLF.
type csvEncoder struct {
	w       io.Writer
	fields  []string
	guard   bool
	started bool
	row     []string
	buf     []byte
	err     error
	excel   bool               // BOM first, long cells cut (Options.Excel)
	onCut   func(field string) // Options.OnCut
}

func newCSVEncoder(w io.Writer, fields []string, guard bool) *csvEncoder {
	return &csvEncoder{w: w, fields: fields, guard: guard}
}

// writeRow writes one record.
func (e *csvEncoder) writeRow(cells []string) error {
	if e.err != nil {
		return e.err
	}
	b := e.buf[:0]
	for i, c := range cells {
		if i > 0 {
			b = append(b, ',')
		}
		if !needsQuotes(c) {
			b = append(b, c...)
			continue
		}
		b = append(b, '"')
		for j := 0; j < len(c); j++ {
			if c[j] == '"' {
				b = append(b, '"')
			}
			b = append(b, c[j])
		}
		b = append(b, '"')
	}
	b = append(b, '\r', '\n')
	e.buf = b
	_, e.err = e.w.Write(b)
	return e.err
}

// needsQuotes reports whether a cell must be quoted: it holds a comma, a
// quote or a line break, or starts with a space (which some readers trim).
func needsQuotes(c string) bool {
	if c == "" {
		return false
	}
	if c[0] == ' ' || c[0] == '\t' {
		return true
	}
	return strings.ContainsAny(c, ",\"\r\n")
}

// CSVHeader returns the CSV column names for the given fields (nil means
// every field).
func CSVHeader(fields []string) []string {
	if fields == nil {
		fields = Fields
	}
	var h []string
	for _, f := range fields {
		h = append(h, f)
		if f == "dateline" {
			h = append(h, "dateline_place", "dateline_date")
		}
	}
	return h
}

func (e *csvEncoder) Encode(a *extract.Article) error {
	if !e.started {
		e.started = true
		if e.excel {
			if _, e.err = io.WriteString(e.w, "\ufeff"); e.err != nil {
				return e.err
			}
		}
		if err := e.writeRow(CSVHeader(e.fields)); err != nil {
			return err
		}
	}
	e.row = e.row[:0]
	for _, f := range e.fields {
		switch f {
		case "dateline":
			var raw, place, date string
			if d := a.Dateline; d != nil {
				raw, place, date = d.Raw, d.Place, d.Date
			}
			e.row = append(e.row, e.fit(f, e.cell(raw)), e.fit(f, e.cell(place)), e.fit(f, e.cell(date)))
		default:
			e.row = append(e.row, e.fit(f, e.cell(csvText(a, f))))
		}
	}
	return e.writeRow(e.row)
}

// Close reports the first write error; rows are written through as they
// are encoded.
func (e *csvEncoder) Close() error { return e.err }

// csvText returns a field as CSV cell text.
func csvText(a *extract.Article, f string) string {
	switch v := value(a, f).(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case int:
		return strconv.Itoa(v)
	case []string:
		return strings.Join(v, listSep)
	case []extract.Link:
		parts := make([]string, len(v))
		for i, l := range v {
			parts[i] = l.Title + " <" + l.URL + ">"
		}
		return strings.Join(parts, relatedSep)
	}
	return ""
}

// cell applies the spreadsheet-formula guard: a cell beginning with =, +,
// -, @, tab or carriage return is prefixed with a single quote so that
// spreadsheet programs show it as text instead of running it (OWASP's
// advice on CSV injection).
func (e *csvEncoder) cell(s string) string {
	if e.guard && s != "" {
		switch s[0] {
		case '=', '+', '-', '@', '\t', '\r':
			return "'" + s
		}
	}
	return s
}

// ExcelCellLimit is the most characters (UTF-16 code units) Excel holds in
// one cell; it cuts longer cells or refuses the file.
const ExcelCellLimit = 32767

// fit cuts a cell to ExcelCellLimit in Excel mode, ending it in "…" and
// reporting the cut; otherwise it returns s unchanged.
func (e *csvEncoder) fit(field, s string) string {
	if !e.excel || len(s) <= ExcelCellLimit {
		return s // a UTF-8 string is never more UTF-16 units than bytes
	}
	if len(utf16.Encode([]rune(s))) <= ExcelCellLimit {
		return s
	}
	units := 0
	for i, r := range s {
		n := utf16.RuneLen(r)
		if n < 0 {
			n = 1
		}
		if units+n > ExcelCellLimit-1 { // room for the "…"
			if e.onCut != nil {
				e.onCut(field)
			}
			return s[:i] + "…"
		}
		units += n
	}
	return s
}
