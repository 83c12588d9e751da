// Package output writes newsx records to an io.Writer in the formats
// newsx offers (json, jsonl).
//
// It owns encoding only: it never does HTTP, never logs and never decides
// what a record holds. Every record newsx writes, for extract and for
// crawl, goes through an Encoder.
package output
