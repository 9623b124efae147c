package taxii

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
)

// wantSecure are the headers every response carries, TAXII or not, success or error.
var wantSecure = map[string]string{
	"X-Content-Type-Options":  "nosniff",
	"Cache-Control":           "no-store",
	"Referrer-Policy":         "no-referrer",
	"Content-Security-Policy": "default-src 'none'",
	"X-Frame-Options":         "DENY",
}

func TestSecureHeaders(t *testing.T) {
	e := mustOpsEnv(t, Options{})
	tests := []struct {
		name, path, auth string
		kv               []string
		wantCode         int
		wantCT           string
		wantHSTS         string
	}{
		{"discovery", "/taxii2/", basic("reader", pwReader), nil, 200, mediaTypeTAXII, ""},
		{"401", "/api1/collections/purelogs/", "", nil, 401, mediaTypeTAXII, ""},
		{"router 404", "/nope/at/all/", basic("reader", pwReader), nil, 404, mediaTypeTAXII, ""},
		{"healthz", "/healthz", "", nil, 200, "application/json", ""},
		{"behind a TLS proxy", "/taxii2/", basic("reader", pwReader),
			[]string{"X-Forwarded-Proto", "https", "RemoteAddr", "10.0.0.5:41000"}, 200, mediaTypeTAXII, "max-age=31536000"},
		{"forwarding header from a public peer", "/taxii2/", basic("reader", pwReader),
			[]string{"X-Forwarded-Proto", "https"}, 200, mediaTypeTAXII, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.get(t, tc.path, tc.auth, tc.kv...)
			if rec.Code != tc.wantCode {
				t.Fatalf("GET %s = %d, want %d", tc.path, rec.Code, tc.wantCode)
			}
			checkSecureHeaders(t, rec.Header(), tc.wantHSTS)
			if ct := rec.Header().Get("Content-Type"); ct != tc.wantCT && ct != tc.wantCT+"; charset=UTF-8" {
				t.Errorf("GET %s Content-Type = %q, want %q", tc.path, ct, tc.wantCT)
			}
		})
	}
}

// TestSecureHeadersOverTLS speaks HTTPS to a real listener: HSTS is sent only there.
func TestSecureHeadersOverTLS(t *testing.T) {
	e := mustOpsEnv(t, Options{})
	for _, tc := range []struct {
		name     string
		srv      *httptest.Server
		wantHSTS string
	}{
		{"https", httptest.NewTLSServer(e.h), "max-age=31536000"},
		{"http", httptest.NewServer(e.h), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer tc.srv.Close()
			req, err := http.NewRequest(http.MethodGet, tc.srv.URL+"/taxii2/", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Accept", mediaTypeTAXII)
			req.SetBasicAuth("reader", pwReader)
			res, err := tc.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != mediaTypeTAXII {
				t.Fatalf("GET /taxii2/ = %d %q, want 200 %q", res.StatusCode, res.Header.Get("Content-Type"), mediaTypeTAXII)
			}
			checkSecureHeaders(t, res.Header, tc.wantHSTS)
		})
	}
}

func checkSecureHeaders(tb testing.TB, h http.Header, wantHSTS string) {
	tb.Helper()
	for k, want := range wantSecure {
		if got := h.Get(k); got != want {
			tb.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if got := h.Get("Strict-Transport-Security"); got != wantHSTS {
		tb.Errorf("Strict-Transport-Security = %q, want %q", got, wantHSTS)
	}
}

func TestSecureWithConfig(t *testing.T) {
	tests := []struct {
		name              string
		cfg               SecureConfig
		wantCache, wantCS string
	}{
		{"default", DefaultSecureConfig, "no-store", "default-src 'none'"},
		{"empty value omits the header", SecureConfig{ContentSecurityPolicy: "default-src 'none'"}, "", "default-src 'none'"},
		{"skipped", SecureConfig{Skipper: func(echo.Context) bool { return true }, CacheControl: "no-store"}, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := echo.New()
			e.Use(SecureWithConfig(tc.cfg))
			e.GET("/", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
			if got := rec.Header().Get("Cache-Control"); got != tc.wantCache {
				t.Errorf("Cache-Control = %q, want %q", got, tc.wantCache)
			}
			if got := rec.Header().Get("Content-Security-Policy"); got != tc.wantCS {
				t.Errorf("Content-Security-Policy = %q, want %q", got, tc.wantCS)
			}
		})
	}
}
