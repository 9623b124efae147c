package threatfox

import (
	"io"
	"slices"
	"strings"
	"time"

	"github.com/stixgate/stixgate/convert/stix"
)

// DefaultProducer is the default identity name.
const DefaultProducer = "stixgate ThreatFox import"

// DefaultEpoch returns created/modified of the objects that no single row
// dates: the producer identity and the malware families. It is fixed
// (2020-01-01T00:00:00Z), not the wall clock, so that re-imports keep them
// byte-identical and their created never changes across versions (STIX 2.1
// §3.6).
func DefaultEpoch() time.Time { return time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC) }

// Options control Convert. The zero value is usable.
type Options struct {
	// Producer names the identity in created_by_ref; DefaultProducer if empty.
	Producer string
	// TLP is the marking on every object. ThreatFox data is published under
	// CC0 with no sharing restriction, which is TLP:CLEAR; STIX 2.1's
	// predefined markings (§7.2.1.4) are TLP 1.0, so the default is their
	// equivalent, stix.TLPWhite.
	TLP stix.TLP
	// ValidFor sets valid_until = first seen + ValidFor; 0 emits none.
	ValidFor time.Duration
	// Epoch overrides DefaultEpoch.
	Epoch time.Time
}

func (o Options) withDefaults() Options {
	if o.Producer == "" {
		o.Producer = DefaultProducer
	}
	if o.TLP == "" {
		o.TLP = stix.TLPWhite
	}
	if o.Epoch.IsZero() {
		o.Epoch = DefaultEpoch()
	}
	return o
}

// Import reads r (see Read) and converts the rows (see Convert).
func Import(r io.Reader, f Format, opts Options) (stix.Bundle, Result, error) {
	res, err := Read(r, f)
	if err != nil {
		return stix.Bundle{}, res, err
	}
	b, err := Convert(res.Rows, opts)
	return b, res, err
}

// Convert maps rows to a STIX 2.1 bundle: the TLP marking-definition, the
// producer identity, one malware per family, one indicator per distinct
// (ioc_type, value) and one "indicates" relationship per indicator with a
// family. Ids are UUIDv5 and timestamps come from the rows, so the same rows
// always give byte-identical output, in any order. When one IOC appears in
// several rows, the row with the earliest first seen wins (the first such
// row on a tie). Errors wrap stix.ErrInvalid or name a bad option.
func Convert(rows []Row, opts Options) (stix.Bundle, error) {
	opts = opts.withDefaults()
	m, err := newMapper(opts)
	if err != nil {
		return stix.Bundle{}, err
	}
	winners := dedupe(rows)
	fams := m.families(winners)
	objs := make([]stix.Object, 0, 2+len(fams)+2*len(winners))
	objs = append(objs, m.marking, m.identity)
	for _, f := range fams {
		o, err := m.malware(f)
		if err != nil {
			return stix.Bundle{}, err
		}
		objs = append(objs, o)
	}
	for _, r := range winners {
		ind, rel, err := m.indicator(r)
		if err != nil {
			return stix.Bundle{}, err
		}
		objs = append(objs, ind)
		if rel.ID != "" {
			objs = append(objs, rel)
		}
	}
	return stix.Bundle{Objects: sortObjects(objs, 2)}, nil
}

// iocID identifies one IOC: (ioc_type, normalised value).
type iocID struct{ typ, value string }

// dedupe keeps one row per (ioc_type, value).
func dedupe(rows []Row) []*Row {
	idx := make(map[iocID]int, len(rows))
	out := make([]*Row, 0, len(rows))
	for i := range rows {
		r := &rows[i]
		k := iocID{r.IOCType, r.Value}
		j, ok := idx[k]
		if !ok {
			idx[k] = len(out)
			out = append(out, r)
			continue
		}
		if r.FirstSeen.Before(out[j].FirstSeen) {
			out[j] = r
		}
	}
	return out
}

// familyKey normalises a family name for its id: case and spacing do not
// make a different family.
func familyKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// fam aggregates the rows of one malware family.
type fam struct {
	key, id, name, malpedia string
	aliases, types          []string
}

// families groups the rows by normalised family name, in first-seen order.
// Aliases are collected case-insensitively in first-seen order (the first
// spelling wins) and then sorted, as are malware_types.
func (m *mapper) families(rows []*Row) []*fam {
	byKey := map[string]*fam{}
	byName := map[string]*fam{} // skips familyKey for a spelling seen before
	var out []*fam
	for _, r := range rows {
		if r.Malware == "" {
			continue
		}
		f := byName[r.Malware]
		if f == nil {
			k := familyKey(r.Malware)
			if f = byKey[k]; f == nil {
				f = &fam{key: k, id: malwareID(k), name: r.Malware}
				byKey[k] = f
				out = append(out, f)
			}
			byName[r.Malware] = f
			m.famIDs[r.Malware] = f.id
		}
		f.add(r)
	}
	for _, f := range out {
		slices.Sort(f.aliases)
		slices.Sort(f.types)
	}
	return out
}

func (f *fam) add(r *Row) {
	if f.malpedia == "" {
		f.malpedia = r.MalwareID
	}
	for _, a := range r.Aliases {
		if a = absent(a); a != "" && !strings.EqualFold(a, f.name) && !containsFold(f.aliases, a) {
			f.aliases = append(f.aliases, a)
		}
	}
	if t := threatOf(r.ThreatType).malware; t != "" && !slices.Contains(f.types, t) {
		f.types = append(f.types, t)
	}
}
