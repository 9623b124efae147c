package threatfox

import (
	"cmp"
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

// typeRank orders a bundle: marking, identity, malware, indicators,
// relationships; ids order objects within a type.
func typeRank(typ string) int32 {
	switch typ {
	case "marking-definition":
		return 0
	case "identity":
		return 1
	case "malware":
		return 2
	case "indicator":
		return 3
	case "relationship":
		return 4
	}
	return 5
}

// sortKey orders one object: by type rank, then by id. Ids are
// "<type>--<uuid>" with lower-case hex, whose order is the order of the
// UUID's bytes, so two integers compare what strings.Compare would, within
// one type. The id strings break ties, and order everything when any id is
// not such a UUID.
type sortKey struct {
	hi, lo uint64
	rank   int32
	i      int32
}

// sortObjects returns objs with objs[from:] sorted by type rank and id. It
// sorts small keys and gathers the objects once into a new slice, which is
// several times faster than sorting the Object structs themselves.
func sortObjects(objs []stix.Object, from int) []stix.Object {
	tail := objs[from:]
	keys := make([]sortKey, len(tail))
	uuids := true // else the integers would not order like the strings
	for i, o := range tail {
		k := sortKey{rank: typeRank(o.Type), i: int32(i)}
		_, u, _ := strings.Cut(o.ID, "--")
		k.hi, k.lo, uuids = uuidOrder(u, uuids)
		keys[i] = k
	}
	slices.SortFunc(keys, func(a, b sortKey) int {
		if c := cmp.Compare(a.rank, b.rank); c != 0 || !uuids {
			return cmp.Or(c, strings.Compare(tail[a.i].ID, tail[b.i].ID))
		}
		if c := cmp.Compare(a.hi, b.hi); c != 0 {
			return c
		}
		if c := cmp.Compare(a.lo, b.lo); c != 0 {
			return c
		}
		return strings.Compare(tail[a.i].ID, tail[b.i].ID)
	})
	sorted := make([]stix.Object, len(objs))
	copy(sorted, objs[:from])
	for i, k := range keys {
		sorted[from+i] = tail[k.i]
	}
	return sorted
}

// uuidOrder packs the 32 hex digits of a canonical lower-case UUID into
// two integers that order like the text. ok passes through and turns false
// for anything else.
func uuidOrder(u string, ok bool) (hi, lo uint64, _ bool) {
	if !ok || len(u) != 36 || u[8] != '-' || u[13] != '-' || u[18] != '-' || u[23] != '-' {
		return 0, 0, false
	}
	var v [2]uint64
	n := 0
	for i := 0; i < len(u); i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			continue
		}
		d := hexValue(u[i])
		if d > 15 {
			return 0, 0, false
		}
		v[n>>4] = v[n>>4]<<4 | uint64(d)
		n++
	}
	return v[0], v[1], true
}

// hexValue is the value of a lower-case hex digit, or 255.
func hexValue(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return 255
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
