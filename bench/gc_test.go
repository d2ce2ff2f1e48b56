package bench

import (
	"context"
	"net/http"
	"runtime/debug"
	"slices"
	"testing"

	"github.com/gongjian/gongjian/server"
)

// BenchmarkGCPercent measures what server.DefaultGCPercent buys: requests/s at 8 clients on
// the peer comparison's shapes (cold, no answer cache), in rounds that alternate Go's default
// GOGC=100 and the server's default in one process. b.N is the number of requests per round;
// 10 rounds per shape, the median rate of each setting reported.
func BenchmarkGCPercent(b *testing.B) {
	a := start(b)
	shapes := peerShapes(a.ids(b, city, "DISTRICT"), a.ids(b, city, "STREET"), a.ids(b, city, "COMMUNITY"), a.unitIDs(b), todayString())
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	for _, s := range shapes {
		if s.question == "statistics" {
			continue // bound by the database's CPU: a question of the planner, not of the collector
		}
		b.Run(s.name, func(b *testing.B) {
			settings := [2]int{100, server.DefaultGCPercent}
			var rates [2][]float64
			n := max(b.N, 40)
			for r := range 10 {
				k := r % 2
				debug.SetGCPercent(settings[k])
				rate, err := concurrentRate(context.Background(), 8, n, func(ctx context.Context, i int) error {
					g, _ := s.vars(i % variations)
					return ask(ctx, client, a.url, s.gongjian, g)
				})
				if err != nil {
					b.Fatal(err)
				}
				rates[k] = append(rates[k], rate)
			}
			median := func(l []float64) float64 { slices.Sort(l); return l[len(l)/2] }
			m100, mDefault := median(rates[0]), median(rates[1])
			b.ReportMetric(m100, "gogc100-req/s")
			b.ReportMetric(mDefault, "gogc-default-req/s")
			b.ReportMetric(mDefault/m100, "ratio")
		})
	}
}
