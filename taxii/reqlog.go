package taxii

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// maxLoggedLen truncates client-supplied strings (user names, request ids, added_after) in logs.
const maxLoggedLen = 64

// requestLog returns the outermost middleware: it hands errors to the error handler (so that the
// status is final), then records metrics and delivery state and writes one log line per request.
//
// The line has the request id, method, route template, status, latency, remote IP, user (the
// principal's configured name), collection id, added_after, limit, whether next was sent, and the
// User-Agent. It never has the URL: query strings carry next cursors and paths carry object ids, and
// neither belongs in logs (nor does any other header, Authorization above all).
func (o *ops) requestLog() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		HandleError:    true,
		LogLatency:     true,
		LogMethod:      true,
		LogRoutePath:   true,
		LogStatus:      true,
		LogRemoteIP:    true,
		LogRequestID:   true,
		LogError:       true,
		BeforeNextFunc: notePage,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			o.metrics.request(v.Method, v.RoutePath, v.Status, v.Latency, v.Error)
			o.recordDelivery(c, v.Status)
			o.logRequest(c, v)
			return nil
		},
	})
}

func (o *ops) logRequest(c echo.Context, v middleware.RequestLoggerValues) {
	ctx := c.Request().Context()
	route := v.RoutePath
	if route == "" {
		route = unmatchedRoute
	}
	attrs := []slog.Attr{
		slog.String("request_id", logSafe(v.RequestID, maxLoggedLen)),
		slog.String("method", methodLabel(v.Method)),
		slog.String("route", route),
		slog.Int("status", v.Status),
		slog.Duration("latency", v.Latency),
		slog.String("remote", v.RemoteIP),
	}
	if p := principalOf(c); !p.anonymous() {
		attrs = append(attrs, slog.String("user", p.name))
	}
	if col, ok := c.Get(collectionKey).(*Collection); ok {
		attrs = append(attrs, slog.String("collection", col.ID))
	}
	attrs = append(attrs, pagingAttrs(c)...)
	if ua := c.Request().UserAgent(); ua != "" {
		attrs = append(attrs, slog.String("user_agent", logSafe(ua, 2*maxLoggedLen)))
	}
	level := slog.LevelInfo
	switch {
	case v.Status >= http.StatusInternalServerError:
		level = slog.LevelWarn // the error handler logs the cause at error level
	case isPublic(c) && v.Status < http.StatusBadRequest:
		level = slog.LevelDebug // health checks and scrapes every few seconds would drown the rest
	}
	o.log.LogAttrs(ctx, level, "request", attrs...)
	if v.Status == http.StatusUnauthorized && c.Request().Header.Get(echo.HeaderAuthorization) != "" {
		o.logFailedLogin(c, v)
	}
}

// pagingAttrs are what a poller asked for: added_after and limit as sent (sanitised), and whether it
// sent a next cursor. The cursor itself is never logged.
func pagingAttrs(c echo.Context) []slog.Attr {
	q := c.QueryParams()
	var attrs []slog.Attr
	if v := q.Get("added_after"); v != "" {
		attrs = append(attrs, slog.String("added_after", logSafe(v, maxLoggedLen)))
	}
	if v := q.Get("limit"); v != "" {
		attrs = append(attrs, slog.String("limit", logSafe(v, 16)))
	}
	if q.Get("next") != "" {
		attrs = append(attrs, slog.Bool("next", true))
	}
	return attrs
}

// logFailedLogin records a rejected Authorization header: its scheme, the user name, the remote IP.
// It never says whether the name or the secret was wrong. The name is logged as given only when it is
// a configured user: API keys are routinely typed into the user field of Basic-only clients, so any
// other name is replaced by a short fingerprint that still lets an operator correlate attempts.
func (o *ops) logFailedLogin(c echo.Context, v middleware.RequestLoggerValues) {
	scheme, user := credentialUser(c.Request().Header.Get(echo.HeaderAuthorization))
	attrs := []slog.Attr{
		slog.String("request_id", logSafe(v.RequestID, maxLoggedLen)),
		slog.String("scheme", scheme),
		slog.String("remote", v.RemoteIP),
	}
	switch {
	case user == "":
	case o.users[user]:
		attrs = append(attrs, slog.String("user", logSafe(user, maxLoggedLen)))
	default:
		sum := sha256.Sum256([]byte(user))
		attrs = append(attrs, slog.String("user", "unknown"), slog.String("user_sha256", hex.EncodeToString(sum[:4])))
	}
	o.log.LogAttrs(c.Request().Context(), slog.LevelWarn, "login failed", attrs...)
}

// credentialUser returns the lower-cased scheme of an Authorization header ("other" when unknown) and,
// for Basic, the user name. Nothing else of the header is returned.
func credentialUser(h string) (scheme, user string) {
	s, cred, _ := strings.Cut(h, " ")
	switch s = strings.ToLower(s); s {
	case "basic":
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
		if err != nil {
			return s, ""
		}
		user, _, _ = strings.Cut(string(raw), ":")
		return s, user
	case "bearer", "token":
		return s, ""
	}
	return "other", ""
}

// logSafe truncates s to n bytes and replaces everything but printable ASCII, so that a client cannot
// forge log lines or flood them.
func logSafe(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '?'
		}
		return r
	}, s)
}
