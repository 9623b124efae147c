package threatfox

import (
	"cmp"
	"slices"
	"strings"

	"github.com/stixgate/stixgate/convert/stix"
)

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
	byID := func(a, b sortKey) int { return strings.Compare(tail[a.i].ID, tail[b.i].ID) }
	if uuids {
		keys = bucketSort(keys, byID)
	} else {
		slices.SortFunc(keys, func(a, b sortKey) int { return cmp.Or(cmp.Compare(a.rank, b.rank), byID(a, b)) })
	}
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

// bucketBits is how many top bits of a UUID pick its bucket: 4096 buckets
// per type, a few dozen objects each for 100k rows.
const bucketBits = 12

// bucketSort orders UUID-keyed objects by (rank, hi, lo), with tie as the
// last word. UUIDv5 bits are uniform, so a counting sort on the rank and
// the top bits of hi leaves small buckets to sort by comparison: linear
// time where a comparison sort of the whole was a tenth of Convert.
func bucketSort(keys []sortKey, tie func(a, b sortKey) int) []sortKey {
	bucket := func(k sortKey) int { return int(k.rank)<<bucketBits | int(k.hi>>(64-bucketBits)) }
	ends := make([]int32, 6<<bucketBits) // ranks 0-5
	for _, k := range keys {
		ends[bucket(k)]++
	}
	var sum int32
	for i, n := range ends {
		sum += n
		ends[i] = sum
	}
	out := make([]sortKey, len(keys))
	for i := len(keys) - 1; i >= 0; i-- { // fill each bucket from its end
		b := bucket(keys[i])
		ends[b]--
		out[ends[b]] = keys[i]
	}
	// ends[b] is now bucket b's start.
	for b, start := range ends {
		end := int32(len(out))
		if b+1 < len(ends) {
			end = ends[b+1]
		}
		if end-start > 1 {
			slices.SortFunc(out[start:end], func(x, y sortKey) int {
				if c := cmp.Compare(x.hi, y.hi); c != 0 {
					return c
				}
				if c := cmp.Compare(x.lo, y.lo); c != 0 {
					return c
				}
				return tie(x, y)
			})
		}
	}
	return out
}
