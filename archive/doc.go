// Package archive reads and writes web archives in the WARC format
// (ISO 28500, WARC/1.0 and WARC/1.1) for newsx: Reader streams the records
// of a .warc or .warc.gz file and hands out each HTTP response with its
// stored headers and body; Writer records the responses of a crawl.
//
// Parsing and writing the format itself is left to
// github.com/nlnwa/gowarc/v3; this package adds what newsx needs around
// it: telling a WARC from other input by its first bytes, reading
// gzip-per-record and whole-file gzip archives alike, going on past a
// damaged record, and capping what a record may hold in memory.
package archive
