package stix

import (
	"fmt"
	"time"
)

// Each New* function writes the object's keys in sorted order by hand (see
// enc); the order of the calls below is therefore significant.

// Indicator describes a STIX 2.1 indicator with pattern_type "stix".
type Indicator struct {
	Common
	Name        string
	Description string
	Types       []string // indicator_types
	Pattern     string
	ValidFrom   time.Time
	ValidUntil  time.Time // zero: no valid_until
	KillChain   []KillChainPhase
}

// NewIndicator serialises in. It returns an error wrapping ErrInvalid when a
// required property is missing or inconsistent.
func NewIndicator(in Indicator) (Object, error) {
	if err := in.check(); err != nil {
		return Object{}, err
	}
	e := newEnc(indicatorSize(&in))
	in.encode(e)
	return in.object("indicator", e.done()), nil
}

// indicatorSize bounds the usual encoded size, to allocate once: fixed
// keys and ids, plus the variable parts with room for escapes.
func indicatorSize(in *Indicator) int {
	n := 768 + 2*(len(in.Name)+len(in.Description)+len(in.Pattern)) + 64*(len(in.Labels)+len(in.Markings)+len(in.KillChain))
	for _, r := range in.ExternalRefs {
		n += 64 + len(r.Source) + len(r.Description) + len(r.ExternalID) + len(r.URL)
	}
	return n
}

func relationshipSize(in *Relationship) int {
	return 512 + 64*(len(in.Labels)+len(in.Markings)+len(in.ExternalRefs))
}

func (in *Indicator) check() error {
	if err := in.Common.check("indicator"); err != nil {
		return err
	}
	if in.Pattern == "" || in.ValidFrom.IsZero() {
		return fmt.Errorf("stix: indicator %s: pattern and valid_from are required: %w", in.ID, ErrInvalid)
	}
	if !in.ValidUntil.IsZero() && !in.ValidUntil.After(in.ValidFrom) {
		return fmt.Errorf("stix: indicator %s: valid_until not after valid_from: %w", in.ID, ErrInvalid)
	}
	return nil
}

func (in *Indicator) encode(e *enc) {
	in.head(e)
	e.str("description", in.Description)
	e.externalRefs(in.ExternalRefs)
	e.str("id", in.ID)
	e.strs("indicator_types", in.Types)
	e.killChain(in.KillChain)
	e.strs("labels", in.Labels)
	e.time("modified", in.Modified)
	e.str("name", in.Name)
	e.strs("object_marking_refs", in.Markings)
	e.key("pattern")
	e.b = appendString(e.b, in.Pattern)
	e.str("pattern_type", "stix")
	e.str("pattern_version", "2.1")
	in.tail(e, "indicator")
	e.time("valid_from", in.ValidFrom)
	e.time("valid_until", in.ValidUntil)
}

// Malware describes a STIX 2.1 malware family or instance.
type Malware struct {
	Common
	Name        string
	Description string
	IsFamily    bool
	Aliases     []string
	Types       []string // malware_types
}

// NewMalware serialises in. A family needs a name (STIX 2.1 §4.11).
func NewMalware(in Malware) (Object, error) {
	if err := in.check("malware"); err != nil {
		return Object{}, err
	}
	if in.IsFamily && in.Name == "" {
		return Object{}, fmt.Errorf("stix: malware %s: a family needs a name: %w", in.ID, ErrInvalid)
	}
	e := newEnc(512 + len(in.Description))
	e.strs("aliases", in.Aliases)
	in.head(e)
	e.str("description", in.Description)
	e.externalRefs(in.ExternalRefs)
	e.str("id", in.ID)
	e.boolean("is_family", in.IsFamily)
	e.strs("labels", in.Labels)
	e.strs("malware_types", in.Types)
	e.time("modified", in.Modified)
	e.str("name", in.Name)
	e.strs("object_marking_refs", in.Markings)
	in.tail(e, "malware")
	return in.object("malware", e.done()), nil
}

// Identity describes a STIX 2.1 identity (the producer of imported data).
type Identity struct {
	Common
	Name        string
	Description string
	Class       string // identity_class, e.g. "system" or "organization"
}

// NewIdentity serialises in.
func NewIdentity(in Identity) (Object, error) {
	if err := in.check("identity"); err != nil {
		return Object{}, err
	}
	if in.Name == "" || in.Class == "" {
		return Object{}, fmt.Errorf("stix: identity %s: name and identity_class are required: %w", in.ID, ErrInvalid)
	}
	e := newEnc(512 + len(in.Description))
	in.head(e)
	e.str("description", in.Description)
	e.externalRefs(in.ExternalRefs)
	e.str("id", in.ID)
	e.str("identity_class", in.Class)
	e.strs("labels", in.Labels)
	e.time("modified", in.Modified)
	e.str("name", in.Name)
	e.strs("object_marking_refs", in.Markings)
	in.tail(e, "identity")
	return in.object("identity", e.done()), nil
}

// Relationship describes a STIX 2.1 relationship SRO.
type Relationship struct {
	Common
	Type   string // relationship_type, e.g. "indicates"
	Source string
	Target string
}

// NewRelationship serialises in.
func NewRelationship(in Relationship) (Object, error) {
	if err := in.check(); err != nil {
		return Object{}, err
	}
	e := newEnc(relationshipSize(&in))
	in.encode(e)
	return in.object("relationship", e.done()), nil
}

func (in *Relationship) check() error {
	if err := in.Common.check("relationship"); err != nil {
		return err
	}
	if in.Type == "" || in.Source == "" || in.Target == "" {
		return fmt.Errorf("stix: relationship %s: relationship_type, source_ref and target_ref are required: %w", in.ID, ErrInvalid)
	}
	return nil
}

func (in *Relationship) encode(e *enc) {
	in.head(e)
	e.externalRefs(in.ExternalRefs)
	e.str("id", in.ID)
	e.strs("labels", in.Labels)
	e.time("modified", in.Modified)
	e.strs("object_marking_refs", in.Markings)
	e.str("relationship_type", in.Type)
	e.str("source_ref", in.Source)
	e.str("spec_version", "2.1")
	e.str("target_ref", in.Target)
	e.str("type", "relationship")
}
