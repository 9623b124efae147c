package taxii

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// TestLogsContainNoCredentials sends every kind of credential, valid and invalid, in every position,
// plus a next cursor, and checks that none of them (raw or base64) appears anywhere in the log, while
// the lines that should be there are.
func TestLogsContainNoCredentials(t *testing.T) {
	e := mustOpsEnv(t, Options{})
	e.mustPutN(t, 2)
	const wrongKey = "sg_live_WRONG_key_9876543210"
	const wrongPassword = "hunter2-not-it"
	page := e.get(t, "/api1/collections/purelogs/objects/?limit=1", basic("reader", pwReader))
	next, _ := decode(t, page.Body.Bytes())["next"].(string)
	if next == "" {
		t.Fatalf("no next cursor in %s", page.Body)
	}
	requests := []struct {
		name, auth, query string
		want              int
	}{
		{"basic user and password", basic("reader", pwReader), "", 200},
		{"key as Basic user", basic(keySentine, "notNeeded"), "", 200},
		{"key as Basic password", basic("anything", keySentine), "", 200},
		{"bearer key", "Bearer " + keySentine, "", 200},
		{"token key", "Token " + keySentine, "", 200},
		{"next cursor", basic("reader", pwReader), "?limit=1&next=" + url.QueryEscape(next), 200},
		{"wrong password", basic("reader", wrongPassword), "", 401},
		{"wrong key as Basic user", basic(wrongKey, "notNeeded"), "", 401},
		{"wrong key as Basic password", basic("reader", wrongKey), "", 401},
		{"wrong bearer key", "Bearer " + wrongKey, "", 401},
		{"garbage scheme", "Digest " + wrongKey, "", 401},
	}
	for _, r := range requests {
		if rec := e.get(t, "/api1/collections/purelogs/objects/"+r.query, r.auth); rec.Code != r.want {
			t.Fatalf("%s: GET = %d, want %d", r.name, rec.Code, r.want)
		}
	}
	log := e.log.String()
	secrets := []string{pwReader, keySentine, wrongKey, wrongPassword, next, "notNeeded"}
	for _, r := range requests {
		secrets = append(secrets, strings.TrimPrefix(r.auth, "Basic "))
	}
	for _, s := range secrets {
		if strings.Contains(log, s) {
			t.Errorf("the log contains the secret %q:\n%s", s, log)
		}
		if b64 := base64.StdEncoding.EncodeToString([]byte(s)); strings.Contains(log, b64) {
			t.Errorf("the log contains the base64 of secret %q", s)
		}
	}
	checkLoginFailures(t, e.logLines())
}

// checkLoginFailures asserts the "login failed" lines: the configured user named, unknown names
// replaced by a fingerprint, bearer tokens without a user.
func checkLoginFailures(tb testing.TB, lines []string) {
	tb.Helper()
	var got []string
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			tb.Fatalf("log line %q is not JSON: %v", l, err)
		}
		if m["msg"] == "login failed" {
			got = append(got, m["scheme"].(string)+":"+str(m["user"])+":"+str(m["remote"]))
		}
	}
	want := []string{"basic:reader:192.0.2.1", "basic:unknown:192.0.2.1", "basic:reader:192.0.2.1",
		"bearer::192.0.2.1", "other::192.0.2.1"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		tb.Errorf("login failures = %q, want %q", got, want)
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func TestRequestLogLine(t *testing.T) {
	e := mustOpsEnv(t, Options{})
	tests := []struct {
		name, path string
		header     []string
		want       map[string]any
	}{
		{"object", "/api1/collections/purelogs/objects/" + indicatorID(1) + "/?match[version]=all",
			[]string{"X-Request-Id", "abc-123\x01", "User-Agent", "taxii2-client/2.3.0"},
			map[string]any{"msg": "request", "level": "INFO", "request_id": "abc-123?", "method": "GET",
				"route": "/:root/collections/:collection/objects/:object/", "status": 404.0, "user": "reader",
				"collection": colPure, "remote": "192.0.2.1", "user_agent": "taxii2-client/2.3.0"}},
		{"poll", "/collections/purelogs/objects/?added_after=2026-01-01T00:00:00Z&limit=5&next=c2VjcmV0LWN1cnNvcg",
			nil, map[string]any{"route": "/collections/:collection/objects/", "status": 400.0,
				"added_after": "2026-01-01T00:00:00Z", "limit": "5", "next": true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.log.Reset()
			rec := e.get(t, tc.path, basic("reader", pwReader), tc.header...)
			line := e.logLines()[0]
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.want {
				if m[k] != v {
					t.Errorf("log %s = %v, want %v (line %s)", k, m[k], v, line)
				}
			}
			if m["request_id"] == "" || m["request_id"] != logSafe(rec.Header().Get("X-Request-Id"), maxLoggedLen) {
				t.Errorf("log request_id = %v, response X-Request-Id %q", m["request_id"], rec.Header().Get("X-Request-Id"))
			}
			for _, leak := range []string{"indicator--", "match", "c2VjcmV0LWN1cnNvcg"} {
				if strings.Contains(line, leak) {
					t.Errorf("log line has %q from the URL: %s", leak, line)
				}
			}
		})
	}
}

func TestHealthCheckLogsAtDebug(t *testing.T) {
	e := mustOpsEnv(t, Options{})
	id := e.get(t, "/healthz", "").Header().Get("X-Request-Id")
	if len(id) < 16 {
		t.Errorf("generated X-Request-Id = %q, want a random id", id)
	}
	if line := e.logLines()[0]; !strings.Contains(line, `"level":"DEBUG"`) || !strings.Contains(line, id) {
		t.Errorf("health check line = %s, want DEBUG with request id %s", line, id)
	}
}

func TestLogSafe(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"reader", 64, "reader"},
		{"a\nb\x1bc", 64, "a?b?c"},
		{"ünï", 64, "?n?"},
		{"abcdef", 3, "abc"},
		{"ab\u00e9", 3, "ab?"}, // cut inside a rune
	}
	for _, tc := range tests {
		if got := logSafe(tc.in, tc.n); got != tc.want {
			t.Errorf("logSafe(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestCredentialUser(t *testing.T) {
	tests := []struct{ header, scheme, user string }{
		{basic("reader", "pw"), "basic", "reader"},
		{basic("", "key"), "basic", ""},
		{"basic " + base64.StdEncoding.EncodeToString([]byte("nocolon")), "basic", "nocolon"},
		{"Basic !!!", "basic", ""},
		{"Bearer secret", "bearer", ""},
		{"Token secret", "token", ""},
		{"secret", "other", ""},
	}
	for _, tc := range tests {
		if scheme, user := credentialUser(tc.header); scheme != tc.scheme || user != tc.user {
			t.Errorf("credentialUser(%q) = %q, %q, want %q, %q", tc.header, scheme, user, tc.scheme, tc.user)
		}
	}
}
