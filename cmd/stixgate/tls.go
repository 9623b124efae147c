package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
)

// tlsConfig is the `tls:` section: serve HTTPS from certificate files, and
// optionally require client certificates (mutual TLS) signed by a CA.
type tlsConfig struct {
	CertFile     string `yaml:"cert_file"`
	KeyFile      string `yaml:"key_file"`
	ClientCAFile string `yaml:"client_ca_file"` // set to require client certificates
	// ClientAuth is "require" (default when client_ca_file is set) or
	// "verify_if_given" (certificates optional, but checked when sent).
	ClientAuth string `yaml:"client_auth"`
}

func (c tlsConfig) enabled() bool { return c.CertFile != "" || c.KeyFile != "" }

// build loads the files. TLS 1.2 is the floor: Sentinel and every current
// TAXII client speak 1.2 or 1.3.
func (c tlsConfig) build() (*tls.Config, error) {
	if !c.enabled() {
		if c.ClientCAFile != "" {
			return nil, errors.New("tls.client_ca_file: needs tls.cert_file and tls.key_file")
		}
		return nil, nil
	}
	if c.CertFile == "" || c.KeyFile == "" {
		return nil, errors.New("tls: cert_file and key_file go together")
	}
	cert, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("tls.cert_file/key_file: %w", err)
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	if c.ClientCAFile == "" {
		if c.ClientAuth != "" {
			return nil, errors.New("tls.client_auth: needs tls.client_ca_file")
		}
		return cfg, nil
	}
	pem, err := os.ReadFile(c.ClientCAFile)
	if err != nil {
		return nil, fmt.Errorf("tls.client_ca_file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("tls.client_ca_file: %s holds no PEM certificate", c.ClientCAFile)
	}
	cfg.ClientCAs = pool
	switch c.ClientAuth {
	case "", "require":
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	case "verify_if_given":
		cfg.ClientAuth = tls.VerifyClientCertIfGiven
	default:
		return nil, fmt.Errorf("tls.client_auth: %q: want require or verify_if_given", c.ClientAuth)
	}
	return cfg, nil
}
