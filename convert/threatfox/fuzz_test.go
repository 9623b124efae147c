package threatfox

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stixgate/stixgate/convert/pattern"
	"github.com/stixgate/stixgate/convert/stix"
)

// seedFuzz adds every sample whose name has one of the suffixes.
func seedFuzz(f *testing.F, suffixes ...string) {
	f.Helper()
	for _, in := range inputs(f) {
		for _, s := range suffixes {
			if strings.HasSuffix(filepath.Base(in), s) {
				f.Add(mustRead(f, in))
			}
		}
	}
}

// fuzzImport reads data in format f and converts it: no panic, no Convert
// error, every row normalised, every object valid and every pattern parses.
func fuzzImport(t *testing.T, data []byte, f Format) {
	res, err := Read(bytes.NewReader(data), f)
	if err != nil {
		t.Fatalf("Read() error = %v (only reader errors are allowed)", err)
	}
	for _, r := range res.Rows {
		if r.Value == "" || r.FirstSeen.IsZero() || r.Confidence < 0 || r.Confidence > 100 {
			t.Fatalf("Read() produced a bad row %+v", r)
		}
	}
	b, err := Convert(res.Rows, Options{})
	if err != nil {
		t.Fatalf("Convert() error = %v", err)
	}
	for _, o := range b.Objects {
		meta, err := stix.Inspect(o.JSON)
		if err != nil {
			t.Fatalf("Inspect(%s) error = %v\n%s", o.ID, err, o.JSON)
		}
		if meta.Pattern == "" {
			continue
		}
		expr, err := pattern.Parse(meta.Pattern)
		if err != nil || expr.String() != meta.Pattern {
			t.Fatalf("pattern.Parse(%q) = %v, %v; want a round trip", meta.Pattern, expr, err)
		}
	}
}

func FuzzMarkdown(f *testing.F) {
	seedFuzz(f, ".md")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzImport(t, data, FormatMarkdown) })
}

func FuzzThreatFoxCSV(f *testing.F) {
	seedFuzz(f, ".csv")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzImport(t, data, FormatCSV) })
}

func FuzzAPIJSON(f *testing.F) {
	seedFuzz(f, "api.json", "truncated.json", "noresult.json")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzImport(t, data, FormatAPI) })
}

func FuzzExportJSON(f *testing.F) {
	seedFuzz(f, "export.json")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzImport(t, data, FormatJSON) })
}
