package taxii

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/stixgate/stixgate/store"
)

var update = flag.Bool("update", false, "rewrite golden files")

// Fixture collections and credentials.
const (
	colPure    = "3f5b4a2e-8c1d-4e6f-9a7b-0c2d4e6f8a1b" // alias purelogs, private
	colPublic  = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" // anonymous read
	colHidden  = "f1e2d3c4-b5a6-4978-8a6b-5c4d3e2f1a0b" // only the admin sees it
	keySentine = "sg_live_sentinel_key_0123456789"      // API key of user "sentinel"
	pwReader   = "s3cret"
	hashS3cret = "$2a$04$0Pccb97n489LfTh6DPzK2.GVDtHlwyCtosA0u1Ii6jjU/KT6.ztN." // bcrypt("s3cret"), cost 4
)

// testConfig is the configuration every test starts from.
func testConfig() Config {
	return Config{
		Discovery: Discovery{Title: "stixgate test", Description: "test server", Contact: "soc@example.com"},
		APIRoots: []APIRoot{{
			Path: "api1", Title: "PureLogs feed", Description: "IOCs", Default: true,
			Collections: []Collection{
				{ID: colPure, Alias: "purelogs", Title: "PureLogs IOCs"},
				{ID: colPublic, Alias: "public", Title: "Public", AnonymousRead: true},
				{ID: colHidden, Title: "Hidden"},
			},
		}, {Path: "api2", Title: "Second root"}},
		Users: []User{
			{Name: "reader", PasswordHash: hashS3cret, Collections: map[string]Permission{"purelogs": {Read: true}}},
			{Name: "writer", PasswordHash: hashS3cret, Collections: map[string]Permission{colPure: {Read: true, Write: true}}},
			{Name: "dropbox", PasswordHash: hashS3cret, Collections: map[string]Permission{"purelogs": {Write: true}}},
			{Name: "admin", PasswordHash: hashS3cret, Collections: map[string]Permission{"*": {Read: true, Write: true}}},
			{Name: "sentinel", APIKeys: []APIKey{{Name: "sentinel-prod", Hash: HashAPIKey(keySentine)}},
				Collections: map[string]Permission{"purelogs": {Read: true}}},
		},
	}
}

// testClock is a deterministic clock that advances by step on every call.
type testClock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

func newClock(step time.Duration) *testClock {
	return &testClock{t: time.Date(2026, 6, 8, 10, 15, 0, 0, time.UTC), step: step}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.t
	c.t = c.t.Add(c.step)
	return t
}

// env is a server over a real store on miniredis.
type env struct {
	srv   *Server
	st    *store.Store
	clock *testClock
	h     http.Handler
}

// mustEnv builds the full stack with a fixed clock and sequential status ids.
func mustEnv(tb testing.TB, cfg Config, opts Options) *env {
	tb.Helper()
	mr := miniredis.RunT(tb)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	tb.Cleanup(func() { rdb.Close() })
	clock := newClock(time.Millisecond)
	st := store.New(rdb, store.Options{Now: clock.Now})
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	if opts.NewID == nil {
		var mu sync.Mutex
		n := 0
		opts.NewID = func() string {
			mu.Lock()
			defer mu.Unlock()
			n++
			return fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
		}
	}
	srv, err := NewServer(cfg, st, opts)
	if err != nil {
		tb.Fatalf("NewServer: %v", err)
	}
	return &env{srv: srv, st: st, clock: clock, h: srv.Handler()}
}

// basic returns an Authorization header value for HTTP Basic.
func basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// req describes one request in table tests. Empty Accept/Auth fields get TAXII / admin defaults;
// "-" means "send no such header".
type req struct {
	method, path, body string
	accept, auth, ct   string
	header             map[string]string
}

func (e *env) do(tb testing.TB, r req) *httptest.ResponseRecorder {
	tb.Helper()
	if r.method == "" {
		r.method = http.MethodGet
	}
	hr := httptest.NewRequest(r.method, r.path, strings.NewReader(r.body))
	setHeader(hr, "Accept", r.accept, mediaTypeTAXII)
	setHeader(hr, "Authorization", r.auth, basic("admin", pwReader))
	setHeader(hr, "Content-Type", r.ct, mediaTypeTAXII)
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	if cl := r.header["Content-Length"]; cl != "" {
		n, err := strconv.ParseInt(cl, 10, 64)
		if err != nil {
			tb.Fatalf("Content-Length %q: %v", cl, err)
		}
		hr.ContentLength = n
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, hr)
	return rec
}

func setHeader(r *http.Request, name, v, def string) {
	switch v {
	case "-":
	case "":
		r.Header.Set(name, def)
	default:
		r.Header.Set(name, v)
	}
}

// indicator returns a STIX 2.1 indicator with a fixed id suffix n and the given modified time.
func indicator(n int, modified string) []byte {
	return []byte(fmt.Sprintf(`{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-%012d",`+
		`"created":"2026-01-01T00:00:00.000Z","modified":%q,"name":"ioc %d","pattern":"[ipv4-addr:value = '198.51.100.%d']",`+
		`"pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}`, n, modified, n, n%250))
}

func indicatorID(n int) string { return fmt.Sprintf("indicator--00000000-0000-4000-8000-%012d", n) }

// mustPut stores raw STIX objects straight into the store (bypassing HTTP) and returns the results.
func (e *env) mustPut(tb testing.TB, collection string, raws ...[]byte) []store.PutResult {
	tb.Helper()
	var objs []store.Object
	for _, raw := range raws {
		obj, err := inspect(raw)
		if err != nil {
			tb.Fatalf("inspect(%s): %v", raw, err)
		}
		objs = append(objs, obj)
	}
	res, err := e.st.Put(context.Background(), collection, objs)
	if err != nil {
		tb.Fatalf("Put: %v", err)
	}
	return res
}

// envelopeOf wraps objects in a TAXII envelope.
func envelopeOf(raws ...[]byte) string {
	return `{"objects":[` + string(bytes.Join(raws, []byte(","))) + `]}`
}

// checkGolden compares body (indented) with testdata/taxii/<name>.json, rewriting it under -update.
func checkGolden(tb testing.TB, name string, body []byte) {
	tb.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, body, "", "  "); err != nil {
		tb.Fatalf("%s: body is not JSON: %v: %s", name, err, body)
	}
	buf.WriteByte('\n')
	path := filepath.Join("..", "testdata", "taxii", name+".json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read golden (run with -update): %v", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		tb.Errorf("%s: body differs from %s\n got: %s\nwant: %s", name, path, buf.Bytes(), want)
	}
}

// decode unmarshals a response body into a generic map.
func decode(tb testing.TB, body []byte) map[string]any {
	tb.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		tb.Fatalf("decode %q: %v", body, err)
	}
	return m
}

func readAll(tb testing.TB, r io.Reader) []byte {
	tb.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
