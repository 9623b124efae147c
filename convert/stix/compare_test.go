package stix

import "testing"

func TestSameContent(t *testing.T) {
	base := `{"type":"indicator","id":"indicator--1","modified":"2026-06-08T00:00:00.000Z","confidence":75,"labels":["a","b"]}`
	tests := []struct {
		name, other string
		want        bool
	}{
		{"identical", base, true},
		{"only modified differs", `{"type":"indicator","id":"indicator--1","modified":"2026-12-03T10:00:00.000Z","confidence":75,"labels":["a","b"]}`, true},
		{"key order and spacing", `{ "labels":["a","b"], "confidence":75, "id":"indicator--1", "type":"indicator" }`, true},
		{"confidence changed", `{"type":"indicator","id":"indicator--1","modified":"2026-06-08T00:00:00.000Z","confidence":100,"labels":["a","b"]}`, false},
		{"label order is meaningful", `{"type":"indicator","id":"indicator--1","modified":"2026-06-08T00:00:00.000Z","confidence":75,"labels":["b","a"]}`, false},
		{"property added", `{"type":"indicator","id":"indicator--1","modified":"2026-06-08T00:00:00.000Z","confidence":75,"labels":["a","b"],"revoked":true}`, false},
		{"number spelling", `{"type":"indicator","id":"indicator--1","confidence":75.0,"labels":["a","b"]}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SameContent([]byte(base), []byte(tc.other))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("SameContent(base, %s) = %v, want %v", tc.other, got, tc.want)
			}
		})
	}
	if _, err := SameContent([]byte(base), []byte("not json")); err == nil {
		t.Error("SameContent accepted invalid JSON")
	}
}
