package main

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/stixgate/stixgate/store"
)

// cutEnvelope is large enough that the store writes it in several
// pipelines, so the cut can land between them.
const cutEnvelope = 3000

// TestFaultCutOffPostLeavesNoHalfIndexedObject cuts a large POST off mid-way:
// once its first objects are stored, Redis writes are paused and the client
// disconnects. Afterwards every posted object must be either fully stored
// (objects, manifest, versions and every raw index agree) or absent, and
// re-posting the envelope completes it.
func TestFaultCutOffPostLeavesNoHalfIndexedObject(t *testing.T) {
	rp := mustStartRedisServer(t)
	g := startFaultGateway(t, rp.URL(0))
	admin := redis.NewClient(&redis.Options{Addr: rp.Addr()})
	defer admin.Close()
	gen := newIndicatorGen("cut", time.Now())
	body, ids := gen.envelope(cutEnvelope)
	raw := newRawIndex(g.collection, gen)

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, _, err := g.do(t, ctx, http.MethodPost, g.objects, body)
		done <- err
	}()
	finished := waitForFirstWrite(t, admin, raw.stats, done)
	if err := admin.Do(t.Context(), "CLIENT", "PAUSE", "5000", "WRITE").Err(); err != nil {
		t.Fatalf("CLIENT PAUSE: %v", err)
	}
	cancel()
	if !finished {
		<-done
	}
	time.Sleep(200 * time.Millisecond) // let the handler see the disconnect while writes are paused
	if err := admin.Do(t.Context(), "CLIENT", "UNPAUSE").Err(); err != nil {
		t.Fatalf("CLIENT UNPAUSE: %v", err)
	}
	waitForQuiet(t, admin, raw.stats)

	present := checkAllOrNothing(t, g, admin, raw, ids)
	t.Logf("the cut left %d of %d objects stored (finished before the cut: %v)", len(present), len(ids), finished)

	g.mustPost(t, body, cutEnvelope)
	if got := g.mustWalk(t, "objects/"); len(got) != cutEnvelope {
		t.Errorf("after re-posting, the collection lists %d objects, want %d", len(got), cutEnvelope)
	}
}

// waitForFirstWrite returns once the collection's version counter moves
// (false) or the POST already finished (true).
func waitForFirstWrite(t *testing.T, admin *redis.Client, stats string, done <-chan error) bool {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-done:
			return true
		default:
		}
		if n, _ := admin.HGet(t.Context(), stats, "versions").Int(); n > 0 {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("the POST wrote nothing within 30s")
	return false
}

// waitForQuiet waits until the version counter holds still for 500ms: the
// cut-off handler may still run its paused pipeline after UNPAUSE.
func waitForQuiet(t *testing.T, admin *redis.Client, stats string) {
	t.Helper()
	prev := -1
	for range 100 {
		n, _ := admin.HGet(t.Context(), stats, "versions").Int()
		if n == prev {
			return
		}
		prev = n
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatal("writes did not settle")
}

// rawIndex names the store's keys for one collection (layout in
// store/keys.go), so the test can see a half-written object that the API
// would hide.
type rawIndex struct {
	stats, all, latest, first, typ, meta, body, idspec string
	versions                                           func(id string) string
	version                                            string // 16-digit µs of every generated object's modified
}

func newRawIndex(collection string, gen *indicatorGen) rawIndex {
	k := store.NewRawKeys("", collection)
	mod, _ := time.Parse("2006-01-02T15:04:05.000Z", gen.stamp)
	return rawIndex{stats: k.Stats, all: k.All, latest: k.Latest, first: k.First,
		typ: k.Type("indicator"), meta: k.Meta, body: k.Body, idspec: k.IDSpec,
		versions: k.Versions, version: fmt.Sprintf("%016d", mod.UnixMicro())}
}

// rawState reports, for one id, whether each structure holds it.
func (r rawIndex) rawState(t *testing.T, admin *redis.Client, id string) map[string]bool {
	t.Helper()
	ctx := t.Context()
	field := id + "|" + r.version
	mems := admin.ZRange(ctx, r.versions(id), 0, -1).Val()
	st := map[string]bool{
		"ver":    len(mems) == 1,
		"body":   admin.HExists(ctx, r.body, field).Val(),
		"meta":   admin.HExists(ctx, r.meta, field).Val(),
		"idspec": admin.HExists(ctx, r.idspec, id).Val(),
	}
	member := ""
	if len(mems) > 0 {
		member = mems[0]
	}
	for name, key := range map[string]string{"all": r.all, "latest": r.latest, "first": r.first, "type": r.typ} {
		st[name] = member != "" && admin.ZScore(ctx, key, member).Err() == nil
	}
	return st
}

// checkAllOrNothing asserts that objects and manifest list the same ids,
// that every raw index agrees with them, that the counters match, and that
// per-object GETs agree for a sample; it returns the stored ids.
func checkAllOrNothing(t *testing.T, g *faultGateway, admin *redis.Client, raw rawIndex, ids []string) map[string]int {
	t.Helper()
	objs, man := g.mustWalk(t, "objects/"), g.mustWalk(t, "manifest/")
	if len(objs) != len(man) {
		t.Errorf("objects lists %d ids, manifest %d", len(objs), len(man))
	}
	for i, id := range ids {
		want := objs[id] == 1
		if man[id] != objs[id] {
			t.Errorf("%s: listed %d times by objects, %d by manifest", id, objs[id], man[id])
		}
		for name, has := range raw.rawState(t, admin, id) {
			if has != want {
				t.Errorf("%s: raw %s index holds it = %v, but objects lists it = %v", id, name, has, want)
			}
		}
		if i%100 == 0 {
			checkObjectEndpoints(t, g, id, want)
		}
	}
	for _, field := range []string{"objects", "versions"} {
		if n, _ := admin.HGet(t.Context(), raw.stats, field).Int(); n != len(objs) {
			t.Errorf("stats %s = %d, want %d", field, n, len(objs))
		}
	}
	return objs
}

// checkObjectEndpoints asserts the object and versions endpoints agree with
// the listing: 200 when stored, 404 when absent.
func checkObjectEndpoints(t *testing.T, g *faultGateway, id string, stored bool) {
	t.Helper()
	want := http.StatusNotFound
	if stored {
		want = http.StatusOK
	}
	for _, u := range []string{g.objects + id + "/", g.objects + id + "/versions/"} {
		if got := g.statusOf(t, u); got != want {
			t.Errorf("GET %s = %d, want %d", u, got, want)
		}
	}
}
