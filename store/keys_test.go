package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// hashTag returns the part of key Redis Cluster hashes: the text inside the first {...}, if any.
func hashTag(key string) string {
	open := strings.IndexByte(key, '{')
	if open < 0 {
		return key
	}
	end := strings.IndexByte(key[open+1:], '}')
	if end <= 0 {
		return key
	}
	return key[open+1 : open+1+end]
}

// TestKeysShareSlot checks that every key of a collection carries the collection's hash tag (so one
// script may touch them all on a Cluster) and that status keys carry their own.
func TestKeysShareSlot(t *testing.T) {
	k := keyspace{prefix: "taxii"}
	c := "8e5cbd2c-5d1b-4bd8-9d4e-1f0a4c1f2b3d"
	keys := append(k.objectKeys(c, "indicator--{odd}|id", "a}b"), k.all(c), k.latest(c), k.first(c))
	for _, key := range keys {
		if got := hashTag(key); got != c {
			t.Errorf("hashTag(%q) = %q, want %q", key, got, c)
		}
	}
	if got := hashTag(k.status("s-1")); got != "s-1" {
		t.Errorf("hashTag(status key) = %q, want %q", got, "s-1")
	}
}

// TestPutConcurrent runs writers in parallel: date_added must stay unique and increasing in paging order
// and the indexes consistent.
func TestPutConcurrent(t *testing.T) {
	e := mustEnv(t, Options{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 25 {
				o := obj(fmt.Sprintf("indicator--%d-%02d", w, i%10), "indicator", t0.Add(time.Duration(i)*time.Second))
				if _, err := e.s.Put(context.Background(), "c", []Object{o}); err != nil {
					t.Errorf("Put = %v", err)
				}
			}
		})
	}
	wg.Wait()
	got := e.allPages("c", Query{Limit: 7, Versions: VersionFilter{All: true}}, e.s.Objects)
	if len(got) != 100 {
		t.Errorf("stored %d versions, want 100", len(got))
	}
	checkRecords(t, got, false)
	e.checkConsistency("c")
}

// TestScriptCacheFlushed checks that pipelined EVALSHA recovers when Redis lost its script cache (a
// restart or failover), without running any object twice.
func TestScriptCacheFlushed(t *testing.T) {
	e := mustEnv(t, Options{})
	ctx := context.Background()
	e.mustPut("c", obj("indicator--1", "indicator", t0))
	if err := e.rdb.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	res := e.mustPut("c", obj("indicator--2", "indicator", t0), obj("indicator--3", "indicator", t0))
	if !res[1].DateAdded.Equal(t0.Add(2 * time.Microsecond)) {
		t.Errorf("second object DateAdded = %s, want %s", res[1].DateAdded, t0.Add(2*time.Microsecond))
	}
	e.checkConsistency("c")
}

func TestRawKeysMatchTheKeyspace(t *testing.T) {
	k := keyspace{prefix: DefaultKeyPrefix}
	r := NewRawKeys("", "c1")
	for _, tc := range []struct{ got, want string }{
		{r.Stats, k.stats("c1")}, {r.All, k.all("c1")}, {r.Latest, k.latest("c1")}, {r.First, k.first("c1")},
		{r.Meta, k.meta("c1")}, {r.Body, k.body("c1")}, {r.IDSpec, k.idSpec("c1")},
		{r.Type("indicator"), k.typeIndex("c1", "indicator")}, {r.Versions("indicator--1"), k.versions("c1", "indicator--1")},
		{NewRawKeys("other", "c1").Latest, "other:{c1}:latest"},
	} {
		if tc.got != tc.want {
			t.Errorf("RawKeys key = %q, want %q", tc.got, tc.want)
		}
	}
}
