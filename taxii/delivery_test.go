package taxii

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestDeliveryTrackerPosition(t *testing.T) {
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	tests := []struct {
		name         string
		polls        []pollEvent
		newest       time.Time
		wantPosition time.Time
		wantLag      time.Duration
	}{
		{"served up to newest", []pollEvent{{served: at(10), records: 5}}, at(10), at(10), 0},
		{"behind", []pollEvent{{served: at(10), records: 5}}, at(25), at(10), 15 * time.Second},
		{"empty poll after added_after", []pollEvent{{after: at(30)}}, at(25), at(30), 0},
		{"position never moves back", []pollEvent{{served: at(20)}, {after: at(5)}}, at(20), at(20), 0},
		{"newest unknown", []pollEvent{{served: at(1)}}, time.Time{}, at(1), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := newDeliveryTracker(10)
			k := deliveryKey{"sentinel", colPure}
			for _, p := range tc.polls {
				tr.recordPoll(k, p)
			}
			rows, _ := tr.snapshot()
			if len(rows) != 1 || !rows[0].position.Equal(tc.wantPosition) || rows[0].lag(tc.newest) != tc.wantLag {
				t.Fatalf("rows = %+v, want position %v lag %v", rows, tc.wantPosition, tc.wantLag)
			}
			if rows[0].polls != uint64(len(tc.polls)) {
				t.Errorf("polls = %d, want %d", rows[0].polls, len(tc.polls))
			}
		})
	}
}

func TestDeliveryTrackerIsBounded(t *testing.T) {
	tr := newDeliveryTracker(2)
	for _, u := range []string{"a", "b", "c", "a"} {
		tr.recordPoll(deliveryKey{u, colPure}, pollEvent{records: 1})
	}
	tr.recordFailure(deliveryKey{"d", colPure}, 400, t0)
	rows, dropped := tr.snapshot()
	if len(rows) != 2 || rows[0].user != "a" || rows[0].delivered != 2 || rows[1].user != "b" || dropped != 2 {
		t.Errorf("snapshot = %+v dropped %d, want a (2 records), b and 2 dropped", rows, dropped)
	}
}

// deliveryReportOf fetches /admin/delivery as admin.
func (e *opsEnv) deliveryReportOf(tb testing.TB) deliveryReport {
	tb.Helper()
	rec := e.get(tb, "/admin/delivery", basic("admin", pwReader), "Accept", "*/*")
	if rec.Code != http.StatusOK {
		tb.Fatalf("GET /admin/delivery = %d %s", rec.Code, rec.Body)
	}
	var rep deliveryReport
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
		tb.Fatalf("decode %s: %v", rec.Body, err)
	}
	return rep
}

// TestDeliveryStateSentinel follows a Sentinel-like consumer (API key in the Basic user field) through
// a paged first poll, a caught-up state, new data arriving and a failed poll.
func TestDeliveryStateSentinel(t *testing.T) {
	e := mustOpsEnv(t, Options{})
	e.mustPutN(t, 3)
	sentinel := basic(keySentine, "notNeeded")
	base := "/api1/collections/purelogs/objects/"

	rec := e.get(t, base+"?added_after=1970-01-01T00:00:00.000Z&limit=2", sentinel)
	next, _ := decode(t, rec.Body.Bytes())["next"].(string)
	if rec.Code != http.StatusOK || next == "" {
		t.Fatalf("first page = %d %s, want 200 with next", rec.Code, rec.Body)
	}
	rec = e.get(t, base+"?limit=2&next="+url.QueryEscape(next), sentinel)
	lastServed := rec.Header().Get(headerDateAddedLast)
	if rec.Code != http.StatusOK || lastServed == "" {
		t.Fatalf("second page = %d %s", rec.Code, rec.Body)
	}
	rep := e.deliveryReportOf(t)
	if len(rep.Consumers) != 1 {
		t.Fatalf("consumers = %+v, want sentinel only (admin's own GET is not a poll)", rep.Consumers)
	}
	c := rep.Consumers[0]
	zero := 0.0
	want := consumerJSON{User: "sentinel", Collection: colPure, Alias: "purelogs", LastPoll: c.LastPoll, Endpoint: "objects",
		UsedNext: true, Polls: 2, RecordsDelivered: 3, LastPageRecords: 1, LastServed: lastServed,
		Position: lastServed, Newest: lastServed, LagSeconds: &zero}
	checkConsumer(t, c, want)

	e.mustPutN(t, 4) // re-puts 1..3 (duplicates) and adds indicator 4
	st, err := e.st.Stats(t.Context(), colPure)
	if err != nil {
		t.Fatal(err)
	}
	served, _ := time.Parse(time.RFC3339Nano, lastServed)
	lag := st.LastDateAdded.Sub(served).Seconds()
	want.Newest, want.LagSeconds = opsTime(st.LastDateAdded), &lag
	checkConsumer(t, e.deliveryReportOf(t).Consumers[0], want)
	checkMetric(t, e.reg, "stixgate_delivery_lag_seconds", map[string]string{"user": "sentinel", "collection": colPure}, lag)
	checkMetric(t, e.reg, "stixgate_delivery_records_total", map[string]string{"user": "sentinel", "collection": colPure}, 3)

	if rec := e.get(t, base+"?next=bogus", sentinel); rec.Code != http.StatusBadRequest {
		t.Fatalf("bogus next = %d, want 400", rec.Code)
	}
	c = e.deliveryReportOf(t).Consumers[0]
	if c.Errors != 1 || c.LastErrorStatus != http.StatusBadRequest || c.LastErrorAt == "" || c.Polls != 2 {
		t.Errorf("after a failed poll: %+v, want 1 error with status 400 and still 2 polls", c)
	}
}

func checkConsumer(tb testing.TB, got, want consumerJSON) {
	tb.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		tb.Errorf("consumer = %s\nwant       %s", g, w)
	}
}

func TestDeliveryManifestAndAddedAfter(t *testing.T) {
	e := mustOpsEnv(t, Options{})
	e.mustPutN(t, 2)
	rec := e.get(t, "/collections/purelogs/manifest/?added_after=2030-01-01T00:00:00Z", basic("reader", pwReader))
	if rec.Code != http.StatusOK {
		t.Fatalf("manifest = %d %s", rec.Code, rec.Body)
	}
	c := e.deliveryReportOf(t).Consumers[0]
	zero := 0.0
	st, _ := e.st.Stats(t.Context(), colPure)
	want := consumerJSON{User: "reader", Collection: colPure, Alias: "purelogs", LastPoll: c.LastPoll, Endpoint: "manifest",
		AddedAfter: "2030-01-01T00:00:00Z", Polls: 1, Position: "2030-01-01T00:00:00.000000Z",
		Newest: opsTime(st.LastDateAdded), LagSeconds: &zero}
	checkConsumer(t, c, want)
}

func TestDeliveryAdminOnly(t *testing.T) {
	e := mustOpsEnv(t, Options{})
	tests := []struct {
		name, auth string
		want       int
	}{
		{"anonymous", "", http.StatusUnauthorized},
		{"reader", basic("reader", pwReader), http.StatusForbidden},
		{"writer of one collection", basic("writer", pwReader), http.StatusForbidden},
		{"admin", basic("admin", pwReader), http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.get(t, "/admin/delivery/", tc.auth)
			if rec.Code != tc.want {
				t.Fatalf("GET /admin/delivery/ as %s = %d, want %d", tc.name, rec.Code, tc.want)
			}
			if tc.want != http.StatusOK && rec.Header().Get("Content-Type") != mediaTypeTAXII {
				t.Errorf("error Content-Type = %q, want the TAXII error resource", rec.Header().Get("Content-Type"))
			}
		})
	}
}
