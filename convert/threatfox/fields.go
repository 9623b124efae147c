package threatfox

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// refangPairs undo the defanging styles seen in reports. Matching is
// case-insensitive ([DOT], hXXps).
var refangPairs = []struct{ from, to string }{
	{"[://]", "://"}, {"[.]", "."}, {"(.)", "."}, {"{.}", "."}, {"[dot]", "."}, {"(dot)", "."},
	{"[:]", ":"}, {"[@]", "@"}, {"[at]", "@"},
}

func refang(v string) string {
	if lv := strings.ToLower(v); strings.HasPrefix(lv, "hxxp") {
		rest := strings.TrimPrefix(lv[4:], "s")
		if strings.HasPrefix(rest, "://") || strings.HasPrefix(rest, "[://]") {
			v = "http" + v[4:]
		}
	}
	if !strings.ContainsAny(v, "[({") {
		return v
	}
	for _, p := range refangPairs {
		v = replaceFold(v, p.from, p.to)
	}
	return v
}

// replaceFold replaces every ASCII case-insensitive occurrence of from.
func replaceFold(s, from, to string) string {
	var b strings.Builder
	for {
		i := indexFold(s, from)
		if i < 0 {
			if b.Len() == 0 {
				return s
			}
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(to)
		s = s[i+len(from):]
	}
}

func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// timeLayouts are tried in order: API (" UTC" suffix), exports, report
// tables (date only, read as midnight UTC) and RFC 3339.
var timeLayouts = []string{
	"2006-01-02 15:04:05 UTC",
	"2006-01-02 15:04:05",
	"2006-01-02",
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
}

// likelyLayout picks the layout by shape, so the common cases parse on the
// first try (a failed time.Parse allocates its error).
func likelyLayout(v string) string {
	switch {
	case len(v) == 23 && strings.HasSuffix(v, " UTC"):
		return timeLayouts[0]
	case len(v) == 19 && v[10] == ' ':
		return timeLayouts[1]
	case len(v) == 10:
		return timeLayouts[2]
	}
	return ""
}

func parseTime(field, v string, required bool) (time.Time, error) {
	v = absent(v)
	if v == "" {
		if required {
			return time.Time{}, fmt.Errorf("missing %s", field)
		}
		return time.Time{}, nil
	}
	if l := likelyLayout(v); l != "" {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC(), nil
		}
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%s %q is not a date or time", field, clip(v))
}

// parseConfidence reads 75, "75" or "75%". Empty means unknown.
func parseConfidence(v string) (int, bool, error) {
	v = strings.TrimSpace(v)
	if absent(v) == "" {
		return 0, false, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(v, "%")))
	if err != nil || n < 0 || n > 100 {
		return 0, false, fmt.Errorf("confidence %q is not an integer 0-100", clip(v))
	}
	return n, true, nil
}

func parseBool(field, v string) (bool, error) {
	switch strings.ToLower(absent(v)) {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, fmt.Errorf("%s %q is not a boolean", field, clip(v))
}

// family maps ThreatFox's "no family" spellings to "".
func family(id, name string) (string, string) {
	id, name = absent(id), absent(name)
	if strings.Contains(name, "  ") || strings.ContainsAny(name, "\t\n\r") {
		name = strings.Join(strings.Fields(name), " ")
	}
	if strings.EqualFold(id, "unknown") {
		id = ""
	}
	if strings.EqualFold(name, "unknown malware") || strings.EqualFold(name, "unknown") {
		name = ""
	}
	return id, name
}

// absent trims v and maps the null-likes "None" and "null" to "".
func absent(v string) string {
	v = strings.TrimSpace(v)
	if v == "None" || v == "null" {
		return ""
	}
	return v
}

// splitList splits a comma-separated field.
func splitList(v string) []string {
	v = absent(v)
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// listCache shares the split form of repeated list fields (tags, aliases:
// a few distinct values over many rows) between rows. It holds at most
// maxCachedLists entries so a file of unique values cannot grow it.
type listCache map[string][]string

const maxCachedLists = 4096

// split is splitList, cached; the result is shared and must not be
// modified (its capacity is clipped, so appending copies).
func (lc *listCache) split(v string) []string {
	if l, ok := (*lc)[v]; ok {
		return l
	}
	l := splitList(v)
	l = l[:len(l):len(l)]
	if *lc == nil {
		*lc = listCache{}
	}
	if len(*lc) < maxCachedLists {
		(*lc)[v] = l
	}
	return l
}

// cleanList trims, drops empties, duplicates and (case-insensitively)
// the value drop, keeping first-seen order. A list that is already clean
// is returned as is, without allocating.
func cleanList(in []string, drop string) []string {
	if len(in) == 0 {
		return nil
	}
	if isClean(in, drop) {
		return in[:len(in):len(in)]
	}
	var out []string
	for _, v := range in {
		v = absent(v)
		if v == "" || strings.EqualFold(v, drop) || containsFold(out, v) {
			continue
		}
		out = append(out, v)
	}
	return out
}

func isClean(in []string, drop string) bool {
	for i, v := range in {
		if v == "" || absent(v) != v || strings.EqualFold(v, drop) || containsFold(in[:i], v) {
			return false
		}
	}
	return true
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// clip shortens v to at most 200 bytes on a rune boundary.
func clip(v string) string {
	const max = 200
	if len(v) <= max {
		return v
	}
	i := max
	for i > 0 && !utf8.RuneStart(v[i]) {
		i--
	}
	return v[:i] + "…"
}

func quote(s string) string { return strconv.Quote(s) }
