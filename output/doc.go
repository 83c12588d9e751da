// Package output writes newsx records to an io.Writer in the formats
// newsx offers: json (one object, or an array for several), jsonl (one
// object a line), csv (RFC 4180 with a header row, guarded against
// spreadsheet formulas), md (a Markdown document per record) and text (a
// record for reading in a terminal). It also chooses the fields written
// (Fields) and writes files atomically or one per record (file.go,
// dest.go).
//
// It owns encoding only: it never does HTTP, never logs and never decides
// what a record holds. Every record newsx writes, for extract and for
// crawl, goes through an Encoder.
package output
