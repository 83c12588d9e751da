package main

import (
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int64
		bad  bool
	}{
		{in: "1048576", want: 1048576},
		{in: "10MB", want: 10_000_000},
		{in: "10mb", want: 10_000_000},
		{in: "512KiB", want: 512 << 10},
		{in: "1.5GiB", want: 3 << 29},
		{in: "100 kB", want: 100_000},
		{in: "10XB", bad: true},
		{in: "MB", bad: true},
		{in: "", bad: true},
		{in: "1e30", bad: true},
	}
	for _, tt := range tests {
		got, err := parseSize(tt.in)
		if (err != nil) != tt.bad || got != tt.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d (error: %v)", tt.in, got, err, tt.want, tt.bad)
		}
	}
}

// TestDurationsAndSizes: a bare number is seconds, sizes take units, and
// impossible values are usage errors naming the flag and the range.
func TestDurationsAndSizes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		code int
		want string // substring of stderr
	}{
		{args: []string{"extract", "--timeout", "5", seed}},
		{args: []string{"extract", "--timeout", "0.5", seed}},
		{args: []string{"extract", "--max-bytes", "10MB", seed}},
		{args: []string{"extract", "--max-bytes", "512KiB", seed}},
		{args: []string{"extract", "--max-bytes", "10485760", seed}},
		{args: []string{"extract", "--max-bytes", "1KB", seed}, code: exitFailure, want: "body too large"},
		{args: []string{"extract", "-j", "0", seed}, code: exitUsage, want: "--jobs 0: want 1 or more"},
		{args: []string{"extract", "-j", "-3", seed}, code: exitUsage, want: "--jobs -3: want 1 or more"},
		{args: []string{"extract", "--max-bytes", "-1", seed}, code: exitUsage, want: "--max-bytes: want a size of 1 byte or more"},
		{args: []string{"extract", "--max-bytes", "10XB", seed}, code: exitUsage, want: "--max-bytes: want a size such as 10MB"},
		{args: []string{"extract", "--timeout", "0", seed}, code: exitUsage, want: "--timeout: want a duration, more than 0"},
		{args: []string{"extract", "--timeout", "soon", seed}, code: exitUsage, want: "such as 5s"},
		{args: []string{"crawl", "--delay", "-1s", "https://x.test/"}, code: exitUsage, want: "--delay: want a duration, 0 or more"},
		{args: []string{"crawl", "--retries", "-1", "https://x.test/"}, code: exitUsage, want: "--retries -1: want 0 or more"},
		{args: []string{"crawl", "--max-bytes", "0", "https://x.test/"}, code: exitUsage, want: "--max-bytes"},
		{args: []string{"crawl", "--timeout", "-5", "https://x.test/"}, code: exitUsage, want: "--timeout"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, "", tt.args...)
		// The flag package puts the value between flag and reason.
		stderr = strings.Replace(stderr, " for flag ", "", 1)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
}
