package planner

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/resolvers/generated"
	"github.com/vektah/gqlparser/v2/ast"
)

// schema is the executable schema's definition, for the @hop directives and union members.
var schema = sync.OnceValue(func() *ast.Schema { return generated.NewExecutableSchema(generated.Config{}).Schema() })

var hops sync.Map // *ast.FieldDefinition → hopInfo

type hopInfo struct {
	hop        graph.Hop
	connection bool // the field returns a connection (else a single node)
	ok         bool
}

// hopOf reads a field's @hop directive: the relationship it follows, and the kinds of node at
// the other end (the field's type, or the members of its union).
func hopOf(def *ast.FieldDefinition) hopInfo {
	if def == nil {
		return hopInfo{}
	}
	if v, ok := hops.Load(def); ok {
		return v.(hopInfo)
	}
	info := hopInfo{}
	if d := def.Directives.ForName("hop"); d != nil {
		info.ok = true
		info.hop.Rel = graph.RelKind(d.Arguments.ForName("rel").Value.Raw)
		info.hop.Out = d.Arguments.ForName("direction").Value.Raw == "OUT"
		target := def.Type.Name()
		if t, ok := strings.CutSuffix(target, "Connection"); ok {
			target, info.connection = t, true
		}
		if def := schema().Types[target]; def != nil && def.Kind == ast.Union {
			for _, t := range def.Types {
				info.hop.To = append(info.hop.To, graph.NodeKind(t))
			}
		} else {
			info.hop.To = []graph.NodeKind{graph.NodeKind(target)}
		}
	}
	hops.Store(def, info)
	return info
}

// hopQuery compiles a relationship field's arguments (as the query gives them, variables
// resolved) into a store query.
func (pl *Planner) hopQuery(def *ast.FieldDefinition, info hopInfo, args map[string]any) (graph.HopQuery, error) {
	q := graph.HopQuery{Hop: info.hop, Slice: graph.Slice{Limit: 1}}
	if !info.connection {
		return q, nil
	}
	var err error
	if q.Filter, err = filterOf(def, args["filter"]); err != nil {
		return q, err
	}
	if q.Order, err = orderArg(args["orderBy"]); err != nil {
		return q, err
	}
	q.Slice, err = pl.sliceArgs(args, listKey(fmt.Sprintf("hop:%s:%t:%v", info.hop.Rel, info.hop.Out, info.hop.To), args))
	return q, err
}

// loader is how one field, with its arguments, is loaded for many nodes at once.
type loader struct {
	key   string
	fetch func(ctx context.Context, ids []string) (map[string]any, error)
	// single says the field is one node (a @hop that is no connection): what is selected on
	// it applies to the node of its page, not to the page's entries.
	single bool
	// hop is the query of a @hop field, whose loads at one level are read together (Hops).
	hop *graph.HopQuery
}

// followed is what a loaded value's sub-selections apply to: the node itself for a
// single-valued field.
func (l loader) followed(v any) any {
	if p, ok := v.(*graph.Page); ok && l.single {
		if len(p.Edges) == 0 {
			return (*graph.Node)(nil)
		}
		return p.Edges[0].Node
	}
	return v
}

// loaderFor returns the loader of a field that follows a relationship (@hop) or has a batch
// loader (@batch); ok is false for other fields.
func (pl *Planner) loaderFor(def *ast.FieldDefinition, args map[string]any, sels ast.SelectionSet) (l loader, ok bool, err error) {
	if info := hopOf(def); info.ok {
		q, err := pl.hopQuery(def, info, args)
		if err != nil {
			return l, true, err
		}
		if info.connection && countsOnly(sels) {
			q.Slice.Limit = 0 // only totalCount is asked for: the store counts and reads no page
		}
		// Neither totalCount nor pageInfo: the store need not count (Slice.Counted).
		q.Slice.NoTotal = info.connection && entriesOnly(sels)
		return loader{key: "hop|" + q.Key(), single: !info.connection, hop: &q, fetch: func(ctx context.Context, ids []string) (map[string]any, error) {
			pages, err := pl.Graph.Hop(ctx, ids, q)
			return anyMap(pages), err
		}}, true, nil
	}
	d := def.Directives.ForName("batch")
	if d == nil {
		return l, false, nil
	}
	switch name := d.Arguments.ForName("loader").Value.Raw; name {
	case "coverage", "footprint":
		f, o, sl, err := pl.coverageArgs(name, args)
		if err != nil {
			return l, true, err
		}
		f.PathLengthsOnly = PathLengthsOnly(sels)
		load := pl.Graph.Coverage
		if name == "footprint" {
			load = pl.Graph.Footprint
		}
		return loader{key: fmt.Sprintf("%s|%v|%v|%v", name, f.Key(), o, sl), fetch: func(ctx context.Context, ids []string) (map[string]any, error) {
			pages, err := load(ctx, ids, f, o, sl)
			return anyMap(pages), err
		}}, true, nil
	case "seatsByUnitKind":
		return loader{key: name, fetch: func(ctx context.Context, ids []string) (map[string]any, error) {
			counts, err := pl.Graph.SeatsByUnitKind(ctx, ids)
			out := make(map[string]any, len(ids))
			for _, id := range ids {
				out[id] = counts[id]
			}
			return out, err
		}}, true, nil
	default:
		return l, true, graph.Errorf(graph.Internal, "unknown batch loader %q", name)
	}
}

// countsOnly tells whether a connection's selection asks for nothing but its totalCount (and
// __typename): no edges, nodes or pageInfo, whose page the store then need not read. A
// fragment spread or inline fragment counts as asking for more.
func countsOnly(sels ast.SelectionSet) bool {
	for _, s := range sels {
		f, ok := s.(*ast.Field)
		if !ok || (f.Name != "totalCount" && f.Name != "__typename") {
			return false
		}
	}
	return len(sels) > 0
}

// entriesOnly tells whether a connection's selection asks for its entries alone (edges, nodes,
// __typename), not for what needs the list's length (totalCount, pageInfo). A fragment spread
// or inline fragment counts as asking for the length.
func entriesOnly(sels ast.SelectionSet) bool {
	for _, s := range sels {
		f, ok := s.(*ast.Field)
		if !ok || (f.Name != "edges" && f.Name != "nodes" && f.Name != "__typename") {
			return false
		}
	}
	return true
}

// PathLengthsOnly tells whether a coverage connection's selection asks of its paths no more
// than their length (and __typename), and does not draw it as a network (graph): the store
// then reads no chain's nodes and relationships. A fragment on a path counts as asking for
// more.
func PathLengthsOnly(sels ast.SelectionSet) bool {
	if len(sub([]ast.SelectionSet{sels}, "graph")) > 0 {
		return false
	}
	for _, path := range sub(entries([]ast.SelectionSet{sels}), "path") {
		for _, s := range path {
			f, ok := s.(*ast.Field)
			if !ok || (f.Name != "length" && f.Name != "__typename") {
				return false
			}
		}
	}
	return true
}

func anyMap[V any](m map[string]V) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
