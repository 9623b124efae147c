package taxii

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// principal is an authenticated user, or the anonymous caller when name is "".
type principal struct {
	name  string
	perms map[string]Permission // collection id → rights
	all   Permission            // rights granted by "*"
}

// newPrincipal resolves a user's id-or-alias grants to collection ids. An alias grants on every root
// that uses it, since aliases are only unique within one root.
func newPrincipal(u User, roots map[string]*apiRoot) *principal {
	p := &principal{name: u.Name, perms: map[string]Permission{}}
	for name, perm := range u.Collections {
		if name == allCollections {
			p.all = perm
			continue
		}
		for _, r := range roots {
			if col, ok := r.byName[name]; ok {
				p.perms[col.ID] = union(p.perms[col.ID], perm)
			}
		}
	}
	return p
}

func union(a, b Permission) Permission {
	return Permission{Read: a.Read || b.Read, Write: a.Write || b.Write}
}

func (p *principal) anonymous() bool { return p.name == "" }

// rights returns what the caller may do on col. Anonymously readable collections are readable by all.
func (p *principal) rights(col *Collection) Permission {
	perm := Permission{Read: col.AnonymousRead}
	if p.anonymous() {
		return perm
	}
	return union(union(perm, p.all), p.perms[col.ID])
}

// visible reports whether the caller may know that col exists.
func (p *principal) visible(col *Collection) bool {
	r := p.rights(col)
	return r.Read || r.Write
}

// need says which right a collection route requires.
type need int

const (
	needNone need = iota // the collection resource itself: visibility suffices
	needRead
	needWrite
)

// Context keys for values resolved by the route middleware.
const (
	rootKey       = "taxii.root"
	collectionKey = "taxii.collection"
)

// withRoot resolves the :root parameter, or the default API root on the short paths, answering 404
// for unknown roots. Anonymous callers are asked to authenticate unless something in the root is public.
func (s *Server) withRoot(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := s.defaultRoot
		if name := c.Param("root"); name != "" {
			r = s.roots[name]
		}
		if r == nil {
			return echo.NewHTTPError(http.StatusNotFound, "unknown API root")
		}
		if p := principalOf(c); p.anonymous() && !r.hasPublic() {
			return errUnauthorized
		}
		c.Set(rootKey, r)
		return next(c)
	}
}

func (r *apiRoot) hasPublic() bool {
	for _, col := range r.sorted {
		if col.AnonymousRead {
			return true
		}
	}
	return false
}

// withCollection resolves :collection by id or alias and enforces the right n. Callers that may not
// know the collection get 404 (or 401 when anonymous); callers that see it but lack the right get 403.
func (s *Server) withCollection(n need) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			col := rootOf(c).byName[c.Param("collection")]
			p := principalOf(c)
			switch {
			case col != nil && p.visible(col):
			case p.anonymous():
				return errUnauthorized
			default:
				return echo.NewHTTPError(http.StatusNotFound, "unknown collection")
			}
			rights := p.rights(col)
			if (n == needRead && !rights.Read) || (n == needWrite && !rights.Write) {
				if p.anonymous() {
					return errUnauthorized
				}
				return echo.NewHTTPError(http.StatusForbidden, "the caller lacks the right for this operation on the collection")
			}
			c.Set(collectionKey, col)
			return next(c)
		}
	}
}

// requireUser answers 401 to anonymous callers (status resources belong to writers).
func requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if principalOf(c).anonymous() {
			return errUnauthorized
		}
		return next(c)
	}
}

func rootOf(c echo.Context) *apiRoot { return c.Get(rootKey).(*apiRoot) }

func collectionOf(c echo.Context) *Collection { return c.Get(collectionKey).(*Collection) }
