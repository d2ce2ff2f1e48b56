package neo4jstore_test

import (
	"context"
	"testing"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
)

func TestTmpAnalysis(t *testing.T) {
	s := storetest.Open(t, "")
	ctx := context.Background()
	if err := s.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
	sl := graph.Slice{Limit: 5}
	rp, err := s.CrossUnitReports(ctx, graph.ReportingFilter{Within: "place:shangjie"}, graph.Order{}, sl)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("reports", rp.Total)
	for _, r := range rp.Items {
		t.Log("  ", r.Member.Name(), r.Community.Name(), r.WorkUnit != nil, r.Organisation.Name())
	}
	fp, err := s.ReportingFlows(ctx, graph.ReportingFilter{Within: "place:shangjie"}, graph.Order{}, sl)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("flows", fp.Total, fp.Members)
	for _, f := range fp.Items {
		t.Log("  ", f.Source.Name(), "→", f.Community.Name(), f.Members)
	}
	gp, err := s.CoverageGaps(ctx, graph.GapFilter{Within: "place:shangjie", MinUnits: 1}, graph.Order{}, sl)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("gaps", gp.Total)
	for _, g := range gp.Items {
		t.Log("  ", g.Place.Name(), g.CoveringUnits)
	}
	sw, n, err := s.StreetsWithoutSeats(ctx, "place:zhengzhou", sl)
	t.Log("streets without seats", n, len(sw), err)
	reps, n, err := s.Representatives(ctx, "place:zhongyuan", 2, graph.Order{}, sl)
	t.Log("reps", n, len(reps), err)
	for _, r := range reps {
		t.Log("  ", r.Person.Name(), r.Committees, len(r.Seats))
	}
	pp, err := s.Paths(ctx, "unit:xinmi:dongfangwa", "place:xinmi:jinfenglu", 4, nil, sl)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("paths", pp.Total)
	for _, p := range pp.Items {
		var names []string
		for _, n := range p.Nodes {
			names = append(names, n.Name())
		}
		t.Log("  ", names)
	}
	for _, q := range []string{"金凤路", "王", "东方娃幼儿园", "社区"} {
		sp, err := s.Search(ctx, q, nil, sl)
		if err != nil {
			t.Fatal(err)
		}
		t.Log("search", q, sp.Total)
		for _, h := range sp.Items {
			t.Log("  ", h.Node.Label, h.Node.Name(), h.Score)
		}
	}
	for _, p := range []string{"place:zhongyuan", "place:xinmi"} {
		st, err := s.Statistics(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s %+v rate %.2f", p, *st, st.CoverageRate())
	}
}
