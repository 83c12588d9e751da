package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/newsx/newsx/extract"
)

// Formats lists the format names NewEncoder accepts.
var Formats = []string{"json", "jsonl", "csv", "md", "text"}

// Options tune an Encoder. The zero value means the defaults.
type Options struct {
	// Array makes the json format write a JSON array, valid for any number
	// of records (zero included). Without it json writes one pretty object
	// per record, which is valid JSON only for exactly one record.
	Array bool
	// Fields chooses and orders the fields written (see ParseFields); nil
	// means every field in the canonical order.
	Fields []string
	// CSVRaw turns off the spreadsheet-formula guard of the csv format.
	CSVRaw bool
	// Excel makes the csv format readable by Microsoft Excel as it is: a
	// UTF-8 byte-order mark comes first, and a cell longer than Excel's
	// limit (ExcelCellLimit UTF-16 units) is cut, ending in "…". Other
	// formats ignore it.
	Excel bool
	// OnCut, when set, is called with the field's name for each cell the
	// Excel option cut.
	OnCut func(field string)
}

// Encoder writes records. Encode is not safe for concurrent use. Close
// finishes the stream (the closing bracket of a JSON array, the CSV
// flush) and reports any write error; it never closes the underlying
// writer. Every format writes each record through to the writer as it is
// encoded, so readers such as `tail -f` or jq see records as they come.
type Encoder interface {
	// Encode writes one record.
	Encode(a *extract.Article) error
	// Close finishes the output and reports any write error.
	Close() error
}

// NewEncoder returns an Encoder writing format to w. Unknown formats are an
// error naming the valid ones.
func NewEncoder(w io.Writer, format string, opts Options) (Encoder, error) {
	fields := opts.Fields
	if fields == nil {
		fields = Fields
	}
	for _, f := range fields {
		if !isField(f) {
			return nil, fmt.Errorf("unknown field %q (valid: %s)", f, strings.Join(Fields, ", "))
		}
	}
	switch strings.ToLower(format) {
	case "json":
		return &jsonEncoder{w: w, array: opts.Array, fields: fields}, nil
	case "jsonl", "ndjson":
		return &jsonlEncoder{w: w, fields: fields}, nil
	case "csv":
		e := newCSVEncoder(w, fields, !opts.CSVRaw)
		e.excel, e.onCut = opts.Excel, opts.OnCut
		return e, nil
	case "md", "markdown":
		return &markdownEncoder{w: w, fields: fields}, nil
	case "text", "txt":
		return &textEncoder{w: w, fields: fields}, nil
	}
	return nil, fmt.Errorf("unknown format %q (valid: %s)", format, strings.Join(Formats, ", "))
}

// Extension returns the file name extension for a format's files.
func Extension(format string) string {
	switch strings.ToLower(format) {
	case "md", "markdown":
		return ".md"
	case "text", "txt":
		return ".txt"
	case "csv":
		return ".csv"
	case "jsonl", "ndjson":
		return ".jsonl"
	}
	return ".json"
}

// compactObject encodes the chosen fields of a as one compact JSON object,
// without HTML escaping of <, > and &.
func compactObject(a *extract.Article, fields []string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteByte('"')
		buf.WriteString(f)
		buf.WriteString(`":`)
		if err := enc.Encode(value(a, f)); err != nil {
			return nil, fmt.Errorf("encode %s: %w", f, err)
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// jsonEncoder writes pretty JSON: one object, or an array of objects.
type jsonEncoder struct {
	w      io.Writer
	array  bool
	fields []string
	n      int
	err    error
	closed bool
}

func (e *jsonEncoder) Encode(a *extract.Article) error {
	if e.err != nil {
		return e.err
	}
	obj, err := compactObject(a, e.fields)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	prefix := ""
	switch {
	case !e.array:
		if e.n > 0 {
			out.WriteByte('\n')
		}
	case e.n == 0:
		out.WriteString("[\n  ")
		prefix = "  "
	default:
		out.WriteString(",\n  ")
		prefix = "  "
	}
	if err := json.Indent(&out, obj, prefix, "  "); err != nil {
		return err
	}
	if !e.array {
		out.WriteByte('\n')
	}
	e.n++
	_, e.err = e.w.Write(out.Bytes())
	return e.err
}

func (e *jsonEncoder) Close() error {
	if e.closed {
		return e.err
	}
	e.closed = true
	if e.err != nil || !e.array {
		return e.err
	}
	end := "\n]\n"
	if e.n == 0 {
		end = "[]\n"
	}
	_, e.err = io.WriteString(e.w, end)
	return e.err
}

// jsonlEncoder writes one compact object per line.
type jsonlEncoder struct {
	w      io.Writer
	fields []string
	err    error
}

func (e *jsonlEncoder) Encode(a *extract.Article) error {
	if e.err != nil {
		return e.err
	}
	obj, err := compactObject(a, e.fields)
	if err != nil {
		return err
	}
	_, e.err = e.w.Write(append(obj, '\n'))
	return e.err
}

func (e *jsonlEncoder) Close() error { return e.err }
