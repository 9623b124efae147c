package stix

import (
	"encoding/json"
	"time"
)

// Restamp returns raw as a new version with modified set to the given time
// (STIX 2.1 §3.6 versioning: same id and created, later modified). The object
// must pass Inspect and carry modified, and the new time must be strictly
// after the current modified. Output keys are sorted, like every object this
// package builds, so restamping is byte-stable. Errors are *ValidationError.
func Restamp(raw []byte, modified time.Time) ([]byte, error) {
	meta, err := Inspect(raw)
	if err != nil {
		return nil, err
	}
	if meta.Modified.IsZero() {
		return nil, invalid("modified", "%s objects are not versioned", meta.Type)
	}
	modified = modified.UTC().Truncate(time.Millisecond)
	if !modified.After(meta.Modified) {
		return nil, invalid("modified", "new value %s is not after %s", fmtTime(modified), fmtTime(meta.Modified))
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, invalid("", "not a json object")
	}
	m["modified"] = json.RawMessage(`"` + fmtTime(modified) + `"`)
	out, err := json.Marshal(m)
	if err != nil {
		return nil, invalid("", "re-encode: %v", err)
	}
	return out, nil
}
