package planner

import (
	"context"
	"fmt"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/gongjian/gongjian/graph"
	"github.com/vektah/gqlparser/v2/ast"
)

// Batched returns the value of the current field (@hop or @batch) for the node id: from the
// cache, or loaded (and its subtree walked) on a miss.
func (pl *Planner) Batched(ctx context.Context, id string) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	l, ok, err := pl.loaderFor(fc.Field.Definition, fc.Field.ArgumentMap(graphql.GetOperationContext(ctx).Variables), fc.Field.Selections)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, graph.Errorf(graph.Internal, "field %s is neither @hop nor @batch", fc.Field.Name)
	}
	cache := cacheOf(ctx)
	if v, ok := cache.get(l.key, id); ok {
		return v, nil
	}
	cache.misses.Add(1)
	values, err := l.fetch(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	cache.put(l.key, values)
	v := values[id]
	if err := pl.prefetch(ctx, follow([]ast.SelectionSet{fc.Field.Selections}, l.followed(v))); err != nil {
		return nil, err
	}
	return v, nil
}

// Page returns the page of the current relationship field for the node id.
func (pl *Planner) Page(ctx context.Context, id string) (*graph.Page, error) {
	v, err := pl.Batched(ctx, id)
	if err != nil {
		return nil, err
	}
	return v.(*graph.Page), nil
}

// One returns the node of the current single-valued relationship field, or nil.
func (pl *Planner) One(ctx context.Context, id string) (*graph.Node, error) {
	p, err := pl.Page(ctx, id)
	if err != nil || len(p.Edges) == 0 {
		return nil, err
	}
	return p.Edges[0].Node, nil
}

// List serves a root list field of one kind and walks its selection.
func (pl *Planner) List(ctx context.Context, kind graph.NodeKind) (*graph.Page, error) {
	fc := graphql.GetFieldContext(ctx)
	args := fc.Field.ArgumentMap(graphql.GetOperationContext(ctx).Variables)
	q := graph.ListQuery{Kind: kind}
	var err error
	if q.Filter, err = filterOf(fc.Field.Definition, args["filter"]); err != nil {
		return nil, err
	}
	if q.Order, err = orderArg(args["orderBy"]); err != nil {
		return nil, err
	}
	if q.Slice, err = pl.sliceArgs(args, listKey(fc.Field.Name, args)); err != nil {
		return nil, err
	}
	q.Slice.NoTotal = entriesOnly(fc.Field.Selections) // the store then need not count (Slice.Counted)
	nested, keys := pl.nestedFields(graphql.GetOperationContext(ctx), entries([]ast.SelectionSet{fc.Field.Selections}), []graph.NodeKind{kind}, nestDepth, map[string]bool{})
	p, pages, err := pl.Graph.List(ctx, q, nested)
	if err != nil {
		return nil, err
	}
	putPages(ctx, keys, pages)
	if err := pl.prefetch(ctx, follow([]ast.SelectionSet{fc.Field.Selections}, p)); err != nil {
		return nil, err
	}
	return p, nil
}

// Lookup serves the root node and nodes fields.
func (pl *Planner) Lookup(ctx context.Context, ids []string) ([]*graph.Node, error) {
	if len(ids) > pl.pages().Max {
		return nil, graph.FieldError("ids", "at most %d ids at once, got %d", pl.pages().Max, len(ids))
	}
	fc := graphql.GetFieldContext(ctx)
	op := graphql.GetOperationContext(ctx)
	// The hops selected on the nodes, whatever their kinds, are read with them.
	nested, keys := pl.nestedFields(op, []ast.SelectionSet{fc.Field.Selections}, graph.NodeKinds, nestDepth, map[string]bool{})
	nodes, pages, err := pl.Graph.Lookup(ctx, ids, nested)
	if err != nil {
		return nil, err
	}
	putPages(ctx, keys, pages)
	var found []*graph.Node
	for _, n := range nodes {
		if n != nil {
			found = append(found, n)
		}
	}
	if err := pl.prefetch(ctx, []pending{{sels: []ast.SelectionSet{fc.Field.Selections}, nodes: found}}); err != nil {
		return nil, err
	}
	return nodes, nil
}

// pending is a set of selections to apply to a set of nodes.
type pending struct {
	sels  []ast.SelectionSet
	nodes []*graph.Node
}

// prefetch walks the selections level by level and loads every @hop and @batch field selected
// on the nodes, one call per distinct field and arguments at each level.
func (pl *Planner) prefetch(ctx context.Context, level []pending) error {
	op := graphql.GetOperationContext(ctx)
	cache := cacheOf(ctx)
	for len(level) > 0 {
		requests := map[string]*request{}
		var order []string
		for _, p := range level {
			byKind := map[graph.NodeKind][]*graph.Node{}
			for _, n := range p.nodes {
				byKind[n.Label] = append(byKind[n.Label], n)
			}
			for kind, ns := range byKind {
				for _, sel := range p.sels {
					for _, f := range graphql.CollectFields(op, sel, satisfies(string(kind))) {
						l, ok, err := pl.loaderFor(f.Definition, f.ArgumentMap(op.Variables), f.Selections)
						if !ok || err != nil {
							continue // not a batched field, or the field's resolver reports the error
						}
						req := requests[l.key]
						if req == nil {
							req = &request{l: l, seen: map[string]bool{}}
							requests[l.key] = req
							order = append(order, l.key)
						}
						ids := make([]string, len(ns))
						for i, n := range ns {
							ids[i] = n.ID
							if !req.seen[n.ID] {
								req.seen[n.ID] = true
								req.ids = append(req.ids, n.ID)
							}
						}
						req.follows = append(req.follows, follower{ids: ids, sels: []ast.SelectionSet{f.Selections}})
					}
				}
			}
		}
		var hops []graph.HopCall
		var hopKeys []string
		for _, key := range order {
			req := requests[key]
			var missing []string
			for _, id := range req.ids {
				if _, ok := cache.get(key, id); !ok {
					missing = append(missing, id)
				}
			}
			switch {
			case len(missing) == 0:
			case req.l.hop != nil:
				nested, keys := pl.nestedHops(op, req.l, req.follows)
				hops = append(hops, graph.HopCall{IDs: missing, Query: *req.l.hop, Nested: nested})
				hopKeys = append(append(hopKeys, key), keys...)
			default:
				values, err := req.l.fetch(ctx, missing)
				if err != nil {
					return err
				}
				cache.put(key, values)
			}
		}
		if err := pl.loadHops(ctx, cache, hops, hopKeys); err != nil {
			return err
		}
		var next []pending
		for _, key := range order {
			req := requests[key]
			for _, f := range req.follows {
				for _, id := range f.ids {
					if v, ok := cache.get(key, id); ok {
						next = append(next, follow(f.sels, req.l.followed(v))...)
					}
				}
			}
		}
		level = merge(next)
	}
	return nil
}

// merge joins the pendings that apply the same selections, so that each level issues one call
// per field whatever the number of parents.
func merge(ps []pending) []pending {
	var out []pending
	index := map[string]int{}
	for _, p := range ps {
		if len(p.nodes) == 0 || len(p.sels) == 0 {
			continue
		}
		k := fmt.Sprintf("%p", p.sels[0])
		for _, s := range p.sels[1:] {
			k += fmt.Sprintf(",%p", s)
		}
		if i, ok := index[k]; ok {
			out[i].nodes = append(out[i].nodes, p.nodes...)
			continue
		}
		index[k] = len(out)
		out = append(out, p)
	}
	return out
}

// sub returns the selection sets found by following field names from sels (through fragments).
func sub(sels []ast.SelectionSet, path ...string) []ast.SelectionSet {
	if len(path) == 0 {
		return sels
	}
	var out []ast.SelectionSet
	var walk func(ast.SelectionSet)
	walk = func(sel ast.SelectionSet) {
		for _, s := range sel {
			switch s := s.(type) {
			case *ast.Field:
				if s.Name == path[0] {
					out = append(out, s.SelectionSet)
				}
			case *ast.InlineFragment:
				walk(s.SelectionSet)
			case *ast.FragmentSpread:
				if s.Definition != nil {
					walk(s.Definition.SelectionSet)
				}
			}
		}
	}
	for _, sel := range sels {
		walk(sel)
	}
	return sub(out, path[1:]...)
}

// entries are the selections made on a connection's entries: `nodes` and `edges { node }`.
func entries(sels []ast.SelectionSet) []ast.SelectionSet {
	return append(sub(sels, "nodes"), sub(sels, "edges", "node")...)
}

// follow returns, for a value a field returned and the selections made on it, the nodes that
// sub-selections apply to: what the answer says it holds (graph.Parent). Values that hold no
// nodes (counts) have nothing to follow.
func follow(sels []ast.SelectionSet, v any) []pending {
	p, ok := v.(graph.Parent)
	if !ok {
		return nil
	}
	var out []pending
	for _, c := range p.ChildNodes() {
		base := sels
		if c.Entries {
			base = entries(sels)
		}
		out = append(out, pending{sels: sub(base, c.Path...), nodes: c.Nodes})
	}
	return out
}

var satisfiesCache sync.Map // type name → []string

// satisfies lists the type names a fragment may name to apply to an object of this type: the
// type, its interfaces and its unions.
func satisfies(typeName string) []string {
	if v, ok := satisfiesCache.Load(typeName); ok {
		return v.([]string)
	}
	out := []string{typeName}
	if def := schema().Types[typeName]; def != nil {
		for _, d := range schema().GetImplements(def) {
			out = append(out, d.Name)
		}
	}
	satisfiesCache.Store(typeName, out)
	return out
}

// Walk prefetches what the current root field selects below the answer it returns.
func (pl *Planner) Walk(ctx context.Context, v graph.Parent) error {
	return pl.prefetch(ctx, follow([]ast.SelectionSet{graphql.GetFieldContext(ctx).Field.Selections}, v))
}
