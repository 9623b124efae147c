package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// benchBody is a typical indicator-sized JSON body (about 512 bytes).
var benchBody = []byte(`{"type":"indicator","spec_version":"2.1","pattern_type":"stix","pattern":"[ipv4-addr:value = '203.0.113.7']","valid_from":"2026-06-08T10:15:00.000Z","description":"` + strings.Repeat("x", 300) + `"}`)

// benchObjects returns n objects numbered from start, alternating two types.
func benchObjects(start, n int) []Object {
	objs := make([]Object, n)
	for i := range objs {
		typ := "indicator"
		if (start+i)%2 == 1 {
			typ = "malware"
		}
		objs[i] = Object{ID: fmt.Sprintf("%s--%012d", typ, start+i), Type: typ, SpecVersion: "2.1", Version: t0, JSON: benchBody}
	}
	return objs
}

// BenchmarkPut measures Put throughput in batches of 1000 new objects.
func BenchmarkPut(b *testing.B) {
	e := mustEnv(b, Options{})
	ctx := context.Background()
	const batch = 1000
	n := 0
	start := time.Now()
	for b.Loop() {
		if _, err := e.s.Put(ctx, "c", benchObjects(n, batch)); err != nil {
			b.Fatal(err)
		}
		n += batch
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "objects/s")
}

// BenchmarkPage reads a 1000-record page from the middle of collections of growing size: with the
// lexical indexes the cost depends on the page, not on the collection.
func BenchmarkPage(b *testing.B) {
	for _, size := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("objects=%d", size), func(b *testing.B) {
			e := mustEnv(b, Options{})
			if e.mr != nil && size > 100_000 {
				b.Skip("1M objects only against real Redis (REDIS_ADDR)")
			}
			fill(b, e, "c", size)
			mid := t0.Add(time.Duration(size/2) * time.Microsecond)
			for _, tc := range []struct {
				name string
				q    Query
			}{
				{"envelope", Query{Limit: 1000, AddedAfter: mid, WithBodies: true}},
				{"manifest", Query{Limit: 1000, AddedAfter: mid}},
				{"type", Query{Limit: 1000, AddedAfter: mid, Types: []string{"malware"}, WithBodies: true}},
				{"all-versions", Query{Limit: 1000, AddedAfter: mid, Versions: VersionFilter{All: true}, WithBodies: true}},
			} {
				b.Run(tc.name, func(b *testing.B) {
					for b.Loop() {
						p, err := e.s.Objects(context.Background(), "c", tc.q)
						if err != nil || len(p.Records) != 1000 || !p.More {
							b.Fatalf("Objects = %d records, more=%v, %v", len(p.Records), p.More, err)
						}
					}
				})
			}
		})
	}
}

// fill writes n objects with a frozen clock, so object i has date_added t0+iµs.
func fill(b *testing.B, e *env, c string, n int) {
	b.Helper()
	const batch = 10_000
	for lo := 0; lo < n; lo += batch {
		if _, err := e.s.Put(context.Background(), c, benchObjects(lo, min(batch, n-lo))); err != nil {
			b.Fatalf("fill: %v", err)
		}
	}
}
