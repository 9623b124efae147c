package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeCert makes a self-signed certificate (its own CA) for 127.0.0.1.
func writeCert(t *testing.T, dir, name string) (certFile, keyFile string, cert *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, name+".crt"), filepath.Join(dir, name+".key")
	must(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	must(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600))
	cert, err = x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, cert
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestServeOverMutualTLS(t *testing.T) {
	dir := t.TempDir()
	srvCert, srvKey, srvX509 := writeCert(t, dir, "server")
	cliCert, cliKey, _ := writeCert(t, dir, "client")
	cfg, err := loadConfig("")
	must(t, err)
	cfg.Listen = "127.0.0.1:0"
	cfg.TAXII.APIRoots[0].Collections[0].SeedFile = ""
	cfg.TLS = tlsConfig{CertFile: srvCert, KeyFile: srvKey, ClientCAFile: cliCert}
	m := &Main{Config: cfg, Env: testEnv(t, map[string]string{"STIXGATE_PASSWORD": "p"})}
	must(t, m.Open(t.Context()))
	t.Cleanup(func() { _ = m.Close() })
	if !strings.HasPrefix(m.URL(), "https://") {
		t.Fatalf("URL() = %s, want https", m.URL())
	}

	roots := x509.NewCertPool()
	roots.AddCert(srvX509)
	client := func(certs ...tls.Certificate) *http.Client {
		return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, Certificates: certs}}}
	}
	if _, err := client().Get(m.URL() + "/taxii2/"); err == nil {
		t.Error("a client without a certificate got through mutual TLS")
	}
	pair, err := tls.LoadX509KeyPair(cliCert, cliKey)
	must(t, err)
	req, _ := http.NewRequest(http.MethodGet, m.URL()+"/taxii2/", nil)
	req.SetBasicAuth("admin", "p")
	req.Header.Set("Accept", taxiiMedia)
	resp, err := client(pair).Do(req)
	if err != nil {
		t.Fatalf("client with a certificate: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("discovery over mTLS: %s", resp.Status)
	}
}

func TestTLSConfigErrorsNameTheKey(t *testing.T) {
	tests := []struct {
		cfg  tlsConfig
		want string
	}{
		{tlsConfig{CertFile: "a.crt"}, "cert_file and key_file"},
		{tlsConfig{ClientCAFile: "ca.pem"}, "tls.client_ca_file"},
		{tlsConfig{CertFile: "/nonexistent.crt", KeyFile: "/nonexistent.key"}, "tls.cert_file/key_file"},
	}
	for _, tc := range tests {
		if _, err := tc.cfg.build(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v.build() = %v, want error containing %q", tc.cfg, err, tc.want)
		}
	}
}
