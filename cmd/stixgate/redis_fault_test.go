package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
)

// Helpers of fault_test.go: a real redis-server the tests may crash, and a
// gateway (Main on 127.0.0.1:0) in front of it.

// mustStartRedisServer starts redis-server with an fsync-always AOF in a
// temporary directory on a spare port. It skips the test when the binary is
// absent, so `go test ./...` still passes on a machine without Redis.
func mustStartRedisServer(t *testing.T) *redisProcess {
	t.Helper()
	if testing.Short() {
		t.Skip("fault tests start redis-server; skipped in -short mode")
	}
	bin, err := findRedisServer()
	if err != nil {
		t.Skipf("fault tests need a real Redis: %v", err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	p := &redisProcess{Bin: bin, Port: port, Dir: t.TempDir(),
		Args: []string{"--appendonly", "yes", "--appendfsync", "always"}}
	if err := p.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Kill() })
	return p
}

// mustRestart starts p again on the same port and directory, so it replays
// its AOF.
func (p *redisProcess) mustRestart(t *testing.T) {
	t.Helper()
	if err := p.Start(t.Context()); err != nil {
		t.Fatalf("restart redis-server: %v", err)
	}
}

// shutdownNoSave stops the server the way an operator's SHUTDOWN NOSAVE
// does: no final RDB, so whatever survives came from the AOF.
func (p *redisProcess) shutdownNoSave(t *testing.T) {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: p.Addr()})
	defer c.Close()
	_ = c.ShutdownNoSave(t.Context()).Err() // the connection drops: an error is the success case
	select {
	case err := <-p.done:
		p.done <- err
	case <-time.After(10 * time.Second):
		t.Fatal("redis-server did not exit after SHUTDOWN NOSAVE")
	}
	if err := p.Kill(); err != nil {
		t.Fatal(err)
	}
}

// faultGateway is a running gateway with one empty collection and one
// read/write user.
type faultGateway struct {
	m          *Main
	collection string
	objects    string // …/collections/<id>/objects/
	user, pass string
	client     *http.Client
}

func startFaultGateway(t *testing.T, redisURL string) *faultGateway {
	t.Helper()
	g := &faultGateway{collection: uuid.NewString(), user: "fault", pass: "fault-test-password",
		client: &http.Client{Timeout: 30 * time.Second}}
	cfg := benchConfig(redisURL, g.collection)
	users, err := benchUsers(g.user, g.pass)
	if err != nil {
		t.Fatal(err)
	}
	cfg.TAXII.Users = users
	g.m = &Main{Config: cfg, Env: env{
		Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Now: time.Now,
		Getenv: func(string) string { return "" },
	}}
	if err := g.m.Open(t.Context()); err != nil {
		t.Fatalf("open gateway: %v", err)
	}
	t.Cleanup(func() { _ = g.m.Close() })
	g.objects = g.m.URL() + "/bench/collections/" + g.collection + "/objects/"
	return g
}

// do sends one authenticated TAXII request; a transport error fails the test.
func (g *faultGateway) do(t *testing.T, ctx context.Context, method, u string, body []byte) (*http.Response, []byte, error) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(g.user, g.pass)
	req.Header.Set("Accept", benchMediaType)
	if body != nil {
		req.Header.Set("Content-Type", benchMediaType)
	}
	resp, err := g.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

// mustDo is do for requests that must reach the server.
func (g *faultGateway) mustDo(t *testing.T, method, u string, body []byte) (*http.Response, []byte) {
	t.Helper()
	resp, b, err := g.do(t, t.Context(), method, u, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	return resp, b
}

// mustPost POSTs an envelope and returns the ids the status reports stored.
func (g *faultGateway) mustPost(t *testing.T, body []byte, want int) []string {
	t.Helper()
	resp, b := g.mustDo(t, http.MethodPost, g.objects, body)
	st, msg := checkPost(resp.StatusCode, b, want)
	if msg != "" {
		t.Fatalf("POST %s: %s", g.objects, msg)
	}
	ids := make([]string, len(st.Successes))
	for i, s := range st.Successes {
		ids[i] = s.ID
	}
	return ids
}

// mustWalk pages through objects or manifest (path "objects/" or
// "manifest/" relative to the collection) and returns the ids it lists.
func (g *faultGateway) mustWalk(t *testing.T, resource string) map[string]int {
	t.Helper()
	base := strings.TrimSuffix(g.objects, "objects/") + resource + "?limit=500"
	seen := map[string]int{}
	for u := base; ; {
		resp, b := g.mustDo(t, http.MethodGet, u, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d %s", u, resp.StatusCode, b)
		}
		var env pageEnvelope
		if err := json.Unmarshal(b, &env); err != nil {
			t.Fatalf("GET %s: decode: %v", u, err)
		}
		for _, o := range env.Objects {
			seen[o.ID]++
		}
		if !env.More {
			return seen
		}
		u = base + "&next=" + url.QueryEscape(env.Next)
	}
}

// eventually retries cond every 50ms until it returns "" or the deadline
// passes, then fails with cond's last complaint.
func eventually(t *testing.T, within time.Duration, cond func() string) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		msg := cond()
		if msg == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", within, msg)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// statusOf GETs u and returns its status code, 0 when the request failed.
func (g *faultGateway) statusOf(t *testing.T, u string) int {
	t.Helper()
	resp, _, err := g.do(t, t.Context(), http.MethodGet, u, nil)
	if err != nil {
		return 0
	}
	return resp.StatusCode
}
