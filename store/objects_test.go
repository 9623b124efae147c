package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// TestPutDateAdded checks that date_added is max(now, last+1µs): hundreds of objects in one frozen clock
// tick get consecutive microseconds, a clock that jumps back never reuses a value, and a clock that moves
// forward is followed.
func TestPutDateAdded(t *testing.T) {
	e := mustEnv(t, Options{})
	objs := make([]Object, 300)
	for i := range objs {
		objs[i] = obj(fmt.Sprintf("indicator--%03d", i), "indicator", t0)
	}
	res := e.mustPut("c", objs...)
	for i, r := range res {
		if want := t0.Add(time.Duration(i) * time.Microsecond); !r.DateAdded.Equal(want) {
			t.Fatalf("object %d DateAdded = %s, want %s", i, r.DateAdded, want)
		}
	}
	last := res[len(res)-1].DateAdded

	e.clock.Set(t0.Add(-time.Hour)) // clock steps back
	back := e.mustPut("c", obj("indicator--back", "indicator", t0))
	if want := last.Add(time.Microsecond); !back[0].DateAdded.Equal(want) {
		t.Errorf("after clock step back DateAdded = %s, want %s", back[0].DateAdded, want)
	}

	later := t0.Add(time.Hour + 789*time.Nanosecond)
	e.clock.Set(later)
	fwd := e.mustPut("c", obj("indicator--fwd", "indicator", t0))
	if want := later.Truncate(time.Microsecond); !fwd[0].DateAdded.Equal(want) {
		t.Errorf("after clock moves on DateAdded = %s, want %s", fwd[0].DateAdded, want)
	}
}

// TestPutOutcomes covers duplicates, conflicts and unversioned SCOs, and that neither a duplicate nor a
// conflict writes anything.
func TestPutOutcomes(t *testing.T) {
	e := mustEnv(t, Options{})
	ctx := context.Background()
	ind := obj("indicator--1", "indicator", t0)
	sco := obj("ipv4-addr--1", "ipv4-addr", time.Time{})
	first := e.mustPut("c", ind, sco)
	if !first[1].Version.Equal(first[1].DateAdded) {
		t.Errorf("SCO Version = %s, want its DateAdded %s", first[1].Version, first[1].DateAdded)
	}
	before := e.dump()

	e.clock.Set(t0.Add(time.Minute))
	changed := func(o Object) Object { o.JSON = append([]byte(nil), `{"changed":true}`...); return o }
	sameVersionOtherType := ind
	sameVersionOtherType.Type = "malware"
	tests := []struct {
		name string
		in   Object
		want PutResult
	}{
		{"exact duplicate", ind, PutResult{Duplicate, first[0].DateAdded, first[0].Version}},
		{"same version other bytes", changed(ind), PutResult{Conflict, first[0].DateAdded, first[0].Version}},
		{"SCO duplicate", sco, PutResult{Duplicate, first[1].DateAdded, first[1].Version}},
		{"SCO other bytes", changed(sco), PutResult{Conflict, first[1].DateAdded, first[1].Version}},
		{"id stored with another type", sameVersionOtherType, PutResult{Outcome: Conflict}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := e.s.Put(ctx, "c", []Object{tc.in})
			if err != nil {
				t.Fatalf("Put = %v", err)
			}
			if res[0] != tc.want {
				t.Errorf("Put = %+v, want %+v", res[0], tc.want)
			}
			if (res[0].Outcome == Conflict) != errors.Is(res[0].Err(), ErrConflict) {
				t.Errorf("PutResult.Err() = %v for %v", res[0].Err(), res[0].Outcome)
			}
			if after := e.dump(); after != before {
				t.Errorf("Put of a %v changed the keys:\n%s\nwant:\n%s", res[0].Outcome, after, before)
			}
		})
	}
}

// TestPutInvalid checks that a bad object fails the whole call before anything is written.
func TestPutInvalid(t *testing.T) {
	e := mustEnv(t, Options{})
	good := obj("indicator--1", "indicator", t0)
	tests := []struct {
		name       string
		collection string
		bad        Object
	}{
		{"empty id", "c", obj("", "indicator", t0)},
		{"empty type", "c", obj("indicator--2", "", t0)},
		{"spec with separator", "c", Object{ID: "x--1", Type: "x", SpecVersion: "2|1", Version: t0}},
		{"version before 1970", "c", obj("indicator--3", "indicator", time.Date(1969, 1, 1, 0, 0, 0, 0, time.UTC))},
		{"version after 2286", "c", obj("indicator--4", "indicator", time.Date(2287, 1, 1, 0, 0, 0, 0, time.UTC))},
		{"collection with brace", "a}b", good},
		{"empty collection", "", good},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.s.Put(context.Background(), tc.collection, []Object{good, tc.bad})
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("Put(%q, %+v) = %v, want ErrInvalid", tc.collection, tc.bad, err)
			}
			if keys := e.keysLike("*"); len(keys) != 0 {
				t.Errorf("failed Put left keys %q", keys)
			}
		})
	}
}

// TestStats checks the script-maintained counters through puts, a duplicate and deletes.
func TestStats(t *testing.T) {
	e := mustEnv(t, Options{})
	ctx := context.Background()
	st, err := e.s.Stats(ctx, "empty")
	if err != nil || st != (Stats{}) {
		t.Fatalf("Stats(empty) = %+v, %v; want zero", st, err)
	}
	e.mustPut("c", obj("a--1", "a", t0), obj("a--1", "a", t0.Add(time.Second)), obj("b--1", "b", t0))
	if _, err := e.s.Put(ctx, "c", []Object{obj("b--1", "b", t0)}); err != nil {
		t.Fatal(err)
	}
	want := Stats{Objects: 2, Versions: 3, LastDateAdded: t0.Add(2 * time.Microsecond)}
	if st, _ := e.s.Stats(ctx, "c"); st != want {
		t.Errorf("Stats after puts = %+v, want %+v", st, want)
	}
	if _, err := e.s.Delete(ctx, "c", "b--1", VersionFilter{}, nil); err != nil {
		t.Fatal(err)
	}
	want = Stats{Objects: 1, Versions: 2, LastDateAdded: want.LastDateAdded}
	if st, _ := e.s.Stats(ctx, "c"); st != want {
		t.Errorf("Stats after delete = %+v, want %+v", st, want)
	}
	e.checkConsistency("c")
}
