package taxii

import (
	"log/slog"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// requestLogger logs one line per request with what a poller asked for (added_after, next, limit) and
// who it was, so that "Sentinel is not importing" can be debugged from the server side (no connector
// logs are exposed). It never logs the Authorization header, only the principal's name.
func (s *Server) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		HandleError:    true, // run the error handler first so the logged status is the one sent
		LogLatency:     true,
		LogRemoteIP:    true,
		LogMethod:      true,
		LogURIPath:     true,
		LogStatus:      true,
		LogUserAgent:   true,
		LogQueryParams: []string{"added_after", "next", "limit"},
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			user := "-"
			if p, ok := c.Get(principalKey).(*principal); ok && !p.anonymous() {
				user = p.name
			}
			s.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "taxii request",
				slog.String("method", v.Method), slog.String("path", v.URIPath),
				slog.Int("status", v.Status), slog.Duration("latency", v.Latency),
				slog.String("remote", v.RemoteIP), slog.String("user", user),
				slog.String("user_agent", v.UserAgent), slog.Any("query", v.QueryParams))
			return nil
		},
	})
}
