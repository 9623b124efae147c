package main

import (
	"strings"
	"testing"

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
