package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// VersionFilter is match[version]; its parts are OR-ed. The zero value means "last" (the TAXII default),
// except in Versions (all) and Delete (all).
type VersionFilter struct {
	First, Last, All bool
	At               []time.Time // compared as instants at microsecond precision
}

func (vf VersionFilter) isZero() bool {
	return !vf.First && !vf.Last && !vf.All && len(vf.At) == 0
}

// stamps returns At as 16-digit version stamps, dropping times no stored version can have.
func (vf VersionFilter) stamps() []string {
	out := make([]string, 0, len(vf.At))
	for _, t := range vf.At {
		if st, ok := stamp(t); ok {
			out = append(out, st)
		}
	}
	return out
}

// Query selects and pages records. Different fields are AND-ed, values inside one field OR-ed.
type Query struct {
	AddedAfter   time.Time     // zero = none; strict >
	Next         string        // opaque cursor from a previous Page.Next ("" = first page)
	Limit        int           // > 0, already clamped by the caller
	IDs          []string      // match[id] (OR)
	Types        []string      // match[type] (OR)
	Versions     VersionFilter // match[version]
	SpecVersions []string      // match[spec_version] (OR); empty = newest spec version per object
	WithBodies   bool          // false for manifest (no JSON fetched)
}

// Record is one object version as stored.
type Record struct {
	ID, Type, SpecVersion string
	Version               time.Time
	DateAdded             time.Time
	JSON                  []byte // nil unless Query.WithBodies
}

// Page is one page of records in (date_added, id, version) order.
type Page struct {
	Records []Record
	More    bool
	Next    string // non-empty iff More
}

// maxBatch caps how many index members one round of a filtered scan reads.
const maxBatch = 4096

// pageAttempts bounds re-reads when a concurrent Delete removes a body between reading a page's index
// and its bodies.
const pageAttempts = 3

// errRaced reports that a record vanished while its page was assembled.
var errRaced = errors.New("record deleted while reading")

// Objects pages over the collection in (date_added, id, version) ascending order. Unfiltered,
// match[type] and match[version]=last|first|all pages cost O(log n + page); other filters scan the
// all-versions index in growing batches until Limit records match or the index ends, and never return an
// empty page with More. match[version] selects among all versions of an id; match[spec_version] then
// keeps the selected versions whose spec version is listed (default: the id's newest). An unknown
// collection is empty. Errors: ErrBadCursor, ErrInvalid, ErrUnavailable.
func (s *Store) Objects(ctx context.Context, collection string, q Query) (Page, error) {
	return s.page(ctx, collection, "objects", q, func(b bound) (Page, error) {
		if len(q.IDs) > 0 {
			p, _, err := s.idPage(ctx, collection, q, q.IDs, q.Versions, b)
			return p, err
		}
		keys, f := s.plan(collection, q)
		return s.scanPage(ctx, collection, q, newScanner(s.rdb, keys, b), f)
	})
}

// Versions pages over one object's versions in date_added order. q.IDs and q.Types are ignored and a zero
// q.Versions means all. Errors: ErrNotFound (the object has no versions), ErrBadCursor, ErrInvalid,
// ErrUnavailable.
func (s *Store) Versions(ctx context.Context, collection, id string, q Query) (Page, error) {
	if id == "" {
		return Page{}, invalidf("empty id")
	}
	vf := q.Versions
	if vf.isZero() {
		vf.All = true
	}
	q.Types = nil
	return s.page(ctx, collection, "versions of "+id, q, func(b bound) (Page, error) {
		p, found, err := s.idPage(ctx, collection, q, []string{id}, vf, b)
		if err == nil && !found {
			return Page{}, redis.Nil // wrap turns it into ErrNotFound
		}
		return p, err
	})
}

// page validates the common query parts, works out the start bound and runs read, retrying when a
// concurrent delete raced the read.
func (s *Store) page(ctx context.Context, c, op string, q Query, read func(bound) (Page, error)) (Page, error) {
	if !validTag(c) {
		return Page{}, invalidf("collection %q", c)
	}
	if q.Limit < 1 {
		return Page{}, invalidf("limit %d", q.Limit)
	}
	b, err := s.start(c, q)
	if err != nil {
		return Page{}, fmt.Errorf("%s in %s: %w", op, c, err)
	}
	if b.empty {
		return Page{}, nil
	}
	for range pageAttempts - 1 {
		p, err := read(b)
		if !errors.Is(err, errRaced) {
			return p, wrap(op+" in "+c, err)
		}
	}
	p, err := read(b)
	return p, wrap(op+" in "+c, err)
}

// bound is where a page starts: members > key (or >= key when incl). The zero bound admits everything.
type bound struct {
	key   string
	incl  bool
	empty bool // nothing can match (added_after beyond the representable range)
}

// lex is the ZRANGE BYLEX start argument.
func (b bound) lex() string {
	switch {
	case b.key == "":
		return "-"
	case b.incl:
		return "[" + b.key
	}
	return "(" + b.key
}

func (b bound) admits(m string) bool {
	if b.incl {
		return m >= b.key
	}
	return m > b.key
}

// start returns the later of the cursor position and added_after.
func (s *Store) start(c string, q Query) (bound, error) {
	var b bound
	if !q.AddedAfter.IsZero() && !q.AddedAfter.Before(time.Unix(0, 0)) {
		us := q.AddedAfter.UnixMicro() + 1 // strict: the first representable instant after AddedAfter
		if us > maxMicros {
			return bound{empty: true}, nil
		}
		b = bound{key: padMicros(us), incl: true}
	}
	if q.Next == "" {
		return b, nil
	}
	m, err := s.decodeCursor(c, q.Next)
	if err != nil {
		return bound{}, err
	}
	if m.raw >= b.key {
		b = bound{key: m.raw}
	}
	return b, nil
}
