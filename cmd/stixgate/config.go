package main

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"

	"github.com/stixgate/stixgate/convert/kql"
	"github.com/stixgate/stixgate/taxii"
)

//go:embed default.yaml
var defaultConfigYAML []byte

// fileConfig is the whole configuration file. The TAXII part is inlined so
// that the file stays flat; everything else is process wiring.
type fileConfig struct {
	Listen       string    `yaml:"listen"`
	RedisURL     string    `yaml:"redis_url"`
	CursorSecret string    `yaml:"cursor_secret"`
	TLS          tlsConfig `yaml:"tls"`
	Log          struct {
		Level  string `yaml:"level"`  // debug, info, warn, error
		Format string `yaml:"format"` // json (default) or text
	} `yaml:"log"`
	// RateLimit throttles each user (anonymous callers per IP) and failed
	// logins per IP; zero values switch a limit off.
	RateLimit taxii.RateLimit `yaml:"rate_limit"`
	// DisableMetricsEndpoint removes GET /metrics (e.g. when the port is
	// public and metrics are scraped some other way).
	DisableMetricsEndpoint bool `yaml:"disable_metrics_endpoint"`
	// ExclusionProfiles are the false-positive filters a hunting pack may
	// apply, by name; a collection names its default in exclusion_profile.
	ExclusionProfiles map[string]*kql.Profile `yaml:"exclusion_profiles"`
	TAXII             taxii.Config            `yaml:",inline"`
}

// profiles returns the exclusion profiles, validated, each named after its key.
func (c *fileConfig) profiles() (map[string]*kql.Profile, error) {
	out := make(map[string]*kql.Profile, len(c.ExclusionProfiles))
	for name, p := range c.ExclusionProfiles {
		if p == nil {
			p = &kql.Profile{}
		}
		if p.Name != "" && p.Name != name {
			return nil, fmt.Errorf("exclusion_profiles.%s.name: %q differs from the key", name, p.Name)
		}
		p.Name = name
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("exclusion_profiles.%s: %w", name, err)
		}
		out[name] = p
	}
	return out, nil
}

// loadConfig reads path, or the embedded default when path is empty.
// Unknown keys and bad values fail with the key named.
func loadConfig(path string) (*fileConfig, error) {
	data := defaultConfigYAML
	name := "default config"
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		data, name = b, path
	}
	cfg, err := parseConfig(data)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", name, err)
	}
	return cfg, nil
}

func parseConfig(data []byte) (*fileConfig, error) {
	var cfg fileConfig
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:8080"
	}
	return &cfg, nil
}

// applyEnv lets the environment override the file: containers and CI set
// these rather than edit YAML.
func (c *fileConfig) applyEnv(getenv func(string) string) {
	if v := getenv("STIXGATE_ADDR"); v != "" {
		c.Listen = v
	}
	if v := getenv("REDIS_URL"); v != "" {
		c.RedisURL = v
	}
	if v := getenv("STIXGATE_PUBLIC_BASE_URL"); v != "" {
		c.TAXII.PublicBaseURL = v
	}
	if v := getenv("STIXGATE_CURSOR_SECRET"); v != "" {
		c.CursorSecret = v
	}
	if v := getenv("STIXGATE_LOG_LEVEL"); v != "" {
		c.Log.Level = v
	}
}

// validate checks the process part, then the TAXII part.
func (c *fileConfig) validate() error {
	var errs []error
	switch c.Log.Level {
	case "", "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log.level: %q: want debug, info, warn or error", c.Log.Level))
	}
	switch c.Log.Format {
	case "", "json", "text":
	default:
		errs = append(errs, fmt.Errorf("log.format: %q: want json or text", c.Log.Format))
	}
	profiles, err := c.profiles()
	if err != nil {
		errs = append(errs, err)
	}
	if err := c.TAXII.Validate(); err != nil {
		errs = append(errs, err)
	}
	for i, r := range c.TAXII.APIRoots {
		for j, col := range r.Collections {
			if _, ok := profiles[col.ExclusionProfile]; col.ExclusionProfile != "" && !ok && err == nil {
				errs = append(errs, fmt.Errorf("api_roots[%d].collections[%d].exclusion_profile: no profile %q in exclusion_profiles", i, j, col.ExclusionProfile))
			}
		}
	}
	return errors.Join(errs...)
}

// cursorKey is the HMAC key for `next` cursors; nil lets the store use its
// built-in key. Set it in production so cursors cannot be forged, and keep
// it the same on every replica.
func cursorKey(secret string) []byte {
	if secret == "" {
		return nil
	}
	return []byte(secret)
}
