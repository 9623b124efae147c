package taxii

import (
	"errors"
	"math"
	"net/http"

	"github.com/labstack/echo/v4"
)

// loginGuard returns the failed-login throttle (RateLimit.FailedLoginsPerMinute). It must run before
// the authentication middleware: a blocked IP is answered 429 before any bcrypt is paid. Requests
// without an Authorization header pass, so anonymous reads and health checks are never blocked by it.
func (o *ops) loginGuard() echo.MiddlewareFunc {
	perMin := o.limit.FailedLoginsPerMinute
	if perMin <= 0 {
		return func(next echo.HandlerFunc) echo.HandlerFunc { return next }
	}
	burst := o.limit.FailedLoginBurst
	if burst <= 0 {
		burst = max(1, int(math.Ceil(perMin)))
	}
	b := newBuckets(RateLimiterConfig{Limit: RateLimit{RequestsPerSecond: perMin / 60, Burst: burst}})
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if isPublic(c) || c.Request().Header.Get(echo.HeaderAuthorization) == "" {
				return next(c)
			}
			key := "ip:" + c.RealIP()
			if wait := b.wait(key, o.now()); wait > 0 {
				c.Response().Header().Set(echo.HeaderRetryAfter, retryAfter(wait))
				return errTooManyLogins
			}
			err := next(c)
			if isUnauthorized(err) {
				b.take(key, o.now())
			}
			return err
		}
	}
}

// errTooManyLogins does not say whether the credentials were right: they were not checked.
var errTooManyLogins = echo.NewHTTPError(http.StatusTooManyRequests, "too many failed logins from this address, retry later")

// isUnauthorized reports whether err is a 401. Behind the authentication middleware a request with
// credentials gets 401 only when they are invalid.
func isUnauthorized(err error) bool {
	var he *echo.HTTPError
	return errors.As(err, &he) && he.Code == http.StatusUnauthorized
}
