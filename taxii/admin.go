package taxii

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// deliveryReport is the JSON body of GET /admin/delivery.
type deliveryReport struct {
	Consumers []consumerJSON `json:"consumers"`
	// UntrackedPolls counts polls of user × collection pairs beyond the tracker's bound.
	UntrackedPolls uint64 `json:"untracked_polls"`
}

// consumerJSON is one user × collection. Times are RFC 3339 with microseconds; absent ones are omitted.
type consumerJSON struct {
	User             string   `json:"user"`
	Collection       string   `json:"collection"`
	Alias            string   `json:"collection_alias,omitempty"`
	LastPoll         string   `json:"last_poll,omitempty"`
	Endpoint         string   `json:"last_endpoint,omitempty"`
	AddedAfter       string   `json:"last_added_after,omitempty"`
	UsedNext         bool     `json:"last_used_next"`
	Polls            uint64   `json:"polls"`
	RecordsDelivered uint64   `json:"records_delivered"`
	LastPageRecords  int      `json:"last_page_records"`
	LastServed       string   `json:"last_date_added_served,omitempty"`
	Position         string   `json:"position,omitempty"`
	Newest           string   `json:"collection_newest_date_added,omitempty"`
	LagSeconds       *float64 `json:"lag_seconds,omitempty"` // absent when the collection's Stats are unknown
	Errors           uint64   `json:"errors"`
	LastErrorStatus  int      `json:"last_error_status,omitempty"`
	LastErrorAt      string   `json:"last_error_at,omitempty"`
}

// getDelivery serves the per-consumer delivery state. It is for operators only: the caller must hold
// write permission on every collection ("*"), which is how the configuration marks an administrator.
func (o *ops) getDelivery(c echo.Context) error {
	p := principalOf(c)
	if p.anonymous() {
		return errUnauthorized
	}
	if !p.all.Write {
		return echo.NewHTTPError(http.StatusForbidden, "the delivery report needs write permission on every collection")
	}
	stats, _ := o.collectionStats(c.Request().Context())
	rows, dropped := o.delivery.snapshot()
	rep := deliveryReport{Consumers: make([]consumerJSON, 0, len(rows)), UntrackedPolls: dropped}
	for _, r := range rows {
		j := consumerJSON{
			User: r.user, Collection: r.collection, Alias: o.aliases[r.collection], LastPoll: opsTime(r.lastPoll), Endpoint: r.endpoint,
			AddedAfter: r.addedAfter, UsedNext: r.usedNext, Polls: r.polls, RecordsDelivered: r.delivered,
			LastPageRecords: r.lastPage, LastServed: opsTime(r.lastServed), Position: opsTime(r.position),
			Errors: r.errorCount, LastErrorStatus: r.errStatus, LastErrorAt: opsTime(r.errAt),
		}
		if st, ok := stats[r.collection]; ok {
			j.Newest = opsTime(st.LastDateAdded)
		}
		if st, ok := stats[r.collection]; ok && r.polls > 0 {
			lag := r.lag(st.LastDateAdded).Seconds()
			j.LagSeconds = &lag
		}
		rep.Consumers = append(rep.Consumers, j)
	}
	return c.JSONPretty(http.StatusOK, rep, "  ")
}

// opsTime formats t like TAXII timestamps, and the zero time as "".
func opsTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}
