package pattern

import "time"

// Pos is a byte offset into the pattern text. It becomes line:column only
// when an error is reported (see Error).
type Pos int

// Node is any element of a parsed pattern. The set is sealed: only types in
// this package implement it, so a type switch over it is exhaustive.
type Node interface {
	// Position is the byte offset of the node's first character.
	Position() Pos
	// String prints the node as canonical STIX patterning text.
	String() string
	node()
}

// ---- observation expressions ----------------------------------------------

// ObsExpr is an observation expression: an Observation, an ObsBinary or a
// Qualified expression.
type ObsExpr interface {
	Node
	obsExpr()
}

// ObsOp is an operator between observation expressions.
type ObsOp int

// Observation operators, in increasing binding strength.
const (
	ObsFollowedBy ObsOp = iota + 1 // FOLLOWEDBY
	ObsOr                          // OR
	ObsAnd                         // AND
)

// Observation is one bracketed comparison expression: "[ ... ]". It is
// matched against a single observed object (one log row).
type Observation struct {
	Lbrack Pos
	Expr   CompExpr
}

// ObsBinary joins two observation expressions with AND, OR or FOLLOWEDBY.
type ObsBinary struct {
	OpPos       Pos
	Op          ObsOp
	Left, Right ObsExpr
}

// Qualified applies one qualifier to an observation expression. Chained
// qualifiers nest: "[a] REPEATS 2 TIMES WITHIN 5 SECONDS" is
// Qualified{Expr: Qualified{Expr: [a], Qualifier: Repeats}, Qualifier: Within}.
type Qualified struct {
	Expr      ObsExpr
	Qualifier Qualifier
}

// Qualifier is one of Within, Repeats or StartStop.
type Qualifier interface {
	Node
	qualifier()
}

// Within is "WITHIN n SECONDS"; Seconds is positive.
type Within struct {
	KwPos   Pos
	Seconds Number
}

// Repeats is "REPEATS n TIMES"; Times is at least 1.
type Repeats struct {
	KwPos Pos
	Times int64
}

// StartStop is "START t'…' STOP t'…'"; the window is [Start, Stop).
type StartStop struct {
	KwPos       Pos
	Start, Stop Timestamp
}

// ---- comparison expressions -----------------------------------------------

// CompExpr is a comparison expression inside an observation: a Comparison,
// an Exists or a CompBinary.
type CompExpr interface {
	Node
	compExpr()
}

// CompOp is an operator between comparison expressions.
type CompOp int

// Comparison-expression operators, in increasing binding strength.
const (
	CompOr  CompOp = iota + 1 // OR
	CompAnd                   // AND
)

// CompBinary joins two comparison expressions with AND or OR.
type CompBinary struct {
	OpPos       Pos
	Op          CompOp
	Left, Right CompExpr
}

// Operator is a comparison operator between an object path and a constant.
type Operator int

// Comparison operators.
const (
	OpEq         Operator = iota + 1 // =
	OpNe                             // !=
	OpLt                             // <
	OpLe                             // <=
	OpGt                             // >
	OpGe                             // >=
	OpIn                             // IN
	OpLike                           // LIKE
	OpMatches                        // MATCHES
	OpIsSubset                       // ISSUBSET
	OpIsSuperset                     // ISSUPERSET
)

// Comparison is "path [NOT] op constant". For OpIn, Value is a *Set.
type Comparison struct {
	Path    *ObjectPath
	Negated bool // NOT between the path and the operator
	Op      Operator
	OpPos   Pos
	Value   Constant
}

// Exists is "[NOT] EXISTS path".
type Exists struct {
	KwPos   Pos // position of NOT if Negated, else of EXISTS
	Negated bool
	Path    *ObjectPath
}

// ---- object paths ----------------------------------------------------------

// ObjectPath is "type:step(.step|[n]|[*])*", e.g.
// network-traffic:dst_ref.value or file:hashes.'SHA-256'.
type ObjectPath struct {
	TypePos    Pos
	ObjectType string
	Steps      []Step
}

// StepKind says what a Step selects.
type StepKind int

// Step kinds.
const (
	StepKey      StepKind = iota + 1 // a property name: bare or quoted
	StepIndex                        // [n]
	StepAnyIndex                     // [*]
)

// Step is one element of an object path after the type. The first step is
// always a StepKey. Quoting is not kept: the printer quotes a key exactly
// when it is not a bare identifier or is a keyword.
type Step struct {
	Pos   Pos
	Kind  StepKind
	Key   string // StepKey: the unquoted property name
	Index int64  // StepIndex
}

// ---- constants ---------------------------------------------------------------

// Constant is a literal on the right of a comparison: String, Int, Float,
// Bool, Timestamp, Hex, Binary or Set.
type Constant interface {
	Node
	constant()
}

// Number is an Int or a Float (the WITHIN operand).
type Number interface {
	Constant
	number()
}

// String is a quoted string; Value is unescaped (only \' and \\ are escapes).
type String struct {
	ValuePos Pos
	Value    string
}

// Int is an integer constant.
type Int struct {
	ValuePos Pos
	Value    int64
}

// Float is a floating-point constant. Text keeps the literal as written
// (sign and digits) so that printing round-trips exactly.
type Float struct {
	ValuePos Pos
	Value    float64
	Text     string
}

// Bool is true or false.
type Bool struct {
	ValuePos Pos
	Value    bool
}

// Timestamp is t'…'; Value is UTC. Text keeps the literal as written, so a
// fractional second prints back unchanged.
type Timestamp struct {
	ValuePos Pos
	Value    time.Time
	Text     string
}

// Hex is h'…'; Value holds the decoded bytes.
type Hex struct {
	ValuePos Pos
	Value    []byte
}

// Binary is b'…'; Value holds the decoded bytes.
type Binary struct {
	ValuePos Pos
	Value    []byte
}

// Set is "( c, c, … )" for IN; all members share one constant kind.
type Set struct {
	Lparen  Pos
	Members []Constant
}
