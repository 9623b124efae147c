package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/redis/go-redis/v9"
)

// filter holds the checks a record must pass beyond being in the index a page walks.
type filter struct {
	types    map[string]bool // nil: any type
	specs    map[string]bool // nil: only the id's newest spec version
	versions *versionSet     // nil: the index (or id lookup) already selected the versions
}

// versionSet is a match[version] that no single index answers: first OR last OR one of at.
type versionSet struct {
	first, last bool
	at          map[string]bool // 16-digit version stamps
}

func (f filter) admits(typ, spec, newest, version string, isFirst, isLast bool) bool {
	if f.types != nil && !f.types[typ] {
		return false
	}
	if (f.specs != nil && !f.specs[spec]) || (f.specs == nil && spec != newest) {
		return false
	}
	if v := f.versions; v != nil {
		return v.at[version] || (v.first && isFirst) || (v.last && isLast)
	}
	return true
}

// hit is a record that passed the filter, with the index member it came from.
type hit struct {
	m   member
	rec Record
}

// annotate fetches the metadata of index members in one round trip and returns, in order, the records that
// pass f. With bodies it fetches the JSON in the same round trip, which pays when few records are
// filtered out. Members whose metadata or body is gone were deleted after the index read and are skipped.
func (s *Store) annotate(ctx context.Context, c string, raws []string, f filter, bodies bool) ([]hit, error) {
	if len(raws) == 0 {
		return nil, nil
	}
	ms := make([]member, len(raws))
	for i, raw := range raws {
		m, ok := parseMember(raw)
		if !ok {
			return nil, fmt.Errorf("corrupt index member %q", raw)
		}
		ms[i] = m
	}
	a, err := s.fetchAnnotations(ctx, c, ms, f, bodies)
	if err != nil {
		return nil, err
	}
	out := make([]hit, 0, len(ms))
	for i, m := range ms {
		mv, ok := a.meta[i].(string)
		if !ok {
			continue
		}
		spec, typ := splitMeta(mv)
		if !f.admits(typ, spec, str(nth(a.newest, i)), m.version, nth(a.firsts, i) != nil, nth(a.lasts, i) != nil) {
			continue
		}
		h := hit{m: m, rec: m.record(spec, typ)}
		if bodies {
			doc, ok := nth(a.docs, i).(string)
			if !ok {
				continue
			}
			h.rec.JSON = []byte(doc)
		}
		out = append(out, h)
	}
	return out, nil
}

// annotations are HMGET/ZMSCORE replies aligned with the members; nil slices were not asked for.
type annotations struct {
	meta, newest, firsts, lasts, docs []any
}

// fetchAnnotations pipelines what f and bodies need to know about ms.
func (s *Store) fetchAnnotations(ctx context.Context, c string, ms []member, f filter, bodies bool) (annotations, error) {
	raws := make([]string, len(ms))
	fields := make([]string, len(ms))
	ids := make([]string, len(ms))
	for i, m := range ms {
		raws[i], fields[i], ids[i] = m.raw, m.field(), m.id
	}
	pipe := s.rdb.Pipeline()
	meta := pipe.HMGet(ctx, s.keys.meta(c), fields...)
	var newest, docs *redis.SliceCmd
	var inFirst, inLast *redis.Cmd
	if f.specs == nil {
		newest = pipe.HMGet(ctx, s.keys.idSpec(c), ids...)
	}
	if v := f.versions; v != nil && v.first {
		inFirst = pipe.Do(ctx, zmscore(s.keys.first(c), raws)...)
	}
	if v := f.versions; v != nil && v.last {
		inLast = pipe.Do(ctx, zmscore(s.keys.latest(c), raws)...)
	}
	if bodies {
		docs = pipe.HMGet(ctx, s.keys.body(c), fields...)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return annotations{}, err
	}
	return annotations{
		meta: meta.Val(), newest: sliceVal(newest), docs: sliceVal(docs),
		firsts: cmdSlice(inFirst), lasts: cmdSlice(inLast),
	}, nil
}

// zmscore builds ZMSCORE key members...: nil entries mark non-members (index scores are all 0, so the
// typed go-redis helper could not tell them apart).
func zmscore(key string, members []string) []any {
	args := make([]any, 0, 2+len(members))
	args = append(args, "zmscore", key)
	for _, m := range members {
		args = append(args, m)
	}
	return args
}

func cmdSlice(cmd *redis.Cmd) []any {
	if cmd == nil {
		return nil
	}
	v, _ := cmd.Slice() // Exec already returned any error
	return v
}

func sliceVal(cmd *redis.SliceCmd) []any {
	if cmd == nil {
		return nil
	}
	return cmd.Val()
}

func nth(vals []any, i int) any {
	if i < len(vals) {
		return vals[i]
	}
	return nil
}

// record builds the Record of an index member; parseMember already validated both stamps.
func (m member) record(spec, typ string) Record {
	da, _ := parseStamp(m.dateAdded)
	ver, _ := parseStamp(m.version)
	return Record{ID: m.id, Type: typ, SpecVersion: spec, Version: ver, DateAdded: da}
}

// finish cuts hits to q.Limit, fetches the bodies if asked and not yet done, and sets More and Next.
// errRaced means a body vanished (a concurrent Delete) and the page must be read again.
func (s *Store) finish(ctx context.Context, c string, q Query, hits []hit, haveBodies bool) (Page, error) {
	if len(hits) == 0 {
		return Page{}, nil
	}
	more := len(hits) > q.Limit
	hits = hits[:min(len(hits), q.Limit)]
	if q.WithBodies && !haveBodies {
		if err := s.fillBodies(ctx, c, hits); err != nil {
			return Page{}, err
		}
	}
	p := Page{Records: make([]Record, len(hits)), More: more}
	for i, h := range hits {
		p.Records[i] = h.rec
	}
	if more {
		p.Next = s.encodeCursor(c, hits[len(hits)-1].m.raw)
	}
	return p, nil
}

func (s *Store) fillBodies(ctx context.Context, c string, hits []hit) error {
	fields := make([]string, len(hits))
	for i, h := range hits {
		fields[i] = h.m.field()
	}
	vals, err := s.rdb.HMGet(ctx, s.keys.body(c), fields...).Result()
	if err != nil {
		return err
	}
	for i, v := range vals {
		b, ok := v.(string)
		if !ok {
			return errRaced
		}
		hits[i].rec.JSON = []byte(b)
	}
	return nil
}

// idPage answers match[id] and /versions/ from the per-id version sets instead of scanning: it selects
// each id's versions by vf, keeps those after b, sorts them by member and filters in batches. found
// reports whether any of the ids has a version at all.
func (s *Store) idPage(ctx context.Context, c string, q Query, ids []string, vf VersionFilter, b bound) (Page, bool, error) {
	pipe := s.rdb.Pipeline()
	ids = unique(ids)
	cmds := make([]*redis.StringSliceCmd, len(ids))
	for i, id := range ids {
		cmds[i] = pipe.ZRange(ctx, s.keys.versions(c, id), 0, -1)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return Page{}, false, err
	}
	var raws []string
	found := false
	for _, cmd := range cmds {
		found = found || len(cmd.Val()) > 0
		for _, raw := range pickVersions(cmd.Val(), vf) {
			if b.admits(raw) {
				raws = append(raws, raw)
			}
		}
	}
	slices.Sort(raws)
	f := filter{types: set(q.Types), specs: set(q.SpecVersions)}
	var hits []hit
	for lo := 0; lo < len(raws) && len(hits) <= q.Limit; lo += q.Limit + 1 {
		got, err := s.annotate(ctx, c, raws[lo:min(len(raws), lo+q.Limit+1)], f, false)
		if err != nil {
			return Page{}, found, err
		}
		hits = append(hits, got...)
	}
	p, err := s.finish(ctx, c, q, hits, false)
	return p, found, err
}

// pickVersions selects from one id's members, ordered by version, those vf asks for (zero: the last).
func pickVersions(list []string, vf VersionFilter) []string {
	if vf.All || len(list) == 0 {
		return list
	}
	at := set(vf.stamps())
	last := vf.Last || vf.isZero()
	var out []string
	for i, raw := range list {
		if vf.First && i == 0 || last && i == len(list)-1 || at[raw[len(raw)-stampLen:]] {
			out = append(out, raw)
		}
	}
	return out
}
