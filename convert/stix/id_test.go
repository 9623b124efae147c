package stix

import (
	"strings"
	"testing"

	"github.com/TcM1911/stix2"
)

// nameSpaceURL is RFC 4122's URL namespace, 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
var nameSpaceURL = UUID{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

func TestNamespaceDerivation(t *testing.T) {
	if got := NewUUIDv5(nameSpaceURL, "https://github.com/stixgate/stixgate"); got != Namespace() {
		t.Errorf("NewUUIDv5(URL, stixgate) = %s, want Namespace() %s", got, Namespace())
	}
}

func TestNewUUIDv5(t *testing.T) {
	// Expected values computed with Python's uuid.uuid5, an independent
	// implementation.
	dns := UUID{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	tests := []struct {
		ns   UUID
		name string
		want string
	}{
		{dns, "python.org", "886313e1-3b8a-5372-9b90-0c9aee199e5d"},
		{nameSpaceURL, "https://github.com/stixgate/stixgate", "da23d245-eedf-566f-958d-3199b9f4f0e4"},
		{SCONamespace(), `{"value":"198.51.100.3"}`, "28bb3599-77cd-5a82-a950-b5bc3caf07c4"},
		{SCONamespace(), strings.Repeat("long name ", 40), ""}, // > stack buffer: checked against stix2 below
	}
	for _, tc := range tests {
		got := NewUUIDv5(tc.ns, tc.name).String()
		if tc.want != "" && got != tc.want {
			t.Errorf("NewUUIDv5(%s, %q) = %s, want %s", tc.ns, tc.name, got, tc.want)
		}
		if tc.ns == SCONamespace() {
			lib := string(stix2.NewObservableIdentifier(tc.name, stix2.TypeIPv4Addr))
			if "ipv4-addr--"+got != lib {
				t.Errorf("NewUUIDv5(SCO, %q) = %s, stix2 says %s", tc.name, got, lib)
			}
		}
	}
}

func TestID(t *testing.T) {
	a, b := ID("indicator", "k"), ID("malware", "k")
	if !strings.HasPrefix(a, "indicator--") || !hasTypePrefix(a, "indicator") || !validUUID(a[len("indicator--"):]) {
		t.Errorf("ID(indicator, k) = %q, want indicator--<uuid>", a)
	}
	if a[len("indicator--"):] == b[len("malware--"):] {
		t.Errorf("ID() gives indicator and malware the same UUID for one key")
	}
	if ID("indicator", "k") != a || ID("indicator", "k2") == a {
		t.Errorf("ID() is not a function of (type, key)")
	}
}

func TestIDOf(t *testing.T) {
	long := strings.Repeat("x", 300) // past the stack buffer
	tests := []struct {
		typ   string
		parts []string
	}{
		{"indicator", []string{"domain", "evil.example"}},
		{"relationship", []string{"indicator--a", "malware--b"}},
		{"malware", []string{"one"}},
		{"indicator", nil},
		{"indicator", []string{"url", long}},
	}
	for _, tt := range tests {
		t.Run(tt.typ+strings.Join(tt.parts, "|")[:min(20, len(strings.Join(tt.parts, "|")))], func(t *testing.T) {
			want := ID(tt.typ, strings.Join(tt.parts, "|"))
			if got := IDOf(tt.typ, tt.parts...); got != want {
				t.Errorf("IDOf(%q, %q) = %s, want ID(typ, joined) %s", tt.typ, tt.parts, got, want)
			}
		})
	}
}
