package main

import (
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/newsx/newsx/output"
)

// TestExcelCSV: --excel writes a BOM and cuts cells over Excel's limit,
// counting them on stderr; plain CSV keeps them whole.
func TestExcelCSV(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("<html><head><title>A long story</title></head><body><article><h1>A very long story told in many paragraphs</h1>")
	for i := range 400 {
		fmt.Fprintf(&b, "<p>Paragraph %d of a very long story, with enough words in it to make the body longer than one spreadsheet cell holds — 日本語も.</p>", i+1)
	}
	b.WriteString("</article></body></html>")
	page := b.String()

	body := func(out string) string {
		t.Helper()
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil || len(recs) != 2 {
			t.Fatalf("CSV: %d rows, %v", len(recs), err)
		}
		for i, h := range recs[0] {
			if h == "body" {
				return recs[1][i]
			}
		}
		t.Fatal("no body column")
		return ""
	}

	code, out, errOut := runCLI(t, page, "extract", "--url", "https://news.example/long", "--excel", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(out, "\ufeffurl,") {
		t.Errorf("--excel output does not start with a BOM and the header: %q", out[:min(len(out), 20)])
	}
	cut := body(strings.TrimPrefix(out, "\ufeff"))
	if n := len(utf16.Encode([]rune(cut))); n > output.ExcelCellLimit || !strings.HasSuffix(cut, "…") {
		t.Errorf("--excel body is %d UTF-16 units, ends %q; want at most %d ending in …", n, cut[len(cut)-10:], output.ExcelCellLimit)
	}
	if !strings.Contains(errOut, "1 CSV cells cut") {
		t.Errorf("stderr does not count the cut cell: %q", errOut)
	}

	code, out, errOut = runCLI(t, page, "extract", "--url", "https://news.example/long", "-f", "csv", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.HasPrefix(out, "\ufeff") || strings.Contains(errOut, "cut") {
		t.Errorf("plain CSV has a BOM or cut cells (stderr %q)", errOut)
	}
	if whole := body(out); len(whole) <= output.ExcelCellLimit || strings.HasSuffix(whole, "…") {
		t.Errorf("plain CSV body is %d bytes; want it whole", len(whole))
	}

	if code, _, errOut := runCLI(t, page, "extract", "--excel", "-f", "jsonl", "-"); code != exitUsage || !strings.Contains(errOut, "--excel") {
		t.Errorf("--excel -f jsonl: exit %d, stderr %q; want a usage error", code, errOut)
	}
}
