package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// TestDelete runs each version and spec selection on a fresh fixture and checks the count, what is left,
// and that indexes and counters were repaired (checkConsistency reads the raw keys).
func TestDelete(t *testing.T) {
	tests := []struct {
		name    string
		id      string
		vf      VersionFilter
		specs   []string
		removed int // 0: ErrNotFound
		left    []string
	}{
		{"no filter deletes all versions", "indicator--a", VersionFilter{}, nil, 3, nil},
		{"all", "indicator--a", VersionFilter{All: true}, nil, 3, nil},
		{"first", "indicator--a", VersionFilter{First: true}, nil, 1, []string{"indicator--a@1h0m0s", "indicator--a@2h0m0s"}},
		{"last", "indicator--a", VersionFilter{Last: true}, nil, 1, []string{"indicator--a@0s", "indicator--a@1h0m0s"}},
		{"first and last", "indicator--a", VersionFilter{First: true, Last: true}, nil, 2, []string{"indicator--a@1h0m0s"}},
		{"at", "indicator--a", VersionFilter{At: []time.Time{t0.Add(hour)}}, nil, 1, []string{"indicator--a@0s", "indicator--a@2h0m0s"}},
		{"at nothing stored", "indicator--a", VersionFilter{At: []time.Time{t0.Add(time.Minute)}}, nil, 0, nil},
		{"at before 1970", "indicator--a", VersionFilter{At: []time.Time{time.Unix(-5, 0)}}, nil, 0, nil},
		{"spec 2.0 only", "indicator--d", VersionFilter{}, []string{"2.0"}, 1, []string{"indicator--d@1h0m0s"}},
		{"newest spec removed", "indicator--d", VersionFilter{}, []string{"2.1"}, 1, []string{"indicator--d@0s/2.0"}},
		{"last and spec mismatch", "indicator--d", VersionFilter{Last: true}, []string{"2.0"}, 0, nil},
		{"SCO", "ipv4-addr--c", VersionFilter{}, nil, 1, nil},
		{"unknown id", "indicator--zzz", VersionFilter{}, nil, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := mustEnv(t, Options{})
			ctx := context.Background()
			putFixture(e, "c")
			before, _ := e.s.Stats(ctx, "c")
			n, err := e.s.Delete(ctx, "c", tc.id, tc.vf, tc.specs)
			if tc.removed == 0 {
				if !errors.Is(err, ErrNotFound) {
					t.Errorf("Delete(%s, %+v, %q) = %d, %v; want ErrNotFound", tc.id, tc.vf, tc.specs, n, err)
				}
			} else if n != tc.removed || err != nil {
				t.Errorf("Delete(%s, %+v, %q) = %d, %v; want %d", tc.id, tc.vf, tc.specs, n, err, tc.removed)
			}
			e.checkConsistency("c")
			after, _ := e.s.Stats(ctx, "c")
			if after.Versions != before.Versions-int64(n) || after.LastDateAdded != before.LastDateAdded {
				t.Errorf("Stats after deleting %d = %+v, before %+v", n, after, before)
			}
			all := Query{Limit: 100, Versions: VersionFilter{All: true}, SpecVersions: []string{"2.0", "2.1"}}
			got, err := e.s.Versions(ctx, "c", tc.id, all)
			if len(tc.left) == 0 && tc.removed > 0 {
				if !errors.Is(err, ErrNotFound) {
					t.Errorf("Versions after deleting all = %q, %v; want ErrNotFound", labels(got.Records), err)
				}
				return
			}
			if tc.removed > 0 && !slices.Equal(labels(got.Records), tc.left) {
				t.Errorf("versions left = %q, want %q", labels(got.Records), tc.left)
			}
		})
	}
}

// TestDeleteThenPut checks that an id deleted entirely can come back, even with another type, and that
// date_added keeps increasing across deletes.
func TestDeleteThenPut(t *testing.T) {
	e := mustEnv(t, Options{})
	ctx := context.Background()
	first := e.mustPut("c", obj("x--1", "indicator", t0))
	if _, err := e.s.Delete(ctx, "c", "x--1", VersionFilter{}, nil); err != nil {
		t.Fatal(err)
	}
	again := e.mustPut("c", obj("x--1", "malware", t0))
	if !again[0].DateAdded.After(first[0].DateAdded) {
		t.Errorf("date_added after delete = %s, want after %s", again[0].DateAdded, first[0].DateAdded)
	}
	if ks := e.keysLike(e.s.keys.typeIndex("c", "indicator")); len(ks) != 0 {
		t.Errorf("old type index still present: %q", ks)
	}
	e.checkConsistency("c")
}
