package main

import (
	"context"
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
	stored, err := latestVersions(ctx, st, collection, objs)
	if err != nil {
		return rep, err
	}
	for _, o := range objs {
		latest, ok := stored[o.ID]
		switch {
		case !ok:
			batch, changed = append(batch, toStoreObject(o)), append(changed, false)
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

// latestVersions reads the stored latest version of every object's id, a
// few hundred ids per round trip (the store answers match[id] from its
// per-id version sets), so a large feed costs a handful of round trips
// rather than one per row.
func latestVersions(ctx context.Context, st *store.Store, collection string, objs []stix.Object) (map[string]store.Record, error) {
	const chunk = 500
	out := make(map[string]store.Record, len(objs))
	for lo := 0; lo < len(objs); lo += chunk {
		ids := make([]string, 0, chunk)
		for _, o := range objs[lo:min(lo+chunk, len(objs))] {
			ids = append(ids, o.ID)
		}
		q := store.Query{IDs: ids, Limit: len(ids), Versions: store.VersionFilter{Last: true}, WithBodies: true}
		page, err := st.Objects(ctx, collection, q)
		if err != nil {
			return nil, fmt.Errorf("read stored versions in %s: %w", collection, err)
		}
		if page.More {
			return nil, fmt.Errorf("read stored versions in %s: more than one latest version per id", collection)
		}
		for _, r := range page.Records {
			out[r.ID] = r
		}
	}
	return out, nil
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
