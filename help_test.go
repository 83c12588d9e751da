package main

import (
	"strings"
	"testing"
)

// TestHelp: newsx help and newsx help COMMAND print help on stdout; newsx
// alone prints a short usage with both commands and an example of each.
func TestHelp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{args: []string{"help"}, stdout: []string{"extract", "crawl", "--version"}},
		{args: []string{"help", "extract"}, stdout: []string{"newsx extract", "--format", "--max-bytes"}},
		{args: []string{"help", "crawl"}, stdout: []string{"newsx crawl", "--seeds", "--per-host"}},
		{args: []string{"--help"}, stdout: []string{"extract", "crawl"}},
		{args: nil, code: exitUsage, stderr: []string{"newsx extract [flags] INPUT", "newsx extract https://", "newsx crawl [flags]", "newsx crawl --seeds"}},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(t, "", tt.args...)
		if code != tt.code {
			t.Errorf("%v: exit %d, want %d (stderr: %s)", tt.args, code, tt.code, errOut)
		}
		for _, w := range tt.stdout {
			if !strings.Contains(out, w) {
				t.Errorf("%v: stdout lacks %q:\n%s", tt.args, w, out)
			}
		}
		for _, w := range tt.stderr {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tt.args, w, errOut)
			}
		}
	}
}
