package store

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// testDB is the database index the tests own on a real Redis (REDIS_ADDR); it is flushed before each test.
const testDB = 9

// t0 is the frozen clock's start: 2026-06-08T10:15:00.123456Z.
var t0 = time.Date(2026, 6, 8, 10, 15, 0, 123456000, time.UTC)

// clock is an injectable Now that only moves when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// env is one test's store over miniredis, or over real Redis when REDIS_ADDR is set.
type env struct {
	t     testing.TB
	rdb   *redis.Client
	mr    *miniredis.Miniredis // nil on real Redis
	clock *clock
	s     *Store
}

// mustEnv starts a backend with an empty database and a store with a frozen clock. Against real Redis
// the tests share one database, so they must not call t.Parallel.
func mustEnv(tb testing.TB, opts Options) *env {
	tb.Helper()
	e := &env{t: tb, clock: &clock{t: t0}}
	if addr := os.Getenv("REDIS_ADDR"); addr != "" {
		e.rdb = redis.NewClient(&redis.Options{Addr: addr, DB: testDB})
		if err := e.rdb.FlushDBAsync(context.Background()).Err(); err != nil { // ASYNC: a benchmark may leave 1M keys
			tb.Fatalf("FLUSHDB on %s: %v", addr, err)
		}
	} else {
		e.mr = miniredis.RunT(tb)
		e.rdb = redis.NewClient(&redis.Options{Addr: e.mr.Addr()})
	}
	tb.Cleanup(func() { _ = e.rdb.Close() })
	if opts.Now == nil {
		opts.Now = e.clock.Now
	}
	e.s = New(e.rdb, opts)
	return e
}

// obj builds a test object whose JSON names its id and version.
func obj(id, typ string, ver time.Time) Object {
	return Object{
		ID: id, Type: typ, SpecVersion: "2.1", Version: ver,
		JSON: fmt.Appendf(nil, `{"id":%q,"modified":%q}`, id, ver.Format(time.RFC3339Nano)),
	}
}

// mustPut stores objs and fails unless every one was added.
func (e *env) mustPut(c string, objs ...Object) []PutResult {
	e.t.Helper()
	res, err := e.s.Put(context.Background(), c, objs)
	if err != nil {
		e.t.Fatalf("Put(%s, %d objects) = %v", c, len(objs), err)
	}
	for i, r := range res {
		if r.Outcome != Added {
			e.t.Fatalf("Put(%s) object %d (%s) = %v, want added", c, i, objs[i].ID, r.Outcome)
		}
	}
	return res
}

// mustObjects reads one page.
func (e *env) mustObjects(c string, q Query) Page {
	e.t.Helper()
	p, err := e.s.Objects(context.Background(), c, q)
	if err != nil {
		e.t.Fatalf("Objects(%s, %+v) = %v", c, q, err)
	}
	return p
}

// allPages follows Next from q until More is false, checking that no page is empty while More is set.
func (e *env) allPages(c string, q Query, read func(context.Context, string, Query) (Page, error)) []Record {
	e.t.Helper()
	var out []Record
	for range 100000 {
		p, err := read(context.Background(), c, q)
		if err != nil {
			e.t.Fatalf("page after %d records (%+v) = %v", len(out), q, err)
		}
		if p.More && (len(p.Records) == 0 || p.Next == "") {
			e.t.Fatalf("page after %d records: More with %d records and next %q", len(out), len(p.Records), p.Next)
		}
		if !p.More && p.Next != "" {
			e.t.Fatalf("page after %d records: next %q without More", len(out), p.Next)
		}
		out = append(out, p.Records...)
		if !p.More {
			return out
		}
		q.Next = p.Next
	}
	e.t.Fatalf("paging did not end")
	return nil
}

// label is "id@<version - t0>" (plus "/<spec>" when not 2.1), a compact way to compare records.
func label(r Record) string {
	s := r.ID + "@" + r.Version.Sub(t0).String()
	if r.SpecVersion != "2.1" {
		s += "/" + r.SpecVersion
	}
	return s
}

func labels(rs []Record) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = label(r)
	}
	return out
}

// zmembers returns a raw ZSET's members in order.
func (e *env) zmembers(key string) []string {
	e.t.Helper()
	ms, err := e.rdb.ZRange(context.Background(), key, 0, -1).Result()
	if err != nil {
		e.t.Fatalf("ZRANGE %s: %v", key, err)
	}
	return ms
}

// hash returns a raw HASH.
func (e *env) hash(key string) map[string]string {
	e.t.Helper()
	h, err := e.rdb.HGetAll(context.Background(), key).Result()
	if err != nil {
		e.t.Fatalf("HGETALL %s: %v", key, err)
	}
	return h
}

// keysLike returns the sorted keys matching a pattern (KEYS is fine on a test database).
func (e *env) keysLike(pattern string) []string {
	e.t.Helper()
	ks, err := e.rdb.Keys(context.Background(), pattern).Result()
	if err != nil {
		e.t.Fatalf("KEYS %s: %v", pattern, err)
	}
	sort.Strings(ks)
	return ks
}

// dump renders every key of the database, sorted, as text: the raw layout the golden file pins.
func (e *env) dump() string {
	e.t.Helper()
	var b strings.Builder
	ctx := context.Background()
	for _, k := range e.keysLike("*") {
		typ := e.rdb.Type(ctx, k).Val()
		fmt.Fprintf(&b, "%s (%s)\n", k, typ)
		switch typ {
		case "zset":
			zs := e.rdb.ZRangeWithScores(ctx, k, 0, -1).Val()
			for _, z := range zs {
				fmt.Fprintf(&b, "  %.0f %s\n", z.Score, z.Member)
			}
		case "hash":
			h := e.hash(k)
			fields := make([]string, 0, len(h))
			for f := range h {
				fields = append(fields, f)
			}
			slices.Sort(fields)
			for _, f := range fields {
				fmt.Fprintf(&b, "  %s = %s\n", f, h[f])
			}
		default:
			fmt.Fprintf(&b, "  %s\n", e.rdb.Get(ctx, k).Val())
		}
	}
	return b.String()
}

// seed writes one version straight into the raw structures, bypassing the script, so a test can build
// states Put never produces (several records sharing one date_added). The caller seeds each id's versions
// in ascending version order.
func (e *env) seed(c, id, typ string, dateAdded, version time.Time) {
	e.t.Helper()
	ctx := context.Background()
	k := e.s.keys
	da, _ := stamp(dateAdded)
	ver, _ := stamp(version)
	m := newMember(da, id, ver)
	prev := e.zmembers(k.versions(c, id))
	pipe := e.rdb.TxPipeline()
	pipe.ZAdd(ctx, k.all(c), redis.Z{Member: m})
	pipe.ZAdd(ctx, k.versions(c, id), redis.Z{Score: float64(version.UnixMicro()), Member: m})
	if len(prev) > 0 {
		pipe.ZRem(ctx, k.latest(c), prev[len(prev)-1])
		pipe.ZRem(ctx, k.typeIndex(c, typ), prev[len(prev)-1])
	} else {
		pipe.ZAdd(ctx, k.first(c), redis.Z{Member: m})
		pipe.HIncrBy(ctx, k.stats(c), "objects", 1)
	}
	pipe.ZAdd(ctx, k.latest(c), redis.Z{Member: m})
	pipe.ZAdd(ctx, k.typeIndex(c, typ), redis.Z{Member: m})
	pipe.HSet(ctx, k.meta(c), id+"|"+ver, "2.1|"+typ)
	pipe.HSet(ctx, k.body(c), id+"|"+ver, `{"id":"`+id+`"}`)
	pipe.HSet(ctx, k.idSpec(c), id, "2.1")
	pipe.HIncrBy(ctx, k.stats(c), "versions", 1)
	if _, err := pipe.Exec(ctx); err != nil {
		e.t.Fatalf("seed %s: %v", m, err)
	}
}

// newMember builds an index member as the scripts do.
func newMember(dateAdded, id, version string) string {
	return dateAdded + "|" + id + "|" + version
}
