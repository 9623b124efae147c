package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Date header the poller and the walk read (TAXII 2.1 §3.2).
const benchHeaderLast = "X-TAXII-Date-Added-Last"

// pageEnvelope is the part of a TAXII envelope the harness reads.
type pageEnvelope struct {
	More    bool   `json:"more"`
	Next    string `json:"next"`
	Objects []struct {
		ID string `json:"id"`
	} `json:"objects"`
}

// fill POSTs --objects indicators in envelopes of --batch from --workers
// clients: the real write path, validation and pattern parsing included.
func (r *benchRun) fill(ctx context.Context, rep *benchReport) error {
	n, size := r.cmd.Objects, r.cmd.Batch
	if n == 0 {
		return nil
	}
	jobs := make(chan int)
	results := make(chan *vegeta.Result)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range r.cmd.Workers {
		wg.Go(func() {
			for count := range jobs {
				results <- r.postBatch(ctx, count, &mu)
			}
		})
	}
	go func() {
		defer close(results)
		defer wg.Wait()
		defer close(jobs)
		for left := n; left > 0 && ctx.Err() == nil; left -= size {
			jobs <- min(size, left)
		}
	}()
	start := time.Now()
	var t tally
	for res := range results {
		t.add(res)
	}
	rep.add(t.result(fmt.Sprintf("%s %d/env", phaseFill, size), int64(n), time.Since(start)))
	slices.SortFunc(r.marks, func(a, b time.Time) int { return a.Compare(b) })
	if t.errs > 0 {
		return fmt.Errorf("fill: %d of %d POSTs failed, e.g. %s", t.errs, t.m.Requests, t.first)
	}
	return ctx.Err()
}

// postBatch POSTs one envelope of count new indicators, noting the time
// before it as an added_after value for the page phase.
func (r *benchRun) postBatch(ctx context.Context, count int, mu *sync.Mutex) *vegeta.Result {
	body, _ := r.gen.envelope(count)
	t0 := time.Now()
	mu.Lock()
	r.marks = append(r.marks, t0)
	mu.Unlock()
	res := &vegeta.Result{Method: http.MethodPost, URL: r.tgt.objectsURL, Timestamp: t0, BytesOut: uint64(len(body))}
	resp, b, err := r.do(ctx, http.MethodPost, r.tgt.objectsURL, body)
	res.Latency = time.Since(t0)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	res.Code, res.BytesIn = uint16(resp.StatusCode), uint64(len(b))
	_, res.Error = checkPost(resp.StatusCode, b, count)
	return res
}

// pageURL is the objects URL with limit and the given extra query.
func (r *benchRun) pageURL(extra url.Values) string {
	q := url.Values{"limit": {strconv.Itoa(r.cmd.Limit)}}
	for k, v := range extra {
		q[k] = v
	}
	return r.tgt.objectsURL + "?" + q.Encode()
}

// walk reads the whole collection page by page with one client, counting
// objects and keeping every next cursor for the page phase.
func (r *benchRun) walk(ctx context.Context, rep *benchReport) error {
	start := time.Now()
	var t tally
	u := r.pageURL(nil)
	for {
		env, res, last := r.getPage(ctx, u)
		t.add(res)
		if res.Error != "" {
			break
		}
		rep.walked += len(env.Objects)
		if last != "" {
			r.last = last
		}
		if !env.More {
			break
		}
		r.cursors = append(r.cursors, env.Next)
		u = r.pageURL(url.Values{"next": {env.Next}})
	}
	rep.add(t.result(phaseWalk, int64(rep.walked), time.Since(start)))
	if t.errs > 0 {
		return fmt.Errorf("walk: %s", t.first)
	}
	return nil
}

// getPage GETs one page and decodes it; res carries any failure.
func (r *benchRun) getPage(ctx context.Context, u string) (pageEnvelope, *vegeta.Result, string) {
	var env pageEnvelope
	t0 := time.Now()
	res := &vegeta.Result{Method: http.MethodGet, URL: u, Timestamp: t0}
	resp, b, err := r.do(ctx, http.MethodGet, u, nil)
	res.Latency = time.Since(t0)
	switch {
	case err != nil:
		res.Error = err.Error()
	case resp.StatusCode != http.StatusOK:
		res.Code, res.Error = uint16(resp.StatusCode), fmt.Sprintf("GET answered %d: %.200s", resp.StatusCode, b)
	default:
		res.Code, res.BytesIn = uint16(resp.StatusCode), uint64(len(b))
		if err := json.Unmarshal(b, &env); err != nil {
			res.Error = "decode page: " + err.Error()
		} else if env.More && env.Next == "" {
			res.Error = "page has more without next"
		}
		return env, res, resp.Header.Get(benchHeaderLast)
	}
	return env, res, ""
}
