package taxii

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// defaultDeliveryEntries bounds the delivery tracker. Entries are keyed by configured user × configured
// collection, so the bound is only reached by very large configurations; later pairs are then not tracked.
const defaultDeliveryEntries = 10000

// Route suffixes of the polled endpoints, whatever API-root prefix the route has.
const (
	routeObjectsSuffix  = "/collections/:collection/objects/"
	routeManifestSuffix = "/collections/:collection/manifest/"
)

// pageNoteKey is the request-context key of the *pageNote that observedStore fills in.
type pageNoteKey struct{}

// pageNote carries what the store returned for a poll back to the delivery tracker.
type pageNote struct {
	records int
	last    time.Time // date_added of the page's last record
}

type deliveryKey struct{ user, collection string }

// deliveryState is what the server knows of one consumer polling one collection (taxii21.md §13.2):
// enough to tell "Sentinel is not importing" from "Sentinel is not polling" or "Sentinel is behind".
type deliveryState struct {
	lastPoll   time.Time
	endpoint   string    // "objects" or "manifest"
	addedAfter string    // the last added_after as sent (sanitised), "" when absent
	usedNext   bool      // whether the last poll continued a paging sequence
	polls      uint64    // successful polls
	delivered  uint64    // records served over all successful polls
	lastPage   int       // records in the last page
	lastServed time.Time // X-TAXII-Date-Added-Last of the last non-empty page
	// position is the date_added up to which the consumer has everything: the newest date_added served
	// to it, or the added_after it asked with, whichever is later.
	position   time.Time
	errStatus  int // status of the last failed poll of a resolved collection
	errAt      time.Time
	errorCount uint64
}

// pollEvent is one successful objects or manifest GET.
type pollEvent struct {
	at         time.Time
	endpoint   string
	addedAfter string
	after      time.Time // parsed added_after, zero if absent or unparsable
	usedNext   bool
	records    int
	served     time.Time // X-TAXII-Date-Added-Last as sent, zero for an empty page
}

// deliveryTracker keeps one deliveryState per user × collection, in memory and per replica.
type deliveryTracker struct {
	mu      sync.Mutex
	max     int
	m       map[deliveryKey]*deliveryState
	dropped uint64 // polls of pairs not tracked because the tracker was full
}

func newDeliveryTracker(max int) *deliveryTracker {
	return &deliveryTracker{max: max, m: map[deliveryKey]*deliveryState{}}
}

// entry returns the state of k, creating it if there is room; the caller holds mu.
func (t *deliveryTracker) entry(k deliveryKey) *deliveryState {
	st, ok := t.m[k]
	if !ok {
		if len(t.m) >= t.max {
			t.dropped++
			return nil
		}
		st = &deliveryState{}
		t.m[k] = st
	}
	return st
}

func (t *deliveryTracker) recordPoll(k deliveryKey, p pollEvent) {
	t.mu.Lock()
	defer t.mu.Unlock()
	st := t.entry(k)
	if st == nil {
		return
	}
	st.lastPoll, st.endpoint, st.addedAfter, st.usedNext = p.at, p.endpoint, p.addedAfter, p.usedNext
	st.polls++
	st.delivered += uint64(p.records)
	st.lastPage = p.records
	if !p.served.IsZero() {
		st.lastServed = p.served
	}
	for _, t := range []time.Time{p.after, p.served} {
		if t.After(st.position) {
			st.position = t
		}
	}
}

func (t *deliveryTracker) recordFailure(k deliveryKey, status int, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if st := t.entry(k); st != nil {
		st.errStatus, st.errAt = status, at
		st.errorCount++
	}
}

// deliveryRow is a copy of one state with its key, for reporting outside the lock.
type deliveryRow struct {
	deliveryKey
	deliveryState
}

// snapshot copies every state, sorted by user then collection.
func (t *deliveryTracker) snapshot() ([]deliveryRow, uint64) {
	t.mu.Lock()
	rows := make([]deliveryRow, 0, len(t.m))
	for k, st := range t.m {
		rows = append(rows, deliveryRow{k, *st})
	}
	dropped := t.dropped
	t.mu.Unlock()
	slices.SortFunc(rows, func(a, b deliveryRow) int {
		if c := strings.Compare(a.user, b.user); c != 0 {
			return c
		}
		return strings.Compare(a.collection, b.collection)
	})
	return rows, dropped
}

// lag is how far the consumer is behind the collection's newest date_added; zero when caught up or
// when newest is unknown.
func (r deliveryRow) lag(newest time.Time) time.Duration {
	if newest.IsZero() || !newest.After(r.position) {
		return 0
	}
	return newest.Sub(r.position)
}

// pollEndpoint names the polled endpoint the request was routed to, or "" for any other request.
func pollEndpoint(c echo.Context) string {
	if c.Request().Method != http.MethodGet {
		return ""
	}
	switch p := c.Path(); {
	case strings.HasSuffix(p, routeObjectsSuffix):
		return "objects"
	case strings.HasSuffix(p, routeManifestSuffix):
		return "manifest"
	}
	return ""
}

// notePage attaches a pageNote to polls before the handler runs, so that observedStore can report
// the page size; no other request pays for it.
func notePage(c echo.Context) {
	if pollEndpoint(c) == "" {
		return
	}
	req := c.Request()
	c.SetRequest(req.WithContext(context.WithValue(req.Context(), pageNoteKey{}, &pageNote{})))
}

// recordDelivery updates the delivery state after an objects or manifest GET by an authenticated
// caller. It reads what the handler served from the response headers and the pageNote; the next
// cursor itself is never kept, only whether one was used.
func (o *ops) recordDelivery(c echo.Context, status int) {
	ep := pollEndpoint(c)
	p := principalOf(c)
	col, ok := c.Get(collectionKey).(*Collection)
	if ep == "" || p.anonymous() || !ok {
		return
	}
	k := deliveryKey{user: p.name, collection: col.ID}
	now := o.now()
	if status != http.StatusOK {
		o.delivery.recordFailure(k, status, now)
		return
	}
	pl := pollEvent{at: now, endpoint: ep, usedNext: c.QueryParam("next") != ""}
	if raw := c.QueryParam("added_after"); raw != "" {
		pl.addedAfter = logSafe(raw, maxLoggedLen)
		pl.after, _ = time.Parse(time.RFC3339Nano, raw) // the handler already accepted it
	}
	if n, ok := c.Request().Context().Value(pageNoteKey{}).(*pageNote); ok {
		pl.records = n.records
		pl.served = n.last
	}
	if h := c.Response().Header().Get(headerDateAddedLast); h != "" {
		if t, err := time.Parse(time.RFC3339Nano, h); err == nil {
			pl.served = t
		}
	}
	o.delivery.recordPoll(k, pl)
}
