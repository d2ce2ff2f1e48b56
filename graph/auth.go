package graph

import (
	"context"
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
	// ReadsAll lets an integrator read every system's records in the feed and the export, not
	// only its own.
	ReadsAll bool
}

// FeedSystems are the systems whose records the caller reads in the feed and the export; nil:
// every record (admins, and integrators that read all).
func (p *Principal) FeedSystems() []string {
	if p == nil || p.Role != RoleIntegrator || p.ReadsAll {
		return nil
	}
	return nonNilStrings(p.Systems)
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// FromSystems reports whether a record's source is one of the systems; nil systems: any.
func FromSystems(source string, systems []string) bool {
	if systems == nil {
		return true
	}
	for _, sys := range systems {
		if source == "system:"+sys {
			return true
		}
	}
	return false
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

// MasksPersonal reports whether the caller in ctx may not see members' personal fields: every
// value that could carry one asks, where it is produced.
func MasksPersonal(ctx context.Context) bool { return !PrincipalFrom(ctx).SeesPersonal() }

// MaskValue is a property's value as the caller may see it: Masked for a personal field (when
// it has a value) if mask is set.
func MaskValue(key string, v any, mask bool) any {
	if mask && v != nil && slices.Contains(PersonalFields, key) {
		return Masked
	}
	return v
}

// MaskProps returns properties as the caller may see them (a copy when any is masked).
func MaskProps(props map[string]any, mask bool) map[string]any {
	if !mask {
		return props
	}
	out := make(map[string]any, len(props))
	for k, v := range props {
		out[k] = MaskValue(k, v, true)
	}
	return out
}

// MaskChanges returns an event's changes as the caller may see them (copies when masked).
func MaskChanges(changes []*Change, mask bool) []*Change {
	if !mask {
		return changes
	}
	out := make([]*Change, len(changes))
	for i, c := range changes {
		out[i] = &Change{Field: c.Field, Before: MaskValue(c.Field, c.Before, true), After: MaskValue(c.Field, c.After, true)}
	}
	return out
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
