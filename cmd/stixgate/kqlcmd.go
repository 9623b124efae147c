package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/stixgate/stixgate/convert/kql"
	"github.com/stixgate/stixgate/convert/pattern"
)

// kqlCmd renders patterns as Sentinel KQL: per pattern, or as one hunting
// pack. The pack output is byte-identical to GET …/collections/{id}/kql/ for
// the same indicators, because both go through kql.IndicatorsFromSTIX,
// kql.Pack and the kql writers.
type kqlCmd struct {
	Table           []string      `sep:"," help:"Only these tables or ASIM functions (comma-separated; default: every table that fits)."`
	Pack            bool          `help:"Build one hunting pack (an IOC sweep, as the seed hunts are) from all inputs."`
	Exclusions      string        `help:"Apply this exclusion profile (from the config's exclusion_profiles; purelogs is built in)."`
	Lookback        time.Duration `help:"Add a lookback window (e.g. 14d as 336h); default: none, Sentinel's time picker applies."`
	Format          string        `enum:"text,json,yaml" default:"text" help:"Output: text (KQL), json or yaml (Sentinel hunting queries)."`
	IncludeInactive bool          `name:"include-inactive" help:"Keep revoked and expired indicators of a bundle."`
	Config          string        `short:"c" env:"STIXGATE_CONFIG" type:"existingfile" help:"Config file with exclusion_profiles."`
	Inputs          []string      `arg:"" optional:"" help:"Patterns; or one STIX bundle / TAXII envelope file; or a file or - with one pattern per line (default: stdin)."`
}

// kqlInput is one pattern to render, with where it came from.
type kqlInput struct {
	ID, Source string // indicator id (bundles only), and the input line or argument
	Text       string
	Expr       pattern.ObsExpr
	Err        error
}

func (c *kqlCmd) Run(ctx context.Context, e *env) error {
	profile, err := c.profile()
	if err != nil {
		return err
	}
	opts := kql.Options{Tables: c.Table, Lookback: c.Lookback, Exclusions: profile}
	stixIn, inputs, err := c.readInputs(e)
	if err != nil {
		return err
	}
	if c.Pack {
		return c.writePack(e, stixIn, inputs, opts)
	}
	failed := 0
	for _, in := range inputs {
		if !c.writeOne(e, in, opts) {
			failed++
		}
	}
	if failed > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%d of %d patterns failed", failed, len(inputs))}
	}
	return nil
}

// profile finds the named exclusion profile.
func (c *kqlCmd) profile() (*kql.Profile, error) {
	if c.Exclusions == "" {
		return nil, nil
	}
	cfg, err := loadConfig(c.Config)
	if err != nil {
		return nil, err
	}
	profiles, err := cfg.profiles()
	if err != nil {
		return nil, err
	}
	p, ok := profiles[c.Exclusions]
	if !ok {
		return nil, fmt.Errorf("--exclusions %q: no such profile (have: %s)", c.Exclusions, strings.Join(profileNames(profiles), ", "))
	}
	return p, nil
}

// readInputs returns a bundle's indicators (stixIn != nil) or loose patterns.
func (c *kqlCmd) readInputs(e *env) (*kql.STIXInput, []kqlInput, error) {
	var data []byte
	var err error
	switch {
	case len(c.Inputs) == 0 || (len(c.Inputs) == 1 && c.Inputs[0] == "-"):
		data, err = io.ReadAll(e.Stdin)
	case len(c.Inputs) == 1 && isFile(c.Inputs[0]):
		data, err = os.ReadFile(c.Inputs[0])
	default:
		ins := make([]kqlInput, len(c.Inputs))
		for i, a := range c.Inputs {
			ins[i] = parseInput(fmt.Sprintf("argument %d", i+1), a)
		}
		return nil, ins, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("kql: read input: %w", err)
	}
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		in, err := stixInput(t, e.Now(), c.IncludeInactive)
		if err != nil {
			return nil, nil, err
		}
		return in, inputsFromSTIX(in), nil
	}
	return nil, patternLines(data), nil
}

func isFile(name string) bool {
	st, err := os.Stat(name)
	return err == nil && st.Mode().IsRegular()
}

func parseInput(source, text string) kqlInput {
	expr, err := pattern.Parse(text)
	return kqlInput{Source: source, Text: text, Expr: expr, Err: err}
}

// patternLines reads one pattern per line; blank lines and lines starting
// with # are skipped.
func patternLines(data []byte) []kqlInput {
	var out []kqlInput
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, parseInput(fmt.Sprintf("line %d", n), line))
	}
	return out
}

// stixInput reads a STIX bundle or a TAXII envelope: both hold "objects".
func stixInput(data []byte, now time.Time, includeInactive bool) (*kql.STIXInput, error) {
	var doc struct {
		Objects []json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("kql: input is neither a STIX bundle nor a TAXII envelope: %w", err)
	}
	raw := make([][]byte, len(doc.Objects))
	for i, o := range doc.Objects {
		raw[i] = o
	}
	in, err := kql.IndicatorsFromSTIX(raw, now, includeInactive)
	if err != nil {
		return nil, err
	}
	return &in, nil
}

func inputsFromSTIX(in *kql.STIXInput) []kqlInput {
	var out []kqlInput
	for _, ind := range in.Indicators {
		out = append(out, kqlInput{ID: ind.ID, Source: ind.ID, Text: ind.Pattern.String(), Expr: ind.Pattern})
	}
	for _, r := range in.Refused {
		out = append(out, kqlInput{ID: r.ID, Source: r.ID, Err: r.Err})
	}
	return out
}

// profileNames lists profile names for error messages.
func profileNames(m map[string]*kql.Profile) []string {
	var out []string
	for n := range m {
		out = append(out, n)
	}
	return sortedStrings(out)
}

// errorKind classifies a failure for --format json.
func errorKind(err error) (kind string, line, col int) {
	var pe *pattern.Error
	var ue *kql.UnsupportedError
	switch {
	case errors.As(err, &pe):
		if pe.Kind == pattern.KindSyntax {
			return "syntax", pe.Line, pe.Col
		}
		return "invalid", pe.Line, pe.Col
	case errors.As(err, &ue):
		return "unsupported", ue.Line, ue.Col
	default:
		return "unsupported", 0, 0
	}
}
