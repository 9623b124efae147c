package taxii

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/stixgate/stixgate/store"
)

// Date headers (TAXII 2.1 §3.2), from the date_added of the first and last record of the page.
const (
	headerDateAddedFirst = "X-TAXII-Date-Added-First"
	headerDateAddedLast  = "X-TAXII-Date-Added-Last"
)

// envelope is TAXII 2.1 §3.7. An empty page is encoded as {}: every field is omitted.
type envelope struct {
	More    *bool             `json:"more,omitempty"`
	Next    string            `json:"next,omitempty"`
	Objects []json.RawMessage `json:"objects,omitempty"`
}

// manifestResource is TAXII 2.1 §5.3.1.
type manifestResource struct {
	More    *bool            `json:"more,omitempty"`
	Next    string           `json:"next,omitempty"`
	Objects []manifestRecord `json:"objects,omitempty"`
}

type manifestRecord struct {
	ID        string `json:"id"`
	DateAdded string `json:"date_added"`
	Version   string `json:"version"`
	MediaType string `json:"media_type"`
}

// versionsResource is TAXII 2.1 §5.8.1.
type versionsResource struct {
	More     *bool    `json:"more,omitempty"`
	Next     string   `json:"next,omitempty"`
	Versions []string `json:"versions,omitempty"`
}

func (s *Server) getObjects(c echo.Context) error {
	page, err := s.objectsPage(c, objectsFilters, true, "")
	if err != nil {
		return err
	}
	return writePage(c, page, newEnvelope(page))
}

func (s *Server) getManifest(c echo.Context) error {
	page, err := s.objectsPage(c, objectsFilters, false, "")
	if err != nil {
		return err
	}
	return writePage(c, page, newManifest(page))
}

// getObject serves one object's versions; an id with no stored version at all is a 404.
func (s *Server) getObject(c echo.Context) error {
	id := c.Param("object")
	page, err := s.objectsPage(c, objectFilters, true, id)
	if err != nil {
		return err
	}
	if len(page.Records) == 0 {
		if _, err := s.st.Versions(c.Request().Context(), collectionOf(c).ID, id, store.Query{Limit: 1}); err != nil {
			return fmt.Errorf("get object %s: %w", id, err)
		}
	}
	return writePage(c, page, newEnvelope(page))
}

func (s *Server) getVersions(c echo.Context) error {
	q, err := s.parseQuery(c, versionsFilters)
	if err != nil {
		return err
	}
	q.Versions = store.VersionFilter{All: true}
	id := c.Param("object")
	page, err := s.st.Versions(c.Request().Context(), collectionOf(c).ID, id, q)
	if err != nil {
		return fmt.Errorf("get versions of %s: %w", id, err)
	}
	return writePage(c, page, newVersions(page))
}

// deleteObject removes the versions selected by match[version] and match[spec_version]. Without
// match[version] every version is removed (see doc.go).
func (s *Server) deleteObject(c echo.Context) error {
	q, err := s.parseQuery(c, objectFilters)
	if err != nil {
		return err
	}
	vf := q.Versions
	if c.QueryParam("match[version]") == "" {
		vf = store.VersionFilter{All: true}
	}
	id := c.Param("object")
	if _, err := s.st.Delete(c.Request().Context(), collectionOf(c).ID, id, vf, q.SpecVersions); err != nil {
		return fmt.Errorf("delete %s: %w", id, err)
	}
	c.Response().Header().Set(echo.HeaderContentType, mediaTypeTAXII)
	return c.NoContent(http.StatusOK)
}

// objectsPage parses the query for the endpoint and reads one page; id restricts it to one object.
func (s *Server) objectsPage(c echo.Context, allowed filters, bodies bool, id string) (store.Page, error) {
	q, err := s.parseQuery(c, allowed)
	if err != nil {
		return store.Page{}, err
	}
	if id != "" {
		q.IDs = []string{id}
	}
	q.WithBodies = bodies
	page, err := s.st.Objects(c.Request().Context(), collectionOf(c).ID, q)
	if err != nil {
		return page, fmt.Errorf("read objects: %w", err)
	}
	if page.More && page.Next == "" {
		return page, errors.New("store returned more without next")
	}
	return page, nil
}

// writePage writes a paged resource with the date headers of its first and last record. An empty
// page gets no date headers: there is no date_added to report (errata cti-taxii2#117).
func writePage(c echo.Context, page store.Page, v any) error {
	if n := len(page.Records); n > 0 {
		h := c.Response().Header()
		h.Set(headerDateAddedFirst, formatTimestamp(page.Records[0].DateAdded))
		h.Set(headerDateAddedLast, formatTimestamp(page.Records[n-1].DateAdded))
	}
	return writeTAXII(c, http.StatusOK, v)
}

// pageMore returns the "more" value of a non-empty page (always present) and nil for an empty one.
func pageMore(page store.Page) (*bool, string) {
	if len(page.Records) == 0 {
		return nil, ""
	}
	more := page.More
	return &more, page.Next
}

func newEnvelope(page store.Page) envelope {
	var env envelope
	env.More, env.Next = pageMore(page)
	for _, r := range page.Records {
		env.Objects = append(env.Objects, json.RawMessage(r.JSON))
	}
	return env
}

func newManifest(page store.Page) manifestResource {
	var m manifestResource
	m.More, m.Next = pageMore(page)
	for _, r := range page.Records {
		m.Objects = append(m.Objects, manifestRecord{
			ID:        r.ID,
			DateAdded: formatTimestamp(r.DateAdded),
			Version:   formatVersion(r.Version),
			MediaType: "application/stix+json;version=" + r.SpecVersion,
		})
	}
	return m
}

func newVersions(page store.Page) versionsResource {
	var v versionsResource
	v.More, v.Next = pageMore(page)
	for _, r := range page.Records {
		v.Versions = append(v.Versions, formatVersion(r.Version))
	}
	return v
}
