package stix

import (
	"crypto/sha1"
	"encoding/hex"
	"hash"
	"strings"
)

// UUID is a 16-byte RFC 9562 UUID.
type UUID [16]byte

// namespace is stixgate's fixed UUIDv5 namespace for SDO, SRO and bundle
// ids. It is UUIDv5(NameSpaceURL, "https://github.com/stixgate/stixgate") and
// must never change: every id stixgate has ever emitted depends on it.
var namespace = UUID{0xda, 0x23, 0xd2, 0x45, 0xee, 0xdf, 0x56, 0x6f, 0x95, 0x8d, 0x31, 0x99, 0xb9, 0xf4, 0xf0, 0xe4}

// scoNamespace is the STIX 2.1 namespace for SCO ids (STIX 2.1 §2.9).
var scoNamespace = UUID{0x00, 0xab, 0xed, 0xb4, 0xaa, 0x42, 0x46, 0x6c, 0x9c, 0x01, 0xfe, 0xd2, 0x33, 0x15, 0xa9, 0xb7}

// Namespace returns stixgate's UUIDv5 namespace for SDO, SRO and bundle
// ids: UUIDv5(NameSpaceURL, "https://github.com/stixgate/stixgate").
func Namespace() UUID { return namespace }

// SCONamespace returns the STIX 2.1 namespace for SCO ids (STIX 2.1 §2.9),
// 00abedb4-aa42-466c-9c01-fed23315a9b7.
func SCONamespace() UUID { return scoNamespace }

// String formats u in the canonical 8-4-4-4-12 lower-case form.
func (u UUID) String() string {
	var b [36]byte
	return string(u.appendTo(b[:0]))
}

func (u UUID) appendTo(dst []byte) []byte {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return append(dst, b[:]...)
}

// NewUUIDv5 returns the name-based SHA-1 UUID of name in namespace ns.
func NewUUIDv5(ns UUID, name string) UUID {
	var stack [128]byte
	buf := append(append(stack[:0], ns[:]...), name...)
	sum := sha1.Sum(buf)
	var u UUID
	copy(u[:], sum[:])
	return setVersion5(u)
}

func setVersion5(u UUID) UUID {
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u
}

func sumToUUID(h hash.Hash) UUID {
	var u UUID
	var sum [sha1.Size]byte
	copy(u[:], h.Sum(sum[:0]))
	return setVersion5(u)
}

// ID returns the deterministic STIX identifier "typ--<uuid>" for an object
// of type typ keyed on key, under Namespace. The type is part of the name
// (typ, NUL, key), so two types never share a UUID for the same key.
func ID(typ, key string) string { return IDOf(typ, key) }

// IDOf is ID(typ, strings.Join(parts, "|")) without building the joined
// key: converters key objects on several fields, once per row.
func IDOf(typ string, parts ...string) string {
	var stack [192]byte
	buf := append(append(append(stack[:0], namespace[:]...), typ...), 0)
	for i, p := range parts {
		if i > 0 {
			buf = append(buf, '|')
		}
		buf = append(buf, p...)
	}
	sum := sha1.Sum(buf)
	var u UUID
	copy(u[:], sum[:])
	u = setVersion5(u)
	var tmp [36]byte
	var out strings.Builder // one allocation, no copy on String
	out.Grow(len(typ) + 2 + len(tmp))
	out.WriteString(typ)
	out.WriteString("--")
	out.Write(u.appendTo(tmp[:0]))
	return out.String()
}
