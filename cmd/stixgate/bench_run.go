package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// TAXII media type of every request the harness sends.
const benchMediaType = "application/taxii+json;version=2.1"

// benchRun holds what one harness run shares between its phases.
type benchRun struct {
	cmd    *benchCmd
	tgt    *benchTarget
	env    *env
	gen    *indicatorGen
	client *http.Client
	header http.Header

	marks   []time.Time // wall clock before each fill batch: added_after values spread over the fill
	cursors []string    // every next cursor seen while walking the collection
	last    string      // X-TAXII-Date-Added-Last of the walk's final page
}

func newBenchRun(c *benchCmd, tgt *benchTarget, e *env) *benchRun {
	h := http.Header{}
	h.Set("Accept", benchMediaType)
	h.Set("Content-Type", benchMediaType)
	req, _ := http.NewRequest(http.MethodGet, "/", nil)
	req.SetBasicAuth(tgt.user, tgt.pass)
	h.Set("Authorization", req.Header.Get("Authorization"))
	run := fmt.Sprintf("r%x", e.Now().UnixNano())
	return &benchRun{
		cmd: c, tgt: tgt, env: e, gen: newIndicatorGen(run, e.Now()), header: h,
		client: &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
			MaxIdleConnsPerHost: c.Workers + 2, MaxConnsPerHost: c.Workers + 2,
		}},
	}
}

// run executes every phase; a phase that cannot start stops the run, and
// the report says which.
func (r *benchRun) run(ctx context.Context) *benchReport {
	rep := &benchReport{objects: r.cmd.Objects, exact: r.tgt.fresh, paced: r.cmd.Rate > 0}
	steps := []func(context.Context, *benchReport) error{r.fill, r.walk, r.reads, r.postUnderPolling}
	for _, step := range steps {
		if err := step(ctx, rep); err != nil {
			rep.fatal = err
			break
		}
	}
	return rep
}

// do sends one request with the harness's headers and reads the body.
func (r *benchRun) do(ctx context.Context, method, url string, body []byte) (*http.Response, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, nil, err
	}
	req.Header = r.header.Clone()
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

// statusCounts is the part of a TAXII status resource the harness checks.
type statusCounts struct {
	SuccessCount int `json:"success_count"`
	FailureCount int `json:"failure_count"`
	PendingCount int `json:"pending_count"`
	Successes    []struct {
		ID string `json:"id"`
	} `json:"successes"`
}

// checkPost turns a POST answer into the error string vegeta's metrics
// count: a non-202 status, or a status resource that did not store every
// object.
func checkPost(code int, body []byte, want int) (statusCounts, string) {
	var st statusCounts
	if code != http.StatusAccepted {
		return st, fmt.Sprintf("POST answered %d: %.200s", code, body)
	}
	if err := json.Unmarshal(body, &st); err != nil {
		return st, "POST status: " + err.Error()
	}
	if st.SuccessCount != want || st.FailureCount != 0 || st.PendingCount != 0 {
		return st, fmt.Sprintf("POST status: %d succeeded, %d failed, %d pending of %d",
			st.SuccessCount, st.FailureCount, st.PendingCount, want)
	}
	return st, ""
}

// attack runs a vegeta attack for d with the phase settings, adding the
// results to t; inspect (may be nil) sees each result first and can turn it
// into an error.
func (r *benchRun) attack(name string, d time.Duration, tr vegeta.Targeter, inspect func(*vegeta.Result), t *tally) {
	w := uint64(r.cmd.Workers)
	a := vegeta.NewAttacker(vegeta.Workers(w), vegeta.MaxWorkers(w), vegeta.Connections(r.cmd.Workers),
		vegeta.Timeout(60*time.Second), vegeta.KeepAlive(true))
	pacer := vegeta.Rate{Freq: r.cmd.Rate, Per: time.Second}
	start := time.Now()
	for res := range a.Attack(tr, pacer, d, name) {
		if inspect != nil {
			inspect(res)
		}
		t.add(res)
	}
	t.busy += time.Since(start)
}
