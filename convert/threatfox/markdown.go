package threatfox

import (
	"bufio"
	"errors"
	"strconv"
	"strings"
)

const maxLine = 1 << 20

// summary is a report's "Malware Family: … Total IOCs: n IOC Types: …" line.
type summary struct {
	line   int
	text   string
	family string
	total  int // -1 when absent or unreadable
	types  []string
}

// mdTable is the IOC table being read: column index by header name.
type mdTable struct {
	cols    map[string]int
	ncols   int
	sum     *summary
	rows    int
	types   map[string]bool
	started bool // separator line seen
}

// readMarkdown reads report tables like the PureLogs seed: a summary line,
// then a | Type | Value | Threat Type | First Seen | Confidence | table.
// Tables whose header lacks Type and Value (e.g. "| Sentinel Table |") are
// ignored; so is every line outside a table.
func readMarkdown(c *collector, r *bufio.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var sum *summary
	var tab *mdTable
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if tab != nil && !strings.HasPrefix(line, "|") {
			c.endTable(tab, n)
			tab = nil
		}
		switch {
		case strings.Contains(line, "Malware Family:"):
			sum = parseSummary(n, line)
		case tab != nil:
			c.tableLine(tab, n, line)
		case strings.HasPrefix(line, "|"):
			if tab = newTable(line, sum); tab != nil {
				sum = nil
			}
		}
	}
	if tab != nil {
		c.endTable(tab, n+1)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			c.skip(n+1, "", "line longer than %d bytes; stopped reading", maxLine)
			return nil
		}
		return err
	}
	return nil
}

func parseSummary(n int, line string) *summary {
	s := &summary{line: n, text: line, total: -1}
	rest := line[strings.Index(line, "Malware Family:")+len("Malware Family:"):]
	name, after, _ := strings.Cut(rest, "Total IOCs:")
	s.family = strings.TrimSpace(name)
	count, types, _ := strings.Cut(after, "IOC Types:")
	if v, err := strconv.Atoi(strings.TrimSpace(count)); err == nil {
		s.total = v
	}
	for _, t := range strings.Split(types, ",") {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
			s.types = append(s.types, t)
		}
	}
	return s
}

// newTable returns nil unless the header names a Type and a Value column.
func newTable(header string, sum *summary) *mdTable {
	cells := splitCells(header)
	cols := make(map[string]int, len(cells))
	for i, h := range cells {
		cols[strings.ToLower(strings.Join(strings.Fields(h), " "))] = i
	}
	if _, ok := cols["type"]; !ok {
		return nil
	}
	if _, ok := cols["value"]; !ok {
		return nil
	}
	return &mdTable{cols: cols, ncols: len(cells), sum: sum, types: map[string]bool{}}
}

func (c *collector) tableLine(t *mdTable, n int, line string) {
	cells := splitCells(line)
	if !t.started && isSeparator(cells) {
		t.started = true
		return
	}
	t.rows++
	if len(cells) != t.ncols {
		c.skip(n, line, "table row has %d cells, header has %d", len(cells), t.ncols)
		return
	}
	r := raw{line: n}
	get := func(names ...string) string {
		for _, name := range names {
			if i, ok := t.cols[name]; ok {
				return cells[i]
			}
		}
		return ""
	}
	r.iocType, r.value = get("type", "ioc type"), get("value", "ioc", "ioc value")
	r.threatType, r.firstSeen = get("threat type"), get("first seen")
	r.confidence, r.lastSeen = get("confidence", "confidence level"), get("last seen")
	r.id, r.reference = get("id", "ioc id"), get("reference")
	r.malware, r.tags = get("malware", "malware family", "family"), splitList(get("tags"))
	if r.malware == "" && t.sum != nil {
		r.malware = t.sum.family
	}
	t.types[strings.ToLower(strings.TrimSpace(r.iocType))] = true
	c.add(r)
}

// endTable checks the summary's "Total IOCs" and "IOC Types" against what
// the table held.
func (c *collector) endTable(t *mdTable, n int) {
	s := t.sum
	if s == nil {
		return
	}
	if s.total >= 0 && s.total != t.rows {
		c.warn(s.line, s.text, "summary says Total IOCs: %d but the table has %d rows", s.total, t.rows)
	}
	if s.total < 0 {
		c.warn(s.line, s.text, "summary has no readable Total IOCs")
	}
	for _, typ := range s.types {
		if !t.types[typ] {
			c.warn(s.line, s.text, "summary lists IOC type %q but the table has none", typ)
		}
	}
}

// splitCells splits "| a | b |" into trimmed cells. "\|" is a literal pipe;
// a cell wrapped in backticks is unwrapped.
func splitCells(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	if strings.HasSuffix(line, "|") && !strings.HasSuffix(line, `\|`) {
		line = line[:len(line)-1]
	}
	var cells []string
	var b strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			b.WriteByte('|')
			i++
		case line[i] == '|':
			cells = append(cells, cell(b.String()))
			b.Reset()
		default:
			b.WriteByte(line[i])
		}
	}
	return append(cells, cell(b.String()))
}

func cell(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '`' && s[len(s)-1] == '`' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

func isSeparator(cells []string) bool {
	for _, c := range cells {
		c = strings.Trim(c, ":")
		if c == "" || strings.Trim(c, "-") != "" {
			return false
		}
	}
	return true
}
