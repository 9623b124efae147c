package stix

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/TcM1911/stix2"
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

func (t TLP) definition() (*stix2.MarkingDefinition, error) {
	switch t {
	case TLPWhite, "":
		return stix2.TLPWhite, nil
	case TLPGreen:
		return stix2.TLPGreen, nil
	case TLPAmber:
		return stix2.TLPAmber, nil
	case TLPRed:
		return stix2.TLPRed, nil
	}
	return nil, fmt.Errorf("stix: unknown tlp level %q: %w", string(t), ErrInvalid)
}

// MarkingID returns the fixed marking-definition id of level t.
func (t TLP) MarkingID() (string, error) {
	d, err := t.definition()
	if err != nil {
		return "", err
	}
	return string(d.ID), nil
}

// Marking returns the predefined marking-definition object of level t; the
// empty level means TLPWhite.
func Marking(t TLP) (Object, error) {
	d, err := t.definition()
	if err != nil {
		return Object{}, err
	}
	b, err := json.Marshal(d)
	if err != nil {
		return Object{}, fmt.Errorf("stix: marshal %s: %w", d.ID, err)
	}
	return Object{ID: string(d.ID), Type: string(d.Type), Created: d.Created.UTC(), JSON: b}, nil
}
