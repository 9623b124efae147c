package main

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// redisConn is a Redis client plus, when no URL was given, the in-process
// miniredis it talks to.
type redisConn struct {
	Client   redis.UniversalClient
	Embedded *miniredis.Miniredis
	Desc     string // for the start-up banner, without credentials
}

// Close closes the client and stops the embedded server, if any.
func (r *redisConn) Close() error {
	err := r.Client.Close()
	if r.Embedded != nil {
		r.Embedded.Close()
	}
	return err
}

// openRedis connects to rawURL, or starts an embedded miniredis when rawURL
// is empty. The URL forms are:
//
//	redis://[user:pass@]host:port[/db]          standalone
//	rediss://…                                   standalone over TLS
//	redis+sentinel://[user:pass@]host:port?master_name=M[&addr=h:p…]
//	redis+cluster://[user:pass@]host:port[?addr=h:p…]
//
// The +sentinel and +cluster forms take go-redis's own query parameters
// (ParseFailoverURL, ParseClusterURL); rediss+sentinel and rediss+cluster
// add TLS.
func openRedis(rawURL string) (*redisConn, error) {
	if rawURL == "" {
		return openEmbedded()
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("redis url: %w", err)
	}
	base, mode, _ := strings.Cut(u.Scheme, "+")
	if base != "redis" && base != "rediss" {
		return nil, fmt.Errorf("redis url: scheme %q: want redis, rediss, redis+sentinel or redis+cluster", u.Scheme)
	}
	plain := *u
	plain.Scheme = base
	desc := redactURL(u)
	switch mode {
	case "":
		o, err := redis.ParseURL(plain.String())
		if err != nil {
			return nil, fmt.Errorf("redis url: %w", err)
		}
		failFast(&o.DialTimeout, &o.MaxRetries, &o.DialerRetries, &o.DialerRetryTimeout)
		return &redisConn{Client: redis.NewClient(o), Desc: desc}, nil
	case "sentinel":
		o, err := redis.ParseFailoverURL(plain.String())
		if err != nil {
			return nil, fmt.Errorf("redis sentinel url: %w", err)
		}
		failFast(&o.DialTimeout, &o.MaxRetries, &o.DialerRetries, &o.DialerRetryTimeout)
		return &redisConn{Client: redis.NewFailoverClient(o), Desc: desc}, nil
	case "cluster":
		o, err := redis.ParseClusterURL(plain.String())
		if err != nil {
			return nil, fmt.Errorf("redis cluster url: %w", err)
		}
		failFast(&o.DialTimeout, &o.MaxRetries, &o.DialerRetries, &o.DialerRetryTimeout)
		return &redisConn{Client: redis.NewClusterClient(o), Desc: desc}, nil
	default:
		return nil, fmt.Errorf("redis url: scheme %q: unknown mode %q", u.Scheme, mode)
	}
}

// failFast shortens go-redis's retries where the URL did not set them. With
// the defaults a request took about 3.5 s to learn that Redis was down; a
// TAXII client should get its 503 (with Retry-After) at once, and pollers
// retry anyway.
func failFast(dialTimeout *time.Duration, maxRetries, dialerRetries *int, dialerRetryTimeout *time.Duration) {
	if *dialTimeout == 0 {
		*dialTimeout = 2 * time.Second
	}
	if *maxRetries == 0 {
		*maxRetries = 1
	}
	if *dialerRetries == 0 {
		*dialerRetries = 1
	}
	if *dialerRetryTimeout == 0 {
		*dialerRetryTimeout = 50 * time.Millisecond
	}
}

func openEmbedded() (*redisConn, error) {
	m := miniredis.NewMiniRedis()
	if err := m.StartAddr("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("embedded redis: %w", err)
	}
	c := redis.NewClient(&redis.Options{Addr: m.Addr()})
	return &redisConn{Client: c, Embedded: m, Desc: "embedded in-process Redis (miniredis, data is not persisted)"}, nil
}

// redactURL prints u without its password, for logs and banners.
func redactURL(u *url.URL) string {
	return u.Redacted()
}
