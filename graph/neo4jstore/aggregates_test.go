package neo4jstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
	"github.com/gongjian/gongjian/seed"
)

// aggregateStore is a store on the test database that keeps the statistics of its cities and
// districts, loaded with the demo.
func aggregateStore(t *testing.T) *neo4jstore.Store {
	t.Helper()
	ctx := context.Background()
	s, err := neo4jstore.Open(neo4jstore.Config{URI: storetest.URI(t), Database: "neo4j", MaxRetryTime: 2 * time.Second,
		QueryTimeout: storetest.Patience(5*time.Minute, 0), AggregateKinds: []graph.PlaceKind{graph.PlaceCity, graph.PlaceDistrict}},
		storetest.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	storetest.Emptied(t, s)
	d, err := seed.Build("demo", 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(ctx, s, d, 5000, nil); err != nil {
		t.Fatal(err)
	}
	return s
}

// keptPlaces are the ids of the demo's cities and districts.
func keptPlaces(t *testing.T, s *neo4jstore.Store) []string {
	t.Helper()
	return idList(t, s, `MATCH (p:Place) WHERE p.kind IN ['CITY', 'DISTRICT'] RETURN collect(p.id) AS ids`)
}

func idList(t *testing.T, s *neo4jstore.Store, query string) []string {
	t.Helper()
	v, err := storetest.Value(context.Background(), s, query, nil, "ids")
	if err != nil {
		t.Fatal(err)
	}
	return graph.StringList(v)
}

// levelSets are the sets of coverage levels a question may ask for.
var levelSets = [][]graph.CoverageLevel{nil, {graph.LevelIndirect}, {graph.LevelIndirect, graph.LevelDirect}}

// sameAsLive checks that every kept place's statistics (and the first one's at each set of
// levels) are those computed from the graph, and returns how many answers came from the
// figures kept.
func sameAsLive(t *testing.T, s *neo4jstore.Store, places []string, when string) int64 {
	t.Helper()
	ctx := context.Background()
	before, _, _ := s.AggregateCounts()
	today, start := graph.Today(), time.Now()
	for i, id := range places {
		sets := levelSets[:1]
		if i == 0 {
			sets = levelSets
		}
		for _, levels := range sets {
			got, err := s.Statistics(ctx, id, nil, levels, nil)
			if err != nil {
				t.Fatalf("%s: statistics of %s: %v", when, id, err)
			}
			want, err := s.StatisticsLive(ctx, id, today, levels)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := asJSON(got), asJSON(want); g != w {
				t.Errorf("%s: statistics of %s at %v:\n got %s\nwant %s", when, id, levels, g, w)
			}
		}
	}
	after, _, _ := s.AggregateCounts()
	t.Logf("%s: compared in %s", when, time.Since(start).Round(time.Millisecond))
	return after - before
}

// checks is how many answers sameAsLive compares for n places.
func checks(n int) int64 { return int64(n - 1 + len(levelSets)) }

func asJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// The statistics kept equal those computed from the graph after random writes: stale ones
// are never served (a question between a write and the refresh is answered from the graph),
// and refreshed ones are served and equal. A load that writes without events (the seed
// loader) makes them stale too.
func TestAggregatesEqualRecomputedAfterRandomWrites(t *testing.T) {
	ctx := context.Background()
	s := aggregateStore(t)
	places := keptPlaces(t, s)
	if len(places) < 3 {
		t.Fatalf("the demo has %d cities and districts", len(places))
	}
	n, err := s.RefreshAggregates(ctx)
	if err != nil || n != len(places) {
		t.Fatalf("refresh computed %d of %d places: %v", n, len(places), err)
	}
	if n, err := s.RefreshAggregates(ctx); err != nil || n != 0 {
		t.Fatalf("a second refresh with nothing written computed %d places: %v", n, err)
	}
	if served := sameAsLive(t, s, places, "after the first refresh"); served != checks(len(places)) {
		t.Errorf("%d of %d answers came from the figures kept", served, checks(len(places)))
	}
	communities := idList(t, s, `MATCH (p:Place {kind: 'COMMUNITY'}) RETURN collect(p.id) AS ids`)
	people := idList(t, s, `MATCH (p:Person) RETURN collect(p.id) AS ids`)
	rnd := rand.New(rand.NewPCG(7, 14))
	pick := func(xs []string) string { return xs[rnd.IntN(len(xs))] }
	yesterday := graph.DateOf(time.Now().AddDate(0, 0, -2)).String()
	for round := range 4 {
		var ops []graph.Operation
		for i := range 1 + rnd.IntN(4) {
			unit := fmt.Sprintf("unit:aggtest:%d-%d", round, i)
			switch rnd.IntN(5) {
			case 0: // a new unit stationed in a community, with a member working in it
				ops = append(ops,
					graph.Operation{Op: graph.OpUpsertNode, NodeKind: graph.KindUnit, ID: unit, Props: map[string]any{"name": "测试单位" + unit, "kind": "STATE_OWNED_ENTERPRISE"}},
					graph.Operation{Op: graph.OpLink, Rel: graph.RelStationedIn, From: unit, To: pick(communities)},
					graph.Operation{Op: graph.OpLink, Rel: graph.RelWorksIn, From: pick(people), To: unit})
			case 1: // a member reports to a community
				ops = append(ops, graph.Operation{Op: graph.OpLink, Rel: graph.RelReportsTo, From: pick(people), To: pick(communities)})
			case 2: // a unit's stationing ended
				u := idList(t, s, `MATCH (u:Unit)-[:STATIONED_IN]->(p:Place) WITH u, p ORDER BY u.id LIMIT 40 RETURN collect(u.id + '|' + p.id) AS ids`)
				from, to, _ := strings.Cut(pick(u), "|")
				ops = append(ops, graph.Operation{Op: graph.OpLink, Rel: graph.RelStationedIn, From: from, To: to, Props: map[string]any{"until": yesterday}})
			case 3: // a member deleted
				ops = append(ops, graph.Operation{Op: graph.OpDeleteNode, NodeKind: graph.KindPerson, ID: pick(people)})
			case 4: // a community moved under another street
				streets := idList(t, s, `MATCH (p:Place {kind: 'STREET'}) RETURN collect(p.id) AS ids`)
				c := pick(communities)
				old := idList(t, s, fmt.Sprintf(`MATCH (:Place {id: %q})-[:PART_OF]->(p) RETURN collect(p.id) AS ids`, c))
				for _, o := range old {
					ops = append(ops, graph.Operation{Op: graph.OpUnlink, Rel: graph.RelPartOf, From: c, To: o})
				}
				ops = append(ops, graph.Operation{Op: graph.OpLink, Rel: graph.RelPartOf, From: c, To: pick(streets)})
			}
		}
		if _, err := s.Apply(ctx, "aggtest", ops); err != nil {
			// A random delete may have removed a node a later operation names: refused whole.
			t.Logf("round %d: %v", round, err)
			continue
		}
		people = idList(t, s, `MATCH (p:Person) RETURN collect(p.id) AS ids`)
		if served := sameAsLive(t, s, places, fmt.Sprintf("round %d, before the refresh", round)); served != 0 {
			t.Errorf("round %d: %d answers came from stale figures", round, served)
		}
		if n, err := s.RefreshAggregates(ctx); err != nil || n != len(places) {
			t.Fatalf("round %d: refresh computed %d of %d places: %v", round, n, len(places), err)
		}
		if served := sameAsLive(t, s, places, fmt.Sprintf("round %d, after the refresh", round)); served != checks(len(places)) {
			t.Errorf("round %d: %d of %d answers came from the figures kept", round, served, checks(len(places)))
		}
	}
	// A bulk write (no events), marked as the seed loader marks its loads, makes the figures
	// stale; so does a question about another day.
	if err := s.MarkBulkWrite(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.UpsertEdges(ctx, graph.RelReportsTo, []neo4jstore.EdgeRow{{From: pick(people), To: pick(communities)}}); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkBulkWrite(ctx); err != nil {
		t.Fatal(err)
	}
	if served := sameAsLive(t, s, places, "after a bulk load"); served != 0 {
		t.Errorf("%d answers came from figures computed before a bulk load", served)
	}
	if _, err := s.RefreshAggregates(ctx); err != nil {
		t.Fatal(err)
	}
	earlier := graph.DateOf(time.Now().AddDate(-1, 0, 0))
	before, _, _ := s.AggregateCounts()
	if _, err := s.Statistics(ctx, places[0], &earlier, nil, nil); err != nil {
		t.Fatal(err)
	}
	if after, _, _ := s.AggregateCounts(); after != before {
		t.Error("a question about a year ago was answered from today's figures")
	}
}
