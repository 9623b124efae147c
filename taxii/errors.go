package taxii

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/stixgate/stixgate/convert/kql"
	"github.com/stixgate/stixgate/convert/pattern"
	"github.com/stixgate/stixgate/convert/stix"
	"github.com/stixgate/stixgate/store"
)

// errorResource is the TAXII 2.1 error message (§3.6.1). http_status is a string by the spec.
type errorResource struct {
	Title       string        `json:"title"`
	Description string        `json:"description,omitempty"`
	HTTPStatus  string        `json:"http_status"`
	Details     *errorDetails `json:"details,omitempty"`
}

// errorDetails locates a refused pattern for clients that highlight it: the
// TAXII error's free-form details object (§3.6.1).
type errorDetails struct {
	Kind      string `json:"kind"` // syntax | invalid | unsupported
	Construct string `json:"construct,omitempty"`
	Line      int    `json:"line,omitempty"`
	Column    int    `json:"column,omitempty"`
}

// detailsOf finds a pattern or renderer error in err's chain, including the
// internal error of an *echo.HTTPError.
func detailsOf(err error) *errorDetails {
	var he *echo.HTTPError
	if errors.As(err, &he) && he.Internal != nil {
		err = he.Internal
	}
	var pe *pattern.Error
	var ue *kql.UnsupportedError
	switch {
	case errors.As(err, &pe):
		return &errorDetails{Kind: pe.Kind.String(), Line: pe.Line, Column: pe.Col}
	case errors.As(err, &ue):
		return &errorDetails{Kind: "unsupported", Construct: ue.Construct, Line: ue.Line, Column: ue.Col}
	}
	return nil
}

// retryAfterSeconds is sent with 503 so that pollers back off briefly instead of hammering Redis.
const retryAfterSeconds = "5"

// errorStatus is the one table that maps an error to an HTTP status and a client-safe description.
// Descriptions of 5xx errors are generic: details go to the log only.
func errorStatus(err error) (int, string) {
	var he *echo.HTTPError
	var pe *pattern.Error
	var ue *kql.UnsupportedError
	switch {
	case errors.As(err, &he):
		if inner, ok := he.Internal.(*echo.HTTPError); ok {
			he = inner
		}
		return he.Code, fmt.Sprint(he.Message)
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, "the requested resource does not exist"
	case errors.Is(err, store.ErrBadCursor):
		return http.StatusBadRequest, "next: invalid or unknown cursor"
	case errors.Is(err, store.ErrInvalid):
		return http.StatusBadRequest, "a parameter is outside what the server can store or look up"
	case errors.Is(err, store.ErrUnavailable):
		return http.StatusServiceUnavailable, "the storage backend is unavailable, retry later"
	case errors.As(err, &pe), errors.Is(err, stix.ErrInvalid):
		return http.StatusBadRequest, err.Error()
	case errors.As(err, &ue):
		return http.StatusBadRequest, err.Error()
	}
	return http.StatusInternalServerError, "an internal error occurred"
}

// handleError is the echo HTTPErrorHandler: every error, from handlers, middleware or the router,
// becomes a §3.6.1 error resource with the TAXII media type.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code, desc := errorStatus(err)
	if code >= http.StatusInternalServerError {
		s.log.ErrorContext(c.Request().Context(), "taxii request failed",
			"method", c.Request().Method, "path", c.Request().URL.Path, "status", code, "err", err)
	}
	h := c.Response().Header()
	switch code {
	case http.StatusUnauthorized:
		h.Set(echo.HeaderWWWAuthenticate, `Basic realm="stixgate"`)
	case http.StatusServiceUnavailable:
		h.Set(echo.HeaderRetryAfter, retryAfterSeconds)
	}
	if c.Request().Method == http.MethodHead {
		h.Set(echo.HeaderContentType, mediaTypeTAXII)
		err = c.NoContent(code)
	} else {
		err = writeTAXII(c, code, errorResource{
			Title:       http.StatusText(code),
			Description: desc,
			HTTPStatus:  strconv.Itoa(code),
			Details:     detailsOf(err),
		})
	}
	if err != nil {
		s.log.WarnContext(c.Request().Context(), "taxii: write error response", "err", err)
	}
}
