package pattern

import "strconv"

// validate checks the MUSTs of STIX 2.1 §9 that the grammar leaves open
// (see doc.go for the list). It reports the first violation in roughly
// source order: children before parents, left before right.
func validate(src string, e ObsExpr) *Error {
	v := validator{src: src}
	v.obsExpr(e)
	return v.err
}

type validator struct {
	src string
	err *Error
}

func (v *validator) fail(pos Pos, msg string) {
	if v.err == nil {
		v.err = newError(v.src, pos, KindInvalid, msg)
	}
}

func (v *validator) obsExpr(e ObsExpr) {
	if v.err != nil {
		return
	}
	switch e := e.(type) {
	case *Observation:
		v.compExpr(e.Expr)
		if v.err == nil && !uniformType(e.Expr) {
			var types []string
			v.sameObject(e.Expr, &types)
		}
	case *ObsBinary:
		v.obsExpr(e.Left)
		v.obsExpr(e.Right)
	case *Qualified:
		v.obsExpr(e.Expr)
		v.qualifier(e.Qualifier)
		v.duplicateQualifier(e)
	}
}

func (v *validator) qualifier(q Qualifier) {
	switch q := q.(type) {
	case *Within:
		if !positive(q.Seconds) {
			v.fail(q.Seconds.Position(), "WITHIN must be a positive number of seconds, found "+q.Seconds.String())
		}
	case *Repeats:
		if q.Times < 1 {
			v.fail(q.KwPos, "REPEATS must be at least 1, found "+strconv.FormatInt(q.Times, 10))
		}
	case *StartStop:
		if !q.Stop.Value.After(q.Start.Value) {
			v.fail(q.Stop.ValuePos, "STOP must be later than START")
		}
	}
}

func positive(n Number) bool {
	switch n := n.(type) {
	case *Int:
		return n.Value > 0
	case *Float:
		return n.Value > 0
	}
	return false
}

// qualifierName names a qualifier's type for the duplicate check.
func qualifierName(q Qualifier) string {
	switch q.(type) {
	case *Within:
		return "WITHIN"
	case *Repeats:
		return "REPEATS"
	}
	return "START/STOP"
}

// duplicateQualifier rejects a qualifier type that already applies to the
// same observation expression further down a chain of Qualified nodes.
// Redundant parentheses do not create a new expression: "([a] WITHIN 5
// SECONDS) WITHIN 6 SECONDS" is rejected like the unparenthesised chain.
func (v *validator) duplicateQualifier(q *Qualified) {
	if v.err != nil {
		return
	}
	name := qualifierName(q.Qualifier)
	for inner, ok := q.Expr.(*Qualified); ok; inner, ok = inner.Expr.(*Qualified) {
		if qualifierName(inner.Qualifier) == name {
			v.fail(q.Qualifier.Position(), "duplicate "+name+" qualifier on one observation expression")
			return
		}
	}
}

func (v *validator) compExpr(e CompExpr) {
	if v.err != nil {
		return
	}
	switch e := e.(type) {
	case *CompBinary:
		v.compExpr(e.Left)
		v.compExpr(e.Right)
	case *Exists:
		v.path(e.Path)
	case *Comparison:
		v.path(e.Path)
		v.comparison(e)
	}
}

func (v *validator) path(p *ObjectPath) {
	if !validObjectType(p.ObjectType) {
		v.fail(p.TypePos, "invalid object type "+strconv.Quote(p.ObjectType)+
			": want 3-250 characters of a-z, 0-9 and '-', starting with a letter")
	}
	for _, s := range p.Steps {
		if s.Kind == StepIndex && s.Index < 0 {
			v.fail(s.Pos, "negative list index "+strconv.FormatInt(s.Index, 10)+" can never match")
		}
	}
}

// validObjectType applies the type-name rule of STIX 2.1 §3.1.
func validObjectType(t string) bool {
	if len(t) < 3 || len(t) > 250 || t[0] < 'a' || t[0] > 'z' {
		return false
	}
	for i := 1; i < len(t); i++ {
		if c := t[i]; (c < 'a' || c > 'z') && !isDigit(c) && c != '-' {
			return false
		}
	}
	return true
}

func (v *validator) comparison(c *Comparison) {
	if set, ok := c.Value.(*Set); ok {
		v.set(set)
	}
	switch c.Op {
	case OpIsSubset, OpIsSuperset:
		v.cidr(c)
	case OpEq, OpNe, OpIn:
		if alg, want := hashPath(c.Path); want > 0 {
			v.hashValue(alg, want, c.Value)
		}
	}
}

// set requires a non-empty set whose members share one constant kind.
func (v *validator) set(s *Set) {
	if len(s.Members) == 0 {
		v.fail(s.Lparen, "IN set is empty")
		return
	}
	first := constKind(s.Members[0])
	for _, m := range s.Members[1:] {
		if k := constKind(m); k != first {
			v.fail(m.Position(), "IN set mixes "+first+" and "+k+" constants")
			return
		}
	}
}

func constKind(c Constant) string {
	switch c.(type) {
	case *String:
		return "string"
	case *Int:
		return "integer"
	case *Float:
		return "float"
	case *Bool:
		return "boolean"
	case *Timestamp:
		return "timestamp"
	case *Hex:
		return "hex"
	case *Binary:
		return "binary"
	}
	return "set"
}
