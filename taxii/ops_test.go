package taxii

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/stixgate/stixgate/store"
)

// opsEnv is the full stack over miniredis, with the pieces the operational tests need at hand: the
// Redis server (to take it down), the metrics registry and the captured log.
type opsEnv struct {
	srv *Server
	st  *store.Store
	mr  *miniredis.Miniredis
	reg *prometheus.Registry
	log *bytes.Buffer
	h   http.Handler
}

// mustOpsEnv builds the stack with a fixed-step clock, a fresh registry and a debug-level JSON log.
// opts may set RateLimit and DisableMetricsEndpoint; Now, Logger and Registry are filled in.
func mustOpsEnv(tb testing.TB, opts Options) *opsEnv {
	tb.Helper()
	return mustOpsEnvConfig(tb, testConfig(), opts)
}

// mustOpsEnvConfig is mustOpsEnv with another configuration.
func mustOpsEnvConfig(tb testing.TB, cfg Config, opts Options) *opsEnv {
	tb.Helper()
	mr := miniredis.RunT(tb)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1, DialerRetries: 1})
	tb.Cleanup(func() { rdb.Close() })
	clock := newClock(time.Millisecond)
	st := store.New(rdb, store.Options{Now: clock.Now})
	e := &opsEnv{st: st, mr: mr, reg: prometheus.NewRegistry(), log: &bytes.Buffer{}}
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	opts.Registry = e.reg
	opts.Logger = slog.New(slog.NewJSONHandler(e.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, err := NewServer(cfg, st, opts)
	if err != nil {
		tb.Fatalf("NewServer: %v", err)
	}
	e.srv, e.h = srv, srv.Handler()
	return e
}

// get sends a GET with the TAXII Accept header and the given Authorization ("" = none) and extra
// header pairs, from remote address 192.0.2.1 unless a "RemoteAddr" pair says otherwise.
func (e *opsEnv) get(tb testing.TB, path, auth string, kv ...string) *httptest.ResponseRecorder {
	tb.Helper()
	return e.send(tb, http.MethodGet, path, auth, "", kv...)
}

func (e *opsEnv) send(tb testing.TB, method, path, auth, body string, kv ...string) *httptest.ResponseRecorder {
	tb.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.RemoteAddr = "192.0.2.1:40000"
	r.Header.Set("Accept", mediaTypeTAXII)
	if body != "" {
		r.Header.Set("Content-Type", mediaTypeTAXII)
	}
	if auth != "" {
		r.Header.Set("Authorization", auth)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i] == "RemoteAddr" {
			r.RemoteAddr = kv[i+1]
			continue
		}
		r.Header.Set(kv[i], kv[i+1])
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, r)
	return rec
}

// logLines returns the captured log lines.
func (e *opsEnv) logLines() []string {
	return strings.Split(strings.TrimSpace(e.log.String()), "\n")
}
