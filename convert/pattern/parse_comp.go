package pattern

// Productions inside an observation's brackets.

// comparisonExpression = test { (OR|AND) test }, AND binding tighter.
func (p *parser) parseCompExpr(minPrec int) (CompExpr, *Error) {
	left, err := p.parseTest()
	if err != nil {
		return nil, err
	}
	for prec := p.tok.tok.Precedence(); prec >= minPrec && prec >= OR.Precedence(); prec = p.tok.tok.Precedence() {
		op, opPos := CompOr, p.tok.pos
		if p.tok.tok == AND {
			op = CompAnd
		}
		p.next()
		right, err := p.parseCompExpr(prec + 1)
		if err != nil {
			return nil, err
		}
		left = &CompBinary{OpPos: opPos, Op: op, Left: left, Right: right}
	}
	return left, nil
}

// test = '(' comparisonExpression ')' | [NOT] EXISTS path
//
//	| path [NOT] operator constant
func (p *parser) parseTest() (CompExpr, *Error) {
	switch p.tok.tok {
	case LPAREN:
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		p.next()
		e, err := p.parseCompExpr(OR.Precedence())
		if err != nil {
			return nil, err
		}
		return e, p.expect(RPAREN)
	case NOT, EXISTS:
		return p.parseExists()
	}
	return p.parseComparison()
}

// exists = [NOT] EXISTS path
func (p *parser) parseExists() (CompExpr, *Error) {
	a := &struct {
		e     Exists
		path  ObjectPath
		steps [2]Step
	}{}
	e := &a.e
	e.KwPos = p.tok.pos
	if p.tok.tok == NOT {
		e.Negated = true
		p.next()
		if p.tok.tok != EXISTS {
			return nil, p.errExpected("EXISTS")
		}
	}
	p.next()
	a.path.Steps = a.steps[:0]
	if err := p.parsePath(&a.path); err != nil {
		return nil, err
	}
	e.Path = &a.path
	return e, nil
}

// compAlloc groups the nodes of a typical comparison (path, a few steps and
// a string constant) into one allocation: allocation, not scanning, is
// what parsing IOC patterns spends its time on.
type compAlloc struct {
	cmp   Comparison
	path  ObjectPath
	steps [3]Step
	str   String
}

// comparison = path [NOT] operator constant
func (p *parser) parseComparison() (CompExpr, *Error) {
	a := &compAlloc{}
	a.path.Steps = a.steps[:0]
	if err := p.parsePath(&a.path); err != nil {
		return nil, err
	}
	c := &a.cmp
	c.Path = &a.path
	if p.tok.tok == NOT {
		c.Negated = true
		p.next()
	}
	c.Op = comparisonOp(p.tok.tok)
	if c.Op == 0 {
		return nil, p.errExpected("comparison operator")
	}
	c.OpPos = p.tok.pos
	p.next()
	var err *Error
	if c.Value, err = p.parseOperand(c.Op, &a.str); err != nil {
		return nil, err
	}
	return c, nil
}

func comparisonOp(t Token) Operator {
	switch t {
	case EQ:
		return OpEq
	case NEQ:
		return OpNe
	case LT:
		return OpLt
	case LE:
		return OpLe
	case GT:
		return OpGt
	case GE:
		return OpGe
	case IN:
		return OpIn
	case LIKE:
		return OpLike
	case MATCHES:
		return OpMatches
	case ISSUBSET:
		return OpIsSubset
	case ISSUPERSET:
		return OpIsSuperset
	}
	return 0
}

// parseOperand parses the right-hand side allowed for op: a set for IN, a
// string for LIKE/MATCHES/ISSUBSET/ISSUPERSET, a non-boolean constant for
// ordering, any non-set constant for = and !=.
func (p *parser) parseOperand(op Operator, str *String) (Constant, *Error) {
	switch op {
	case OpIn:
		return p.parseSet()
	case OpLike, OpMatches, OpIsSubset, OpIsSuperset:
		if p.tok.tok != STRING {
			return nil, p.errExpected("string")
		}
	case OpLt, OpLe, OpGt, OpGe:
		if p.tok.tok == TRUE || p.tok.tok == FALSE {
			return nil, p.errExpected("non-boolean constant")
		}
	}
	return p.parseConstant(str)
}

// set = '(' [ constant { ',' constant } ] ')'
func (p *parser) parseSet() (Constant, *Error) {
	s := &Set{Lparen: p.tok.pos}
	if err := p.expect(LPAREN); err != nil {
		return nil, err
	}
	if p.tok.tok == RPAREN {
		p.next()
		return s, nil
	}
	for {
		c, err := p.parseConstant(nil)
		if err != nil {
			return nil, err
		}
		s.Members = append(s.Members, c)
		if p.tok.tok != COMMA {
			break
		}
		p.next()
	}
	if p.tok.tok != RPAREN {
		return nil, p.errExpected("',' or ')'")
	}
	p.next()
	return s, nil
}
