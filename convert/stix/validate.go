package stix

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// Meta is what the TAXII layer needs to index a posted object.
type Meta struct {
	ID          string
	Type        string
	SpecVersion string // "2.1"; also "2.1" for an SCO that omits it
	Created     time.Time
	Modified    time.Time // zero if absent (SCOs, marking-definitions)
	Pattern     string
	PatternType string
	Revoked     bool
	ValidUntil  time.Time
}

// common is the subset of properties Inspect reads. A nil RawMessage means
// absent; the raw bytes keep the JSON type of each value.
type common struct {
	Type, ID, SpecVersion, Created, Modified, Revoked, Confidence json.RawMessage
}

// Inspect validates the STIX 2.1 common properties of one serialised object
// and the required properties of its core type, and returns its index
// fields. Every failure is a *ValidationError (errors.Is ErrInvalid).
//
// Rules: type is 3–250 characters of a–z, 0–9 and '-', starts with a letter
// and has no "--"; id is "<type>--<RFC 4122 UUID>"; spec_version must be
// "2.1", and may be omitted only by the STIX 2.1 SCO types (§3.1, where it
// defaults to 2.1); created and modified are RFC 3339 UTC timestamps ending
// in Z, required on SDOs, SROs and custom objects (created alone on
// marking-definition), with modified ≥ created. Unknown (custom) types are
// held to the SDO rules.
func Inspect(raw []byte) (Meta, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return Meta{}, invalid("", "not a json object")
	}
	c := common{Type: m["type"], ID: m["id"], SpecVersion: m["spec_version"], Created: m["created"],
		Modified: m["modified"], Revoked: m["revoked"], Confidence: m["confidence"]}
	var meta Meta
	var err error
	if meta.Type, err = checkType(c.Type); err != nil {
		return Meta{}, err
	}
	if meta.ID, err = checkID(c.ID, meta.Type); err != nil {
		return Meta{}, err
	}
	if err := inspectCommon(&meta, c); err != nil {
		return Meta{}, err
	}
	if err := checkTypeProps(&meta, m); err != nil {
		return Meta{}, err
	}
	return meta, nil
}

func inspectCommon(meta *Meta, c common) error {
	kind := kindOf(meta.Type)
	var err error
	if meta.SpecVersion, err = checkSpecVersion(c.SpecVersion, kind); err != nil {
		return err
	}
	needCreated := kind != kindSCO
	needModified := kind == kindSDO
	if meta.Created, err = optTimestamp("created", c.Created, needCreated); err != nil {
		return err
	}
	if meta.Modified, err = optTimestamp("modified", c.Modified, needModified); err != nil {
		return err
	}
	if !meta.Modified.IsZero() && meta.Modified.Before(meta.Created) {
		return invalid("modified", "%s is before created %s", fmtTime(meta.Modified), fmtTime(meta.Created))
	}
	if c.Revoked != nil {
		if err := json.Unmarshal(c.Revoked, &meta.Revoked); err != nil {
			return invalid("revoked", "must be a boolean")
		}
	}
	if c.Confidence != nil {
		var n int
		if err := json.Unmarshal(c.Confidence, &n); err != nil || n < 0 || n > 100 {
			return invalid("confidence", "must be an integer 0-100")
		}
	}
	return nil
}

func checkType(raw json.RawMessage) (string, error) {
	s, ok := rawString(raw)
	if !ok {
		return "", invalid("type", "required string")
	}
	if !validTypeName(s) {
		return "", invalid("type", "%q is not a valid type name", s)
	}
	if s == "bundle" {
		return "", invalid("type", "a bundle is not an object")
	}
	return s, nil
}

func validTypeName(s string) bool {
	if len(s) < 3 || len(s) > 250 || s[0] < 'a' || s[0] > 'z' || strings.Contains(s, "--") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

func checkID(raw json.RawMessage, typ string) (string, error) {
	s, ok := rawString(raw)
	if !ok {
		return "", invalid("id", "required string")
	}
	prefix, uuid, found := strings.Cut(s, "--")
	if !found || prefix != typ {
		return "", invalid("id", "%q does not start with %q", s, typ+"--")
	}
	if !validUUID(uuid) {
		return "", invalid("id", "%q is not an RFC 4122 UUID", uuid)
	}
	return s, nil
}

// validUUID checks the 8-4-4-4-12 hex form, version 1–8 and the RFC 4122
// variant, as the STIX identifier schema does (it allows versions 1–5;
// 6–8 are RFC 9562 additions accepted here).
func validUUID(u string) bool {
	if len(u) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		switch i {
		case 8, 13, 18, 23:
			if u[i] != '-' {
				return false
			}
		default:
			if !isHex(u[i]) {
				return false
			}
		}
	}
	return u[14] >= '1' && u[14] <= '8' && strings.IndexByte("89abAB", u[19]) >= 0
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func checkSpecVersion(raw json.RawMessage, kind objKind) (string, error) {
	if raw == nil {
		if kind == kindSCO {
			return "2.1", nil
		}
		return "", invalid("spec_version", "required")
	}
	s, ok := rawString(raw)
	if !ok || s != "2.1" {
		return "", invalid("spec_version", "must be \"2.1\", got %s", trunc(raw))
	}
	return s, nil
}

func optTimestamp(prop string, raw json.RawMessage, required bool) (time.Time, error) {
	if raw == nil {
		if required {
			return time.Time{}, invalid(prop, "required")
		}
		return time.Time{}, nil
	}
	s, ok := rawString(raw)
	if !ok {
		return time.Time{}, invalid(prop, "must be a timestamp string")
	}
	return parseTimestamp(prop, s)
}

// parseTimestamp accepts STIX 2.1 timestamps: RFC 3339, upper-case T, UTC
// with a literal Z, optional fractional seconds.
func parseTimestamp(prop, s string) (time.Time, error) {
	if len(s) < 20 || s[10] != 'T' || s[len(s)-1] != 'Z' {
		return time.Time{}, invalid(prop, "%q is not an RFC 3339 UTC timestamp ending in Z", s)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, invalid(prop, "%q is not an RFC 3339 UTC timestamp ending in Z", s)
	}
	return t.UTC(), nil
}

func rawString(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

func trunc(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 40 {
		return string(raw[:40]) + "…"
	}
	return string(raw)
}

func fmtTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
