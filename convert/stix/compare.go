package stix

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// SameContent reports whether two serialisations of one STIX object say the
// same thing apart from their version stamp (`modified`). A re-import uses it
// to tell an unchanged row (nothing to write) from a changed one (a new
// version). Key order and white space do not matter.
func SameContent(a, b []byte) (bool, error) {
	ca, err := canonicalWithoutModified(a)
	if err != nil {
		return false, err
	}
	cb, err := canonicalWithoutModified(b)
	if err != nil {
		return false, err
	}
	return bytes.Equal(ca, cb), nil
}

// canonicalWithoutModified re-encodes raw with sorted keys (encoding/json
// sorts map keys) and without `modified`.
func canonicalWithoutModified(raw []byte) ([]byte, error) {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keep 75 and 75.0 distinct, as they are in the JSON
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("stix: compare: %w", err)
	}
	delete(m, "modified")
	return json.Marshal(m)
}
