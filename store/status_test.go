package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// TestStatus checks round trip, TTL and expiry (expiry only on miniredis, whose clock FastForward moves).
func TestStatus(t *testing.T) {
	for _, tc := range []struct {
		name string
		ttl  time.Duration
		want time.Duration
	}{
		{"default TTL", 0, DefaultStatusTTL},
		{"configured TTL", 2 * time.Hour, 2 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := mustEnv(t, Options{StatusTTL: tc.ttl})
			ctx := context.Background()
			body := []byte(`{"id":"s1","status":"complete"}`)
			if err := e.s.SaveStatus(ctx, "s1", body); err != nil {
				t.Fatalf("SaveStatus = %v", err)
			}
			got, err := e.s.Status(ctx, "s1")
			if err != nil || string(got) != string(body) {
				t.Errorf("Status = %q, %v; want %q", got, err, body)
			}
			ttl := e.rdb.PTTL(ctx, e.s.keys.status("s1")).Val()
			if ttl > tc.want || ttl < tc.want-time.Minute {
				t.Errorf("status TTL = %s, want %s", ttl, tc.want)
			}
			if tc.want < 24*time.Hour && tc.ttl == 0 {
				t.Errorf("default TTL %s is under the 24h the interop profile asks", tc.want)
			}
			if e.mr == nil {
				return // real Redis: the TTL check above stands for expiry
			}
			e.mr.FastForward(tc.want + time.Second)
			if _, err := e.s.Status(ctx, "s1"); !errors.Is(err, ErrNotFound) {
				t.Errorf("Status after TTL = %v, want ErrNotFound", err)
			}
		})
	}
	e := mustEnv(t, Options{})
	for _, id := range []string{"unknown", "", "a{b"} {
		if _, err := e.s.Status(context.Background(), id); !errors.Is(err, ErrNotFound) {
			t.Errorf("Status(%q) = %v, want ErrNotFound", id, err)
		}
	}
}

// TestUnavailable checks that every method reports ErrUnavailable when Redis is gone.
func TestUnavailable(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1})
	t.Cleanup(func() { _ = rdb.Close() })
	mr.Close()
	s := New(rdb, Options{})
	ctx := context.Background()
	calls := map[string]func() error{
		"Ping":       func() error { return s.Ping(ctx) },
		"Put":        func() error { _, err := s.Put(ctx, "c", []Object{obj("x--1", "x", t0)}); return err },
		"Objects":    func() error { _, err := s.Objects(ctx, "c", Query{Limit: 1}); return err },
		"Versions":   func() error { _, err := s.Versions(ctx, "c", "x--1", Query{Limit: 1}); return err },
		"Delete":     func() error { _, err := s.Delete(ctx, "c", "x--1", VersionFilter{}, nil); return err },
		"SaveStatus": func() error { return s.SaveStatus(ctx, "s", []byte("{}")) },
		"Status":     func() error { _, err := s.Status(ctx, "s"); return err },
		"Stats":      func() error { _, err := s.Stats(ctx, "c"); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, ErrUnavailable) {
			t.Errorf("%s on a closed server = %v, want ErrUnavailable", name, err)
		}
	}
}

type redisErr string

func (e redisErr) Error() string { return string(e) }
func (redisErr) RedisError()     {}

// TestWrap pins the error translation table.
func TestWrap(t *testing.T) {
	tests := []struct {
		err  error
		want error // nil: neither ErrNotFound nor ErrUnavailable
	}{
		{redis.Nil, ErrNotFound},
		{io.EOF, ErrUnavailable},
		{fmt.Errorf("read: %w", io.ErrUnexpectedEOF), ErrUnavailable},
		{&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, ErrUnavailable},
		{syscall.ECONNRESET, ErrUnavailable},
		{redis.ErrPoolTimeout, ErrUnavailable},
		{redis.ErrClosed, ErrUnavailable},
		{redisErr("LOADING Redis is loading the dataset in memory"), ErrUnavailable},
		{redisErr("CLUSTERDOWN The cluster is down"), ErrUnavailable},
		{redisErr("ERR wrong number of arguments"), nil},
		{context.Canceled, nil},
	}
	for _, tc := range tests {
		got := wrap("op", tc.err)
		if !errors.Is(got, tc.err) && !errors.Is(tc.err, redis.Nil) {
			t.Errorf("wrap(%v) = %v, lost the cause", tc.err, got)
		}
		for _, sentinel := range []error{ErrNotFound, ErrUnavailable} {
			if errors.Is(got, sentinel) != (sentinel == tc.want) {
				t.Errorf("wrap(%v) = %v; errors.Is(%v) = %v", tc.err, got, sentinel, sentinel != tc.want)
			}
		}
	}
	if wrap("op", nil) != nil {
		t.Errorf("wrap(nil) != nil")
	}
}
