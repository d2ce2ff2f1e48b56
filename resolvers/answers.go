package resolvers

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/resolvers/model"
	"github.com/gongjian/gongjian/resolvers/planner"
)

// orderOf is the order asked, or the list's default (an empty key).
func orderOf(o *graph.Order) graph.Order {
	if o == nil {
		return graph.Order{}
	}
	return *o
}

// connection builds a connection's edges, nodes and page information from a page of items.
func connection[T any, E any](list string, items []*T, offset, total int, edge func(cursor string, item *T) E) ([]E, []T, *graph.PageInfo) {
	edges, nodes := make([]E, len(items)), make([]T, len(items))
	for i, it := range items {
		edges[i], nodes[i] = edge(graph.EncodeCursor(list, offset+i), it), *it
	}
	return edges, nodes, graph.PageInfoOf(list, offset, len(items), total)
}

// selectedParts are the parts of Statistics that the current field's selection needs (through
// fragments and aliases, @skip and @include applied): a figure not selected is not computed.
func selectedParts(ctx context.Context) graph.StatisticsParts {
	var names []string
	for _, f := range graphql.CollectFieldsCtx(ctx, []string{"Statistics"}) {
		names = append(names, f.Name)
	}
	return graph.PartsOfStatistics(names)
}

func coverageConnection(p *graph.CoveragePage) *model.CoverageConnection {
	edges, nodes, info := connection(p.List, p.Items, p.Offset, p.Total, func(c string, it *graph.Coverage) model.CoverageEdge {
		return model.CoverageEdge{Cursor: c, Node: it}
	})
	return &model.CoverageConnection{Edges: edges, Nodes: nodes, PageInfo: info, TotalCount: p.Total, UnitCount: p.Units, Graph: coverageGraph(p)}
}

// coverageRoot answers Query.coverage and Query.footprint: NOT_FOUND when the id names no
// node of the kind.
func (r *Resolver) coverageRoot(ctx context.Context, footprint bool, id string, filter *graph.CoverageFilter, orderBy *graph.Order, first *int, after *string) (*model.CoverageConnection, error) {
	sl, err := r.plan().Window(ctx)
	if err != nil {
		return nil, err
	}
	f := graph.CoverageFilter{}
	if filter != nil {
		f = *filter
	}
	f.PathLengthsOnly = planner.PathLengthsOnly(graphql.GetFieldContext(ctx).Field.Selections)
	load, kind, field := r.Graph.Coverage, graph.KindPlace, "place"
	if footprint {
		load, kind, field = r.Graph.Footprint, graph.KindUnit, "unit"
	}
	pages, err := load(ctx, []string{id}, f, orderOf(orderBy), sl)
	if err != nil {
		return nil, err
	}
	p := pages[id]
	if p.Total == 0 {
		nodes, err := r.Graph.Nodes(ctx, []string{id})
		if err != nil {
			return nil, err
		}
		if nodes[0] == nil || nodes[0].Label != kind {
			return nil, &graph.Error{Code: graph.NotFound, Field: field, Message: "no " + field + " has the id " + id}
		}
	}
	if err := r.plan().Walk(ctx, p); err != nil {
		return nil, err
	}
	return coverageConnection(p), nil
}

// searchKinds maps the schema's search kinds to node kinds.
var searchKinds = map[model.SearchKind]graph.NodeKind{model.SearchKindPlace: graph.KindPlace, model.SearchKindUnit: graph.KindUnit,
	model.SearchKindPartyOrg: graph.KindPartyOrg, model.SearchKindCommittee: graph.KindCommittee, model.SearchKindPerson: graph.KindPerson}

// MaxNetworkNodes is the largest limit a network answer may ask for.
const MaxNetworkNodes = 5000

// networkQuery validates a network question's common arguments.
func networkQuery(rels []graph.RelKind, kinds []graph.NodeKind, asOf *graph.Date, limit *int) (graph.NetworkQuery, error) {
	q := graph.NetworkQuery{RelKinds: rels, NodeKinds: kinds, AsOf: asOf, Limit: 500}
	if limit != nil {
		if *limit < 1 || *limit > MaxNetworkNodes {
			return q, graph.FieldError("limit", "limit must be between 1 and %d, got %d", MaxNetworkNodes, *limit)
		}
		q.Limit = *limit
	}
	return q, nil
}

// coverageGraph is a page of coverage as a network: units, places and their paths.
func coverageGraph(p *graph.CoveragePage) *graph.Network {
	var b graph.NetworkBuilder
	for _, c := range p.Items {
		b.Path(c.Path)
	}
	return b.Network()
}

// pathsGraph is a page of paths as a network.
func pathsGraph(p *graph.PathPage) *graph.Network {
	var b graph.NetworkBuilder
	for _, path := range p.Items {
		b.Path(path)
	}
	return b.Network()
}

// first0 is the first of two values (a window's offset).
func first0(offset, _ int) int { return offset }
