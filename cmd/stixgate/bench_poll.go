package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// maxDrainPolls bounds the final polls after the writers stop; each one
// that finds objects means writes were still landing.
const maxDrainPolls = 100

// postUnderPolling POSTs fresh envelopes for --duration while a
// Sentinel-style poller reads the collection, then checks that every
// object acknowledged with 202 was delivered exactly once.
func (r *benchRun) postUnderPolling(ctx context.Context, rep *benchReport) error {
	p := &poller{r: r, after: r.last, seen: map[string]int{}}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { defer close(done); p.loop(ctx, stop) }()

	acked := map[string]bool{}
	start := time.Now()
	var t tally
	r.attack("post", r.cmd.Duration, r.postTargeter(), func(res *vegeta.Result) {
		if res.Error != "" {
			return
		}
		st, msg := checkPost(int(res.Code), res.Body, r.cmd.PostBatch)
		res.Error = msg
		for _, s := range st.Successes {
			acked[s.ID] = true
		}
	}, &t)
	elapsed := time.Since(start)
	close(stop)
	<-done
	for i := 0; i < maxDrainPolls && p.t.errs == 0; i++ {
		if n := p.pollOnce(ctx); n == 0 {
			break
		}
	}
	rep.add(t.result(fmt.Sprintf("%s %d/env", phasePost, r.cmd.PostBatch), int64(len(acked)), elapsed))
	rep.add(p.t.result("poll GET (Sentinel-style)", int64(len(p.seen)), elapsed))
	rep.poll = p.verdict(acked)
	return ctx.Err()
}

// postTargeter makes a new envelope per request; the generator's counter
// keeps ids distinct across vegeta's workers.
func (r *benchRun) postTargeter() vegeta.Targeter {
	return func(t *vegeta.Target) error {
		body, _ := r.gen.envelope(r.cmd.PostBatch)
		t.Method, t.URL, t.Header, t.Body = http.MethodPost, r.tgt.objectsURL, r.header, body
		return nil
	}
}

// poller polls like Microsoft Sentinel's TAXII connector: added_after from
// the previous poll's last X-TAXII-Date-Added-Last, following next within a
// poll until more is false.
type poller struct {
	r     *benchRun
	after string         // added_after of the next poll; "" = from the start
	seen  map[string]int // deliveries per object id
	polls int
	pages int
	t     tally
}

// loop polls until stop is closed. A poll is never cut short: a half-read
// poll would be re-read by the next one and look like duplicates.
func (p *poller) loop(ctx context.Context, stop <-chan struct{}) {
	for p.t.errs == 0 && ctx.Err() == nil {
		p.pollOnce(ctx)
		select {
		case <-stop:
			return
		case <-time.After(p.r.cmd.Poll):
		}
	}
}

// pollOnce runs one poll and returns how many objects it delivered.
func (p *poller) pollOnce(ctx context.Context) int {
	p.polls++
	q := url.Values{}
	if p.after != "" {
		q.Set("added_after", p.after)
	}
	n, last := 0, ""
	u := p.r.pageURL(q)
	for {
		env, res, hdr := p.r.getPage(ctx, u)
		p.t.add(res)
		if res.Error != "" {
			return n
		}
		p.pages++
		for _, o := range env.Objects {
			p.seen[o.ID]++
		}
		n += len(env.Objects)
		if hdr != "" {
			last = hdr
		}
		if !env.More {
			break
		}
		u = p.r.pageURL(url.Values{"added_after": q["added_after"], "next": {env.Next}})
	}
	if last != "" {
		p.after = last
	}
	return n
}

// verdict compares deliveries with acknowledgements.
func (p *poller) verdict(acked map[string]bool) *pollResult {
	v := &pollResult{polls: p.polls, pages: p.pages, acked: len(acked), delivered: len(p.seen)}
	for id, n := range p.seen {
		if n > 1 {
			v.duplicates++
			v.dup = id
		}
		if !acked[id] {
			v.unacknowledged++
		}
	}
	for id := range acked {
		if p.seen[id] == 0 {
			v.missing++
			v.firstMissing = id
		}
	}
	return v
}
