package neo4jstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
)

// scans lists the operators of a plan that read every node of a label (or every node).
func scans(p neo4j.Plan, out *[]string) {
	op := p.Operator()
	if strings.HasPrefix(op, "AllNodesScan") || strings.HasPrefix(op, "NodeByLabelScan") {
		*out = append(*out, fmt.Sprintf("%s %v", op, p.Arguments()["Details"]))
	}
	for _, c := range p.Children() {
		scans(c, out)
	}
}

// The questions about one community, or one unit, start from it through the id index: their
// plans scan no label of members or units (nor all nodes), whatever the size of the graph.
func TestSingleCommunityQuestionsUseIndexes(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, "")
	if err := s.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
	const community, unit = "place:xinmi:jinfenglu", "unit:xinmi:dongfangwa"
	sl := graph.Slice{Limit: 20}
	asOf := graph.DateOf(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	questions := map[string]func(ctx context.Context){
		"coverage": func(ctx context.Context) {
			_, _ = s.Coverage(ctx, []string{community}, graph.CoverageFilter{AsOf: &asOf, UnitKinds: []graph.UnitKind{graph.UnitSchool}}, graph.Order{}, sl)
		},
		"footprint": func(ctx context.Context) {
			_, _ = s.Footprint(ctx, []string{unit}, graph.CoverageFilter{}, graph.Order{}, sl)
		},
		"cross-unit reporting": func(ctx context.Context) {
			_, _ = s.CrossUnitReports(ctx, graph.ReportingFilter{Within: community, Categories: []graph.MemberCategory{graph.MemberInService}}, graph.Order{}, sl)
		},
		"reporting flows": func(ctx context.Context) {
			_, _ = s.ReportingFlows(ctx, graph.ReportingFilter{Within: community}, graph.Order{}, sl)
		},
		"coverage gaps": func(ctx context.Context) {
			_, _ = s.CoverageGaps(ctx, graph.GapFilter{Within: community, MinUnits: 3}, graph.Order{}, sl)
		},
		"statistics": func(ctx context.Context) { _, _ = s.Statistics(ctx, community, nil, nil, nil) },
		"reporting members": func(ctx context.Context) {
			_, _ = s.Hop(ctx, []string{community}, graph.HopQuery{Hop: graph.Hop{Rel: graph.RelReportsTo, To: []graph.NodeKind{graph.KindPerson}},
				Filter: graph.Filter{Name: "王", Props: map[string][]string{"category": {"IN_SERVICE"}}}, Slice: sl})
		},
		"the hops of one level, together": func(ctx context.Context) {
			_, _ = s.Hops(ctx, []graph.HopCall{
				{IDs: []string{community}, Query: graph.HopQuery{Hop: graph.Hop{Rel: graph.RelReportsTo, To: []graph.NodeKind{graph.KindPerson}}, Slice: sl}},
				{IDs: []string{community}, Query: graph.HopQuery{Hop: graph.Hop{Rel: graph.RelStationedIn, To: []graph.NodeKind{graph.KindUnit}},
					Filter: graph.Filter{Within: community}, Slice: sl}},
			})
		},
		"units of the community": func(ctx context.Context) {
			_, _, _ = s.List(ctx, graph.ListQuery{Kind: graph.KindUnit, Filter: graph.Filter{Within: community}, Slice: sl},
				[]graph.HopCall{{Query: graph.HopQuery{Hop: graph.Hop{Rel: graph.RelHolds, Out: true, To: []graph.NodeKind{graph.KindSeat}}, Slice: sl}}})
		},
		"people of the community": func(ctx context.Context) {
			_, _, _ = s.List(ctx, graph.ListQuery{Kind: graph.KindPerson, Filter: graph.Filter{Within: community}, Slice: sl}, nil)
		},
	}
	for name, q := range questions {
		plans := s.Explain(ctx, q)
		if len(plans) == 0 {
			t.Errorf("%s: no statement explained", name)
		}
		for _, p := range plans {
			var found []string
			scans(p.Plan, &found)
			for _, f := range found {
				if strings.Contains(f, ":Person") || strings.Contains(f, ":Unit") || strings.HasPrefix(f, "AllNodesScan") {
					t.Errorf("%s scans %s\n%s", name, f, p.Query)
				}
			}
		}
	}
}
