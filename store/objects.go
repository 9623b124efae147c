package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Object is what the caller writes. Version is the STIX `modified` (or `created`); zero for SCOs without
// either, in which case the store uses the object's first date_added as its version. Times are kept at
// microsecond precision (finer digits are truncated).
type Object struct {
	ID, Type, SpecVersion string
	Version               time.Time
	JSON                  []byte
}

// Outcome of one object in Put.
type Outcome int

// Outcomes. The zero Outcome means "unknown": Put failed before learning what happened to the object.
const (
	Added     Outcome = iota + 1 // new version stored, date_added assigned
	Duplicate                    // identical bytes already stored for id+version: nothing written
	Conflict                     // id+version stored with different bytes, or id stored with another type: nothing written
)

func (o Outcome) String() string {
	switch o {
	case Added:
		return "added"
	case Duplicate:
		return "duplicate"
	case Conflict:
		return "conflict"
	}
	return fmt.Sprintf("outcome(%d)", int(o))
}

// PutResult is the outcome of one object. DateAdded and Version are those of the stored version (the
// existing one for Duplicate and Conflict); both are zero for a type conflict.
type PutResult struct {
	Outcome   Outcome
	DateAdded time.Time
	Version   time.Time
}

// putChunkSize bounds one pipelined round trip of Put.
const putChunkSize = 256

// Put writes objects atomically per object: one Lua script call each, pipelined, so an interrupted Put
// leaves every object either fully stored and indexed or absent. It assigns date_added =
// max(now, last+1µs), strictly increasing per collection. Results are index-aligned with objs; on error the
// objects whose outcome is unknown have Outcome 0. Errors: ErrInvalid (nothing written), ErrUnavailable.
func (s *Store) Put(ctx context.Context, collection string, objs []Object) ([]PutResult, error) {
	if !validTag(collection) {
		return nil, invalidf("collection %q", collection)
	}
	args := make([][]any, len(objs))
	for i, o := range objs {
		a, err := putArgs(o)
		if err != nil {
			return nil, fmt.Errorf("store: put object %d in %s: %w", i, collection, err)
		}
		args[i] = a
	}
	res := make([]PutResult, len(objs))
	for lo := 0; lo < len(objs); lo += putChunkSize {
		hi := min(lo+putChunkSize, len(objs))
		if err := s.putChunk(ctx, collection, objs[lo:hi], args[lo:hi], res[lo:hi]); err != nil {
			return res, wrap("put objects in "+collection, err)
		}
	}
	return res, nil
}

// putArgs validates o and returns ARGV[1..4] and ARGV[6] of putScript; ARGV[5] (now) is added when sent.
func putArgs(o Object) ([]any, error) {
	switch {
	case o.ID == "":
		return nil, invalidf("empty id")
	case o.Type == "":
		return nil, invalidf("object %s: empty type", o.ID)
	case strings.Contains(o.SpecVersion, "|"):
		return nil, invalidf("object %s: spec version %q contains '|'", o.ID, o.SpecVersion)
	}
	ver := ""
	if !o.Version.IsZero() {
		var ok bool
		if ver, ok = stamp(o.Version); !ok {
			return nil, invalidf("object %s: version %s out of range", o.ID, o.Version)
		}
	}
	return []any{o.ID, o.Type, o.SpecVersion, ver, "", o.JSON}, nil
}

// putChunk runs putScript for each object in one pipeline. EVALSHA in a pipeline cannot fall back to EVAL
// by itself, so commands that failed with NOSCRIPT (they did not run) are retried once after SCRIPT LOAD.
func (s *Store) putChunk(ctx context.Context, c string, objs []Object, args [][]any, res []PutResult) error {
	cmds := make([]*redis.Cmd, len(objs))
	pending := make([]int, len(objs))
	for i := range pending {
		pending[i] = i
	}
	for attempt := 0; len(pending) > 0; attempt++ {
		if attempt > 0 {
			if err := putScript.Load(ctx, s.rdb).Err(); err != nil {
				return err
			}
		}
		pipe := s.rdb.Pipeline()
		for _, i := range pending {
			args[i][4] = padMicros(s.now().UnixMicro())
			cmds[i] = putScript.EvalSha(ctx, pipe, s.keys.objectKeys(c, objs[i].ID, objs[i].Type), args[i]...)
		}
		_, _ = pipe.Exec(ctx) // per-command errors are read below
		pending = noScript(cmds, pending)
		if attempt > 0 && len(pending) > 0 {
			return cmds[pending[0]].Err()
		}
	}
	var first error // report every outcome that is known, then the first failure
	for i, cmd := range cmds {
		r, err := putResult(cmd)
		if err != nil && first == nil {
			first = fmt.Errorf("object %s: %w", objs[i].ID, err)
		}
		res[i] = r
	}
	return first
}

// noScript returns the indices whose command failed because the script was not cached.
func noScript(cmds []*redis.Cmd, idx []int) []int {
	var out []int
	for _, i := range idx {
		if redis.HasErrorPrefix(cmds[i].Err(), "NOSCRIPT") {
			out = append(out, i)
		}
	}
	return out
}

// putResult maps putScript's reply to a PutResult.
func putResult(cmd *redis.Cmd) (PutResult, error) {
	vals, err := cmd.Slice()
	if err != nil {
		return PutResult{}, err
	}
	if len(vals) != 3 {
		return PutResult{}, fmt.Errorf("put script: %d values, want 3", len(vals))
	}
	code, _ := vals[0].(int64)
	var out Outcome
	switch code {
	case putTypeConflict:
		return PutResult{Outcome: Conflict}, nil
	case putClockFull:
		return PutResult{}, invalidf("date_added past the year 2286")
	case putAdded:
		out = Added
	case putDuplicate:
		out = Duplicate
	case putConflict:
		out = Conflict
	default:
		return PutResult{}, fmt.Errorf("put script: unknown code %v", vals[0])
	}
	da, ok1 := parseStamp(str(vals[1]))
	ver, ok2 := parseStamp(str(vals[2]))
	if !ok1 || !ok2 {
		return PutResult{}, fmt.Errorf("put script: bad times %v, %v", vals[1], vals[2])
	}
	return PutResult{Outcome: out, DateAdded: da, Version: ver}, nil
}

// Err returns ErrConflict for a Conflict outcome and nil otherwise, for callers that treat conflicts as
// errors.
func (r PutResult) Err() error {
	if r.Outcome == Conflict {
		return ErrConflict
	}
	return nil
}

// Delete removes the versions of id selected by vf and specVersions (AND) and returns how many it
// removed. Unlike Query.Versions, the zero VersionFilter selects ALL versions (stixgate follows OpenTAXII:
// DELETE without match[version] removes the object), and empty specVersions means any spec version.
// Indexes and counters are repaired in the same script. Errors: ErrNotFound (nothing matched),
// ErrInvalid, ErrUnavailable.
func (s *Store) Delete(ctx context.Context, collection, id string, vf VersionFilter, specVersions []string) (int, error) {
	if !validTag(collection) || id == "" {
		return 0, invalidf("collection %q, id %q", collection, id)
	}
	op := "delete " + id + " in " + collection
	for range 3 {
		typ, err := s.storedType(ctx, collection, id)
		if err != nil {
			return 0, wrap(op, err)
		}
		args := deleteArgs(id, typ, vf, specVersions)
		res, err := deleteScript.Run(ctx, s.rdb, s.keys.objectKeys(collection, id, typ), args...).Int64Slice()
		if err != nil {
			return 0, wrap(op, err)
		}
		switch {
		case len(res) != 1:
			return 0, fmt.Errorf("store: %s: delete script returned %d values", op, len(res))
		case res[0] == deleteTypeChanged:
			continue // re-created with another type since storedType: read again
		case res[0] == 0:
			return 0, fmt.Errorf("%w: %s: no version matched", ErrNotFound, op)
		}
		return int(res[0]), nil
	}
	return 0, fmt.Errorf("store: %s: type keeps changing", op)
}

// storedType returns the type id is stored with; redis.Nil if it has no versions.
func (s *Store) storedType(ctx context.Context, c, id string) (string, error) {
	ms, err := s.rdb.ZRange(ctx, s.keys.versions(c, id), -1, -1).Result()
	if err != nil {
		return "", err
	}
	if len(ms) == 0 {
		return "", redis.Nil
	}
	m, ok := parseMember(ms[0])
	if !ok {
		return "", fmt.Errorf("corrupt version member %q", ms[0])
	}
	meta, err := s.rdb.HGet(ctx, s.keys.meta(c), m.field()).Result()
	if err != nil {
		return "", err
	}
	_, typ := splitMeta(meta)
	return typ, nil
}

// deleteArgs builds deleteScript's ARGV. Version stamps outside the storable range cannot match anything
// and are dropped.
func deleteArgs(id, typ string, vf VersionFilter, specs []string) []any {
	flags := ""
	if vf.All || vf.isZero() {
		flags += "a"
	}
	if vf.First {
		flags += "f"
	}
	if vf.Last {
		flags += "l"
	}
	at := vf.stamps()
	args := make([]any, 0, 4+len(at)+len(specs))
	args = append(args, id, typ, flags, len(at))
	for _, v := range at {
		args = append(args, v)
	}
	for _, sv := range specs {
		args = append(args, sv)
	}
	return args
}

// splitMeta splits a meta hash value "<spec_version>|<type>".
func splitMeta(meta string) (spec, typ string) {
	spec, typ, _ = strings.Cut(meta, "|")
	return spec, typ
}
