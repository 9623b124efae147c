package taxii

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/crypto/bcrypt"

	"github.com/stixgate/stixgate/convert/kql"
	"github.com/stixgate/stixgate/store"
)

// Store is the part of the store that the TAXII layer consumes. Collections are addressed by their id.
type Store interface {
	Put(ctx context.Context, collection string, objs []store.Object) ([]store.PutResult, error)
	Objects(ctx context.Context, collection string, q store.Query) (store.Page, error)
	Versions(ctx context.Context, collection, id string, q store.Query) (store.Page, error)
	Delete(ctx context.Context, collection, id string, vf store.VersionFilter, specVersions []string) (int, error)
	SaveStatus(ctx context.Context, id string, body []byte) error
	Status(ctx context.Context, id string) ([]byte, error)
}

var _ Store = (*store.Store)(nil)

// Options carries the server's injected dependencies. Every field is optional.
type Options struct {
	Now    func() time.Time // clock for status timestamps and the auth cache; default time.Now
	Logger *slog.Logger     // default: discard
	NewID  func() string    // status ids; default random UUIDv4
	// CompareHash checks a password against a bcrypt hash; default bcrypt.CompareHashAndPassword.
	// Tests wrap it to count how often bcrypt is paid.
	CompareHash func(hash, password []byte) error
	// AuthCacheSize bounds the verified-credentials cache; default 1024 entries.
	AuthCacheSize int
	// Profiles are the KQL exclusion profiles by name (the config file's exclusion_profiles).
	Profiles map[string]kql.Profile
	// Registry receives the server's Prometheus metrics; nil = a new registry with the Go and process
	// collectors. It is served at GET /metrics unless DisableMetricsEndpoint is set (see ops.go).
	Registry               *prometheus.Registry
	DisableMetricsEndpoint bool
	// RateLimit throttles each principal (anonymous callers per IP); the zero value disables it.
	RateLimit RateLimit
}

// Server serves the TAXII 2.1 API. Build it with NewServer and mount Handler.
type Server struct {
	cfg         Config
	st          Store
	now         func() time.Time
	log         *slog.Logger
	newID       func() string
	auth        *authenticator
	roots       map[string]*apiRoot
	defaultRoot *apiRoot
	e           *echo.Echo
	profiles    map[string]kql.Profile
	ops         *ops // metrics, delivery state, health, rate limit, request log (ops.go)
}

// apiRoot is a configured API root with its collections indexed by id and alias.
type apiRoot struct {
	APIRoot
	byName map[string]*Collection // id and alias → collection
	sorted []*Collection          // by id
}

// NewServer validates cfg (filling defaults) and builds the server and its routes.
func NewServer(cfg Config, st Store, opts Options) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("taxii: config: %w", err)
	}
	opts = opts.withDefaults()
	s := &Server{cfg: cfg, st: st, now: opts.Now, log: opts.Logger, newID: opts.NewID, profiles: opts.Profiles}
	s.ops = newOps(cfg, st, opts)
	s.st = s.ops.instrument(st)
	s.indexRoots()
	s.auth = newAuthenticator(cfg, s.roots, opts)
	s.e = s.newEcho()
	return s, nil
}

// Handler returns the HTTP handler serving every TAXII route.
func (s *Server) Handler() http.Handler { return s.e }

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.NewID == nil {
		o.NewID = func() string { return uuid.NewString() }
	}
	if o.CompareHash == nil {
		o.CompareHash = bcrypt.CompareHashAndPassword
	}
	if o.AuthCacheSize <= 0 {
		o.AuthCacheSize = 1024
	}
	return o
}

func (s *Server) indexRoots() {
	s.roots = make(map[string]*apiRoot, len(s.cfg.APIRoots))
	for i := range s.cfg.APIRoots {
		r := &apiRoot{APIRoot: s.cfg.APIRoots[i], byName: map[string]*Collection{}}
		for j := range r.Collections {
			col := &r.Collections[j]
			r.byName[col.ID] = col
			if col.Alias != "" {
				r.byName[col.Alias] = col
			}
			r.sorted = append(r.sorted, col)
		}
		slices.SortFunc(r.sorted, func(a, b *Collection) int { return strings.Compare(a.ID, b.ID) })
		s.roots[r.Path] = r
		if r.Default {
			s.defaultRoot = r
		}
	}
	if s.defaultRoot == nil && len(s.cfg.APIRoots) == 1 {
		s.defaultRoot = s.roots[s.cfg.APIRoots[0].Path]
	}
}

// rootURL is the URL advertised for an API root in discovery.
func (s *Server) rootURL(path string) string {
	return s.cfg.PublicBaseURL + "/" + path + "/"
}
