package taxii

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// BenchmarkOpsMiddleware measures what the operational middleware (request id, metrics, logging,
// security headers, rate limit, delivery tracking) adds to a request, on a bare echo with a trivial
// handler so that nothing else is measured. The log is JSON to io.Discard: formatting is paid.
func BenchmarkOpsMiddleware(b *testing.B) {
	user := &principal{name: "sentinel"}
	col := &Collection{ID: colPure}
	setCaller := func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Set(principalKey, user)
			c.Set(collectionKey, col)
			return next(c)
		}
	}
	handler := func(c echo.Context) error {
		c.Response().Header().Set(headerDateAddedLast, "2026-06-08T10:15:00.000000Z")
		return c.Blob(http.StatusOK, mediaTypeTAXII, []byte(`{}`))
	}
	for _, bc := range []struct {
		name string
		ops  bool
	}{{"bare", false}, {"ops", true}} {
		b.Run(bc.name, func(b *testing.B) {
			e := echo.New()
			if bc.ops {
				o := newOps(testConfig(), nil, Options{
					Now:       time.Now,
					Logger:    slog.New(slog.NewJSONHandler(io.Discard, nil)),
					RateLimit: RateLimit{RequestsPerSecond: 1e9, Burst: 1e9},
				})
				e.Use(middleware.RequestID(), o.requestLog(), Secure(), setCaller, o.rateLimiter())
			} else {
				e.Use(setCaller)
			}
			e.GET("/:root/collections/:collection/objects/", handler)
			req := httptest.NewRequest(http.MethodGet, "/api1/collections/purelogs/objects/?added_after=2026-01-01T00:00:00Z", nil)
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				e.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}
