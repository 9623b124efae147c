package taxii

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"
)

// RateLimit is a token bucket per principal: RequestsPerSecond sustained, Burst at once. Anonymous
// callers get one bucket per remote IP. The zero value disables limiting; a zero Burst with a positive
// rate means one second's worth of requests (at least one).
//
// FailedLoginsPerMinute separately throttles authentication failures per remote IP, against password
// guessing and against burning CPU on bcrypt: once an IP has failed FailedLoginBurst times (default:
// one minute's worth), its requests that carry credentials get 429 until its bucket refills. Zero
// disables it. Clients behind one egress IP (Sentinel's are shared between tenants) share that bucket,
// so keep the rate well above what a misconfigured poller produces.
type RateLimit struct {
	RequestsPerSecond     float64 `yaml:"requests_per_second"`
	Burst                 int     `yaml:"burst"`
	FailedLoginsPerMinute float64 `yaml:"failed_logins_per_minute"`
	FailedLoginBurst      int     `yaml:"failed_login_burst"`
}

// RateLimiterConfig configures RateLimiterWithConfig.
type RateLimiterConfig struct {
	Skipper middleware.Skipper
	Limit   RateLimit
	// Identifier returns the bucket of a request. Default: the principal's name, or the remote IP for
	// anonymous callers, so it must run after the authentication middleware.
	Identifier func(c echo.Context) string
	// MaxBuckets bounds memory. Idle buckets (full again, so equivalent to new ones) are dropped first;
	// if that is not enough the least recently used bucket goes. Default 10000.
	MaxBuckets int
	Now        func() time.Time // default time.Now
}

// DefaultRateLimiterConfig limits nothing until Limit is set.
var DefaultRateLimiterConfig = RateLimiterConfig{
	Skipper:    middleware.DefaultSkipper,
	Identifier: principalOrIP,
	MaxBuckets: 10000,
	Now:        time.Now,
}

// errTooManyRequests goes through the server's error handler like every other error.
var errTooManyRequests = echo.NewHTTPError(http.StatusTooManyRequests, "rate limit exceeded, retry later")

// RateLimiter returns the rate-limit middleware with DefaultRateLimiterConfig and limit.
func RateLimiter(limit RateLimit) echo.MiddlewareFunc {
	cfg := DefaultRateLimiterConfig
	cfg.Limit = limit
	return RateLimiterWithConfig(cfg)
}

// RateLimiterWithConfig answers 429 with Retry-After (whole seconds until a token is available) to
// requests over the limit of their bucket.
func RateLimiterWithConfig(cfg RateLimiterConfig) echo.MiddlewareFunc {
	if cfg.Limit.RequestsPerSecond <= 0 {
		return func(next echo.HandlerFunc) echo.HandlerFunc { return next }
	}
	if cfg.Skipper == nil {
		cfg.Skipper = DefaultRateLimiterConfig.Skipper
	}
	if cfg.Identifier == nil {
		cfg.Identifier = DefaultRateLimiterConfig.Identifier
	}
	if cfg.Now == nil {
		cfg.Now = DefaultRateLimiterConfig.Now
	}
	b := newBuckets(cfg)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if cfg.Skipper(c) {
				return next(c)
			}
			if wait := b.take(cfg.Identifier(c), cfg.Now()); wait > 0 {
				c.Response().Header().Set(echo.HeaderRetryAfter, retryAfter(wait))
				return errTooManyRequests
			}
			return next(c)
		}
	}
}

// principalOrIP keys authenticated callers by name and anonymous ones by remote IP. The prefixes keep a
// user name from colliding with an address.
func principalOrIP(c echo.Context) string {
	if p := principalOf(c); !p.anonymous() {
		return "user:" + p.name
	}
	return "ip:" + c.RealIP()
}

func retryAfter(d time.Duration) string {
	return strconv.Itoa(int(math.Max(1, math.Ceil(d.Seconds()))))
}

// buckets is a bounded map of token buckets.
type buckets struct {
	limit rate.Limit
	burst int
	max   int
	idle  time.Duration // time for an empty bucket to fill up again

	mu        sync.Mutex
	m         map[string]*bucket
	nextSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newBuckets(cfg RateLimiterConfig) *buckets {
	burst := cfg.Limit.Burst
	if burst <= 0 {
		burst = max(1, int(math.Ceil(cfg.Limit.RequestsPerSecond)))
	}
	maxB := cfg.MaxBuckets
	if maxB <= 0 {
		maxB = DefaultRateLimiterConfig.MaxBuckets
	}
	idle := time.Duration(float64(burst) / cfg.Limit.RequestsPerSecond * float64(time.Second))
	return &buckets{
		limit: rate.Limit(cfg.Limit.RequestsPerSecond), burst: burst, max: maxB,
		idle: max(idle, time.Second), m: map[string]*bucket{},
	}
}

// take spends one token of key's bucket at now and returns 0, or leaves the bucket as it was and
// returns how long until a token is available.
func (b *buckets) take(key string, now time.Time) time.Duration {
	lim := b.get(key, now)
	r := lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d
	}
	return 0
}

// wait returns how long until key's bucket holds a token, without spending one or creating the bucket;
// zero for a key with no bucket.
func (b *buckets) wait(key string, now time.Time) time.Duration {
	b.mu.Lock()
	bk, ok := b.m[key]
	b.mu.Unlock()
	if !ok {
		return 0
	}
	if tokens := bk.lim.TokensAt(now); tokens < 1 {
		return time.Duration((1 - tokens) / float64(b.limit) * float64(time.Second))
	}
	return 0
}

// get returns key's limiter, creating it and sweeping idle buckets as needed.
func (b *buckets) get(key string, now time.Time) *rate.Limiter {
	b.mu.Lock()
	defer b.mu.Unlock()
	if bk, ok := b.m[key]; ok {
		bk.seen = now
		return bk.lim
	}
	if len(b.m) >= b.max || !now.Before(b.nextSweep) {
		b.sweep(now)
	}
	bk := &bucket{lim: rate.NewLimiter(b.limit, b.burst), seen: now}
	b.m[key] = bk
	return bk.lim
}

// sweep drops buckets idle long enough to be full again (forgetting them changes nothing) and, if the
// map is still full, the least recently seen one. The caller holds mu.
func (b *buckets) sweep(now time.Time) {
	b.nextSweep = now.Add(b.idle)
	var oldest string
	for k, bk := range b.m {
		if now.Sub(bk.seen) >= b.idle {
			delete(b.m, k)
			continue
		}
		if oldest == "" || bk.seen.Before(b.m[oldest].seen) {
			oldest = k
		}
	}
	if len(b.m) >= b.max && oldest != "" {
		delete(b.m, oldest)
	}
}
