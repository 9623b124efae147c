package threatfox

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

const sniffSize = 64 << 10

// Read parses r in format f (FormatAuto sniffs it) into normalised rows.
// Bad rows become Skipped entries with their line and a precise reason, and
// the rest still converts; unmapped ioc_types are counted in Unknown. Empty,
// binary or unrecognisable input yields a single Skip with Line 0. The only
// errors are an unknown f (*FormatError) and read errors from r.
func Read(r io.Reader, f Format) (res Result, err error) {
	if _, err := ParseFormat(string(f)); err != nil {
		return Result{}, err
	}
	total := -1
	if lr, ok := r.(interface{ Len() int }); ok { // bytes/strings readers and buffers
		total = lr.Len()
	}
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return Result{}, fmt.Errorf("threatfox: read: %w", err)
	}
	var c collector
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if f == FormatAuto || f == "" {
		f = sniff(head)
	}
	c.res.Format = f
	if reason := badInput(head); reason != "" {
		c.skip(0, "", "%s", reason)
		return c.res, nil
	}
	c.res.Rows = make([]Row, 0, estimateRows(head, total))
	if err := dispatch(&c, skipBOM(br), f); err != nil {
		return c.res, fmt.Errorf("threatfox: read %s: %w", f, err)
	}
	return c.res, nil
}

// estimateRows guesses the row count from the line density of the first
// bytes and the input's total size, when known, so that Rows is allocated
// once instead of doubling (a Row is ~300 bytes; 100k rows moved ~60 MB).
func estimateRows(head []byte, total int) int {
	lines := bytes.Count(head, []byte{'\n'}) + 1
	if total <= len(head) || len(head) == 0 {
		return lines
	}
	return min(lines*(total/len(head)+1), total/32, 1<<20)
}

func dispatch(c *collector, r *bufio.Reader, f Format) error {
	switch f {
	case FormatMarkdown:
		return readMarkdown(c, r)
	case FormatCSV:
		return readCSV(c, r)
	case FormatAPI, FormatJSON:
		return readJSON(c, r)
	}
	c.skip(0, "", "unrecognised input: not a ThreatFox CSV/JSON export, API response or IOC report table")
	return nil
}

func skipBOM(br *bufio.Reader) *bufio.Reader {
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	return br
}

// badInput rejects empty and binary input before any reader sees it.
func badInput(head []byte) string {
	if len(bytes.TrimSpace(head)) == 0 {
		return "empty input"
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return "binary input (NUL byte)"
	}
	// A sniff window may end inside a multi-byte rune; ignore the last 3 bytes.
	if n := len(head); !utf8.Valid(head[:max(0, n-3)]) {
		return "binary input (not UTF-8 text)"
	}
	return ""
}

// sniff guesses the format from the first bytes.
func sniff(head []byte) Format {
	t := bytes.TrimSpace(head)
	if len(t) == 0 {
		return FormatAuto
	}
	switch t[0] {
	case '{':
		if bytes.Contains(t, []byte(`"query_status"`)) {
			return FormatAPI
		}
		return FormatJSON
	case '[':
		return FormatAPI
	}
	switch {
	case bytes.Contains(t, []byte("Malware Family:")) || bytes.Contains(t, []byte("\n|")) || t[0] == '|':
		return FormatMarkdown
	case bytes.Contains(t, []byte("first_seen_utc")) || t[0] == '"' || t[0] == '#':
		return FormatCSV
	}
	return FormatAuto
}
