package stix

import (
	"fmt"
	"time"
)

// Object is one serialised STIX object plus the index fields a store needs.
// JSON is compact with sorted keys.
type Object struct {
	ID       string
	Type     string
	Created  time.Time
	Modified time.Time // zero for objects without modified (marking-definition)
	JSON     []byte
}

// KillChainPhase is a STIX kill-chain-phase.
type KillChainPhase struct {
	KillChain string // kill_chain_name, e.g. "mitre-attack"
	Phase     string // phase_name, e.g. "command-and-control"
}

// ExternalRef is a STIX external-reference. STIX 2.1 §2.5 requires Source
// and at least one of Description, URL and ExternalID.
type ExternalRef struct {
	Source      string
	Description string
	ExternalID  string
	URL         string
}

// Common holds the properties shared by the SDOs and SROs built here. ID,
// Created and Modified are required: nothing here reads the clock.
type Common struct {
	ID            string
	Created       time.Time
	Modified      time.Time
	CreatedBy     string   // identity id, optional
	Markings      []string // marking-definition ids
	Labels        []string
	Confidence    int
	HasConfidence bool // Confidence 0 is meaningful ("none"), so presence is explicit
	ExternalRefs  []ExternalRef
}

func (c Common) check(typ string) error {
	switch {
	case !hasTypePrefix(c.ID, typ):
		return fmt.Errorf("stix: %s id %q: %w", typ, c.ID, ErrInvalid)
	case c.Created.IsZero() || c.Modified.Before(c.Created):
		return fmt.Errorf("stix: %s %s: created/modified not set or modified before created: %w", typ, c.ID, ErrInvalid)
	case c.HasConfidence && (c.Confidence < 0 || c.Confidence > 100):
		return fmt.Errorf("stix: %s %s: confidence %d outside 0-100: %w", typ, c.ID, c.Confidence, ErrInvalid)
	}
	return nil
}

func hasTypePrefix(id, typ string) bool {
	return len(id) == len(typ)+2+36 && id[:len(typ)] == typ && id[len(typ):len(typ)+2] == "--"
}

func (c Common) object(typ string, b []byte) Object {
	return Object{ID: c.ID, Type: typ, Created: c.Created.UTC(), Modified: c.Modified.UTC(), JSON: b}
}

// head writes the common keys that sort before every type-specific key.
func (c Common) head(e *enc) {
	if c.HasConfidence {
		e.integer("confidence", c.Confidence)
	}
	e.time("created", c.Created)
	e.str("created_by_ref", c.CreatedBy)
}

func (c Common) tail(e *enc, typ string) {
	e.str("spec_version", "2.1")
	e.str("type", typ)
}
