package store

import (
	"strconv"
	"strings"
	"time"
)

// Index members are "<16-digit µs date_added>|<id>|<16-digit µs version>". The fixed-width digits make byte
// order equal time order, so ZRANGE BYLEX walks (date_added, id, version) and any member is a resume point.
const (
	stampLen  = 16
	maxMicros = 9999999999999999 // 16 digits of µs since 1970: until the year 2286
	minMember = stampLen + 1 + 1 + 1 + stampLen
)

// stamp formats t as 16 zero-padded decimal microseconds since the Unix epoch; ok is false when t is
// outside what 16 digits hold. Sub-microsecond precision is truncated.
func stamp(t time.Time) (string, bool) {
	us := t.UnixMicro()
	if us < 0 || us > maxMicros {
		return "", false
	}
	return padMicros(us), true
}

func padMicros(us int64) string {
	s := strconv.FormatInt(us, 10)
	return strings.Repeat("0", stampLen-len(s)) + s
}

// parseStamp is the inverse of stamp.
func parseStamp(s string) (time.Time, bool) {
	if len(s) != stampLen {
		return time.Time{}, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return time.Time{}, false
		}
	}
	us, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.UnixMicro(us).UTC(), true
}

// member is one parsed index member.
type member struct {
	raw       string
	dateAdded string // 16 digits
	id        string
	version   string // 16 digits
}

// parseMember splits an index member. The widths are fixed, so an id may itself contain '|'.
func parseMember(raw string) (member, bool) {
	if len(raw) < minMember || raw[stampLen] != '|' || raw[len(raw)-stampLen-1] != '|' {
		return member{}, false
	}
	m := member{
		raw:       raw,
		dateAdded: raw[:stampLen],
		id:        raw[stampLen+1 : len(raw)-stampLen-1],
		version:   raw[len(raw)-stampLen:],
	}
	if _, ok := parseStamp(m.dateAdded); !ok {
		return member{}, false
	}
	if _, ok := parseStamp(m.version); !ok {
		return member{}, false
	}
	return m, true
}

// field is the meta/body hash field of the version: "<id>|<version>".
func (m member) field() string { return m.raw[stampLen+1:] }
