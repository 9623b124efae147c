package taxii

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// newEcho builds the echo instance: global middleware, the error handler and every route.
func (s *Server) newEcho() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	// Only proxies on private networks may set X-Forwarded-For: anonymous rate limits key on this IP.
	e.IPExtractor = echo.ExtractIPFromXFFHeader()
	// Trailing slashes are optional everywhere (taxii2-client polls status/{id} without one), so every
	// route is registered with a slash and the path is normalised before routing.
	e.Pre(middleware.AddTrailingSlash(), routeHeadAsGet())
	e.Use(restoreHead())
	// Request id, then the request log and metrics (outermost, so they see the final status), then
	// security headers on every response, errors included (ops.go).
	e.Use(middleware.RequestID(), s.ops.requestLog(), Secure())
	e.Use(middleware.Recover())
	e.Use(Accept(AcceptConfig{Skipper: func(c echo.Context) bool { return isOps(c) || isKQLRoute(c) }, Lenient: s.cfg.AcceptPolicy == AcceptLenient}))
	e.Use(s.ops.loginGuard(), s.authMiddleware(authConfig{Skipper: isPublic}))
	e.Use(s.ops.rateLimiter())
	s.registerRoutes(e)
	return e
}

// registerRoutes is the single place that lists routes. Later additions (a /kql group, /healthz,
// /readyz, metrics or rate-limit middleware) belong here.
func (s *Server) registerRoutes(e *echo.Echo) {
	s.ops.registerRoutes(e) // /healthz, /readyz, /metrics, /admin/delivery
	e.GET("/taxii2/", s.getDiscovery)
	// API roots live at /{root}/ and, for clients that expect them under the discovery path, at
	// /taxii2/{root}/.
	for _, prefix := range []string{"", "/taxii2"} {
		g := e.Group(prefix + "/:root")
		g.GET("/", s.getAPIRoot, s.withRoot)
		g.GET("/status/:status/", s.getStatus, s.withRoot, requireUser)
		s.registerCollections(g)
	}
	// Short paths: /collections/… and /status/… address the default API root.
	short := e.Group("")
	short.GET("/status/:status/", s.getStatus, s.withRoot, requireUser)
	s.registerCollections(short)
	s.registerKQLPost(e)
}

// registerCollections adds the collection endpoints (TAXII 2.1 §5) below g.
func (s *Server) registerCollections(g *echo.Group) {
	read, write, seen := s.withCollection(needRead), s.withCollection(needWrite), s.withCollection(needNone)
	g.GET("/collections/", s.getCollections, s.withRoot)
	g.GET("/collections/:collection/", s.getCollection, s.withRoot, seen)
	g.GET("/collections/:collection/manifest/", s.getManifest, s.withRoot, read)
	g.GET("/collections/:collection/objects/", s.getObjects, s.withRoot, read)
	g.POST("/collections/:collection/objects/", s.postObjects, s.withRoot, write)
	g.GET("/collections/:collection/objects/:object/", s.getObject, s.withRoot, read)
	g.DELETE("/collections/:collection/objects/:object/", s.deleteObject, s.withRoot, write)
	g.GET("/collections/:collection/objects/:object/versions/", s.getVersions, s.withRoot, read)
	s.registerKQL(g)
}
