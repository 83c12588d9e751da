package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
)

// durationValue is a flag value for a time span: a Go duration (1m30s,
// 500ms) or a bare number of seconds (5, 0.5). Its String is a Go
// duration, so cli.Context.Duration reads it.
type durationValue struct {
	d        time.Duration
	positive bool // 0 is refused too
}

// Set parses s; negative spans are refused.
func (v *durationValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > math.MaxInt64/float64(time.Second) {
			return fmt.Errorf("want a duration such as 5s, 1m30s or 500ms (a bare number is seconds)%s", v.bound())
		}
		d = time.Duration(f * float64(time.Second))
	}
	if d < 0 || (d == 0 && v.positive) {
		return fmt.Errorf("want a duration%s", v.bound())
	}
	v.d = d
	return nil
}

func (v *durationValue) bound() string {
	if v.positive {
		return ", more than 0"
	}
	return ", 0 or more"
}

// String returns the span as a Go duration.
func (v *durationValue) String() string { return v.d.String() }

// Get returns the duration, so the flag is a flag.Getter.
func (v *durationValue) Get() any { return v.d }

// durationFlag is a flag for a time span whose default is def (see
// durationValue).
func durationFlag(name string, def time.Duration, positive bool, usage string) *cli.GenericFlag {
	return &cli.GenericFlag{Name: name, Value: &durationValue{d: def, positive: positive}, Usage: usage}
}

// sizeUnits are the byte-size suffixes, lower case: SI (kB = 1000) and
// binary (KiB = 1024).
var sizeUnits = map[string]float64{
	"": 1, "b": 1,
	"k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30,
}

// parseSize reads a byte count: 1048576, 10MB, 512KiB, 1.5GB.
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' && r != '-' && r != '+' })
	num, unit := t, ""
	if i >= 0 {
		num, unit = t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	}
	mult, ok := sizeUnits[unit]
	if !ok || num == "" {
		return 0, errors.New("want a size such as 10MB, 512KiB or a number of bytes")
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, errors.New("want a size such as 10MB, 512KiB or a number of bytes")
	}
	n := f * mult
	if n >= math.MaxInt64 {
		return 0, errors.New("want a size below 8 EiB")
	}
	return int64(n), nil
}

// sizeValue is a flag value for a byte count of at least 1 (see
// parseSize). Its String is the count in bytes, so cli.Context.Int64
// reads it.
type sizeValue struct{ n int64 }

// Set parses s; sizes under one byte are refused.
func (v *sizeValue) Set(s string) error {
	n, err := parseSize(s)
	if err != nil {
		return err
	}
	if n < 1 {
		return errors.New("want a size of 1 byte or more, such as 10MB or 512KiB")
	}
	v.n = n
	return nil
}

// String returns the size in bytes.
func (v *sizeValue) String() string { return strconv.FormatInt(v.n, 10) }

// Get returns the size in bytes, so the flag is a flag.Getter.
func (v *sizeValue) Get() any { return v.n }

// sizeFlag is a flag for a byte count whose default is def.
func sizeFlag(name string, def int64, usage string) *cli.GenericFlag {
	return &cli.GenericFlag{Name: name, Value: &sizeValue{n: def}, Usage: usage}
}

// atLeast checks that the int flags named are at least min, as a usage
// error that names the flag and the allowed range.
func atLeast(c *cli.Context, min int, names ...string) error {
	for _, n := range names {
		if v := c.Int(n); v < min {
			return usageError{fmt.Errorf("--%s %d: want %d or more", n, v, min)}
		}
	}
	return nil
}
