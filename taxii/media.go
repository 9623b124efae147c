package taxii

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Media types. The TAXII type goes on every response; the STIX type appears only inside resources.
const (
	mediaTypeTAXII = "application/taxii+json;version=2.1"
	mediaTypeSTIX  = "application/stix+json;version=2.1"
	taxiiType      = "application/taxii+json"
	taxiiVersion   = "2.1"
)

// selfEncoder is a resource that encodes itself faster than encoding/json
// can (see envelope.encodeTAXII).
type selfEncoder interface {
	encodeTAXII() []byte
}

// writeTAXII is the only way a TAXII body leaves the server: JSON with the TAXII 2.1 media type.
func writeTAXII(c echo.Context, status int, v any) error {
	if se, ok := v.(selfEncoder); ok {
		return c.Blob(status, mediaTypeTAXII, se.encodeTAXII())
	}
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	return c.Blob(status, mediaTypeTAXII, body)
}

// writeTAXIIRaw writes an already encoded TAXII resource.
func writeTAXIIRaw(c echo.Context, status int, body []byte) error {
	return c.Blob(status, mediaTypeTAXII, body)
}

// AcceptConfig configures the Accept check.
type AcceptConfig struct {
	Skipper middleware.Skipper
	// Lenient lets a missing Accept, "*/*" and "application/*" stand for TAXII 2.1.
	Lenient bool
}

// Accept answers 406 to requests whose Accept header admits no TAXII 2.1 representation.
func Accept(cfg AcceptConfig) echo.MiddlewareFunc {
	if cfg.Skipper == nil {
		cfg.Skipper = middleware.DefaultSkipper
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if cfg.Skipper(c) || acceptable(c.Request().Header.Values(echo.HeaderAccept), cfg.Lenient) {
				return next(c)
			}
			return echo.NewHTTPError(http.StatusNotAcceptable,
				"Accept must include "+mediaTypeTAXII)
		}
	}
}

// acceptable reports whether any media range in the Accept header values admits TAXII 2.1.
func acceptable(values []string, lenient bool) bool {
	if len(values) == 0 {
		return lenient
	}
	for _, v := range values {
		for _, r := range strings.Split(v, ",") {
			if rangeAdmitsTAXII(r, lenient) {
				return true
			}
		}
	}
	return false
}

func rangeAdmitsTAXII(r string, lenient bool) bool {
	mt, params, err := mime.ParseMediaType(strings.TrimSpace(r))
	if err != nil {
		return false
	}
	if q, ok := params["q"]; ok {
		if f, err := strconv.ParseFloat(q, 64); err != nil || f <= 0 {
			return false
		}
	}
	switch mt {
	case taxiiType:
		v, ok := params["version"]
		return !ok || v == taxiiVersion
	case "*/*", "application/*":
		return lenient
	}
	return false
}

// checkContentType answers 415 unless the request body is declared as TAXII 2.1 (a missing version
// parameter means the newest version, 2.1).
func checkContentType(c echo.Context) error {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != taxiiType || (params["version"] != "" && params["version"] != taxiiVersion) {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType,
			"Content-Type must be "+mediaTypeTAXII)
	}
	return nil
}

// readBody reads at most limit bytes, answering 413 when the declared or the actual size exceeds it.
func readBody(c echo.Context, limit int64) ([]byte, error) {
	req := c.Request()
	tooLarge := echo.NewHTTPError(http.StatusRequestEntityTooLarge,
		fmt.Sprintf("request body exceeds max_content_length (%d octets)", limit))
	if req.ContentLength > limit {
		return nil, tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, limit))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, tooLarge
	case err != nil:
		return nil, echo.NewHTTPError(http.StatusBadRequest, "cannot read request body").SetInternal(err)
	}
	return body, nil
}
