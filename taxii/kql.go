package taxii

import (
	"strings"

	"github.com/labstack/echo/v4"
)

// The KQL endpoints render the STIX patterns of a collection (or of a posted pattern, bundle or
// envelope) as Microsoft Sentinel KQL, so that an analyst can open a URL and paste the answer into
// Sentinel. Their answers are plain text, JSON or YAML, not TAXII resources; their errors are TAXII error
// resources like everywhere else. Nothing is cached: every request reads the store.

// registerKQL adds the per-collection KQL routes below g; read access is the same as for the
// collection's objects.
func (s *Server) registerKQL(g *echo.Group) {
	read := s.withCollection(needRead)
	g.GET("/collections/:collection/kql/", s.getKQLPack, s.withRoot, read)
	g.GET("/collections/:collection/kql/:object/", s.getKQLIndicator, s.withRoot, read)
}

// registerKQLPost adds POST /kql/, which renders what the caller sends; any authenticated user may use
// it, since it reads nothing from the store.
func (s *Server) registerKQLPost(e *echo.Echo) {
	e.POST("/kql/", s.postKQL, requireUser)
}

// isKQLRoute reports whether c is a KQL route, whose answers are not TAXII resources: the TAXII Accept
// check must not refuse a browser or a client asking for text/plain there.
func isKQLRoute(c echo.Context) bool {
	p := c.Path()
	return strings.HasSuffix(p, "/kql/") || strings.HasSuffix(p, "/kql/:object/")
}

// getKQLPack answers the collection's hunting pack.
func (s *Server) getKQLPack(c echo.Context) error {
	p, err := s.parseKQLParams(c)
	if err != nil {
		return err
	}
	objs, err := s.collectionObjects(c.Request().Context(), collectionOf(c).ID)
	if err != nil {
		return err
	}
	qs, meta, err := renderPack(c, objs, s.now(), p)
	if err != nil {
		return err
	}
	return writeKQL(c, p, qs, meta)
}

// getKQLIndicator answers one indicator's queries: 404 for an unknown object, 400 for one that cannot
// be rendered (with the pattern's line and column).
func (s *Server) getKQLIndicator(c echo.Context) error {
	p, err := s.parseKQLParams(c)
	if err != nil {
		return err
	}
	m, raw, err := s.storedIndicator(c.Request().Context(), collectionOf(c).ID, c.Param("object"), p.includeInactive)
	if err != nil {
		return err
	}
	qs, err := renderIndicator(m, p)
	if err != nil {
		return err
	}
	return writeKQL(c, p, qs, indicatorMeta(m, raw))
}

// postKQL renders a pattern (text/plain) or the indicators of a STIX bundle or TAXII envelope (any JSON
// media type).
func (s *Server) postKQL(c echo.Context) error {
	p, err := s.parseKQLParams(c)
	if err != nil {
		return err
	}
	body, err := readBody(c, s.cfg.MaxContentLength)
	if err != nil {
		return err
	}
	qs, meta, err := s.renderBody(c, body, p)
	if err != nil {
		return err
	}
	return writeKQL(c, p, qs, meta)
}
