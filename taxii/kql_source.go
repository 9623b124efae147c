package taxii

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/stixgate/stixgate/convert/stix"
	"github.com/stixgate/stixgate/store"
)

// maxKQLObjects bounds how many objects one hunting pack reads, so that one request cannot make the
// server hold an unbounded collection in memory. A larger collection is a 422 naming the limit.
const maxKQLObjects = 100000

// packTypes are the object types a pack needs: the indicators, and what names their source (the
// producer identity, the malware they indicate and the "indicates" relationships).
var packTypes = []string{"indicator", "relationship", "malware", "identity"}

// collectionObjects reads the latest version of every object the collection's pack needs, page by
// page, straight from the store: there is no cache, so an indicator added a moment ago is in the next
// pack. Indicators whose pattern_type is not "stix" (Sigma, YARA…) are left out here: they are not
// refusals, they are simply not KQL material.
func (s *Server) collectionObjects(ctx context.Context, collection string) ([][]byte, error) {
	q := store.Query{Types: packTypes, WithBodies: true, Limit: s.cfg.MaxPageSize}
	var out [][]byte
	for {
		page, err := s.st.Objects(ctx, collection, q)
		if err != nil {
			return nil, fmt.Errorf("read pack objects: %w", err)
		}
		for _, r := range page.Records {
			if r.Type != "indicator" || stixPattern(r.JSON) {
				out = append(out, r.JSON)
			}
		}
		if len(out) > maxKQLObjects {
			return nil, echo.NewHTTPError(http.StatusUnprocessableEntity,
				"the collection holds more than "+strconv.Itoa(maxKQLObjects)+" indicators and related objects; render them with the CLI")
		}
		if !page.More || page.Next == "" {
			return out, nil
		}
		q.Next = page.Next
	}
}

// stixPattern reports whether an indicator's pattern_type is "stix".
func stixPattern(raw []byte) bool {
	var v struct {
		PatternType string `json:"pattern_type"`
	}
	return json.Unmarshal(raw, &v) == nil && v.PatternType == "stix"
}

// active reports whether an indicator is neither revoked nor past valid_until at now. It agrees with
// kql.IndicatorsFromSTIX, which decides the same for packs.
func active(m stix.Meta, now time.Time) bool {
	return !m.Revoked && (m.ValidUntil.IsZero() || m.ValidUntil.After(now))
}

// storedIndicator reads the latest version of one object for the per-indicator endpoint. An unknown id
// is store.ErrNotFound (404); an object that is not a STIX-pattern indicator is a 400; an inactive
// indicator is a 404 that says why, unless includeInactive.
func (s *Server) storedIndicator(ctx context.Context, collection, id string, includeInactive bool) (stix.Meta, []byte, error) {
	page, err := s.st.Objects(ctx, collection, store.Query{IDs: []string{id}, WithBodies: true, Limit: 1})
	if err != nil {
		return stix.Meta{}, nil, fmt.Errorf("read %s: %w", id, err)
	}
	if len(page.Records) == 0 {
		return stix.Meta{}, nil, fmt.Errorf("read %s: %w", id, store.ErrNotFound)
	}
	raw := page.Records[0].JSON
	m, err := stix.Inspect(raw)
	if err != nil {
		return m, nil, fmt.Errorf("stored object %s: %w", id, err)
	}
	switch {
	case m.Type != "indicator":
		return m, nil, badRequest(id + " is a " + m.Type + ", not an indicator")
	case m.PatternType != "stix":
		return m, nil, badRequest(id + ": pattern_type " + strconv.Quote(m.PatternType) + " cannot be rendered as KQL, only stix")
	case !includeInactive && !active(m, s.now()):
		return m, nil, echo.NewHTTPError(http.StatusNotFound,
			id+" is revoked or past its valid_until; add include_inactive=true to render it anyway")
	}
	return m, raw, nil
}

// bodyObjects returns the objects of a posted STIX bundle or TAXII envelope, each validated (a 400
// names the first invalid one). Non-STIX-pattern indicators are left out, as for collections.
func bodyObjects(body []byte) ([][]byte, error) {
	var doc struct {
		Type    string            `json:"type"`
		Objects []json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest,
			"the body is neither a STIX pattern (text/plain) nor a STIX bundle or TAXII envelope").SetInternal(err)
	}
	if doc.Type != "" && doc.Type != "bundle" {
		return nil, badRequest("the body is a STIX " + strconv.Quote(doc.Type) + ", not a bundle or envelope")
	}
	out := make([][]byte, 0, len(doc.Objects))
	indicators := 0
	for i, raw := range doc.Objects {
		m, err := stix.Inspect(raw)
		switch {
		case errors.Is(err, stix.ErrInvalid):
			return nil, badRequest("objects[" + strconv.Itoa(i) + "]: " + err.Error())
		case err != nil:
			return nil, fmt.Errorf("objects[%d]: %w", i, err)
		case m.Type == "indicator" && m.PatternType != "stix":
			continue
		case m.Type == "indicator":
			indicators++
		}
		out = append(out, raw)
	}
	if indicators == 0 {
		return nil, badRequest("the body holds no indicator with a STIX pattern")
	}
	return out, nil
}
