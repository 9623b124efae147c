package taxii

import (
	"net/http"
	"testing"
)

// HEAD answers like GET, status and headers included, without a body.
func TestHeadAnswersLikeGet(t *testing.T) {
	s := mustSeed(t)
	for _, tc := range []struct {
		path string
		want int
	}{
		{"/taxii2/", http.StatusOK},
		{"/api1/collections/purelogs/objects/", http.StatusOK},
		{"/collections/purelogs/manifest", http.StatusOK},
		{"/api1/collections/nope/objects/", http.StatusNotFound},
	} {
		get := s.do(t, req{path: tc.path})
		head := s.do(t, req{method: http.MethodHead, path: tc.path})
		if head.Code != tc.want || get.Code != tc.want {
			t.Errorf("HEAD %s = %d, GET = %d, want %d", tc.path, head.Code, get.Code, tc.want)
		}
		if head.Body.Len() != 0 && head.Body.String() != get.Body.String() {
			t.Errorf("HEAD %s body differs from GET's", tc.path)
		}
		for _, h := range []string{"Content-Type", headerDateAddedFirst, headerDateAddedLast} {
			if head.Header().Get(h) != get.Header().Get(h) {
				t.Errorf("HEAD %s %s = %q, GET has %q", tc.path, h, head.Header().Get(h), get.Header().Get(h))
			}
		}
	}
	if rec := s.do(t, req{method: http.MethodHead, path: "/api1/collections/purelogs/objects/", auth: "-"}); rec.Code != http.StatusUnauthorized {
		t.Errorf("anonymous HEAD = %d, want 401", rec.Code)
	}
}
