package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// benchCmd is the load harness (`stixgate bench`, `make load`). It fills a
// collection through the real write path, then drives page GETs, a
// Sentinel-style poller and concurrent POSTs against a running server over
// loopback, and prints req/s, latency quantiles and errors per phase.
type benchCmd struct {
	Objects    int           `default:"10000" help:"Synthetic indicators to POST before the read phases."`
	RedisURL   string        `name:"redis-url" help:"Redis for the in-process server. Default: a throwaway redis-server on a spare port (miniredis when none is installed). Use real Redis for 1M objects, e.g. redis://127.0.0.1:6379/15."`
	Target     string        `help:"Base URL of an already running stixgate (e.g. http://127.0.0.1:8080); default: start one in-process on 127.0.0.1:0."`
	APIRoot    string        `name:"api-root" default:"api1" help:"API root path on --target."`
	Collection string        `help:"Collection id or alias on --target (required with --target)."`
	User       string        `default:"admin" env:"STIXGATE_USER" help:"User on --target."`
	Password   string        `env:"STIXGATE_PASSWORD" help:"Password on --target (required with --target)."`
	Duration   time.Duration `default:"15s" help:"Length of each timed phase (page GETs; POSTs under polling; baseline)."`
	Rate       int           `default:"0" help:"Requests per second in the timed phases; 0 = closed loop, as fast as --workers allow."`
	Workers    int           `default:"4" help:"Concurrent clients per phase."`
	Batch      int           `default:"1000" help:"Objects per POST envelope while filling."`
	PostBatch  int           `name:"post-batch" default:"100" help:"Objects per POST envelope in the POST-under-polling phase."`
	Limit      int           `default:"1000" help:"Page size (limit) of every GET."`
	Poll       time.Duration `default:"250ms" help:"Pause between the Sentinel-style poller's polls."`
	Baseline   bool          `help:"Also measure the ceiling: a bare net/http handler serving one ZRANGE page plus bodies straight from the same Redis."`
	Rounds     int           `default:"3" help:"With --baseline, page GETs and the ceiling alternate in this many rounds of --duration/rounds each, so drifting machine load hits both alike."`
}

// check rejects flag combinations that cannot run.
func (c *benchCmd) check() error {
	var errs []error
	if c.Objects < 0 || c.Workers < 1 || c.Batch < 1 || c.PostBatch < 1 || c.Limit < 1 || c.Rate < 0 || c.Rounds < 1 {
		errs = append(errs, errors.New("bench: --objects must be >= 0; --workers, --batch, --post-batch, --limit and --rounds >= 1; --rate >= 0"))
	}
	if c.Duration <= 0 {
		errs = append(errs, errors.New("bench: --duration must be > 0"))
	}
	if c.Target != "" && (c.Collection == "" || c.Password == "") {
		errs = append(errs, errors.New("bench: --target needs --collection and --password (or STIXGATE_PASSWORD)"))
	}
	return errors.Join(errs...)
}

// Run executes the phases in order and fails (exit 1) on any request error,
// a wrong object count, or a poller that missed or repeated an object.
func (c *benchCmd) Run(ctx context.Context, e *env) error {
	if err := c.check(); err != nil {
		return err
	}
	tgt, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := tgt.close(); cerr != nil {
			fmt.Fprintln(e.Stderr, "bench: close:", cerr)
		}
	}()
	fmt.Fprintf(e.Stderr, "bench: target %s (redis: %s), %d objects, %d workers, rate %s, %s per timed phase\n",
		tgt.objectsURL, tgt.redisDesc, c.Objects, c.Workers, rateString(c.Rate), c.Duration)
	r := newBenchRun(c, tgt, e)
	rep := r.run(ctx)
	rep.print(e.Stdout)
	if problems := rep.problems(); len(problems) > 0 {
		return &exitError{code: 1, err: fmt.Errorf("bench: %w", errors.Join(problems...))}
	}
	return nil
}

func rateString(rate int) string {
	if rate == 0 {
		return "unlimited"
	}
	return fmt.Sprintf("%d/s", rate)
}
