package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/redis/go-redis/v9"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/stixgate/stixgate/store"
)

// ceilingHandler is the least work any TAXII page can cost on this Redis:
// one ZRANGE BYLEX of --limit members after a given member, one HMGET of
// their bodies, and the bodies written as an envelope. No auth, no query
// parsing, no cursor, no headers. It reads the store's raw layout (see
// store/keys.go) on purpose: it is a yardstick, not an API.
type ceilingHandler struct {
	rdb     redis.UniversalClient
	latest  string // <prefix>:{<collection>}:latest
	body    string // <prefix>:{<collection>}:body
	limit   int64
	members []string // resume points sampled from the collection
}

func (h *ceilingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	after := r.URL.Query().Get("after")
	mems, err := h.rdb.ZRangeArgs(ctx, redis.ZRangeArgs{Key: h.latest, Start: "(" + after, Stop: "+", ByLex: true, Count: h.limit}).Result()
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	fields := make([]string, len(mems))
	for i, m := range mems {
		fields[i] = m[17:] // "<date_added>|" is 17 bytes; the rest is the body field
	}
	var bodies []any
	if len(fields) > 0 {
		if bodies, err = h.rdb.HMGet(ctx, h.body, fields...).Result(); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
	}
	var b bytes.Buffer
	b.WriteString(`{"more":true,"objects":[`)
	for i, v := range bodies {
		if i > 0 {
			b.WriteByte(',')
		}
		s, _ := v.(string)
		b.WriteString(s)
	}
	b.WriteString("]}")
	w.Header().Set("Content-Type", benchMediaType)
	w.Write(b.Bytes())
}

// startCeiling serves the ceiling handler on loopback and returns a
// targeter for it with the page phase's headers, and a stop function.
func (r *benchRun) startCeiling(ctx context.Context) (vegeta.Targeter, func(), error) {
	if r.tgt.redisURL == "" {
		return nil, nil, errors.New("baseline: needs a Redis URL (--redis-url, or redis-server on PATH)")
	}
	rc, err := openRedis(r.tgt.redisURL)
	if err != nil {
		return nil, nil, fmt.Errorf("baseline: %w", err)
	}
	h, err := newCeilingHandler(ctx, rc.Client, r.tgt.collection, r.cmd.Limit)
	if err != nil {
		rc.Close()
		return nil, nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		rc.Close()
		return nil, nil, fmt.Errorf("baseline: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l)
	base := "http://" + l.Addr().String() + "/"
	tr := func(tg *vegeta.Target) error {
		tg.Method, tg.Header = http.MethodGet, r.header
		tg.URL = base + "?after=" + url.QueryEscape(h.members[rand.IntN(len(h.members))])
		return nil
	}
	return tr, func() { srv.Close(); rc.Close() }, nil
}

func newCeilingHandler(ctx context.Context, rdb redis.UniversalClient, collection string, limit int) (*ceilingHandler, error) {
	keys := store.NewRawKeys("", collection)
	h := &ceilingHandler{rdb: rdb, latest: keys.Latest, body: keys.Body, limit: int64(limit)}
	n, err := rdb.ZCard(ctx, h.latest).Result()
	if err != nil || n == 0 {
		return nil, fmt.Errorf("baseline: %s has %d members: %v", h.latest, n, err)
	}
	// Resume points from the first n-limit members, so every page is full.
	for range 256 {
		rank := rand.Int64N(max(n-int64(limit), 1))
		m, err := rdb.ZRange(ctx, h.latest, rank, rank).Result()
		if err != nil {
			return nil, fmt.Errorf("baseline: sample %s: %w", h.latest, err)
		}
		h.members = append(h.members, m...)
	}
	if len(h.members) == 0 {
		return nil, fmt.Errorf("baseline: no members sampled from %s", h.latest)
	}
	return h, nil
}
