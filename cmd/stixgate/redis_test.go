package main

import (
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestOpenRedisURLForms(t *testing.T) {
	tests := []struct {
		url     string
		want    string // client type
		wantErr string
	}{
		{url: "redis://127.0.0.1:6379/2", want: "*redis.Client"},
		{url: "rediss://user:secret@cache.example:6380", want: "*redis.Client"},
		{url: "redis+sentinel://s1:26379?master_name=mymaster&addr=s2:26379", want: "*redis.Client"},
		{url: "redis+cluster://n1:7000?addr=n2:7000", want: "*redis.ClusterClient"},
		{url: "http://x", wantErr: "scheme \"http\""},
		{url: "redis+ring://x", wantErr: "unknown mode \"ring\""},
		{url: "redis://x:1/notadb", wantErr: "redis url"},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			c, err := openRedis(tc.url)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("openRedis(%q) error = %v, want containing %q", tc.url, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("openRedis(%q): %v", tc.url, err)
			}
			defer c.Close()
			got := typeName(c.Client)
			if got != tc.want {
				t.Errorf("openRedis(%q) client = %s, want %s", tc.url, got, tc.want)
			}
			if strings.Contains(c.Desc, "secret") {
				t.Errorf("description %q leaks the password", c.Desc)
			}
		})
	}
}

func typeName(c redis.UniversalClient) string {
	switch c.(type) {
	case *redis.Client:
		return "*redis.Client"
	case *redis.ClusterClient:
		return "*redis.ClusterClient"
	default:
		return "other"
	}
}

func TestOpenEmbeddedAnswers(t *testing.T) {
	c, err := openRedis("")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Embedded == nil {
		t.Fatal("empty URL did not start an embedded Redis")
	}
	if err := c.Client.Ping(t.Context()).Err(); err != nil {
		t.Fatalf("ping embedded redis: %v", err)
	}
}

// With Redis down a request must fail fast, so that the gateway answers 503
// at once instead of holding the client for seconds: the retry settings are
// shortened unless the URL sets them.
func TestRedisRetriesAreShortUnlessTheURLSetsThem(t *testing.T) {
	tests := []struct {
		url                 string
		wantRetries, wantDR int
		wantDial            time.Duration
	}{
		{"redis://127.0.0.1:1/0", 1, 1, 2 * time.Second},
		{"redis://127.0.0.1:1/0?max_retries=5&dial_timeout=7s", 5, 1, 7 * time.Second},
	}
	for _, tc := range tests {
		c, err := openRedis(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		o := c.Client.(*redis.Client).Options()
		if o.MaxRetries != tc.wantRetries || o.DialerRetries != tc.wantDR || o.DialTimeout != tc.wantDial {
			t.Errorf("openRedis(%q): MaxRetries %d DialerRetries %d DialTimeout %v, want %d %d %v",
				tc.url, o.MaxRetries, o.DialerRetries, o.DialTimeout, tc.wantRetries, tc.wantDR, tc.wantDial)
		}
		if err := c.Client.Ping(t.Context()).Err(); err == nil {
			t.Errorf("ping to a closed port succeeded")
		}
		c.Close()
	}
}
