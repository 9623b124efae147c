package taxii

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/stixgate/stixgate/store"
)

// metricValue returns the value of the counter, gauge or histogram count named name whose labels
// include want, and whether there is one.
func metricValue(tb testing.TB, g prometheus.Gatherer, name string, want map[string]string) (float64, bool) {
	tb.Helper()
	mfs, err := g.Gather()
	if err != nil {
		tb.Fatalf("Gather: %v", err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metrics:
		for _, m := range mf.GetMetric() {
			got := map[string]string{}
			for _, l := range m.GetLabel() {
				got[l.GetName()] = l.GetValue()
			}
			for k, v := range want {
				if got[k] != v {
					continue metrics
				}
			}
			switch {
			case m.GetCounter() != nil:
				return m.GetCounter().GetValue(), true
			case m.GetGauge() != nil:
				return m.GetGauge().GetValue(), true
			case m.GetHistogram() != nil:
				return float64(m.GetHistogram().GetSampleCount()), true
			}
		}
	}
	return 0, false
}

func checkMetric(tb testing.TB, g prometheus.Gatherer, name string, labels map[string]string, want float64) {
	tb.Helper()
	got, ok := metricValue(tb, g, name, labels)
	if !ok || got != want {
		tb.Errorf("%s%v = %v (present %v), want %v", name, labels, got, ok, want)
	}
}

const routeObjects = "/:root/collections/:collection/objects/"

func TestRequestMetrics(t *testing.T) {
	e := mustOpsEnv(t, Options{})
	e.mustPutN(t, 3)
	admin := basic("admin", pwReader)
	for i := range 3 {
		e.get(t, fmt.Sprintf("/api1/collections/purelogs/objects/%s/", indicatorID(i+1)), admin)
	}
	e.get(t, "/api1/collections/purelogs/objects/", admin)
	e.get(t, "/api1/collections/purelogs/objects/", "")
	e.get(t, "/wp-admin/setup.php", admin)
	e.send(t, "BREW", "/taxii2/", admin, "")
	checkMetric(t, e.reg, "stixgate_http_requests_total",
		map[string]string{"method": "GET", "route": "/:root/collections/:collection/objects/:object/", "code": "200"}, 3)
	checkMetric(t, e.reg, "stixgate_http_requests_total", map[string]string{"route": routeObjects, "code": "200"}, 1)
	checkMetric(t, e.reg, "stixgate_http_requests_total", map[string]string{"route": routeObjects, "code": "401"}, 1)
	checkMetric(t, e.reg, "stixgate_http_request_duration_seconds", map[string]string{"method": "GET", "route": routeObjects}, 2)
	checkMetric(t, e.reg, "stixgate_http_requests_total", map[string]string{"method": "other", "route": "/taxii2/"}, 1)
	checkMetric(t, e.reg, "stixgate_http_requests_total", map[string]string{"route": unmatchedRoute, "code": "404"}, 1)
	checkMetric(t, e.reg, "stixgate_collection_objects", map[string]string{"collection": colPure}, 3)
	checkMetric(t, e.reg, "stixgate_collection_versions", map[string]string{"collection": colPure}, 3)
	checkMetric(t, e.reg, "stixgate_collection_stats_up", map[string]string{"collection": colPublic}, 1)

	rec := e.get(t, "/metrics", "", "Accept", "text/plain")
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, "stixgate_http_requests_total") {
		t.Fatalf("GET /metrics = %d %.200s", rec.Code, body)
	}
	for _, leak := range []string{"indicator--", "wp-admin", "BREW", "purelogs"} {
		if strings.Contains(body, leak) {
			t.Errorf("GET /metrics contains %q: URLs or client input leaked into labels", leak)
		}
	}
}

func TestRedisUnavailableMetric(t *testing.T) {
	e := mustOpsEnv(t, Options{})
	e.mr.Close()
	if rec := e.get(t, "/api1/collections/purelogs/objects/", basic("admin", pwReader)); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("GET objects with Redis down = %d, want 503", rec.Code)
	}
	checkMetric(t, e.reg, "stixgate_redis_unavailable_total", map[string]string{"route": routeObjects}, 1)
	checkMetric(t, e.reg, "stixgate_collection_stats_up", map[string]string{"collection": colPure}, 0)
	if _, ok := metricValue(t, e.reg, "stixgate_collection_objects", map[string]string{"collection": colPure}); ok {
		t.Errorf("stixgate_collection_objects reported while Stats fails")
	}
}

func TestPostOutcomeMetrics(t *testing.T) {
	e := mustOpsEnv(t, Options{})
	writer := basic("writer", pwReader)
	post := func(raws ...[]byte) {
		t.Helper()
		if rec := e.send(t, http.MethodPost, "/api1/collections/purelogs/objects/", writer, envelopeOf(raws...)); rec.Code != http.StatusAccepted {
			t.Fatalf("POST = %d %s, want 202", rec.Code, rec.Body)
		}
	}
	a, b := indicator(1, "2026-02-01T00:00:00.000Z"), indicator(2, "2026-02-01T00:00:00.000Z")
	post(a, b)
	post(a)                                                           // identical: duplicate
	post([]byte(strings.Replace(string(a), "ioc 1", "changed", 1)))   // same id and version, other bytes: conflict
	post([]byte(`{"type":"indicator","id":"indicator--not-a-uuid"}`)) // refused by validation, before the store
	labels := func(o string) map[string]string { return map[string]string{"collection": colPure, "outcome": o} }
	checkMetric(t, e.reg, "stixgate_posted_objects_total", labels(outcomeAdded), 2)
	checkMetric(t, e.reg, "stixgate_posted_objects_total", labels(outcomeDuplicate), 1)
	checkMetric(t, e.reg, "stixgate_posted_objects_total", labels(outcomeFailed), 2)
}

func TestMetricsEndpointOff(t *testing.T) {
	e := mustOpsEnv(t, Options{DisableMetricsEndpoint: true})
	e.get(t, "/taxii2/", basic("reader", pwReader))
	if rec := e.get(t, "/metrics", ""); rec.Code == http.StatusOK {
		t.Errorf("GET /metrics = 200, want it gone with DisableMetricsEndpoint")
	}
	checkMetric(t, e.reg, "stixgate_http_requests_total", map[string]string{"route": "/taxii2/", "code": "200"}, 1)
}

func TestSharedRegistry(t *testing.T) {
	reg := prometheus.NewRegistry()
	for i := range 2 {
		if _, err := NewServer(testConfig(), nil, Options{Registry: reg}); err != nil {
			t.Fatalf("NewServer #%d on a shared registry: %v", i, err)
		}
	}
}

// mustPutN stores indicators 1..n in purelogs, one version each.
func (e *opsEnv) mustPutN(tb testing.TB, n int) {
	tb.Helper()
	for i := 1; i <= n; i++ {
		obj, err := inspect(indicator(i, "2026-02-01T00:00:00.000Z"))
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := e.st.Put(tb.Context(), colPure, []store.Object{obj}); err != nil {
			tb.Fatal(err)
		}
	}
}
