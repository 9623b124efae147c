package pattern

// Marker methods seal the Node, ObsExpr, Qualifier, CompExpr, Constant and
// Number interfaces to this package.

func (*Observation) node() {}
func (*ObsBinary) node()   {}
func (*Qualified) node()   {}
func (*Within) node()      {}
func (*Repeats) node()     {}
func (*StartStop) node()   {}
func (*CompBinary) node()  {}
func (*Comparison) node()  {}
func (*Exists) node()      {}
func (*ObjectPath) node()  {}
func (*String) node()      {}
func (*Int) node()         {}
func (*Float) node()       {}
func (*Bool) node()        {}
func (*Timestamp) node()   {}
func (*Hex) node()         {}
func (*Binary) node()      {}
func (*Set) node()         {}

func (*Observation) obsExpr() {}
func (*ObsBinary) obsExpr()   {}
func (*Qualified) obsExpr()   {}

func (*Within) qualifier()    {}
func (*Repeats) qualifier()   {}
func (*StartStop) qualifier() {}

func (*CompBinary) compExpr() {}
func (*Comparison) compExpr() {}
func (*Exists) compExpr()     {}

func (*String) constant()    {}
func (*Int) constant()       {}
func (*Float) constant()     {}
func (*Bool) constant()      {}
func (*Timestamp) constant() {}
func (*Hex) constant()       {}
func (*Binary) constant()    {}
func (*Set) constant()       {}

func (*Int) number()   {}
func (*Float) number() {}

// Position returns the offset of the opening '['.
func (o *Observation) Position() Pos { return o.Lbrack }

// Position returns the position of the left operand; parentheses are not
// kept in the tree.
func (b *ObsBinary) Position() Pos { return posOf(b.Left) }

// Position returns the position of the qualified expression.
func (q *Qualified) Position() Pos { return posOf(q.Expr) }

// Position returns the offset of WITHIN.
func (w *Within) Position() Pos { return w.KwPos }

// Position returns the offset of REPEATS.
func (r *Repeats) Position() Pos { return r.KwPos }

// Position returns the offset of START.
func (s *StartStop) Position() Pos { return s.KwPos }

// Position returns the position of the left operand.
func (b *CompBinary) Position() Pos { return posOf(b.Left) }

// Position returns the position of the object path.
func (c *Comparison) Position() Pos {
	if c.Path == nil {
		return c.OpPos
	}
	return c.Path.TypePos
}

// Position returns the offset of NOT, or of EXISTS when not negated.
func (e *Exists) Position() Pos { return e.KwPos }

// Position returns the offset of the object type.
func (p *ObjectPath) Position() Pos { return p.TypePos }

// Position returns the offset of the literal.
func (s *String) Position() Pos { return s.ValuePos }

// Position returns the offset of the literal (its sign, if any).
func (i *Int) Position() Pos { return i.ValuePos }

// Position returns the offset of the literal (its sign, if any).
func (f *Float) Position() Pos { return f.ValuePos }

// Position returns the offset of the literal.
func (b *Bool) Position() Pos { return b.ValuePos }

// Position returns the offset of the 't' prefix.
func (t *Timestamp) Position() Pos { return t.ValuePos }

// Position returns the offset of the 'h' prefix.
func (h *Hex) Position() Pos { return h.ValuePos }

// Position returns the offset of the 'b' prefix.
func (b *Binary) Position() Pos { return b.ValuePos }

// Position returns the offset of the opening '('.
func (s *Set) Position() Pos { return s.Lparen }

// posOf tolerates nil children so that a half-built tree (from a caller
// constructing one by hand) never panics.
func posOf(n Node) Pos {
	if n == nil || isNilNode(n) {
		return 0
	}
	return n.Position()
}

// isNilNode reports whether n holds a typed nil pointer.
func isNilNode(n Node) bool {
	switch v := n.(type) {
	case *Observation:
		return v == nil
	case *ObsBinary:
		return v == nil
	case *Qualified:
		return v == nil
	case *Within:
		return v == nil
	case *Repeats:
		return v == nil
	case *StartStop:
		return v == nil
	case *CompBinary:
		return v == nil
	case *Comparison:
		return v == nil
	case *Exists:
		return v == nil
	case *ObjectPath:
		return v == nil
	}
	return isNilConstant(n)
}

func isNilConstant(n Node) bool {
	switch v := n.(type) {
	case *String:
		return v == nil
	case *Int:
		return v == nil
	case *Float:
		return v == nil
	case *Bool:
		return v == nil
	case *Timestamp:
		return v == nil
	case *Hex:
		return v == nil
	case *Binary:
		return v == nil
	case *Set:
		return v == nil
	}
	return n == nil
}
