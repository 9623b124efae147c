package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
)

const taxiiMedia = "application/taxii+json;version=2.1"

// syncBuffer is a bytes.Buffer safe for the server's log goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func testEnv(t testing.TB, vars map[string]string) env {
	t.Helper()
	return env{
		Stdin: strings.NewReader(""), Stdout: &syncBuffer{}, Stderr: &syncBuffer{},
		Now:    time.Now,
		Getenv: func(k string) string { return vars[k] },
	}
}

// startGateway runs the built-in configuration on a loopback port with the
// embedded Redis, as `stixgate serve` does on a fresh machine.
func startGateway(t testing.TB, vars map[string]string) *Main {
	t.Helper()
	cfg, err := loadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Listen = "127.0.0.1:0"
	cfg.TAXII.APIRoots[0].Collections[0].SeedFile = "../../testdata/threatfox/purelogs.md"
	m := &Main{Config: cfg, Env: testEnv(t, vars)}
	if err := m.Open(t.Context()); err != nil {
		t.Fatalf("Main.Open: %v", err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("Main.Close: %v", err)
		}
	})
	return m
}

func get(t testing.TB, url, user, pass string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", taxiiMedia)
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func TestServeSeedsPurelogsAndPrintsHowToLogIn(t *testing.T) {
	m := startGateway(t, map[string]string{"STIXGATE_USER": "soc", "STIXGATE_PASSWORD": "correct horse"})
	banner := m.Env.Stdout.(*syncBuffer).String()
	for _, want := range []string{m.URL() + "/taxii2/", m.URL() + "/api1/", "purelogs", "user soc", "seeded:"} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	if strings.Contains(banner, "correct horse") {
		t.Errorf("banner echoes the operator's password:\n%s", banner)
	}

	resp, body := get(t, m.URL()+"/collections/purelogs/objects/?match[type]=indicator", "soc", "correct horse")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != taxiiMedia {
		t.Fatalf("GET objects: %s %q: %s", resp.Status, resp.Header.Get("Content-Type"), body)
	}
	var env struct {
		Objects []struct {
			Type, Pattern string
			Confidence    int
		}
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatal(err)
	}
	var patterns []string
	for _, o := range env.Objects {
		patterns = append(patterns, o.Pattern)
	}
	joined := strings.Join(patterns, "\n")
	for _, want := range []string{"'20.81.43.36'", "dst_port = 1011", "dst_port = 8030", "'webdot.ddns.net'"} {
		if !strings.Contains(joined, want) {
			t.Errorf("purelogs indicators lack %s; patterns:\n%s", want, joined)
		}
	}
	if len(env.Objects) != 3 {
		t.Errorf("purelogs has %d indicators, want 3", len(env.Objects))
	}

	if resp, _ := get(t, m.URL()+"/collections/purelogs/objects/", "soc", "wrong"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong password: %s, want 401", resp.Status)
	}
}

func TestServeGeneratesAPasswordWhenNoneIsGiven(t *testing.T) {
	m := startGateway(t, nil)
	banner := m.Env.Stdout.(*syncBuffer).String()
	i := strings.Index(banner, "user admin, password ")
	if i < 0 {
		t.Fatalf("banner has no generated login:\n%s", banner)
	}
	pass := strings.Fields(banner[i+len("user admin, password "):])[0]
	if resp, body := get(t, m.URL()+"/taxii2/", "admin", pass); resp.StatusCode != http.StatusOK {
		t.Fatalf("discovery with the printed password: %s %s", resp.Status, body)
	}
}

func TestReseedingTheSameFeedAddsNothing(t *testing.T) {
	m := startGateway(t, map[string]string{"STIXGATE_PASSWORD": "p"})
	rep, err := m.importFile(t.Context(), m.Config.TAXII.APIRoots[0].Collections[0].ID, "../../testdata/threatfox/purelogs.md")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 0 || rep.Changed != 0 || rep.Unchanged == 0 {
		t.Errorf("second import = %+v, want only unchanged objects", rep)
	}
}

func TestImportPrintsADeterministicBundle(t *testing.T) {
	var outs []string
	for range 2 {
		e := testEnv(t, nil)
		if code := run(t.Context(), []string{"import", "../../testdata/threatfox/purelogs.md"}, e); code != 0 {
			t.Fatalf("import exit %d: %s", code, e.Stderr.(*syncBuffer).String())
		}
		outs = append(outs, e.Stdout.(*syncBuffer).String())
		if summary := e.Stderr.(*syncBuffer).String(); !strings.Contains(summary, "3 indicator") {
			t.Errorf("import summary lacks the indicator count: %s", summary)
		}
	}
	if outs[0] != outs[1] {
		t.Error("two imports of the same feed printed different bundles")
	}
	if !json.Valid([]byte(outs[0])) || !strings.Contains(outs[0], `"type": "bundle"`) && !strings.Contains(outs[0], `"type":"bundle"`) {
		t.Errorf("import did not print a STIX bundle:\n%.300s", outs[0])
	}
}

func TestImportExitStatusReportsSkippedRows(t *testing.T) {
	e := testEnv(t, nil)
	e.Stdin = strings.NewReader("| Type | Value | Threat Type | First Seen | Confidence |\n|---|---|---|---|---|\n| ip:port | 1.2.3.4:99999 | botnet_cc | 2026-06-08 | 75% |\n| domain | ok.example | botnet_cc | 2026-06-08 | 50% |\n")
	code := run(t.Context(), []string{"import", "--format", "markdown", "-"}, e)
	if code != 1 {
		t.Fatalf("import of a feed with a bad row: exit %d, want 1", code)
	}
	stderr := e.Stderr.(*syncBuffer).String()
	if !strings.Contains(stderr, "line 3") {
		t.Errorf("stderr does not name the bad row's line:\n%s", stderr)
	}
	if !strings.Contains(e.Stdout.(*syncBuffer).String(), "ok.example") {
		t.Error("the good row was not converted")
	}
}

func TestHashPassword(t *testing.T) {
	e := testEnv(t, nil)
	e.Stdin = strings.NewReader("s3cret\n")
	if code := run(t.Context(), []string{"hash-password", "--cost", "4"}, e); code != 0 {
		t.Fatalf("hash-password exit %d: %s", code, e.Stderr.(*syncBuffer).String())
	}
	if h := e.Stdout.(*syncBuffer).String(); !strings.HasPrefix(h, "$2a$04$") {
		t.Errorf("hash-password printed %q, want a bcrypt hash of cost 4", h)
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	e := testEnv(t, nil)
	if code := run(t.Context(), []string{"no-such-command"}, e); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
}

// import --collection loads a feed idempotently: the same feed adds nothing,
// a changed row adds a version, as issue 4 (item 7) asks.
func TestImportIntoACollectionIsIdempotent(t *testing.T) {
	mr := miniredis.RunT(t)
	url := "redis://" + mr.Addr() + "/0"
	feed, err := os.ReadFile("../../testdata/threatfox/purelogs.md")
	must(t, err)
	load := func(data string) string {
		t.Helper()
		code, _, stderr := runCmd(t, data, "import", "--collection", "purelogs", "--redis-url", url, "-")
		if code != 0 {
			t.Fatalf("import --collection: exit %d: %s", code, stderr)
		}
		return stderr
	}
	if got := load(string(feed)); !strings.Contains(got, "9 new, 0 changed (new version), 0 unchanged") {
		t.Errorf("first load: %s", got)
	}
	if got := load(string(feed)); !strings.Contains(got, "0 new, 0 changed (new version), 9 unchanged") {
		t.Errorf("same feed again: %s", got)
	}
	changed := strings.Replace(string(feed), "| webdot.ddns.net | botnet_cc | 2026-06-08 | 100% |", "| webdot.ddns.net | botnet_cc | 2026-06-08 | 90% |", 1)
	if changed == string(feed) {
		t.Fatal("test feed edit did not apply")
	}
	if got := load(changed); !strings.Contains(got, "0 new, 1 changed (new version), 8 unchanged") {
		t.Errorf("changed row: %s", got)
	}
	if got := load(changed); !strings.Contains(got, "0 new, 0 changed (new version), 9 unchanged") {
		t.Errorf("changed feed again: %s", got)
	}
	if code, _, stderr := runCmd(t, string(feed), "import", "--collection", "nope", "--redis-url", url, "-"); code == 0 || !strings.Contains(stderr, `"nope"`) {
		t.Errorf("unknown collection: exit %d: %s", code, stderr)
	}
}

func TestImportMarkingAndValidity(t *testing.T) {
	code, out, stderr := runCmd(t, "", "import", "--tlp", "amber", "--valid-for", "2160h", "../../testdata/threatfox/purelogs.md")
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		`"valid_until":"2026-09-06T00:00:00.000Z"`, // 2026-06-08 + 90 days
		"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
	} {
		if !strings.Contains(strings.ReplaceAll(out, `": "`, `":"`), want) {
			t.Errorf("bundle lacks %s", want)
		}
	}
	if code, _, stderr := runCmd(t, "", "import", "--tlp", "purple", "../../testdata/threatfox/purelogs.md"); code == 0 || !strings.Contains(stderr, "--tlp") {
		t.Errorf("--tlp purple: exit %d: %s", code, stderr)
	}
}

// A feed larger than one stored-version lookup chunk is still idempotent.
func TestImportLargeFeedInChunks(t *testing.T) {
	mr := miniredis.RunT(t)
	url := "redis://" + mr.Addr() + "/0"
	var b strings.Builder
	b.WriteString("Malware Family: PureLogs Stealer Total IOCs: 700 IOC Types: domain\n| Type | Value | Threat Type | First Seen | Confidence |\n|---|---|---|---|---|\n")
	for i := range 700 {
		fmt.Fprintf(&b, "| domain | host%d.example | botnet_cc | 2026-06-08 | 75%% |\n", i)
	}
	for i, want := range []string{"1403 new, 0 changed", "0 new, 0 changed (new version), 1403 unchanged"} {
		code, _, stderr := runCmd(t, b.String(), "import", "--collection", "purelogs", "--redis-url", url, "-")
		if code != 0 || !strings.Contains(stderr, want) {
			t.Errorf("import %d: exit %d, want %q in:\n%s", i+1, code, want, stderr)
		}
	}
}
