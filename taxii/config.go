package taxii

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"
)

// Defaults applied by Config.Validate to zero-valued fields.
const (
	DefaultPageSize         = 1000
	DefaultMaxPageSize      = 5000
	DefaultMaxContentLength = 10 << 20 // 10 MiB
	DefaultAuthCacheTTL     = 60 * time.Second
)

// Accept policies for Config.AcceptPolicy.
const (
	// AcceptLenient treats a missing Accept, "*/*" and "application/*" as a request for TAXII 2.1.
	AcceptLenient = "lenient"
	// AcceptStrict requires an explicit application/taxii+json range (the letter of TAXII 2.1 §1.6.8.1).
	AcceptStrict = "strict"
)

// Config is the TAXII part of the stixgate configuration file. cmd decodes YAML straight into it.
type Config struct {
	Discovery        Discovery     `yaml:"discovery"`
	PublicBaseURL    string        `yaml:"public_base_url"` // e.g. https://ti.example.com; empty = relative api_roots
	APIRoots         []APIRoot     `yaml:"api_roots"`
	Users            []User        `yaml:"users"`
	DefaultPageSize  int           `yaml:"default_page_size"`
	MaxPageSize      int           `yaml:"max_page_size"`
	MaxContentLength int64         `yaml:"max_content_length"`
	AuthCacheTTL     time.Duration `yaml:"auth_cache_ttl"`
	AcceptPolicy     string        `yaml:"accept_policy"` // "lenient" (default) or "strict"
}

// Discovery holds the discovery resource's descriptive fields.
type Discovery struct {
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	Contact     string `yaml:"contact"`
}

// APIRoot configures one API root served at /{path}/ (and /taxii2/{path}/).
type APIRoot struct {
	Path        string       `yaml:"path"`
	Title       string       `yaml:"title"`
	Description string       `yaml:"description"`
	Default     bool         `yaml:"default"`
	Collections []Collection `yaml:"collections"`
}

// Collection configures one collection. ID is a UUIDv4 that must never change; Alias may be used in URLs.
type Collection struct {
	ID               string `yaml:"id"`
	Alias            string `yaml:"alias"`
	Title            string `yaml:"title"`
	Description      string `yaml:"description"`
	AnonymousRead    bool   `yaml:"anonymous_read"`
	SeedFile         string `yaml:"seed_file"`
	ExclusionProfile string `yaml:"exclusion_profile"`
}

// User is a principal: a bcrypt password and/or API keys, scoped per collection.
type User struct {
	Name         string   `yaml:"name"`
	PasswordHash string   `yaml:"password_hash"` // bcrypt; empty = API keys only
	APIKeys      []APIKey `yaml:"api_keys"`
	// Collections maps a collection id or alias (or "*" for every collection) to the rights granted.
	Collections map[string]Permission `yaml:"collections"`
}

// APIKey is a named key stored as the lower-case hex SHA-256 of the key (see HashAPIKey).
type APIKey struct {
	Name string `yaml:"name"`
	Hash string `yaml:"hash"`
}

// Permission is a user's right on one collection.
type Permission struct {
	Read  bool `yaml:"read"`
	Write bool `yaml:"write"`
}

// allCollections is the Users[].Collections key that grants rights on every collection.
const allCollections = "*"

var (
	segmentRE = regexp.MustCompile(`^[A-Za-z0-9._~-]+$`)
	sha256RE  = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// reservedRoots cannot be API root paths because they are fixed routes at the top level.
var reservedRoots = map[string]bool{"taxii2": true, "collections": true, "status": true, "healthz": true, "readyz": true, "metrics": true, "kql": true, "admin": true}

// Validate fills defaults into zero-valued fields, then checks the configuration. The returned error
// joins one error per problem, each naming the offending key, e.g.
// "api_roots[0].collections[1].id: not a UUIDv4".
func (c *Config) Validate() error {
	c.setDefaults()
	var errs []error
	add := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
	}
	c.validateTop(add)
	known := c.validateRoots(add)
	c.validateUsers(add, known)
	return errors.Join(errs...)
}

type addFunc func(key, format string, args ...any)

func (c *Config) setDefaults() {
	if c.DefaultPageSize == 0 {
		c.DefaultPageSize = DefaultPageSize
	}
	if c.MaxPageSize == 0 {
		c.MaxPageSize = max(DefaultMaxPageSize, c.DefaultPageSize)
	}
	if c.MaxContentLength == 0 {
		c.MaxContentLength = DefaultMaxContentLength
	}
	if c.AuthCacheTTL == 0 {
		c.AuthCacheTTL = DefaultAuthCacheTTL
	}
	if c.AcceptPolicy == "" {
		c.AcceptPolicy = AcceptLenient
	}
	c.PublicBaseURL = strings.TrimRight(c.PublicBaseURL, "/")
}

func (c *Config) validateTop(add addFunc) {
	if c.Discovery.Title == "" {
		add("discovery.title", "required")
	}
	if c.PublicBaseURL != "" {
		u, err := url.Parse(c.PublicBaseURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			add("public_base_url", "not an absolute http(s) URL without query")
		}
	}
	if c.DefaultPageSize < 1 {
		add("default_page_size", "must be > 0")
	}
	if c.MaxPageSize < c.DefaultPageSize {
		add("max_page_size", "must be >= default_page_size (%d)", c.DefaultPageSize)
	}
	if c.MaxContentLength < 1 {
		add("max_content_length", "must be > 0")
	}
	if c.AuthCacheTTL < 0 {
		add("auth_cache_ttl", "must be >= 0")
	}
	if c.AcceptPolicy != AcceptLenient && c.AcceptPolicy != AcceptStrict {
		add("accept_policy", "must be %q or %q", AcceptLenient, AcceptStrict)
	}
}

// validateRoots checks api_roots and returns every collection id and alias, for validating users.
func (c *Config) validateRoots(add addFunc) map[string]bool {
	known := map[string]bool{}
	paths := map[string]bool{}
	defaults := 0
	if len(c.APIRoots) == 0 {
		add("api_roots", "at least one API root is required")
	}
	for i, r := range c.APIRoots {
		key := fmt.Sprintf("api_roots[%d]", i)
		switch {
		case !segmentRE.MatchString(r.Path):
			add(key+".path", "must be one URL path segment of [A-Za-z0-9._~-]")
		case reservedRoots[r.Path]:
			add(key+".path", "%q is reserved", r.Path)
		case paths[r.Path]:
			add(key+".path", "duplicate %q", r.Path)
		}
		paths[r.Path] = true
		if r.Title == "" {
			add(key+".title", "required")
		}
		if r.Default {
			defaults++
		}
		validateCollections(add, key, r.Collections, known)
	}
	if defaults > 1 {
		add("api_roots", "more than one default API root")
	}
	return known
}

func validateCollections(add addFunc, rootKey string, cols []Collection, known map[string]bool) {
	aliases := map[string]bool{}
	for j, col := range cols {
		key := fmt.Sprintf("%s.collections[%d]", rootKey, j)
		if !isUUIDv4(col.ID) {
			add(key+".id", "not a UUIDv4")
		} else if known[col.ID] {
			add(key+".id", "duplicate %q", col.ID)
		}
		known[col.ID] = true
		if col.Alias != "" {
			switch {
			case !segmentRE.MatchString(col.Alias):
				add(key+".alias", "must be one URL path segment of [A-Za-z0-9._~-]")
			case aliases[col.Alias] || isUUIDv4(col.Alias):
				add(key+".alias", "duplicate or id-shaped %q", col.Alias)
			}
			aliases[col.Alias] = true
			known[col.Alias] = true
		}
		if col.Title == "" {
			add(key+".title", "required")
		}
	}
}

func (c *Config) validateUsers(add addFunc, known map[string]bool) {
	names := map[string]bool{}
	keys := map[string]bool{}
	for i, u := range c.Users {
		key := fmt.Sprintf("users[%d]", i)
		if u.Name == "" {
			add(key+".name", "required")
		} else if names[u.Name] {
			add(key+".name", "duplicate %q", u.Name)
		}
		names[u.Name] = true
		if u.PasswordHash == "" && len(u.APIKeys) == 0 {
			add(key, "needs password_hash or api_keys")
		}
		if u.PasswordHash != "" {
			if _, err := bcrypt.Cost([]byte(u.PasswordHash)); err != nil {
				add(key+".password_hash", "not a bcrypt hash")
			}
		}
		for j, k := range u.APIKeys {
			kk := fmt.Sprintf("%s.api_keys[%d]", key, j)
			if !sha256RE.MatchString(k.Hash) {
				add(kk+".hash", "not a lower-case hex SHA-256")
			} else if keys[k.Hash] {
				add(kk+".hash", "duplicate key")
			}
			keys[k.Hash] = true
		}
		for name := range u.Collections {
			if name != allCollections && !known[name] {
				add(fmt.Sprintf("%s.collections[%q]", key, name), "unknown collection id or alias")
			}
		}
	}
}

// isUUIDv4 reports whether s is a canonical lower-case RFC 4122 version 4 UUID.
func isUUIDv4(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && len(s) == 36 && u.String() == s && u.Version() == 4 && u.Variant() == uuid.RFC4122
}
