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
			var on, off []time.Duration
			trips := 0
			b.ResetTimer()
			for i := range b.N {
				g, _ := s.vars(i)
				servers := []*api{shared, own}
				if i%2 == 1 {
					servers = []*api{own, shared}
				}
				for _, a := range servers {
					t0 := time.Now()
					r := a.query(b, s.gongjian, g)
					if a == shared {
						on = append(on, time.Since(t0))
						trips += r.Extensions.DBRoundTrips
					} else {
						off = append(off, time.Since(t0))
					}
				}
			}
			b.StopTimer()
			slices.Sort(on)
			slices.Sort(off)
			p50 := func(l []time.Duration) float64 { return float64(l[len(l)/2].Microseconds()) / 1000 }
			b.ReportMetric(p50(on), "shared-p50-ms")
			b.ReportMetric(p50(off), "own-p50-ms")
			b.ReportMetric(p50(on)/p50(off), "ratio")
			b.ReportMetric(float64(trips)/float64(b.N), "statements/op")
		})
	}
}
