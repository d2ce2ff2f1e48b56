package bench

import (
	"context"
	"slices"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/server"
)

// BenchmarkObservability measures what tracing costs on the question benchmarks' shapes: the
// same server code with every span recorded and exported (a batch processor into an
// exporter that drops them) and with OpenTelemetry's no-op provider, requests alternating
// between the two, one client. Metrics and request logs are on in both (they cannot be
// turned off; BenchmarkMetricsPerOperation in server/ prices them alone).
func BenchmarkObservability(b *testing.B) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(tracetest.NewNoopExporter()))
	defer tp.Shutdown(context.Background())
	traced := startWithServer(b, func(c *neo4jstore.Config) { c.Tracer = tp }, func(c *server.Config) { c.Tracer = tp })
	plain := startWithServer(b, func(c *neo4jstore.Config) { c.Tracer = noop.NewTracerProvider() },
		func(c *server.Config) { c.Tracer = noop.NewTracerProvider() })
	communities := plain.ids(b, city, "COMMUNITY")
	districts := plain.ids(b, city, "DISTRICT")
	for _, shape := range []struct {
		name, unit, query string
		places            []string
	}{
		{"coverage of a community", "coverage", `query($id: ID!) { coverage(place: $id, first: 50) { totalCount unitCount
			nodes { kind since unit { id name kind } path { length nodes { id } relationships { kind } } } } }`, communities},
		{"statistics of a district", "statistics", `query($id: ID!) { statistics(place: $id) { communities units members reportingMembers crossUnitReporters
			coverageRate agreements projects claims } }`, districts},
	} {
		for _, a := range []*api{traced, plain} {
			a.query(b, shape.query, map[string]any{"id": shape.places[0]})
		}
		var on, off []time.Duration
		for i := range b.N {
			vars := map[string]any{"id": shape.places[(i*7919)%len(shape.places)]}
			for j, a := range []*api{traced, plain} {
				if i%2 == 1 {
					a = []*api{plain, traced}[j]
				}
				t0 := time.Now()
				a.query(b, shape.query, vars)
				if a == traced {
					on = append(on, time.Since(t0))
				} else {
					off = append(off, time.Since(t0))
				}
			}
		}
		slices.Sort(on)
		slices.Sort(off)
		p50on, p50off := ms(on[len(on)/2]), ms(off[len(off)/2])
		b.ReportMetric(p50on, shape.unit+"-traced-p50-ms")
		b.ReportMetric(p50off, shape.unit+"-untraced-p50-ms")
		b.Logf("%s: p50 %.2f ms traced, %.2f ms untraced (%.2f×)", shape.name, p50on, p50off, p50on/p50off)
	}
}
