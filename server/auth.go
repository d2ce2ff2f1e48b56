package server

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/gongjian/gongjian/graph"
)

// Authenticator finds the caller of an API key; the store implements it.
type Authenticator interface {
	Authenticate(ctx context.Context, key string) (*graph.Principal, error)
}

// AuthConfig says how callers are authenticated.
type AuthConfig struct {
	// Anonymous is the role of callers without credentials; "" or "off": they are refused.
	Anonymous graph.Role
	// AnonymousLoopbackOnly admits anonymous callers from loopback addresses only.
	AnonymousLoopbackOnly bool
	// JWTSecret verifies HS256 tokens; JWKSFile holds the RSA keys that verify RS256 tokens.
	JWTSecret string
	JWKSFile  string
	// IntrospectionRoles may introspect the schema; empty: every role.
	IntrospectionRoles []graph.Role
}

// authenticator resolves credentials to principals: API keys (cached for a few seconds) and
// JWTs.
type authenticator struct {
	cfg   AuthConfig
	keys  Authenticator
	jwks  map[string]*rsa.PublicKey
	mu    sync.Mutex
	cache map[string]cached
}

type cached struct {
	p   *graph.Principal
	exp time.Time
}

func newAuthenticator(cfg AuthConfig, keys Authenticator) (*authenticator, error) {
	a := &authenticator{cfg: cfg, keys: keys, cache: map[string]cached{}}
	if cfg.JWKSFile != "" {
		raw, err := os.ReadFile(cfg.JWKSFile)
		if err != nil {
			return nil, fmt.Errorf("reading the JWKS file: %w", err)
		}
		if a.jwks, err = parseJWKS(raw); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// parseJWKS reads the RSA keys of a JSON Web Key Set.
func parseJWKS(raw []byte) (map[string]*rsa.PublicKey, error) {
	var set struct {
		Keys []struct{ Kty, Kid, N, E string }
	}
	if err := json.Unmarshal(raw, &set); err != nil {
		return nil, fmt.Errorf("the JWKS file is not JSON: %w", err)
	}
	out := map[string]*rsa.PublicKey{}
	for _, k := range set.Keys {
		if k.Kty != "RSA" {
			continue
		}
		n, err1 := base64.RawURLEncoding.DecodeString(k.N)
		e, err2 := base64.RawURLEncoding.DecodeString(k.E)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("JWKS key %q: bad n or e", k.Kid)
		}
		out[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	return out, nil
}

// claims are a token's claims: the subject, its role and its scope.
type claims struct {
	Role    string   `json:"role"`
	Places  []string `json:"places"`
	Systems []string `json:"systems"`
	Reads   string   `json:"reads"` // for integrators: "all" reads every system's records
	jwt.RegisteredClaims
}

var errNoCredentials = &graph.Error{Code: graph.Unauthenticated, Message: "authentication required: send an API key (X-Api-Key or Authorization: Bearer) or a token"}

// principal authenticates a credential (an API key or a JWT); "" is anonymous.
func (a *authenticator) principal(ctx context.Context, credential, remote string) (*graph.Principal, error) {
	if credential == "" {
		if a.cfg.Anonymous == "" || a.cfg.Anonymous == "off" {
			return nil, errNoCredentials
		}
		if a.cfg.AnonymousLoopbackOnly && !isLoopback(remote) {
			return nil, errNoCredentials
		}
		return &graph.Principal{Name: "anonymous", Role: a.cfg.Anonymous}, nil
	}
	if strings.Count(credential, ".") == 2 && (a.cfg.JWTSecret != "" || a.jwks != nil) {
		return a.token(credential)
	}
	a.mu.Lock()
	c, ok := a.cache[credential]
	a.mu.Unlock()
	if ok && time.Now().Before(c.exp) {
		return c.p, nil
	}
	p, err := a.keys.Authenticate(ctx, credential)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, &graph.Error{Code: graph.Unauthenticated, Message: "unknown or revoked API key"}
	}
	a.mu.Lock()
	a.cache[credential] = cached{p: p, exp: time.Now().Add(5 * time.Second)}
	a.mu.Unlock()
	return p, nil
}

func (a *authenticator) token(raw string) (*graph.Principal, error) {
	var c claims
	_, err := jwt.ParseWithClaims(raw, &c, func(t *jwt.Token) (any, error) {
		switch t.Method.Alg() {
		case "HS256":
			if a.cfg.JWTSecret != "" {
				return []byte(a.cfg.JWTSecret), nil
			}
		case "RS256":
			kid, _ := t.Header["kid"].(string)
			if k := a.jwks[kid]; k != nil {
				return k, nil
			}
		}
		return nil, fmt.Errorf("no key for %s token", t.Method.Alg())
	}, jwt.WithValidMethods([]string{"HS256", "RS256"}), jwt.WithExpirationRequired())
	if err != nil {
		msg := "invalid token"
		if errors.Is(err, jwt.ErrTokenExpired) {
			msg = "the token has expired"
		}
		return nil, &graph.Error{Code: graph.Unauthenticated, Message: msg, Err: err}
	}
	if err := numericExp(raw); err != nil {
		return nil, &graph.Error{Code: graph.Unauthenticated, Message: "invalid token: exp must be a number of seconds", Err: err}
	}
	if strings.TrimSpace(c.Subject) == "" {
		return nil, &graph.Error{Code: graph.Unauthenticated, Message: "invalid token: it names no subject (sub)"}
	}
	role := graph.Role(c.Role)
	if !role.Valid() {
		return nil, &graph.Error{Code: graph.Unauthenticated, Message: fmt.Sprintf("the token's role %q is not a role", c.Role)}
	}
	return &graph.Principal{Name: c.Subject, Role: role, Places: c.Places, Systems: c.Systems, ReadsAll: c.Reads == "all"}, nil
}

// numericExp checks that a verified token's exp is a JSON number, as RFC 7519 says (the JWT
// library also takes a quoted one).
func numericExp(raw string) error {
	parts := strings.Split(raw, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(payload, &fields); err != nil {
		return err
	}
	if exp := strings.TrimSpace(string(fields["exp"])); exp == "" || exp[0] < '0' || exp[0] > '9' {
		return fmt.Errorf("exp is %s", exp)
	}
	return nil
}

func isLoopback(remote string) bool {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// credential reads the API key or token of a request.
func credential(r *http.Request) string {
	if k := r.Header.Get("X-Api-Key"); k != "" {
		return k
	}
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
	}
	return ""
}

// authenticate puts the caller into the request's context, or answers FORBIDDEN. Websocket
// upgrades go through: they authenticate with their connection's init payload.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), remoteKey{}, r.RemoteAddr)))
			return
		}
		p, err := s.auth.principal(r.Context(), credential(r), r.RemoteAddr)
		if err != nil {
			if graph.ErrorCode(err) == graph.Internal || graph.ErrorCode(err) == graph.Unavailable {
				s.log.WarnContext(r.Context(), "authentication", "err", err)
			}
			writeCoded(w, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(graph.WithPrincipal(r.Context(), p)))
	})
}

// remoteKey carries a websocket's remote address to its init function.
type remoteKey struct{}

// introspects reports whether the role may introspect the schema.
func (a *authenticator) introspects(p *graph.Principal) bool {
	if p == nil {
		return false
	}
	if len(a.cfg.IntrospectionRoles) == 0 {
		return true
	}
	for _, r := range a.cfg.IntrospectionRoles {
		if r == p.Role {
			return true
		}
	}
	return false
}
