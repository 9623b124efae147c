package kql

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stixgate/stixgate/convert/pattern"
)

func TestProfileValidate(t *testing.T) {
	tests := []struct {
		name string
		p    *Profile
		want string // substring of the error; empty means valid
	}{
		{"nil", nil, ""},
		{"purelogs", PureLogsProfile(), ""},
		{"bad cidr", &Profile{Name: "p", InternalRanges: []string{"10.0.0.0/8", "10.0.0.0/99"}}, `bad CIDR "10.0.0.0/99"`},
		{"bare ip", &Profile{Name: "p", InternalRanges: []string{"10.0.0.1"}}, `bad CIDR "10.0.0.1"`},
		{"bad clock", &Profile{Name: "p", TimeWindows: []TimeWindow{{Name: "w", Start: "25:00", End: "01:00"}}}, `time window "w": bad time of day "25:00"`},
		{"bad weekday", &Profile{Name: "p", TimeWindows: []TimeWindow{{Start: "01:00", End: "02:00", Weekdays: []string{"funday"}}}}, `unknown weekday "funday"`},
		{"bad utf8", &Profile{Name: "p", Accounts: []string{"a\xff"}}, "UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Validate() = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestProfileJSONTags(t *testing.T) {
	b, err := json.Marshal(PureLogsProfile())
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"name":`, `"process_names":`, `"accounts":`, `"internal_ranges":`, `"time_windows":`, `"start":`, `"weekdays":`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("json.Marshal(profile) = %s, want key %s", b, key)
		}
	}
}

// TestExclusionColumns: each kind applies only where the mapping lists a
// column; windows apply everywhere; a wrapping window uses "or".
func TestExclusionColumns(t *testing.T) {
	p := &Profile{
		Name:         "t",
		ProcessNames: []string{"a.exe", "a.exe"},
		Accounts:     []string{`dom\svc"x`},
		TimeWindows:  []TimeWindow{{Start: "23:00", End: "01:30"}},
	}
	m := mustMapping(t)
	tests := []struct {
		table string
		want  []string
		not   []string
	}{
		{"DeviceProcessEvents", []string{
			`| where InitiatingProcessFileName !in~ ("a.exe")`,
			`| where InitiatingProcessAccountName !in~ ("dom\\svc\"x")`,
			`| where AccountName !in~ ("dom\\svc\"x")`,
			`| where not((Timestamp - startofday(Timestamp)) >= 23h or (Timestamp - startofday(Timestamp)) < 90m)`,
		}, nil},
		{"EmailUrlInfo", []string{`| where not((Timestamp - startofday(Timestamp)) >= 23h`}, []string{"!in~"}},
	}
	var all []string
	for _, tc := range tests {
		lines := strings.Join(exclusionLines(m.Table(tc.table), p), "\n")
		for _, w := range tc.want {
			if !strings.Contains(lines, w) {
				t.Errorf("exclusionLines(%s) =\n%s\nwant %s", tc.table, lines, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(lines, n) {
				t.Errorf("exclusionLines(%s) =\n%s\nmust not contain %s", tc.table, lines, n)
			}
		}
		qs, err := Render(mustParse(t, `[url:value = 'http://x.example/'] OR [file:name = 'a.exe']`), Options{Tables: []string{tc.table}, Exclusions: p})
		if err != nil {
			t.Fatalf("Render with profile on %s = %v", tc.table, err)
		}
		all = append(all, qs[0].KQL)
	}
	runKQLCheck(t, all)
}

// TestAliasSHA1 uses a hand-built AST: the parser already canonicalises
// SHA1, the mapping alias covers ASTs built by other packages.
func TestAliasSHA1(t *testing.T) {
	e := &pattern.Observation{Expr: &pattern.Comparison{
		Path:  &pattern.ObjectPath{ObjectType: "file", Steps: []pattern.Step{{Kind: pattern.StepKey, Key: "hashes"}, {Kind: pattern.StepKey, Key: "SHA1"}}},
		Op:    pattern.OpEq,
		Value: &pattern.String{Value: "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
	}}
	qs, err := Render(e, Options{Tables: []string{"DeviceFileEvents"}})
	if err != nil || !strings.Contains(qs[0].KQL, `(SHA1 =~ "da39a3ee5e6b4b0d3255bfef95601890afd80709" or InitiatingProcessSHA1 =~`) {
		t.Fatalf("Render(file:hashes.SHA1) = %+v, %v", qs, err)
	}
	inds := []Indicator{{ID: "x", Pattern: e}}
	pq, err := Pack(inds, PackOptions{})
	if err != nil || len(pq) != 2 || !strings.Contains(pq[0].KQL, "malicious_sha1") {
		t.Fatalf("Pack(file:hashes.SHA1) = %+v, %v; want the SHA-1 list in both Device tables", pq, err)
	}
}

func TestRenderInvalidUTF8(t *testing.T) {
	e := &pattern.Observation{Expr: &pattern.Comparison{
		Path:  &pattern.ObjectPath{ObjectType: "file", Steps: []pattern.Step{{Kind: pattern.StepKey, Key: "name"}}},
		Op:    pattern.OpEq,
		Value: &pattern.String{Value: "bad\xff"},
	}}
	_, err := Render(e, Options{})
	var ue *UnsupportedError
	if !errors.As(err, &ue) || ue.Construct != "constant" {
		t.Errorf("Render(invalid UTF-8) = %v, want *UnsupportedError{Construct: constant}", err)
	}
}
