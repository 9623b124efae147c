// Package store keeps TAXII collections in Redis.
//
// Objects are opaque JSON plus the index fields the caller extracts (id, type, version, spec_version); the
// package knows nothing of HTTP or STIX. Every collection lives under one hash tag, so all of its keys share a
// Cluster slot and every write is one atomic Lua script per object. Reads page over lexically ordered
// sorted sets whose members are "<date_added µs>|<id>|<version µs>", which gives the TAXII order
// (date_added, id, version) and a stateless keyset cursor.
package store

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultStatusTTL is how long status resources live when Options.StatusTTL is zero: the TAXII interop
// profile asks for at least 24 hours after completion.
const DefaultStatusTTL = 25 * time.Hour

// DefaultKeyPrefix is the first segment of every key when Options.KeyPrefix is empty.
const DefaultKeyPrefix = "taxii"

// defaultCursorKey signs cursors when Options.CursorKey is empty. It is a constant so that every replica
// accepts every other replica's cursors without configuration; deployments that want unforgeable cursors
// pass their own key.
const defaultCursorKey = "stixgate/store cursor v1"

// Options configures a Store. The zero value is usable.
type Options struct {
	Now       func() time.Time // clock for date_added; defaults to time.Now
	StatusTTL time.Duration    // lifetime of status resources; defaults to DefaultStatusTTL
	KeyPrefix string           // first key segment; defaults to DefaultKeyPrefix
	// CursorKey is the HMAC key that authenticates Page.Next. It must be the same on every replica and
	// across restarts, or outstanding cursors fail with ErrBadCursor. Defaults to a built-in constant.
	CursorKey []byte
}

// Store is a Redis-backed TAXII object store. It is safe for concurrent use.
type Store struct {
	rdb       redis.UniversalClient
	now       func() time.Time
	statusTTL time.Duration
	keys      keyspace
	cursorKey []byte
}

// New wraps a client; rdb may be standalone, Sentinel failover or Cluster.
func New(rdb redis.UniversalClient, opts Options) *Store {
	s := &Store{
		rdb:       rdb,
		now:       opts.Now,
		statusTTL: opts.StatusTTL,
		keys:      keyspace{prefix: opts.KeyPrefix},
		cursorKey: opts.CursorKey,
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.statusTTL <= 0 {
		s.statusTTL = DefaultStatusTTL
	}
	if s.keys.prefix == "" {
		s.keys.prefix = DefaultKeyPrefix
	}
	if len(s.cursorKey) == 0 {
		s.cursorKey = []byte(defaultCursorKey)
	}
	return s
}

// Ping checks that Redis answers. Errors: ErrUnavailable.
func (s *Store) Ping(ctx context.Context) error {
	return wrap("ping", s.rdb.Ping(ctx).Err())
}
