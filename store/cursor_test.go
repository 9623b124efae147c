package store

import (
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/store/<name>, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("..", "testdata", "store", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (-update rewrites it):\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

// TestKeyLayout pins the raw Redis layout of a small collection and its status key: changing it breaks
// stored data, so it must be a visible diff.
func TestKeyLayout(t *testing.T) {
	e := mustEnv(t, Options{})
	putFixture(e, "c")
	if err := e.s.SaveStatus(context.Background(), "s1", []byte(`{"status":"complete"}`)); err != nil {
		t.Fatal(err)
	}
	golden(t, "layout.golden", e.dump())
}

// cursorFixture pages the filter fixture one record at a time and returns every Next.
func cursorFixture(t *testing.T, s *Store, e *env) []string {
	t.Helper()
	var out []string
	q := Query{Limit: 1, Versions: VersionFilter{All: true}}
	for {
		p, err := s.Objects(context.Background(), "c", q)
		if err != nil {
			t.Fatal(err)
		}
		if !p.More {
			return out
		}
		out = append(out, p.Next)
		q.Next = p.Next
	}
}

// TestCursorStable pins the cursor format: tokens handed to clients must stay valid across releases and
// restarts, so a format change must show up as a golden diff.
func TestCursorStable(t *testing.T) {
	e := mustEnv(t, Options{})
	putFixture(e, "c")
	cursors := cursorFixture(t, e.s, e)
	golden(t, "cursors.golden", strings.Join(cursors, "\n")+"\n")

	restarted := New(e.rdb, Options{Now: e.clock.Now}) // a new process or another replica
	if again := cursorFixture(t, restarted, e); !slices.Equal(again, cursors) {
		t.Errorf("cursors after restart = %q, want %q", again, cursors)
	}
}

// TestBadCursor checks that garbage, edited, foreign and wrongly keyed cursors fail with ErrBadCursor.
func TestBadCursor(t *testing.T) {
	e := mustEnv(t, Options{CursorKey: []byte("k1")})
	putFixture(e, "c")
	putFixture(e, "other")
	ctx := context.Background()
	good := e.mustObjects("c", Query{Limit: 2}).Next
	raw, err := cursorEncoding.DecodeString(good)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) string {
		b := slices.Clone(raw)
		b[i] ^= 1
		return cursorEncoding.EncodeToString(b)
	}
	otherKey := New(e.rdb, Options{CursorKey: []byte("k2"), Now: e.clock.Now})
	foreign := e.mustObjects("other", Query{Limit: 2}).Next
	tests := []struct{ name, next string }{
		{"not base64", "%%%"},
		{"padded base64", base64.URLEncoding.EncodeToString(raw)},
		{"standard alphabet", "+/" + good[2:]},
		{"empty payload", "AA"},
		{"truncated", good[:len(good)-4]},
		{"version byte", flip(0)},
		{"date_added digit", flip(3)},
		{"id byte", flip(20)},
		{"mac byte", flip(len(raw) - 1)},
		{"cursor of another collection", foreign},
		{"signed with another key", func() string {
			p, _ := otherKey.Objects(ctx, "c", Query{Limit: 2})
			return p.Next
		}()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := e.s.Objects(ctx, "c", Query{Limit: 2, Next: tc.next}); !errors.Is(err, ErrBadCursor) {
				t.Errorf("Objects(next=%q) = %v, want ErrBadCursor", tc.next, err)
			}
		})
	}
	if _, err := e.s.Objects(ctx, "c", Query{Limit: 2, Next: good}); err != nil {
		t.Errorf("Objects(good next) = %v", err)
	}
}

// FuzzDecodeCursor: the decoder never panics, and whatever it accepts is a well-formed member whose
// encoding is the input itself (one spelling per cursor).
func FuzzDecodeCursor(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "store", "cursors.golden"))
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range strings.Fields(string(data)) {
		f.Add(c)
		f.Add(c[:len(c)/2])
	}
	f.Add("")
	f.Add("AQ")
	s := New(nil, Options{})
	f.Fuzz(func(t *testing.T, token string) {
		m, err := s.decodeCursor("c", token)
		if err != nil {
			if !errors.Is(err, ErrBadCursor) {
				t.Errorf("decodeCursor(%q) = %v, not ErrBadCursor", token, err)
			}
			return
		}
		if _, ok := parseMember(m.raw); !ok {
			t.Errorf("decodeCursor(%q) accepted malformed member %q", token, m.raw)
		}
		if again := s.encodeCursor("c", m.raw); again != token {
			t.Errorf("decodeCursor(%q) = %q, which encodes as %q", token, m.raw, again)
		}
	})
}
