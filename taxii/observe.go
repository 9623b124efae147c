package taxii

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/stixgate/stixgate/store"
)

// Outcomes of posted objects, the values of the outcome label of stixgate_posted_objects_total.
const (
	outcomeAdded     = "added"     // a new version was stored
	outcomeDuplicate = "duplicate" // identical bytes were already stored: a success that wrote nothing
	outcomeFailed    = "failed"    // rejected: invalid, or conflicting with a stored version
)

// unmatchedRoute labels requests that matched no route, so that scanners' URLs cannot create series.
const unmatchedRoute = "unmatched"

// observer holds the request and ingestion metrics. Requests are labelled by route template (echo's
// c.Path()), never by URL: object ids and cursors in URLs would create a series per request.
type observer struct {
	requests    *prometheus.CounterVec   // method, route, code
	latency     *prometheus.HistogramVec // method, route
	unavailable *prometheus.CounterVec   // route
	posted      *prometheus.CounterVec   // collection, outcome
}

func newObserver(reg prometheus.Registerer, log *slog.Logger) *observer {
	o := &observer{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stixgate_http_requests_total",
			Help: "HTTP requests by method, route template and status code.",
		}, []string{"method", "route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "stixgate_http_request_duration_seconds",
			Help:    "Time to serve a request, by method and route template.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
		unavailable: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stixgate_redis_unavailable_total",
			Help: "Requests that failed because Redis was unreachable or not serving (answered 503).",
		}, []string{"route"}),
		posted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stixgate_posted_objects_total",
			Help: "Objects received by POST, by collection and outcome (added, duplicate, failed).",
		}, []string{"collection", "outcome"}),
	}
	o.requests = registerCollector(reg, log, o.requests).(*prometheus.CounterVec)
	o.latency = registerCollector(reg, log, o.latency).(*prometheus.HistogramVec)
	o.unavailable = registerCollector(reg, log, o.unavailable).(*prometheus.CounterVec)
	o.posted = registerCollector(reg, log, o.posted).(*prometheus.CounterVec)
	return o
}

// request records one served request. err is the error the handler chain returned, if any.
func (o *observer) request(method, route string, status int, d time.Duration, err error) {
	method = methodLabel(method)
	if route == "" {
		route = unmatchedRoute
	}
	o.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	o.latency.WithLabelValues(method, route).Observe(d.Seconds())
	if errors.Is(err, store.ErrUnavailable) {
		o.unavailable.WithLabelValues(route).Inc()
	}
}

// postOutcome counts the objects of one POST by outcome. The store decorator reports what Put
// returned; the POST handler reports objects that failed validation before Put as failed.
func (o *observer) postOutcome(collection string, added, duplicate, failed int) {
	for _, c := range []struct {
		outcome string
		n       int
	}{{outcomeAdded, added}, {outcomeDuplicate, duplicate}, {outcomeFailed, failed}} {
		if c.n > 0 {
			o.posted.WithLabelValues(collection, c.outcome).Add(float64(c.n))
		}
	}
}

// methodLabel keeps the method label to the standard methods: echo routes any token as a method.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

// observedStore decorates the server's Store: it counts the outcomes of Put and notes the size and the
// last date_added of the page a request read, for the delivery tracker. Embedding the interface
// forwards every other method unchanged.
type observedStore struct {
	Store
	metrics *observer
}

// Put counts outcomes: Added, Duplicate, and Conflict as failed.
func (s observedStore) Put(ctx context.Context, collection string, objs []store.Object) ([]store.PutResult, error) {
	res, err := s.Store.Put(ctx, collection, objs)
	if err != nil {
		return res, err
	}
	var added, dup, failed int
	for _, r := range res {
		switch r.Outcome {
		case store.Added:
			added++
		case store.Duplicate:
			dup++
		default:
			failed++
		}
	}
	s.metrics.postOutcome(collection, added, dup, failed)
	return res, nil
}

// Objects fills in the request's pageNote, if the delivery tracker attached one.
func (s observedStore) Objects(ctx context.Context, collection string, q store.Query) (store.Page, error) {
	page, err := s.Store.Objects(ctx, collection, q)
	if n, ok := ctx.Value(pageNoteKey{}).(*pageNote); ok && err == nil {
		n.records = len(page.Records)
		if n.records > 0 {
			n.last = page.Records[n.records-1].DateAdded
		}
	}
	return page, err
}
