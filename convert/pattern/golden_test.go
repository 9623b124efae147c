package pattern

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// goldenDir holds one pattern per *.pattern file, shared with the KQL
// renderer. The file's final newline is not part of the pattern. Valid
// patterns are stored in canonical form, except spec-*.pattern, which are
// the STIX 2.1 §9 examples as written; invalid/ holds rejected patterns,
// each with a .err golden holding the exact error message.
const goldenDir = "../../testdata/patterns"

// readPattern reads one golden pattern, dropping the final newline.
func readPattern(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return strings.TrimSuffix(string(b), "\n")
}

func goldenFiles(tb testing.TB, dir string) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.pattern"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no golden patterns in %s (%v)", dir, err)
	}
	return files
}

func TestGoldenValid(t *testing.T) {
	for _, file := range goldenFiles(t, goldenDir) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src := readPattern(t, file)
			e := mustParse(t, src)
			// The spec's own examples are kept verbatim, redundant
			// parentheses included; every other golden is canonical.
			spec := strings.HasPrefix(filepath.Base(file), "spec-")
			if got := e.String(); got != src && !spec {
				t.Fatalf("Parse(%q).String() = %q; golden patterns must be canonical", src, got)
			}
			checkRoundTrip(t, e)
		})
	}
}

// TestSpecExamples checks that the golden copies of the STIX 2.1 §9
// examples (spec-*.pattern) are all present and valid.
func TestSpecExamples(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(goldenDir, "spec-*.pattern"))
	if len(files) < 25 {
		t.Fatalf("found %d spec-*.pattern examples, want at least 25", len(files))
	}
	for _, file := range files {
		if _, err := Parse(readPattern(t, file)); err != nil {
			t.Errorf("%s: Parse error: %v", filepath.Base(file), err)
		}
	}
}

func TestGoldenInvalid(t *testing.T) {
	for _, file := range goldenFiles(t, filepath.Join(goldenDir, "invalid")) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src := readPattern(t, file)
			e, err := Parse(src)
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("Parse(%q) = %v, %v; want an *Error", src, e, err)
			}
			got := perr.Error() + "\n"
			errFile := strings.TrimSuffix(file, ".pattern") + ".err"
			if *update {
				if err := os.WriteFile(errFile, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(errFile)
			if err != nil {
				t.Fatalf("missing golden (run go test -update): %v", err)
			}
			if got != string(want) {
				t.Fatalf("Parse(%q) error = %q, want %q", src, got, want)
			}
		})
	}
}
