//go:build race

package extract

// raceEnabled is true under the race detector, which slows the extractor
// about tenfold; time bounds meant to catch hangs widen with it.
const raceEnabled = true
