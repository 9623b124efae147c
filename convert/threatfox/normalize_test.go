package threatfox

import (
	"strings"
	"testing"
	"time"
)

func TestNormValue(t *testing.T) {
	tests := []struct {
		name, typ, in, want, err string
	}{
		{"ipv4", "ip:port", "192.0.2.1:443", "192.0.2.1:443", ""},
		{"ipv4 defanged", "ip:port", "192[.]0[.]2[.]1:443", "192.0.2.1:443", ""},
		{"ipv4 defanged colon", "ip:port", "192(.)0{.}2[dot]1[:]443", "192.0.2.1:443", ""},
		{"ipv6 bracketed", "ip:port", "[2001:DB8::1]:8443", "[2001:db8::1]:8443", ""},
		{"ipv6 unbracketed", "ip:port", "2001:db8::1:8443", "[2001:db8::1]:8443", ""},
		{"ipv4-mapped ipv6", "ip:port", "[::ffff:192.0.2.1]:80", "192.0.2.1:80", ""},
		{"port 0", "ip:port", "192.0.2.1:0", "", `ip:port "192.0.2.1:0": port "0" is not in 1-65535`},
		{"port 65536", "ip:port", "192.0.2.1:65536", "", `ip:port "192.0.2.1:65536": port "65536" is not in 1-65535`},
		{"port 65535", "ip:port", "192.0.2.1:65535", "192.0.2.1:65535", ""},
		{"missing port", "ip:port", "192.0.2.1", "", `ip:port "192.0.2.1" has no port`},
		{"empty port", "ip:port", "192.0.2.1:", "", `ip:port "192.0.2.1:": port "" is not in 1-65535`},
		{"hostname", "ip:port", "evil.example:80", "", `ip:port "evil.example:80": "evil.example" is not an IP address`},
		{"zone", "ip:port", "[fe80::1%eth0]:80", "", `ip:port "[fe80::1%eth0]:80": "fe80::1%eth0" is not an IP address`},
		{"domain upper", "domain", "Evil.EXAMPLE.", "evil.example", ""},
		{"domain defanged", "domain", "evil[.]example", "evil.example", ""},
		{"domain underscore", "domain", "_dmarc.evil.example", "_dmarc.evil.example", ""},
		{"domain single label", "domain", "localhost", "", `domain "localhost" is not a fully qualified name`},
		{"domain numeric tld", "domain", "192.0.2.1", "", `domain "192.0.2.1" has a numeric top-level label`},
		{"domain space", "domain", "evil example.com", "", `domain "evil example.com": label "evil example" has character ' '`},
		{"domain unicode", "domain", "bücher.example", "", `domain "bücher.example": label "bücher" is not ASCII (internationalised names must be punycode, xn--…)`},
		{"domain empty label", "domain", "evil..example", "", `domain "evil..example": label "" must be 1-63 characters`},
		{"domain long label", "domain", strings.Repeat("a", 64) + ".example", "", `domain "` + strings.Repeat("a", 64) + `.example": label "` + strings.Repeat("a", 64) + `" must be 1-63 characters`},
		{"url quirks", "url", `http://evil.example/it's\here%20ü`, `http://evil.example/it's\here%20ü`, ""},
		{"url defanged", "url", "hxxps[://]evil[.]example/a", "https://evil.example/a", ""},
		{"url hXXp", "url", "hXXp://evil.example/", "http://evil.example/", ""},
		{"url no scheme", "url", "evil.example/a", "", `url "evil.example/a" has no scheme://host`},
		{"url space", "url", "http://evil.example/a b", "", `url "http://evil.example/a b" contains whitespace or a control character`},
		{"url bad scheme", "url", "1ttp://evil.example/", "", `url "1ttp://evil.example/" has an invalid scheme`},
		{"md5 upper", "md5_hash", "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e", ""},
		{"md5 short", "md5_hash", "d41d8cd98f00b204e9800998ecf8427", "", "md5_hash must be 32 hex digits, got 31 characters"},
		{"sha1 upper", "sha1_hash", "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709", "da39a3ee5e6b4b0d3255bfef95601890afd80709", ""},
		{"sha1 long", "sha1_hash", "da39a3ee5e6b4b0d3255bfef95601890afd807090", "", "sha1_hash must be 40 hex digits, got 41 characters"},
		{"sha256 upper", "sha256_hash", strings.Repeat("AB", 32), strings.Repeat("ab", 32), ""},
		{"sha256 non-hex", "sha256_hash", strings.Repeat("ab", 31) + "zz", "", "sha256_hash has a non-hex character 'z' at offset 62"},
		{"sha256 defanged is not refanged", "sha256_hash", strings.Repeat("ab", 30) + "[.]a", "", "sha256_hash has a non-hex character '[' at offset 60"},
		{"sha3-384 upper", "sha3_384_hash", strings.Repeat("0F", 48), strings.Repeat("0f", 48), ""},
		{"sha3-384 short", "sha3_384_hash", strings.Repeat("0f", 47), "", "sha3_384_hash must be 96 hex digits, got 94 characters"},
		{"email", "envelope_from", "Bad <Bad.Guy@Evil.EXAMPLE>", "Bad.Guy@evil.example", ""},
		{"email defanged", "body_from", "bad[@]evil[.]example", "bad@evil.example", ""},
		{"email bad", "body_from", "not an address", "", `body_from "not an address" is not an email address`},
		{"empty", "domain", "  ", "", "empty domain value"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := normValue(tc.typ, tc.in)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("normValue(%q, %q) error = %v, want %q", tc.typ, tc.in, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("normValue(%q, %q) = %q, %v, want %q", tc.typ, tc.in, got, err, tc.want)
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		err  string
	}{
		{"2026-06-08 12:34:56 UTC", time.Date(2026, 6, 8, 12, 34, 56, 0, time.UTC), ""},
		{"2026-06-08 12:34:56", time.Date(2026, 6, 8, 12, 34, 56, 0, time.UTC), ""},
		{"2026-06-08", time.Date(2026, 6, 8, 0, 0, 0, 0, time.UTC), ""},
		{"2026-06-08T12:34:56+02:00", time.Date(2026, 6, 8, 10, 34, 56, 0, time.UTC), ""},
		{"None", time.Time{}, "missing first_seen"},
		{"2026-02-30", time.Time{}, `first_seen "2026-02-30" is not a date or time`},
		{"08/06/2026", time.Time{}, `first_seen "08/06/2026" is not a date or time`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseTime("first_seen", tc.in, true)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("parseTime(%q) error = %v, want %q", tc.in, err, tc.err)
				}
				return
			}
			if err != nil || !got.Equal(tc.want) || got.Location() != time.UTC {
				t.Fatalf("parseTime(%q) = %v, %v, want %v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestParseConfidence(t *testing.T) {
	tests := []struct {
		in   string
		want int
		has  bool
		err  bool
	}{
		{"75%", 75, true, false}, {" 100 ", 100, true, false}, {"0", 0, true, false},
		{"", 0, false, false}, {"None", 0, false, false},
		{"101", 0, false, true}, {"-1", 0, false, true}, {"high", 0, false, true}, {"7.5", 0, false, true},
	}
	for _, tc := range tests {
		got, has, err := parseConfidence(tc.in)
		if got != tc.want || has != tc.has || (err != nil) != tc.err {
			t.Errorf("parseConfidence(%q) = %d, %v, %v; want %d, %v, error %v", tc.in, got, has, err, tc.want, tc.has, tc.err)
		}
	}
}

func TestFamilyAndLists(t *testing.T) {
	if id, name := family("unknown", "Unknown malware"); id != "" || name != "" {
		t.Errorf(`family("unknown", "Unknown malware") = %q, %q, want "", ""`, id, name)
	}
	if id, name := family(" win.x ", " Cobalt   Strike "); id != "win.x" || name != "Cobalt Strike" {
		t.Errorf("family() = %q, %q, want win.x, Cobalt Strike", id, name)
	}
	got := cleanList(splitList(" a, b,,A , Fam, b ,None"), "fam")
	if strings.Join(got, "|") != "a|b" {
		t.Errorf("cleanList(...) = %q, want [a b]", got)
	}
}

func TestRefang(t *testing.T) {
	tests := map[string]string{
		"evil[.]example":               "evil.example",
		"evil[DOT]example":             "evil.example",
		"hxxps[://]a[.]b/c":            "https://a.b/c",
		"HXXP://a.b":                   "http://a.b",
		"hxxpfoo.example":              "hxxpfoo.example",
		"a[@]b(.)c{.}d[:]1":            "a@b.c.d:1",
		"[2001:db8::1]:443":            "[2001:db8::1]:443",
		"http://a.example/x(.)y[.]z?q": "http://a.example/x.y.z?q",
	}
	for in, want := range tests {
		if got := refang(in); got != want {
			t.Errorf("refang(%q) = %q, want %q", in, got, want)
		}
	}
}
