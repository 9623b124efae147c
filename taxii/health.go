package taxii

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// pinger is the optional part of the store that checks its backend; a store without it is always ready.
type pinger interface {
	Ping(ctx context.Context) error
}

// readyTimeout bounds the Redis ping of /readyz: a health check must answer quickly, and a Redis that
// takes longer than this is not fit to serve polls anyway.
const readyTimeout = time.Second

// healthBody is the JSON body of /healthz and /readyz.
type healthBody struct {
	Status string `json:"status"`
}

// getHealthz reports that the process is alive. It touches nothing else, so that a Redis outage does
// not get the container restarted.
func (o *ops) getHealthz(c echo.Context) error {
	return c.JSON(http.StatusOK, healthBody{Status: "ok"})
}

// getReadyz reports whether Redis answers a ping within readyTimeout, with 503 when it does not. The
// error itself goes to the log only: the endpoint takes no credentials.
func (o *ops) getReadyz(c echo.Context) error {
	if p, ok := o.raw.(pinger); ok {
		ctx, cancel := context.WithTimeout(c.Request().Context(), readyTimeout)
		defer cancel()
		if err := p.Ping(ctx); err != nil {
			o.log.WarnContext(ctx, "taxii: not ready", "err", err)
			c.Response().Header().Set(echo.HeaderRetryAfter, "1")
			return c.JSON(http.StatusServiceUnavailable, healthBody{Status: "redis unavailable"})
		}
	}
	return c.JSON(http.StatusOK, healthBody{Status: "ok"})
}

// getMetrics serves the Prometheus registry in the text or OpenMetrics format the scraper asks for.
func (o *ops) getMetrics(c echo.Context) error {
	o.metricsHandler.ServeHTTP(c.Response(), c.Request())
	return nil
}
