package taxii

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// discoveryResource is TAXII 2.1 §4.1.1.
type discoveryResource struct {
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Contact     string   `json:"contact,omitempty"`
	Default     string   `json:"default,omitempty"`
	APIRoots    []string `json:"api_roots,omitempty"`
}

// apiRootResource is TAXII 2.1 §4.2.1.
type apiRootResource struct {
	Title            string   `json:"title"`
	Description      string   `json:"description,omitempty"`
	Versions         []string `json:"versions"`
	MaxContentLength int64    `json:"max_content_length"`
}

// collectionResource is TAXII 2.1 §5.2.1; can_read and can_write describe the caller.
type collectionResource struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Alias       string   `json:"alias,omitempty"`
	CanRead     bool     `json:"can_read"`
	CanWrite    bool     `json:"can_write"`
	MediaTypes  []string `json:"media_types"`
}

// collectionsResource is TAXII 2.1 §5.1.1; with no collection the body is {}.
type collectionsResource struct {
	Collections []collectionResource `json:"collections,omitempty"`
}

func (s *Server) getDiscovery(c echo.Context) error {
	if principalOf(c).anonymous() && !s.anyPublic() {
		return errUnauthorized
	}
	d := discoveryResource{
		Title:       s.cfg.Discovery.Title,
		Description: s.cfg.Discovery.Description,
		Contact:     s.cfg.Discovery.Contact,
	}
	for _, r := range s.cfg.APIRoots {
		d.APIRoots = append(d.APIRoots, s.rootURL(r.Path))
	}
	if s.defaultRoot != nil {
		d.Default = s.rootURL(s.defaultRoot.Path)
	}
	return writeTAXII(c, http.StatusOK, d)
}

func (s *Server) anyPublic() bool {
	for _, r := range s.roots {
		if r.hasPublic() {
			return true
		}
	}
	return false
}

func (s *Server) getAPIRoot(c echo.Context) error {
	r := rootOf(c)
	return writeTAXII(c, http.StatusOK, apiRootResource{
		Title:            r.Title,
		Description:      r.Description,
		Versions:         []string{mediaTypeTAXII},
		MaxContentLength: s.cfg.MaxContentLength,
	})
}

func (s *Server) getCollections(c echo.Context) error {
	p := principalOf(c)
	var res collectionsResource
	for _, col := range rootOf(c).sorted {
		if p.visible(col) {
			res.Collections = append(res.Collections, newCollectionResource(col, p))
		}
	}
	return writeTAXII(c, http.StatusOK, res)
}

func (s *Server) getCollection(c echo.Context) error {
	return writeTAXII(c, http.StatusOK, newCollectionResource(collectionOf(c), principalOf(c)))
}

func newCollectionResource(col *Collection, p *principal) collectionResource {
	r := p.rights(col)
	return collectionResource{
		ID:          col.ID,
		Title:       col.Title,
		Description: col.Description,
		Alias:       col.Alias,
		CanRead:     r.Read,
		CanWrite:    r.Write,
		MediaTypes:  []string{mediaTypeSTIX},
	}
}
