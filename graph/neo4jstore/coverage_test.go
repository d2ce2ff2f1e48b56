package neo4jstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gongjian/gongjian/graph"
)

// Coverage read with its paths' lengths only gives every way its unit, place, kind, level,
// dates and length as read with the whole paths, in the same order, for places and for units
// (footprint), today and on a day in the past.
func TestCoveragePathLengthsOnlyEqualWholePaths(t *testing.T) {
	ctx := context.Background()
	s, ids := demoStore(t)
	// A unit and its stationing dated at both ends, each differently: its way's since is the
	// later start, its until the earlier end.
	community := ids(`MATCH (p:Place {kind: 'COMMUNITY'}) WITH p ORDER BY p.id RETURN collect(p.id)[..1] AS ids`)[0]
	if _, err := s.Apply(ctx, "test", []graph.Operation{
		{Op: graph.OpUpsertNode, NodeKind: graph.KindUnit, ID: "unit:test:dated", Props: map[string]any{
			"name": "两端有日期的单位", "kind": "STATE_OWNED_ENTERPRISE", "since": "2010-01-01", "until": "2040-01-01"}},
		{Op: graph.OpLink, Rel: graph.RelStationedIn, From: "unit:test:dated", To: community, Props: map[string]any{"since": "2015-03-01", "until": "2035-06-30"}},
	}); err != nil {
		t.Fatal(err)
	}
	dates, err := s.Coverage(ctx, []string{community}, graph.CoverageFilter{PathLengthsOnly: true}, graph.Order{}, graph.Slice{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range dates[community].Items {
		if c.UnitNode.ID == "unit:test:dated" {
			found = true
			if c.Since == nil || c.Since.String() != "2015-03-01" || c.Until == nil || c.Until.String() != "2035-06-30" {
				t.Errorf("the dated unit's way runs from %v to %v, want 2015-03-01 to 2035-06-30", c.Since, c.Until)
			}
		}
	}
	if !found {
		t.Fatalf("the dated unit does not cover %s", community)
	}
	places := ids(`MATCH (p:Place) WHERE p.kind IN ['COMMUNITY', 'VILLAGE', 'STREET'] RETURN collect(p.id) AS ids`)
	units := ids(`MATCH (u:Unit) RETURN collect(u.id) AS ids`)
	past := graph.DateOf(time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC))
	summary := func(p *graph.CoveragePage) []string {
		out := []string{fmt.Sprintf("total %d units %d offset %d", p.Total, p.Units, p.Offset)}
		for _, c := range p.Items {
			out = append(out, fmt.Sprintf("%s %s %s %s %v %v %d", c.UnitNode.ID, c.PlaceNode.ID, c.Kind, c.Level, c.Since, c.Until, c.Path.Length()))
		}
		return out
	}
	ways, dated := 0, 0
	for _, asOf := range []*graph.Date{nil, &past} {
		for name, load := range map[string]func(context.Context, []string, graph.CoverageFilter, graph.Order, graph.Slice) (map[string]*graph.CoveragePage, error){
			"coverage": s.Coverage, "footprint": s.Footprint,
		} {
			list := places
			if name == "footprint" {
				list = units
			}
			for _, o := range []graph.Order{{}, {Key: graph.SortSince, Descending: true}} {
				sl := graph.Slice{Limit: 500}
				whole, err := load(ctx, list, graph.CoverageFilter{AsOf: asOf}, o, sl)
				if err != nil {
					t.Fatal(err)
				}
				short, err := load(ctx, list, graph.CoverageFilter{AsOf: asOf, PathLengthsOnly: true}, o, sl)
				if err != nil {
					t.Fatal(err)
				}
				for _, id := range list {
					w, sh := summary(whole[id]), summary(short[id])
					if fmt.Sprint(w) != fmt.Sprint(sh) {
						t.Fatalf("%s of %s on %v ordered %v:\nwhole paths  %v\nlengths only %v", name, id, asOf, o, w, sh)
					}
					for _, c := range short[id].Items {
						if c.Path.Length() == 0 || len(c.Path.Steps) != 0 {
							t.Fatalf("%s of %s: a path read by its length only has length %d and %d nodes", name, id, c.Path.Length(), len(c.Path.Steps))
						}
						ways++
						if c.Since != nil || c.Until != nil {
							dated++
						}
					}
				}
			}
		}
	}
	if ways == 0 || dated == 0 {
		t.Fatalf("%d ways compared, %d of them dated: the comparison proves little", ways, dated)
	}
	t.Logf("%d ways compared, %d dated", ways, dated)
}

// Coverage asked for its DIRECT ways alone (read without following committees down from the
// places above) gives the DIRECT ways of the whole coverage, for places and for units; and the
// coverage gaps, DIRECT by default, are the communities whose DIRECT ways come from fewer units
// than asked, counted from the whole coverage.
func TestDirectCoverageEqualsTheWholeCoverageFilteredToDirect(t *testing.T) {
	ctx := context.Background()
	s, ids := demoStore(t)
	places := ids(`MATCH (p:Place) WHERE p.kind IN ['COMMUNITY', 'VILLAGE', 'STREET'] RETURN collect(p.id) AS ids`)
	units := ids(`MATCH (u:Unit) RETURN collect(u.id) AS ids`)
	direct := []graph.CoverageLevel{graph.LevelDirect}
	all := graph.Slice{Limit: 500}
	indirect := 0
	for name, load := range map[string]func(context.Context, []string, graph.CoverageFilter, graph.Order, graph.Slice) (map[string]*graph.CoveragePage, error){
		"coverage": s.Coverage, "footprint": s.Footprint,
	} {
		list := places
		if name == "footprint" {
			list = units
		}
		whole, err := load(ctx, list, graph.CoverageFilter{}, graph.Order{}, all)
		if err != nil {
			t.Fatal(err)
		}
		only, err := load(ctx, list, graph.CoverageFilter{Levels: direct}, graph.Order{}, all)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range list {
			var want []string
			for _, c := range whole[id].Items {
				if c.Level != graph.LevelDirect {
					indirect++
					continue
				}
				want = append(want, way(c))
			}
			var got []string
			for _, c := range only[id].Items {
				got = append(got, way(c))
			}
			if fmt.Sprint(got) != fmt.Sprint(want) || only[id].Total != len(want) {
				t.Fatalf("%s of %s, DIRECT alone (total %d):\n%v\nthe whole coverage's DIRECT ways:\n%v", name, id, only[id].Total, got, want)
			}
		}
	}
	if indirect == 0 {
		t.Fatal("the demo has no INDIRECT way: the test proves nothing")
	}
	// The gaps of each district, against the DIRECT units of the whole coverage of its communities.
	districts := ids(`MATCH (d:Place {kind: 'DISTRICT'}) RETURN collect(d.id) AS ids`)
	gaps := 0
	for _, d := range districts {
		communities := ids(fmt.Sprintf(`MATCH (c:Place)-[:PART_OF*0..]->(:Place {id: %q}) WHERE c.kind IN ['COMMUNITY', 'VILLAGE']
			AND NOT EXISTS { (c)-[:MERGED_INTO]->() } AND c.until IS NULL RETURN collect(DISTINCT c.id) AS ids`, d))
		whole, err := s.Coverage(ctx, communities, graph.CoverageFilter{}, graph.Order{}, all)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{}
		for _, c := range communities {
			units := map[string]bool{}
			for _, w := range whole[c].Items {
				if w.Level == graph.LevelDirect {
					units[w.UnitNode.ID] = true
				}
			}
			if len(units) < 3 {
				want[c] = len(units)
			}
		}
		page, err := s.CoverageGaps(ctx, graph.GapFilter{Within: d, MinUnits: 3}, graph.Order{}, all)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, g := range page.Items {
			got[g.PlaceNode.ID] = g.CoveringUnits
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("gaps of %s (fewer than 3 units): %v\nfrom the whole coverage: %v", d, got, want)
		}
		gaps += len(got)
	}
	if gaps == 0 {
		t.Fatal("no gap in the demo's districts: the test proves nothing")
	}
}

// way describes a way of coverage: its ends, kind, level, dates and chain.
func way(c *graph.Coverage) string {
	chain := ""
	for i, n := range c.Path.Steps {
		if i > 0 {
			chain += " -" + string(c.Path.Relationships[i-1].Kind) + "- "
		}
		chain += n.ID
	}
	return fmt.Sprintf("%s %s %s %s %v %v [%s]", c.UnitNode.ID, c.PlaceNode.ID, c.Kind, c.Level, c.Since, c.Until, chain)
}
