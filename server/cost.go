package server

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/gongjian/gongjian/graph"
)

// SubtreeCounter counts the places in each place's subtree; the store implements it.
type SubtreeCounter interface {
	SubtreeSizes(ctx context.Context) (map[string]int, error)
}

// subtrees keeps the sizes of the places' subtrees for pricing the aggregates; they change
// rarely, so they are read again every few minutes.
type subtrees struct {
	src   SubtreeCounter
	log   *slog.Logger
	mu    sync.RWMutex
	sizes map[string]int
}

// size is the number of places in a place's subtree; 1 for a place it does not know.
func (t *subtrees) size(id string) int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return max(1, t.sizes[id])
}

// run reads the sizes now and then every interval, until ctx ends.
func (t *subtrees) run(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		if sizes, err := t.src.SubtreeSizes(ctx); err != nil {
			if ctx.Err() == nil {
				t.log.DebugContext(ctx, "reading the places' subtree sizes", "err", err)
			}
		} else {
			t.mu.Lock()
			t.sizes = sizes
			t.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// RootLimit caps the root fields of an operation (after fragments) and the aliases anywhere in
// it: each root field runs its own statements, and aliases multiply any field.
type RootLimit struct{ MaxRoot, MaxAliases int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = RootLimit{}

// ExtensionName implements graphql.HandlerExtension.
func (RootLimit) ExtensionName() string { return "RootLimit" }

// Validate implements graphql.HandlerExtension.
func (RootLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (l RootLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	roots, aliases := countSelections(oc.Operation.SelectionSet, 0, map[string]bool{})
	var err *gqlerror.Error
	switch {
	case roots > l.MaxRoot:
		err = gqlerror.Errorf("the operation asks %d root fields, more than the limit of %d: split it", roots, l.MaxRoot)
	case aliases > l.MaxAliases:
		err = gqlerror.Errorf("the operation uses %d aliases, more than the limit of %d", aliases, l.MaxAliases)
	default:
		return nil
	}
	errcode.Set(err, "COMPLEXITY_LIMIT_EXCEEDED")
	return err
}

// countSelections counts the fields at depth 0 (the root) and the aliased fields at any depth,
// following fragments (each once along a branch).
func countSelections(set ast.SelectionSet, depth int, visiting map[string]bool) (roots, aliases int) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if depth == 0 {
				roots++
			}
			if s.Alias != "" && s.Alias != s.Name {
				aliases++
			}
			_, a := countSelections(s.SelectionSet, depth+1, visiting)
			aliases += a
		case *ast.InlineFragment:
			r, a := countSelections(s.SelectionSet, depth, visiting)
			roots, aliases = roots+r, aliases+a
		case *ast.FragmentSpread:
			if s.Definition == nil || visiting[s.Name] {
				continue
			}
			visiting[s.Name] = true
			r, a := countSelections(s.Definition.SelectionSet, depth, visiting)
			delete(visiting, s.Name)
			roots, aliases = roots+r, aliases+a
		}
	}
	return roots, aliases
}

// introspectionGuard refuses, as FORBIDDEN, the operations that introspect the schema (__schema,
// __type) from roles that may not; __typename is always allowed.
type introspectionGuard struct{ auth *authenticator }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = introspectionGuard{}

// ExtensionName implements graphql.HandlerExtension.
func (introspectionGuard) ExtensionName() string { return "IntrospectionGuard" }

// Validate implements graphql.HandlerExtension.
func (introspectionGuard) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (g introspectionGuard) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil || g.auth.introspects(graph.PrincipalFrom(ctx)) || !introspects(oc.Operation.SelectionSet, map[string]bool{}) {
		return nil
	}
	oc.DisableIntrospection = true
	return gqlerror.Wrap(graph.Errorf(graph.Forbidden, "your role may not introspect the schema"))
}

// introspects reports whether a selection asks __schema or __type at its root.
func introspects(set ast.SelectionSet, visiting map[string]bool) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				return true
			}
		case *ast.InlineFragment:
			if introspects(s.SelectionSet, visiting) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition != nil && !visiting[s.Name] {
				visiting[s.Name] = true
				if introspects(s.Definition.SelectionSet, visiting) {
					return true
				}
			}
		}
	}
	return false
}
