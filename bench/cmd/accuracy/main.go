// Command accuracy runs newsx and the peer extractors on evaluation sets
// and prints one table of body and per-field accuracy, scored as
// ../shared/tools/score.py scores (see internal/score).
//
//	go run ./cmd/accuracy [-format plain|markdown] [-md FILE] [-save DIR] [-json FILE] DATASET...
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/newsx/newsx/bench/internal/dataset"
	"github.com/newsx/newsx/bench/internal/score"
	"github.com/newsx/newsx/bench/internal/systems"
)

// column is one metric of the table: score.py's key and a header.
type column struct{ key, head string }

var columns = []column{
	{"article", "article"}, {"body_f1", "body F1"}, {"body_precision", "prec"}, {"body_recall", "recall"}, {"body_accuracy", "exact"},
	{"title", "title"}, {"authors", "authors"}, {"date", "date"}, {"tags_f1", "tags F1"}, {"image", "image"},
	{"description", "descr"}, {"site_name", "site"}, {"lang", "lang"},
}

type setResult struct {
	name    string
	pages   int
	results []score.Result // per system
	errors  []int
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("accuracy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "plain", "table format: plain or markdown")
	save := fs.String("save", "", "write <set>.<system>.preds.jsonl and .misses.tsv into this directory")
	jsonOut := fs.String("json", "", "write every figure as JSON ({set: {system: {metric: value}}}) to this file")
	mdOut := fs.String("md", "", "also write the table as markdown to this file")
	jobs := fs.Int("jobs", runtime.GOMAXPROCS(0), "pages extracted in parallel")
	limit := fs.Int("limit", 0, "score only the first N pages of each set (0: all)")
	half := fs.String("half", "", "score one half of each set, as score.py --half: tune or check (default: all pages)")
	only := fs.String("systems", "", "comma-separated system names to run (default: all)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: accuracy [flags] DATASET...\n\nDATASET is a folder with pages/<id>.html and truth.jsonl.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 || (*format != "plain" && *format != "markdown") || *half != "" && *half != "tune" && *half != "check" {
		fs.Usage()
		return 2
	}
	sys := systems.Extractors
	if *only != "" {
		sys = nil
		for _, s := range systems.Extractors {
			for _, n := range strings.Split(*only, ",") {
				if strings.EqualFold(strings.TrimSpace(n), s.Name) {
					sys = append(sys, s)
				}
			}
		}
		if len(sys) == 0 {
			fmt.Fprintf(stderr, "accuracy: -systems %q matches none of the systems\n", *only)
			return 2
		}
	}
	var sets []setResult
	all := map[string]map[string]score.Result{}
	for _, dir := range fs.Args() {
		ds, err := dataset.Load(dir)
		if errors.Is(err, dataset.ErrAbsent) {
			fmt.Fprintf(stderr, "accuracy: skipping %s: no truth.jsonl there\n", dir)
			continue
		}
		if err != nil {
			fmt.Fprintf(stderr, "accuracy: %v\n", err)
			return 1
		}
		if *half != "" {
			ds.Truths = dataset.Half(ds.Truths, *half == "tune")
		}
		if *limit > 0 && len(ds.Truths) > *limit {
			ds.Truths = ds.Truths[:*limit]
		}
		fmt.Fprintf(stderr, "accuracy: %s: %d pages, %d systems\n", ds.Name, len(ds.Truths), len(sys))
		preds := extractAll(ds, sys, *jobs, stderr)
		sr := setResult{name: ds.Name, pages: len(ds.Truths)}
		all[ds.Name] = map[string]score.Result{}
		for i, s := range sys {
			res, misses := score.Score(ds.Truths, preds[i])
			errs := 0
			for _, p := range preds[i] {
				if p.Error != "" {
					errs++
				}
			}
			res["pages"], res["errors"] = float64(len(ds.Truths)), float64(errs)
			sr.results = append(sr.results, res)
			sr.errors = append(sr.errors, errs)
			all[ds.Name][s.Name] = res
			if *save != "" {
				if err := savePreds(*save, ds, s.Name, preds[i], misses); err != nil {
					fmt.Fprintf(stderr, "accuracy: %v\n", err)
					return 1
				}
			}
		}
		sets = append(sets, sr)
	}
	if len(sets) == 0 {
		fmt.Fprintln(stderr, "accuracy: no dataset found; nothing to do")
		return 0
	}
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(all, "", "  ")
		if err := os.WriteFile(*jsonOut, append(b, '\n'), 0o644); err != nil {
			fmt.Fprintf(stderr, "accuracy: %v\n", err)
			return 1
		}
	}
	if *mdOut != "" {
		var b strings.Builder
		writeMarkdown(&b, sets, sys)
		if err := os.WriteFile(*mdOut, []byte(b.String()), 0o644); err != nil {
			fmt.Fprintf(stderr, "accuracy: %v\n", err)
			return 1
		}
	}
	if *format == "markdown" {
		writeMarkdown(stdout, sets, sys)
	} else {
		writePlain(stdout, sets, sys)
	}
	return 0
}

// extractAll runs every system on every page, jobs pages at a time, and
// returns the records per system, keyed by page id.
func extractAll(ds *dataset.Set, sys []systems.System, jobs int, stderr io.Writer) []map[string]*score.Pred {
	out := make([]map[string]*score.Pred, len(sys))
	for i := range out {
		out[i] = map[string]*score.Pred{}
	}
	var mu sync.Mutex
	next := make(chan score.Truth)
	var wg sync.WaitGroup
	for range max(1, jobs) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range next {
				page, err := ds.Page(t.ID)
				if err != nil {
					fmt.Fprintf(stderr, "accuracy: %v\n", err)
				}
				u := dataset.PageURL(t)
				for i, s := range sys {
					p := &score.Pred{Error: "page unreadable"}
					if err == nil {
						var xerr error
						p, xerr = systems.Run(s, page, u)
						if xerr != nil {
							p = &score.Pred{Error: xerr.Error()}
						}
					}
					p.ID = t.ID
					mu.Lock()
					out[i][t.ID] = p
					mu.Unlock()
				}
			}
		}()
	}
	for _, t := range ds.Truths {
		next <- t
	}
	close(next)
	wg.Wait()
	return out
}

func fileName(system string) string {
	return strings.NewReplacer(" ", "-", "/", "-").Replace(system)
}

func savePreds(dir string, ds *dataset.Set, system string, preds map[string]*score.Pred, misses []score.Miss) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	base := filepath.Join(dir, ds.Name+"."+fileName(system))
	var b strings.Builder
	for _, t := range ds.Truths {
		line, err := json.Marshal(preds[t.ID])
		if err != nil {
			return err
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(base+".preds.jsonl", []byte(b.String()), 0o644); err != nil {
		return err
	}
	b.Reset()
	clean := strings.NewReplacer("\t", " ", "\n", " ")
	for _, m := range misses {
		for i, f := range m {
			if i > 0 {
				b.WriteByte('\t')
			}
			f = clean.Replace(f)
			if r := []rune(f); len(r) > 400 {
				f = string(r[:400])
			}
			b.WriteString(f)
		}
		b.WriteByte('\n')
	}
	return os.WriteFile(base+".misses.tsv", []byte(b.String()), 0o644)
}

func cell(r score.Result, k string) string {
	if !r.Has(k) {
		return "–"
	}
	return fmt.Sprintf("%.3f", r[k])
}

// counts is the "n" row: how many pages each metric counts.
func counts(r score.Result) []string {
	var out []string
	for _, c := range columns {
		n := "body_n"
		if !strings.HasPrefix(c.key, "body_") {
			n = c.key + "_n"
		}
		if r.Has(n) {
			out = append(out, fmt.Sprintf("%d", int(r[n])))
		} else {
			out = append(out, "–")
		}
	}
	return out
}

func writePlain(w io.Writer, sets []setResult, sys []systems.System) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"set", "system"}
	for _, c := range columns {
		head = append(head, c.head)
	}
	head = append(head, "errors")
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, s := range sets {
		fmt.Fprintln(tw, strings.Join(append([]string{s.name, fmt.Sprintf("(n, %d pages)", s.pages)}, counts(s.results[0])...), "\t")+"\t\t")
		for i, x := range sys {
			row := []string{s.name, x.Name}
			for _, c := range columns {
				row = append(row, cell(s.results[i], c.key))
			}
			row = append(row, fmt.Sprintf("%d", s.errors[i]))
			fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
		}
	}
	tw.Flush()
}

func writeMarkdown(w io.Writer, sets []setResult, sys []systems.System) {
	head := []string{"set", "system"}
	sep := []string{"---", "---"}
	for _, c := range columns {
		head = append(head, c.head)
		sep = append(sep, "---:")
	}
	head = append(head, "errors")
	sep = append(sep, "---:")
	fmt.Fprintf(w, "| %s |\n| %s |\n", strings.Join(head, " | "), strings.Join(sep, " | "))
	for _, s := range sets {
		fmt.Fprintf(w, "| %s | *pages counted (of %d)* | %s | |\n", s.name, s.pages, strings.Join(counts(s.results[0]), " | "))
		for i, x := range sys {
			row := []string{s.name, x.Name}
			for _, c := range columns {
				v := cell(s.results[i], c.key)
				if x.Name == systems.Newsx.Name && v != "–" {
					v = "**" + v + "**"
				}
				row = append(row, v)
			}
			row = append(row, fmt.Sprintf("%d", s.errors[i]))
			fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
		}
	}
}
