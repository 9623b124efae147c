package main

import (
	"strings"
	"testing"
)

func TestExampleAndDefaultConfigsLoad(t *testing.T) {
	for _, path := range []string{"", "../../testdata/config/stixgate.yaml"} {
		cfg, err := loadConfig(path)
		if err != nil {
			t.Fatalf("loadConfig(%q): %v", path, err)
		}
		if _, err := (&Main{Config: cfg, Env: testEnv(t, nil)}).bootstrapUser(); err != nil {
			t.Fatal(err)
		}
		if err := cfg.validate(); err != nil {
			t.Errorf("loadConfig(%q).validate() = %v, want nil", path, err)
		}
		if id, ok := resolveCollection(cfg, "purelogs"); !ok || id != "2ea542e7-9a0a-43bd-89ce-481eca7ea104" {
			t.Errorf("loadConfig(%q): purelogs resolves to %q, %v", path, id, ok)
		}
	}
}

func TestConfigErrorsNameTheKey(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown top-level key", "listen: x\nlisen: y\n", "field lisen not found"},
		{"unknown nested key", "discovery:\n  titel: x\n", "field titel not found"},
		{"bad log level", "log:\n  level: loud\n", "log.level"},
		{"bad page size", baseYAML + "default_page_size: -1\n", "default_page_size"},
		{"bad collection id", strings.Replace(baseYAML, "2ea542e7-9a0a-43bd-89ce-481eca7ea104", "purelogs", 1), "collections[0].id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseConfig([]byte(tc.yaml))
			if err == nil {
				err = cfg.validate()
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("config error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

const baseYAML = `discovery: {title: t}
api_roots:
  - path: api1
    title: r
    collections:
      - {id: 2ea542e7-9a0a-43bd-89ce-481eca7ea104, alias: purelogs, title: p}
`

func TestEnvOverridesFile(t *testing.T) {
	cfg, err := parseConfig([]byte(baseYAML))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"STIXGATE_ADDR": "127.0.0.1:9999", "REDIS_URL": "redis://r:6379/1", "STIXGATE_PUBLIC_BASE_URL": "https://ti.example.org"}
	cfg.applyEnv(func(k string) string { return env[k] })
	if cfg.Listen != "127.0.0.1:9999" || cfg.RedisURL != "redis://r:6379/1" || cfg.TAXII.PublicBaseURL != "https://ti.example.org" {
		t.Errorf("applyEnv: listen %q redis %q base %q", cfg.Listen, cfg.RedisURL, cfg.TAXII.PublicBaseURL)
	}
}

func TestExampleConfigSetsLimits(t *testing.T) {
	cfg, err := loadConfig("../../testdata/config/stixgate.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.RateLimit.RequestsPerSecond != 20 || cfg.RateLimit.Burst != 200 || cfg.RateLimit.FailedLoginsPerMinute != 10 {
		t.Errorf("rate_limit = %+v", cfg.RateLimit)
	}
	if cfg.TAXII.AuthCacheTTL.Seconds() != 60 {
		t.Errorf("auth_cache_ttl = %v, want 60s", cfg.TAXII.AuthCacheTTL)
	}
}
