package stix

import (
	"fmt"
	"strings"
	"time"
)

// TLP is a Traffic Light Protocol level with a predefined STIX 2.1
// marking-definition (STIX 2.1 §7.2.1.4).
type TLP string

// The predefined STIX 2.1 TLP levels. STIX 2.1 predates TLP 2.0: TLP:CLEAR
// has no predefined 2.1 object and is represented by TLPWhite (ParseTLP maps
// "clear" to it).
const (
	TLPWhite TLP = "white"
	TLPGreen TLP = "green"
	TLPAmber TLP = "amber"
	TLPRed   TLP = "red"
)

// ParseTLP accepts "white", "clear", "green", "amber" or "red", with or
// without a "TLP:" prefix, in any case.
func ParseTLP(s string) (TLP, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	v = strings.TrimPrefix(v, "tlp:")
	switch v {
	case "white", "clear":
		return TLPWhite, nil
	case "green", "amber", "red":
		return TLP(v), nil
	}
	return "", fmt.Errorf("stix: unknown tlp level %q: %w", s, ErrInvalid)
}

// tlpDef is one predefined TLP marking-definition of STIX 2.1 §7.2.1.4.
type tlpDef struct{ id, name string }

// tlpDefs hold the fixed ids. They are spelled out here rather than taken
// from the stix2 module, whose import graph reaches net/http (through
// ugorji/go/codec and net/rpc), which convert must not depend on; the tests
// check them against stix2.
var tlpDefs = map[TLP]tlpDef{
	TLPWhite: {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "TLP:WHITE"},
	TLPGreen: {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "TLP:GREEN"},
	TLPAmber: {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "TLP:AMBER"},
	TLPRed:   {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "TLP:RED"},
}

// tlpCreated is the created time of all four predefined markings.
var tlpCreated = time.Date(2017, 1, 20, 0, 0, 0, 0, time.UTC)

func (t TLP) definition() (tlpDef, error) {
	if t == "" {
		t = TLPWhite
	}
	d, ok := tlpDefs[t]
	if !ok {
		return tlpDef{}, fmt.Errorf("stix: unknown tlp level %q: %w", string(t), ErrInvalid)
	}
	return d, nil
}

// MarkingID returns the fixed marking-definition id of level t.
func (t TLP) MarkingID() (string, error) {
	d, err := t.definition()
	return d.id, err
}

// Marking returns the predefined marking-definition object of level t; the
// empty level means TLPWhite.
func Marking(t TLP) (Object, error) {
	d, err := t.definition()
	if err != nil {
		return Object{}, err
	}
	if t == "" {
		t = TLPWhite
	}
	e := newEnc(256)
	e.time("created", tlpCreated)
	e.key("definition")
	e.b = append(e.b, `{"tlp":`...)
	e.b = appendString(e.b, string(t))
	e.b = append(e.b, '}')
	e.str("definition_type", "tlp")
	e.str("id", d.id)
	e.str("name", d.name)
	e.str("spec_version", "2.1")
	e.str("type", "marking-definition")
	return Object{ID: d.id, Type: "marking-definition", Created: tlpCreated, JSON: e.done()}, nil
}
