package threatfox

import (
	"fmt"
	"time"

	"github.com/stixgate/stixgate/convert/stix"
)

// mapper holds what every object of one Convert call shares, plus the
// per-call caches and scratch buffers that keep the per-row cost low. It is
// not safe for concurrent use.
type mapper struct {
	opts     Options
	marking  stix.Object
	identity stix.Object
	markings []string

	bld      stix.Builder
	patterns patterns
	famIDs   map[string]string // row family name → malware id (interned)
	// scratch, valid until the next row: the Builder encodes before that
	desc   []byte
	labels []string
	refs   []stix.ExternalRef
	// indicator_types, shared read-only by every indicator
	typesPlain, typesCompromised []string
}

func newMapper(opts Options) (*mapper, error) {
	mark, err := stix.Marking(opts.TLP)
	if err != nil {
		return nil, fmt.Errorf("threatfox: options: %w", err)
	}
	m := &mapper{opts: opts, marking: mark, markings: []string{mark.ID}, patterns: patterns{},
		famIDs:     map[string]string{},
		typesPlain: []string{"malicious-activity"}, typesCompromised: []string{"malicious-activity", "compromised"}}
	m.identity, err = stix.NewIdentity(stix.Identity{
		Common: stix.Common{ID: stix.ID("identity", opts.Producer), Created: opts.Epoch, Modified: opts.Epoch,
			Markings: m.markings},
		Name:        opts.Producer,
		Class:       "system",
		Description: "Converts abuse.ch ThreatFox IOCs (CC0) to STIX 2.1.",
	})
	if err != nil {
		return nil, fmt.Errorf("threatfox: identity: %w", err)
	}
	return m, nil
}

func (m *mapper) common(id string, created time.Time) stix.Common {
	return stix.Common{ID: id, Created: created, Modified: created, CreatedBy: m.identity.ID, Markings: m.markings}
}

func (m *mapper) malware(f *fam) (stix.Object, error) {
	c := m.common(f.id, m.opts.Epoch)
	if f.malpedia != "" {
		c.ExternalRefs = []stix.ExternalRef{{Source: "Malpedia", ExternalID: f.malpedia,
			URL: "https://malpedia.caad.fkie.fraunhofer.de/details/" + f.malpedia}}
	}
	o, err := stix.NewMalware(stix.Malware{Common: c, Name: f.name, IsFamily: true, Aliases: f.aliases, Types: f.types})
	if err != nil {
		return stix.Object{}, fmt.Errorf("threatfox: family %q: %w", f.name, err)
	}
	return o, nil
}

func malwareID(key string) string { return stix.ID("malware", key) }

// familyID returns the malware id for a row's family name, computing the
// normalised key once per distinct spelling.
func (m *mapper) familyID(name string) string {
	id, ok := m.famIDs[name]
	if !ok {
		id = malwareID(familyKey(name))
		m.famIDs[name] = id
	}
	return id
}

// indicator maps one row to its indicator and, when the row names a family,
// the indicates relationship (else a zero Object).
func (m *mapper) indicator(r *Row) (stix.Object, stix.Object, error) {
	addr := ""
	if r.IOCType == "ip:port" {
		addr = r.AddrPort.Addr().String()
	}
	p, err := m.patterns.build(r, addr)
	if err != nil {
		return stix.Object{}, stix.Object{}, fmt.Errorf("threatfox: line %d: %w", r.Line, err)
	}
	th := threatOf(r.ThreatType)
	c := m.common(stix.IDOf("indicator", r.IOCType, r.Value), r.FirstSeen)
	m.labels = labels(m.labels, r)
	c.Labels, c.ExternalRefs = m.labels, m.externalRefs(r)
	c.Confidence, c.HasConfidence = r.Confidence, r.HasConfidence
	in := stix.Indicator{Common: c, Name: indicatorName(r, th), Description: m.description(r, th, addr),
		Types: m.typesPlain, Pattern: p, ValidFrom: r.FirstSeen, KillChain: th.phases}
	if r.Compromised {
		in.Types = m.typesCompromised
	}
	if m.opts.ValidFor > 0 {
		in.ValidUntil = r.FirstSeen.Add(m.opts.ValidFor)
	}
	ind, err := m.bld.Indicator(in)
	if err != nil || r.Malware == "" {
		return ind, stix.Object{}, wrapLine(r, err)
	}
	target := m.familyID(r.Malware)
	rel, err := m.bld.Relationship(stix.Relationship{Common: m.common(stix.IDOf("relationship", ind.ID, target), r.FirstSeen),
		Type: "indicates", Source: ind.ID, Target: target})
	return ind, rel, wrapLine(r, err)
}

func wrapLine(r *Row, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("threatfox: line %d: %w", r.Line, err)
}
