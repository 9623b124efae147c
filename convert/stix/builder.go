package stix

// blockSize is the size of the shared blocks a Builder copies JSON into:
// large enough that a 100k-row import allocates a few hundred blocks, small
// enough that one retained object pins little.
const blockSize = 256 << 10

// Builder serialises indicators and relationships exactly like
// NewIndicator and NewRelationship, for bulk conversion. It encodes into
// one reused scratch buffer and copies each object's JSON into large shared
// blocks, so converting many objects costs a few allocations per block
// instead of one or two growing buffers per object.
//
// An Object's JSON from a Builder shares its block with other objects; its
// capacity is clipped, so appending to it copies, but keeping one object
// keeps its whole block alive. A Builder is not safe for concurrent use.
// The zero value is ready to use.
type Builder struct {
	e     enc // reused: its buffer and its last timestamp
	block []byte
}

// Indicator is NewIndicator with shared buffers.
func (b *Builder) Indicator(in Indicator) (Object, error) {
	if err := in.check(); err != nil {
		return Object{}, err
	}
	in.encode(b.enc())
	return in.object("indicator", b.carve()), nil
}

// Relationship is NewRelationship with shared buffers.
func (b *Builder) Relationship(in Relationship) (Object, error) {
	if err := in.check(); err != nil {
		return Object{}, err
	}
	in.encode(b.enc())
	return in.object("relationship", b.carve()), nil
}

func (b *Builder) enc() *enc {
	b.e.b, b.e.first = append(b.e.b[:0], '{'), true
	return &b.e
}

// carve finishes the object, keeps the buffer for the next one and returns
// a copy of the JSON in the current block.
func (b *Builder) carve() []byte {
	out := b.e.done()
	b.e.b = out
	if cap(b.block)-len(b.block) < len(out) {
		b.block = make([]byte, 0, max(blockSize, len(out)))
	}
	start := len(b.block)
	b.block = append(b.block, out...)
	return b.block[start:len(b.block):len(b.block)]
}
