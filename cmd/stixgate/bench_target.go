package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/stixgate/stixgate/taxii"
)

// benchTarget is the server under load and the collection the phases use.
type benchTarget struct {
	objectsURL string // …/collections/<id-or-alias>/objects/
	user, pass string
	redisURL   string // Redis behind the server when known, for --baseline
	redisDesc  string
	collection string // collection id, for the baseline's raw keys
	fresh      bool   // the collection was empty before the fill
	close      func() error
}

// open returns the --target server, or starts one in-process with a fresh
// collection and a generated user.
func (c *benchCmd) open(ctx context.Context, e *env) (*benchTarget, error) {
	if c.Target != "" {
		base := strings.TrimRight(c.Target, "/")
		return &benchTarget{
			objectsURL: base + "/" + c.APIRoot + "/collections/" + c.Collection + "/objects/",
			user:       c.User, pass: c.Password,
			redisURL: c.RedisURL, redisDesc: "behind --target", collection: c.Collection,
			close: func() error { return nil },
		}, nil
	}
	return c.startInProcess(ctx, e)
}

// startInProcess runs Main on 127.0.0.1:0 against --redis-url or a
// throwaway redis-server.
func (c *benchCmd) startInProcess(ctx context.Context, e *env) (*benchTarget, error) {
	tgt := &benchTarget{redisURL: c.RedisURL, collection: uuid.NewString(), fresh: true, user: "bench"}
	var stops []func() error
	if tgt.redisURL == "" {
		u, stop, err := startThrowawayRedis(ctx)
		if err != nil {
			fmt.Fprintf(e.Stderr, "bench: %v; falling back to embedded miniredis (numbers will not reflect real Redis)\n", err)
		} else {
			tgt.redisURL, stops = u, append(stops, stop)
		}
	}
	pass, err := randomSecret()
	cfg := benchConfig(tgt.redisURL, tgt.collection)
	if err == nil {
		cfg.TAXII.Users, err = benchUsers(tgt.user, pass)
	}
	if err != nil {
		return nil, errors.Join(err, runStops(stops))
	}
	tgt.pass = pass
	m := &Main{Config: cfg, Env: env{
		Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: e.Stderr, Now: e.Now,
		Getenv: func(string) string { return "" }, // the real environment is for `serve`, not the harness
	}}
	if err := m.Open(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("bench: start server: %w", err), runStops(stops))
	}
	stops = append([]func() error{m.Close}, stops...)
	tgt.objectsURL = m.URL() + "/bench/collections/" + tgt.collection + "/objects/"
	tgt.redisDesc = describeRedis(tgt.redisURL)
	tgt.close = func() error { return runStops(stops) }
	return tgt, nil
}

// benchConfig is one API root with one empty collection and no seed data.
func benchConfig(redisURL, collection string) *fileConfig {
	cfg := &fileConfig{Listen: "127.0.0.1:0", RedisURL: redisURL}
	cfg.Log.Level = "warn"
	cfg.TAXII = taxii.Config{
		Discovery: taxii.Discovery{Title: "stixgate bench"},
		APIRoots: []taxii.APIRoot{{
			Path: "bench", Title: "stixgate bench", Default: true,
			Collections: []taxii.Collection{{ID: collection, Title: "synthetic indicators"}},
		}},
	}
	return cfg
}

// benchUsers is one read/write user whose password is hashed at bcrypt's
// minimum cost: the password is random, lives for one run on loopback, and
// the default cost would dominate short runs and -race tests.
func benchUsers(user, pass string) ([]taxii.User, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(pass), bcrypt.MinCost)
	if err != nil {
		return nil, fmt.Errorf("bench: hash password: %w", err)
	}
	return []taxii.User{{Name: user, PasswordHash: string(hash),
		Collections: map[string]taxii.Permission{"*": {Read: true, Write: true}}}}, nil
}

// startThrowawayRedis runs redis-server without persistence in a temporary
// directory on a spare port.
func startThrowawayRedis(ctx context.Context) (string, func() error, error) {
	bin, err := findRedisServer()
	if err != nil {
		return "", nil, err
	}
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	dir, err := os.MkdirTemp("", "stixgate-bench-redis-")
	if err != nil {
		return "", nil, fmt.Errorf("throwaway redis: %w", err)
	}
	p := &redisProcess{Bin: bin, Port: port, Dir: dir, Args: []string{"--appendonly", "no"}}
	if err := p.Start(ctx); err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	stop := func() error { return errors.Join(p.Kill(), os.RemoveAll(dir)) }
	return p.URL(0), stop, nil
}

func runStops(stops []func() error) error {
	var errs []error
	for _, s := range stops {
		errs = append(errs, s())
	}
	return errors.Join(errs...)
}

// describeRedis names the Redis for the log line without its password.
func describeRedis(raw string) string {
	if raw == "" {
		return "embedded miniredis"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable redis url)"
	}
	return u.Redacted()
}

func randomSecret() (string, error) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("bench: generate password: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
