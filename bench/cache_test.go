package bench

import (
	"sync"
	"testing"
	"time"
)

// repeatedShapes are the questions a dashboard repeats: the same few places asked again and again.
var repeatedShapes = []struct{ name, kind, query string }{
	{"coverage", "COMMUNITY", `query($id: ID!) { coverage(place: $id, first: 50) { totalCount unitCount nodes { kind unit { id name } } } }`},
	{"statistics", "STREET", `query($id: ID!) { statistics(place: $id) { communities units members coverageRate } }`},
	{"units", "COMMUNITY", `query($id: ID!) { node(id: $id) { ... on Place { units(first: 20) { totalCount nodes { name kind partyOrgs(first: 3) { nodes { name } } } } } } }`},
}

// BenchmarkRepeatedQueries measures requests/s at 8 clients over 20 places of each shape, with
// the answer cache and without it, side by side in one run (phases alternate), and reports the
// ratio.
func BenchmarkRepeatedQueries(b *testing.B) {
	cached := startWith(b, "GONGJIAN_BENCH_NEO4J_URI", "the city profile", 0)
	cold := startWith(b, "GONGJIAN_BENCH_NEO4J_URI", "the city profile", -1)
	for _, shape := range repeatedShapes {
		b.Run(shape.name, func(b *testing.B) {
			places := cached.ids(b, city, shape.kind)
			if len(places) > 20 {
				places = places[:20]
			}
			rate := func(a *api) float64 {
				const clients, each = 8, 25
				t0 := time.Now()
				var wg sync.WaitGroup
				for c := range clients {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := range each {
							a.query(b, shape.query, map[string]any{"id": places[(c*each+i)%len(places)]})
						}
					}()
				}
				wg.Wait()
				return float64(clients*each) / time.Since(t0).Seconds()
			}
			var on, off float64
			b.ResetTimer()
			for range b.N {
				on += rate(cached)
				off += rate(cold)
			}
			b.ReportMetric(on/float64(b.N), "cached-req/s")
			b.ReportMetric(off/float64(b.N), "cold-req/s")
			b.ReportMetric(on/off, "ratio")
		})
	}
}
