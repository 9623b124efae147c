package main

import (
	"context"
	"fmt"
	"os"

	"github.com/stixgate/stixgate/convert/threatfox"
)

// seededCollection reports one collection's seeding for the banner.
type seededCollection struct {
	Root, ID, Alias, File string
	Report                ingestReport
}

// seed imports every collection's seed_file, idempotently, so restarting
// against a persistent Redis adds nothing.
func (m *Main) seed(ctx context.Context) ([]seededCollection, error) {
	var out []seededCollection
	for _, root := range m.Config.TAXII.APIRoots {
		for _, col := range root.Collections {
			if col.SeedFile == "" {
				continue
			}
			path := m.seedPath(col.SeedFile)
			rep, err := m.importFile(ctx, col.ID, path)
			if err != nil {
				return nil, fmt.Errorf("seed collection %s from %s: %w", col.ID, path, err)
			}
			m.logger.Info("seeded collection", "collection", col.ID, "alias", col.Alias, "file", path,
				"added", rep.Added, "changed", rep.Changed, "unchanged", rep.Unchanged)
			out = append(out, seededCollection{Root: root.Path, ID: col.ID, Alias: col.Alias, File: path, Report: rep})
		}
	}
	return out, nil
}

// importFile converts a ThreatFox file and ingests it into a collection.
// Rows the reader skipped are logged; they never stop the rest.
func (m *Main) importFile(ctx context.Context, collection, path string) (ingestReport, error) {
	f, err := os.Open(path)
	if err != nil {
		return ingestReport{}, err
	}
	defer f.Close()
	bundle, res, err := threatfox.Import(f, threatfox.FormatAuto, threatfox.Options{})
	if err != nil {
		return ingestReport{}, err
	}
	for _, s := range res.Skipped {
		m.logger.Warn("seed row skipped", "file", path, "line", s.Line, "reason", s.Reason)
	}
	return ingest(ctx, m.store, collection, bundle.Objects, m.Env.Now())
}
