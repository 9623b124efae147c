package taxii

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// The hand-written envelope encoding is byte-identical to json.Marshal's.
func TestEnvelopeEncodingMatchesEncodingJSON(t *testing.T) {
	yes, no := true, false
	objs := []json.RawMessage{
		json.RawMessage(`{"id":"indicator--1","name":"a \"quoted\" \u2028 name"}`),
		json.RawMessage(`{"id":"indicator--2"}`),
	}
	tests := []struct {
		name string
		env  envelope
	}{
		{"empty", envelope{}},
		{"one page", envelope{More: &no, Objects: objs[:1]}},
		{"more", envelope{More: &yes, Next: "AbC-_09", Objects: objs}},
		{"next needing escapes", envelope{More: &yes, Next: `a"b\c<>&`, Objects: objs}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, err := json.Marshal(tc.env)
			if err != nil {
				t.Fatal(err)
			}
			if got := tc.env.encodeTAXII(); !bytes.Equal(got, want) {
				t.Errorf("encodeTAXII() = %s, want %s", got, want)
			}
		})
	}
}

func BenchmarkEnvelopeEncoding(b *testing.B) {
	yes := true
	env := envelope{More: &yes, Next: "AbCdEf0123456789", Objects: make([]json.RawMessage, 1000)}
	for i := range env.Objects {
		env.Objects[i] = json.RawMessage(fmt.Sprintf(`{"id":"indicator--%036d","type":"indicator","pattern":"[domain-name:value = 'host%d.example']","description":"%0900d"}`, i, i, 0))
	}
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(env); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encodeTAXII", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			env.encodeTAXII()
		}
	})
}
