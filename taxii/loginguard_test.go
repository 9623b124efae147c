package taxii

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// TestLoginGuard: with a frozen clock nothing refills, so the third failure from one IP blocks that
// IP's credentialed requests, without paying bcrypt, while other IPs and anonymous reads go on.
func TestLoginGuard(t *testing.T) {
	var bcrypts atomic.Int64
	compare := func(hash, pw []byte) error {
		bcrypts.Add(1)
		return bcrypt.CompareHashAndPassword(hash, pw)
	}
	e := mustOpsEnv(t, Options{
		Now:         func() time.Time { return t0 },
		CompareHash: compare,
		RateLimit:   RateLimit{FailedLoginsPerMinute: 1, FailedLoginBurst: 2},
	})
	wrong, right := basic("reader", "guess"), basic("reader", pwReader)
	steps := []struct {
		name, path, auth, remote string
		want                     int
		wantBcrypt               bool
	}{
		{"failure 1", "/taxii2/", wrong, "203.0.113.5:1", 401, true},
		{"failure 2", "/taxii2/", basic("nobody", "guess"), "203.0.113.5:1", 401, true},
		{"blocked", "/taxii2/", wrong, "203.0.113.5:1", 429, false},
		{"right password, same IP, still blocked", "/taxii2/", right, "203.0.113.5:1", 429, false},
		{"API key, same IP, still blocked", "/taxii2/", "Bearer " + keySentine, "203.0.113.5:1", 429, false},
		{"anonymous read from the IP", "/collections/public/", "", "203.0.113.5:1", 200, false},
		{"health check from the IP", "/healthz", wrong, "203.0.113.5:1", 200, false},
		{"another IP", "/taxii2/", right, "203.0.113.6:1", 200, true},
	}
	for _, s := range steps {
		before := bcrypts.Load()
		rec := e.get(t, s.path, s.auth, "RemoteAddr", s.remote)
		if rec.Code != s.want {
			t.Fatalf("%s: GET %s = %d, want %d", s.name, s.path, rec.Code, s.want)
		}
		if paid := bcrypts.Load() > before; paid != s.wantBcrypt {
			t.Errorf("%s: bcrypt paid = %v, want %v", s.name, paid, s.wantBcrypt)
		}
		if s.want == http.StatusTooManyRequests && rec.Header().Get("Retry-After") != "60" {
			t.Errorf("%s: Retry-After = %q, want 60", s.name, rec.Header().Get("Retry-After"))
		}
	}
}

func TestBucketsWait(t *testing.T) {
	b := newBuckets(RateLimiterConfig{Limit: RateLimit{RequestsPerSecond: 1, Burst: 1}})
	if got := b.wait("k", t0); got != 0 {
		t.Errorf("wait on an unknown key = %v, want 0", got)
	}
	b.take("k", t0)
	if got := b.wait("k", t0.Add(250*time.Millisecond)); got != 750*time.Millisecond {
		t.Errorf("wait after spending the only token = %v, want 750ms", got)
	}
	if got := b.wait("k", t0.Add(time.Second)); got != 0 {
		t.Errorf("wait once refilled = %v, want 0", got)
	}
}
