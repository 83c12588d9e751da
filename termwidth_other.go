//go:build !unix

package main

// termWidth is 0 (unknown) where newsx cannot ask the terminal; the
// progress line is then not shortened.
func termWidth(any) int { return 0 }
