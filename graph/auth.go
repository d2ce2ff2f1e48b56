package graph

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
)

// Role is what a caller may do.
type Role string

// The roles.
const (
	RoleViewer     Role = "viewer"     // read; members' personal fields masked
	RoleAnalyst    Role = "analyst"    // read
	RoleEditor     Role = "editor"     // read and write, confined to place subtrees
	RoleIntegrator Role = "integrator" // feed, export and import, confined to source systems
	RoleAdmin      Role = "admin"      // everything
)

// Roles lists the roles.
var Roles = []Role{RoleViewer, RoleAnalyst, RoleEditor, RoleIntegrator, RoleAdmin}

// Valid reports whether r is a role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Principal is an authenticated caller.
type Principal struct {
	Name    string   // the key's name or the token's subject
	Role    Role     //
	Places  []string // for editors: the places (with everything under them) they may change
	Systems []string // for integrators: the source systems whose records they may push
}

// SeesPersonal reports whether the caller may see members' personal fields.
func (p *Principal) SeesPersonal() bool {
	return p != nil && (p.Role == RoleAnalyst || p.Role == RoleEditor || p.Role == RoleAdmin)
}

// Writes reports whether the caller may write through the API (editors within their places,
// integrators for their systems, admins).
func (p *Principal) Writes() bool {
	return p != nil && (p.Role == RoleEditor || p.Role == RoleIntegrator || p.Role == RoleAdmin)
}

// MayWrite says why the caller may not write, or nil: its role must write, and it must have a
// name (a token's subject) to which its changes are attributed in the feed.
func (p *Principal) MayWrite() error {
	if !p.Writes() {
		return Errorf(Forbidden, "your role may not write")
	}
	if strings.TrimSpace(p.Name) == "" {
		return Errorf(Forbidden, "a token without a subject (sub) may not write: its changes could not be attributed")
	}
	return nil
}

// ReadsFeed reports whether the caller may read the change feed and exports.
func (p *Principal) ReadsFeed() bool {
	return p != nil && (p.Role == RoleIntegrator || p.Role == RoleAdmin)
}

type principalKey struct{}

// WithPrincipal returns a context that carries the caller.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the caller, or nil.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// PersonalFields are members' personal data: masked for roles that may not see them.
var PersonalFields = []string{"phone", "idCard", "address"}

// Masked is what a masked field shows.
const Masked = "***"

// Scrub masks members' personal fields anywhere in decoded JSON: in objects (node properties),
// in {key, value} attributes and in {field, before, after} changes. It changes v in place and
// returns it.
func Scrub(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if slices.Contains(PersonalFields, k) && val != nil {
				x[k] = Masked
				continue
			}
			x[k] = Scrub(val)
		}
		for _, pair := range [][2]string{{"key", "value"}, {"field", "before"}, {"field", "after"}, {"Field", "Before"}, {"Field", "After"}} {
			if name, ok := x[pair[0]].(string); ok && slices.Contains(PersonalFields, name) && x[pair[1]] != nil {
				if pair[1] == "value" {
					x[pair[1]] = `"` + Masked + `"`
				} else {
					x[pair[1]] = Masked
				}
			}
		}
	case []any:
		for i := range x {
			x[i] = Scrub(x[i])
		}
	}
	return v
}

// ScrubJSON masks personal fields in a JSON document.
func ScrubJSON(raw []byte) []byte {
	if !containsPersonal(raw) {
		return raw
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return raw
	}
	out, err := json.Marshal(Scrub(v))
	if err != nil {
		return raw
	}
	return out
}

func containsPersonal(raw []byte) bool {
	s := string(raw)
	for _, f := range PersonalFields {
		if strings.Contains(s, `"`+f+`"`) {
			return true
		}
	}
	return false
}

// WriteScope confines a write: to nodes that lie in Places (editors), or to records of Systems
// (integrators). A nil scope allows everything (admins, tools).
type WriteScope struct {
	Places  []string
	Systems []string
}

// Scope is the principal's write scope; nil for admins.
func (p *Principal) Scope() *WriteScope {
	switch p.Role {
	case RoleEditor:
		return &WriteScope{Places: p.Places}
	case RoleIntegrator:
		return &WriteScope{Systems: p.Systems}
	}
	return nil
}
