package planner

import (
	"context"

	"github.com/gongjian/gongjian/graph"
)

// Reader is what the planner reads of the graph; the Neo4j store implements it. Each call is
// one round trip.
type Reader interface {
	// Hop returns, for each id, a page of the nodes reached over the query's hop.
	Hop(ctx context.Context, ids []string, q graph.HopQuery) (map[string]*graph.Page, error)
	// Hops returns the pages of several hops, each for its own ids, in one round trip.
	Hops(ctx context.Context, calls []graph.HopCall) ([]map[string]*graph.Page, error)
	// List returns a page of the nodes of one kind and, in the same round trip, the pages of
	// the hops nested under them (one map per call, in pre-order).
	List(ctx context.Context, q graph.ListQuery, nested []graph.HopCall) (*graph.Page, []map[string]*graph.Page, error)
	// Nodes returns the nodes with these ids, nil for unknown ids.
	Nodes(ctx context.Context, ids []string) ([]*graph.Node, error)
	// Lookup returns the nodes with these ids and, in the same round trip, the pages of the
	// hops nested under them (one map per call, in pre-order).
	Lookup(ctx context.Context, ids []string, nested []graph.HopCall) ([]*graph.Node, []map[string]*graph.Page, error)
	// Coverage returns, for each place id, the ways units cover it.
	Coverage(ctx context.Context, placeIDs []string, f graph.CoverageFilter, o graph.Order, s graph.Slice) (map[string]*graph.CoveragePage, error)
	// Footprint returns, for each unit id, the ways it covers places.
	Footprint(ctx context.Context, unitIDs []string, f graph.CoverageFilter, o graph.Order, s graph.Slice) (map[string]*graph.CoveragePage, error)
	// SeatsByUnitKind counts each committee's seats by the kind of unit holding them.
	SeatsByUnitKind(ctx context.Context, ids []string) (map[string][]*graph.KindCount, error)
}
