package pattern

import (
	"bytes"
	"slices"
)

// Inspect traverses the tree rooted at n in depth-first source order,
// calling f for each non-nil node. If f returns false, the children of
// that node are skipped. The Start and Stop of a StartStop are visited as
// *Timestamp nodes.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || isNilNode(n) || !f(n) {
		return
	}
	for _, c := range children(n) {
		Inspect(c, f)
	}
}

// children lists the direct child nodes of n.
func children(n Node) []Node {
	switch n := n.(type) {
	case *Observation:
		return []Node{n.Expr}
	case *ObsBinary:
		return []Node{n.Left, n.Right}
	case *Qualified:
		return []Node{n.Expr, n.Qualifier}
	case *Within:
		return []Node{n.Seconds}
	case *StartStop:
		return []Node{&n.Start, &n.Stop}
	case *CompBinary:
		return []Node{n.Left, n.Right}
	case *Comparison:
		return []Node{n.Path, n.Value}
	case *Exists:
		return []Node{n.Path}
	case *Set:
		out := make([]Node, len(n.Members))
		for i, m := range n.Members {
			out[i] = m
		}
		return out
	}
	return nil
}

// Equal reports whether a and b are the same tree, ignoring positions.
// Floats and timestamps compare by their printed literal, so a hand-built
// node without Text equals its parsed form.
func Equal(a, b Node) bool {
	aNil, bNil := a == nil || isNilNode(a), b == nil || isNilNode(b)
	if aNil || bNil {
		return aNil == bNil
	}
	switch a := a.(type) {
	case *Observation:
		b, ok := b.(*Observation)
		return ok && Equal(a.Expr, b.Expr)
	case *ObsBinary:
		b, ok := b.(*ObsBinary)
		return ok && a.Op == b.Op && Equal(a.Left, b.Left) && Equal(a.Right, b.Right)
	case *Qualified:
		b, ok := b.(*Qualified)
		return ok && Equal(a.Expr, b.Expr) && Equal(a.Qualifier, b.Qualifier)
	case *Within:
		b, ok := b.(*Within)
		return ok && Equal(a.Seconds, b.Seconds)
	case *Repeats:
		b, ok := b.(*Repeats)
		return ok && a.Times == b.Times
	case *StartStop:
		b, ok := b.(*StartStop)
		return ok && Equal(&a.Start, &b.Start) && Equal(&a.Stop, &b.Stop)
	case *CompBinary:
		b, ok := b.(*CompBinary)
		return ok && a.Op == b.Op && Equal(a.Left, b.Left) && Equal(a.Right, b.Right)
	case *Comparison:
		b, ok := b.(*Comparison)
		return ok && a.Op == b.Op && a.Negated == b.Negated && Equal(a.Path, b.Path) && Equal(a.Value, b.Value)
	case *Exists:
		b, ok := b.(*Exists)
		return ok && a.Negated == b.Negated && Equal(a.Path, b.Path)
	case *ObjectPath:
		b, ok := b.(*ObjectPath)
		return ok && a.ObjectType == b.ObjectType && slices.EqualFunc(a.Steps, b.Steps, stepEqual)
	}
	return constantEqual(a, b)
}

func stepEqual(a, b Step) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case StepKey:
		return a.Key == b.Key
	case StepIndex:
		return a.Index == b.Index
	}
	return true
}

func constantEqual(a, b Node) bool {
	switch a := a.(type) {
	case *String:
		b, ok := b.(*String)
		return ok && a.Value == b.Value
	case *Int:
		b, ok := b.(*Int)
		return ok && a.Value == b.Value
	case *Float:
		b, ok := b.(*Float)
		return ok && floatText(a) == floatText(b)
	case *Bool:
		b, ok := b.(*Bool)
		return ok && a.Value == b.Value
	case *Timestamp:
		b, ok := b.(*Timestamp)
		return ok && a.Value.Equal(b.Value) && timestampText(a) == timestampText(b)
	case *Hex:
		b, ok := b.(*Hex)
		return ok && bytes.Equal(a.Value, b.Value)
	case *Binary:
		b, ok := b.(*Binary)
		return ok && bytes.Equal(a.Value, b.Value)
	case *Set:
		b, ok := b.(*Set)
		return ok && slices.EqualFunc(a.Members, b.Members, func(x, y Constant) bool { return Equal(x, y) })
	}
	return false
}
