package stix

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

const (
	indID  = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"
	goodIn = `{"type":"indicator","spec_version":"2.1","id":"` + indID + `","created":"2016-04-06T20:03:48.000Z",` +
		`"modified":"2016-04-06T20:03:48.123Z","pattern":"[file:hashes.MD5 = 'abc']","pattern_type":"stix",` +
		`"valid_from":"2016-01-01T00:00:00Z","valid_until":"2017-01-01T00:00:00Z","revoked":true}`
)

// with returns goodIn with key set to the raw value, or removed when raw is "".
func with(t *testing.T, doc, key, raw string) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		t.Fatal(err)
	}
	if raw == "" {
		delete(m, key)
	} else {
		m[key] = json.RawMessage(raw)
	}
	b, _ := json.Marshal(m)
	return b
}

func TestInspectIndicator(t *testing.T) {
	meta, err := Inspect([]byte(goodIn))
	if err != nil {
		t.Fatalf("Inspect(good indicator) error = %v", err)
	}
	want := Meta{ID: indID, Type: "indicator", SpecVersion: "2.1",
		Created:  time.Date(2016, 4, 6, 20, 3, 48, 0, time.UTC),
		Modified: time.Date(2016, 4, 6, 20, 3, 48, 123e6, time.UTC),
		Pattern:  "[file:hashes.MD5 = 'abc']", PatternType: "stix", Revoked: true,
		ValidUntil: time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)}
	if meta != want {
		t.Errorf("Inspect(good indicator) = %+v, want %+v", meta, want)
	}
}

func TestInspectErrors(t *testing.T) {
	tests := []struct {
		name, key, raw, want string
	}{
		{"no type", "type", "", "stix: type: required string"},
		{"type not string", "type", "1", "stix: type: required string"},
		{"type upper", "type", `"Indicator"`, `stix: type: "Indicator" is not a valid type name`},
		{"type short", "type", `"ab"`, `stix: type: "ab" is not a valid type name`},
		{"type double hyphen", "type", `"x--y"`, `stix: type: "x--y" is not a valid type name`},
		{"bundle", "type", `"bundle"`, "stix: type: a bundle is not an object"},
		{"id other type", "id", `"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"`, `stix: id: "malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f" does not start with "indicator--"`},
		{"id bad uuid", "id", `"indicator--8e2e2d2b-17d4-4cbf-938f"`, `stix: id: "8e2e2d2b-17d4-4cbf-938f" is not an RFC 4122 UUID`},
		{"id bad variant", "id", `"indicator--8e2e2d2b-17d4-4cbf-138f-98ee46b3cd3f"`, `stix: id: "8e2e2d2b-17d4-4cbf-138f-98ee46b3cd3f" is not an RFC 4122 UUID`},
		{"id version 0", "id", `"indicator--8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f"`, `stix: id: "8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f" is not an RFC 4122 UUID`},
		{"no spec_version", "spec_version", "", "stix: spec_version: required"},
		{"spec_version 2.0", "spec_version", `"2.0"`, `stix: spec_version: must be "2.1", got "2.0"`},
		{"no created", "created", "", "stix: created: required"},
		{"created offset", "created", `"2016-04-06T20:03:48+00:00"`, `stix: created: "2016-04-06T20:03:48+00:00" is not an RFC 3339 UTC timestamp ending in Z`},
		{"created date only", "created", `"2016-04-06"`, `stix: created: "2016-04-06" is not an RFC 3339 UTC timestamp ending in Z`},
		{"created bad day", "created", `"2016-02-30T00:00:00Z"`, `stix: created: "2016-02-30T00:00:00Z" is not an RFC 3339 UTC timestamp ending in Z`},
		{"no modified", "modified", "", "stix: modified: required"},
		{"modified before created", "modified", `"2016-04-06T20:03:47.999Z"`, "stix: modified: 2016-04-06T20:03:47.999Z is before created 2016-04-06T20:03:48.000Z"},
		{"revoked string", "revoked", `"yes"`, "stix: revoked: must be a boolean"},
		{"confidence 101", "confidence", `101`, "stix: confidence: must be an integer 0-100"},
		{"no pattern", "pattern", "", "stix: pattern: required string"},
		{"no pattern_type", "pattern_type", "", "stix: pattern_type: required string"},
		{"no valid_from", "valid_from", "", "stix: valid_from: required"},
		{"valid_until early", "valid_until", `"2016-01-01T00:00:00Z"`, "stix: valid_until: 2016-01-01T00:00:00.000Z is not after valid_from 2016-01-01T00:00:00.000Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Inspect(with(t, goodIn, tc.key, tc.raw))
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) || err.Error() != tc.want {
				t.Errorf("Inspect(%s=%s) error = %v, want *ValidationError %q", tc.key, tc.raw, err, tc.want)
			}
		})
	}
}

func TestInspectTypes(t *testing.T) {
	const common = `"spec_version":"2.1","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z"`
	uuid := "-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"
	tests := []struct {
		name, doc, want string
	}{
		{"malware family", `{"type":"malware","id":"malware-` + uuid + `",` + common + `,"is_family":true,"name":"X"}`, ""},
		{"malware family no name", `{"type":"malware","id":"malware-` + uuid + `",` + common + `,"is_family":true}`, "stix: name: required when is_family is true"},
		{"malware instance", `{"type":"malware","id":"malware-` + uuid + `",` + common + `,"is_family":false}`, ""},
		{"malware no is_family", `{"type":"malware","id":"malware-` + uuid + `",` + common + `,"name":"X"}`, "stix: is_family: required boolean"},
		{"relationship", `{"type":"relationship","id":"relationship-` + uuid + `",` + common + `,"relationship_type":"indicates","source_ref":"indicator-` + uuid + `","target_ref":"malware-` + uuid + `"}`, ""},
		{"relationship bad ref", `{"type":"relationship","id":"relationship-` + uuid + `",` + common + `,"relationship_type":"indicates","source_ref":"indicator","target_ref":"malware-` + uuid + `"}`, `stix: source_ref: "indicator" is not a STIX identifier`},
		{"relationship no type", `{"type":"relationship","id":"relationship-` + uuid + `",` + common + `,"source_ref":"indicator-` + uuid + `","target_ref":"malware-` + uuid + `"}`, "stix: relationship_type: required string"},
		{"identity no name", `{"type":"identity","id":"identity-` + uuid + `",` + common + `}`, "stix: name: required for identity"},
		{"sighting", `{"type":"sighting","id":"sighting-` + uuid + `",` + common + `,"sighting_of_ref":"indicator-` + uuid + `"}`, ""},
		{"sco without spec_version", `{"type":"ipv4-addr","id":"ipv4-addr-` + uuid + `","value":"198.51.100.3"}`, ""},
		{"sco no value", `{"type":"ipv4-addr","id":"ipv4-addr-` + uuid + `"}`, "stix: value: required for ipv4-addr"},
		{"marking", `{"type":"marking-definition","id":"marking-definition-` + uuid + `","spec_version":"2.1","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","definition":{"tlp":"white"}}`, ""},
		{"marking no definition", `{"type":"marking-definition","id":"marking-definition-` + uuid + `","spec_version":"2.1","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp"}`, "stix: definition: required"},
		{"custom object needs created", `{"type":"x-acme-widget","id":"x-acme-widget-` + uuid + `","spec_version":"2.1"}`, "stix: created: required"},
		{"not an object", `[1,2]`, "stix: not a json object"},
		{"null", `null`, "stix: not a json object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Inspect([]byte(tc.doc))
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || err.Error() != tc.want) {
				t.Errorf("Inspect(%s) error = %v, want %q", tc.doc, err, tc.want)
			}
		})
	}
}

func TestInspectMarkings(t *testing.T) {
	for _, l := range []TLP{TLPWhite, TLPGreen, TLPAmber, TLPRed} {
		o, err := Marking(l)
		if err != nil {
			t.Fatal(err)
		}
		meta, err := Inspect(o.JSON)
		id, _ := l.MarkingID()
		if err != nil || meta.ID != o.ID || id != o.ID || !meta.Modified.IsZero() {
			t.Errorf("Inspect(Marking(%s)) = %+v, %v", l, meta, err)
		}
	}
}

func TestParseTLP(t *testing.T) {
	tests := map[string]TLP{"white": TLPWhite, "TLP:CLEAR": TLPWhite, " Green ": TLPGreen, "tlp:amber": TLPAmber, "RED": TLPRed}
	for in, want := range tests {
		if got, err := ParseTLP(in); got != want || err != nil {
			t.Errorf("ParseTLP(%q) = %q, %v, want %q", in, got, err, want)
		}
	}
	if _, err := ParseTLP("amber+strict"); !errors.Is(err, ErrInvalid) {
		t.Errorf("ParseTLP(amber+strict) error = %v, want ErrInvalid", err)
	}
}

func TestRestamp(t *testing.T) {
	later := time.Date(2026, 1, 2, 3, 4, 5, 678901234, time.UTC)
	out, err := Restamp([]byte(goodIn), later)
	if err != nil {
		t.Fatalf("Restamp() error = %v", err)
	}
	meta, err := Inspect(out)
	if err != nil || !meta.Modified.Equal(later.Truncate(time.Millisecond)) || meta.ID != indID || !meta.Created.Equal(time.Date(2016, 4, 6, 20, 3, 48, 0, time.UTC)) {
		t.Errorf("Inspect(Restamp()) = %+v, %v; want same id/created, modified %v", meta, err, later)
	}
	again, _ := Restamp([]byte(goodIn), later)
	if string(again) != string(out) {
		t.Errorf("Restamp() is not byte-stable")
	}
	var m map[string]json.RawMessage
	json.Unmarshal(out, &m)
	if sorted, _ := json.Marshal(m); string(sorted) != string(out) {
		t.Errorf("Restamp() keys not sorted: %s", out)
	}
	for name, tc := range map[string]struct {
		doc string
		at  time.Time
	}{
		"not later":   {goodIn, time.Date(2016, 4, 6, 20, 3, 48, 123e6, time.UTC)},
		"earlier":     {goodIn, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)},
		"unversioned": {`{"type":"ipv4-addr","id":"ipv4-addr--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","value":"1.2.3.4"}`, later},
		"invalid":     {`{}`, later},
	} {
		if _, err := Restamp([]byte(tc.doc), tc.at); !errors.Is(err, ErrInvalid) {
			t.Errorf("Restamp(%s) error = %v, want ErrInvalid", name, err)
		}
	}
}

func FuzzInspect(f *testing.F) {
	f.Add([]byte(goodIn))
	for _, l := range []TLP{TLPWhite, TLPRed} {
		o, _ := Marking(l)
		f.Add(o.JSON)
	}
	f.Add([]byte(`{"type":"ipv4-addr","id":"ipv4-addr--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","value":"1.2.3.4"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		meta, err := Inspect(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Inspect() error %v does not wrap ErrInvalid", err)
			}
			return
		}
		if meta.Modified.IsZero() {
			return
		}
		out, err := Restamp(data, meta.Modified.Add(time.Second))
		if err != nil {
			t.Fatalf("Restamp(valid object) error = %v", err)
		}
		if m2, err := Inspect(out); err != nil || m2.ID != meta.ID || !m2.Created.Equal(meta.Created) {
			t.Fatalf("Inspect(Restamp()) = %+v, %v; want id %s kept", m2, err, meta.ID)
		}
	})
}
