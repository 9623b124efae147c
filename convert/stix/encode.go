package stix

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// enc writes one JSON object whose keys the caller adds in sorted order.
// It exists because the stix2 library marshals through reflection into a
// map (~20µs per object); the output here is byte-identical to
// json.Marshal of the equivalent stix2 value, which the tests check.
type enc struct {
	b     []byte
	first bool
	// the last timestamp written and its text: an indicator writes one
	// time as created, modified and valid_from, and its relationship again
	lastTime time.Time
	lastText []byte
}

func newEnc(size int) *enc {
	e := &enc{b: make([]byte, 0, size), first: true}
	e.b = append(e.b, '{')
	return e
}

func (e *enc) key(k string) {
	if !e.first {
		e.b = append(e.b, ',')
	}
	e.first = false
	e.b = append(e.b, '"')
	e.b = append(e.b, k...)
	e.b = append(e.b, '"', ':')
}

func (e *enc) str(k, v string) {
	if v == "" {
		return
	}
	e.key(k)
	e.b = appendString(e.b, v)
}

func (e *enc) strs(k string, vs []string) {
	if len(vs) == 0 {
		return
	}
	e.key(k)
	e.b = append(e.b, '[')
	for i, v := range vs {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.b = appendString(e.b, v)
	}
	e.b = append(e.b, ']')
}

func (e *enc) boolean(k string, v bool) {
	e.key(k)
	e.b = strconv.AppendBool(e.b, v)
}

func (e *enc) integer(k string, v int) {
	e.key(k)
	e.b = strconv.AppendInt(e.b, int64(v), 10)
}

func (e *enc) time(k string, t time.Time) {
	if t.IsZero() {
		return
	}
	e.key(k)
	e.b = append(e.b, '"')
	if len(e.lastText) == 0 || !t.Equal(e.lastTime) {
		e.lastTime, e.lastText = t, appendTimestamp(e.lastText[:0], t)
	}
	e.b = append(e.b, e.lastText...)
	e.b = append(e.b, '"')
}

// appendTimestamp writes t as STIX's millisecond UTC form
// 2006-01-02T15:04:05.000Z; time.AppendFormat was a third of encoding time.
func appendTimestamp(b []byte, t time.Time) []byte {
	t = t.UTC()
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		return t.AppendFormat(b, "2006-01-02T15:04:05.000Z")
	}
	h, mi, s := t.Clock()
	ms := t.Nanosecond() / 1e6
	b = appendDigits(b, y, 4)
	b = append(b, '-')
	b = appendDigits(b, int(mo), 2)
	b = append(b, '-')
	b = appendDigits(b, d, 2)
	b = append(b, 'T')
	b = appendDigits(b, h, 2)
	b = append(b, ':')
	b = appendDigits(b, mi, 2)
	b = append(b, ':')
	b = appendDigits(b, s, 2)
	b = append(b, '.')
	b = appendDigits(b, ms, 3)
	return append(b, 'Z')
}

func appendDigits(b []byte, v, width int) []byte {
	var tmp [4]byte
	for i := width - 1; i >= 0; i-- {
		tmp[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, tmp[:width]...)
}

func (e *enc) killChain(phases []KillChainPhase) {
	if len(phases) == 0 {
		return
	}
	e.key("kill_chain_phases")
	e.b = append(e.b, '[')
	for i, p := range phases {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.b = append(e.b, `{"kill_chain_name":`...)
		e.b = appendString(e.b, p.KillChain)
		e.b = append(e.b, `,"phase_name":`...)
		e.b = appendString(e.b, p.Phase)
		e.b = append(e.b, '}')
	}
	e.b = append(e.b, ']')
}

// externalRefs writes the refs with each one's keys sorted:
// description, external_id, source_name, url.
func (e *enc) externalRefs(refs []ExternalRef) {
	if len(refs) == 0 {
		return
	}
	e.key("external_references")
	e.b = append(e.b, '[')
	for i, r := range refs {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		sub := enc{b: e.b, first: true}
		sub.b = append(sub.b, '{')
		sub.str("description", r.Description)
		sub.str("external_id", r.ExternalID)
		sub.key("source_name")
		sub.b = appendString(sub.b, r.Source)
		sub.str("url", r.URL)
		e.b = append(sub.b, '}')
	}
	e.b = append(e.b, ']')
}

func (e *enc) done() []byte { return append(e.b, '}') }

const hexDigits = "0123456789abcdef"

// appendString quotes s exactly as encoding/json does with HTML escaping on:
// <, >, & and U+2028/U+2029 become \u escapes, invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if j := safeRun(s, i); j > i {
			i = j
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			b = appendEscape(b, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// safeRun returns the end of the run of jsonSafe bytes from i, testing 8
// bytes at a time as one word (no byte >= 0x80 or < 0x20, and none equal to
// " \\ < > &); it stops before the last partial word, which the byte loop
// handles. Most of what stixgate writes (ids, timestamps, hashes, prose)
// passes a word per test.
func safeRun(s string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	const quote, backslash, lt, gt, amp = ones * '"', ones * '\\', ones * '<', ones * '>', ones * '&'
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		a, b, c, d, e := x^quote, x^backslash, x^lt, x^gt, x^amp
		bad := x | (x-ones*0x20)&^x |
			(a-ones)&^a | (b-ones)&^b | (c-ones)&^c | (d-ones)&^d | (e-ones)&^e
		if bad&highs != 0 {
			return i
		}
	}
	return i
}

// jsonSafe marks the ASCII bytes appendString copies as they are: printable,
// not a quote or backslash, and not HTML-significant. A table lookup is one
// branch per byte where the comparisons were six.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

func appendEscape(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
}
