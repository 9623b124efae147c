package taxii

import (
	"net/http"
	"strings"
	"testing"
)

func TestHealthEndpoints(t *testing.T) {
	e := mustOpsEnv(t, Options{})
	tests := []struct {
		name, path, accept, auth string
		redisDown                bool
		want                     int
		wantBody                 string
	}{
		{"healthz", "/healthz", "", "", false, 200, `{"status":"ok"}`},
		{"healthz slash", "/healthz/", "*/*", "", false, 200, `{"status":"ok"}`},
		{"healthz ignores bad credentials", "/healthz", "", "Basic Zm9vOmJhcg==", false, 200, `{"status":"ok"}`},
		{"readyz", "/readyz", "text/plain", "", false, 200, `{"status":"ok"}`},
		{"healthz with redis down", "/healthz", "", "", true, 200, `{"status":"ok"}`},
		{"readyz with redis down", "/readyz", "", "", true, 503, `{"status":"redis unavailable"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.redisDown {
				e.mr.Close()
			}
			rec := e.get(t, tc.path, tc.auth, "Accept", tc.accept)
			if got := strings.TrimSpace(rec.Body.String()); rec.Code != tc.want || got != tc.wantBody {
				t.Errorf("GET %s = %d %s, want %d %s", tc.path, rec.Code, got, tc.want, tc.wantBody)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("GET %s Content-Type = %q, want application/json", tc.path, ct)
			}
		})
	}
}

func TestReadyzRetryAfter(t *testing.T) {
	e := mustOpsEnv(t, Options{})
	e.mr.Close()
	rec := e.get(t, "/readyz/", "")
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "1" {
		t.Errorf("GET /readyz/ = %d Retry-After %q, want 503 and 1", rec.Code, rec.Header().Get("Retry-After"))
	}
}

// TestOpsEndpointsIgnoreTAXIIAccept: health checkers and scrapers do not speak TAXII, and a strict
// Accept policy must not turn them away.
func TestOpsEndpointsIgnoreTAXIIAccept(t *testing.T) {
	cfg := testConfig()
	cfg.AcceptPolicy = AcceptStrict
	e := mustOpsEnvConfig(t, cfg, Options{})
	tests := []struct {
		path, auth string
		want       int
	}{
		{"/healthz", "", 200},
		{"/readyz/", "", 200},
		{"/metrics", "", 200},
		{"/admin/delivery", basic("admin", pwReader), 200},
		{"/taxii2/", basic("admin", pwReader), 406},
	}
	for _, tc := range tests {
		if rec := e.get(t, tc.path, tc.auth, "Accept", "*/*"); rec.Code != tc.want {
			t.Errorf("GET %s with Accept */* under the strict policy = %d, want %d", tc.path, rec.Code, tc.want)
		}
	}
}
