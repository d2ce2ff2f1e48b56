package neo4jstore_test

import (
	"context"
	"testing"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
	"github.com/gongjian/gongjian/seed"
)

// A local question costs what its neighbourhood costs, whatever else the database holds: the
// database hits of each question about one community, street or district of the province
// profile's first district are the same once another district of its city and a district of
// another city are loaded beside it (PROFILE's db hits, not time).
func TestLocalQuestionsDoNotGrowWithTheGraph(t *testing.T) {
	ctx := context.Background()
	s := storetest.Emptied(t, storetest.Open(t, ""))
	src, err := seed.Open("province", 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(ctx, s, src.Chunk(0), 5000, nil); err != nil {
		t.Fatal(err)
	}
	first := func(kind string) string {
		v, err := storetest.Value(ctx, s, `MATCH (p:Place {kind: $k}) RETURN p.id AS id ORDER BY p.id LIMIT 1`, map[string]any{"k": kind}, "id")
		id, _ := v.(string)
		if err != nil || id == "" {
			t.Fatalf("no %s: %v", kind, err)
		}
		return id
	}
	community, street, district := first("COMMUNITY"), first("STREET"), first("DISTRICT")
	asOf := graph.Today()
	questions := map[string]func(){
		"coverage of a community": func() {
			_, _ = s.Coverage(ctx, []string{community}, graph.CoverageFilter{AsOf: &asOf}, graph.Order{}, graph.Slice{Limit: 50})
		},
		"cross-unit reporters into a street": func() {
			_, _ = s.CrossUnitReports(ctx, graph.ReportingFilter{Within: street, AsOf: &asOf}, graph.Order{}, graph.Slice{Limit: 50})
		},
		"coverage gaps of a district": func() {
			_, _ = s.CoverageGaps(ctx, graph.GapFilter{Within: district, MinUnits: 3, Coverage: graph.CoverageFilter{AsOf: &asOf}}, graph.Order{}, graph.Slice{Limit: 50})
		},
		"statistics of a district": func() { _, _ = s.Statistics(ctx, district, &asOf, nil, nil) },
	}
	// Each measurement is planned afresh on statistics resampled from what is loaded, so the
	// comparison is of the plans Neo4j picks for each size, not of a plan cached from before.
	replan := func() {
		for _, q := range []string{"CALL db.resampleOutdatedIndexes()", "CALL db.awaitIndexes(300)", "CALL db.clearQueryCaches()"} {
			if err := s.Write(ctx, func(ctx context.Context, tx neo4jstore.Tx) error {
				res, err := tx.Run(ctx, q, nil)
				if err == nil {
					_, err = res.Consume(ctx)
				}
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	replan()
	before := map[string]int64{}
	for name, q := range questions {
		before[name] = s.DBHits(q)
	}
	// The province has ten cities of 21 districts: chunk 1 is a sibling district, chunk 21 the
	// first district of the next city.
	for _, i := range []int{1, 21} {
		if _, err := seed.Load(ctx, s, src.Chunk(i), 5000, nil); err != nil {
			t.Fatal(err)
		}
	}
	replan()
	for name, q := range questions {
		after := s.DBHits(q)
		storetest.Record(t, "db hits of %s: %d with one district, %d with three in two cities", name, before[name], after)
		if after != before[name] {
			t.Errorf("%s: %d db hits with one district, %d once unrelated ones are loaded", name, before[name], after)
		}
	}
}
