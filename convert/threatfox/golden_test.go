package threatfox

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

const testdata = "../../testdata/threatfox"

// inputs lists the sample inputs: every file in testdata/threatfox that is
// not itself a golden output.
func inputs(tb testing.TB) []string {
	tb.Helper()
	entries, err := os.ReadDir(testdata)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || strings.HasSuffix(n, ".stix.json") || strings.HasSuffix(n, ".report.txt") {
			continue
		}
		out = append(out, filepath.Join(testdata, n))
	}
	if len(out) == 0 {
		tb.Fatal("no inputs in " + testdata)
	}
	return out
}

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update and review the diff):\n%s", path, firstDiff(got, want))
	}
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return ""
}

// TestGolden converts every sample and compares the bundle and the skip
// report with their goldens.
func TestGolden(t *testing.T) {
	for _, in := range inputs(t) {
		t.Run(filepath.Base(in), func(t *testing.T) {
			b, res, err := Import(bytes.NewReader(mustRead(t, in)), FormatAuto, Options{})
			if err != nil {
				t.Fatalf("Import(%s) error = %v", in, err)
			}
			var bundle, report bytes.Buffer
			if err := b.WriteJSON(&bundle); err != nil {
				t.Fatal(err)
			}
			if err := res.WriteReport(&report); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, in+".stix.json", bundle.Bytes())
			checkGolden(t, in+".report.txt", report.Bytes())
		})
	}
}
