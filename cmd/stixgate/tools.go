package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/stixgate/stixgate/taxii"
)

// hashPasswordCmd turns a secret into what the config file stores, so no
// plaintext secret ever needs to be written there.
type hashPasswordCmd struct {
	APIKey bool `name:"api-key" help:"Hash an API key (SHA-256, for users[].api_keys[].hash) instead of a password (bcrypt)."`
	Cost   int  `default:"10" help:"bcrypt cost (${default}, about 65 ms per check here; each step doubles the work of a login that misses the auth cache)."`
}

func (c *hashPasswordCmd) Run(e *env) error {
	secret, err := bufio.NewReader(e.Stdin).ReadString('\n')
	if err != nil && secret == "" {
		return fmt.Errorf("hash-password: read secret from stdin: %w", err)
	}
	secret = strings.TrimRight(secret, "\r\n")
	if secret == "" {
		return errors.New("hash-password: empty secret")
	}
	if c.APIKey {
		fmt.Fprintln(e.Stdout, taxii.HashAPIKey(secret))
		return nil
	}
	if c.Cost < bcrypt.MinCost || c.Cost > bcrypt.MaxCost {
		return fmt.Errorf("hash-password: --cost %d: want %d..%d", c.Cost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(secret), c.Cost)
	if err != nil {
		return fmt.Errorf("hash-password: %w", err)
	}
	fmt.Fprintln(e.Stdout, string(h))
	return nil
}

// healthcheckCmd lets a distroless container check itself without curl.
type healthcheckCmd struct {
	URL     string        `default:"http://127.0.0.1:8080/readyz" help:"URL to GET."`
	Timeout time.Duration `default:"3s" help:"Give up after this long."`
}

func (c *healthcheckCmd) Run(ctx context.Context, e *env) error {
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", c.URL, resp.Status)
	}
	fmt.Fprintln(e.Stdout, "ok")
	return nil
}
