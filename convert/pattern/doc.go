// Package pattern parses, validates and prints STIX 2.1 patterns
// (STIX 2.1 OS, §9 "STIX Patterning"; grammar pattern_grammar/STIXPattern.g4
// of oasis-open/cti-stix2-json-schemas).
//
// Parse is the only entry point. It is strict: it stops at the first error
// and never recovers, so an invalid pattern can never turn into a query. Its
// errors are *Error values carrying a byte offset, a 1-based line and byte
// column, and a Kind: KindSyntax for text the grammar rejects, KindInvalid
// for text the grammar accepts but the specification forbids. Every node
// prints itself as canonical pattern text (String), and for every tree t that
// Parse returns, Parse(t.String()) returns a tree Equal to t.
//
// # Lexical rules
//
//   - Keywords (AND, OR, NOT, FOLLOWEDBY, LIKE, MATCHES, ISSUBSET, ISSUPERSET,
//     IN, EXISTS, START, STOP, WITHIN, SECONDS, REPEATS, TIMES, LAST) are
//     upper case and case-sensitive; true and false are lower case. "and" is
//     an ordinary identifier, so [a:b = 'x' and c:d = 'y'] is a syntax error.
//     A property named like a keyword must be quoted: file:'AND'.
//   - Whitespace is the spec's WSpace=Y set. /* */ and // comments are
//     skipped anywhere, including before the pattern (the grammar allows
//     them; the reference validator rejects a leading one). // ends at CR or
//     LF. Whitespace and comments may appear inside an object path.
//   - Identifiers take the longest match, so network-traffic is one token
//     and an unquoted hyphenated key (file:hashes.SHA-256) is a syntax error.
//   - Strings escape only \' and \\; raw newlines are allowed. Input must be
//     valid UTF-8. Columns in errors count bytes.
//
// # Decisions where the grammar, the spec and the reference tools differ
//
// Rejected with KindInvalid (spec MUSTs the grammar does not enforce):
//   - WITHIN 0 SECONDS and REPEATS 0 TIMES (§9.5.2: positive values).
//   - Timestamps that are not real instants (t'2023-02-30T00:00:00Z'), and
//     leap seconds (:60), which Go's time cannot represent.
//   - A '+' sign on a comparison constant (= +1024). On qualifier and index
//     numbers, where the grammar's IntPosLiteral is a count, WITHIN +5 and
//     [+1] are accepted and printed without the sign.
//   - IN sets that are empty or mix constant kinds. Integer and float are
//     different kinds: IN (1, 2.5) is rejected.
//   - Object types outside §3.1 (3-250 of a-z, 0-9, '-', starting with a
//     letter): File:name and x_acme:name parse but are invalid.
//   - AND inside one observation whose operands cannot hold on one object
//     (§9.5). Each operand has a set of possible object types: its own type
//     for a test, the union for OR, the intersection for AND; an AND whose
//     operand sets are disjoint is invalid. So [ipv4-addr:value = 'x' AND
//     network-traffic:dst_port = 80] is rejected, network-traffic:dst_ref.value
//     is of type network-traffic, and OR may mix types freely.
//   - The same qualifier type twice on one observation expression, also
//     through redundant parentheses (cti-stix2#214): the tree cannot tell
//     "([a] WITHIN 5 SECONDS) WITHIN 6 SECONDS" from the unparenthesised
//     chain. A qualifier on a group whose members are qualified is fine.
//   - START t'B' STOP t'A' with B ≥ A: the window is empty (STOP is
//     exclusive), so the pattern could never match.
//   - ISSUBSET and ISSUPERSET on a path that is not an IP address
//     (ipv4-addr:value, ipv6-addr:value, or a *_ref/*_refs step followed by
//     .value), or with a string that is not an IP address or CIDR. A bare
//     address counts as a /32 or /128. On ipv4-addr and ipv6-addr paths the
//     family must match.
//   - Hash values that are not hex of the right length under =, != and IN on
//     a path ending in hashes.<alg> for MD5, SHA-1, SHA-256, SHA-512,
//     SHA3-256 and SHA3-512, and for the non-vocabulary SHA-224, SHA-384,
//     SHA3-224 and SHA3-384 (either case of hex digit). Each IN member is
//     checked on its own. SSDEEP, TLSH and other operators are not checked.
//   - A negative list index ([-1]): it can never match (the matcher treats
//     it as false, the validator crashes).
//   - Integer constants outside int64 and float constants outside float64.
//
// Accepted:
//   - == and <> (printed as = and !=), .5 and -.5 (printed 0.5 and -0.5).
//   - Hex literals in either case (printed lower case, as §2.8 prefers).
//   - file:hashes.SHA1 and other spellings of hash-algorithm-ov names
//     (SHA1, sha256, SHA512, md5 …) after a "hashes" key: Parse normalises
//     the key to MD5, SHA-1, SHA-256 or SHA-512 in the tree, so the printed
//     pattern and every consumer see the spec's name.
//   - Property names are not checked against the SCO definitions; 2.0 names
//     such as file:created parse (the renderer's mapping decides).
//
// Left to the grammar (KindSyntax): an empty b'…' (one base64 group is
// required), WITHIN -5 or REPEATS 2.5, START with plain strings (STIX 2.0),
// units other than SECONDS, leading zeros (007), 5. and 1e3.
//
// Implementation limits (KindSyntax for nesting, KindInvalid for the rest):
// parentheses and brackets nest at most 256 deep, and one observation names
// at most 64 distinct object types (the same-object check then costs one
// machine word per node even on hostile input).
//
// # Printing
//
// String prints upper-case keywords, single-quoted strings escaping only '
// and \, parentheses only where precedence requires them (observations:
// FOLLOWEDBY < OR < AND; comparisons: OR < AND; qualifiers bind tightest),
// qualifiers postfix, and path keys quoted exactly when they are not a bare
// identifier [A-Za-z_][A-Za-z0-9_]* or are a keyword. Floats and timestamps
// keep their literal text (a fractional second prints back unchanged).
//
// NewPath, Compare, AllOf, AnyOf and Observe build trees in code; check a
// built tree with Parse(e.String()).
package pattern
