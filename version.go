package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// version overrides the module version when set at build time with
// -ldflags "-X main.version=v1.2.3".
var version = ""

// buildVersion is newsx's version as the go command recorded it in the
// binary: the module version (a tag, or a pseudo-version made from the
// commit), else "devel".
func buildVersion(bi *debug.BuildInfo) string {
	switch {
	case version != "":
		return version
	case bi != nil && bi.Main.Version != "" && bi.Main.Version != "(devel)":
		return bi.Main.Version
	}
	return "devel"
}

// versionLine is what --version prints: the version, then the commit, its
// time and whether the tree had changes, when the binary was built from a
// checkout (go build records them; go run and go test do not).
func versionLine(bi *debug.BuildInfo) string {
	line := "newsx " + buildVersion(bi)
	var rev, when, modified string
	if bi != nil {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
	}
	if rev == "" {
		return line + " (no commit recorded: build with go build in a git checkout)"
	}
	var parts []string
	parts = append(parts, "commit "+rev)
	if when != "" {
		parts = append(parts, "committed "+when)
	}
	if modified == "true" {
		parts = append(parts, "with uncommitted changes")
	}
	return fmt.Sprintf("%s (%s)", line, strings.Join(parts, ", "))
}

// userAgent is the default User-Agent: newsx/VERSION and where to read
// about it.
func userAgent(bi *debug.BuildInfo) string {
	return "newsx/" + strings.TrimPrefix(buildVersion(bi), "v") + " (+https://github.com/newsx/newsx)"
}

// readBuildInfo is the binary's build information, or nil.
func readBuildInfo() *debug.BuildInfo {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}
	return bi
}
