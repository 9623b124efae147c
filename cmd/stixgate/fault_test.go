package main

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// Fault tests (issue 6): each runs a real redis-server it can crash, with
// the gateway in front of it. They skip when redis-server is not installed.

// TestFaultAcknowledgedWritesSurviveRedisRestart: every object the gateway
// answered 202 for is readable after Redis dies and replays its AOF, and
// the gateway reconnects by itself.
func TestFaultAcknowledgedWritesSurviveRedisRestart(t *testing.T) {
	tests := []struct {
		name string
		stop func(*redisProcess, *testing.T)
	}{
		{"SIGKILL", func(p *redisProcess, t *testing.T) {
			if err := p.Kill(); err != nil {
				t.Fatal(err)
			}
		}},
		{"SHUTDOWN NOSAVE", (*redisProcess).shutdownNoSave},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rp := mustStartRedisServer(t)
			g := startFaultGateway(t, rp.URL(0))
			gen := newIndicatorGen("durability", time.Now())
			var acked []string
			for range 4 {
				body, _ := gen.envelope(50)
				acked = append(acked, g.mustPost(t, body, 50)...)
			}
			tc.stop(rp, t)
			rp.mustRestart(t)
			var got map[string]int
			eventually(t, 15*time.Second, func() string {
				if code := g.statusOf(t, g.objects); code != http.StatusOK {
					return "objects GET after the restart answers " + http.StatusText(code)
				}
				return ""
			})
			got = g.mustWalk(t, "objects/")
			for _, id := range acked {
				if got[id] != 1 {
					t.Errorf("acknowledged %s delivered %d times after the restart, want 1", id, got[id])
				}
			}
			if len(got) != len(acked) {
				t.Errorf("collection holds %d objects after the restart, want %d", len(got), len(acked))
			}
		})
	}
}

// taxiiError is the TAXII 2.1 error resource (§3.6.1).
type taxiiError struct {
	Title      string `json:"title"`
	HTTPStatus string `json:"http_status"`
}

// TestFaultRedisDownIs503AndRecovers: with Redis gone the gateway stays up
// and answers TAXII requests with a 503 error resource and Retry-After; when
// Redis returns, it serves again without a restart.
func TestFaultRedisDownIs503AndRecovers(t *testing.T) {
	rp := mustStartRedisServer(t)
	g := startFaultGateway(t, rp.URL(0))
	body, _ := newIndicatorGen("unavailable", time.Now()).envelope(10)
	g.mustPost(t, body, 10)
	if err := rp.Kill(); err != nil {
		t.Fatal(err)
	}
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method+" objects with Redis down", func(t *testing.T) {
			var b []byte
			if method == http.MethodPost {
				b = body
			}
			resp, got := g.mustDo(t, method, g.objects, b)
			check503(t, resp, got)
		})
	}
	rp.mustRestart(t)
	eventually(t, 15*time.Second, func() string {
		if code := g.statusOf(t, g.objects); code != http.StatusOK {
			return "objects GET after Redis returned answers " + http.StatusText(code)
		}
		return ""
	})
	if got := g.mustWalk(t, "objects/"); len(got) != 10 {
		t.Errorf("after recovery the collection lists %d objects, want 10", len(got))
	}
}

// TestFaultReadyzFollowsRedis: /readyz goes red when Redis goes away and
// green when it returns, while /healthz (the process is alive) stays 200.
func TestFaultReadyzFollowsRedis(t *testing.T) {
	rp := mustStartRedisServer(t)
	g := startFaultGateway(t, rp.URL(0))
	healthz, readyz := g.m.URL()+"/healthz", g.m.URL()+"/readyz"
	checkStatuses(t, g, map[string]int{healthz: 200, readyz: 200})
	if err := rp.Kill(); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, func() string {
		if code := g.statusOf(t, readyz); code != http.StatusServiceUnavailable {
			return "/readyz with Redis down answers " + http.StatusText(code) + ", want 503"
		}
		return ""
	})
	checkStatuses(t, g, map[string]int{healthz: 200})
	rp.mustRestart(t)
	eventually(t, 15*time.Second, func() string {
		if code := g.statusOf(t, readyz); code != http.StatusOK {
			return "/readyz after Redis returned answers " + http.StatusText(code)
		}
		return ""
	})
}

// checkStatuses GETs every URL once and compares the status code.
func checkStatuses(t *testing.T, g *faultGateway, want map[string]int) {
	t.Helper()
	for u, code := range want {
		if got := g.statusOf(t, u); got != code {
			t.Errorf("GET %s = %d, want %d", u, got, code)
		}
	}
}

// check503 asserts the TAXII shape of an unavailable-backend answer.
func check503(t *testing.T, resp *http.Response, body []byte) {
	t.Helper()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status = %d %s, want 503", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != benchMediaType {
		t.Errorf("Content-Type = %q, want %q", ct, benchMediaType)
	}
	if ra := resp.Header.Get("Retry-After"); ra == "" {
		t.Error("Retry-After missing")
	}
	var e taxiiError
	if err := json.Unmarshal(body, &e); err != nil || e.HTTPStatus != "503" || e.Title == "" {
		t.Errorf("body = %s (%v), want a TAXII error resource with http_status \"503\"", body, err)
	}
}
