package taxii

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/stixgate/stixgate/store"
)

// statser is the optional part of the store that reports collection sizes. It is asserted at use
// rather than added to Store so that fakes need not implement it.
type statser interface {
	Stats(ctx context.Context, collection string) (store.Stats, error)
}

// statsTimeout bounds the Stats calls of one scrape or one /admin/delivery request, so that a slow
// Redis delays the scrape instead of piling scrapes up.
const statsTimeout = 2 * time.Second

// collectionStats returns Stats for every configured collection that answered; a store without Stats
// yields an empty map.
func (o *ops) collectionStats(ctx context.Context) (map[string]store.Stats, map[string]bool) {
	stats, up := map[string]store.Stats{}, map[string]bool{}
	ss, ok := o.raw.(statser)
	if !ok {
		return stats, up
	}
	ctx, cancel := context.WithTimeout(ctx, statsTimeout)
	defer cancel()
	for _, col := range o.collections {
		st, err := ss.Stats(ctx, col)
		up[col] = err == nil
		if err != nil {
			o.log.WarnContext(ctx, "taxii: collection stats", "collection", col, "err", err)
			continue
		}
		stats[col] = st
	}
	return stats, up
}

var (
	labelsUserCol = []string{"user", "collection"}
	labelsCol     = []string{"collection"}

	descObjects   = prometheus.NewDesc("stixgate_collection_objects", "Objects in the collection (Store.Stats, read at scrape time).", labelsCol, nil)
	descVersions  = prometheus.NewDesc("stixgate_collection_versions", "Object versions in the collection.", labelsCol, nil)
	descNewest    = prometheus.NewDesc("stixgate_collection_newest_date_added_timestamp_seconds", "Newest date_added in the collection, Unix time.", labelsCol, nil)
	descStatsUp   = prometheus.NewDesc("stixgate_collection_stats_up", "1 if the collection's Stats could be read during this scrape.", labelsCol, nil)
	descLastPoll  = prometheus.NewDesc("stixgate_delivery_last_poll_timestamp_seconds", "Last successful objects or manifest poll, Unix time.", labelsUserCol, nil)
	descPolls     = prometheus.NewDesc("stixgate_delivery_polls_total", "Successful objects and manifest polls.", labelsUserCol, nil)
	descRecords   = prometheus.NewDesc("stixgate_delivery_records_total", "Records served by objects and manifest polls.", labelsUserCol, nil)
	descUsedNext  = prometheus.NewDesc("stixgate_delivery_last_used_next", "1 if the last poll continued with a next cursor.", labelsUserCol, nil)
	descServed    = prometheus.NewDesc("stixgate_delivery_last_date_added_served_timestamp_seconds", "X-TAXII-Date-Added-Last of the last non-empty page, Unix time.", labelsUserCol, nil)
	descPosition  = prometheus.NewDesc("stixgate_delivery_position_timestamp_seconds", "date_added up to which the consumer has everything (served or asked for with added_after), Unix time.", labelsUserCol, nil)
	descLag       = prometheus.NewDesc("stixgate_delivery_lag_seconds", "Newest date_added in the collection minus the consumer's position.", labelsUserCol, nil)
	descPollErrs  = prometheus.NewDesc("stixgate_delivery_errors_total", "Failed polls of a collection the consumer may read.", labelsUserCol, nil)
	descUntracked = prometheus.NewDesc("stixgate_delivery_untracked_polls_total", "Polls not tracked because the delivery tracker was full.", nil, nil)
)

// storeCollector exports collection sizes and the delivery state at scrape time. Stats is read once
// per collection per scrape and shared by the size gauges and the lag.
type storeCollector struct{ o *ops }

// Describe implements prometheus.Collector.
func (sc *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descObjects, descVersions, descNewest, descStatsUp, descLastPoll,
		descPolls, descRecords, descUsedNext, descServed, descPosition, descLag, descPollErrs, descUntracked} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (sc *storeCollector) Collect(ch chan<- prometheus.Metric) {
	stats, up := sc.o.collectionStats(context.Background())
	for c, ok := range up {
		ch <- constGauge(descStatsUp, boolFloat(ok), c)
	}
	for c, st := range stats {
		ch <- constGauge(descObjects, float64(st.Objects), c)
		ch <- constGauge(descVersions, float64(st.Versions), c)
		if !st.LastDateAdded.IsZero() {
			ch <- constGauge(descNewest, unixSeconds(st.LastDateAdded), c)
		}
	}
	rows, dropped := sc.o.delivery.snapshot()
	for _, r := range rows {
		collectRow(ch, r, stats)
	}
	ch <- prometheus.MustNewConstMetric(descUntracked, prometheus.CounterValue, float64(dropped))
}

func collectRow(ch chan<- prometheus.Metric, r deliveryRow, stats map[string]store.Stats) {
	u, c := r.user, r.collection
	ch <- prometheus.MustNewConstMetric(descPolls, prometheus.CounterValue, float64(r.polls), u, c)
	ch <- prometheus.MustNewConstMetric(descRecords, prometheus.CounterValue, float64(r.delivered), u, c)
	ch <- prometheus.MustNewConstMetric(descPollErrs, prometheus.CounterValue, float64(r.errorCount), u, c)
	if r.polls == 0 {
		return // only failures so far: no position to report
	}
	ch <- constGauge(descLastPoll, unixSeconds(r.lastPoll), u, c)
	ch <- constGauge(descUsedNext, boolFloat(r.usedNext), u, c)
	if !r.lastServed.IsZero() {
		ch <- constGauge(descServed, unixSeconds(r.lastServed), u, c)
	}
	if !r.position.IsZero() {
		ch <- constGauge(descPosition, unixSeconds(r.position), u, c)
	}
	if st, ok := stats[c]; ok {
		ch <- constGauge(descLag, r.lag(st.LastDateAdded).Seconds(), u, c)
	}
}

func constGauge(d *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	return prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
}

func unixSeconds(t time.Time) float64 { return float64(t.UnixMicro()) / 1e6 }

func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
