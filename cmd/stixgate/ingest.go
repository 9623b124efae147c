package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/stixgate/stixgate/convert/stix"
	"github.com/stixgate/stixgate/store"
)

// ingestReport counts what a feed import did to a collection.
type ingestReport struct {
	Added, Changed, Unchanged int
}

func (r ingestReport) String() string {
	return fmt.Sprintf("%d new, %d changed (new version), %d unchanged", r.Added, r.Changed, r.Unchanged)
}

// ingest writes converted feed objects into a collection idempotently. The
// converter stamps modified with the row's first-seen time, so an unchanged
// row yields byte-identical JSON and adds nothing; a row whose content
// changed is re-stamped with now (never earlier than the stored version) and
// becomes a new version.
func ingest(ctx context.Context, st *store.Store, collection string, objs []stix.Object, now time.Time) (ingestReport, error) {
	var rep ingestReport
	batch := make([]store.Object, 0, len(objs))
	changed := make([]bool, 0, len(objs))
	for _, o := range objs {
		latest, err := latestVersion(ctx, st, collection, o.ID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			batch, changed = append(batch, toStoreObject(o)), append(changed, false)
		case err != nil:
			return rep, err
		default:
			same, err := stix.SameContent(latest.JSON, o.JSON)
			if err != nil {
				return rep, fmt.Errorf("ingest %s: %w", o.ID, err)
			}
			if same {
				rep.Unchanged++
				continue
			}
			restamped, err := restamp(o, latest.Version, now)
			if err != nil {
				return rep, err
			}
			batch, changed = append(batch, toStoreObject(restamped)), append(changed, true)
		}
	}
	res, err := st.Put(ctx, collection, batch)
	if err != nil {
		return rep, fmt.Errorf("ingest into %s: %w", collection, err)
	}
	for i, r := range res {
		switch {
		case r.Outcome != store.Added:
			rep.Unchanged++
		case changed[i]:
			rep.Changed++
		default:
			rep.Added++
		}
	}
	return rep, nil
}

func latestVersion(ctx context.Context, st *store.Store, collection, id string) (store.Record, error) {
	page, err := st.Versions(ctx, collection, id, store.Query{Limit: 1, Versions: store.VersionFilter{Last: true}, WithBodies: true})
	if err != nil {
		return store.Record{}, err
	}
	if len(page.Records) == 0 {
		return store.Record{}, store.ErrNotFound
	}
	return page.Records[0], nil
}

// restamp gives o a modified time after both its stored version and now's
// millisecond, so the new version sorts last.
func restamp(o stix.Object, stored, now time.Time) (stix.Object, error) {
	t := now.UTC().Truncate(time.Millisecond)
	if !t.After(stored) {
		t = stored.Add(time.Millisecond)
	}
	js, err := stix.Restamp(o.JSON, t)
	if err != nil {
		return o, fmt.Errorf("restamp %s: %w", o.ID, err)
	}
	o.JSON, o.Modified = js, t
	return o, nil
}

func toStoreObject(o stix.Object) store.Object {
	return store.Object{ID: o.ID, Type: o.Type, SpecVersion: "2.1", Version: o.Modified, JSON: o.JSON}
}
