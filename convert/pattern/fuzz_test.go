package pattern

import (
	"errors"
	"path/filepath"
	"testing"
)

// FuzzParse checks that Parse never panics, that every error is a
// positioned *Error inside the input, and that anything that parses
// round-trips: Parse(x.String()) succeeds, is Equal to x and prints the
// same text again.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{goldenDir, filepath.Join(goldenDir, "invalid")} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.pattern"))
		for _, file := range files {
			f.Add(readPattern(f, file))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("Parse(%q) error %T is not *Error", src, err)
			}
			if perr.Pos < 0 || int(perr.Pos) > len(src) || perr.Line < 1 || perr.Col < 1 {
				t.Fatalf("Parse(%q) error %v has a bad position %d", src, err, perr.Pos)
			}
			return
		}
		checkRoundTrip(t, e)
	})
}
