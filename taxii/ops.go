package taxii

import (
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Operational endpoints, outside the TAXII API:
//
//   - GET /healthz: 200 {"status":"ok"} while the process serves HTTP; never touches Redis, so a Redis
//     outage does not get the container restarted. No credentials.
//   - GET /readyz: 200 when Redis answers a ping within one second, else 503 with Retry-After. No
//     credentials; the error goes to the log only.
//   - GET /metrics: the Prometheus registry (Options.Registry). No credentials, so expose it only where
//     the scraper can reach it, or set Options.DisableMetricsEndpoint and serve the registry elsewhere.
//   - GET /admin/delivery: the per-consumer delivery state as JSON. Only for a user with write
//     permission on "*" (the configuration's administrator); others get 401 or 403.
//
// They are registered with a trailing slash like every TAXII route (the server normalises paths before
// routing) and without one. An API root named healthz, readyz, metrics or admin would be shadowed.
//
// Around every request: an X-Request-Id (the client's, or a random one), one log line and the request
// metrics, security headers, and (after authentication) a per-principal rate limit answering 429.
// Requests whose credentials fail stop at 401 before that limit; the failed-login throttle in front of
// authentication (loginguard.go) limits them per remote IP instead.
const (
	pathHealthz  = "/healthz/"
	pathReadyz   = "/readyz/"
	pathMetrics  = "/metrics/"
	pathDelivery = "/admin/delivery/"
)

// ops is the operational side of a Server: metrics, per-consumer delivery state, health checks, rate
// limiting and request logging. NewServer builds one with newOps; newEcho wires its middleware.
type ops struct {
	raw      Store // the store as passed to NewServer, for the optional Ping and Stats
	log      *slog.Logger
	now      func() time.Time
	reg      *prometheus.Registry
	metrics  *observer
	delivery *deliveryTracker
	limit    RateLimit
	// users are the configured user names: only these are logged verbatim after a failed login, since
	// an unknown "user name" is often an API key typed into the user field.
	users          map[string]bool
	collections    []string          // every configured collection id, sorted, deduplicated
	aliases        map[string]string // collection id → alias, for the delivery report
	serveMetrics   bool
	metricsHandler http.Handler
}

// newOps builds the operational state from the server's configuration and (defaulted) options.
func newOps(cfg Config, st Store, opts Options) *ops {
	o := &ops{
		raw:          st,
		log:          opts.Logger,
		now:          opts.Now,
		reg:          opts.Registry,
		delivery:     newDeliveryTracker(defaultDeliveryEntries),
		limit:        opts.RateLimit,
		users:        map[string]bool{},
		aliases:      map[string]string{},
		serveMetrics: !opts.DisableMetricsEndpoint,
	}
	if o.reg == nil {
		o.reg = prometheus.NewRegistry()
		o.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	for _, u := range cfg.Users {
		o.users[u.Name] = true
	}
	for _, r := range cfg.APIRoots {
		for _, col := range r.Collections {
			o.collections = append(o.collections, col.ID)
			if col.Alias != "" {
				o.aliases[col.ID] = col.Alias
			}
		}
	}
	slices.Sort(o.collections)
	o.collections = slices.Compact(o.collections)
	o.metricsHandler = promhttp.HandlerFor(o.reg, promhttp.HandlerOpts{})
	o.metrics = newObserver(o.reg, o.log)
	registerCollector(o.reg, o.log, &storeCollector{o: o})
	return o
}

// instrument wraps st so that POST outcomes and the size of served pages are observed.
func (o *ops) instrument(st Store) Store { return observedStore{Store: st, metrics: o.metrics} }

// registerRoutes adds the operational endpoints. /healthz, /readyz and /metrics need no credentials
// (container health checks and Prometheus scrape them); /admin/delivery needs an administrator.
func (o *ops) registerRoutes(e *echo.Echo) {
	routes := []struct {
		path string
		h    echo.HandlerFunc
	}{{pathHealthz, o.getHealthz}, {pathReadyz, o.getReadyz}, {pathDelivery, o.getDelivery}, {pathMetrics, o.getMetrics}}
	for _, r := range routes {
		if r.path == pathMetrics && !o.serveMetrics {
			continue
		}
		e.GET(r.path, r.h)
		e.GET(strings.TrimSuffix(r.path, "/"), r.h)
	}
}

// isPublic reports whether the request was routed to an endpoint that takes no credentials and no
// TAXII Accept header. Use it as the Skipper of the Accept, authentication and rate-limit middleware.
func isPublic(c echo.Context) bool {
	switch c.Path() {
	case pathHealthz, pathReadyz, pathMetrics,
		pathHealthz[:len(pathHealthz)-1], pathReadyz[:len(pathReadyz)-1], pathMetrics[:len(pathMetrics)-1]:
		return true
	}
	return false
}

// isOps reports whether the request was routed to any operational endpoint, /admin/delivery included:
// none of them serves TAXII, so the TAXII Accept check does not apply.
func isOps(c echo.Context) bool {
	p := c.Path()
	return isPublic(c) || p == pathDelivery || p == pathDelivery[:len(pathDelivery)-1]
}

// rateLimiter returns the per-principal rate-limit middleware; it passes everything when the limit is zero.
func (o *ops) rateLimiter() echo.MiddlewareFunc {
	cfg := DefaultRateLimiterConfig
	cfg.Skipper = isPublic
	cfg.Limit = o.limit
	cfg.Now = o.now
	return RateLimiterWithConfig(cfg)
}

// registerCollector adds c to reg; a collector that is already registered (two servers sharing one registry)
// is logged and skipped rather than failing the server.
func registerCollector(reg prometheus.Registerer, log *slog.Logger, c prometheus.Collector) prometheus.Collector {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			return are.ExistingCollector
		}
		log.Warn("taxii: register metrics", "err", err)
	}
	return c
}
