package taxii

import (
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(c *Config)
		want   string // substring of the error; "" = valid
	}{
		{"valid", func(c *Config) {}, ""},
		{"no title", func(c *Config) { c.Discovery.Title = "" }, "discovery.title: required"},
		{"bad base URL", func(c *Config) { c.PublicBaseURL = "ti.example.com" }, "public_base_url: not an absolute"},
		{"no roots", func(c *Config) { c.APIRoots = nil }, "api_roots: at least one"},
		{"root with slash", func(c *Config) { c.APIRoots[0].Path = "a/b" }, "api_roots[0].path: must be one URL path segment"},
		{"reserved root", func(c *Config) { c.APIRoots[1].Path = "taxii2" }, `api_roots[1].path: "taxii2" is reserved`},
		{"duplicate root", func(c *Config) { c.APIRoots[1].Path = "api1" }, `api_roots[1].path: duplicate "api1"`},
		{"root title", func(c *Config) { c.APIRoots[1].Title = "" }, "api_roots[1].title: required"},
		{"two defaults", func(c *Config) { c.APIRoots[1].Default = true }, "api_roots: more than one default"},
		{"collection id not uuid", func(c *Config) { c.APIRoots[0].Collections[1].ID = "purelogs" }, "api_roots[0].collections[1].id: not a UUIDv4"},
		{"collection id v1", func(c *Config) { c.APIRoots[0].Collections[1].ID = "0a1b2c3d-4e5f-1a6b-8c7d-9e0f1a2b3c4d" }, "api_roots[0].collections[1].id: not a UUIDv4"},
		{"collection id upper case", func(c *Config) { c.APIRoots[0].Collections[1].ID = strings.ToUpper(colPublic) }, "api_roots[0].collections[1].id: not a UUIDv4"},
		{"duplicate collection id", func(c *Config) { c.APIRoots[0].Collections[1].ID = colPure }, "api_roots[0].collections[1].id: duplicate"},
		{"duplicate alias", func(c *Config) { c.APIRoots[0].Collections[1].Alias = "purelogs" }, "api_roots[0].collections[1].alias: duplicate"},
		{"alias with space", func(c *Config) { c.APIRoots[0].Collections[1].Alias = "pure logs" }, "api_roots[0].collections[1].alias: must be one URL path segment"},
		{"collection title", func(c *Config) { c.APIRoots[0].Collections[2].Title = "" }, "api_roots[0].collections[2].title: required"},
		{"user without name", func(c *Config) { c.Users[0].Name = "" }, "users[0].name: required"},
		{"duplicate user", func(c *Config) { c.Users[1].Name = "reader" }, `users[1].name: duplicate "reader"`},
		{"user without secret", func(c *Config) { c.Users[0].PasswordHash = "" }, "users[0]: needs password_hash or api_keys"},
		{"plain-text password", func(c *Config) { c.Users[0].PasswordHash = "s3cret" }, "users[0].password_hash: not a bcrypt hash"},
		{"raw API key", func(c *Config) { c.Users[4].APIKeys[0].Hash = keySentine }, "users[4].api_keys[0].hash: not a lower-case hex SHA-256"},
		{"duplicate API key", func(c *Config) { c.Users[0].APIKeys = c.Users[4].APIKeys }, "users[4].api_keys[0].hash: duplicate key"},
		{"unknown collection grant", func(c *Config) { c.Users[0].Collections["nope"] = Permission{Read: true} }, `users[0].collections["nope"]: unknown collection`},
		{"page sizes", func(c *Config) { c.DefaultPageSize, c.MaxPageSize = 100, 10 }, "max_page_size: must be >= default_page_size (100)"},
		{"negative page size", func(c *Config) { c.DefaultPageSize = -1 }, "default_page_size: must be > 0"},
		{"negative content length", func(c *Config) { c.MaxContentLength = -1 }, "max_content_length: must be > 0"},
		{"accept policy", func(c *Config) { c.AcceptPolicy = "loose" }, `accept_policy: must be "lenient" or "strict"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig()
			tc.mutate(&cfg)
			err := cfg.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Validate() = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	cfg := testConfig()
	cfg.PublicBaseURL = "https://ti.example.com/"
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	got := []any{cfg.DefaultPageSize, cfg.MaxPageSize, cfg.MaxContentLength, cfg.AuthCacheTTL, cfg.AcceptPolicy, cfg.PublicBaseURL}
	want := []any{1000, 5000, int64(10 << 20), 60 * time.Second, AcceptLenient, "https://ti.example.com"}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("default #%d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestParseTimestampLenient(t *testing.T) {
	want := time.Date(2026, 6, 8, 10, 15, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2026-06-08T10:15:00Z", want},
		{"2026-06-08T10:15:00.000Z", want},
		{"2026-06-08T10:15:00.000000Z", want},
		{"2026-06-08T10:15:00.123456789Z", want.Add(123456789)},
		{"2026-06-08T10:15:00.1Z", want.Add(100 * time.Millisecond)},
		{"2026-06-08T10:15:00+00:00", want},
		{"2026-06-08T10:15:00 00:00", want}, // an unescaped "+" decoded as a space
		{"2026-06-08T12:15:00.000+02:00", want},
		{"2026-06-08t10:15:00z", want},
		{"1970-01-01T00:00:00.000Z", time.Unix(0, 0).UTC()},
	}
	for _, tc := range tests {
		got, err := parseTimestamp(tc.in)
		if err != nil || !got.Equal(tc.want) || got.Location() != time.UTC {
			t.Errorf("parseTimestamp(%q) = %v, %v, want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "2026-06-08", "2026-06-08T10:15:00", "1717840500"} {
		if _, err := parseTimestamp(bad); err == nil {
			t.Errorf("parseTimestamp(%q) = nil error, want error", bad)
		}
	}
}

func TestFormatVersion(t *testing.T) {
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		in   time.Time
		want string
	}{
		{base, "2026-01-02T03:04:05.000Z"},
		{base.Add(120 * time.Millisecond), "2026-01-02T03:04:05.120Z"},
		{base.Add(123456 * time.Microsecond), "2026-01-02T03:04:05.123456Z"},
		{base.Add(1), "2026-01-02T03:04:05.000000001Z"},
	}
	for _, tc := range tests {
		if got := formatVersion(tc.in); got != tc.want {
			t.Errorf("formatVersion(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := formatTimestamp(base.Add(1500 * time.Microsecond)); got != "2026-01-02T03:04:05.001500Z" {
		t.Errorf("formatTimestamp = %q, want microseconds", got)
	}
}

// TestConfigYAML decodes a configuration file the way cmd does (KnownFields) and validates it.
func TestConfigYAML(t *testing.T) {
	const doc = `
discovery: {title: stixgate, description: d, contact: soc@example.com}
public_base_url: https://ti.example.com
default_page_size: 500
max_page_size: 2000
max_content_length: 1048576
auth_cache_ttl: 90s
accept_policy: strict
api_roots:
  - path: api1
    title: root
    default: true
    collections:
      - {id: 3f5b4a2e-8c1d-4e6f-9a7b-0c2d4e6f8a1b, alias: purelogs, title: PureLogs, anonymous_read: true,
         seed_file: testdata/threatfox/purelogs.md, exclusion_profile: purelogs}
users:
  - name: sentinel
    password_hash: $2a$04$0Pccb97n489LfTh6DPzK2.GVDtHlwyCtosA0u1Ii6jjU/KT6.ztN.
    api_keys: [{name: prod, hash: ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad}]
    collections: {purelogs: {read: true}, "*": {write: false}}
`
	var cfg Config
	dec := yaml.NewDecoder(strings.NewReader(doc))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	col := cfg.APIRoots[0].Collections[0]
	if cfg.AuthCacheTTL != 90*time.Second || cfg.MaxPageSize != 2000 || !col.AnonymousRead || col.ExclusionProfile != "purelogs" ||
		!cfg.Users[0].Collections["purelogs"].Read || cfg.Users[0].APIKeys[0].Name != "prod" {
		t.Errorf("decoded config = %+v", cfg)
	}
	bad := yaml.NewDecoder(strings.NewReader("api_roots: [{path: a, titel: typo}]"))
	bad.KnownFields(true)
	if err := bad.Decode(&Config{}); err == nil {
		t.Errorf("Decode(unknown key titel) = nil, want error")
	}
}
