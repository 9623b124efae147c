package stix

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"time"
)

// Bundle is an ordered list of serialised STIX objects.
type Bundle struct {
	Objects []Object
}

// BundleID derives the bundle id from the objects, in order: UUIDv5 under
// Namespace() over each object's id and created/modified stamps, then a
// CRC-32C of the objects array's compact text (the objects' JSON joined by
// commas) and its length.
//
// Why that is enough: STIX 2.1 §3.6 identifies an object version by (id,
// modified), so the list of (id, modified) names the bundle's versions. It
// does not always name its bytes: two imports whose rows differ only in,
// say, confidence, or with another valid_until policy, keep the same
// first-seen modified (the store restamps on import). The checksum covers
// that: any changed byte moves the id, except with probability 2^-32. It
// runs over one contiguous buffer in MarshalJSON, an order of magnitude
// cheaper than hashing every byte with SHA-1; the id is a label, not a
// security property.
func (b Bundle) BundleID() string {
	h := newBundleHash()
	tab := crc32.MakeTable(crc32.Castagnoli) // built once by the library
	var crc uint32
	n := 0
	for i, o := range b.Objects {
		h.add(o)
		if i > 0 {
			crc = crc32.Update(crc, tab, []byte{','})
			n++
		}
		crc = crc32.Update(crc, tab, o.JSON)
		n += len(o.JSON)
	}
	return h.id(crc, n)
}

// bundleHash accumulates the SHA-1 part of a bundle id, batching the small
// per-object writes.
type bundleHash struct {
	h   hash.Hash
	buf []byte
}

func newBundleHash() *bundleHash {
	bh := &bundleHash{h: sha1.New(), buf: make([]byte, 0, 4096)}
	bh.buf = append(append(bh.buf, namespace[:]...), "bundle"...)
	return bh
}

func (bh *bundleHash) add(o Object) {
	if len(bh.buf) > 3500 {
		bh.h.Write(bh.buf)
		bh.buf = bh.buf[:0]
	}
	bh.buf = append(append(bh.buf, 0), o.ID...)
	bh.buf = binary.BigEndian.AppendUint64(bh.buf, uint64(stamp(o.Created)))
	bh.buf = binary.BigEndian.AppendUint64(bh.buf, uint64(stamp(o.Modified)))
}

func (bh *bundleHash) id(crc uint32, n int) string {
	bh.buf = binary.BigEndian.AppendUint32(append(bh.buf, 0), crc)
	bh.buf = binary.BigEndian.AppendUint64(bh.buf, uint64(n))
	bh.h.Write(bh.buf)
	return "bundle--" + sumToUUID(bh.h).String()
}

// stamp is t in Unix milliseconds (STIX precision), 0 for the zero time.
func stamp(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// MarshalJSON encodes b as a compact STIX 2.1 bundle with keys in sorted
// order: {"id":…,"objects":[…],"type":"bundle"}. It computes the id while
// copying the objects (the checksum runs over the copy, once) and writes it
// into its slot at the end.
func (b Bundle) MarshalJSON() ([]byte, error) {
	const idPrefix = `{"id":"`
	buf := make([]byte, 0, b.size())
	buf = append(buf, idPrefix...)
	buf = append(buf, "bundle--00000000-0000-0000-0000-000000000000"...)
	buf = append(buf, `","objects":[`...)
	h := newBundleHash()
	start := len(buf)
	for i, o := range b.Objects {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, o.JSON...)
		h.add(o)
	}
	objects := buf[start:]
	copy(buf[len(idPrefix):], h.id(crc32.Checksum(objects, crc32.MakeTable(crc32.Castagnoli)), len(objects)))
	return append(buf, `],"type":"bundle"}`...), nil
}

// WriteJSON writes b indented by two spaces, one property per line, with a
// final newline: the form stixgate stores as golden files and prints. It
// streams object by object, so a large bundle is never held twice.
func (b Bundle) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var obj bytes.Buffer
	fmt.Fprintf(bw, "{\n  \"id\": %q,\n  \"objects\": [", b.BundleID())
	for i, o := range b.Objects {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		obj.Reset()
		if err := json.Indent(&obj, o.JSON, "    ", "  "); err != nil {
			return fmt.Errorf("stix: bundle object %s: %w", o.ID, err)
		}
		bw.Write(obj.Bytes())
	}
	if len(b.Objects) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("],\n  \"type\": \"bundle\"\n}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("stix: write bundle: %w", err)
	}
	return nil
}

// size is the compact encoding's length, to allocate the buffer once.
func (b Bundle) size() int {
	n := 128
	for _, o := range b.Objects {
		n += len(o.JSON) + 1
	}
	return n
}

// Stats counts the objects in b by STIX type.
func (b Bundle) Stats() map[string]int {
	m := make(map[string]int)
	for _, o := range b.Objects {
		m[o.Type]++
	}
	return m
}
