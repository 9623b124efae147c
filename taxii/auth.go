package taxii

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// HashAPIKey returns the form in which an API key is stored in the configuration: lower-case hex SHA-256.
func HashAPIKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// errUnauthorized is returned for missing-but-required or invalid credentials.
var errUnauthorized = echo.NewHTTPError(http.StatusUnauthorized, "valid credentials are required")

// principalKey is the echo context key of the authenticated *principal.
const principalKey = "taxii.principal"

type keyEntry struct {
	sum  [sha256.Size]byte
	user *principal
}

type userEntry struct {
	hash []byte
	user *principal
}

type cacheEntry struct {
	user    *principal
	expires time.Time
}

// authenticator verifies credentials. Successful bcrypt checks are cached for ttl under the SHA-256 of
// the credentials, so Sentinel's once-a-minute polls pay bcrypt once per ttl. API keys are not cached:
// checking one costs one SHA-256, and not caching them keeps key holders from flooding the cache.
type authenticator struct {
	users map[string]userEntry
	// dummy is checked for unknown user names so that a miss costs what a wrong password costs and does
	// not reveal which users exist. It is a configured user's hash (same cost); its result is ignored.
	dummy   []byte
	keys    []keyEntry
	anon    *principal
	compare func(hash, password []byte) error
	now     func() time.Time
	ttl     time.Duration
	max     int

	mu    sync.Mutex
	cache map[[sha256.Size]byte]cacheEntry
}

func newAuthenticator(cfg Config, roots map[string]*apiRoot, opts Options) *authenticator {
	a := &authenticator{
		users:   map[string]userEntry{},
		anon:    &principal{},
		compare: opts.CompareHash,
		now:     opts.Now,
		ttl:     cfg.AuthCacheTTL,
		max:     opts.AuthCacheSize,
		cache:   map[[sha256.Size]byte]cacheEntry{},
	}
	for _, u := range cfg.Users {
		p := newPrincipal(u, roots)
		if u.PasswordHash != "" {
			a.users[u.Name] = userEntry{hash: []byte(u.PasswordHash), user: p}
			a.dummy = []byte(u.PasswordHash)
		}
		for _, k := range u.APIKeys {
			var e keyEntry
			hex.Decode(e.sum[:], []byte(k.Hash)) //nolint:errcheck // validated by Config.Validate
			e.user = p
			a.keys = append(a.keys, e)
		}
	}
	return a
}

// authenticate returns the anonymous principal when there is no Authorization header, the matching
// principal for valid credentials, and errUnauthorized otherwise.
func (a *authenticator) authenticate(r *http.Request) (*principal, error) {
	h := r.Header.Get(echo.HeaderAuthorization)
	if h == "" {
		return a.anon, nil
	}
	scheme, cred, _ := strings.Cut(h, " ")
	cred = strings.TrimSpace(cred)
	switch strings.ToLower(scheme) {
	case "basic":
		raw, err := base64.StdEncoding.DecodeString(cred)
		if err != nil {
			return nil, errUnauthorized
		}
		user, pass, ok := strings.Cut(string(raw), ":")
		switch {
		case !ok:
			return nil, errUnauthorized
		case user == "" && pass == "":
			// A client with both fields left blank (Sentinel's are optional) means no credentials.
			return a.anon, nil
		}
		return a.basic(user, pass)
	case "bearer", "token":
		if p := a.apiKey(cred); p != nil {
			return p, nil
		}
	}
	return nil, errUnauthorized
}

// basic accepts an API key as the password or the user name, else a user name and bcrypt password.
func (a *authenticator) basic(user, pass string) (*principal, error) {
	if p := a.apiKey(pass); p != nil {
		return p, nil
	}
	if p := a.apiKey(user); p != nil {
		return p, nil
	}
	ck := sha256.Sum256([]byte(user + "\x00" + pass))
	if p := a.cached(ck); p != nil {
		return p, nil
	}
	u, ok := a.users[user]
	if !ok {
		if a.dummy != nil {
			a.compare(a.dummy, []byte(pass)) //nolint:errcheck // timing equaliser only
		}
		return nil, errUnauthorized
	}
	if a.compare(u.hash, []byte(pass)) != nil {
		return nil, errUnauthorized
	}
	a.remember(ck, u.user)
	return u.user, nil
}

// apiKey returns the key's principal, comparing against every configured key in constant time.
func (a *authenticator) apiKey(key string) *principal {
	if key == "" {
		return nil
	}
	sum := sha256.Sum256([]byte(key))
	var found *principal
	for i := range a.keys {
		if subtle.ConstantTimeCompare(sum[:], a.keys[i].sum[:]) == 1 {
			found = a.keys[i].user
		}
	}
	return found
}

func (a *authenticator) cached(k [sha256.Size]byte) *principal {
	a.mu.Lock()
	defer a.mu.Unlock()
	e, ok := a.cache[k]
	if !ok || !a.now().Before(e.expires) {
		return nil
	}
	return e.user
}

// remember caches a verified credential. When the cache is full it drops expired entries and, if that
// is not enough, arbitrary ones: only valid credentials get here, so eviction cannot be forced cheaply.
func (a *authenticator) remember(k [sha256.Size]byte, p *principal) {
	if a.ttl <= 0 {
		return
	}
	now := a.now()
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.cache) >= a.max {
		for ck, e := range a.cache {
			if !now.Before(e.expires) || len(a.cache) >= a.max {
				delete(a.cache, ck)
			}
		}
	}
	a.cache[k] = cacheEntry{user: p, expires: now.Add(a.ttl)}
}

// authConfig configures the authentication middleware.
type authConfig struct {
	Skipper middleware.Skipper
}

// authMiddleware identifies the caller and stores the principal in the context. It rejects invalid
// credentials with 401 but lets anonymous requests through: the per-route checks decide what an
// anonymous caller may see. Credentials are never logged.
func (s *Server) authMiddleware(cfg authConfig) echo.MiddlewareFunc {
	if cfg.Skipper == nil {
		cfg.Skipper = middleware.DefaultSkipper
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if cfg.Skipper(c) {
				return next(c)
			}
			p, err := s.auth.authenticate(c.Request())
			if err != nil {
				s.log.InfoContext(c.Request().Context(), "taxii: authentication failed",
					"remote", c.RealIP(), "path", c.Request().URL.Path)
				return err
			}
			c.Set(principalKey, p)
			return next(c)
		}
	}
}

// principalOf returns the caller, anonymous if the auth middleware did not run.
func principalOf(c echo.Context) *principal {
	if p, ok := c.Get(principalKey).(*principal); ok {
		return p
	}
	return &principal{}
}
