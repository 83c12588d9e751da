package output

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

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

// csvEncoder writes RFC 4180 CSV with a header row.
type csvEncoder struct {
	w       *csv.Writer
	fields  []string
	guard   bool
	started bool
	row     []string
}

func newCSVEncoder(w io.Writer, fields []string, guard bool) *csvEncoder {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // RFC 4180 line ends; spreadsheets expect them
	return &csvEncoder{w: cw, fields: fields, guard: guard}
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
		if err := e.w.Write(CSVHeader(e.fields)); err != nil {
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
			e.row = append(e.row, e.cell(raw), e.cell(place), e.cell(date))
		default:
			e.row = append(e.row, e.cell(csvText(a, f)))
		}
	}
	if err := e.w.Write(e.row); err != nil {
		return err
	}
	e.w.Flush()
	return e.w.Error()
}

// Close flushes the writer and returns its error: Flush alone hides write
// errors.
func (e *csvEncoder) Close() error {
	e.w.Flush()
	return e.w.Error()
}

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
