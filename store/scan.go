package store

import (
	"context"
	"slices"

	"github.com/redis/go-redis/v9"
)

// plan picks the index keys a scan walks (several are merged) and the checks left for each record.
func (s *Store) plan(c string, q Query) ([]string, filter) {
	vf := q.Versions
	f := filter{types: set(q.Types), specs: set(q.SpecVersions)}
	onlyLast := vf.isZero() || (vf.Last && !vf.First && len(vf.At) == 0)
	switch {
	case vf.All:
		return []string{s.keys.all(c)}, f
	case onlyLast && f.types == nil:
		return []string{s.keys.latest(c)}, f
	case onlyLast:
		// The per-type latest indexes are disjoint: merging them needs no type check.
		keys := make([]string, 0, len(f.types))
		for _, t := range unique(q.Types) {
			keys = append(keys, s.keys.typeIndex(c, t))
		}
		f.types = nil
		return keys, f
	case len(vf.At) == 0 && !vf.Last:
		return []string{s.keys.first(c)}, f
	case len(vf.At) == 0:
		return []string{s.keys.first(c), s.keys.latest(c)}, f
	}
	f.versions = &versionSet{first: vf.First, last: vf.Last, at: set(vf.stamps())}
	return []string{s.keys.all(c)}, f
}

// scanPage reads index members from sc in growing batches until Limit+1 records pass the filter or the
// index ends; the extra record only tells whether there is more.
func (s *Store) scanPage(ctx context.Context, c string, q Query, sc *scanner, f filter) (Page, error) {
	want := q.Limit + 1
	batch := want
	// Without type or version checks nearly every member is kept, so bodies ride along with the metadata.
	bodies := q.WithBodies && f.types == nil && f.versions == nil
	var hits []hit
	for len(hits) < want {
		raws, done, err := sc.next(ctx, batch)
		if err != nil {
			return Page{}, err
		}
		got, err := s.annotate(ctx, c, raws, f, bodies)
		if err != nil {
			return Page{}, err
		}
		hits = append(hits, got...)
		if done {
			break
		}
		batch = max(want, min(batch*2, maxBatch))
	}
	return s.finish(ctx, c, q, hits, bodies)
}

// scanner walks one or more lexically ordered index ZSETs in member order, as one merged, deduplicated
// stream, using ZRANGE BYLEX LIMIT from each key's last position.
type scanner struct {
	rdb  redis.Cmdable
	keys []string
	from []string // ZRANGE BYLEX start per key
	done []bool
}

func newScanner(rdb redis.Cmdable, keys []string, b bound) *scanner {
	sc := &scanner{rdb: rdb, keys: keys, from: make([]string, len(keys)), done: make([]bool, len(keys))}
	for i := range keys {
		sc.from[i] = b.lex()
	}
	return sc
}

// next returns up to n members per key, in order; done is true when every key is exhausted. With several
// keys only members up to the smallest last member of a full read (the horizon) are returned, because a
// key that filled its read may hold members before another key's later ones; the rest is read again.
func (sc *scanner) next(ctx context.Context, n int) (raws []string, done bool, err error) {
	pipe := sc.rdb.Pipeline()
	cmds := make([]*redis.StringSliceCmd, len(sc.keys))
	for i, k := range sc.keys {
		if !sc.done[i] {
			cmds[i] = pipe.ZRangeArgs(ctx, redis.ZRangeArgs{Key: k, Start: sc.from[i], Stop: "+", ByLex: true, Count: int64(n)})
		}
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, false, err
	}
	horizon := ""
	for _, cmd := range cmds {
		if ms := valOf(cmd); len(ms) == n && (horizon == "" || ms[n-1] < horizon) {
			horizon = ms[n-1]
		}
	}
	done = true
	for i, cmd := range cmds {
		if cmd == nil {
			continue
		}
		ms := cmd.Val()
		for _, m := range ms {
			if horizon == "" || m <= horizon {
				raws = append(raws, m)
			}
		}
		if horizon == "" || (len(ms) < n && (len(ms) == 0 || ms[len(ms)-1] <= horizon)) {
			sc.done[i] = true
			continue
		}
		sc.from[i] = "(" + horizon
		done = false
	}
	if len(sc.keys) > 1 {
		slices.Sort(raws)
		raws = slices.Compact(raws)
	}
	return raws, done, nil
}

func valOf(cmd *redis.StringSliceCmd) []string {
	if cmd == nil {
		return nil
	}
	return cmd.Val()
}

// set returns vals as a set; nil when vals is empty (no constraint).
func set(vals []string) map[string]bool {
	if len(vals) == 0 {
		return nil
	}
	m := make(map[string]bool, len(vals))
	for _, v := range vals {
		m[v] = true
	}
	return m
}

// unique returns vals without repeats, in first-seen order.
func unique(vals []string) []string {
	seen := make(map[string]bool, len(vals))
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
