package kql

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stixgate/stixgate/convert/pattern"
)

// STIXInput is what IndicatorsFromSTIX found in a set of STIX objects.
type STIXInput struct {
	Indicators []Indicator // active indicators with a parsed STIX pattern, in input order
	Refused    []Refusal   // indicators whose pattern is not STIX or does not parse
	Inactive   []string    // ids left out because they are revoked or past valid_until
	Meta       Meta        // pack name, description and ATT&CK tactics derived from the indicators
}

// stixObject holds the few properties a pack needs from any STIX object.
type stixObject struct {
	Type         string    `json:"type"`
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Pattern      string    `json:"pattern"`
	PatternType  string    `json:"pattern_type"`
	Revoked      bool      `json:"revoked"`
	ValidUntil   time.Time `json:"valid_until"`
	CreatedByRef string    `json:"created_by_ref"`
	RelType      string    `json:"relationship_type"`
	SourceRef    string    `json:"source_ref"`
	TargetRef    string    `json:"target_ref"`
	ExternalRefs []struct {
		SourceName string `json:"source_name"`
	} `json:"external_references"`
	KillChainPhases []struct {
		KillChainName string `json:"kill_chain_name"`
		PhaseName     string `json:"phase_name"`
	} `json:"kill_chain_phases"`
}

// IndicatorsFromSTIX turns the indicators among objects into pack input.
// The CLI (bundle files) and the HTTP API (a collection's objects) both call
// it, so they build the same pack from the same objects. Each indicator's
// Source, cited in the hunts' "// Source:" comment, is its origin (the first
// external reference's source_name, else the name of its created_by_ref
// identity) and the malware families it indicates, e.g.
// "ThreatFox - PureLogs Stealer". Revoked and expired indicators (valid_until
// at or before now) are left out unless includeInactive is set.
func IndicatorsFromSTIX(objects [][]byte, now time.Time, includeInactive bool) (STIXInput, error) {
	objs := make([]stixObject, 0, len(objects))
	for i, raw := range objects {
		var o stixObject
		if err := json.Unmarshal(raw, &o); err != nil {
			return STIXInput{}, fmt.Errorf("kql: stix object %d: %w", i, err)
		}
		objs = append(objs, o)
	}
	names, families := sourceIndex(objs)
	var in STIXInput
	for _, o := range objs {
		if o.Type != "indicator" {
			continue
		}
		if !includeInactive && (o.Revoked || (!o.ValidUntil.IsZero() && !o.ValidUntil.After(now))) {
			in.Inactive = append(in.Inactive, o.ID)
			continue
		}
		ind, err := indicatorFrom(o, names, families[o.ID])
		if err != nil {
			in.Refused = append(in.Refused, Refusal{ID: o.ID, Err: err})
			continue
		}
		in.Indicators = append(in.Indicators, ind)
		in.Meta.Tactics = appendTactics(in.Meta.Tactics, o)
	}
	in.Meta.Name, in.Meta.Description = packTitle(in.Indicators)
	return in, nil
}

// packTitle names a pack after the sources of its indicators.
func packTitle(inds []Indicator) (name, description string) {
	var sources []string
	for _, ind := range inds {
		if ind.Source != "" && !slices.Contains(sources, ind.Source) {
			sources = append(sources, ind.Source)
		}
	}
	name = "stixgate hunting pack"
	if len(sources) > 0 {
		name += ": " + strings.Join(sources, "; ")
	}
	return name, fmt.Sprintf("Hunts for %d STIX indicator(s) rendered by stixgate.", len(inds))
}

// appendTactics adds the Sentinel spelling of the MITRE ATT&CK tactics an
// indicator's kill chain names (command-and-control → CommandAndControl).
func appendTactics(tactics []string, o stixObject) []string {
	for _, k := range o.KillChainPhases {
		if k.KillChainName != "mitre-attack" || k.PhaseName == "" {
			continue
		}
		var b strings.Builder
		for _, w := range strings.Split(k.PhaseName, "-") {
			if w != "" {
				b.WriteString(strings.ToUpper(w[:1]) + w[1:])
			}
		}
		if t := b.String(); !slices.Contains(tactics, t) {
			tactics = append(tactics, t)
		}
	}
	return tactics
}

// sourceIndex maps identity and malware ids to names, and indicator ids to
// the sorted names of the malware they indicate.
func sourceIndex(objs []stixObject) (names map[string]string, families map[string][]string) {
	names = map[string]string{}
	for _, o := range objs {
		if o.Type == "identity" || o.Type == "malware" {
			names[o.ID] = o.Name
		}
	}
	families = map[string][]string{}
	for _, o := range objs {
		if o.Type == "relationship" && o.RelType == "indicates" && strings.HasPrefix(o.TargetRef, "malware--") {
			if n := names[o.TargetRef]; n != "" && !slices.Contains(families[o.SourceRef], n) {
				families[o.SourceRef] = append(families[o.SourceRef], n)
			}
		}
	}
	for _, f := range families {
		slices.Sort(f)
	}
	return names, families
}

func indicatorFrom(o stixObject, names map[string]string, families []string) (Indicator, error) {
	if o.PatternType != "stix" {
		return Indicator{}, fmt.Errorf("kql: pattern_type %q: only stix patterns render as KQL", o.PatternType)
	}
	expr, err := pattern.Parse(o.Pattern)
	if err != nil {
		return Indicator{}, err
	}
	origin := names[o.CreatedByRef]
	for _, r := range o.ExternalRefs {
		if r.SourceName != "" {
			origin = r.SourceName
			break
		}
	}
	source := strings.Join(families, ", ")
	switch {
	case origin != "" && source != "":
		source = origin + " - " + source
	case origin != "":
		source = origin
	}
	return Indicator{ID: o.ID, Name: o.Name, Source: source, Pattern: expr}, nil
}
