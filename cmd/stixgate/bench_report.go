package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Phase names; the ceiling ratio compares the page GET phase with the baseline.
const (
	phaseFill     = "fill POST"
	phaseWalk     = "walk GET (1 client)"
	phasePages    = "page GET"
	phasePost     = "POST under polling"
	phaseBaseline = "ceiling: bare ZRANGE+HMGET"
)

// phaseResult is one row of the table.
type phaseResult struct {
	name    string
	m       *vegeta.Metrics
	rps     float64       // successful requests per second of busy time
	errs    int           // results with an error: transport, non-2xx, or a failed check
	first   string        // the first such error
	objects int64         // objects written or read in the phase
	elapsed time.Duration // wall time of the phase, for objects/s
}

// pollResult is what the Sentinel-style poller saw during concurrent POSTs.
type pollResult struct {
	polls, pages      int
	acked, delivered  int // distinct ids acknowledged by 202 / delivered by polls
	duplicates        int // ids delivered more than once
	missing           int // acknowledged ids never delivered
	unacknowledged    int // delivered ids whose POST got no 202 (client timeouts)
	firstMissing, dup string
}

// benchReport collects every phase's numbers and the run's verdict.
type benchReport struct {
	objects int  // --objects
	exact   bool // the collection started empty, so the walk must count exactly objects
	paced   bool // --rate > 0: req/s is the chosen rate, so only latencies compare
	walked  int
	phases  []phaseResult
	poll    *pollResult
	fatal   error
}

func (rep *benchReport) add(p phaseResult) { rep.phases = append(rep.phases, p) }

func (rep *benchReport) phase(name string) *phaseResult {
	for i := range rep.phases {
		if rep.phases[i].name == name || strings.HasPrefix(rep.phases[i].name, name+" ") {
			return &rep.phases[i]
		}
	}
	return nil
}

// problems lists everything that makes the run a failure.
func (rep *benchReport) problems() []error {
	var errs []error
	if rep.fatal != nil {
		errs = append(errs, rep.fatal)
	}
	for _, p := range rep.phases {
		if p.errs > 0 {
			errs = append(errs, fmt.Errorf("%s: %d of %d requests failed, e.g. %s", p.name, p.errs, p.m.Requests, p.first))
		}
	}
	if rep.phase(phaseWalk) != nil && (rep.walked < rep.objects || rep.exact && rep.walked != rep.objects) {
		errs = append(errs, fmt.Errorf("walk: %d objects in the collection, want %d", rep.walked, rep.objects))
	}
	if p := rep.poll; p != nil && (p.duplicates > 0 || p.missing > 0) {
		errs = append(errs, fmt.Errorf("poller: %d duplicates (e.g. %q), %d missing (e.g. %q)", p.duplicates, p.dup, p.missing, p.firstMissing))
	}
	return errs
}

// tally folds results into vegeta metrics and counts the failed ones;
// vegeta itself counts only transport errors and non-2xx/3xx answers.
type tally struct {
	m     vegeta.Metrics
	errs  int
	first string
	ok    int           // results without error
	busy  time.Duration // time spent attacking, summed over rounds
}

func (t *tally) add(res *vegeta.Result) {
	if res.Error != "" {
		t.errs++
		if t.first == "" {
			t.first = res.Error
		}
	} else {
		t.ok++
	}
	res.Body = nil // pages are large; metrics need none of them
	t.m.Add(res)
}

// result closes the metrics and names the row. Request rates use the busy
// time when the phase ran in rounds, else elapsed.
func (t *tally) result(name string, objects int64, elapsed time.Duration) phaseResult {
	t.m.Close()
	busy := t.busy
	if busy == 0 {
		busy = elapsed
	}
	p := phaseResult{name: name, m: &t.m, errs: t.errs, first: t.first, objects: objects, elapsed: elapsed}
	if busy > 0 {
		p.rps = float64(t.ok) / busy.Seconds()
	}
	return p
}

// print writes the table, the poller's verdict and the ceiling ratio.
func (rep *benchReport) print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "phase\trequests\terrors\treq/s\tobjects/s\tp50\tp90\tp99\tmax\t")
	for _, p := range rep.phases {
		objs := "-"
		if p.objects > 0 && p.elapsed > 0 {
			objs = fmt.Sprintf("%.0f", float64(p.objects)/p.elapsed.Seconds())
		}
		l := p.m.Latencies
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%s\t%s\t%s\t%s\t%s\t\n", p.name, p.m.Requests, p.errs,
			p.rps, objs, ms(l.P50), ms(l.P90), ms(l.P99), ms(l.Max))
	}
	tw.Flush()
	if rep.phase(phaseWalk) != nil {
		fmt.Fprintf(w, "walk: %d objects in the collection (filled %d)\n", rep.walked, rep.objects)
	}
	if p := rep.poll; p != nil {
		fmt.Fprintf(w, "poller: %d polls, %d pages; %d objects acknowledged by 202, %d delivered, %d duplicates, %d missing, %d delivered without 202\n",
			p.polls, p.pages, p.acked, p.delivered, p.duplicates, p.missing, p.unacknowledged)
	}
	g, b := rep.phase(phasePages), rep.phase(phaseBaseline)
	switch {
	case g == nil || b == nil:
	case rep.paced:
		fmt.Fprintf(w, "page GET vs the bare ZRANGE+HMGET ceiling at a fixed rate: p50 %s vs %s, p99 %s vs %s\n",
			ms(g.m.Latencies.P50), ms(b.m.Latencies.P50), ms(g.m.Latencies.P99), ms(b.m.Latencies.P99))
	case b.rps > 0:
		fmt.Fprintf(w, "page GET reaches %.0f%% of the bare ZRANGE+HMGET ceiling's req/s (p50 %s vs %s)\n",
			100*g.rps/b.rps, ms(g.m.Latencies.P50), ms(b.m.Latencies.P50))
	}
	if rep.fatal != nil {
		fmt.Fprintf(w, "stopped: %v\n", rep.fatal)
	}
}

// ms prints a latency in milliseconds with enough digits for loopback.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
}
