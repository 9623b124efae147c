package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/stixgate/stixgate/convert/kql"
)

// writeOne renders one input and writes it in the chosen format; it reports
// whether the input rendered.
func (c *kqlCmd) writeOne(e *env, in kqlInput, opts kql.Options) bool {
	var qs []kql.Query
	err := in.Err
	if err == nil {
		qs, err = kql.Render(in.Expr, opts)
	}
	var ue *kql.UnsupportedError
	if errors.As(err, &ue) {
		ue.WithSource(in.Text)
	}
	switch c.Format {
	case "json":
		writeJSONLine(e, in, qs, err)
	case "yaml":
		if err == nil {
			err = kql.WriteYAML(e.Stdout, qs, kql.Meta{Name: in.ID})
		}
	default:
		if err == nil {
			fmt.Fprintln(e.Stdout, kql.Comment("Pattern: "+in.Text))
			err = kql.WriteText(e.Stdout, qs, kql.Meta{})
			fmt.Fprintln(e.Stdout)
		}
	}
	if err != nil {
		if c.Format != "json" {
			fmt.Fprintf(e.Stderr, "%s: %v\n", in.Source, err)
		}
		return false
	}
	return true
}

// jsonResult is one line of --format json.
type jsonResult struct {
	ID      string       `json:"id,omitempty"`
	Pattern string       `json:"pattern"`
	Queries []jsonQuery  `json:"queries,omitempty"`
	Error   *jsonFailure `json:"error,omitempty"`
}

type jsonQuery struct {
	Table string `json:"table"`
	KQL   string `json:"kql"`
}

type jsonFailure struct {
	Kind    string `json:"kind"` // syntax | invalid | unsupported
	Message string `json:"message"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
}

func writeJSONLine(e *env, in kqlInput, qs []kql.Query, err error) {
	res := jsonResult{ID: in.ID, Pattern: in.Text}
	if err != nil {
		kind, line, col := errorKind(err)
		res.Error = &jsonFailure{Kind: kind, Message: err.Error(), Line: line, Column: col}
	}
	for _, q := range qs {
		res.Queries = append(res.Queries, jsonQuery{Table: q.Table, KQL: q.KQL})
	}
	b, _ := json.Marshal(res) // plain strings and ints: cannot fail
	fmt.Fprintf(e.Stdout, "%s\n", b)
}

// writePack builds one pack from every input. Patterns that fail to parse
// or render are reported on stderr and set the exit status; the pack still
// holds everything else.
func (c *kqlCmd) writePack(e *env, stixIn *kql.STIXInput, inputs []kqlInput, opts kql.Options) error {
	var inds []kql.Indicator
	failed := 0
	for _, in := range inputs {
		if in.Err != nil {
			fmt.Fprintf(e.Stderr, "%s: %v\n", in.Source, in.Err)
			failed++
			continue
		}
		id := in.ID
		if id == "" {
			id = in.Source
		}
		inds = append(inds, kql.Indicator{ID: id, Pattern: in.Expr})
	}
	meta := kql.Meta{Name: "stixgate hunting pack"}
	if stixIn != nil {
		inds, meta = stixIn.Indicators, stixIn.Meta
	}
	qs, err := kql.Pack(inds, kql.PackOptions{Options: opts})
	var pe *kql.PackError
	if errors.As(err, &pe) {
		for _, r := range pe.Refused {
			fmt.Fprintf(e.Stderr, "%s: refused: %v\n", r.ID, r.Err)
		}
		failed += len(pe.Refused)
	} else if err != nil {
		return err
	}
	if err := writeQueries(e, c.Format, qs, meta); err != nil {
		return err
	}
	if failed > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%d indicator(s) left out of the pack", failed)}
	}
	return nil
}

func writeQueries(e *env, format string, qs []kql.Query, meta kql.Meta) error {
	switch format {
	case "json":
		return kql.WriteJSON(e.Stdout, qs)
	case "yaml":
		return kql.WriteYAML(e.Stdout, qs, meta)
	default:
		return kql.WriteText(e.Stdout, qs, meta)
	}
}

func sortedStrings(s []string) []string {
	sort.Strings(s)
	return s
}
