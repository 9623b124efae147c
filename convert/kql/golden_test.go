package kql

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stixgate/stixgate/convert/pattern"
)

var (
	update       = flag.Bool("update", false, "rewrite golden files")
	kqlcheckPath = flag.String("kqlcheck", "../../../shared/tools/kqlcheck/kqlcheck", "path to the kqlcheck validator")
)

const (
	patternDir = "../../testdata/patterns"
	kqlDir     = "../../testdata/kql"
)

// readPattern reads a golden pattern; its final newline is not part of it.
func readPattern(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return strings.TrimSuffix(string(b), "\n")
}

func patternFiles(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(patternDir, "*.pattern"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no golden patterns in %s (%v)", patternDir, err)
	}
	return files
}

// tableDir is the golden folder for a query: its table, or "union" for an
// observation-AND query over several tables.
func tableDir(q Query) string {
	if strings.Contains(q.Table, ",") {
		return "union"
	}
	return q.Table
}

// TestGoldenRender renders every valid golden pattern. A rendered query goes
// to testdata/kql/<table>/<name>.kql, a refusal to
// testdata/kql/refused/<name>.err; any other outcome fails.
func TestGoldenRender(t *testing.T) {
	if *update {
		for _, d := range goldenKQLDirs(t) {
			removeGlob(t, filepath.Join(d, "*.kql"))
		}
		removeGlob(t, filepath.Join(kqlDir, "refused", "*.err"))
	}
	for _, file := range patternFiles(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".pattern")
		t.Run(name, func(t *testing.T) {
			src := readPattern(t, file)
			expr, err := pattern.Parse(src)
			if err != nil {
				t.Fatalf("Parse(%q) = %v", src, err)
			}
			qs, err := Render(expr, Options{})
			var ue *UnsupportedError
			switch {
			case errors.As(err, &ue):
				checkGolden(t, filepath.Join(kqlDir, "refused", name+".err"), ue.WithSource(src).Error()+"\n")
				assertNoGoldenKQL(t, name)
			case err != nil:
				t.Fatalf("Render(%q) = %v, want queries or *UnsupportedError", src, err)
			default:
				for _, q := range qs {
					checkGolden(t, filepath.Join(kqlDir, tableDir(q), name+".kql"), q.KQL+"\n")
				}
			}
		})
	}
}

func goldenKQLDirs(tb testing.TB) []string {
	tb.Helper()
	dirs, _ := filepath.Glob(filepath.Join(kqlDir, "*"))
	var out []string
	for _, d := range dirs {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() && filepath.Base(d) != "refused" && filepath.Base(d) != "pack" {
			out = append(out, d)
		}
	}
	return out
}

func removeGlob(tb testing.TB, glob string) {
	tb.Helper()
	files, _ := filepath.Glob(glob)
	for _, f := range files {
		if err := os.Remove(f); err != nil {
			tb.Fatal(err)
		}
	}
}

// assertNoGoldenKQL fails when a refused pattern still has a stale .kql.
func assertNoGoldenKQL(tb testing.TB, name string) {
	tb.Helper()
	for _, d := range goldenKQLDirs(tb) {
		if _, err := os.Stat(filepath.Join(d, name+".kql")); err == nil {
			tb.Errorf("%s is refused but %s/%s.kql exists", name, d, name)
		}
	}
}

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(tb testing.TB, path, got string) {
	tb.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("missing golden %s (run go test -update): %v", path, err)
	}
	if got != string(want) {
		tb.Errorf("%s mismatch:\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// runKQLCheck validates queries with kqlcheck (Microsoft's Kusto.Language
// with Sentinel schemas). It skips when the tool or node is missing; CI
// runs kqlcheck over the goldens directly as well.
func runKQLCheck(t *testing.T, queries []string, files ...string) {
	t.Helper()
	tool, err := filepath.Abs(*kqlcheckPath)
	if err != nil {
		t.Skip(err)
	}
	if _, err := os.Stat(tool); err != nil {
		t.Skipf("kqlcheck not found at %s (set -kqlcheck): %v", tool, err)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not installed")
	}
	cmd := exec.Command(tool, files...)
	if len(files) == 0 {
		cmd.Stdin = strings.NewReader(strings.Join(queries, "\n---\n"))
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 2 {
			t.Skipf("kqlcheck could not run: %s", out.String())
		}
		t.Fatalf("kqlcheck: %v\n%s", err, out.String())
	}
}

// TestKQLCheckGoldens runs every golden .kql through kqlcheck.
func TestKQLCheckGoldens(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(kqlDir, "*", "*.kql"))
	if len(files) == 0 {
		t.Fatal("no golden .kql files")
	}
	runKQLCheck(t, nil, files...)
}
