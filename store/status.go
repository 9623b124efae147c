package store

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// SaveStatus stores a status resource (opaque JSON) for Options.StatusTTL, replacing any earlier one.
// Errors: ErrInvalid, ErrUnavailable.
func (s *Store) SaveStatus(ctx context.Context, id string, body []byte) error {
	if !validTag(id) {
		return invalidf("status id %q", id)
	}
	return wrap("save status "+id, s.rdb.Set(ctx, s.keys.status(id), body, s.statusTTL).Err())
}

// Status returns a status resource saved by SaveStatus. Errors: ErrNotFound (unknown or expired),
// ErrUnavailable.
func (s *Store) Status(ctx context.Context, id string) ([]byte, error) {
	if !validTag(id) {
		return nil, fmt.Errorf("%w: status %q", ErrNotFound, id)
	}
	b, err := s.rdb.Get(ctx, s.keys.status(id)).Bytes()
	if err != nil {
		return nil, wrap("status "+id, err)
	}
	return b, nil
}

// Stats are a collection's counters, maintained by the write scripts.
type Stats struct {
	Objects       int64     // distinct ids with at least one version
	Versions      int64     // stored object versions
	LastDateAdded time.Time // newest date_added ever assigned (kept after deletes); zero if none
}

// Stats returns the collection's counters in O(1). An unknown collection has zero counts.
// Errors: ErrInvalid, ErrUnavailable.
func (s *Store) Stats(ctx context.Context, collection string) (Stats, error) {
	if !validTag(collection) {
		return Stats{}, invalidf("collection %q", collection)
	}
	vals, err := s.rdb.HMGet(ctx, s.keys.stats(collection), "objects", "versions", "last").Result()
	if err != nil {
		return Stats{}, wrap("stats of "+collection, err)
	}
	var st Stats
	if st.Objects, err = counter(vals[0]); err != nil {
		return Stats{}, fmt.Errorf("store: stats of %s: objects: %w", collection, err)
	}
	if st.Versions, err = counter(vals[1]); err != nil {
		return Stats{}, fmt.Errorf("store: stats of %s: versions: %w", collection, err)
	}
	if last, ok := parseStamp(str(vals[2])); ok {
		st.LastDateAdded = last
	}
	return st, nil
}

// counter parses an HINCRBY field; a missing field is zero.
func counter(v any) (int64, error) {
	if v == nil {
		return 0, nil
	}
	return strconv.ParseInt(str(v), 10, 64)
}

// str returns an HMGET value as a string; missing fields (nil) become "".
func str(v any) string {
	s, _ := v.(string)
	return s
}
