package taxii

import (
	"net/http"
	"testing"
)

func TestMetadataGolden(t *testing.T) {
	e := mustEnv(t, testConfig(), Options{})
	reader, anon := basic("reader", pwReader), "-"
	tests := []struct {
		golden string
		r      req
	}{
		{"discovery", req{path: "/taxii2/"}},
		{"discovery", req{path: "/taxii2"}},
		{"api_root", req{path: "/api1/"}},
		{"api_root", req{path: "/api1"}},
		{"api_root", req{path: "/taxii2/api1/"}},
		{"collections_admin", req{path: "/api1/collections/"}},
		{"collections_reader", req{path: "/api1/collections/", auth: reader}},
		{"collections_reader", req{path: "/collections/", auth: reader}},
		{"collections_anonymous", req{path: "/api1/collections/", auth: anon}},
		{"collections_empty", req{path: "/api2/collections/"}},
		{"collection_reader", req{path: "/api1/collections/" + colPure + "/", auth: reader}},
		{"collection_reader", req{path: "/api1/collections/purelogs/", auth: reader}},
		{"collection_reader", req{path: "/collections/purelogs", auth: reader}},
		{"collection_dropbox", req{path: "/api1/collections/purelogs/", auth: basic("dropbox", pwReader)}},
		{"collection_public_anonymous", req{path: "/api1/collections/public/", auth: anon}},
	}
	for _, tc := range tests {
		t.Run(tc.golden+" "+tc.r.path, func(t *testing.T) {
			rec := e.do(t, tc.r)
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != mediaTypeTAXII {
				t.Fatalf("GET %s = %d %q, want 200 %q: %s", tc.r.path, rec.Code, rec.Header().Get("Content-Type"), mediaTypeTAXII, rec.Body)
			}
			checkGolden(t, tc.golden, rec.Body.Bytes())
		})
	}
}

func TestDiscoveryPublicBaseURL(t *testing.T) {
	cfg := testConfig()
	cfg.PublicBaseURL = "https://ti.example.com/"
	e := mustEnv(t, cfg, Options{})
	body := decode(t, e.do(t, req{path: "/taxii2/"}).Body.Bytes())
	if body["default"] != "https://ti.example.com/api1/" {
		t.Errorf("default = %v, want https://ti.example.com/api1/", body["default"])
	}
	roots := body["api_roots"].([]any)
	if len(roots) != 2 || roots[1] != "https://ti.example.com/api2/" {
		t.Errorf("api_roots = %v, want absolute URLs of api1 and api2", roots)
	}
}

func TestDiscoveryNeedsCredentialsWithoutPublicCollections(t *testing.T) {
	cfg := testConfig()
	cfg.APIRoots[0].Collections[1].AnonymousRead = false
	e := mustEnv(t, cfg, Options{})
	for _, path := range []string{"/taxii2/", "/api1/", "/api1/collections/"} {
		rec := e.do(t, req{path: path, auth: "-"})
		if rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("anonymous GET %s = %d, want 401 with WWW-Authenticate", path, rec.Code)
		}
	}
}

func TestAnonymousRead(t *testing.T) {
	e := mustEnv(t, testConfig(), Options{})
	e.mustPut(t, colPublic, ind2)
	tests := []struct {
		r    req
		want int
	}{
		{req{path: "/api1/collections/public/objects/", auth: "-"}, 200},
		{req{path: "/api1/collections/public/manifest/", auth: "-"}, 200},
		{req{path: "/api1/collections/public/objects/", auth: basic("reader", pwReader)}, 200},
		{req{method: "POST", path: "/api1/collections/public/objects/", body: envelopeOf(ind1v1), auth: "-"}, 401},
		{req{method: "POST", path: "/api1/collections/public/objects/", body: envelopeOf(ind1v1), auth: basic("reader", pwReader)}, 403},
		{req{path: "/api1/collections/purelogs/objects/", auth: "-"}, 401},
	}
	for _, tc := range tests {
		rec := e.do(t, tc.r)
		if rec.Code != tc.want {
			t.Errorf("%s %s as %q = %d, want %d: %s", tc.r.method, tc.r.path, tc.r.auth, rec.Code, tc.want, rec.Body)
		}
	}
}

func TestAcceptPolicy(t *testing.T) {
	tests := []struct {
		accept string
		policy string
		want   int
	}{
		{mediaTypeTAXII, AcceptStrict, 200},
		{"application/taxii+json", AcceptStrict, 200},
		{"application/taxii+json; version=2.1; charset=utf-8", AcceptStrict, 200},
		{"application/json, application/taxii+json;version=2.1;q=0.5", AcceptStrict, 200},
		{"*/*", AcceptStrict, 406},
		{"-", AcceptStrict, 406},
		{"*/*", AcceptLenient, 200},
		{"application/json, */*", AcceptLenient, 200},
		{"application/*", AcceptLenient, 200},
		{"-", AcceptLenient, 200},
		{"application/json", AcceptLenient, 406},
		{"*/*;q=0", AcceptLenient, 406},
		{"application/taxii+json;version=2.0", AcceptLenient, 406},
		{"application/stix+json;version=2.1", AcceptLenient, 406},
	}
	for _, tc := range tests {
		t.Run(tc.policy+" "+tc.accept, func(t *testing.T) {
			cfg := testConfig()
			cfg.AcceptPolicy = tc.policy
			e := mustEnv(t, cfg, Options{})
			rec := e.do(t, req{path: "/taxii2/", accept: tc.accept})
			if rec.Code != tc.want || rec.Header().Get("Content-Type") != mediaTypeTAXII {
				t.Errorf("Accept %q under %s = %d %q, want %d %q", tc.accept, tc.policy, rec.Code,
					rec.Header().Get("Content-Type"), tc.want, mediaTypeTAXII)
			}
		})
	}
}
