package stix

import (
	"encoding/json"
	"strings"
)

type objKind int

const (
	kindSDO     objKind = iota // SDOs, SROs, language-content, extension-definition, custom objects
	kindSCO                    // cyber-observable objects: no created/modified, spec_version optional
	kindMarking                // marking-definition: created, no modified
)

// scoTypes are the STIX 2.1 §6 cyber-observable object types.
var scoTypes = map[string]bool{
	"artifact": true, "autonomous-system": true, "directory": true, "domain-name": true,
	"email-addr": true, "email-message": true, "file": true, "ipv4-addr": true, "ipv6-addr": true,
	"mac-addr": true, "mutex": true, "network-traffic": true, "process": true, "software": true,
	"url": true, "user-account": true, "windows-registry-key": true, "x509-certificate": true,
}

func kindOf(typ string) objKind {
	switch {
	case scoTypes[typ]:
		return kindSCO
	case typ == "marking-definition":
		return kindMarking
	}
	return kindSDO
}

// required lists, per core type, the properties STIX 2.1 marks required
// beyond the common ones. Types with conditional rules (indicator, malware,
// relationship, sighting, marking-definition) have functions below.
var required = map[string][]string{
	"attack-pattern":       {"name"},
	"campaign":             {"name"},
	"course-of-action":     {"name"},
	"grouping":             {"context", "object_refs"},
	"identity":             {"name"},
	"incident":             {"name"},
	"infrastructure":       {"name"},
	"intrusion-set":        {"name"},
	"location":             {},
	"malware-analysis":     {"product"},
	"note":                 {"content", "object_refs"},
	"observed-data":        {"first_observed", "last_observed", "number_observed"},
	"opinion":              {"opinion", "object_refs"},
	"report":               {"name", "published", "object_refs"},
	"threat-actor":         {"name"},
	"tool":                 {"name"},
	"vulnerability":        {"name"},
	"domain-name":          {"value"},
	"email-addr":           {"value"},
	"ipv4-addr":            {"value"},
	"ipv6-addr":            {"value"},
	"mac-addr":             {"value"},
	"url":                  {"value"},
	"mutex":                {"name"},
	"autonomous-system":    {"number"},
	"directory":            {"path"},
	"language-content":     {"object_ref", "contents"},
	"extension-definition": {"name", "schema", "version", "extension_types"},
}

func checkTypeProps(meta *Meta, m map[string]json.RawMessage) error {
	for _, p := range required[meta.Type] {
		if isEmpty(m[p]) {
			return invalid(p, "required for %s", meta.Type)
		}
	}
	switch meta.Type {
	case "indicator":
		return checkIndicator(meta, m)
	case "malware":
		return checkMalware(m)
	case "relationship":
		return checkRelationship(m)
	case "sighting":
		return checkRef(m, "sighting_of_ref")
	case "marking-definition":
		return checkMarking(m)
	}
	return nil
}

func isEmpty(raw json.RawMessage) bool {
	switch strings.TrimSpace(string(raw)) {
	case "", "null", `""`, "[]", "{}":
		return true
	}
	return false
}

func checkIndicator(meta *Meta, m map[string]json.RawMessage) error {
	var ok bool
	if meta.Pattern, ok = rawString(m["pattern"]); !ok || meta.Pattern == "" {
		return invalid("pattern", "required string")
	}
	if meta.PatternType, ok = rawString(m["pattern_type"]); !ok || meta.PatternType == "" {
		return invalid("pattern_type", "required string")
	}
	from, err := optTimestamp("valid_from", m["valid_from"], true)
	if err != nil {
		return err
	}
	if meta.ValidUntil, err = optTimestamp("valid_until", m["valid_until"], false); err != nil {
		return err
	}
	if !meta.ValidUntil.IsZero() && !meta.ValidUntil.After(from) {
		return invalid("valid_until", "%s is not after valid_from %s", fmtTime(meta.ValidUntil), fmtTime(from))
	}
	return nil
}

func checkMalware(m map[string]json.RawMessage) error {
	var family bool
	if err := json.Unmarshal(m["is_family"], &family); err != nil || m["is_family"] == nil {
		return invalid("is_family", "required boolean")
	}
	if name, ok := rawString(m["name"]); family && (!ok || name == "") {
		return invalid("name", "required when is_family is true")
	}
	return nil
}

func checkRelationship(m map[string]json.RawMessage) error {
	rt, ok := rawString(m["relationship_type"])
	if !ok || rt == "" {
		return invalid("relationship_type", "required string")
	}
	if err := checkRef(m, "source_ref"); err != nil {
		return err
	}
	return checkRef(m, "target_ref")
}

func checkRef(m map[string]json.RawMessage, prop string) error {
	s, ok := rawString(m[prop])
	if !ok {
		return invalid(prop, "required identifier")
	}
	typ, uuid, found := strings.Cut(s, "--")
	if !found || !validTypeName(typ) || !validUUID(uuid) {
		return invalid(prop, "%q is not a STIX identifier", s)
	}
	return nil
}

// checkMarking accepts the 2.1 definition_type/definition pair and the
// extension-based form used by the TLP 2.0 marking-definitions.
func checkMarking(m map[string]json.RawMessage) error {
	if !isEmpty(m["extensions"]) {
		return nil
	}
	if dt, ok := rawString(m["definition_type"]); !ok || dt == "" {
		return invalid("definition_type", "required string")
	}
	if isEmpty(m["definition"]) {
		return invalid("definition", "required")
	}
	return nil
}
