package store

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
)

// A cursor is base64url(version byte | index member | HMAC-SHA256(key, version | collection | 0 | member)
// truncated to macLen). It names the last record a page returned, so it needs no server state, never
// expires and works on any replica; the MAC binds it to the collection and rejects edited tokens.
const (
	cursorVersion byte = 1
	macLen        int  = 16
)

// cursorEncoding is strict so that each cursor has exactly one spelling.
var cursorEncoding = base64.RawURLEncoding.Strict()

func (s *Store) cursorMAC(collection, member string) []byte {
	h := hmac.New(sha256.New, s.cursorKey)
	h.Write([]byte{cursorVersion})
	h.Write([]byte(collection))
	h.Write([]byte{0})
	h.Write([]byte(member))
	return h.Sum(nil)[:macLen]
}

// encodeCursor returns the Page.Next token for resuming after member.
func (s *Store) encodeCursor(collection, member string) string {
	buf := make([]byte, 0, 1+len(member)+macLen)
	buf = append(buf, cursorVersion)
	buf = append(buf, member...)
	buf = append(buf, s.cursorMAC(collection, member)...)
	return cursorEncoding.EncodeToString(buf)
}

// decodeCursor returns the member a token resumes after. Errors: ErrBadCursor.
func (s *Store) decodeCursor(collection, token string) (member, error) {
	buf, err := cursorEncoding.DecodeString(token)
	if err != nil || strings.ContainsAny(token, "\r\n") { // the decoder skips line breaks
		return member{}, fmt.Errorf("%w: not base64url", ErrBadCursor)
	}
	if len(buf) < 1+minMember+macLen || buf[0] != cursorVersion {
		return member{}, fmt.Errorf("%w: unknown format", ErrBadCursor)
	}
	raw := string(buf[1 : len(buf)-macLen])
	if !hmac.Equal(buf[len(buf)-macLen:], s.cursorMAC(collection, raw)) {
		return member{}, fmt.Errorf("%w: signature mismatch", ErrBadCursor)
	}
	m, ok := parseMember(raw)
	if !ok {
		return member{}, fmt.Errorf("%w: malformed position", ErrBadCursor)
	}
	return m, nil
}
