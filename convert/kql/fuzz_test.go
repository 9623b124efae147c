package kql

import (
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stixgate/stixgate/convert/pattern"
)

var regexLiteral = regexp.MustCompile(`matches regex ("(?:[^"\\]|\\.)*")`)

// checkRendered asserts the output contract: every string literal decodes
// (so none holds a raw line break or a broken escape) and every emitted
// regex compiles as RE2.
func checkRendered(t *testing.T, src string, qs []Query) {
	t.Helper()
	for _, q := range qs {
		skeleton(t, q.KQL)
		for _, m := range regexLiteral.FindAllStringSubmatch(stripComments(q.KQL), -1) {
			re, err := decodeString(m[1])
			if err != nil {
				t.Fatalf("Render(%q): regex literal %s: %v", src, m[1], err)
			}
			if _, err := regexp.Compile(re); err != nil {
				t.Fatalf("Render(%q): regex %q does not compile: %v", src, re, err)
			}
		}
	}
}

// FuzzRender: every pattern that parses either renders or is refused with
// a typed *UnsupportedError, never panics, and renders only valid literals.
func FuzzRender(f *testing.F) {
	for _, glob := range []string{"*.pattern", "invalid/*.pattern"} {
		files, _ := filepath.Glob(filepath.Join(patternDir, glob))
		for _, file := range files {
			f.Add(readPattern(f, file))
		}
	}
	for _, v := range hostileValues {
		f.Add("[file:name = " + pattern.Quote(v) + "]")
		f.Add("[file:name MATCHES " + pattern.Quote(v) + "]")
		f.Add("[url:value LIKE " + pattern.Quote(v) + "]")
	}
	f.Fuzz(func(t *testing.T, src string) {
		expr, err := pattern.Parse(src)
		if err != nil {
			return
		}
		qs, err := Render(expr, Options{})
		var ue *UnsupportedError
		if err != nil && !errors.As(err, &ue) {
			t.Fatalf("Render(%q) = %v, want queries or *UnsupportedError", src, err)
		}
		if err == nil && len(qs) == 0 {
			t.Fatalf("Render(%q) = no queries and no error", src)
		}
		checkRendered(t, src, qs)
		pq, err := Pack([]Indicator{{ID: "x", Source: src, Pattern: expr}}, PackOptions{})
		var pe *PackError
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("Pack(%q) = %v, want nil or *PackError", src, err)
		}
		checkRendered(t, src, pq)
		for _, q := range pq {
			if strings.Contains(q.KQL, "// Source: ") && strings.Count(q.KQL, "\n// Source: ") > 1 {
				t.Fatalf("Pack(%q): source comment broke into several lines:\n%s", src, q.KQL)
			}
		}
	})
}
