package threatfox

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// maxJSON bounds the JSON input held in memory; the recent export is far
// smaller.
const maxJSON = 512 << 20

// jsonReader walks a JSON document with a token decoder so that every record
// is reported with the line it starts on.
type jsonReader struct {
	c   *collector
	buf []byte
	dec *json.Decoder
	// line bookkeeping: lineAt is called with increasing offsets.
	lastOff, lastLine int
}

// readJSON reads an API response ({"query_status":…,"data":[…]} or the older
// data-keyed-by-date shape), a bare array of API records, or the JSON export
// (an object keyed by IOC id whose values are arrays of records).
func readJSON(c *collector, r *bufio.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, maxJSON+1))
	if err != nil {
		return err
	}
	if len(data) > maxJSON {
		c.skip(0, "", "json input larger than %d bytes", maxJSON)
		return nil
	}
	j := &jsonReader{c: c, buf: data, dec: json.NewDecoder(bytes.NewReader(data)), lastLine: 1}
	if err := j.document(); err != nil {
		off := int(j.dec.InputOffset())
		var se *json.SyntaxError
		if errors.As(err, &se) && se.Offset > 0 {
			off = int(se.Offset) - 1
		}
		c.skip(j.lineAt(off), "", "malformed json: %v", err)
	}
	return nil
}

func (j *jsonReader) document() error {
	tok, err := j.dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('['):
		j.c.res.Format = FormatAPI
		return j.records("")
	case json.Delim('{'):
		return j.object()
	}
	return fmt.Errorf("top level is %v, want an object or an array", tok)
}

// object reads the top-level object: API keys, or export ids.
func (j *jsonReader) object() error {
	for j.dec.More() {
		key, err := j.key()
		if err != nil {
			return err
		}
		switch key {
		case "query_status":
			j.c.res.Format = FormatAPI
			err = j.status()
		case "data":
			j.c.res.Format = FormatAPI
			err = j.data()
		default:
			err = j.exportEntry(key)
		}
		if err != nil {
			return err
		}
	}
	_, err := j.dec.Token()
	return err
}

func (j *jsonReader) key() (string, error) {
	tok, err := j.dec.Token()
	if err != nil {
		return "", err
	}
	k, ok := tok.(string)
	if !ok {
		return "", fmt.Errorf("expected an object key, found %v", tok)
	}
	return k, nil
}

func (j *jsonReader) status() error {
	line := j.nextLine()
	var s flexString
	if err := j.dec.Decode(&s); err != nil {
		return err
	}
	switch s {
	case "ok":
	case "no_result":
		j.c.warn(line, string(s), "api query_status no_result: no IOCs")
	default:
		j.c.skip(line, string(s), "api query_status is %q, not ok", string(s))
	}
	return nil
}

// data reads "data": an array of records, an object keyed by date whose
// values are arrays (older shape), or a message string.
func (j *jsonReader) data() error {
	line := j.nextLine()
	tok, err := j.dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('['):
		return j.records("")
	case json.Delim('{'):
		return j.keyedArrays()
	}
	if s, ok := tok.(string); ok {
		j.c.warn(line, s, "api data is a message, not a list of IOCs")
		return nil
	}
	j.c.skip(line, fmt.Sprint(tok), "api data is not a list of IOCs")
	return nil
}

// exportEntry reads one "<id>": [records] pair of the JSON export.
func (j *jsonReader) exportEntry(id string) error {
	line := j.nextLine()
	if j.peekByte() != '[' {
		var skip json.RawMessage
		if err := j.dec.Decode(&skip); err != nil {
			return err
		}
		j.c.skip(line, id, "export entry %q is not an array of records", id)
		return nil
	}
	if _, err := j.dec.Token(); err != nil {
		return err
	}
	return j.records(id)
}

// keyedArrays reads {"<date>": [records], …}; ids come from the records.
func (j *jsonReader) keyedArrays() error {
	for j.dec.More() {
		if _, err := j.key(); err != nil {
			return err
		}
		if err := j.exportEntry(""); err != nil {
			return err
		}
	}
	_, err := j.dec.Token()
	return err
}

// records reads array elements up to and including the closing ']'.
func (j *jsonReader) records(id string) error {
	for j.dec.More() {
		line := j.nextLine()
		// Decode the raw value first: a decoder error is sticky (the caller
		// must stop), while a field of the wrong type only skips the record.
		var rawRec json.RawMessage
		if err := j.dec.Decode(&rawRec); err != nil {
			return err
		}
		if rawRec[0] != '{' {
			j.c.skip(line, clip(string(rawRec)), "record is not a json object")
			continue
		}
		var r record
		if err := json.Unmarshal(rawRec, &r); err != nil {
			j.c.skip(line, "", "bad record: %v", err)
			continue
		}
		j.c.add(r.raw(line, id))
	}
	_, err := j.dec.Token()
	return err
}

// nextLine is the line of the next value's first byte.
func (j *jsonReader) nextLine() int {
	off := int(j.dec.InputOffset())
	for off < len(j.buf) && bytes.IndexByte([]byte(" \t\r\n,:"), j.buf[off]) >= 0 {
		off++
	}
	return j.lineAt(off)
}

func (j *jsonReader) peekByte() byte {
	off := int(j.dec.InputOffset())
	for off < len(j.buf) && bytes.IndexByte([]byte(" \t\r\n,:"), j.buf[off]) >= 0 {
		off++
	}
	if off < len(j.buf) {
		return j.buf[off]
	}
	return 0
}

func (j *jsonReader) lineAt(off int) int {
	if off > len(j.buf) {
		off = len(j.buf)
	}
	if off < j.lastOff {
		j.lastOff, j.lastLine = 0, 1
	}
	j.lastLine += bytes.Count(j.buf[j.lastOff:off], []byte("\n"))
	j.lastOff = off
	return j.lastLine
}
