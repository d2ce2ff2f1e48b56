package bench

import (
	"slices"
	"testing"
	"time"

	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/server"
)

// BenchmarkReadScope asks the peer benchmark's shapes of two servers over the same store, request
// by request in turn: one whose queries read all their statements in one read transaction (the
// default), one that reads each statement in a transaction of its own, as gongjian did before.
// It reports both p50s and their ratio per shape, and the statements per request.
func BenchmarkReadScope(b *testing.B) {
	shared := startWithServer(b, func(*neo4jstore.Config) {}, func(*server.Config) {})
	own := startWithServer(b, func(*neo4jstore.Config) {}, func(c *server.Config) { c.OwnReadTransactions = true })
	shapes := peerShapes(shared.ids(b, city, "DISTRICT"), shared.ids(b, city, "STREET"), shared.ids(b, city, "COMMUNITY"), shared.unitIDs(b), todayString())
	for _, s := range shapes {
		b.Run(s.name, func(b *testing.B) {
			g, _ := s.vars(0)
			shared.query(b, s.gongjian, g)
			own.query(b, s.gongjian, g)
			trips := 0
			b.ResetTimer()
			on, off := alternate(b, shared, own, func(a *api, i int) {
				g, _ := s.vars(i)
				if r := a.query(b, s.gongjian, g); a == shared {
					trips += r.Extensions.DBRoundTrips
				}
			})
			b.ReportMetric(on, "shared-p50-ms")
			b.ReportMetric(off, "own-p50-ms")
			b.ReportMetric(on/off, "ratio")
			b.ReportMetric(float64(trips)/float64(b.N), "statements/op")
		})
	}
}

// alternate sends request i (ask(a, i)) to x and to y for i below b.N, the order swapped every
// other time so that neither always goes first, and returns the p50 of each, in ms.
func alternate(b *testing.B, x, y *api, ask func(a *api, i int)) (xp50, yp50 float64) {
	lat := map[*api][]time.Duration{}
	for i := range b.N {
		pair := []*api{x, y}
		if i%2 == 1 {
			pair = []*api{y, x}
		}
		for _, a := range pair {
			t0 := time.Now()
			ask(a, i)
			lat[a] = append(lat[a], time.Since(t0))
		}
	}
	b.StopTimer()
	p50 := func(l []time.Duration) float64 {
		slices.Sort(l)
		return float64(l[len(l)/2].Microseconds()) / 1000
	}
	return p50(lat[x]), p50(lat[y])
}
