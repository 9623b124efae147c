package stix

// blockSize is the size of the shared blocks a Builder copies JSON into:
// large enough that a 100k-row import allocates a few hundred blocks, small
// enough that one retained object pins little.
const blockSize = 256 << 10

// Builder serialises indicators and relationships exactly like
// NewIndicator and NewRelationship, for bulk conversion. It encodes each
// object straight into the free end of a large shared block, so converting
// many objects costs one allocation per block instead of one or two
// growing buffers per object, and no copy.
//
// An Object's JSON from a Builder shares its block with other objects; its
// capacity is clipped, so appending to it copies, but keeping one object
// keeps its whole block alive. Nothing from the arguments is kept, so a
// caller may reuse its slices for the next object. A Builder is not safe
// for concurrent use.
// The zero value is ready to use.
type Builder struct {
	e     enc // reused for its last-timestamp cache
	block []byte
	start int // where the object being encoded starts in block
}

// Indicator is NewIndicator with shared buffers.
func (b *Builder) Indicator(in Indicator) (Object, error) {
	if err := in.check(); err != nil {
		return Object{}, err
	}
	in.encode(b.enc(indicatorSize(&in)))
	return in.object("indicator", b.carve()), nil
}

// Relationship is NewRelationship with shared buffers.
func (b *Builder) Relationship(in Relationship) (Object, error) {
	if err := in.check(); err != nil {
		return Object{}, err
	}
	in.encode(b.enc(relationshipSize(&in)))
	return in.object("relationship", b.carve()), nil
}

// enc starts an object at the end of the block, opening a new block when
// fewer than size bytes are left. An object larger than its estimate still
// encodes correctly: append moves the block, and objects already carved
// keep pointing into the old one, which is never written again.
func (b *Builder) enc(size int) *enc {
	if cap(b.block)-len(b.block) < size {
		b.block = make([]byte, 0, max(blockSize, size))
	}
	b.start = len(b.block)
	b.e.b, b.e.first = append(b.block, '{'), true
	return &b.e
}

// carve closes the object and returns its JSON, capacity clipped.
func (b *Builder) carve() []byte {
	b.block = b.e.done()
	return b.block[b.start:len(b.block):len(b.block)]
}
