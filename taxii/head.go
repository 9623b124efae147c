package taxii

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// headKey marks a HEAD request that was routed as GET.
const headKey = "stixgate.head"

// routeHeadAsGet lets every GET route answer HEAD (RFC 9110 §9.3.2), which
// monitors and `curl -I` use: echo routes by method, so HEAD is routed as GET
// here, before routing, and restoreHead turns it back into HEAD right after,
// so that handlers, the error handler and net/http (which then sends no
// body) all see the real method.
func routeHeadAsGet() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if r := c.Request(); r.Method == http.MethodHead {
				r.Method = http.MethodGet
				c.Set(headKey, true)
			}
			return next(c)
		}
	}
}

// restoreHead undoes routeHeadAsGet once the route is chosen.
func restoreHead() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if head, _ := c.Get(headKey).(bool); head {
				c.Request().Method = http.MethodHead
			}
			return next(c)
		}
	}
}
