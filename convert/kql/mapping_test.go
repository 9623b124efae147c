package kql

import (
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"
)

// schemaCopy is the part of kqlcheck's sentinel-schema.json that the
// mapping uses, copied so the test does not depend on ../shared. -update
// refreshes it from -schema when that file exists.
const schemaCopy = kqlDir + "/sentinel-schema.json"

var sharedSchema = flag.String("schema", "../../../shared/tools/kqlcheck/sentinel-schema.json", "kqlcheck's Sentinel schema (source for -update)")

type schemaEntry struct {
	Name       string            `json:"name"`
	Source     string            `json:"source,omitempty"`
	Open       bool              `json:"open,omitempty"`
	Parameters json.RawMessage   `json:"parameters,omitempty"`
	Columns    map[string]string `json:"columns"`
}

type schemaFile struct {
	Database  string        `json:"database"`
	Tables    []schemaEntry `json:"tables"`
	Functions []schemaEntry `json:"functions"`
}

func mustMapping(tb testing.TB) *Mapping {
	tb.Helper()
	m, err := DefaultMapping()
	if err != nil {
		tb.Fatalf("DefaultMapping() = %v", err)
	}
	return m
}

func readSchema(tb testing.TB, path string) schemaFile {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var s schemaFile
	if err := json.Unmarshal(b, &s); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return s
}

// refreshSchemaCopy rewrites the copy with the mapped tables and functions.
func refreshSchemaCopy(tb testing.TB, m *Mapping) {
	tb.Helper()
	if _, err := os.Stat(*sharedSchema); err != nil {
		tb.Logf("-update: %s not found, keeping %s", *sharedSchema, schemaCopy)
		return
	}
	full := readSchema(tb, *sharedSchema)
	out := schemaFile{Database: full.Database}
	keep := func(list []schemaEntry, function bool) []schemaEntry {
		var kept []schemaEntry
		for _, e := range list {
			if t := m.Table(e.Name); t != nil && t.Function == function {
				kept = append(kept, e)
			}
		}
		return kept
	}
	out.Tables, out.Functions = keep(full.Tables, false), keep(full.Functions, true)
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(schemaCopy, append(b, '\n'), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// TestMappingMatchesSchema checks every table, function, column and type in
// mappings.json against kqlcheck's Sentinel schema.
func TestMappingMatchesSchema(t *testing.T) {
	m := mustMapping(t)
	if *update {
		refreshSchemaCopy(t, m)
	}
	s := readSchema(t, schemaCopy)
	index := map[string]schemaEntry{}
	for _, e := range s.Tables {
		index["table "+e.Name] = e
	}
	for _, e := range s.Functions {
		index["function "+e.Name] = e
	}
	for _, tbl := range m.Tables {
		kind := map[bool]string{false: "table ", true: "function "}[tbl.Function]
		e, ok := index[kind+tbl.Name]
		if !ok {
			t.Errorf("%s%s is not in the schema", kind, tbl.Name)
			continue
		}
		for col, typ := range tbl.Columns {
			if got, ok := e.Columns[col]; !ok || got != typ {
				t.Errorf("%s.%s: mapping says %q, schema says %q (present %v)", tbl.Name, col, typ, got, ok)
			}
		}
	}
}

func TestLoadMappingRejects(t *testing.T) {
	good := string(embeddedMappings)
	tests := map[string]string{
		"unknown field":   strings.Replace(good, `"aliases"`, `"aliasez"`, 1),
		"undeclared col":  strings.Replace(good, `"column": "SourceIP", "kind": "ip"}`, `"column": "NoSuchColumn", "kind": "ip"}`, 1),
		"bad type":        strings.Replace(good, `"DestinationPort": "int"`, `"DestinationPort": "integer"`, 1),
		"bad case":        strings.Replace(good, `"case": "ci"`, `"case": "insensitive"`, 1),
		"bad kind":        strings.Replace(good, `"kind": "ip"`, `"kind": "ipaddr"`, 1),
		"keyword column":  strings.Replace(good, `"Activity": "string"`, `"let": "string"`, 1),
		"bad pack op":     strings.Replace(good, `"op": "has_any"`, `"op": "contains"`, 1),
		"bad time column": strings.Replace(good, `"time_column": "TimeGenerated"`, `"time_column": "SourceIP"`, 1),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			if data == good {
				t.Fatal("replacement did not apply")
			}
			if _, err := LoadMapping([]byte(data)); err == nil {
				t.Errorf("LoadMapping(%s) = nil error, want error", name)
			}
		})
	}
}

// TestMappingNo20Names: STIX 2.0 property names must not be mapped (B10.16).
func TestMappingNo20Names(t *testing.T) {
	old20 := map[string]bool{"file:created": true, "file:modified": true, "file:accessed": true, "process:created": true, "process:name": true}
	for _, p := range mustMapping(t).MappedPaths() {
		typ, rest, _ := strings.Cut(p, ":")
		steps := strings.FieldsFunc(rest, func(r rune) bool { return r == '.' || r == '[' })
		if old20[typ+":"+steps[0]] {
			t.Errorf("mapped path %s uses the STIX 2.0 property %s:%s", p, typ, steps[0])
		}
		for _, s := range steps {
			if s == "contents_ref" || s == "binary_ref" {
				t.Errorf("mapped path %s uses the STIX 2.0 reference %s", p, s)
			}
		}
	}
}
