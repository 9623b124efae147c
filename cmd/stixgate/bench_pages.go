package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// benchTimestamp is the TAXII microsecond timestamp form for added_after.
const benchTimestamp = "2006-01-02T15:04:05.000000Z"

// reads drives page GETs with limit=--limit at random points of the
// collection: half resume from a next cursor seen by the walk, half start at
// an added_after taken from the fill, so every depth of the sorted sets is
// hit. With --baseline the ceiling runs in alternating rounds beside it.
func (r *benchRun) reads(ctx context.Context, rep *benchReport) error {
	rounds, ceiling := 1, vegeta.Targeter(nil)
	if r.cmd.Baseline {
		tr, stop, err := r.startCeiling(ctx)
		if err != nil {
			return err
		}
		defer stop()
		rounds, ceiling = r.cmd.Rounds, tr
	}
	d := r.cmd.Duration / time.Duration(rounds)
	var pages, base tally
	for range rounds {
		r.attack("pages", d, r.pageTargeter(), nil, &pages)
		if ceiling != nil {
			r.attack("ceiling", d, ceiling, nil, &base)
		}
	}
	rep.add(pages.result(fmt.Sprintf("%s limit=%d", phasePages, r.cmd.Limit), 0, pages.busy))
	if ceiling != nil {
		rep.add(base.result(fmt.Sprintf("%s limit=%d", phaseBaseline, r.cmd.Limit), 0, base.busy))
	}
	return ctx.Err()
}

// pageTargeter picks a random page start per request; it is safe for
// vegeta's concurrent workers because it only reads.
func (r *benchRun) pageTargeter() vegeta.Targeter {
	marks := r.fullPageMarks()
	cursors := r.cursors
	first := r.pageURL(nil)
	return func(t *vegeta.Target) error {
		t.Method, t.Header, t.URL = http.MethodGet, r.header, first
		switch {
		case len(cursors) > 0 && (len(marks) == 0 || rand.IntN(2) == 0):
			t.URL = r.pageURL(url.Values{"next": {cursors[rand.IntN(len(cursors))]}})
		case len(marks) > 0:
			after := marks[rand.IntN(len(marks))].UTC().Format(benchTimestamp)
			t.URL = r.pageURL(url.Values{"added_after": {after}})
		}
		return nil
	}
}

// fullPageMarks drops the fill marks too close to the end for a full page
// to follow them, so the phase measures full pages only.
func (r *benchRun) fullPageMarks() []time.Time {
	tail := (r.cmd.Limit+r.cmd.Batch-1)/r.cmd.Batch + r.cmd.Workers
	if len(r.marks) <= tail {
		if len(r.marks) > 0 {
			return r.marks[:1]
		}
		return nil
	}
	return r.marks[:len(r.marks)-tail]
}
