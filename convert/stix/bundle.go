package stix

import (
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
	h.Write(Namespace[:])
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
	if err := b.write(&buf, false); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteJSON writes b indented by two spaces, one property per line, with a
// final newline: the form stixgate stores as golden files and prints.
func (b Bundle) WriteJSON(w io.Writer) error {
	var buf bytes.Buffer
	buf.Grow(b.size() * 2)
	if err := b.write(&buf, true); err != nil {
		return err
	}
	buf.WriteByte('\n')
	if _, err := w.Write(buf.Bytes()); err != nil {
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

func (b Bundle) write(buf *bytes.Buffer, indent bool) error {
	nl, in1, in2, sp := "", "", "", ""
	if indent {
		nl, in1, in2, sp = "\n", "  ", "    ", " "
	}
	fmt.Fprintf(buf, "{%s%s\"id\":%s%q,%s%s\"objects\":%s[", nl, in1, sp, b.BundleID(), nl, in1, sp)
	for i, o := range b.Objects {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString(nl + in2)
		if !indent {
			buf.Write(o.JSON)
			continue
		}
		if err := json.Indent(buf, o.JSON, in2, in1); err != nil {
			return fmt.Errorf("stix: bundle object %s: %w", o.ID, err)
		}
	}
	if len(b.Objects) > 0 {
		buf.WriteString(nl + in1)
	}
	fmt.Fprintf(buf, "],%s%s\"type\":%s\"bundle\"%s}", nl, in1, sp, nl)
	return nil
}

// Stats counts the objects in b by STIX type.
func (b Bundle) Stats() map[string]int {
	m := make(map[string]int)
	for _, o := range b.Objects {
		m[o.Type]++
	}
	return m
}
