package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// checkConsistency verifies, from the raw keys alone, that the indexes, bodies and counters of collection
// c describe the same set of versions. It is the invariant every script must keep whatever interrupts a
// caller.
func (e *env) checkConsistency(c string) {
	e.t.Helper()
	k := e.s.keys
	all := e.zmembers(k.all(c))
	meta, body := e.hash(k.meta(c)), e.hash(k.body(c))
	if len(meta) != len(all) || len(body) != len(all) {
		e.t.Errorf("%d index members, %d meta fields, %d bodies", len(all), len(meta), len(body))
	}
	var latest, first []string
	types := map[string][]string{}
	idSpec := e.hash(k.idSpec(c))
	verKeys := e.keysLike(k.versions(c, "*"))
	seen := 0
	for _, vk := range verKeys {
		ms := e.zmembers(vk)
		seen += len(ms)
		l, _ := parseMember(ms[len(ms)-1])
		latest = append(latest, l.raw)
		first = append(first, ms[0])
		_, typ := splitMeta(meta[l.field()])
		types[typ] = append(types[typ], l.raw)
		newest := ""
		for _, raw := range ms {
			m, ok := parseMember(raw)
			if !ok || !slices.Contains(all, raw) || body[m.field()] == "" || meta[m.field()] == "" {
				e.t.Errorf("version %q of %s is not fully stored (index, meta, body)", raw, vk)
				continue
			}
			spec, _ := splitMeta(meta[m.field()])
			newest = max(newest, spec)
		}
		if got := idSpec[l.id]; got != newest {
			e.t.Errorf("idspec[%s] = %q, want %q", l.id, got, newest)
		}
	}
	if seen != len(all) {
		e.t.Errorf("version sets hold %d members, all-index %d", seen, len(all))
	}
	e.sameSet("latest index", e.zmembers(k.latest(c)), latest)
	e.sameSet("first index", e.zmembers(k.first(c)), first)
	for typ, want := range types {
		e.sameSet("type index "+typ, e.zmembers(k.typeIndex(c, typ)), want)
	}
	e.checkCounters(c, len(verKeys), len(all))
}

func (e *env) checkCounters(c string, objects, versions int) {
	e.t.Helper()
	st, err := e.s.Stats(context.Background(), c)
	if err != nil {
		e.t.Fatalf("Stats(%s) = %v", c, err)
	}
	if st.Objects != int64(objects) || st.Versions != int64(versions) {
		e.t.Errorf("Stats(%s) = %d objects, %d versions; raw keys hold %d, %d", c, st.Objects, st.Versions, objects, versions)
	}
}

func (e *env) sameSet(what string, got, want []string) {
	e.t.Helper()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		e.t.Errorf("%s = %q, want %q", what, got, want)
	}
}

// failAfter is a go-redis hook that lets `ok` pipelines through and then breaks the next one: with
// sent=true the server runs it but the caller gets an error (a timeout after the write), otherwise it is
// never sent. cancel, if set, is called at that moment, as a client giving up would.
type failAfter struct {
	ok     int
	sent   bool
	cancel context.CancelFunc
	n      int
}

var errInjected = errors.New("injected connection failure")

func (h *failAfter) DialHook(next redis.DialHook) redis.DialHook          { return next }
func (h *failAfter) ProcessHook(next redis.ProcessHook) redis.ProcessHook { return next }
func (h *failAfter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.n++
		if h.n <= h.ok {
			return next(ctx, cmds)
		}
		if h.sent {
			_ = next(ctx, cmds)
		}
		if h.cancel != nil {
			h.cancel()
		}
		for _, cmd := range cmds {
			cmd.SetErr(errInjected)
		}
		return errInjected
	}
}

// TestPutInterrupted breaks a large Put after some pipelines, before or after the server ran the broken
// one, and checks that every object is either fully stored and indexed or absent, and that a retry of
// the whole batch completes the collection without doubling anything.
func TestPutInterrupted(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ok     int
		sent   bool
		cancel bool
	}{
		{"lost before sending", 1, false, false},
		{"timeout after the server ran it", 1, true, false},
		{"context cancelled mid-batch", 2, true, true},
		{"first pipeline lost", 0, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := mustEnv(t, Options{})
			objs := mixedBatch(3 * putChunkSize)
			e.mustPut("c", objs[:10]...) // some objects exist before the interrupted batch
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			hook := &failAfter{ok: tc.ok, sent: tc.sent}
			if tc.cancel {
				hook.cancel = cancel
			}
			e.rdb.AddHook(hook)
			res, err := e.s.Put(ctx, "c", objs)
			if err == nil {
				t.Fatalf("Put with a broken pipeline = nil error")
			}
			if !errors.Is(err, ErrUnavailable) && !errors.Is(err, context.Canceled) && !errors.Is(err, errInjected) {
				t.Errorf("Put error %v does not wrap the failure", err)
			}
			hook.ok = 1 << 30 // heal the connection for the checks
			e.checkConsistency("c")
			through := tc.ok * putChunkSize // pipelines the server ran
			if tc.sent {
				through += putChunkSize
			}
			e.checkAllOrNothing("c", objs, res, func(i int) bool { return i < 10 || i < through })
			e.checkRetry("c", objs)
		})
	}
}

// mixedBatch is n objects: new ids, second versions of earlier ids and unversioned SCOs.
func mixedBatch(n int) []Object {
	objs := make([]Object, n)
	for i := range objs {
		switch {
		case i%5 == 4:
			objs[i] = obj(fmt.Sprintf("ipv4-addr--%04d", i), "ipv4-addr", time.Time{})
		case i%3 == 2:
			objs[i] = obj(fmt.Sprintf("indicator--%04d", i-2), "indicator", t0.Add(time.Hour))
		default:
			objs[i] = obj(fmt.Sprintf("indicator--%04d", i), "indicator", t0)
		}
	}
	return objs
}

// checkAllOrNothing asserts that exactly the objects for which want is true are stored, each with its own
// bytes and no other object is half there (checkConsistency covers the indexes), and that Put reported
// outcomes only for objects it knows about.
func (e *env) checkAllOrNothing(c string, objs []Object, res []PutResult, want func(i int) bool) {
	e.t.Helper()
	stored := map[string]string{}
	for _, r := range e.allPages(c, Query{Limit: 100, Versions: VersionFilter{All: true}, WithBodies: true}, e.s.Objects) {
		stored[r.ID+"|"+r.Version.String()] = string(r.JSON)
	}
	for i, o := range objs {
		if o.Version.IsZero() {
			continue // an SCO's version is its date_added, unknown to the caller
		}
		body, ok := stored[o.ID+"|"+o.Version.UTC().String()]
		if ok != want(i) || ok && body != string(o.JSON) {
			e.t.Errorf("object %d %s: stored %v (same bytes %v), want stored %v", i, o.ID, ok, body == string(o.JSON), want(i))
		}
		if res[i].Outcome != 0 && !ok {
			e.t.Errorf("object %d %s reported %v but absent", i, o.ID, res[i].Outcome)
		}
	}
}

// checkRetry re-sends the batch on a healthy connection: nothing may be added twice.
func (e *env) checkRetry(c string, objs []Object) {
	e.t.Helper()
	res, err := e.s.Put(context.Background(), c, objs)
	if err != nil {
		e.t.Fatalf("retry Put = %v", err)
	}
	for i, r := range res {
		if r.Outcome != Added && r.Outcome != Duplicate {
			e.t.Errorf("retry object %d %s = %v, want added or duplicate", i, objs[i].ID, r.Outcome)
		}
	}
	e.checkConsistency(c)
}
