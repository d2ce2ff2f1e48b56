package server

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/gongjian/gongjian/graph"
)

type noKeys struct{}

func (noKeys) Authenticate(context.Context, string) (*graph.Principal, error) { return nil, nil }

func sign(t *testing.T, method jwt.SigningMethod, key any, kid string, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Tokens signed with the shared secret (HS256) or a key of the JWKS file (RS256) give their
// claims' role and scope; others are refused.
func TestTokens(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	jwks, _ := json.Marshal(map[string]any{"keys": []map[string]string{{"kty": "RSA", "kid": "k1",
		"n": base64.RawURLEncoding.EncodeToString(rsaKey.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(rsaKey.E)).Bytes())}}})
	file := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(file, jwks, 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := newAuthenticator(AuthConfig{JWTSecret: "s3cret", JWKSFile: file}, noKeys{})
	if err != nil {
		t.Fatal(err)
	}
	exp := time.Now().Add(time.Hour).Unix()
	good := map[string]string{
		"HS256": sign(t, jwt.SigningMethodHS256, []byte("s3cret"), "", jwt.MapClaims{"sub": "ed", "role": "editor", "places": []string{"place:xinmi"}, "exp": exp}),
		"RS256": sign(t, jwt.SigningMethodRS256, rsaKey, "k1", jwt.MapClaims{"sub": "int", "role": "integrator", "systems": []string{"henan"}, "exp": exp}),
	}
	p, err := a.principal(context.Background(), good["HS256"], "10.0.0.1:1")
	if err != nil || p.Role != graph.RoleEditor || len(p.Places) != 1 || p.Name != "ed" {
		t.Fatalf("HS256: %+v %v", p, err)
	}
	p, err = a.principal(context.Background(), good["RS256"], "10.0.0.1:1")
	if err != nil || p.Role != graph.RoleIntegrator || p.Systems[0] != "henan" {
		t.Fatalf("RS256: %+v %v", p, err)
	}
	if p, _ := a.principal(context.Background(), good["HS256"], "10.0.0.1:1"); p.MayWrite() != nil {
		t.Errorf("an editor's token with a subject may not write: %v", p.MayWrite())
	}
	// A caller without a name may not write (its changes could not be attributed).
	if err := (&graph.Principal{Role: graph.RoleAdmin}).MayWrite(); graph.ErrorCode(err) != graph.Forbidden || !strings.Contains(err.Error(), "sub") {
		t.Errorf("a caller without a name may write: %v", err)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	for name, tok := range map[string]string{
		"wrong secret": sign(t, jwt.SigningMethodHS256, []byte("guess"), "", jwt.MapClaims{"role": "admin", "exp": exp}),
		"expired":      sign(t, jwt.SigningMethodHS256, []byte("s3cret"), "", jwt.MapClaims{"role": "admin", "exp": time.Now().Add(-time.Hour).Unix()}),
		"no expiry":    sign(t, jwt.SigningMethodHS256, []byte("s3cret"), "", jwt.MapClaims{"role": "admin"}),
		"unknown role": sign(t, jwt.SigningMethodHS256, []byte("s3cret"), "", jwt.MapClaims{"role": "king", "exp": exp}),
		"unknown key":  sign(t, jwt.SigningMethodRS256, other, "k1", jwt.MapClaims{"role": "admin", "exp": exp}),
		"no such kid":  sign(t, jwt.SigningMethodRS256, rsaKey, "k9", jwt.MapClaims{"role": "admin", "exp": exp}),
		"no subject":   sign(t, jwt.SigningMethodHS256, []byte("s3cret"), "", jwt.MapClaims{"role": "admin", "exp": exp}),
		"quoted exp":   sign(t, jwt.SigningMethodHS256, []byte("s3cret"), "", jwt.MapClaims{"sub": "x", "role": "admin", "exp": fmt.Sprint(exp)}),
	} {
		if p, err := a.principal(context.Background(), tok, "10.0.0.1:1"); err == nil || graph.ErrorCode(err) != graph.Unauthenticated {
			t.Errorf("%s: accepted as %+v (%v)", name, p, err)
		}
	}
	// Anonymous callers: refused unless configured; from loopback only when so configured.
	if _, err := a.principal(context.Background(), "", "127.0.0.1:5"); err == nil {
		t.Errorf("anonymous accepted with anonymous off")
	}
	b, _ := newAuthenticator(AuthConfig{Anonymous: graph.RoleViewer, AnonymousLoopbackOnly: true}, noKeys{})
	if p, err := b.principal(context.Background(), "", "127.0.0.1:5"); err != nil || p.Role != graph.RoleViewer {
		t.Errorf("anonymous from loopback: %v %v", p, err)
	}
	if _, err := b.principal(context.Background(), "", "192.168.1.9:5"); err == nil {
		t.Errorf("anonymous accepted from another host")
	}
	if _, err := b.principal(context.Background(), "gj_nope", "127.0.0.1:5"); graph.ErrorCode(err) != graph.Unauthenticated {
		t.Errorf("unknown key: %v", err)
	}
}
