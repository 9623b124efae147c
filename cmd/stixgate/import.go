package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/stixgate/stixgate/convert/stix"
	"github.com/stixgate/stixgate/convert/threatfox"
	"github.com/stixgate/stixgate/store"
)

// importCmd converts a feed; with --collection it loads the feed into Redis.
type importCmd struct {
	Format     string        `enum:"auto,markdown,threatfox-api,threatfox-csv,threatfox-json" default:"auto" help:"Input format (${enum}); auto detects it."`
	TLP        string        `default:"clear" help:"TLP marking of every object: clear (STIX's TLP:WHITE), green, amber or red. ThreatFox data is CC0."`
	ValidFor   time.Duration `name:"valid-for" help:"Set valid_until = first seen + this (e.g. 2160h for 90 days); Sentinel's TI rules skip expired indicators. Default: no valid_until."`
	Collection string        `help:"Load into this collection (id or alias from the config) instead of printing a bundle."`
	RedisURL   string        `name:"redis-url" env:"REDIS_URL" help:"Redis to load into (required with --collection)."`
	Config     string        `short:"c" env:"STIXGATE_CONFIG" type:"existingfile" help:"Config file naming the collections (default: built-in)."`
	File       string        `arg:"" help:"Feed file, or - for standard input."`
}

func (c *importCmd) Run(ctx context.Context, e *env) error {
	in, closeIn, err := openInput(c.File, e.Stdin)
	if err != nil {
		return err
	}
	defer closeIn()
	opts, err := c.options()
	if err != nil {
		return err
	}
	bundle, res, err := threatfox.Import(in, threatfox.Format(c.Format), opts)
	if err != nil {
		return fmt.Errorf("import %s: %w", c.File, err)
	}
	if c.Collection == "" {
		if err := bundle.WriteJSON(e.Stdout); err != nil {
			return fmt.Errorf("write bundle: %w", err)
		}
	} else if err := c.load(ctx, e, bundle); err != nil {
		return err
	}
	summarize(e.Stderr, bundle, res)
	if len(res.Skipped) > 0 || len(res.Unknown) > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%d rows skipped, %d unknown ioc types", len(res.Skipped), len(res.Unknown))}
	}
	return nil
}

// options maps the flags to converter options.
func (c *importCmd) options() (threatfox.Options, error) {
	tlp, err := stix.ParseTLP(c.TLP)
	if err != nil {
		return threatfox.Options{}, fmt.Errorf("--tlp: %w", err)
	}
	if c.ValidFor < 0 {
		return threatfox.Options{}, fmt.Errorf("--valid-for %v: must not be negative", c.ValidFor)
	}
	return threatfox.Options{TLP: tlp, ValidFor: c.ValidFor}, nil
}

// load ingests the bundle into the configured collection of a real Redis.
func (c *importCmd) load(ctx context.Context, e *env, bundle stix.Bundle) error {
	if c.RedisURL == "" {
		return errors.New("--collection needs --redis-url (or REDIS_URL): the embedded Redis lives only inside `serve`")
	}
	cfg, err := loadConfig(c.Config)
	if err != nil {
		return err
	}
	id, ok := resolveCollection(cfg, c.Collection)
	if !ok {
		return fmt.Errorf("collection %q: not in the configuration", c.Collection)
	}
	rc, err := openRedis(c.RedisURL)
	if err != nil {
		return err
	}
	defer rc.Close()
	st := store.New(rc.Client, store.Options{Now: e.Now, CursorKey: cursorKey(cfg.CursorSecret)})
	rep, err := ingest(ctx, st, id, bundle.Objects, e.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stderr, "collection %s: %s\n", id, rep)
	return nil
}

// resolveCollection maps an id or alias to the collection id.
func resolveCollection(cfg *fileConfig, name string) (string, bool) {
	for _, r := range cfg.TAXII.APIRoots {
		for _, col := range r.Collections {
			if col.ID == name || (col.Alias != "" && col.Alias == name) {
				return col.ID, true
			}
		}
	}
	return "", false
}

// summarize writes what was produced and what was skipped, with line numbers.
func summarize(w io.Writer, bundle stix.Bundle, res threatfox.Result) {
	counts := map[string]int{}
	for _, o := range bundle.Objects {
		counts[o.Type]++
	}
	types := make([]string, 0, len(counts))
	for t := range counts {
		types = append(types, t)
	}
	sort.Strings(types)
	parts := make([]string, len(types))
	for i, t := range types {
		parts[i] = fmt.Sprintf("%d %s", counts[t], t)
	}
	fmt.Fprintf(w, "format %s: %d rows converted: %s\n", res.Format, len(res.Rows), strings.Join(parts, ", "))
	for _, s := range res.Skipped {
		fmt.Fprintf(w, "line %d: skipped: %s\n", s.Line, s.Reason)
	}
	for typ, u := range res.Unknown {
		fmt.Fprintf(w, "unknown ioc_type %q: %d rows, e.g. %s\n", typ, u.Count, strings.Join(u.Examples, ", "))
	}
}

// openInput opens a file argument, with "-" meaning stdin.
func openInput(name string, stdin io.Reader) (io.Reader, func(), error) {
	if name == "-" {
		return stdin, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}
