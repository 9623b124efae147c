package taxii

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/stixgate/stixgate/convert/kql"
)

// KQL output formats (the format query parameter).
const (
	kqlFormatText = "kql"
	kqlFormatJSON = "json"
	kqlFormatYAML = "yaml"
)

// kqlContentTypes is the Content-Type of each format. KQL answers are not TAXII resources, so they do
// not carry the TAXII media type; error answers still do (they go through handleError).
var kqlContentTypes = map[string]string{
	kqlFormatText: "text/plain; charset=utf-8",
	kqlFormatJSON: "application/json",
	kqlFormatYAML: "application/yaml",
}

// maxLookback bounds the lookback parameter: Sentinel keeps interactive data for at most two years, and
// a bound keeps absurd values (which would overflow a timespan) out of the query text.
const maxLookback = 730 * 24 * time.Hour

// kqlParams are the validated query parameters of the KQL endpoints.
type kqlParams struct {
	format          string
	tables          []string // nil = every mapped table
	lookback        time.Duration
	profile         *kql.Profile // nil = no exclusions: the pack is exactly the seed's hunts
	includeInactive bool
	skipRefused     bool // leave refused indicators out of a pack (listed in X-Stixgate-Refused)
}

// kqlParamNames are the parameters the KQL endpoints read; each may appear at most once.
var kqlParamNames = []string{"format", "tables", "lookback", "exclusions", "include_inactive", "skip_refused"}

// parseKQLParams validates the query string. Every problem is a 400 that names the offending parameter
// and value; unknown parameters are ignored, as on the TAXII endpoints.
func (s *Server) parseKQLParams(c echo.Context) (kqlParams, error) {
	q := c.QueryParams()
	p := kqlParams{format: kqlFormatText}
	for _, name := range kqlParamNames {
		if len(q[name]) > 1 {
			return p, badRequest(name + ": may appear only once")
		}
	}
	var err error
	if p.format, err = parseFormat(q); err != nil {
		return p, err
	}
	if p.tables, err = s.parseTables(q); err != nil {
		return p, err
	}
	if p.lookback, err = parseLookback(q.Get("lookback")); err != nil {
		return p, err
	}
	if p.profile, err = s.parseProfile(q); err != nil {
		return p, err
	}
	if p.includeInactive, err = parseBoolParam("include_inactive", q); err != nil {
		return p, err
	}
	p.skipRefused, err = parseBoolParam("skip_refused", q)
	return p, err
}

// parseFormat reads format. An unknown value is a 400, not a 406: it is a query parameter, not content
// negotiation, and the Accept header of the request is not consulted.
func parseFormat(q url.Values) (string, error) {
	f := q.Get("format")
	if f == "" {
		return kqlFormatText, nil
	}
	if _, ok := kqlContentTypes[f]; !ok {
		return "", badRequest("format: unknown format " + strconv.Quote(f) + " (want kql, json or yaml)")
	}
	return f, nil
}

// parseTables reads the comma-separated tables list and checks every name against the mapping.
func (s *Server) parseTables(q url.Values) ([]string, error) {
	if _, ok := q["tables"]; !ok {
		return nil, nil
	}
	names, err := splitList("tables", q.Get("tables"))
	if err != nil {
		return nil, err
	}
	m, err := kql.DefaultMapping()
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if m.Table(n) == nil {
			return nil, badRequest("tables: unknown table " + strconv.Quote(n) +
				" (known: " + strings.Join(m.TableNames(), ", ") + ")")
		}
	}
	return names, nil
}

// parseLookback accepts a KQL timespan in whole units (14d, 12h, 30m, 90s) or a Go duration (1h30m).
// It must be positive and at most maxLookback; empty means no lookback filter.
func parseLookback(v string) (time.Duration, error) {
	if v == "" {
		return 0, nil
	}
	d, ok := kqlTimespan(v)
	if !ok {
		var err error
		d, err = time.ParseDuration(v)
		ok = err == nil
	}
	if !ok || d <= 0 || d > maxLookback {
		return 0, badRequest("lookback: " + strconv.Quote(v) +
			" is not a positive duration of at most 730d (e.g. 14d, 12h, 30m)")
	}
	return d, nil
}

// kqlTimespan parses "<digits><unit>" with unit d, h, m or s.
func kqlTimespan(v string) (time.Duration, bool) {
	units := map[byte]time.Duration{'d': 24 * time.Hour, 'h': time.Hour, 'm': time.Minute, 's': time.Second}
	if len(v) < 2 || len(v) > 8 {
		return 0, false
	}
	unit, ok := units[v[len(v)-1]]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(v[:len(v)-1], 10, 32) // no sign accepted
	if err != nil {
		return 0, false
	}
	return time.Duration(n) * unit, true
}

// parseProfile picks the exclusion profile named by exclusions. Without the parameter no exclusions
// apply: a collection's exclusion_profile is never added silently, so that the plain pack stays exactly
// the hunts the indicators call for.
func (s *Server) parseProfile(q url.Values) (*kql.Profile, error) {
	if _, ok := q["exclusions"]; !ok {
		return nil, nil
	}
	name := q.Get("exclusions")
	p, ok := s.kqlProfile(name)
	if !ok {
		return nil, badRequest("exclusions: unknown exclusion profile " + strconv.Quote(name) +
			" (configured: " + strings.Join(s.kqlProfileNames(), ", ") + ")")
	}
	return &p, nil
}

// parseBoolParam reads an optional true/false parameter.
func parseBoolParam(name string, q url.Values) (bool, error) {
	switch q.Get(name) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, badRequest(name + ": must be true or false")
}
