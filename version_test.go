package main

import (
	"debug/buildinfo"
	"os/exec"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionLine(t *testing.T) {
	t.Parallel()
	stamped := &debug.BuildInfo{
		Main: debug.Module{Path: "github.com/newsx/newsx", Version: "v0.0.0-20261204022356-a30215d93368+dirty"},
		Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "a30215d9336856abf639b64340dd62f4c05077e2"},
			{Key: "vcs.time", Value: "2026-12-04T02:23:56Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	tagged := &debug.BuildInfo{Main: debug.Module{Path: "github.com/newsx/newsx", Version: "v1.2.0"}}
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		line string
		ua   string
	}{
		{"checkout", stamped,
			"newsx v0.0.0-20261204022356-a30215d93368+dirty (commit a30215d9336856abf639b64340dd62f4c05077e2, committed 2026-12-04T02:23:56Z, with uncommitted changes)",
			"newsx/0.0.0-20261204022356-a30215d93368+dirty (+https://github.com/newsx/newsx)"},
		{"go install of a tag", tagged, "newsx v1.2.0 (no commit recorded: build with go build in a git checkout)", "newsx/1.2.0 (+https://github.com/newsx/newsx)"},
		{"no build info", nil, "newsx devel (no commit recorded: build with go build in a git checkout)", "newsx/devel (+https://github.com/newsx/newsx)"},
	}
	for _, tt := range tests {
		if got := versionLine(tt.bi); got != tt.line {
			t.Errorf("%s: versionLine = %q, want %q", tt.name, got, tt.line)
		}
		if got := userAgent(tt.bi); got != tt.ua {
			t.Errorf("%s: userAgent = %q, want %q", tt.name, got, tt.ua)
		}
	}
}

// TestVersionBinary: a built newsx prints the commit go build recorded in
// it, and its default User-Agent carries the same version.
func TestVersionBinary(t *testing.T) {
	t.Parallel()
	bin := newsxBinary(t)
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	if !strings.HasPrefix(got, "newsx ") || strings.Contains(got, "newsx dev\n") {
		t.Errorf("--version printed %q", got)
	}
	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if got != versionLine(bi)+"\n" {
		t.Errorf("--version printed %q, want %q", got, versionLine(bi))
	}
	help, err := exec.Command(bin, "help", "extract").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(help), userAgent(bi)) {
		t.Errorf("help extract does not show the default User-Agent %q:\n%s", userAgent(bi), help)
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && !strings.Contains(got, s.Value) {
			t.Errorf("--version %q lacks the commit %s", got, s.Value)
		}
	}
}
