package resolvers

import (
	"context"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/resolvers/planner"
)

// GraphReader reads the graph; the Neo4j store implements it. Each call is one round trip.
type GraphReader interface {
	// planner.Reader: the relationship fields' pages, lookups, lists and the @batch loaders,
	// which the planner reads for a level at a time.
	planner.Reader
	// The analysts' questions, each one round trip.
	CrossUnitReports(ctx context.Context, f graph.ReportingFilter, o graph.Order, s graph.Slice) (*graph.ReportPage, error)
	ReportingFlows(ctx context.Context, f graph.ReportingFilter, o graph.Order, s graph.Slice) (*graph.FlowPage, error)
	CoverageGaps(ctx context.Context, f graph.GapFilter, o graph.Order, s graph.Slice) (*graph.GapPage, error)
	StreetsWithoutSeats(ctx context.Context, within string, s graph.Slice) ([]*graph.StreetWithoutSeats, int, error)
	Representatives(ctx context.Context, within string, minCommittees int, o graph.Order, s graph.Slice) ([]*graph.Representative, int, error)
	Paths(ctx context.Context, from, to string, maxDepth int, kinds []graph.RelKind, s graph.Slice) (*graph.PathPage, error)
	Statistics(ctx context.Context, placeID string, asOf *graph.Date, levels []graph.CoverageLevel, parts graph.StatisticsParts) (*graph.Statistics, error)
	CountBy(ctx context.Context, placeID string, kind graph.NodeKind, property string, asOf *graph.Date) ([]*graph.KindCount, error)
	CoverageByChild(ctx context.Context, placeID string, asOf *graph.Date) ([]*graph.ChildCoverage, error)
	Search(ctx context.Context, text string, kinds []graph.NodeKind, s graph.Slice) (*graph.SearchPage, error)
	// The network views.
	Neighbourhood(ctx context.Context, q graph.NetworkQuery) (*graph.Network, error)
	Subgraph(ctx context.Context, q graph.NetworkQuery) (*graph.Network, error)
}
