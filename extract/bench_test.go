package extract

import (
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkFromReader extracts each fixture page; one sub-benchmark per
// fixture. Compare runs with benchstat.
func BenchmarkFromReader(b *testing.B) {
	matches, err := filepath.Glob(filepath.Join(fixtureDir, "*", "source.html"))
	if err != nil || len(matches) == 0 {
		b.Fatal("no fixtures")
	}
	for _, m := range matches {
		name := filepath.Base(filepath.Dir(m))
		src, err := os.ReadFile(m)
		if err != nil {
			b.Fatal(err)
		}
		u, _ := url.Parse("https://fixture.test/" + name + "/")
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			a, _ := FromBytes(src, u, Options{})
			if a == nil || a.Headline == "" {
				b.Fatalf("%s: no headline extracted", name)
			}
			for b.Loop() {
				FromBytes(src, u, Options{})
			}
		})
	}
}
