package taxii

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stixgate/stixgate/store"
)

// TestErrorStatuses checks every error code: status, the exact TAXII Content-Type and a §3.6.1 body
// with http_status as a string.
func TestErrorStatuses(t *testing.T) {
	s := mustSeed(t)
	obj := "/api1/collections/purelogs/objects/"
	big := strings.Repeat("x", DefaultMaxContentLength+1)
	tests := []struct {
		name string
		r    req
		want int
	}{
		{"limit negative", req{path: obj + "?limit=-20"}, 400},
		{"limit zero", req{path: obj + "?limit=0"}, 400},
		{"limit not an integer", req{path: obj + "?limit=ten"}, 400},
		{"added_after broken", req{path: obj + "?added_after=yesterday"}, 400},
		{"next broken", req{path: obj + "?next=bm90LWEtY3Vyc29y"}, 400},
		{"next empty", req{path: obj + "?next="}, 400},
		{"added_after twice", req{path: obj + "?added_after=2026-01-01T00:00:00Z&added_after=2026-01-02T00:00:00Z"}, 400},
		{"match[version] garbage", req{path: obj + "?match[version]=newest"}, 400},
		{"match[spec_version] garbage", req{path: obj + "?match[spec_version]=3.0"}, 400},
		{"match[id] empty item", req{path: obj + "?match[id]=a,,b"}, 400},
		{"match[type] on versions", req{path: obj + indicatorID(1) + "/versions/?match[type]=indicator"}, 400},
		{"match[id] on object", req{path: obj + indicatorID(1) + "/?match[id]=x"}, 400},
		{"unknown match field", req{path: obj + "?match[color]=red"}, 400},
		{"no credentials", req{path: obj, auth: "-"}, 401},
		{"wrong password", req{path: obj, auth: basic("reader", "nope")}, 401},
		{"unknown scheme", req{path: obj, auth: "Digest abc"}, 401},
		{"broken basic", req{path: obj, auth: "Basic !!!"}, 401},
		{"no credentials on discovery", req{path: "/taxii2/", auth: "-", header: map[string]string{}}, 200},
		{"no credentials on private root", req{path: "/api2/", auth: "-"}, 401},
		{"no credentials on status", req{path: "/api1/status/00000000-0000-4000-8000-000000000001/", auth: "-"}, 401},
		{"read without right", req{path: obj, auth: basic("dropbox", pwReader)}, 403},
		{"write without right", req{method: "POST", path: obj, body: envelopeOf(ind2), auth: basic("reader", pwReader)}, 403},
		{"delete without right", req{method: "DELETE", path: obj + indicatorID(2) + "/", auth: basic("reader", pwReader)}, 403},
		{"hidden collection", req{path: "/api1/collections/" + colHidden + "/", auth: basic("reader", pwReader)}, 404},
		{"hidden collection objects", req{path: "/api1/collections/" + colHidden + "/objects/", auth: basic("reader", pwReader)}, 404},
		{"unknown root", req{path: "/nope/collections/"}, 404},
		{"unknown collection", req{path: "/api1/collections/nope/objects/"}, 404},
		{"collection of another root", req{path: "/api2/collections/purelogs/"}, 404},
		{"unknown object", req{path: obj + "indicator--99999999-0000-4000-8000-000000000000/"}, 404},
		{"unknown object versions", req{path: obj + "indicator--99999999-0000-4000-8000-000000000000/versions/"}, 404},
		{"unknown status", req{path: "/api1/status/00000000-0000-4000-8000-999999999999/"}, 404},
		{"router 404", req{path: "/api1/collections/purelogs/objects/x/y/z/"}, 404},
		{"router 405", req{method: "PUT", path: "/taxii2/"}, 405},
		{"router 405 on objects", req{method: "PATCH", path: obj}, 405},
		{"accept json", req{path: obj, accept: "application/json"}, 406},
		{"accept taxii 2.0", req{path: obj, accept: "application/taxii+json;version=2.0"}, 406},
		{"accept q=0", req{path: obj, accept: "application/taxii+json;version=2.1;q=0"}, 406},
		{"accept wrong on POST", req{method: "POST", path: obj, body: envelopeOf(ind2), accept: "text/html"}, 406},
		{"content-type json", req{method: "POST", path: obj, body: envelopeOf(ind2), ct: "application/json"}, 415},
		{"content-type stix", req{method: "POST", path: obj, body: envelopeOf(ind2), ct: mediaTypeSTIX}, 415},
		{"content-type missing", req{method: "POST", path: obj, body: envelopeOf(ind2), ct: "-"}, 415},
		{"body too big", req{method: "POST", path: obj, body: big}, 413},
		{"body too big, length unknown", req{method: "POST", path: obj, body: big, header: map[string]string{"Content-Length": "-1"}}, 413},
		{"content-length faked", req{method: "POST", path: obj, body: "{}", header: map[string]string{"Content-Length": "999999999"}}, 413},
		{"bare STIX object", req{method: "POST", path: obj, body: string(ind2)}, 422},
		{"bundle", req{method: "POST", path: obj, body: `{"type":"bundle","id":"bundle--x","objects":[` + string(ind2) + `]}`}, 422},
		{"array", req{method: "POST", path: obj, body: `[` + string(ind2) + `]`}, 422},
		{"no objects", req{method: "POST", path: obj, body: `{"more":false}`}, 422},
		{"malformed JSON", req{method: "POST", path: obj, body: `{"objects":[`}, 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := s.do(t, tc.r)
			if rec.Code != tc.want {
				t.Fatalf("%s %s = %d, want %d: %s", tc.r.method, tc.r.path, rec.Code, tc.want, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != mediaTypeTAXII {
				t.Errorf("Content-Type = %q, want %q", ct, mediaTypeTAXII)
			}
			if tc.want == 401 && rec.Header().Get("WWW-Authenticate") != `Basic realm="stixgate"` {
				t.Errorf("WWW-Authenticate = %q, want Basic realm", rec.Header().Get("WWW-Authenticate"))
			}
			if tc.want < 400 {
				return
			}
			body := decode(t, rec.Body.Bytes())
			if body["title"] != http.StatusText(tc.want) || body["http_status"] != strconv.Itoa(tc.want) || body["description"] == "" {
				t.Errorf("error body = %s, want title %q and http_status %q", rec.Body, http.StatusText(tc.want), strconv.Itoa(tc.want))
			}
		})
	}
}

func TestErrorGolden(t *testing.T) {
	s := mustSeed(t)
	tests := []struct {
		name string
		r    req
	}{
		{"error_400_limit", req{path: "/api1/collections/purelogs/objects/?limit=-20"}},
		{"error_401", req{path: "/api1/collections/purelogs/objects/", auth: "-"}},
		{"error_404_collection", req{path: "/api1/collections/nope/"}},
		{"error_405", req{method: "PUT", path: "/taxii2/"}},
		{"error_406", req{path: "/taxii2/", accept: "application/json"}},
		{"error_422", req{method: "POST", path: "/api1/collections/purelogs/objects/", body: string(ind2)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkGolden(t, tc.name, s.do(t, tc.r).Body.Bytes())
		})
	}
}

// fakeStore delegates to a real store unless a function field is set: it injects store failures.
type fakeStore struct {
	Store
	ObjectsFn    func(ctx context.Context, collection string, q store.Query) (store.Page, error)
	PutFn        func(ctx context.Context, collection string, objs []store.Object) ([]store.PutResult, error)
	StatusFn     func(ctx context.Context, id string) ([]byte, error)
	SaveStatusFn func(ctx context.Context, id string, body []byte) error
}

func (f fakeStore) Objects(ctx context.Context, collection string, q store.Query) (store.Page, error) {
	if f.ObjectsFn != nil {
		return f.ObjectsFn(ctx, collection, q)
	}
	return f.Store.Objects(ctx, collection, q)
}

func (f fakeStore) Put(ctx context.Context, collection string, objs []store.Object) ([]store.PutResult, error) {
	if f.PutFn != nil {
		return f.PutFn(ctx, collection, objs)
	}
	return f.Store.Put(ctx, collection, objs)
}

func (f fakeStore) Status(ctx context.Context, id string) ([]byte, error) {
	if f.StatusFn != nil {
		return f.StatusFn(ctx, id)
	}
	return f.Store.Status(ctx, id)
}

func (f fakeStore) SaveStatus(ctx context.Context, id string, body []byte) error {
	if f.SaveStatusFn != nil {
		return f.SaveStatusFn(ctx, id, body)
	}
	return f.Store.SaveStatus(ctx, id, body)
}

// failing returns a fake whose every overridable method fails with err.
func failing(base Store, err error) fakeStore {
	return fakeStore{
		Store:        base,
		ObjectsFn:    func(context.Context, string, store.Query) (store.Page, error) { return store.Page{}, err },
		PutFn:        func(context.Context, string, []store.Object) ([]store.PutResult, error) { return nil, err },
		StatusFn:     func(context.Context, string) ([]byte, error) { return nil, err },
		SaveStatusFn: func(context.Context, string, []byte) error { return err },
	}
}

func TestStoreFailures(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		want       int
		retryAfter string
		desc       string
	}{
		{"unavailable", fmt.Errorf("wrapped: %w", store.ErrUnavailable), 503, retryAfterSeconds, "the storage backend is unavailable, retry later"},
		{"bad cursor", store.ErrBadCursor, 400, "", "next: invalid or unknown cursor"},
		{"not found", store.ErrNotFound, 404, "", "the requested resource does not exist"},
		{"invalid", store.ErrInvalid, 400, "", "a parameter is outside what the server can store or look up"},
		{"unexpected", errors.New("redis said something secret"), 500, "", "an internal error occurred"},
	}
	requests := []req{
		{path: "/api1/collections/purelogs/objects/"},
		{path: "/api1/status/x/"},
		{method: "POST", path: "/api1/collections/purelogs/objects/", body: envelopeOf(ind2)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base := mustEnv(t, testConfig(), Options{})
			srv, err := NewServer(testConfig(), failing(base.st, tc.err), Options{})
			if err != nil {
				t.Fatal(err)
			}
			e := &env{srv: srv, h: srv.Handler()}
			for _, r := range requests {
				rec := e.do(t, r)
				body := decode(t, rec.Body.Bytes())
				if rec.Code != tc.want || rec.Header().Get("Retry-After") != tc.retryAfter || body["description"] != tc.desc {
					t.Errorf("%s %s with %v = %d Retry-After %q %s, want %d %q %q", r.method, r.path, tc.err, rec.Code,
						rec.Header().Get("Retry-After"), rec.Body, tc.want, tc.retryAfter, tc.desc)
				}
				if rec.Header().Get("Content-Type") != mediaTypeTAXII {
					t.Errorf("Content-Type = %q", rec.Header().Get("Content-Type"))
				}
			}
		})
	}
}

// TestSaveStatusFailure: objects stored but the status could not be kept is a 503, so the client
// retries; the retry's objects are duplicates, which count as successes.
func TestSaveStatusFailure(t *testing.T) {
	base := mustEnv(t, testConfig(), Options{})
	fake := fakeStore{Store: base.st, SaveStatusFn: func(context.Context, string, []byte) error {
		return fmt.Errorf("save: %w", store.ErrUnavailable)
	}}
	srv, err := NewServer(testConfig(), fake, Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{srv: srv, h: srv.Handler()}
	path := "/api1/collections/purelogs/objects/"
	if rec := e.do(t, req{method: "POST", path: path, body: envelopeOf(ind2)}); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("POST with a failing SaveStatus = %d, want 503", rec.Code)
	}
	retry := base.do(t, req{method: "POST", path: path, body: envelopeOf(ind2)})
	if st := checkStatusCounts(t, retry.Body.Bytes()); st["success_count"] != 1.0 {
		t.Errorf("retried POST status = %s, want one success", retry.Body)
	}
}

func TestHeadErrorHasNoBody(t *testing.T) {
	e := mustEnv(t, testConfig(), Options{})
	rec := e.do(t, req{method: http.MethodHead, path: "/api1/collections/nope/"})
	if rec.Code != http.StatusMethodNotAllowed && rec.Code != http.StatusNotFound {
		t.Fatalf("HEAD = %d, want 404 or 405", rec.Code)
	}
	if rec.Body.Len() != 0 || rec.Header().Get("Content-Type") != mediaTypeTAXII {
		t.Errorf("HEAD error = %q with Content-Type %q, want no body and TAXII type", rec.Body, rec.Header().Get("Content-Type"))
	}
}
