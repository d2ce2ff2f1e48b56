package neo4jstore_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
	"github.com/gongjian/gongjian/seed"
)

// demoStore is the test database emptied and loaded with the demo, and a reader of a list
// of ids from it ("ids" of a statement's single record).
func demoStore(t *testing.T) (*neo4jstore.Store, func(query string) []string) {
	t.Helper()
	ctx := context.Background()
	s := storetest.Emptied(t, storetest.Open(t, ""))
	d, err := seed.Build("demo", 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(ctx, s, d, 5000, nil); err != nil {
		t.Fatal(err)
	}
	return s, func(query string) []string {
		v, err := storetest.Value(ctx, s, query, nil, "ids")
		if err != nil {
			t.Fatal(err)
		}
		return graph.StringList(v)
	}
}

// Several hops read in one statement (Hops) give each the pages it gives alone: with filters
// and their parameters (of the same names in every hop), pages from the start and from the
// end, counts alone, unknown ids and hops asked for no id.
func TestHopsEqualEachHopAlone(t *testing.T) {
	ctx := context.Background()
	s, ids := demoStore(t)
	communities := ids(`MATCH (p:Place {kind: 'COMMUNITY'}) WITH p ORDER BY p.id RETURN collect(p.id)[..6] AS ids`)
	units := ids(`MATCH (u:Unit) WHERE EXISTS { (u)-[:HOLDS]->() } WITH u ORDER BY u.id RETURN collect(u.id)[..6] AS ids`)
	district := ids(`MATCH (p:Place {kind: 'DISTRICT'}) WITH p ORDER BY p.id RETURN collect(p.id)[..1] AS ids`)
	if len(communities) == 0 || len(units) == 0 || len(district) == 0 {
		t.Fatalf("the demo has no communities, units with seats or district: %v %v %v", communities, units, district)
	}
	hop := func(rel graph.RelKind, out bool, to ...graph.NodeKind) graph.Hop {
		return graph.Hop{Rel: rel, Out: out, To: to}
	}
	calls := []graph.HopCall{
		{IDs: append(communities, "place:nowhere"), Query: graph.HopQuery{Hop: hop(graph.RelStationedIn, false, graph.KindUnit),
			Order: graph.Order{Key: graph.SortName}, Slice: graph.Slice{Limit: 3, List: "units"}}},
		{IDs: communities, Query: graph.HopQuery{Hop: hop(graph.RelReportsTo, false, graph.KindPerson), Slice: graph.Slice{Limit: 0}}},
		{IDs: communities, Query: graph.HopQuery{Hop: hop(graph.RelStationedIn, false, graph.KindUnit),
			Filter: graph.Filter{Within: district[0], Name: "社区"}, Slice: graph.Slice{Offset: 1, Limit: 2, FromEnd: true}}},
		{IDs: units, Query: graph.HopQuery{Hop: hop(graph.RelHolds, true, graph.KindSeat), Order: graph.Order{Key: graph.SortID, Descending: true}, Slice: graph.Slice{Limit: 5}}},
		{IDs: units, Query: graph.HopQuery{Hop: hop(graph.RelPartyTo, true, graph.KindAgreement), Slice: graph.Slice{Limit: 20}}},
		{IDs: nil, Query: graph.HopQuery{Hop: hop(graph.RelPartOf, true, graph.KindPlace), Slice: graph.Slice{Limit: 1}}},
		// The level below read with its parent: seats, their committee and what it covers (a
		// count, and a page from the end filtered by place), two levels down.
		{IDs: units, Query: graph.HopQuery{Hop: hop(graph.RelHolds, true, graph.KindSeat), Slice: graph.Slice{Limit: 4}}, Nested: []graph.HopCall{
			{Query: graph.HopQuery{Hop: hop(graph.RelSeatOn, true, graph.KindCommittee), Slice: graph.Slice{Limit: 1}}, Nested: []graph.HopCall{
				{Query: graph.HopQuery{Hop: hop(graph.RelCovers, true, graph.KindPlace), Slice: graph.Slice{Limit: 0}}},
				{Query: graph.HopQuery{Hop: hop(graph.RelCovers, true, graph.KindPlace), Filter: graph.Filter{Within: district[0]},
					Slice: graph.Slice{Limit: 2, FromEnd: true}}},
			}},
			{Query: graph.HopQuery{Hop: hop(graph.RelHolds, false, graph.KindUnit, graph.KindPartyOrg), Slice: graph.Slice{Limit: 3}}},
		}},
	}
	all, err := s.Hops(ctx, calls)
	if err != nil {
		t.Fatal(err)
	}
	comparePages(t, s, calls, all, nil)
	if _, err := s.Hops(ctx, []graph.HopCall{calls[0], {IDs: units, Query: graph.HopQuery{Hop: graph.Hop{Rel: "NOT_A_KIND"}}}}); err == nil || graph.ErrorCode(err) == "" {
		t.Fatalf("a hop of an unknown relationship kind: %v", err)
	}
}

// comparePages checks the pages of calls read together (all, in pre-order) against each hop
// read alone: the calls at the top for their ids (or for top, when given), nested ones for
// every node of their parent's pages.
func comparePages(t *testing.T, s *neo4jstore.Store, calls []graph.HopCall, all []map[string]*graph.Page, top []string) {
	t.Helper()
	ctx := context.Background()
	edges, nested, next := 0, 0, 0
	var check func(calls []graph.HopCall, ids []string, depth int)
	check = func(calls []graph.HopCall, ids []string, depth int) {
		for _, c := range calls {
			if depth == 0 && top == nil {
				ids = c.IDs
			}
			got := all[next]
			next++
			alone, err := s.Hop(ctx, ids, c.Query)
			if err != nil {
				t.Fatal(err)
			}
			if depth > 0 || top != nil {
				nested += len(got)
			}
			if !reflect.DeepEqual(got, alone) {
				t.Errorf("hop %d (%s, depth %d): together %v, alone %v", next-1, c.Query.Hop.Rel, depth, got, alone)
			}
			var below []string
			for _, p := range alone {
				edges += len(p.Edges)
				for _, e := range p.Edges {
					below = append(below, e.Node.ID)
				}
			}
			check(c.Nested, below, depth+1)
		}
	}
	check(calls, top, 0)
	if next != len(all) {
		t.Fatalf("%d pages read for %d calls", len(all), next)
	}
	if edges == 0 || nested == 0 {
		t.Fatalf("%d edges, %d nested pages: the comparison proves nothing", edges, nested)
	}
}

// A lookup read with hops nested under it gives the nodes a lookup alone gives, and each
// hop's pages as the hop alone gives them, for the nodes found.
func TestLookupWithHopsEqualsNodesAndHops(t *testing.T) {
	ctx := context.Background()
	s, ids := demoStore(t)
	units := ids(`MATCH (u:Unit) WHERE EXISTS { (u)-[:HOLDS]->() } WITH u ORDER BY u.id RETURN collect(u.id)[..4] AS ids`)
	places := ids(`MATCH (p:Place {kind: 'COMMUNITY'}) WITH p ORDER BY p.id RETURN collect(p.id)[..2] AS ids`)
	asked := append(append(units, places...), "unit:nowhere")
	hop := func(rel graph.RelKind, out bool, limit int, to ...graph.NodeKind) graph.HopQuery {
		return graph.HopQuery{Hop: graph.Hop{Rel: rel, Out: out, To: to}, Slice: graph.Slice{Limit: limit}}
	}
	nested := []graph.HopCall{
		{Query: hop(graph.RelHolds, true, 5, graph.KindSeat), Nested: []graph.HopCall{
			{Query: hop(graph.RelSeatOn, true, 1, graph.KindCommittee), Nested: []graph.HopCall{{Query: hop(graph.RelCovers, true, 0, graph.KindPlace)}}},
		}},
		{Query: hop(graph.RelPartyTo, true, 20, graph.KindAgreement)},
		{Query: hop(graph.RelStationedIn, false, 3, graph.KindUnit)},
	}
	nodes, pages, err := s.Lookup(ctx, asked, nested)
	if err != nil {
		t.Fatal(err)
	}
	alone, err := s.Nodes(ctx, asked)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(nodes, alone) || nodes[len(nodes)-1] != nil {
		t.Fatalf("the lookup with hops found %v, alone %v", nodes, alone)
	}
	comparePages(t, s, nested, pages, asked[:len(asked)-1])
}

// A list read with hops nested under it gives the page the list alone gives, and each hop's
// pages as the hop alone gives them, for the nodes of the page: within a place, from the
// start and from the end.
func TestListWithHopsEqualsListAndHops(t *testing.T) {
	ctx := context.Background()
	s, ids := demoStore(t)
	district := ids(`MATCH (p:Place {kind: 'DISTRICT'}) WITH p ORDER BY p.id RETURN collect(p.id)[..1] AS ids`)[0]
	hop := func(rel graph.RelKind, out bool, limit int, to ...graph.NodeKind) graph.HopQuery {
		return graph.HopQuery{Hop: graph.Hop{Rel: rel, Out: out, To: to}, Slice: graph.Slice{Limit: limit}}
	}
	nested := []graph.HopCall{
		{Query: hop(graph.RelStationedIn, false, 5, graph.KindUnit), Nested: []graph.HopCall{
			{Query: hop(graph.RelHolds, true, 3, graph.KindSeat)},
			{Query: hop(graph.RelOrgOf, false, 0, graph.KindPartyOrg)},
		}},
		{Query: hop(graph.RelPartOf, true, 1, graph.KindPlace)},
	}
	for _, sl := range []graph.Slice{{Limit: 15}, {Offset: 2, Limit: 7, FromEnd: true}} {
		q := graph.ListQuery{Kind: graph.KindPlace, Filter: graph.Filter{Within: district, Props: map[string][]string{"kind": {"COMMUNITY"}}}, Slice: sl}
		page, pages, err := s.List(ctx, q, nested)
		if err != nil {
			t.Fatal(err)
		}
		alone, none, err := s.List(ctx, q, nil)
		if err != nil || len(none) != 0 {
			t.Fatal(err, none)
		}
		if !reflect.DeepEqual(page, alone) || len(page.Edges) == 0 {
			t.Fatalf("the list with hops %v, alone %v", page, alone)
		}
		var found []string
		for _, n := range alone.Nodes() {
			found = append(found, n.ID)
		}
		comparePages(t, s, nested, pages, found)
	}
}
