package main

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsx/newsx/extract"
)

// TestExtractAllSlowPage checks that one slow page does not hold the other
// workers back: while it runs, they go on with the pages after it (up to
// the window), and the results still come out in input order.
func TestExtractAllSlowPage(t *testing.T) {
	const n = 40
	inputs := make([]string, n)
	for i := range inputs {
		inputs[i] = fmt.Sprint(i)
	}
	const ahead = 20 // pages the other worker must finish while page 0 runs
	var done atomic.Int32
	fn := func(in string) (*extract.Article, error) {
		if in == "0" {
			deadline := time.Now().Add(5 * time.Second)
			for done.Load() < ahead && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			if done.Load() < ahead {
				return nil, fmt.Errorf("only %d pages done while the first ran", done.Load())
			}
		} else {
			done.Add(1)
		}
		return &extract.Article{Headline: in}, nil
	}
	i := 0
	for r := range extractAll(context.Background(), inputs, 2, fn) {
		if r.err != nil {
			t.Fatal(r.err)
		}
		if r.a.Headline != inputs[i] {
			t.Fatalf("result %d is %q", i, r.a.Headline)
		}
		i++
	}
	if i != n {
		t.Fatalf("%d results, want %d", i, n)
	}
}
