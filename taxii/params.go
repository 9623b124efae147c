package taxii

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/stixgate/stixgate/store"
)

// filters is the set of match[...] fields an endpoint accepts (TAXII 2.1 §3.4.2).
type filters uint8

const (
	matchID filters = 1 << iota
	matchType
	matchVersion
	matchSpecVersion
)

var matchNames = map[string]filters{
	"match[id]": matchID, "match[type]": matchType,
	"match[version]": matchVersion, "match[spec_version]": matchSpecVersion,
}

// Per-endpoint filter sets, as in TAXII 2.1 §5.3–5.8.
const (
	objectsFilters  = matchID | matchType | matchVersion | matchSpecVersion // manifest, objects
	objectFilters   = matchVersion | matchSpecVersion                       // one object, DELETE
	versionsFilters = matchSpecVersion
)

func badRequest(format string) *echo.HTTPError {
	return echo.NewHTTPError(http.StatusBadRequest, format)
}

// parseQuery reads the paging parameters and the match[...] fields allowed by allowed. A match field
// the endpoint does not list is a 400 (ignoring it would silently widen the result); any other unknown
// parameter is ignored. Each known parameter may appear at most once.
func (s *Server) parseQuery(c echo.Context, allowed filters) (store.Query, error) {
	params := c.QueryParams()
	q := store.Query{Limit: s.cfg.DefaultPageSize}
	for name, vals := range params {
		f, isMatch := matchNames[name]
		known := isMatch || name == "added_after" || name == "limit" || name == "next"
		switch {
		case strings.HasPrefix(name, "match[") && (!isMatch || allowed&f == 0):
			return q, badRequest(name + ": not supported on this endpoint")
		case known && len(vals) != 1:
			return q, badRequest(name + ": may appear only once")
		}
	}
	if err := s.parsePaging(params, &q); err != nil {
		return q, err
	}
	return q, parseMatch(params, &q)
}

func (s *Server) parsePaging(params url.Values, q *store.Query) error {
	if v, ok := params["added_after"]; ok {
		t, err := parseTimestamp(v[0])
		if err != nil {
			return badRequest("added_after: not an RFC 3339 timestamp")
		}
		q.AddedAfter = t
	}
	if v, ok := params["limit"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 {
			return badRequest("limit: must be a positive integer")
		}
		q.Limit = min(n, s.cfg.MaxPageSize)
	}
	if v, ok := params["next"]; ok {
		if v[0] == "" {
			return badRequest("next: must not be empty")
		}
		q.Next = v[0]
	}
	return nil
}

func parseMatch(params url.Values, q *store.Query) error {
	var err error
	if v, ok := params["match[id]"]; ok {
		if q.IDs, err = splitList("match[id]", v[0]); err != nil {
			return err
		}
	}
	if v, ok := params["match[type]"]; ok {
		if q.Types, err = splitList("match[type]", v[0]); err != nil {
			return err
		}
	}
	if v, ok := params["match[version]"]; ok {
		if q.Versions, err = parseVersionFilter(v[0]); err != nil {
			return err
		}
	}
	if v, ok := params["match[spec_version]"]; ok {
		if q.SpecVersions, err = splitList("match[spec_version]", v[0]); err != nil {
			return err
		}
		for _, sv := range q.SpecVersions {
			if sv != "2.0" && sv != "2.1" {
				return badRequest("match[spec_version]: unknown spec version " + strconv.Quote(sv))
			}
		}
	}
	return nil
}

// splitList splits a comma-separated filter value; empty items are a 400.
func splitList(name, v string) ([]string, error) {
	items := strings.Split(v, ",")
	for i, it := range items {
		items[i] = strings.TrimSpace(it)
		if items[i] == "" {
			return nil, badRequest(name + ": empty value")
		}
	}
	return items, nil
}

// parseVersionFilter parses match[version]: first, last, all and timestamps, OR-ed.
func parseVersionFilter(v string) (store.VersionFilter, error) {
	var vf store.VersionFilter
	items, err := splitList("match[version]", v)
	if err != nil {
		return vf, err
	}
	for _, it := range items {
		switch it {
		case "first":
			vf.First = true
		case "last":
			vf.Last = true
		case "all":
			vf.All = true
		default:
			t, err := parseTimestamp(it)
			if err != nil {
				return vf, badRequest("match[version]: " + strconv.Quote(it) + " is not first, last, all or a timestamp")
			}
			vf.At = append(vf.At, t)
		}
	}
	return vf, nil
}

// parseTimestamp accepts every RFC 3339 shape real clients send: any fraction length or none, "Z" or a
// numeric offset, and a lower-case t/z. A space stands for "+": clients that do not escape the offset
// in the query string send "…00 00:00". The result is UTC.
func parseTimestamp(s string) (time.Time, error) {
	s = strings.ReplaceAll(strings.ToUpper(s), " ", "+")
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

// formatTimestamp writes a TAXII timestamp: UTC with exactly microseconds.
func formatTimestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}

// formatVersion writes a STIX timestamp (an object version): milliseconds, or more digits only when
// the value needs them, so that it matches the object's own "modified" property.
func formatVersion(t time.Time) string {
	t = t.UTC()
	switch {
	case t.Nanosecond()%int(time.Millisecond) == 0:
		return t.Format("2006-01-02T15:04:05.000Z")
	case t.Nanosecond()%int(time.Microsecond) == 0:
		return t.Format("2006-01-02T15:04:05.000000Z")
	}
	return t.Format("2006-01-02T15:04:05.000000000Z")
}
