package stix

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"io"
)

// Bundle is an ordered list of serialised STIX objects.
type Bundle struct {
	Objects []Object
}

// BundleID derives the bundle id from the objects' serialised content, so
// the same objects in the same order always give the same id.
func (b Bundle) BundleID() string {
	h := sha1.New()
	h.Write(namespace[:])
	h.Write([]byte("bundle"))
	for _, o := range b.Objects {
		h.Write([]byte{0})
		h.Write(o.JSON)
	}
	return "bundle--" + sumToUUID(h).String()
}

// MarshalJSON encodes b as a compact STIX 2.1 bundle with keys in sorted
// order: {"id":…,"objects":[…],"type":"bundle"}.
func (b Bundle) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(b.size())
	b.write(&buf)
	return buf.Bytes(), nil
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

func (b Bundle) write(buf *bytes.Buffer) {
	fmt.Fprintf(buf, "{\"id\":%q,\"objects\":[", b.BundleID())
	for i, o := range b.Objects {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(o.JSON)
	}
	buf.WriteString("],\"type\":\"bundle\"}")
}

// Stats counts the objects in b by STIX type.
func (b Bundle) Stats() map[string]int {
	m := make(map[string]int)
	for _, o := range b.Objects {
		m[o.Type]++
	}
	return m
}
