package taxii

import (
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// SecureConfig configures the security headers set on every response. An empty value omits its header.
// The headers are set before the handler runs, so error responses written by the error handler carry
// them too; Content-Type is left to the handlers.
type SecureConfig struct {
	Skipper               middleware.Skipper
	ContentTypeNosniff    string // X-Content-Type-Options
	CacheControl          string // TAXII answers are per-caller and change with every ingest
	ReferrerPolicy        string
	ContentSecurityPolicy string // nothing a TAXII server sends is meant to be rendered
	FrameOptions          string // X-Frame-Options, for browsers without CSP frame-ancestors
	// HSTSMaxAge in seconds; Strict-Transport-Security is sent only on requests that came over TLS
	// (directly or, per X-Forwarded-Proto, through a proxy). Zero disables it.
	HSTSMaxAge int
}

// DefaultSecureConfig is what Secure uses.
var DefaultSecureConfig = SecureConfig{
	Skipper:               middleware.DefaultSkipper,
	ContentTypeNosniff:    "nosniff",
	CacheControl:          "no-store",
	ReferrerPolicy:        "no-referrer",
	ContentSecurityPolicy: "default-src 'none'",
	FrameOptions:          "DENY",
	HSTSMaxAge:            365 * 24 * 3600,
}

// Secure returns the security-headers middleware with DefaultSecureConfig.
func Secure() echo.MiddlewareFunc { return SecureWithConfig(DefaultSecureConfig) }

// SecureWithConfig returns the security-headers middleware with cfg.
func SecureWithConfig(cfg SecureConfig) echo.MiddlewareFunc {
	if cfg.Skipper == nil {
		cfg.Skipper = middleware.DefaultSkipper
	}
	static := [][2]string{
		{echo.HeaderXContentTypeOptions, cfg.ContentTypeNosniff},
		{echo.HeaderCacheControl, cfg.CacheControl},
		{echo.HeaderReferrerPolicy, cfg.ReferrerPolicy},
		{echo.HeaderContentSecurityPolicy, cfg.ContentSecurityPolicy},
		{echo.HeaderXFrameOptions, cfg.FrameOptions},
	}
	hsts := ""
	if cfg.HSTSMaxAge > 0 {
		hsts = "max-age=" + strconv.Itoa(cfg.HSTSMaxAge)
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if cfg.Skipper(c) {
				return next(c)
			}
			h := c.Response().Header()
			for _, kv := range static {
				if kv[1] != "" {
					h.Set(kv[0], kv[1])
				}
			}
			if hsts != "" && c.Scheme() == "https" {
				h.Set(echo.HeaderStrictTransportSecurity, hsts)
			}
			return next(c)
		}
	}
}
