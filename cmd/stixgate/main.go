// Command stixgate converts ThreatFox feeds to STIX 2.1, serves them over
// TAXII 2.1 from Redis and renders their patterns as Microsoft Sentinel KQL.
//
// It is one binary with subcommands; `stixgate --help` lists them. This
// package is the only one that reads flags, environment variables and the
// wall clock, and the only one that builds the Redis client and HTTP server.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/alecthomas/kong"
)

// env is what every subcommand may use from the outside world; tests
// replace it.
type env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Now    func() time.Time
	Getenv func(string) string
}

// exitError carries a specific exit status out of a subcommand.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Now: time.Now, Getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// run parses args, runs the chosen subcommand and returns the exit status:
// 0 success, 1 the command failed (or some input failed), 2 usage error.
func run(ctx context.Context, args []string, e env) int {
	var cli CLI
	exitCode := -1
	parser, err := kong.New(&cli,
		kong.Name("stixgate"),
		kong.Description("STIX/TAXII exchange gateway: ThreatFox → STIX 2.1 → TAXII 2.1 over Redis → Sentinel KQL."),
		kong.Writers(e.Stdout, e.Stderr),
		kong.Exit(func(code int) { exitCode = code }),
		kong.UsageOnError(),
		kong.BindTo(ctx, (*context.Context)(nil)),
		kong.Bind(&e),
	)
	if err != nil {
		fmt.Fprintln(e.Stderr, "stixgate:", err)
		return 2
	}
	kctx, err := parser.Parse(args)
	if exitCode >= 0 { // --help
		return exitCode
	}
	if err != nil {
		fmt.Fprintln(e.Stderr, "stixgate:", err)
		return 2
	}
	if err := kctx.Run(); err != nil {
		var xe *exitError
		if errors.As(err, &xe) {
			if xe.err != nil {
				fmt.Fprintln(e.Stderr, "stixgate:", xe.err)
			}
			return xe.code
		}
		fmt.Fprintln(e.Stderr, "stixgate:", err)
		return 1
	}
	return 0
}
