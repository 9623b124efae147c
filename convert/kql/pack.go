package kql

import (
	"errors"
	"fmt"
	"strings"

	"github.com/stixgate/stixgate/convert/pattern"
)

// Indicator is one STIX indicator to put into a hunting pack.
type Indicator struct {
	ID      string
	Name    string
	Source  string // e.g. "ThreatFox - PureLogs Stealer"; written as a // Source: comment
	Pattern pattern.ObsExpr
}

// PackOptions control Pack; the embedded Options apply to the list hunts
// and to the faithful rendering of patterns that are not simple IOCs.
type PackOptions struct {
	Options
}

// PackError lists the indicators Pack refused. Pack returns it together
// with the queries it could build, so nothing is dropped silently.
type PackError struct {
	Refused []Refusal
}

// Refusal is one refused indicator and why.
type Refusal struct {
	ID  string
	Err error
}

func (e *PackError) Error() string {
	parts := make([]string, len(e.Refused))
	for i, r := range e.Refused {
		parts[i] = r.ID + ": " + r.Err.Error()
	}
	return fmt.Sprintf("kql: pack refused %d indicator(s): %s", len(e.Refused), strings.Join(parts, "; "))
}

// Unwrap exposes the individual refusals to errors.Is and errors.As.
func (e *PackError) Unwrap() []error {
	out := make([]error, len(e.Refused))
	for i, r := range e.Refused {
		out[i] = r.Err
	}
	return out
}

// iocList is one de-duplicated, insertion-ordered value list.
type iocList struct {
	values  []string
	seen    map[string]bool
	ids     []string
	idsSeen map[string]bool
}

// packState collects the simple IOCs of a pack.
type packState struct {
	lists   map[string]*iocList
	sources map[string][]string // kind → sources in order
	ports   []string            // "1011 (id)" notes
}

// Pack builds a hunting pack (an IOC sweep). Simple IOC patterns (an IP
// address, IP + port, domain, URL or file hash) are grouped into let lists
// and hunted once per table, as the PureLogs seed does. That is a named
// widening: an IP is matched in both directions and on every port, and the
// ports dropped are listed in each query's Notes. Every other pattern is
// rendered faithfully by Render as its own queries. Indicators Render
// refuses are reported in a *PackError returned with the queries.
func Pack(inds []Indicator, opts PackOptions) ([]Query, error) {
	r, err := newRenderer(opts.Options)
	if err != nil {
		return nil, err
	}
	st := &packState{lists: map[string]*iocList{}, sources: map[string][]string{}}
	var faithful []Query
	var refused []Refusal
	for _, ind := range inds {
		if ioc, ok := simpleIOC(r.m, ind.Pattern); ok {
			st.add(ioc, ind)
			continue
		}
		qs, err := renderIndicator(ind, opts.Options)
		if err != nil {
			refused = append(refused, Refusal{ID: ind.ID, Err: err})
			continue
		}
		faithful = append(faithful, qs...)
	}
	out := append(r.hunts(st), faithful...)
	refused = append(refused, r.unhunted(st)...)
	if len(refused) > 0 {
		return out, &PackError{Refused: refused}
	}
	return out, nil
}

// renderIndicator renders a pattern that is not a simple IOC faithfully,
// headed by comments naming the indicator and its source (sanitised).
func renderIndicator(ind Indicator, opts Options) ([]Query, error) {
	if ind.Pattern == nil {
		return nil, errors.New("kql: indicator without a pattern")
	}
	qs, err := Render(ind.Pattern, opts)
	var head []string
	if ind.Name != "" {
		head = append(head, comment("Indicator: "+ind.Name))
	}
	if ind.Source != "" {
		head = append(head, comment("Source: "+ind.Source))
	}
	for i := range qs {
		qs[i].Indicators = []string{ind.ID}
		qs[i].KQL = strings.Join(append(head[:len(head):len(head)], qs[i].KQL), "\n")
	}
	return qs, err
}

func (st *packState) add(ioc ioc, ind Indicator) {
	l := st.lists[ioc.kind]
	if l == nil {
		l = &iocList{seen: map[string]bool{}, idsSeen: map[string]bool{}}
		st.lists[ioc.kind] = l
	}
	if !l.seen[ioc.value] {
		l.seen[ioc.value] = true
		l.values = append(l.values, ioc.value)
	}
	if !l.idsSeen[ind.ID] {
		l.idsSeen[ind.ID] = true
		l.ids = append(l.ids, ind.ID)
	}
	if ind.Source != "" {
		st.sources[ioc.kind] = appendUnique(st.sources[ioc.kind], ind.Source)
	}
	if ioc.port != "" {
		st.ports = append(st.ports, ioc.port+" ("+ind.ID+")")
	}
}

// hunts writes one query per pack hunt whose table is selected and which
// has at least one list with values.
func (r *renderer) hunts(st *packState) []Query {
	var out []Query
	for _, h := range r.m.Pack.Hunts {
		t := r.m.Table(h.Table)
		if !r.selected(t) {
			continue
		}
		if q, ok := r.hunt(h, t, st); ok {
			out = append(out, q)
		}
	}
	return out
}

// unhunted refuses the simple IOCs of a kind that no selected table hunts
// (for example IPs when only DnsEvents is selected), so they are reported
// instead of silently missing from the pack.
func (r *renderer) unhunted(st *packState) []Refusal {
	covered := map[string]bool{}
	for _, h := range r.m.Pack.Hunts {
		if r.selected(r.m.Table(h.Table)) {
			for _, m := range h.Match {
				covered[m.Kind] = true
			}
		}
	}
	var out []Refusal
	for _, kind := range []string{"ip", "domain", "url", "md5", "sha1", "sha256"} {
		if l := st.lists[kind]; l != nil && !covered[kind] {
			for _, id := range l.ids {
				out = append(out, Refusal{ID: id, Err: unsupported("no table", 0, "no selected table hunts %s IOCs", kind)})
			}
		}
	}
	return out
}

func (r *renderer) selected(t *Table) bool {
	for _, s := range r.tables {
		if s == t {
			return true
		}
	}
	return false
}

func (r *renderer) hunt(h packHunt, t *Table, st *packState) (Query, bool) {
	var present []packMatch
	for _, m := range h.Match {
		if st.lists[m.Kind] != nil {
			present = append(present, m)
		}
	}
	if len(present) == 0 {
		return Query{}, false
	}
	lines := []string{comment(present[0].Title)}
	var sources, ids, kinds, tests []string
	idSeen := map[string]bool{}
	for _, m := range present {
		l := st.lists[m.Kind]
		sources = appendAll(sources, st.sources[m.Kind])
		for _, id := range l.ids {
			if !idSeen[id] {
				idSeen[id] = true
				ids = append(ids, id)
			}
		}
		if !contains(kinds, m.Kind) {
			kinds = append(kinds, m.Kind)
		}
		for _, c := range m.Columns {
			tests = append(tests, binop(c, m.Op, paren(r.m.Pack.Lists[m.Kind])))
		}
	}
	if h.CiteSource && len(sources) > 0 {
		lines = append(lines, comment("Source: "+strings.Join(sources, "; ")))
	}
	lines = append(lines, r.letLines()...)
	for _, k := range kinds {
		lines = append(lines, letStmt(r.m.Pack.Lists[k], dynamicList(quoteAll(st.lists[k].values))))
	}
	lines = append(lines, r.pipeline(t, strings.Join(tests, " "+kwOr+" "))...)
	lines = append(lines, "| order by "+t.OrderBy+" desc")
	r.notes = packNotes(present, kinds, st)
	q := r.newQuery([]*Table{t})
	q.KQL, q.Indicators = strings.Join(lines, "\n"), ids
	return q, true
}

func packNotes(present []packMatch, kinds []string, st *packState) []string {
	notes := []string{"IOC sweep (pack mode): indicators are reduced to their values and matched in every listed column, whatever the direction"}
	if contains(kinds, "ip") && len(st.ports) > 0 {
		notes = append(notes, "ports dropped from ip:port indicators (any port matches): "+strings.Join(st.ports, ", "))
	}
	for _, m := range present {
		switch m.Op {
		case opHasAny:
			notes = appendUnique(notes, "has_any on "+strings.Join(m.Columns, ", ")+" matches whole terms and ignores case, so sub-domains of a listed domain match too")
		case opInCI:
			notes = appendUnique(notes, "in~ on "+strings.Join(m.Columns, ", ")+" ignores case")
		}
	}
	return notes
}

func appendAll(list, more []string) []string {
	for _, s := range more {
		list = appendUnique(list, s)
	}
	return list
}
