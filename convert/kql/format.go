package kql

import (
	"bufio"
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Meta describes a set of queries for the text and YAML formats. The CLI
// and the HTTP API both call these writers, so their output is identical.
type Meta struct {
	Name        string   // e.g. "PureLogs Stealer IOC sweep"
	Description string   // free text; sanitised where it becomes a comment
	Tactics     []string // MITRE ATT&CK tactics, e.g. "CommandAndControl"
	Techniques  []string // e.g. "T1071"
}

// WriteText writes every query headed by comments naming its table, the
// Sentinel data connector it needs and any deliberate widening (Notes),
// separated by blank lines. The query text itself is unchanged.
func WriteText(w io.Writer, queries []Query, meta Meta) error {
	bw := bufio.NewWriter(w)
	if meta.Name != "" {
		fmt.Fprintf(bw, "%s\n\n", comment(meta.Name))
	}
	for i, q := range queries {
		if i > 0 {
			bw.WriteString("\n")
		}
		for _, line := range textHeader(q) {
			bw.WriteString(line + "\n")
		}
		bw.WriteString(q.KQL + "\n")
	}
	return bw.Flush()
}

func textHeader(q Query) []string {
	lines := []string{comment("Table: " + q.Table)}
	conn := "Data connector: " + q.Connector
	if q.ConnectorID != "" {
		conn += " (" + q.ConnectorID + ")"
	}
	lines = append(lines, comment(conn+" - ensure it is enabled"))
	for _, n := range q.Notes {
		lines = append(lines, comment("Note: "+n))
	}
	if len(q.Indicators) > 0 {
		lines = append(lines, comment("Indicators: "+strings.Join(q.Indicators, ", ")))
	}
	return lines
}

// jsonQuery is the JSON shape: [{table, connector, kql, indicators}].
type jsonQuery struct {
	Table      string   `json:"table"`
	Connector  string   `json:"connector"`
	KQL        string   `json:"kql"`
	Indicators []string `json:"indicators"`
	Notes      []string `json:"notes,omitempty"`
}

// WriteJSON writes the queries as a JSON array (indicators is never null).
func WriteJSON(w io.Writer, queries []Query) error {
	out := make([]jsonQuery, len(queries))
	for i, q := range queries {
		ids := q.Indicators
		if ids == nil {
			ids = []string{}
		}
		out[i] = jsonQuery{q.Table, q.Connector, q.KQL, ids, q.Notes}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// WriteYAML writes one Sentinel hunting-query YAML document per query, in
// the Azure-Sentinel repository layout (id, name, description,
// requiredDataConnectors, tactics, relevantTechniques, query,
// entityMappings), separated by "---". Scalars are JSON-encoded strings,
// which are valid YAML double-quoted scalars; the query is a literal block.
// The id is a UUIDv5 over meta.Name, the table and the covered indicators
// (or the query text), so re-running on the same input yields the same ids.
func WriteYAML(w io.Writer, queries []Query, meta Meta) error {
	bw := bufio.NewWriter(w)
	for i, q := range queries {
		if i > 0 {
			bw.WriteString("---\n")
		}
		writeYAMLDoc(bw, q, meta)
	}
	return bw.Flush()
}

func writeYAMLDoc(w *bufio.Writer, q Query, meta Meta) {
	name := q.Table
	if meta.Name != "" {
		name = meta.Name + " - " + q.Table
	}
	desc := meta.Description
	for _, n := range q.Notes {
		desc = strings.TrimSpace(desc + "\nNote: " + n)
	}
	fmt.Fprintf(w, "id: %s\n", queryID(meta.Name, q))
	fmt.Fprintf(w, "name: %s\n", yamlString(name))
	fmt.Fprintf(w, "description: %s\n", yamlString(desc))
	writeConnectors(w, q)
	writeList(w, "tactics", meta.Tactics)
	writeList(w, "relevantTechniques", meta.Techniques)
	w.WriteString("query: |\n")
	for _, line := range strings.Split(q.KQL, "\n") {
		if line == "" {
			w.WriteString("\n")
			continue
		}
		w.WriteString("  " + line + "\n")
	}
	writeEntities(w, q)
}

func writeConnectors(w *bufio.Writer, q Query) {
	byID := map[string][]string{}
	var ids []string
	for _, t := range q.tables {
		if t.ConnectorID == "" {
			continue
		}
		if byID[t.ConnectorID] == nil {
			ids = append(ids, t.ConnectorID)
		}
		byID[t.ConnectorID] = appendUnique(byID[t.ConnectorID], t.Name)
	}
	if len(ids) == 0 {
		w.WriteString("requiredDataConnectors: []\n")
		return
	}
	w.WriteString("requiredDataConnectors:\n")
	for _, id := range ids {
		fmt.Fprintf(w, "  - connectorId: %s\n    dataTypes:\n", yamlString(id))
		for _, dt := range byID[id] {
			fmt.Fprintf(w, "      - %s\n", yamlString(dt))
		}
	}
}

func writeList(w *bufio.Writer, key string, items []string) {
	if len(items) == 0 {
		fmt.Fprintf(w, "%s: []\n", key)
		return
	}
	fmt.Fprintf(w, "%s:\n", key)
	for _, it := range items {
		fmt.Fprintf(w, "  - %s\n", yamlString(it))
	}
}

// writeEntities maps the entity columns a single-table query projects.
func writeEntities(w *bufio.Writer, q Query) {
	if len(q.tables) != 1 {
		return
	}
	t := q.tables[0]
	var ents []Entity
	for _, e := range t.Entities {
		if strings.Contains(q.KQL, "| project ") && projects(q.KQL, e.Column) {
			ents = append(ents, e)
		}
	}
	if len(ents) == 0 {
		return
	}
	w.WriteString("entityMappings:\n")
	for _, e := range ents {
		fmt.Fprintf(w, "  - entityType: %s\n    fieldMappings:\n      - identifier: %s\n        columnName: %s\n",
			yamlString(e.Type), yamlString(e.Identifier), yamlString(e.Column))
	}
}

// projects reports whether the query's last project stage lists col.
func projects(kql, col string) bool {
	i := strings.LastIndex(kql, "| project ")
	line := kql[i+len("| project "):]
	if j := strings.IndexByte(line, '\n'); j >= 0 {
		line = line[:j]
	}
	for _, c := range strings.Split(line, ",") {
		if strings.TrimSpace(c) == col {
			return true
		}
	}
	return false
}

// yamlString writes s as a YAML double-quoted scalar. JSON's string syntax
// is a subset of YAML's double-quoted style (JSON escapes U+2028/U+2029
// and control characters, which YAML accepts).
func yamlString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// idNamespace is stixgate's UUIDv5 namespace for hunting-query ids.
var idNamespace = [16]byte{0x6b, 0x9e, 0x2f, 0x51, 0x0c, 0x3a, 0x4d, 0x7e, 0x93, 0x1f, 0x58, 0x2d, 0xa4, 0x60, 0xc7, 0x1b}

// queryID is a deterministic UUIDv5 (RFC 9562 §5.5) over a stable key: the
// pack name, the table and the sorted indicator ids, or the query text when
// no indicator is attached. Re-running a pack keeps its ids; give packs
// that must coexist (e.g. with and without exclusions) different names.
func queryID(name string, q Query) string {
	key := name + "\n" + q.Table + "\n"
	if len(q.Indicators) > 0 {
		ids := append([]string(nil), q.Indicators...)
		sort.Strings(ids)
		key += strings.Join(ids, "\n")
	} else {
		key += q.KQL
	}
	return uuid5(idNamespace, key)
}

func uuid5(ns [16]byte, name string) string {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}
