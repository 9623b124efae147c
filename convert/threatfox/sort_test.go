package threatfox

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stixgate/stixgate/convert/stix"
)

// TestSortObjects checks the integer UUID keys against the plain rule
// (type rank, then id as a string), including ids that are not UUIDs.
func TestSortObjects(t *testing.T) {
	tests := []struct {
		name string
		ids  []string
	}{
		{"uuids", nil},
		{"non-uuid ids", []string{"indicator--b", "indicator--a", "malware--zz", "indicator--0000000-0000-0000-0000-000000000000"}},
		{"upper-case hex", []string{"indicator--AAAAAAAA-0000-5000-8000-000000000000", "indicator--bbbbbbbb-0000-5000-8000-000000000000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objs := []stix.Object{{ID: "marking-definition--x", Type: "marking-definition"}, {ID: "identity--y", Type: "identity"}}
			for i := 0; i < 20000; i++ { // several per bucket
				typ := []string{"relationship", "indicator", "malware"}[i%3]
				objs = append(objs, stix.Object{ID: stix.ID(typ, strconv.Itoa(i)), Type: typ})
			}
			for _, id := range tt.ids {
				typ, _, _ := strings.Cut(id, "--")
				objs = append(objs, stix.Object{ID: id, Type: typ})
			}
			want := slices.Clone(objs)
			slices.SortStableFunc(want[2:], func(a, b stix.Object) int {
				return cmp.Or(cmp.Compare(typeRank(a.Type), typeRank(b.Type)), strings.Compare(a.ID, b.ID))
			})
			got := sortObjects(objs, 2)
			for i := range want {
				if got[i].ID != want[i].ID {
					t.Fatalf("sortObjects()[%d] = %s, want %s", i, got[i].ID, want[i].ID)
				}
			}
		})
	}
}

func TestEstimateRows(t *testing.T) {
	head := []byte(strings.Repeat(strings.Repeat("x", 99)+"\n", 4)) // 4 lines in 400 bytes
	tests := []struct {
		name  string
		head  []byte
		total int
		want  int
	}{
		{"whole input", head, len(head), 5},
		{"unknown size", head, -1, 5},
		{"ten times the head", head, 10 * len(head), 55},
		{"capped by bytes per row", []byte("\n\n\n\n"), 4000, 125},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := estimateRows(tt.head, tt.total); got != tt.want {
				t.Errorf("estimateRows(%d bytes, %d) = %d, want %d", len(tt.head), tt.total, got, tt.want)
			}
		})
	}
}
