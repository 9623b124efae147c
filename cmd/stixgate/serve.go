package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"golang.org/x/crypto/bcrypt"

	"github.com/stixgate/stixgate/convert/kql"
	"github.com/stixgate/stixgate/store"
	"github.com/stixgate/stixgate/taxii"
)

// serveCmd runs the gateway until interrupted.
type serveCmd struct {
	Config   string `short:"c" env:"STIXGATE_CONFIG" type:"existingfile" help:"YAML configuration file (default: built-in purelogs setup)."`
	Addr     string `env:"STIXGATE_ADDR" help:"Listen address, overrides the file's listen."`
	RedisURL string `name:"redis-url" env:"REDIS_URL" help:"Redis URL (redis://, rediss://, redis+sentinel://, redis+cluster://); empty = embedded."`
}

func (c *serveCmd) Run(ctx context.Context, e *env) error {
	cfg, err := loadConfig(c.Config)
	if err != nil {
		return err
	}
	cfg.applyEnv(e.Getenv)
	if c.Addr != "" {
		cfg.Listen = c.Addr
	}
	if c.RedisURL != "" {
		cfg.RedisURL = c.RedisURL
	}
	m := &Main{Config: cfg, ConfigPath: c.Config, Env: *e}
	if err := m.Open(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	return m.Close()
}

// Main is the running gateway: tests start it on "127.0.0.1:0" and talk to
// it over loopback exactly as a TAXII client would.
type Main struct {
	Config     *fileConfig
	ConfigPath string // "" when the built-in default is used
	Env        env

	// Registry holds the process's Prometheus metrics (served at /metrics).
	Registry *prometheus.Registry

	redis    *redisConn
	store    *store.Store
	listener net.Listener
	http     *http.Server
	done     chan error
	logger   *slog.Logger
}

// Open validates the configuration, connects to Redis (or starts the
// embedded one), seeds collections, and starts listening. It returns once the
// server accepts connections.
func (m *Main) Open(ctx context.Context) error {
	m.logger = newLogger(m.Env.Stderr, m.Config.Log.Level, m.Config.Log.Format)
	login, err := m.bootstrapUser()
	if err != nil {
		return err
	}
	if err := m.Config.validate(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if m.redis, err = openRedis(m.Config.RedisURL); err != nil {
		return err
	}
	m.store = store.New(m.redis.Client, store.Options{Now: m.Env.Now, CursorKey: cursorKey(m.Config.CursorSecret)})
	seeded, err := m.seed(ctx)
	if err != nil {
		m.redis.Close()
		return err
	}
	srv, err := m.newTAXII()
	if err != nil {
		m.redis.Close()
		return fmt.Errorf("taxii: %w", err)
	}
	if m.listener, err = m.listen(); err != nil {
		m.redis.Close()
		return err
	}
	m.http = newHTTPServer(srv.Handler(), m.logger)
	m.done = make(chan error, 1)
	go func() { m.done <- m.http.Serve(m.listener) }()
	m.printBanner(m.Env.Stdout, login, seeded)
	return nil
}

// newTAXII builds the TAXII server with the process-level options.
func (m *Main) newTAXII() (*taxii.Server, error) {
	profiles, err := m.Config.profiles()
	if err != nil {
		return nil, err
	}
	byValue := make(map[string]kql.Profile, len(profiles))
	for name, p := range profiles {
		byValue[name] = *p
	}
	m.Registry = prometheus.NewRegistry()
	m.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return taxii.NewServer(m.Config.TAXII, m.store, taxii.Options{
		Now:                    m.Env.Now,
		Logger:                 m.logger,
		Profiles:               byValue,
		Registry:               m.Registry,
		DisableMetricsEndpoint: m.Config.DisableMetricsEndpoint,
		RateLimit:              m.Config.RateLimit,
	})
}

// listen opens the listening socket, wrapped in TLS when configured.
func (m *Main) listen() (net.Listener, error) {
	tc, err := m.Config.TLS.build()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", m.Config.Listen)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w (choose another address with --addr or STIXGATE_ADDR, e.g. 127.0.0.1:8081)", m.Config.Listen, err)
	}
	if tc != nil {
		ln = tls.NewListener(ln, tc)
	}
	return ln, nil
}

// Addr is the address the server listens on (useful after ":0").
func (m *Main) Addr() string { return m.listener.Addr().String() }

// URL is the server's base URL on loopback.
func (m *Main) URL() string {
	if m.Config.TLS.enabled() {
		return "https://" + m.Addr()
	}
	return "http://" + m.Addr()
}

// Close stops accepting requests, lets in-flight ones finish, then closes
// Redis.
func (m *Main) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := m.http.Shutdown(ctx)
	if serr := <-m.done; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return errors.Join(err, m.redis.Close())
}

// newHTTPServer sets every timeout: a TAXII server faces the internet and
// slow clients must not hold connections forever.
func newHTTPServer(h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// loginInfo is what the banner tells the operator about credentials.
type loginInfo struct {
	User, Password string
	Generated      bool
}

// bootstrapUser gives a configuration without users one read/write user,
// from STIXGATE_USER/STIXGATE_PASSWORD or generated, so a fresh start is
// usable and stixgate never ships a default password.
func (m *Main) bootstrapUser() (*loginInfo, error) {
	if len(m.Config.TAXII.Users) > 0 {
		return nil, nil
	}
	li := &loginInfo{User: m.Env.Getenv("STIXGATE_USER"), Password: m.Env.Getenv("STIXGATE_PASSWORD")}
	if li.User == "" {
		li.User = "admin"
	}
	if li.Password == "" {
		b := make([]byte, 18)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("generate password: %w", err)
		}
		li.Password, li.Generated = base64.RawURLEncoding.EncodeToString(b), true
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(li.Password), bcrypt.DefaultCost)
	if err != nil {
		return nil, fmt.Errorf("hash bootstrap password: %w", err)
	}
	m.Config.TAXII.Users = []taxii.User{{
		Name:         li.User,
		PasswordHash: string(hash),
		Collections:  map[string]taxii.Permission{"*": {Read: true, Write: true}},
	}}
	return li, nil
}

// seedPath resolves a collection's seed_file: relative to the config file,
// or to the working directory for the built-in configuration.
func (m *Main) seedPath(p string) string {
	if p == "" || filepath.IsAbs(p) || m.ConfigPath == "" {
		return p
	}
	return filepath.Join(filepath.Dir(m.ConfigPath), p)
}

func newLogger(w io.Writer, level, format string) *slog.Logger {
	var lv slog.Level
	_ = lv.UnmarshalText([]byte(level)) // validated in fileConfig.validate; "" = info
	opts := &slog.HandlerOptions{Level: lv}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
