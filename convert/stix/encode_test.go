package stix

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/TcM1911/stix2"
)

var tricky = []string{
	"plain", "it's \\ \"quoted\"", "<script>&amp;</script>", "ünïcödé 日本", "line\nbreak\ttab\r\b\f",
	"\x00\x01\x1f\x7f", "sep\u2028\u2029", "bad utf8 \xff\xfe end", "",
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range tricky {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); string(got) != string(want) {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range tricky {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); string(got) != string(want) {
			t.Fatalf("appendString(%q) = %s, want %s", s, got, want)
		}
	})
}

var (
	t0   = time.Date(2026, 6, 8, 0, 0, 0, 0, time.UTC)
	t1   = time.Date(2026, 6, 9, 1, 2, 3, 456e6, time.UTC)
	ts0  = &stix2.Timestamp{Time: t0}
	ts1  = &stix2.Timestamp{Time: t1}
	mark = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"
)

func fullCommon(id string) Common {
	return Common{ID: id, Created: t0, Modified: t1, CreatedBy: ID("identity", "p"), Markings: []string{mark},
		Labels: tricky[:4], Confidence: 42, HasConfidence: true,
		ExternalRefs: []ExternalRef{{Source: "ThreatFox", ExternalID: "1", URL: "https://x.example/?a=1&b=2"}, {Source: "ref", Description: "a <report>"}}}
}

// libDomain sets on a stix2 SDO what fullCommon sets on ours.
func libDomain(o *stix2.STIXDomainObject, c Common) {
	o.ID, o.Created, o.Modified, o.CreatedBy = stix2.Identifier(c.ID), ts0, ts1, stix2.Identifier(c.CreatedBy)
	o.ObjectMarking, o.Labels, o.Confidence = []stix2.Identifier{stix2.Identifier(mark)}, c.Labels, c.Confidence
	for _, r := range c.ExternalRefs {
		o.ExternalReferences = append(o.ExternalReferences, &stix2.ExternalReference{Name: r.Source, Description: r.Description, ExternalID: r.ExternalID, URL: r.URL})
	}
}

// sameJSON compares our bytes with json.Marshal of the stix2 value, as
// decoded values; the library always writes "revoked": false, we omit it.
func sameJSON(t *testing.T, ours []byte, lib any) {
	t.Helper()
	libJSON, err := json.Marshal(lib)
	if err != nil {
		t.Fatalf("json.Marshal(stix2 value) error = %v", err)
	}
	var a, b map[string]any
	if err := json.Unmarshal(ours, &a); err != nil {
		t.Fatalf("our JSON does not decode: %v\n%s", err, ours)
	}
	if err := json.Unmarshal(libJSON, &b); err != nil {
		t.Fatal(err)
	}
	if b["revoked"] == false {
		delete(b, "revoked")
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("ours:\n%s\nstix2:\n%s", ours, libJSON)
	}
}

func TestBuildersMatchStix2(t *testing.T) {
	t.Run("indicator", func(t *testing.T) {
		c := fullCommon(ID("indicator", "k"))
		in := Indicator{Common: c, Name: tricky[1], Description: tricky[2], Types: []string{"malicious-activity"},
			Pattern: `[url:value = 'a\'b']`, ValidFrom: t0, ValidUntil: t1,
			KillChain: []KillChainPhase{{KillChain: "mitre-attack", Phase: "command-and-control"}}}
		got, err := NewIndicator(in)
		if err != nil {
			t.Fatal(err)
		}
		lib := &stix2.Indicator{Name: in.Name, Description: in.Description, Types: in.Types, Pattern: in.Pattern,
			PatternType: "stix", PatternVersion: "2.1", ValidFrom: ts0, ValidUntil: ts1,
			KillChainPhase: []*stix2.KillChainPhase{{Name: "mitre-attack", Phase: "command-and-control"}}}
		lib.Type, lib.SpecVersion = stix2.TypeIndicator, "2.1"
		libDomain(&lib.STIXDomainObject, c)
		sameJSON(t, got.JSON, lib)
	})
	t.Run("malware", func(t *testing.T) {
		c := fullCommon(ID("malware", "k"))
		got, err := NewMalware(Malware{Common: c, Name: "Fam", Description: "d", IsFamily: true, Aliases: []string{"A", "B"}, Types: []string{"bot"}})
		if err != nil {
			t.Fatal(err)
		}
		lib := &stix2.Malware{Name: "Fam", Description: "d", IsFamily: true, Aliases: []string{"A", "B"}, Types: []string{"bot"}}
		lib.Type, lib.SpecVersion = stix2.TypeMalware, "2.1"
		libDomain(&lib.STIXDomainObject, c)
		sameJSON(t, got.JSON, lib)
	})
	t.Run("identity", func(t *testing.T) {
		c := fullCommon(ID("identity", "k"))
		got, err := NewIdentity(Identity{Common: c, Name: "P", Description: "d", Class: "system"})
		if err != nil {
			t.Fatal(err)
		}
		lib := &stix2.Identity{Name: "P", Description: "d", Class: "system"}
		lib.Type, lib.SpecVersion = stix2.TypeIdentity, "2.1"
		libDomain(&lib.STIXDomainObject, c)
		sameJSON(t, got.JSON, lib)
	})
	t.Run("relationship", func(t *testing.T) {
		c := fullCommon(ID("relationship", "k"))
		src, dst := ID("indicator", "a"), ID("malware", "b")
		got, err := NewRelationship(Relationship{Common: c, Type: "indicates", Source: src, Target: dst})
		if err != nil {
			t.Fatal(err)
		}
		lib := &stix2.Relationship{RelationshipType: "indicates", Source: stix2.Identifier(src), Target: stix2.Identifier(dst)}
		lib.Type, lib.SpecVersion, lib.ID = stix2.TypeRelationship, "2.1", stix2.Identifier(c.ID)
		lib.Created, lib.Modified, lib.CreatedBy = ts0, ts1, stix2.Identifier(c.CreatedBy)
		lib.ObjectMarking, lib.Labels, lib.Confidence = []stix2.Identifier{stix2.Identifier(mark)}, c.Labels, c.Confidence
		for _, r := range c.ExternalRefs {
			lib.ExternalReferences = append(lib.ExternalReferences, &stix2.ExternalReference{Name: r.Source, Description: r.Description, ExternalID: r.ExternalID, URL: r.URL})
		}
		sameJSON(t, got.JSON, lib)
	})
}

// TestBuilderOutputIsSortedAndValid checks key order byte-for-byte
// (re-encoding a decoded map sorts keys) and runs Inspect on the result.
func TestBuilderOutputIsSortedAndValid(t *testing.T) {
	c := fullCommon(ID("indicator", "k"))
	c.Confidence = 0 // explicit zero must be kept
	o, err := NewIndicator(Indicator{Common: c, Pattern: "[a:b = 1]", ValidFrom: t0})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(o.JSON, &m); err != nil {
		t.Fatal(err)
	}
	resorted, _ := json.Marshal(m)
	if string(resorted) != string(o.JSON) {
		t.Errorf("NewIndicator() keys are not sorted:\n got %s\nwant %s", o.JSON, resorted)
	}
	if string(m["confidence"]) != "0" {
		t.Errorf("confidence = %s, want 0", m["confidence"])
	}
	if _, err := Inspect(o.JSON); err != nil {
		t.Errorf("Inspect(NewIndicator()) error = %v", err)
	}
}

func TestBuilderErrors(t *testing.T) {
	good := Common{ID: ID("indicator", "k"), Created: t0, Modified: t0}
	tests := []struct {
		name string
		fn   func() error
	}{
		{"wrong id type", func() error { _, err := NewMalware(Malware{Common: good, Name: "x", IsFamily: true}); return err }},
		{"no created", func() error {
			_, err := NewIndicator(Indicator{Common: Common{ID: good.ID}, Pattern: "p", ValidFrom: t0})
			return err
		}},
		{"modified before created", func() error {
			c := good
			c.Modified = t0.Add(-time.Second)
			_, err := NewIndicator(Indicator{Common: c, Pattern: "p", ValidFrom: t0})
			return err
		}},
		{"confidence 101", func() error {
			c := good
			c.Confidence, c.HasConfidence = 101, true
			_, err := NewIndicator(Indicator{Common: c, Pattern: "p", ValidFrom: t0})
			return err
		}},
		{"no pattern", func() error { _, err := NewIndicator(Indicator{Common: good, ValidFrom: t0}); return err }},
		{"valid_until not after valid_from", func() error {
			_, err := NewIndicator(Indicator{Common: good, Pattern: "p", ValidFrom: t0, ValidUntil: t0})
			return err
		}},
		{"family without name", func() error {
			_, err := NewMalware(Malware{Common: Common{ID: ID("malware", "k"), Created: t0, Modified: t0}, IsFamily: true})
			return err
		}},
		{"identity without class", func() error {
			_, err := NewIdentity(Identity{Common: Common{ID: ID("identity", "k"), Created: t0, Modified: t0}, Name: "x"})
			return err
		}},
		{"relationship without target", func() error {
			_, err := NewRelationship(Relationship{Common: Common{ID: ID("relationship", "k"), Created: t0, Modified: t0}, Type: "indicates", Source: good.ID})
			return err
		}},
		{"unknown tlp", func() error { _, err := Marking("purple"); return err }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.fn(); !errors.Is(err, ErrInvalid) {
				t.Errorf("error = %v, want one wrapping ErrInvalid", err)
			}
		})
	}
}

func TestMarkingsMatchStix2(t *testing.T) {
	for level, lib := range map[TLP]*stix2.MarkingDefinition{TLPWhite: stix2.TLPWhite, TLPGreen: stix2.TLPGreen, TLPAmber: stix2.TLPAmber, TLPRed: stix2.TLPRed} {
		got, err := Marking(level)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != string(lib.ID) || !got.Created.Equal(lib.Created.Time) {
			t.Errorf("Marking(%s) = %s %v, stix2 has %s %v", level, got.ID, got.Created, lib.ID, lib.Created)
		}
		sameJSON(t, got.JSON, lib)
	}
}

// TestSafeRun puts every byte value at every position of the second 8-byte
// word and compares the word test with the per-byte table.
func TestSafeRun(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 8; pos++ {
			w := []byte("abcdefghijklmnopq")
			w[8+pos] = byte(c)
			want := 16
			if c >= utf8.RuneSelf || !jsonSafe[c] {
				want = 8
			}
			if got := safeRun(string(w), 0); got != want {
				t.Errorf("safeRun(%q, 0) = %d, want %d", w, got, want)
			}
		}
	}
}

func TestAppendStringMatchesJSON(t *testing.T) {
	for _, s := range append(tricky, "0123456789abcdef<0123456789abcdef", strings.Repeat("x", 17)+"\u2028", "12345678\"", "1234567\xff8") {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); string(got) != string(want) {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	}
}
