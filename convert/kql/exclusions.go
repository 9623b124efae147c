package kql

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// Profile is a named set of false-positive exclusions. Each kind applies
// only to tables whose mapping lists a column for it (mappings.json,
// "exclusions"); the time windows apply to every table's time column.
type Profile struct {
	Name           string       `json:"name" yaml:"name"`
	ProcessNames   []string     `json:"process_names,omitempty" yaml:"process_names,omitempty"`
	Accounts       []string     `json:"accounts,omitempty" yaml:"accounts,omitempty"`
	InternalRanges []string     `json:"internal_ranges,omitempty" yaml:"internal_ranges,omitempty"` // CIDR
	TimeWindows    []TimeWindow `json:"time_windows,omitempty" yaml:"time_windows,omitempty"`
}

// TimeWindow is a recurring UTC window, "HH:MM" to "HH:MM" (end exclusive;
// an end before the start wraps past midnight), optionally only on some
// weekdays ("monday" … "sunday"; empty means every day).
type TimeWindow struct {
	Name     string   `json:"name,omitempty" yaml:"name,omitempty"`
	Start    string   `json:"start" yaml:"start"`
	End      string   `json:"end" yaml:"end"`
	Weekdays []string `json:"weekdays,omitempty" yaml:"weekdays,omitempty"`
}

var weekdays = map[string]int{
	"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
}

// PureLogsProfile is the exclusion profile built from the five
// false-positive scenarios of the PureLogs seed document. The ranges are
// the RFC 5737 / RFC 3849 documentation blocks: placeholders that an
// operator replaces with the real log-aggregation subnets.
func PureLogsProfile() *Profile {
	return &Profile{
		Name:         "purelogs",
		ProcessNames: []string{"purelogs-collector", "purelogs-agent", "logstash", "compliance_report_generator", "audit_log_export", "app_monitoring", "log_analyzer"},
		Accounts:     []string{"admin_user", "siem_transfer"},
		InternalRanges: []string{
			"192.0.2.0/24",    // TEST-NET-1: on-premises log aggregation (example)
			"198.51.100.0/24", // TEST-NET-2: cloud log aggregation (example)
			"2001:db8::/32",   // IPv6 documentation prefix (example)
		},
		TimeWindows: []TimeWindow{{Name: "compliance report run", Start: "02:00", End: "04:00", Weekdays: []string{"sunday"}}},
	}
}

// Validate checks the profile; a nil profile is valid. The error names the
// offending value.
func (p *Profile) Validate() error {
	if p == nil {
		return nil
	}
	for _, c := range p.InternalRanges {
		if _, err := netip.ParsePrefix(c); err != nil {
			return fmt.Errorf("kql: exclusion profile %q: bad CIDR %q: %w", p.Name, c, err)
		}
	}
	for _, w := range p.TimeWindows {
		if err := w.validate(); err != nil {
			return fmt.Errorf("kql: exclusion profile %q: time window %q: %w", p.Name, w.Name, err)
		}
	}
	for _, s := range append(append([]string{}, p.ProcessNames...), p.Accounts...) {
		if _, err := quoteString(s); err != nil {
			return fmt.Errorf("kql: exclusion profile %q: %q: %w", p.Name, s, err)
		}
	}
	return nil
}

func (w TimeWindow) validate() error {
	for _, s := range []string{w.Start, w.End} {
		if _, err := clock(s); err != nil {
			return err
		}
	}
	for _, d := range w.Weekdays {
		if _, ok := weekdays[strings.ToLower(d)]; !ok {
			return fmt.Errorf("unknown weekday %q", d)
		}
	}
	return nil
}

// clock parses "HH:MM" (00:00–24:00) into a duration since midnight.
func clock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", s)
	if s == "24:00" {
		return 24 * time.Hour, nil
	}
	if err != nil {
		return 0, fmt.Errorf("bad time of day %q (want HH:MM)", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// exclusionLines renders the profile's filters for one table. Each kind is
// its own "| where" so a profile never changes the precedence of the hunt.
// Values are quoted by quoteString; column names come from the mapping.
func exclusionLines(t *Table, p *Profile) []string {
	if p == nil {
		return nil
	}
	var lines []string
	add := func(cols, values []string) {
		if len(values) == 0 {
			return
		}
		lits := quoteAll(values)
		for _, c := range cols {
			lines = append(lines, "| where "+binop(c, opNotInCI, listLit(lits)))
		}
	}
	add(t.Exclusions.ProcessNames, p.ProcessNames)
	add(t.Exclusions.Accounts, p.Accounts)
	lines = append(lines, rangeLines(t.Exclusions.InternalRanges, p.InternalRanges)...)
	for _, w := range p.TimeWindows {
		lines = append(lines, "| where "+notExpr(windowExpr(t.TimeColumn, w)))
	}
	if len(lines) > 0 {
		lines = append([]string{comment("exclusion profile: " + p.Name)}, lines...)
	}
	return lines
}

func rangeLines(cols, ranges []string) []string {
	var v4, v6 []string
	for _, r := range ranges {
		pfx, _ := netip.ParsePrefix(r) // validated by Profile.Validate
		lit, _ := quoteString(pfx.String())
		if pfx.Addr().Is4() {
			v4 = append(v4, lit)
		} else {
			v6 = append(v6, lit)
		}
	}
	var lines []string
	for _, c := range cols {
		if len(v4) > 0 {
			lines = append(lines, "| where "+notExpr(ipInAnyRange(c, false, dynamicList(v4))))
		}
		if len(v6) > 0 {
			lines = append(lines, "| where "+notExpr(ipInAnyRange(c, true, dynamicList(v6))))
		}
	}
	return lines
}

// windowExpr is true for rows inside the recurring window.
func windowExpr(col string, w TimeWindow) string {
	start, _ := clock(w.Start)
	end, _ := clock(w.End)
	tod := "(" + col + " - startofday(" + col + "))"
	in := tod + " >= " + timespanLit(start) + " and " + tod + " < " + timespanLit(end)
	if end < start {
		in = tod + " >= " + timespanLit(start) + " or " + tod + " < " + timespanLit(end)
	}
	if len(w.Weekdays) == 0 {
		return in
	}
	days := make([]string, len(w.Weekdays))
	for i, d := range w.Weekdays {
		days[i] = timespanLit(time.Duration(weekdays[strings.ToLower(d)]) * 24 * time.Hour)
	}
	return "dayofweek(" + col + ") in " + listLit(days) + " and (" + in + ")"
}

// quoteAll quotes values (already validated as UTF-8), dropping duplicates.
func quoteAll(values []string) []string {
	out := make([]string, 0, len(values))
	seen := make(map[string]bool, len(values))
	for _, v := range values {
		q, _ := quoteString(v)
		if !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	return out
}
