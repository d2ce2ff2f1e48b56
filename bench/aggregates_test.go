package bench

import (
	"context"
	"testing"
	"time"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
)

// Question 7 answered from the statistics kept for the city and its districts (aggregates.go),
// beside the same questions answered from the graph by a server that keeps none, one after the
// other in one run. refresh-s is how long computing every kept place's figures took (what a
// write costs the refresher before the figures are served again).
func BenchmarkQ7StatisticsKept(b *testing.B) {
	kept := startWithStore(b, "GONGJIAN_BENCH_NEO4J_URI", "the city profile", -1, func(c *neo4jstore.Config) {
		c.AggregateKinds = []graph.PlaceKind{graph.PlaceProvince, graph.PlaceCity, graph.PlaceDistrict}
	})
	live := start(b)
	ctx := context.Background()
	// Once to warm the database (or to wait for the server's own refresher), then again, timed,
	// after marking the graph changed.
	if _, err := kept.store.RefreshAggregates(ctx); err != nil {
		b.Fatal(err)
	}
	if err := kept.store.MarkBulkWrite(ctx); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	n, err := kept.store.RefreshAggregates(ctx)
	if err != nil {
		b.Fatal(err)
	}
	took := time.Since(start)
	districts := live.ids(b, city, "DISTRICT")
	const district = `query($id: ID!) { statistics(place: $id) { communities units members reportingMembers crossUnitReporters
		coverageRate agreements projects claims membersByCategory { kind count } projectsByStatus { kind count } } }`
	const wholeCity = `query($id: ID!) { statistics(place: $id) { communities units members reportingMembers crossUnitReporters
		coverageRate agreements projects claims } }`
	for _, c := range []struct {
		name   string
		a      *api
		query  string
		places []string
	}{
		{"district/kept", kept, district, districts}, {"district/graph", live, district, districts},
		{"city/kept", kept, wholeCity, []string{city}}, {"city/graph", live, wholeCity, []string{city}},
	} {
		b.Run(c.name, func(b *testing.B) {
			served, _, _ := kept.store.AggregateCounts()
			measure(b, c.a, c.query, c.places)
			if after, _, _ := kept.store.AggregateCounts(); c.a == kept && after-served < int64(b.N) {
				b.Fatalf("%d of %d answers came from the figures kept", after-served, b.N)
			}
			b.ReportMetric(took.Seconds(), "refresh-s")
			b.ReportMetric(float64(n), "places")
		})
	}
}
