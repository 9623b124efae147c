package taxii

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/stixgate/stixgate/convert/pattern"
	"github.com/stixgate/stixgate/convert/stix"
	"github.com/stixgate/stixgate/store"
)

// statusResource is TAXII 2.1 §4.3.1. The four counts are never omitted and always add up.
type statusResource struct {
	ID               string         `json:"id"`
	Status           string         `json:"status"`
	RequestTimestamp string         `json:"request_timestamp,omitempty"`
	TotalCount       int            `json:"total_count"`
	SuccessCount     int            `json:"success_count"`
	Successes        []statusDetail `json:"successes,omitempty"`
	FailureCount     int            `json:"failure_count"`
	Failures         []statusDetail `json:"failures,omitempty"`
	PendingCount     int            `json:"pending_count"`
	Pendings         []statusDetail `json:"pendings,omitempty"`
}

// statusDetail is TAXII 2.1 §4.3.2; version is the object's modified (or created) timestamp.
type statusDetail struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Message string `json:"message,omitempty"`
}

// The store keys versions by Unix microseconds in 16 digits: it cannot represent other instants.
var (
	minVersion = time.Unix(0, 0).UTC()
	maxVersion = time.Date(2286, 11, 20, 0, 0, 0, 0, time.UTC)
)

// Messages of per-object outcomes.
const (
	msgConflict     = "an object with this id and version is already stored with different content"
	msgTypeConflict = "this id is already stored with another object type"
)

// postObjects ingests an envelope synchronously and answers 202 with a complete status (§5.5).
func (s *Server) postObjects(c echo.Context) error {
	if err := checkContentType(c); err != nil {
		return err
	}
	body, err := readBody(c, s.cfg.MaxContentLength)
	if err != nil {
		return err
	}
	objs, err := decodeEnvelope(body)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	st := statusResource{ID: s.newID(), Status: "complete", RequestTimestamp: formatTimestamp(s.now())}
	if err := s.ingest(ctx, collectionOf(c).ID, objs, &st); err != nil {
		return err
	}
	res, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode status: %w", err)
	}
	if err := s.saveStatus(c, st.ID, res); err != nil {
		return err
	}
	return writeTAXIIRaw(c, http.StatusAccepted, res)
}

// decodeEnvelope returns the envelope's objects. Malformed JSON is a 400; well-formed JSON that is not
// an envelope (a bare STIX object, a bundle, an array, no objects) is a 422.
func decodeEnvelope(body []byte) ([]json.RawMessage, error) {
	var env map[string]json.RawMessage
	if err := json.Unmarshal(body, &env); err != nil {
		if json.Valid(body) {
			return nil, unprocessable("the body is not a TAXII envelope")
		}
		return nil, echo.NewHTTPError(http.StatusBadRequest, "the body is not valid JSON").SetInternal(err)
	}
	if _, ok := env["type"]; ok {
		return nil, unprocessable("the body is a STIX object or bundle, not a TAXII envelope")
	}
	var objs []json.RawMessage
	if err := json.Unmarshal(env["objects"], &objs); err != nil || len(objs) == 0 {
		return nil, unprocessable("the envelope has no objects list")
	}
	return objs, nil
}

func unprocessable(msg string) *echo.HTTPError {
	return echo.NewHTTPError(http.StatusUnprocessableEntity, msg)
}

// ingest validates every object, stores the valid ones in one batch and fills in the status.
func (s *Server) ingest(ctx context.Context, collection string, raws []json.RawMessage, st *statusResource) error {
	st.TotalCount = len(raws)
	var objs []store.Object
	for _, raw := range raws {
		obj, err := inspect(raw)
		if err != nil {
			st.Failures = append(st.Failures, failureOf(raw, err))
			continue
		}
		objs = append(objs, obj)
	}
	if len(objs) > 0 {
		results, err := s.st.Put(ctx, collection, objs)
		if err != nil {
			return fmt.Errorf("put objects: %w", err)
		}
		if len(results) != len(objs) {
			return fmt.Errorf("put objects: %d results for %d objects", len(results), len(objs))
		}
		for i, r := range results {
			st.addOutcome(objs[i], r)
		}
	}
	st.SuccessCount, st.FailureCount = len(st.Successes), len(st.Failures)
	// The store wrapper counts what Put decided; objects refused before Put
	// are counted here.
	s.ops.metrics.postOutcome(collection, 0, 0, st.TotalCount-len(objs))
	return nil
}

// addOutcome records the store's verdict on one object. A conflict reports the posted version, since a
// type conflict has no stored version to report.
func (st *statusResource) addOutcome(obj store.Object, r store.PutResult) {
	switch {
	case r.Outcome == store.Added || r.Outcome == store.Duplicate:
		st.Successes = append(st.Successes, statusDetail{ID: obj.ID, Version: formatVersion(r.Version)})
	case r.Outcome == store.Conflict && r.Version.IsZero():
		st.Failures = append(st.Failures, statusDetail{ID: obj.ID, Version: versionOrEmpty(obj.Version), Message: msgTypeConflict})
	default:
		st.Failures = append(st.Failures, statusDetail{ID: obj.ID, Version: versionOrEmpty(obj.Version), Message: msgConflict})
	}
}

func versionOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatVersion(t)
}

// inspect validates one posted object, including its pattern when pattern_type is "stix".
func inspect(raw json.RawMessage) (store.Object, error) {
	m, err := stix.Inspect(raw)
	if err != nil {
		return store.Object{}, err
	}
	if m.PatternType == "stix" {
		if _, err := pattern.Parse(m.Pattern); err != nil {
			return store.Object{}, fmt.Errorf("pattern: %w", err)
		}
	}
	version := m.Modified
	if version.IsZero() {
		version = m.Created
	}
	if !version.IsZero() && (version.Before(minVersion) || version.After(maxVersion)) {
		return store.Object{}, fmt.Errorf("version %s: outside 1970-2286", formatVersion(version))
	}
	spec := m.SpecVersion
	if spec == "" {
		spec = "2.1" // STIX 2.1 SCOs may omit spec_version
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return store.Object{}, fmt.Errorf("compact: %w", err)
	}
	return store.Object{ID: m.ID, Type: m.Type, SpecVersion: spec, Version: version, JSON: compact.Bytes()}, nil
}

// failureOf builds the status detail of an object that failed validation, taking its id and version
// from the raw JSON when they can be read at all.
func failureOf(raw json.RawMessage, err error) statusDetail {
	var head struct {
		ID       string `json:"id"`
		Created  string `json:"created"`
		Modified string `json:"modified"`
	}
	_ = json.Unmarshal(raw, &head) // best effort: the object is already known to be invalid
	version := head.Modified
	if version == "" {
		version = head.Created
	}
	return statusDetail{ID: head.ID, Version: version, Message: err.Error()}
}
