package kql

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/stixgate/stixgate/convert/pattern"
)

//go:embed mappings.json
var embeddedMappings []byte

// defaultMapping parses the embedded data once. It is immutable after
// loading, so sharing it is safe; the sync.OnceValues keeps per-call
// rendering free of JSON decoding.
var defaultMapping = sync.OnceValues(func() (*Mapping, error) { return LoadMapping(embeddedMappings) })

// DefaultMapping returns the embedded STIX path → Sentinel column mapping.
func DefaultMapping() (*Mapping, error) { return defaultMapping() }

// Mapping says which Sentinel tables (and ASIM parser functions) can carry
// which STIX object paths, in which columns. It is data (mappings.json),
// validated when loaded.
type Mapping struct {
	Aliases map[string]string `json:"aliases"`
	Tables  []*Table          `json:"tables"`
	Pack    packSpec          `json:"pack"`
	byName  map[string]*Table
}

// Table is one Sentinel table or ASIM parser function.
type Table struct {
	Name        string                 `json:"name"`
	Function    bool                   `json:"function"` // an ASIM parser, invoked as Name()
	ConnectorID string                 `json:"connector_id"`
	Connector   string                 `json:"connector"`
	TimeColumn  string                 `json:"time_column"`
	Project     []string               `json:"project"`
	OrderBy     string                 `json:"order_by"`
	Columns     map[string]string      `json:"columns"` // column → KQL type
	Paths       map[string][]ColumnRef `json:"paths"`   // canonical STIX path → columns
	Exclusions  exclusionColumns       `json:"exclusions"`
	Entities    []Entity               `json:"entities"`
}

// ColumnRef is one column that holds a STIX path.
type ColumnRef struct {
	Column string `json:"column"`
	// Case is "ci" when equality ignores case (hashes, domains, e-mail
	// addresses, IPv6 text); empty means case-sensitive, as STIX is.
	Case string `json:"case"`
	// Kind is "ip" for IP-address columns (ISSUBSET, ISSUPERSET) or
	// "ip_family" when the STIX path is a *_ref.type tested through the
	// address's family.
	Kind string `json:"kind"`
	typ  string
}

// Entity is a Sentinel entity mapping for the hunting-query YAML.
type Entity struct {
	Type       string `json:"type"`
	Identifier string `json:"identifier"`
	Column     string `json:"column"`
}

type exclusionColumns struct {
	ProcessNames   []string `json:"process_names"`
	Accounts       []string `json:"accounts"`
	InternalRanges []string `json:"internal_ranges"`
}

type packSpec struct {
	Lists map[string]string `json:"lists"` // IOC kind → let name
	Hunts []packHunt        `json:"hunts"`
}

type packHunt struct {
	Table      string      `json:"table"`
	CiteSource bool        `json:"cite_source"`
	Match      []packMatch `json:"match"`
}

type packMatch struct {
	Kind    string   `json:"kind"`
	Title   string   `json:"title"`
	Columns []string `json:"columns"`
	Op      string   `json:"op"`
}

var knownTypes = map[string]bool{
	"string": true, "int": true, "long": true, "real": true, "bool": true, "datetime": true,
}

var packKinds = map[string]bool{"ip": true, "domain": true, "url": true, "md5": true, "sha1": true, "sha256": true}

// LoadMapping parses and validates mapping data: every referenced column is
// declared with a known type, names are safe KQL identifiers, and kinds,
// case rules and pack operators come from closed sets.
func LoadMapping(data []byte) (*Mapping, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Mapping
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("kql: decode mapping: %w", err)
	}
	m.byName = make(map[string]*Table, len(m.Tables))
	for _, t := range m.Tables {
		if err := t.validate(); err != nil {
			return nil, fmt.Errorf("kql: mapping table %s: %w", t.Name, err)
		}
		if m.byName[t.Name] != nil {
			return nil, fmt.Errorf("kql: mapping table %s: duplicate", t.Name)
		}
		m.byName[t.Name] = t
	}
	if err := m.validatePack(); err != nil {
		return nil, fmt.Errorf("kql: mapping pack: %w", err)
	}
	return &m, nil
}

func (t *Table) validate() error {
	if !validIdent(t.Name) {
		return fmt.Errorf("bad table name %q", t.Name)
	}
	for c, typ := range t.Columns {
		if !validIdent(c) || !knownTypes[typ] {
			return fmt.Errorf("column %q: bad name or unknown type %q", c, typ)
		}
	}
	if t.Columns[t.TimeColumn] != "datetime" {
		return fmt.Errorf("time column %q is not a declared datetime column", t.TimeColumn)
	}
	refs := append(append([]string{t.OrderBy}, t.Project...), t.Exclusions.all()...)
	for _, e := range t.Entities {
		refs = append(refs, e.Column)
	}
	if err := t.checkColumns(refs); err != nil {
		return err
	}
	return t.validatePaths()
}

func (t *Table) validatePaths() error {
	for path, refs := range t.Paths {
		if len(refs) == 0 {
			return fmt.Errorf("path %s: no columns", path)
		}
		for i := range refs {
			r := &refs[i]
			if err := t.checkColumns([]string{r.Column}); err != nil {
				return fmt.Errorf("path %s: %w", path, err)
			}
			r.typ = t.Columns[r.Column]
			if r.Case != "" && r.Case != "ci" {
				return fmt.Errorf("path %s: unknown case rule %q", path, r.Case)
			}
			if r.Kind != "" && (r.Kind != "ip" && r.Kind != "ip_family" || r.typ != "string") {
				return fmt.Errorf("path %s: bad kind %q for %s column", path, r.Kind, r.typ)
			}
		}
	}
	return nil
}

func (t *Table) checkColumns(cols []string) error {
	for _, c := range cols {
		if _, ok := t.Columns[c]; !ok {
			return fmt.Errorf("column %q is not declared", c)
		}
	}
	return nil
}

func (e exclusionColumns) all() []string {
	return append(append(append([]string{}, e.ProcessNames...), e.Accounts...), e.InternalRanges...)
}

func (m *Mapping) validatePack() error {
	for kind, name := range m.Pack.Lists {
		if !packKinds[kind] || !validIdent(name) {
			return fmt.Errorf("list %s: unknown kind or bad name %q", kind, name)
		}
	}
	for _, h := range m.Pack.Hunts {
		t := m.byName[h.Table]
		if t == nil {
			return fmt.Errorf("hunt: unknown table %s", h.Table)
		}
		for _, mt := range h.Match {
			if m.Pack.Lists[mt.Kind] == "" {
				return fmt.Errorf("hunt %s: kind %q has no list", h.Table, mt.Kind)
			}
			if mt.Op != opIn && mt.Op != opInCI && mt.Op != opHasAny {
				return fmt.Errorf("hunt %s: operator %q not allowed", h.Table, mt.Op)
			}
			if err := t.checkColumns(mt.Columns); err != nil {
				return fmt.Errorf("hunt %s: %w", h.Table, err)
			}
		}
	}
	return nil
}

// Table returns the named table or ASIM function, or nil.
func (m *Mapping) Table(name string) *Table { return m.byName[name] }

// TableNames lists the mapped tables in mapping order.
func (m *Mapping) TableNames() []string {
	out := make([]string, len(m.Tables))
	for i, t := range m.Tables {
		out[i] = t.Name
	}
	return out
}

// mapped reports whether any table maps the canonical path.
func (m *Mapping) mapped(key string) bool {
	for _, t := range m.Tables {
		if len(t.Paths[key]) > 0 {
			return true
		}
	}
	return false
}

// source is how the table is invoked in a query.
func (t *Table) source() string { return sourceName(t.Name, t.Function) }

// PathKey is the canonical text of an object path used as the mapping key:
// keys joined by ".", without quotes, "[*]" and "[n]" for indexes, e.g.
// file:hashes.SHA-256 or windows-registry-key:values[*].name.
func PathKey(p *pattern.ObjectPath) string {
	var b strings.Builder
	b.WriteString(p.ObjectType)
	b.WriteByte(':')
	for i, s := range p.Steps {
		switch s.Kind {
		case pattern.StepKey:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.Key)
		case pattern.StepAnyIndex:
			b.WriteString("[*]")
		case pattern.StepIndex:
			b.WriteString("[" + strconv.FormatInt(s.Index, 10) + "]")
		}
	}
	return b.String()
}

// canonical applies the alias table (file:hashes.SHA1 → file:hashes.SHA-1).
func (m *Mapping) canonical(p *pattern.ObjectPath) string {
	k := PathKey(p)
	if a, ok := m.Aliases[k]; ok {
		return a
	}
	return k
}

// MappedPaths lists every canonical path some table maps, sorted.
func (m *Mapping) MappedPaths() []string {
	seen := map[string]bool{}
	for _, t := range m.Tables {
		for p := range t.Paths {
			seen[p] = true
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
