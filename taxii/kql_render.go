package taxii

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/stixgate/stixgate/convert/kql"
	"github.com/stixgate/stixgate/convert/pattern"
	"github.com/stixgate/stixgate/convert/stix"
)

// This file adapts the HTTP layer to convert/kql: parameters become kql options, STIX objects become
// pack input through kql.IndicatorsFromSTIX (the CLI's path too), kql and pattern errors become 400s
// that carry the line and column, and queries are written by kql's own formatters, so the CLI and the
// API answer byte for byte alike.

func (p kqlParams) options() kql.Options {
	return kql.Options{Tables: p.tables, Lookback: p.lookback, Exclusions: p.profile}
}

// renderPack builds the hunting pack of objects. Unless skip_refused=true, an indicator that cannot be
// rendered makes the answer a 400 naming it and where its pattern fails: a pack that silently lacks an
// indicator would look complete to the analyst. Indicators that only the tables left out by the tables
// parameter could hunt are the analyst's own choice, not refusals. Indicators left out either way are
// listed in the X-Stixgate-Refused header.
func renderPack(c echo.Context, objects [][]byte, now time.Time, p kqlParams) ([]kql.Query, kql.Meta, error) {
	in, err := kql.IndicatorsFromSTIX(objects, now, p.includeInactive)
	if err != nil {
		return nil, kql.Meta{}, err
	}
	refused := in.Refused
	qs, err := kql.Pack(in.Indicators, kql.PackOptions{Options: p.options()})
	var pe *kql.PackError
	if errors.As(err, &pe) {
		refused, err = append(refused, pe.Refused...), nil
	}
	if err != nil {
		return nil, in.Meta, err
	}
	var ids []string
	for _, r := range refused {
		if !p.skipRefused && !(p.tables != nil && noTable(r.Err)) {
			return nil, in.Meta, packRefusal(r, len(refused), objects)
		}
		ids = append(ids, r.ID)
	}
	if len(ids) > 0 {
		c.Response().Header().Set(headerRefused, refusedList(ids))
	}
	return qs, in.Meta, nil
}

// maxRefusedListed bounds the ids in the X-Stixgate-Refused header: proxies reject huge headers.
const maxRefusedListed = 50

// refusedList joins ids for the header, the first maxRefusedListed of them and a count of the rest.
func refusedList(ids []string) string {
	if len(ids) <= maxRefusedListed {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:maxRefusedListed], ", ") + ", ... (" + strconv.Itoa(len(ids)-maxRefusedListed) + " more)"
}

// noTable reports whether err says that no selected table can hunt the indicator.
func noTable(err error) bool {
	var ue *kql.UnsupportedError
	return errors.As(err, &ue) && ue.Construct == "no table"
}

// headerRefused lists the indicators a pack left out (skip_refused=true, or hunted only by tables the
// tables parameter left out).
const headerRefused = "X-Stixgate-Refused"

// packRefusal reports refusal r precisely, with the number of refused indicators.
func packRefusal(r kql.Refusal, total int, objects [][]byte) error {
	msg, ok := refusalMessage(patternOf(r.ID, objects), r.Err)
	if !ok {
		msg = r.Err.Error()
	}
	msg = r.ID + ": " + msg
	if total > 1 {
		msg += " (" + strconv.Itoa(total) + " refused indicators in all)"
	}
	msg += "; add skip_refused=true to get the pack without them"
	return echo.NewHTTPError(http.StatusBadRequest, msg).SetInternal(r.Err)
}

// patternOf finds the pattern of indicator id among objects, to resolve a refusal's position.
func patternOf(id string, objects [][]byte) string {
	for _, raw := range objects {
		var v struct {
			ID      string `json:"id"`
			Pattern string `json:"pattern"`
		}
		if json.Unmarshal(raw, &v) == nil && v.ID == id {
			return v.Pattern
		}
	}
	return ""
}

// renderIndicator renders one indicator faithfully (kql.Render), not as a pack.
func renderIndicator(m stix.Meta, p kqlParams) ([]kql.Query, error) {
	qs, err := renderPattern(m.Pattern, p)
	if err != nil {
		return nil, refusalFor(m.ID, err)
	}
	for i := range qs {
		qs[i].Indicators = []string{m.ID}
	}
	return qs, nil
}

// renderPattern parses and renders one pattern; errors are already 400 refusals.
func renderPattern(src string, p kqlParams) ([]kql.Query, error) {
	expr, err := pattern.Parse(src)
	if err != nil {
		return nil, refusal(src, err)
	}
	qs, err := kql.Render(expr, p.options())
	if err != nil {
		return nil, refusal(src, err)
	}
	return qs, nil
}

// refusalFor prefixes a refusal's description with the indicator id.
func refusalFor(id string, err error) error {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return echo.NewHTTPError(he.Code, id+": "+fmt.Sprint(he.Message)).SetInternal(he.Internal)
	}
	return err
}

// refusal turns a pattern or renderer error into a 400 whose description gives the line and column in
// the pattern src and the reason. Other errors pass through.
func refusal(src string, err error) error {
	msg, ok := refusalMessage(src, err)
	if !ok {
		return err
	}
	return echo.NewHTTPError(http.StatusBadRequest, msg).SetInternal(err)
}

// refusalMessage describes a *pattern.Error or *kql.UnsupportedError with its position in src.
func refusalMessage(src string, err error) (string, bool) {
	var pe *pattern.Error
	var ue *kql.UnsupportedError
	switch {
	case errors.As(err, &pe):
		return "pattern " + pe.Kind.String() + " error at " + pe.Error(), true
	case errors.As(err, &ue):
		return "cannot render pattern: " + ue.WithSource(src).Error(), true
	}
	return "", false
}

// renderBody renders a posted pattern (text/plain: exactly one pattern, rendered faithfully) or the
// indicators of a posted bundle or envelope (any JSON media type: a pack).
func (s *Server) renderBody(c echo.Context, body []byte, p kqlParams) ([]kql.Query, kql.Meta, error) {
	mt, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	switch {
	case err != nil:
	case mt == "text/plain":
		// Only the line break a shell or a paste adds is trimmed, so positions match what was sent.
		qs, err := renderPattern(strings.TrimRight(string(body), "\r\n"), p)
		return qs, kql.Meta{}, err
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		objs, err := bodyObjects(body)
		if err != nil {
			return nil, kql.Meta{}, err
		}
		return renderPack(c, objs, s.now(), p)
	}
	return nil, kql.Meta{}, echo.NewHTTPError(http.StatusUnsupportedMediaType,
		"Content-Type must be text/plain (a pattern) or a JSON type (a STIX bundle or TAXII envelope)")
}

// writeKQL writes the queries in the requested format through kql's formatters.
func writeKQL(c echo.Context, p kqlParams, qs []kql.Query, meta kql.Meta) error {
	var buf bytes.Buffer
	var err error
	switch p.format {
	case kqlFormatJSON:
		err = kql.WriteJSON(&buf, qs)
	case kqlFormatYAML:
		err = kql.WriteYAML(&buf, qs, meta)
	default:
		err = kql.WriteText(&buf, qs, meta)
	}
	if err != nil {
		return fmt.Errorf("write kql: %w", err)
	}
	return c.Blob(http.StatusOK, kqlContentTypes[p.format], buf.Bytes())
}

// indicatorMeta names one indicator's queries after its name (its id when it has none) and
// description.
func indicatorMeta(m stix.Meta, raw []byte) kql.Meta {
	var v struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	_ = json.Unmarshal(raw, &v) // the object passed stix.Inspect
	if v.Name == "" {
		v.Name = m.ID
	}
	return kql.Meta{Name: v.Name, Description: v.Description}
}
