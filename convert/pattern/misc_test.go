package pattern

import (
	"testing"
	"time"
)

// TestBuild checks that a hand-built tree prints canonically and equals
// its parsed form, which is how the importer uses this package.
func TestBuild(t *testing.T) {
	e := Observe(AllOf(
		Compare(NewPath("network-traffic", "dst_ref", "type"), OpEq, &String{Value: "ipv4-addr"}),
		Compare(NewPath("network-traffic", "dst_ref", "value"), OpEq, &String{Value: "20.81.43.36"}),
		Compare(NewPath("network-traffic", "dst_port"), OpEq, &Int{Value: 1011}),
	))
	const want = "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '20.81.43.36' AND network-traffic:dst_port = 1011]"
	if got := e.String(); got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
	if parsed := mustParse(t, want); !Equal(e, parsed) {
		t.Fatalf("Equal(built, Parse(%q)) = false", want)
	}
	hash := Observe(Compare(NewPath("file", "hashes", "SHA-256"), OpEq, &String{Value: "it's"}))
	if got, want := hash.String(), `[file:hashes.'SHA-256' = 'it\'s']`; got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
	if AllOf() != nil || AnyOf(e.Expr) != e.Expr {
		t.Fatalf("AllOf()/AnyOf(x) do not return nil/x")
	}
}

// TestPrintHandBuilt covers values without parsed Text and nil children.
func TestPrintHandBuilt(t *testing.T) {
	ts := time.Date(2024, 1, 2, 3, 4, 5, 600000000, time.UTC)
	tests := []struct {
		name string
		n    Node
		want string
	}{
		{"float without text", &Float{Value: 2}, "2.0"},
		{"float fraction", &Float{Value: -0.25}, "-0.25"},
		{"timestamp without text", &Timestamp{Value: ts}, "t'2024-01-02T03:04:05.6Z'"},
		{"hex", &Hex{Value: []byte{0xde, 0xad}}, "h'dead'"},
		{"binary", &Binary{Value: []byte("abc")}, "b'YWJj'"},
		{"set", &Set{Members: []Constant{&Bool{Value: true}, &Bool{}}}, "(true, false)"},
		{"within float", &Within{Seconds: &Float{Value: 1.5}}, "WITHIN 1.5 SECONDS"},
		{"start stop", &StartStop{Start: Timestamp{Value: ts}, Stop: Timestamp{Text: "2025-01-01T00:00:00Z"}}, "START t'2024-01-02T03:04:05.6Z' STOP t'2025-01-01T00:00:00Z'"},
		{"nil observation expr", &Observation{}, "[<nil>]"},
		{"nil binary operand", &ObsBinary{Op: ObsAnd, Left: &Observation{}}, "[<nil>] AND <nil>"},
		{"nil path", &Comparison{Op: OpEq, Value: &Int{}}, "<nil> = 0"},
		{"typed nil", (*Observation)(nil), "<nil>"},
		{"index steps", &ObjectPath{ObjectType: "x-a", Steps: []Step{{Kind: StepKey, Key: "l"}, {Kind: StepIndex, Index: 3}, {Kind: StepAnyIndex}}}, "x-a:l[3][*]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.n.String(); got != tc.want {
				t.Fatalf("String() = %q, want %q", got, tc.want)
			}
		})
	}
	if got := (&ObsBinary{}).Position(); got != 0 {
		t.Fatalf("Position() of a binary without operands = %d, want 0", got)
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"":        "''",
		"plain":   "'plain'",
		"it's":    `'it\'s'`,
		`a\b`:     `'a\\b'`,
		`x\'`:     `'x\\\''`,
		"line\nx": "'line\nx'",
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]bool{
		"name": false, "_x1": false, "SHA-256": true, "1x": true, "a.b": true,
		"": true, "AND": true, "LAST": true, "true": true, "and": false, "Name": false,
	} {
		if got := NeedsQuote(in); got != want {
			t.Errorf("NeedsQuote(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestInspect(t *testing.T) {
	e := mustParse(t, "([x-a:v IN (1, 2)] AND [NOT EXISTS x-a:w]) WITHIN 5 SECONDS START t'2020-01-01T00:00:00Z' STOP t'2021-01-01T00:00:00Z'")
	counts := map[string]int{}
	Inspect(e, func(n Node) bool {
		switch n.(type) {
		case *ObjectPath:
			counts["path"]++
		case *Int:
			counts["int"]++
		case *Timestamp:
			counts["timestamp"]++
		case *Qualified:
			counts["qualified"]++
		}
		return true
	})
	want := map[string]int{"path": 2, "int": 3, "timestamp": 2, "qualified": 2}
	for k, v := range want {
		if counts[k] != v {
			t.Errorf("Inspect counted %d %s nodes, want %d", counts[k], k, v)
		}
	}
	visited := 0
	Inspect(e, func(Node) bool { visited++; return false })
	if visited != 1 {
		t.Errorf("Inspect with f returning false visited %d nodes, want 1", visited)
	}
}

func TestEqual(t *testing.T) {
	a := mustParse(t, "[x-a:v = 1.50]")
	tests := []struct {
		name string
		b    Node
		want bool
	}{
		{"same text", mustParse(t, "  [ x-a:v = 1.50 ]"), true},
		{"different float text", mustParse(t, "[x-a:v = 1.5]"), false},
		{"different type", mustParse(t, "[x-a:v = 1]"), false},
		{"different op", mustParse(t, "[x-a:v != 1.50]"), false},
		{"nil", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Equal(a, tc.b); got != tc.want {
				t.Fatalf("Equal(%s, %v) = %v, want %v", a, tc.b, got, tc.want)
			}
		})
	}
	if !Equal(nil, (*Observation)(nil)) {
		t.Fatalf("Equal(nil, typed nil) = false, want true")
	}
}

func TestNames(t *testing.T) {
	checks := []struct{ got, want string }{
		{KindSyntax.String(), "syntax"},
		{KindInvalid.String(), "invalid"},
		{ErrorKind(9).String(), "ErrorKind(9)"},
		{FOLLOWEDBY.String(), "FOLLOWEDBY"},
		{IDENT.String(), "identifier"},
		{Token(999).String(), "Token(999)"},
		{OpIsSuperset.String(), "ISSUPERSET"},
		{Operator(0).String(), "Operator(0)"},
		{ObsFollowedBy.String(), "FOLLOWEDBY"},
		{CompAnd.String(), "AND"},
		{Step{Kind: StepKey, Key: "SHA-1"}.String(), "'SHA-1'"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("String() = %q, want %q", c.got, c.want)
		}
	}
	if !STRING.IsLiteral() || !RBRACK.IsOperator() || !EXISTS.IsKeyword() || AND.IsLiteral() {
		t.Errorf("token range predicates are wrong")
	}
	if AND.Precedence() <= OR.Precedence() || OR.Precedence() <= FOLLOWEDBY.Precedence() || IDENT.Precedence() != 0 {
		t.Errorf("Precedence: AND %d, OR %d, FOLLOWEDBY %d, IDENT %d", AND.Precedence(), OR.Precedence(), FOLLOWEDBY.Precedence(), IDENT.Precedence())
	}
}
