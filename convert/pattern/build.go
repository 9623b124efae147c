package pattern

// Constructors for building patterns in code (the ThreatFox importer).
// Positions are zero. A built tree should be checked by parsing its
// String(): Parse(e.String()) applies every rule Parse applies.

// NewPath returns the object path objectType:keys[0].keys[1]…, e.g.
// NewPath("network-traffic", "dst_ref", "value"). Keys are unquoted
// property names; the printer quotes them where needed ('SHA-256').
func NewPath(objectType string, keys ...string) *ObjectPath {
	p := &ObjectPath{ObjectType: objectType, Steps: make([]Step, len(keys))}
	for i, k := range keys {
		p.Steps[i] = Step{Kind: StepKey, Key: k}
	}
	return p
}

// Compare returns the comparison "path op value".
func Compare(path *ObjectPath, op Operator, value Constant) *Comparison {
	return &Comparison{Path: path, Op: op, Value: value}
}

// AllOf joins comparisons with AND, left-associatively. It returns nil for
// no arguments and the argument itself for one.
func AllOf(exprs ...CompExpr) CompExpr { return foldComp(CompAnd, exprs) }

// AnyOf joins comparisons with OR, left-associatively. It returns nil for
// no arguments and the argument itself for one.
func AnyOf(exprs ...CompExpr) CompExpr { return foldComp(CompOr, exprs) }

func foldComp(op CompOp, exprs []CompExpr) CompExpr {
	if len(exprs) == 0 {
		return nil
	}
	e := exprs[0]
	for _, r := range exprs[1:] {
		e = &CompBinary{Op: op, Left: e, Right: r}
	}
	return e
}

// Observe wraps a comparison expression in brackets: "[e]".
func Observe(e CompExpr) *Observation { return &Observation{Expr: e} }
