package stix

import (
	"bytes"
	"testing"
)

// TestBuilderMatchesNew checks that the Builder's shared-buffer output is
// byte-identical to the New* functions, object after object, and that each
// JSON slice is clipped so appending to it cannot clobber its neighbour.
func TestBuilderMatchesNew(t *testing.T) {
	var bld Builder
	for i := 0; i < 3; i++ {
		c := fullCommon(ID("indicator", string(rune('a'+i))))
		in := Indicator{Common: c, Name: "n", Description: tricky[i], Types: []string{"malicious-activity"},
			Pattern: "[url:value = 'x']", ValidFrom: t0, KillChain: []KillChainPhase{{KillChain: "k", Phase: "p"}}}
		want, err := NewIndicator(in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := bld.Indicator(in)
		if err != nil || !bytes.Equal(got.JSON, want.JSON) || got.ID != want.ID {
			t.Errorf("Builder.Indicator(%d) = %s, %v\nwant %s", i, got.JSON, err, want.JSON)
		}
		rel := Relationship{Common: fullCommon(ID("relationship", string(rune('a'+i)))), Type: "indicates",
			Source: want.ID, Target: ID("malware", "m")}
		wantRel, err := NewRelationship(rel)
		if err != nil {
			t.Fatal(err)
		}
		gotRel, err := bld.Relationship(rel)
		if err != nil || !bytes.Equal(gotRel.JSON, wantRel.JSON) {
			t.Errorf("Builder.Relationship(%d) = %s, %v\nwant %s", i, gotRel.JSON, err, wantRel.JSON)
		}
		if cap(got.JSON) != len(got.JSON) {
			t.Errorf("Builder.Indicator(%d) JSON cap %d, want clipped to len %d", i, cap(got.JSON), len(got.JSON))
		}
		before := bytes.Clone(gotRel.JSON)
		_ = append(got.JSON, "garbage"...)
		if !bytes.Equal(gotRel.JSON, before) {
			t.Errorf("appending to an indicator's JSON changed the next object's: %s", gotRel.JSON)
		}
	}
}

func TestBuilderRejectsInvalid(t *testing.T) {
	var bld Builder
	if _, err := bld.Indicator(Indicator{Common: fullCommon(ID("indicator", "k"))}); err == nil {
		t.Errorf("Builder.Indicator(no pattern) error = nil, want ErrInvalid")
	}
	if _, err := bld.Relationship(Relationship{Common: fullCommon(ID("relationship", "k"))}); err == nil {
		t.Errorf("Builder.Relationship(no refs) error = nil, want ErrInvalid")
	}
}
