package threatfox

import (
	"bufio"
	"errors"
	"strconv"
	"strings"
)

// Column sets of the CSV export, used only when a file has no header line.
var (
	csvColumns15 = []string{"first_seen_utc", "ioc_id", "ioc_value", "ioc_type", "threat_type", "fk_malware",
		"malware_alias", "malware_printable", "last_seen_utc", "confidence_level", "is_compromised", "reference",
		"tags", "anonymous", "reporter"}
	csvColumns14 = append(append([]string{}, csvColumns15[:10]...), csvColumns15[11:]...)
)

// csvField names the columns the reader uses, in csvState.idx order.
var csvFields = [...]string{"ioc_id", "ioc_value", "ioc_type", "threat_type", "fk_malware", "malware_printable",
	"malware_alias", "first_seen_utc", "last_seen_utc", "confidence_level", "tags", "is_compromised", "reference",
	"reporter"}

// Indexes into csvFields.
const (
	fID = iota
	fValue
	fIOCType
	fThreatType
	fMalwareID
	fMalware
	fAliases
	fFirstSeen
	fLastSeen
	fConfidence
	fTags
	fCompromised
	fReference
	fReporter
)

// csvState is the CSV reader's header and counters.
type csvState struct {
	cols     map[string]int
	idx      [len(csvFields)]int // column of each csvFields entry, -1 if absent
	fields   []string            // reused per record: fields are substrings of the line
	lists    listCache
	ncols    int
	rows     int // data lines seen
	footer   int // "# Number of entries: N", -1 if absent
	footLine int
	guessed  bool
}

// readCSV reads the ThreatFox CSV export: '#' banner lines, a commented-out
// header, records of double-quoted fields separated by comma + space, and an
// optional "# Number of entries: N" footer. Columns are mapped by header name.
func readCSV(c *collector, r *bufio.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	st := csvState{footer: -1}
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
		case line[0] == '#':
			st.comment(c, n, line)
		default:
			st.rows++
			st.record(c, n, line)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			c.skip(n+1, "", "line longer than %d bytes; stopped reading", maxLine)
			return nil
		}
		return err
	}
	if st.footer >= 0 && st.footer != st.rows {
		c.warn(st.footLine, "", "footer says %d entries but the file has %d data lines", st.footer, st.rows)
	}
	return nil
}

func (st *csvState) comment(c *collector, n int, line string) {
	body := strings.TrimSpace(strings.TrimLeft(line, "#"))
	if v, ok := strings.CutPrefix(body, "Number of entries:"); ok {
		if k, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
			st.footer, st.footLine = k, n
		}
		return
	}
	if !strings.Contains(body, "ioc_value") {
		return // banner
	}
	fields, err := splitCSV(body)
	if err != nil {
		c.warn(n, line, "unreadable header line: %v", err)
		return
	}
	st.setHeader(fields)
}

func (st *csvState) setHeader(names []string) {
	st.cols = make(map[string]int, len(names))
	for i, h := range names {
		st.cols[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for j, name := range csvFields {
		st.idx[j] = -1
		if i, ok := st.cols[name]; ok {
			st.idx[j] = i
		}
	}
	st.ncols = len(names)
}

func (st *csvState) record(c *collector, n int, line string) {
	fields, err := appendCSV(st.fields[:0], line)
	st.fields = fields
	if err != nil {
		c.skip(n, line, "malformed csv: %v", err)
		return
	}
	if st.cols == nil && !st.guessed {
		st.guessHeader(c, n, len(fields))
	}
	if len(fields) != st.ncols {
		c.skip(n, line, "row has %d fields, header has %d", len(fields), st.ncols)
		return
	}
	var v [len(csvFields)]string
	for j, i := range st.idx {
		if i >= 0 {
			v[j] = fields[i]
		}
	}
	c.add(raw{
		line: n, id: v[fID], value: v[fValue], iocType: v[fIOCType], threatType: v[fThreatType],
		malwareID: v[fMalwareID], malware: v[fMalware], aliases: st.lists.split(v[fAliases]),
		firstSeen: v[fFirstSeen], lastSeen: v[fLastSeen], confidence: v[fConfidence],
		tags: st.lists.split(v[fTags]), compromised: v[fCompromised], reference: v[fReference],
		reporter: v[fReporter],
	})
}

// guessHeader assumes ThreatFox's column order when a file has lost its
// header line, by field count, and says so.
func (st *csvState) guessHeader(c *collector, n, fields int) {
	st.guessed = true
	switch fields {
	case 15:
		st.setHeader(csvColumns15)
	case 14:
		st.setHeader(csvColumns14)
	default:
		return
	}
	c.warn(n, "", "no header line; assuming the ThreatFox %d-column order", fields)
}

// errCSV describes a malformed record.
type errCSV string

func (e errCSV) Error() string { return string(e) }

// splitCSV splits one record: fields separated by ',' plus optional spaces,
// each either "quoted" (with "" for a quote) or bare. Quoted fields that
// span lines are not supported: the export never has them.
func splitCSV(line string) ([]string, error) {
	return appendCSV(make([]string, 0, 16), line)
}

// appendCSV is splitCSV appending to fields, so a reader can reuse one
// slice for every record.
func appendCSV(fields []string, line string) ([]string, error) {
	i := 0
	for {
		for i < len(line) && line[i] == ' ' {
			i++
		}
		var f string
		var err error
		if i < len(line) && line[i] == '"' {
			f, i, err = quotedField(line, i+1)
			if err != nil {
				return nil, err
			}
		} else {
			j := strings.IndexByte(line[i:], ',')
			if j < 0 {
				j = len(line) - i
			}
			f = strings.TrimSpace(line[i : i+j])
			if strings.IndexByte(f, '"') >= 0 {
				return nil, errCSV("bare quote in unquoted field at column " + strconv.Itoa(i+1))
			}
			i += j
		}
		fields = append(fields, f)
		if i >= len(line) {
			return fields, nil
		}
		i++ // the comma
	}
}

// quotedField reads from just after an opening quote to the comma (or end)
// after its closing quote.
func quotedField(line string, i int) (string, int, error) {
	var b strings.Builder
	start := i
	for {
		j := strings.IndexByte(line[i:], '"')
		if j < 0 {
			return "", 0, errCSV("unterminated quoted field at column " + strconv.Itoa(start))
		}
		i += j
		if i+1 < len(line) && line[i+1] == '"' {
			b.WriteString(line[start : i+1])
			i += 2
			start = i
			continue
		}
		var f string
		if b.Len() == 0 {
			f = line[start:i]
		} else {
			b.WriteString(line[start:i])
			f = b.String()
		}
		i++
		for i < len(line) && line[i] == ' ' {
			i++
		}
		if i < len(line) && line[i] != ',' {
			return "", 0, errCSV("unexpected " + strconv.QuoteRune(rune(line[i])) + " after closing quote at column " + strconv.Itoa(i+1))
		}
		return f, i, nil
	}
}
