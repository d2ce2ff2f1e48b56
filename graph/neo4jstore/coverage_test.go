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
