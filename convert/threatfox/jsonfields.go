package threatfox

import (
	"bytes"
	"encoding/json"
)

// flexString accepts a JSON string, number, boolean or null: ThreatFox
// formats disagree on the JSON type of ids, confidence and flags.
type flexString string

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*f = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	case b[0] == '{' || b[0] == '[':
		return errJSON("expected a scalar, found " + string(b[:1]))
	default:
		*f = flexString(b)
	}
	return nil
}

// flexList accepts an array of strings, a comma-separated string or null:
// API tags are an array, export tags and aliases a string.
type flexList []string

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var items []flexString
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		out := make([]string, len(items))
		for i, s := range items {
			out[i] = string(s)
		}
		*f = out
		return nil
	}
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	*f = splitList(string(s))
	return nil
}

type errJSON string

func (e errJSON) Error() string { return string(e) }

// record is one IOC in the API (ioc, first_seen, …) or the JSON export
// (ioc_value, first_seen_utc, …) shape; one struct reads both.
type record struct {
	ID               flexString `json:"id"`
	IOC              flexString `json:"ioc"`
	IOCValue         flexString `json:"ioc_value"`
	IOCType          flexString `json:"ioc_type"`
	ThreatType       flexString `json:"threat_type"`
	Malware          flexString `json:"malware"`
	MalwarePrintable flexString `json:"malware_printable"`
	MalwareAlias     flexList   `json:"malware_alias"`
	FirstSeen        flexString `json:"first_seen"`
	FirstSeenUTC     flexString `json:"first_seen_utc"`
	LastSeen         flexString `json:"last_seen"`
	LastSeenUTC      flexString `json:"last_seen_utc"`
	Confidence       flexString `json:"confidence_level"`
	IsCompromised    flexString `json:"is_compromised"`
	Reference        flexString `json:"reference"`
	Tags             flexList   `json:"tags"`
	Reporter         flexString `json:"reporter"`
}

func (r *record) raw(line int, id string) raw {
	if r.ID != "" {
		id = string(r.ID)
	}
	return raw{
		line: line, id: id, value: first(r.IOC, r.IOCValue), iocType: string(r.IOCType),
		threatType: string(r.ThreatType), malwareID: string(r.Malware), malware: string(r.MalwarePrintable),
		aliases: r.MalwareAlias, firstSeen: first(r.FirstSeen, r.FirstSeenUTC),
		lastSeen: first(r.LastSeen, r.LastSeenUTC), confidence: string(r.Confidence), tags: r.Tags,
		compromised: string(r.IsCompromised), reference: string(r.Reference), reporter: string(r.Reporter),
	}
}

func first(a, b flexString) string {
	if a != "" {
		return string(a)
	}
	return string(b)
}
