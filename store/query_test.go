package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

const hour = time.Hour

// putFixture stores the filter fixture one object per clock tick, so object i has date_added t0+iµs:
//
//	0 indicator--a @0s   1 malware--b @0s   2 ipv4-addr--c (SCO, version = its date_added, t0+2µs)
//	3 indicator--a @1h   4 indicator--d @0s spec 2.0   5 malware--b @1h   6 indicator--a @2h
//	7 indicator--d @1h   8 indicator--e @0s spec 2.0 only
func putFixture(e *env, c string) {
	e.t.Helper()
	spec20 := func(o Object) Object { o.SpecVersion = "2.0"; return o }
	objs := []Object{
		obj("indicator--a", "indicator", t0),
		obj("malware--b", "malware", t0),
		obj("ipv4-addr--c", "ipv4-addr", time.Time{}),
		obj("indicator--a", "indicator", t0.Add(hour)),
		spec20(obj("indicator--d", "indicator", t0)),
		obj("malware--b", "malware", t0.Add(hour)),
		obj("indicator--a", "indicator", t0.Add(2*hour)),
		obj("indicator--d", "indicator", t0.Add(hour)),
		spec20(obj("indicator--e", "indicator", t0)),
	}
	for _, o := range objs {
		e.mustPut(c, o)
		e.clock.Set(e.clock.Now().Add(time.Microsecond))
	}
}

// TestObjectsFilters runs every filter alone and combined, each paged at several limits: the concatenated
// pages must equal the full answer, which also proves filtered pages never come back empty with More.
func TestObjectsFilters(t *testing.T) {
	e := mustEnv(t, Options{})
	putFixture(e, "c")
	at1h := []time.Time{t0.Add(hour)}
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"default: last version, newest spec", Query{},
			[]string{"ipv4-addr--c@2µs", "malware--b@1h0m0s", "indicator--a@2h0m0s", "indicator--d@1h0m0s", "indicator--e@0s/2.0"}},
		{"type", Query{Types: []string{"indicator"}},
			[]string{"indicator--a@2h0m0s", "indicator--d@1h0m0s", "indicator--e@0s/2.0"}},
		{"two types merge their indexes", Query{Types: []string{"ipv4-addr", "indicator", "ipv4-addr"}},
			[]string{"ipv4-addr--c@2µs", "indicator--a@2h0m0s", "indicator--d@1h0m0s", "indicator--e@0s/2.0"}},
		{"unknown type", Query{Types: []string{"campaign"}}, nil},
		{"type and all versions", Query{Types: []string{"malware"}, Versions: VersionFilter{All: true}},
			[]string{"malware--b@0s", "malware--b@1h0m0s"}},
		{"first (d's first is 2.0, not its newest spec)", Query{Versions: VersionFilter{First: true}},
			[]string{"indicator--a@0s", "malware--b@0s", "ipv4-addr--c@2µs", "indicator--e@0s/2.0"}},
		{"first, spec 2.0", Query{Versions: VersionFilter{First: true}, SpecVersions: []string{"2.0"}},
			[]string{"indicator--d@0s/2.0", "indicator--e@0s/2.0"}},
		{"all versions", Query{Versions: VersionFilter{All: true}},
			[]string{"indicator--a@0s", "malware--b@0s", "ipv4-addr--c@2µs", "indicator--a@1h0m0s", "malware--b@1h0m0s",
				"indicator--a@2h0m0s", "indicator--d@1h0m0s", "indicator--e@0s/2.0"}},
		{"all versions, both specs", Query{Versions: VersionFilter{All: true}, SpecVersions: []string{"2.1", "2.0"}},
			[]string{"indicator--a@0s", "malware--b@0s", "ipv4-addr--c@2µs", "indicator--a@1h0m0s", "indicator--d@0s/2.0",
				"malware--b@1h0m0s", "indicator--a@2h0m0s", "indicator--d@1h0m0s", "indicator--e@0s/2.0"}},
		{"first or last", Query{Versions: VersionFilter{First: true, Last: true}},
			[]string{"indicator--a@0s", "malware--b@0s", "ipv4-addr--c@2µs", "malware--b@1h0m0s", "indicator--a@2h0m0s",
				"indicator--d@1h0m0s", "indicator--e@0s/2.0"}},
		{"at a timestamp", Query{Versions: VersionFilter{At: at1h}},
			[]string{"indicator--a@1h0m0s", "malware--b@1h0m0s", "indicator--d@1h0m0s"}},
		{"at the same instant in another zone", Query{Versions: VersionFilter{At: []time.Time{t0.Add(hour).In(time.FixedZone("", 2*3600))}}},
			[]string{"indicator--a@1h0m0s", "malware--b@1h0m0s", "indicator--d@1h0m0s"}},
		{"at or first", Query{Versions: VersionFilter{At: at1h, First: true}},
			[]string{"indicator--a@0s", "malware--b@0s", "ipv4-addr--c@2µs", "indicator--a@1h0m0s", "malware--b@1h0m0s",
				"indicator--d@1h0m0s", "indicator--e@0s/2.0"}},
		{"at or last, type", Query{Versions: VersionFilter{At: []time.Time{t0}, Last: true}, Types: []string{"indicator"}},
			[]string{"indicator--a@0s", "indicator--a@2h0m0s", "indicator--d@1h0m0s", "indicator--e@0s/2.0"}},
		{"at a time no version has", Query{Versions: VersionFilter{At: []time.Time{t0.Add(time.Minute)}}}, nil},
		{"spec 2.0 on the latest versions", Query{SpecVersions: []string{"2.0"}}, []string{"indicator--e@0s/2.0"}},
		{"ids", Query{IDs: []string{"indicator--a", "ipv4-addr--c", "nothing--x"}},
			[]string{"ipv4-addr--c@2µs", "indicator--a@2h0m0s"}},
		{"id, all versions", Query{IDs: []string{"indicator--a"}, Versions: VersionFilter{All: true}},
			[]string{"indicator--a@0s", "indicator--a@1h0m0s", "indicator--a@2h0m0s"}},
		{"ids, all versions, spec 2.0", Query{IDs: []string{"indicator--a", "indicator--d"}, Versions: VersionFilter{All: true}, SpecVersions: []string{"2.0"}},
			[]string{"indicator--d@0s/2.0"}},
		{"id and another type", Query{IDs: []string{"indicator--a"}, Types: []string{"malware"}}, nil},
		{"id, first, default spec", Query{IDs: []string{"indicator--d"}, Versions: VersionFilter{First: true}}, nil},
		{"id, at", Query{IDs: []string{"indicator--a", "malware--b"}, Versions: VersionFilter{At: at1h}},
			[]string{"indicator--a@1h0m0s", "malware--b@1h0m0s"}},
		{"added_after and all versions", Query{AddedAfter: t0.Add(5 * time.Microsecond), Versions: VersionFilter{All: true}},
			[]string{"indicator--a@2h0m0s", "indicator--d@1h0m0s", "indicator--e@0s/2.0"}},
		{"added_after and ids", Query{AddedAfter: t0.Add(5 * time.Microsecond), IDs: []string{"indicator--a", "malware--b"}, Versions: VersionFilter{All: true}},
			[]string{"indicator--a@2h0m0s"}},
	}
	for _, tc := range tests {
		for _, limit := range []int{1, 2, 3, 100} {
			t.Run(fmt.Sprintf("%s/limit=%d", tc.name, limit), func(t *testing.T) {
				q := tc.q
				q.Limit = limit
				q.WithBodies = limit == 2
				got := e.allPages("c", q, e.s.Objects)
				if !slices.Equal(labels(got), tc.want) {
					t.Errorf("Objects(%+v) =\n  %q\nwant\n  %q", q, labels(got), tc.want)
				}
				checkRecords(t, got, q.WithBodies)
			})
		}
	}
}

// checkRecords checks what every page must satisfy: ascending date_added and bodies exactly when asked.
func checkRecords(t *testing.T, rs []Record, bodies bool) {
	t.Helper()
	for i, r := range rs {
		if i > 0 && !rs[i-1].DateAdded.Before(r.DateAdded) {
			t.Errorf("record %d date_added %s not after %s", i, r.DateAdded, rs[i-1].DateAdded)
		}
		if has := bytes.Contains(r.JSON, []byte(`"id":"`+r.ID+`"`)); has != bodies {
			t.Errorf("record %d %s JSON %q, want body %v", i, r.ID, r.JSON, bodies)
		}
	}
}

// TestTieBreak seeds hundreds of records sharing one date_added (imported data): pages must order them by
// id, then version, and resume inside the tie group without loss or repeat.
func TestTieBreak(t *testing.T) {
	e := mustEnv(t, Options{})
	tick := t0.Add(time.Second)
	e.seed("c", "indicator--before", "indicator", t0, t0)
	var want []string
	for i := range 300 {
		id := fmt.Sprintf("indicator--%03d", (i*7)%300) // seeded out of order
		e.seed("c", id, "indicator", tick, t0)
		if i == 0 {
			e.seed("c", id, "indicator", tick, t0.Add(hour)) // two versions of one id in the tie
		}
	}
	for i := range 300 {
		want = append(want, fmt.Sprintf("indicator--%03d@0s", i))
		if i == 0 {
			want = append(want, "indicator--000@1h0m0s")
		}
	}
	e.seed("c", "indicator--after", "indicator", tick.Add(time.Microsecond), t0)
	want = append([]string{"indicator--before@0s"}, want...)
	want = append(want, "indicator--after@0s")

	for _, limit := range []int{1, 7, 1000} {
		got := e.allPages("c", Query{Limit: limit, Versions: VersionFilter{All: true}}, e.s.Objects)
		if !slices.Equal(labels(got), want) {
			t.Errorf("limit %d: all versions in %d records, want %d; first differences: %q", limit, len(got), len(want), firstDiff(labels(got), want))
		}
	}
	// added_after at the tie skips the whole tie group: strictly greater.
	got := e.allPages("c", Query{Limit: 10, AddedAfter: tick}, e.s.Objects)
	if !slices.Equal(labels(got), []string{"indicator--after@0s"}) {
		t.Errorf("added_after the tie = %q, want only indicator--after", labels(got))
	}
}

func firstDiff(got, want []string) []string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return []string{got[i], want[i]}
		}
	}
	return nil
}

// TestAddedAfter checks strict >, sub-microsecond instants, pre-epoch and far-future values, and the
// combination with a cursor (the later of the two wins).
func TestAddedAfter(t *testing.T) {
	e := mustEnv(t, Options{})
	for i := range 5 {
		e.mustPut("c", obj(fmt.Sprintf("indicator--%d", i), "indicator", t0))
	}
	us := time.Microsecond
	p1 := e.mustObjects("c", Query{Limit: 1}) // cursor after record 0
	p3 := e.mustObjects("c", Query{Limit: 3}) // cursor after record 2
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"equal to a date_added is excluded", Query{AddedAfter: t0.Add(2 * us)}, []string{"indicator--3@0s", "indicator--4@0s"}},
		{"between two", Query{AddedAfter: t0.Add(2*us + 500*time.Nanosecond)}, []string{"indicator--3@0s", "indicator--4@0s"}},
		{"just before", Query{AddedAfter: t0.Add(2*us - time.Nanosecond)}, []string{"indicator--2@0s", "indicator--3@0s", "indicator--4@0s"}},
		{"before 1970", Query{AddedAfter: time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)}, []string{"indicator--0@0s", "indicator--1@0s", "indicator--2@0s", "indicator--3@0s", "indicator--4@0s"}},
		{"far future", Query{AddedAfter: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}, nil},
		{"cursor later than added_after", Query{AddedAfter: t0, Next: p3.Next}, []string{"indicator--3@0s", "indicator--4@0s"}},
		{"added_after later than cursor", Query{AddedAfter: t0.Add(3 * us), Next: p1.Next}, []string{"indicator--4@0s"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.Limit = 10
			got := e.mustObjects("c", tc.q)
			if !slices.Equal(labels(got.Records), tc.want) || got.More {
				t.Errorf("Objects(%+v) = %q more=%v, want %q", tc.q, labels(got.Records), got.More, tc.want)
			}
		})
	}
}

// TestPagingWhileWriting pages through all versions while new objects and new versions land between
// pages: every record stored before the last page is read must appear exactly once, in order.
func TestPagingWhileWriting(t *testing.T) {
	e := mustEnv(t, Options{})
	for i := range 100 {
		e.mustPut("c", obj(fmt.Sprintf("indicator--%03d", i), "indicator", t0))
	}
	q := Query{Limit: 9, Versions: VersionFilter{All: true}}
	var got []Record
	writes := 0
	for page := 0; ; page++ {
		p := e.mustObjects("c", q)
		got = append(got, p.Records...)
		if !p.More {
			break
		}
		q.Next = p.Next
		if page < 20 { // writes between pages: a new id, new versions of a read and an unread id
			e.mustPut("c", obj(fmt.Sprintf("malware--%03d", page), "malware", t0),
				obj("indicator--000", "indicator", t0.Add(time.Duration(page+1)*time.Second)),
				obj("indicator--099", "indicator", t0.Add(time.Duration(page+1)*time.Second)))
			writes += 3
		}
	}
	all := e.mustObjects("c", Query{Limit: 10000, Versions: VersionFilter{All: true}})
	if !slices.Equal(labels(got), labels(all.Records)) {
		t.Errorf("paged %d records, one read has %d; first differences %q", len(got), len(all.Records), firstDiff(labels(got), labels(all.Records)))
	}
	if writes < 3*12 || len(all.Records) != 100+writes {
		t.Errorf("collection holds %d versions after %d writes between pages, want %d", len(all.Records), writes, 100+writes)
	}
	checkRecords(t, got, false)
}

// TestVersions covers /versions/: date_added order (not version order), spec filter, paging and 404.
func TestVersions(t *testing.T) {
	e := mustEnv(t, Options{})
	putFixture(e, "c")
	e.mustPut("c", obj("indicator--a", "indicator", t0.Add(-hour))) // an older version added last
	ctx := context.Background()
	tests := []struct {
		name string
		id   string
		q    Query
		want []string
	}{
		{"all, in date_added order", "indicator--a", Query{}, []string{"indicator--a@0s", "indicator--a@1h0m0s", "indicator--a@2h0m0s", "indicator--a@-1h0m0s"}},
		{"types are ignored", "indicator--a", Query{Types: []string{"malware"}, IDs: []string{"x"}}, []string{"indicator--a@0s", "indicator--a@1h0m0s", "indicator--a@2h0m0s", "indicator--a@-1h0m0s"}},
		{"default spec is the newest", "indicator--d", Query{}, []string{"indicator--d@1h0m0s"}},
		{"spec 2.0", "indicator--d", Query{SpecVersions: []string{"2.0"}}, []string{"indicator--d@0s/2.0"}},
		{"first is the oldest version", "indicator--a", Query{Versions: VersionFilter{First: true}}, []string{"indicator--a@-1h0m0s"}},
		{"added_after", "indicator--a", Query{AddedAfter: t0.Add(3 * time.Microsecond)}, []string{"indicator--a@2h0m0s", "indicator--a@-1h0m0s"}},
	}
	for _, tc := range tests {
		for _, limit := range []int{1, 10} {
			t.Run(fmt.Sprintf("%s/limit=%d", tc.name, limit), func(t *testing.T) {
				q := tc.q
				q.Limit = limit
				read := func(ctx context.Context, c string, q Query) (Page, error) { return e.s.Versions(ctx, c, tc.id, q) }
				if got := e.allPages("c", q, read); !slices.Equal(labels(got), tc.want) {
					t.Errorf("Versions(%s, %+v) = %q, want %q", tc.id, q, labels(got), tc.want)
				}
			})
		}
	}
	if _, err := e.s.Versions(ctx, "c", "indicator--zzz", Query{Limit: 5}); !errors.Is(err, ErrNotFound) {
		t.Errorf("Versions(unknown id) = %v, want ErrNotFound", err)
	}
	e.checkConsistency("c")
}

// TestQueryInvalid checks argument errors.
func TestQueryInvalid(t *testing.T) {
	e := mustEnv(t, Options{})
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		c    string
		q    Query
	}{
		{"zero limit", "c", Query{}},
		{"negative limit", "c", Query{Limit: -1}},
		{"brace in collection", "c{x}", Query{Limit: 1}},
	} {
		if _, err := e.s.Objects(ctx, tc.c, tc.q); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Objects(%q, %+v) = %v, want ErrInvalid", tc.name, tc.c, tc.q, err)
		}
	}
}
