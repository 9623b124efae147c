package taxii

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/stixgate/stixgate/store"
)

// storedStatus is what the store keeps for a POST's status: the resource
// and who posted it. A status lists the ids the poster sent and why some
// failed, so only its poster may read it; anyone else gets the same 404 as
// for an unknown id, which reveals nothing.
type storedStatus struct {
	Owner  string          `json:"owner"`
	Status json.RawMessage `json:"status"`
}

// saveStatus keeps res (an encoded status resource) for its owner.
func (s *Server) saveStatus(c echo.Context, id string, res []byte) error {
	rec, err := json.Marshal(storedStatus{Owner: principalOf(c).name, Status: res})
	if err != nil {
		return fmt.Errorf("encode status %s: %w", id, err)
	}
	if err := s.st.SaveStatus(c.Request().Context(), id, rec); err != nil {
		return fmt.Errorf("save status %s: %w", id, err)
	}
	return nil
}

func (s *Server) getStatus(c echo.Context) error {
	id := c.Param("status")
	body, err := s.st.Status(c.Request().Context(), id)
	if err != nil {
		return fmt.Errorf("get status: %w", err)
	}
	var rec storedStatus
	if err := json.Unmarshal(body, &rec); err != nil {
		return fmt.Errorf("decode status %s: %w", id, err)
	}
	if rec.Owner != principalOf(c).name {
		return fmt.Errorf("status %s of another user: %w", id, store.ErrNotFound)
	}
	return writeTAXIIRaw(c, http.StatusOK, rec.Status)
}
