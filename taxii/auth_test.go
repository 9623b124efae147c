package taxii

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// countingCompare wraps bcrypt and counts how often it is paid.
func countingCompare(n *atomic.Int64) func(hash, pw []byte) error {
	return func(hash, pw []byte) error {
		n.Add(1)
		return bcrypt.CompareHashAndPassword(hash, pw)
	}
}

func TestAuthCredentials(t *testing.T) {
	e := mustEnv(t, testConfig(), Options{})
	objects := "/api1/collections/purelogs/objects/"
	tests := []struct {
		name, auth string
		want       int
	}{
		{"user and password", basic("reader", pwReader), 200},
		{"API key as Basic user", basic(keySentine, "notNeeded"), 200},
		{"API key as Basic user, empty password", basic(keySentine, ""), 200},
		{"API key as Basic password", basic("anything", keySentine), 200},
		{"Bearer key", "Bearer " + keySentine, 200},
		{"Token key", "Token " + keySentine, 200},
		{"lower-case scheme", "bearer " + keySentine, 200},
		{"wrong key", "Bearer " + keySentine + "x", 401},
		{"blank Basic is anonymous: private collection asks for credentials", basic("", ""), 401},
		{"empty bearer", "Bearer ", 401},
		{"wrong password", basic("reader", "S3cret"), 401},
		{"unknown user", basic("mallory", pwReader), 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.do(t, req{path: objects, auth: tc.auth})
			if rec.Code != tc.want {
				t.Errorf("GET with %s = %d, want %d: %s", tc.name, rec.Code, tc.want, rec.Body)
			}
		})
	}
}

func TestBlankBasicIsAnonymous(t *testing.T) {
	e := mustEnv(t, testConfig(), Options{})
	e.mustPut(t, colPublic, ind2)
	rec := e.do(t, req{path: "/api1/collections/public/objects/", auth: basic("", "")})
	if rec.Code != http.StatusOK {
		t.Errorf("GET public objects with Basic \":\" = %d, want 200 as anonymous: %s", rec.Code, rec.Body)
	}
}

func TestAuthPaysBcryptOnce(t *testing.T) {
	var calls atomic.Int64
	clock := newClock(0)
	e := mustEnv(t, testConfig(), Options{Now: clock.Now, CompareHash: countingCompare(&calls)})
	for range 20 {
		if rec := e.do(t, req{path: "/api1/collections/purelogs/objects/", auth: basic("reader", pwReader)}); rec.Code != 200 {
			t.Fatalf("GET = %d", rec.Code)
		}
	}
	if got := calls.Load(); got != 1 {
		t.Errorf("bcrypt calls for 20 requests = %d, want 1", got)
	}
	clock.mu.Lock()
	clock.t = clock.t.Add(DefaultAuthCacheTTL)
	clock.mu.Unlock()
	e.do(t, req{path: "/api1/", auth: basic("reader", pwReader)})
	if got := calls.Load(); got != 2 {
		t.Errorf("bcrypt calls after the TTL = %d, want 2", got)
	}
}

func TestAuthFailuresAreNotCached(t *testing.T) {
	var calls atomic.Int64
	e := mustEnv(t, testConfig(), Options{CompareHash: countingCompare(&calls)})
	for range 3 {
		e.do(t, req{path: "/api1/", auth: basic("reader", "wrong")})
	}
	e.do(t, req{path: "/api1/", auth: basic("nobody", "wrong")})
	for range 3 {
		e.do(t, req{path: "/api1/", auth: "Bearer " + keySentine})
	}
	if got := calls.Load(); got != 4 {
		t.Errorf("bcrypt calls for 4 failed attempts and 3 key requests = %d, want 4", got)
	}
	if n := len(e.srv.auth.cache); n != 0 {
		t.Errorf("cache holds %d entries after failures and API keys, want 0", n)
	}
}

func TestAuthCacheIsBounded(t *testing.T) {
	cfg := testConfig()
	for i := range 10 {
		cfg.Users = append(cfg.Users, User{Name: fmt.Sprintf("u%d", i), PasswordHash: hashS3cret,
			Collections: map[string]Permission{"*": {Read: true}}})
	}
	e := mustEnv(t, cfg, Options{AuthCacheSize: 4})
	for i := range 10 {
		if rec := e.do(t, req{path: "/api1/", auth: basic(fmt.Sprintf("u%d", i), pwReader)}); rec.Code != 200 {
			t.Fatalf("u%d: GET = %d", i, rec.Code)
		}
		if n := len(e.srv.auth.cache); n > 4 {
			t.Fatalf("cache holds %d entries, want at most 4", n)
		}
	}
}

func TestAuthCacheKeyIsNotTheSecret(t *testing.T) {
	e := mustEnv(t, testConfig(), Options{})
	e.do(t, req{path: "/api1/", auth: basic("reader", pwReader)})
	for k := range e.srv.auth.cache {
		if string(k[:]) == "reader:"+pwReader || len(k) != 32 {
			t.Errorf("cache key %x is not a SHA-256 digest", k)
		}
	}
	if len(e.srv.auth.cache) != 1 {
		t.Errorf("cache size = %d, want 1", len(e.srv.auth.cache))
	}
}

func TestHashAPIKey(t *testing.T) {
	// echo -n abc | sha256sum
	if got, want := HashAPIKey("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; got != want {
		t.Errorf("HashAPIKey(%q) = %q, want %q", "abc", got, want)
	}
}

func TestAuthShortTTL(t *testing.T) {
	var calls atomic.Int64
	cfg := testConfig()
	cfg.AuthCacheTTL = -1
	if err := cfg.Validate(); err == nil {
		t.Fatalf("Validate(auth_cache_ttl: -1) = nil, want error")
	}
	cfg.AuthCacheTTL = time.Nanosecond
	e := mustEnv(t, cfg, Options{CompareHash: countingCompare(&calls)})
	for range 3 {
		if rec := e.do(t, req{path: "/api1/", auth: basic("reader", pwReader)}); rec.Code != http.StatusOK {
			t.Fatalf("GET = %d", rec.Code)
		}
	}
	if got := calls.Load(); got != 3 {
		t.Errorf("bcrypt calls with a 1ns TTL = %d, want 3", got)
	}
}

func TestCredentialsAreNeverLogged(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := mustEnv(t, testConfig(), Options{Logger: logger})
	for _, auth := range []string{
		basic("reader", pwReader), basic("reader", "wrong-password"), basic(keySentine, "x"),
		basic("x", keySentine), "Bearer " + keySentine, "Bearer " + keySentine + "-wrong",
	} {
		e.do(t, req{path: "/api1/collections/purelogs/objects/?limit=5", auth: auth})
	}
	out := logs.String()
	for _, secret := range []string{pwReader, "wrong-password", keySentine, "Basic ", "Bearer "} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "user=reader") || !strings.Contains(out, "user=sentinel") || !strings.Contains(out, "status=401") {
		t.Errorf("log lacks the principals or the 401:\n%s", out)
	}
}

// TestEveryProtectedEndpointAsksForCredentials: anonymous requests to a private collection's endpoints
// and to status get 401 with the Basic challenge, never 403 or 404.
func TestEveryProtectedEndpointAsksForCredentials(t *testing.T) {
	s := mustSeed(t)
	col := "/api1/collections/purelogs/"
	obj := col + "objects/" + indicatorID(1) + "/"
	for _, r := range []req{
		{path: col}, {path: col + "manifest/"}, {path: col + "objects/"}, {path: obj}, {path: obj + "versions/"},
		{method: "POST", path: col + "objects/", body: envelopeOf(ind2)}, {method: "DELETE", path: obj},
		{path: "/api1/status/00000000-0000-4000-8000-000000000001/"}, {path: "/collections/purelogs/objects/"},
		{path: "/api1/collections/" + colHidden + "/objects/"},
	} {
		r.auth = "-"
		rec := s.do(t, r)
		if rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") != `Basic realm="stixgate"` ||
			rec.Header().Get("Content-Type") != mediaTypeTAXII {
			t.Errorf("anonymous %s %s = %d, WWW-Authenticate %q, want 401 with the Basic challenge", r.method, r.path,
				rec.Code, rec.Header().Get("WWW-Authenticate"))
		}
	}
}
