package server

import (
	"testing"
	"time"
)

// BenchmarkMetricsPerOperation prices what the metrics add to one operation and its HTTP
// request (counters and histograms; the operation name's bounded label).
func BenchmarkMetricsPerOperation(b *testing.B) {
	m := newMetrics(&Server{hub: NewHub(nil, time.Second, nil), db: nil})
	b.ReportAllocs()
	for range b.N {
		m.operation("CoverageOfChaoyang", "query", "OK", 3*time.Millisecond, 2)
		m.request("/graphql", 200, 3*time.Millisecond)
	}
}
