package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisProcess is a redis-server child bound to loopback. The load harness
// uses one as its throwaway Redis and the fault tests kill and restart one;
// both need a real server because miniredis has no persistence and its
// sorted sets do not scale like Redis's.
type redisProcess struct {
	Bin  string   // path of redis-server
	Port int      // fixed, so a restart comes back on the same address
	Dir  string   // working directory: AOF, RDB and the log live here
	Args []string // extra configuration, e.g. "--appendonly", "yes"

	cmd  *exec.Cmd
	done chan error
}

// findRedisServer returns the redis-server binary on PATH, or an error that
// callers turn into a skip or a fallback.
func findRedisServer() (string, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return "", fmt.Errorf("redis-server: %w", err)
	}
	return bin, nil
}

// freePort asks the kernel for an unused loopback port. Another process may
// take it before redis-server binds it; Start reports that as an error.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Addr is host:port of the server.
func (p *redisProcess) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(p.Port)) }

// URL is the redis:// URL of database db.
func (p *redisProcess) URL(db int) string { return fmt.Sprintf("redis://%s/%d", p.Addr(), db) }

// Start launches the server and waits until it answers PING (which it does
// only after loading its AOF or RDB).
func (p *redisProcess) Start(ctx context.Context) error {
	args := append([]string{
		"--port", strconv.Itoa(p.Port), "--bind", "127.0.0.1", "--dir", p.Dir,
		"--daemonize", "no", "--save", "", "--logfile", filepath.Join(p.Dir, "redis.log"),
	}, p.Args...)
	cmd := exec.Command(p.Bin, args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start redis-server: %w", err)
	}
	p.cmd, p.done = cmd, make(chan error, 1)
	go func() { p.done <- cmd.Wait() }()
	if err := p.waitReady(ctx, 10*time.Second); err != nil {
		_ = p.Kill()
		return err
	}
	return nil
}

// waitReady polls PING until it succeeds, the process exits or timeout.
func (p *redisProcess) waitReady(ctx context.Context, timeout time.Duration) error {
	c := redis.NewClient(&redis.Options{Addr: p.Addr(), MaxRetries: -1, DialTimeout: time.Second})
	defer c.Close()
	deadline := time.Now().Add(timeout)
	for {
		err := c.Ping(ctx).Err()
		if err == nil {
			return nil
		}
		select {
		case werr := <-p.done:
			p.done <- werr // keep it for Kill
			return fmt.Errorf("redis-server on %s exited: %v (log in %s)", p.Addr(), werr, p.Dir)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("redis-server on %s not ready after %s: %w", p.Addr(), timeout, err)
		}
	}
}

// Kill sends SIGKILL, the crash a durability test wants: nothing gets a
// chance to flush, so only what appendfsync already wrote survives.
func (p *redisProcess) Kill() error {
	if p.cmd == nil || p.cmd.Process == nil {
		return nil
	}
	err := p.cmd.Process.Signal(syscall.SIGKILL)
	if errors.Is(err, os.ErrProcessDone) {
		err = nil
	}
	<-p.done
	p.cmd = nil
	return err
}
