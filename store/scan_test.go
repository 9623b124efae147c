package store

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/redis/go-redis/v9"
)

// TestScannerMerge walks several interleaved, overlapping ZSETs with every batch size and start bound:
// the stream must be their sorted, deduplicated union after the bound.
func TestScannerMerge(t *testing.T) {
	e := mustEnv(t, Options{})
	ctx := context.Background()
	sets := map[string][]int{
		"k1": {1, 2, 3, 10, 11, 12, 13, 14},
		"k2": {4, 5, 6, 7, 8, 9, 30},
		"k3": {2, 3, 8, 20, 21},
		"k4": {},
	}
	union := map[string]bool{}
	var keys []string
	for k, vals := range sets {
		keys = append(keys, k)
		for _, v := range vals {
			m := newMember(padMicros(int64(v)), "x--1", padMicros(0))
			union[m] = true
			if err := e.rdb.ZAdd(ctx, k, redis.Z{Member: m}).Err(); err != nil {
				t.Fatal(err)
			}
		}
	}
	slices.Sort(keys)
	var want []string
	for m := range union {
		want = append(want, m)
	}
	slices.Sort(want)
	for _, from := range []int{-1, 0, 3, 9, 30} {
		for n := 1; n <= 6; n++ {
			t.Run(fmt.Sprintf("after=%d/batch=%d", from, n), func(t *testing.T) {
				var b bound
				exp := want
				if from >= 0 {
					b = bound{key: newMember(padMicros(int64(from)), "x--1", padMicros(0))}
					exp = slices.DeleteFunc(slices.Clone(want), func(m string) bool { return !b.admits(m) })
				}
				sc := newScanner(e.rdb, keys, b)
				var got []string
				for range 100 {
					ms, done, err := sc.next(ctx, n)
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, ms...)
					if done {
						break
					}
				}
				if !slices.Equal(got, exp) {
					t.Errorf("scan = %d members %q, want %d %q", len(got), got, len(exp), exp)
				}
			})
		}
	}
}
