package taxii

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

var t0 = time.Date(2026, 6, 8, 10, 0, 0, 0, time.UTC)

func TestBucketsTake(t *testing.T) {
	b := newBuckets(RateLimiterConfig{Limit: RateLimit{RequestsPerSecond: 2, Burst: 2}})
	tests := []struct {
		key  string
		at   time.Duration
		want time.Duration
	}{
		{"u", 0, 0},
		{"u", 0, 0},
		{"u", 0, 500 * time.Millisecond}, // burst spent: one token every 500 ms
		{"v", 0, 0},                      // other keys have their own bucket
		{"u", 250 * time.Millisecond, 250 * time.Millisecond},
		{"u", 500 * time.Millisecond, 0}, // the denied requests did not spend tokens
		{"u", 500 * time.Millisecond, 500 * time.Millisecond},
	}
	for i, tc := range tests {
		if got := b.take(tc.key, t0.Add(tc.at)); got != tc.want {
			t.Errorf("#%d take(%q, +%v) = %v, want %v", i, tc.key, tc.at, got, tc.want)
		}
	}
}

func TestBucketsAreBounded(t *testing.T) {
	b := newBuckets(RateLimiterConfig{Limit: RateLimit{RequestsPerSecond: 1, Burst: 5}, MaxBuckets: 3})
	if b.idle != 5*time.Second {
		t.Fatalf("idle = %v, want 5s (burst / rate)", b.idle)
	}
	for i := range 10 {
		b.take(fmt.Sprintf("ip:%d", i), t0.Add(time.Duration(i)*time.Millisecond))
		if len(b.m) > 3 {
			t.Fatalf("after %d keys len = %d, want <= 3", i+1, len(b.m))
		}
	}
	if _, ok := b.m["ip:9"]; !ok {
		t.Errorf("newest bucket evicted, want the least recently seen ones gone")
	}
	b.take("late", t0.Add(time.Minute)) // everything else is idle by now and swept
	if len(b.m) != 1 {
		t.Errorf("after an idle minute len = %d, want 1", len(b.m))
	}
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{{time.Millisecond, "1"}, {time.Second, "1"}, {1500 * time.Millisecond, "2"}, {time.Minute, "60"}}
	for _, tc := range tests {
		if got := retryAfter(tc.d); got != tc.want {
			t.Errorf("retryAfter(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

// TestRateLimitHTTP runs the limiter in the real stack with a frozen clock, so no token ever refills.
func TestRateLimitHTTP(t *testing.T) {
	frozen := func() time.Time { return t0 }
	e := mustOpsEnv(t, Options{Now: frozen, RateLimit: RateLimit{RequestsPerSecond: 0.5, Burst: 2}})
	reader, writer := basic("reader", pwReader), basic("writer", pwReader)
	steps := []struct {
		name, path, auth, remote string
		want                     int
	}{
		{"reader 1", "/taxii2/", reader, "192.0.2.1:1", 200},
		{"reader 2 from another IP", "/collections/", reader, "192.0.2.9:1", 200},
		{"reader 3 over the limit", "/taxii2/", reader, "192.0.2.1:1", 429},
		{"writer has its own bucket", "/taxii2/", writer, "192.0.2.1:1", 200},
		{"health checks are not limited", "/healthz", "", "192.0.2.1:1", 200},
		{"anonymous 1", "/collections/public/", "", "198.51.100.7:1", 200},
		{"anonymous 2", "/collections/public/", "", "198.51.100.7:1", 200},
		{"anonymous 3 over the limit", "/collections/public/", "", "198.51.100.7:1", 429},
		{"anonymous from another IP", "/collections/public/", "", "198.51.100.8:1", 200},
	}
	for _, s := range steps {
		rec := e.get(t, s.path, s.auth, "RemoteAddr", s.remote)
		if rec.Code != s.want {
			t.Fatalf("%s: GET %s = %d, want %d", s.name, s.path, rec.Code, s.want)
		}
		if s.want != http.StatusTooManyRequests {
			continue
		}
		body := decode(t, rec.Body.Bytes())
		if rec.Header().Get("Retry-After") != "2" || rec.Header().Get("Content-Type") != mediaTypeTAXII ||
			body["http_status"] != "429" || body["title"] != "Too Many Requests" {
			t.Errorf("%s: 429 response = Retry-After %q, %q %s, want 2, TAXII error resource", s.name,
				rec.Header().Get("Retry-After"), rec.Header().Get("Content-Type"), rec.Body)
		}
	}
}

func TestRateLimitZeroIsOff(t *testing.T) {
	e := mustOpsEnv(t, Options{})
	for i := range 50 {
		if rec := e.get(t, "/taxii2/", basic("reader", pwReader)); rec.Code != http.StatusOK {
			t.Fatalf("request %d = %d, want 200 (no limit configured)", i, rec.Code)
		}
	}
}
