package stix

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"time"
)

// Bundle is an ordered list of serialised STIX objects.
type Bundle struct {
	Objects []Object
}

// BundleID derives the bundle id from the objects, in order: UUIDv5 under
// Namespace() over, per object, its id, its created and modified stamps and
// a CRC-32C of its JSON.
//
// Why that is enough: STIX 2.1 §3.6 identifies an object version by (id,
// modified), and producers must move modified when content changes, so the
// list of (id, modified) already names the bundle's content. The importer
// does not always do that itself (two rows for one IOC that differ only in,
// say, confidence keep the first-seen modified; the store restamps on
// import), so the checksum of each object's JSON makes any byte change move
// the id too. CRC-32C is hardware-accelerated and an order of magnitude
// cheaper than hashing every byte with SHA-1; the id is a label, not a
// security property, and a collision would need equal ids and stamps too.
func (b Bundle) BundleID() string {
	h := sha1.New()
	castagnoli := crc32.MakeTable(crc32.Castagnoli) // built once by the library
	buf := make([]byte, 0, 4096)
	buf = append(append(buf, namespace[:]...), "bundle"...)
	for _, o := range b.Objects {
		if len(buf) > 3500 {
			h.Write(buf)
			buf = buf[:0]
		}
		buf = append(append(buf, 0), o.ID...)
		buf = binary.BigEndian.AppendUint64(buf, uint64(stamp(o.Created)))
		buf = binary.BigEndian.AppendUint64(buf, uint64(stamp(o.Modified)))
		buf = binary.BigEndian.AppendUint32(buf, crc32.Checksum(o.JSON, castagnoli))
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(o.JSON)))
	}
	h.Write(buf)
	return "bundle--" + sumToUUID(h).String()
}

// stamp is t in Unix milliseconds (STIX precision), 0 for the zero time.
func stamp(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// MarshalJSON encodes b as a compact STIX 2.1 bundle with keys in sorted
// order: {"id":…,"objects":[…],"type":"bundle"}.
func (b Bundle) MarshalJSON() ([]byte, error) {
	return b.appendTo(make([]byte, 0, b.size())), nil
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

func (b Bundle) appendTo(buf []byte) []byte {
	buf = append(buf, `{"id":`...)
	buf = appendString(buf, b.BundleID())
	buf = append(buf, `,"objects":[`...)
	for i, o := range b.Objects {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, o.JSON...)
	}
	return append(buf, `],"type":"bundle"}`...)
}

// Stats counts the objects in b by STIX type.
func (b Bundle) Stats() map[string]int {
	m := make(map[string]int)
	for _, o := range b.Objects {
		m[o.Type]++
	}
	return m
}
