package stix

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func testBundle(t *testing.T) Bundle {
	t.Helper()
	mark, err := Marking(TLPWhite)
	if err != nil {
		t.Fatal(err)
	}
	id, err := NewIdentity(Identity{Common: Common{ID: ID("identity", "p"), Created: t0, Modified: t0}, Name: "p", Class: "system"})
	if err != nil {
		t.Fatal(err)
	}
	return Bundle{Objects: []Object{mark, id}}
}

func TestBundleJSON(t *testing.T) {
	b := testBundle(t)
	compact, err := b.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Type    string            `json:"type"`
		ID      string            `json:"id"`
		Objects []json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(compact, &doc); err != nil {
		t.Fatalf("MarshalJSON() is not JSON: %v\n%s", err, compact)
	}
	if doc.Type != "bundle" || doc.ID != b.BundleID() || len(doc.Objects) != 2 || !strings.HasPrefix(doc.ID, "bundle--") {
		t.Errorf("MarshalJSON() = %s", compact)
	}
	var indented bytes.Buffer
	if err := b.WriteJSON(&indented); err != nil {
		t.Fatal(err)
	}
	var re bytes.Buffer
	if err := json.Compact(&re, indented.Bytes()); err != nil {
		t.Fatalf("WriteJSON() is not JSON: %v", err)
	}
	if !bytes.Equal(re.Bytes(), compact) {
		t.Errorf("compact(WriteJSON()) = %s\nwant MarshalJSON() %s", re.Bytes(), compact)
	}
	if viaStd, _ := json.Marshal(b); !bytes.Equal(viaStd, compact) {
		t.Errorf("json.Marshal(bundle) = %s, want %s", viaStd, compact)
	}
}

func TestBundleID(t *testing.T) {
	b := testBundle(t)
	swapped := Bundle{Objects: []Object{b.Objects[1], b.Objects[0]}}
	if b.BundleID() != testBundle(t).BundleID() {
		t.Errorf("BundleID() differs for equal content")
	}
	if b.BundleID() == swapped.BundleID() || b.BundleID() == (Bundle{}).BundleID() {
		t.Errorf("BundleID() ignores content or order")
	}
	// Same ids and stamps, different bytes: the checksum must move the id.
	edited := testBundle(t)
	edited.Objects[1].JSON = bytes.Replace(edited.Objects[1].JSON, []byte(`"name":"p"`), []byte(`"name":"q"`), 1)
	if bytes.Equal(edited.Objects[1].JSON, b.Objects[1].JSON) {
		t.Fatal("test setup: edit did not apply")
	}
	if edited.BundleID() == b.BundleID() {
		t.Errorf("BundleID() = %s for both, want the edited content to change it", b.BundleID())
	}
}

func TestEmptyBundle(t *testing.T) {
	got, err := Bundle{}.MarshalJSON()
	if err != nil || !json.Valid(got) || !bytes.Contains(got, []byte(`"objects":[]`)) {
		t.Errorf("Bundle{}.MarshalJSON() = %s, %v", got, err)
	}
	var buf bytes.Buffer
	if err := (Bundle{}).WriteJSON(&buf); err != nil || !json.Valid(buf.Bytes()) {
		t.Errorf("Bundle{}.WriteJSON() = %s, %v", buf.Bytes(), err)
	}
}

func TestStats(t *testing.T) {
	got := testBundle(t).Stats()
	if len(got) != 2 || got["identity"] != 1 || got["marking-definition"] != 1 {
		t.Errorf("Stats() = %v, want identity:1 marking-definition:1", got)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteJSONError(t *testing.T) {
	if err := testBundle(t).WriteJSON(failWriter{}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("WriteJSON(failing writer) error = %v, want it to carry the write error", err)
	}
}
