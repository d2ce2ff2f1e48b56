package planner

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/gongjian/gongjian/graph"
)

// A follower is a set of parent nodes and the selections made on what a field gives them.
type follower struct {
	ids  []string
	sels []ast.SelectionSet
}

// A request is one field, with its arguments, loaded for the nodes of a level.
type request struct {
	l       loader
	ids     []string
	seen    map[string]bool
	follows []follower
}

// putPages puts pages read for the fields of these cache keys into the request's cache.
func putPages(ctx context.Context, keys []string, pages []map[string]*graph.Page) {
	cache := cacheOf(ctx)
	for i, p := range pages {
		cache.put(keys[i], anyMap(p))
	}
}

// nestDepth is how many levels below a statement's own are read with it.
const nestDepth = 2

// nestedHops are the @hop fields selected on what a hop field gives (its entries, or its
// node), read in the same statement for every node it reaches, and their cache keys in
// pre-order: the levels below, down to nestDepth, cost no round trip of their own.
func (pl *Planner) nestedHops(op *graphql.OperationContext, l loader, follows []follower) ([]graph.HopCall, []string) {
	var sels []ast.SelectionSet
	for _, f := range follows {
		sels = append(sels, f.sels...)
	}
	return pl.nestedFields(op, under(l, sels), l.hop.Hop.To, nestDepth, map[string]bool{})
}

// under are the selections that apply to the nodes a field's value holds: its entries', or,
// for a single node, the field's own.
func under(l loader, sels []ast.SelectionSet) []ast.SelectionSet {
	if l.single {
		return sels
	}
	return entries(sels)
}

// nestedFields are the @hop fields selected by sels on nodes of these kinds, each with the
// fields selected below it down to depth levels, and their cache keys in pre-order; seen
// keeps a field from being read twice at one level.
func (pl *Planner) nestedFields(op *graphql.OperationContext, sels []ast.SelectionSet, kinds []graph.NodeKind, depth int, seen map[string]bool) ([]graph.HopCall, []string) {
	if depth == 0 {
		return nil, nil
	}
	var calls []graph.HopCall
	var keys []string
	for _, kind := range kinds {
		for _, sel := range sels {
			for _, c := range graphql.CollectFields(op, sel, satisfies(string(kind))) {
				cl, ok, err := pl.loaderFor(c.Definition, c.ArgumentMap(op.Variables), c.Selections)
				if !ok || err != nil || cl.hop == nil || seen[cl.key] {
					continue
				}
				seen[cl.key] = true
				below, belowKeys := pl.nestedFields(op, under(cl, []ast.SelectionSet{c.Selections}), cl.hop.Hop.To, depth-1, map[string]bool{})
				calls = append(calls, graph.HopCall{Query: *cl.hop, Nested: below})
				keys = append(append(keys, cl.key), belowKeys...)
			}
		}
	}
	return calls, keys
}

// loadHops reads the hops of one level, and those nested in them, into the cache: one Hop call
// for a single hop with none nested, one Hops call otherwise. keys are the calls' cache keys
// in pre-order.
func (pl *Planner) loadHops(ctx context.Context, cache *requestCache, hops []graph.HopCall, keys []string) error {
	switch {
	case len(hops) == 0:
		return nil
	case len(hops) == 1 && len(hops[0].Nested) == 0:
		pages, err := pl.Graph.Hop(ctx, hops[0].IDs, hops[0].Query)
		if err != nil {
			return err
		}
		cache.put(keys[0], anyMap(pages))
		return nil
	}
	all, err := pl.Graph.Hops(ctx, hops)
	if err != nil {
		return err
	}
	putPages(ctx, keys, all)
	return nil
}
