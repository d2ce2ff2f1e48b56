package bench

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// localQuestions are the questions about one place whose cost must follow the place's
// neighbourhood, not the size of the graph (issue 14, item 5): each with the kind of place it
// asks about.
var localQuestions = []struct{ name, kind, query string }{
	{"coverage of a community", "COMMUNITY", `query($id: ID!) { coverage(place: $id, first: 50) { totalCount unitCount
		nodes { kind level unit { id name kind } path { length } } } }`},
	{"cross-unit reporters into a street", "STREET", `query($id: ID!) { crossUnitReporting(filter: {within: $id}, first: 50) { totalCount
		nodes { member { id name category } community { id name } workUnit { id name kind } organisation { id name } relationship { since points } } } }`},
	{"coverage gaps of a district", "DISTRICT", `query($id: ID!) { coverageGaps(within: $id, minUnits: 3, first: 50) { totalCount nodes { coveringUnits community { name } } }
		streetsWithoutSeats(within: $id) { totalCount } }`},
	{"statistics of a district", "DISTRICT", `query($id: ID!) { statistics(place: $id) { communities units members reportingMembers crossUnitReporters
		coverageRate agreements projects claims membersByCategory { kind count } projectsByStatus { kind count } } }`},
}

// BenchmarkProvinceAgainstCity asks the local questions about the places of a city of the
// city profile (GONGJIAN_BENCH_NEO4J_URI, place:city:c0) and of a city of the same size in the
// province profile, ten times the graph (GONGJIAN_BENCH_PROVINCE_NEO4J_URI, place:province:c0),
// through one gongjian server each, request by request in turn. A Neo4j just started answers
// several times slower for its first thousands of requests (its JVM compiles and settles; a
// city store restarted beside a warm province store was the slower one), so each question
// is first asked GONGJIAN_BENCH_WARMUP times (default 1000) of both, interleaved, and the
// first 100 of those are reported apart (first-p50). Then b.N requests each, over up to 100
// places, give p50 and p99 for both and the ratio of the p50s. `make bench-province` restarts
// both Neo4j processes and runs it.
func BenchmarkProvinceAgainstCity(b *testing.B) {
	if os.Getenv("GONGJIAN_BENCH_PROVINCE_NEO4J_URI") == "" {
		b.Skip("GONGJIAN_BENCH_PROVINCE_NEO4J_URI is not set: run `make bench-province`")
	}
	warmup := 1000
	if v := os.Getenv("GONGJIAN_BENCH_WARMUP"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			b.Fatalf("GONGJIAN_BENCH_WARMUP=%q: want a number of requests", v)
		}
		warmup = n
	}
	cityAPI := start(b)
	provinceAPI := startWith(b, "GONGJIAN_BENCH_PROVINCE_NEO4J_URI", "the province profile", -1)
	sides := []struct {
		name string
		a    *api
		root string
	}{{"city", cityAPI, "place:city:c0"}, {"province", provinceAPI, "place:province:c0"}}
	var rows []string
	for _, q := range localQuestions {
		b.Run(q.name, func(b *testing.B) {
			var places [2][]string
			for k, s := range sides {
				places[k] = s.a.ids(b, s.root, q.kind)
				if len(places[k]) > 100 {
					places[k] = places[k][:100]
				}
			}
			ask := func(k, i int) time.Duration {
				t0 := time.Now()
				sides[k].a.query(b, q.query, map[string]any{"id": places[k][(i*7919)%len(places[k])]})
				return time.Since(t0)
			}
			var first, lat [2][]time.Duration
			warm := warmup
			if b.N == 1 {
				warm = 0 // go test's sizing run: nothing is measured
			}
			for i := range warm {
				for j := range sides {
					k := (i + j) % len(sides)
					if d := ask(k, i); i < 100 {
						first[k] = append(first[k], d)
					}
				}
			}
			b.ResetTimer()
			for i := range b.N {
				for j := range sides {
					k := (i + j) % len(sides)
					lat[k] = append(lat[k], ask(k, i))
				}
			}
			b.StopTimer()
			pct := func(l []time.Duration, p float64) float64 {
				if len(l) == 0 {
					return 0
				}
				slices.Sort(l)
				return ms(l[min(len(l)-1, int(p*float64(len(l))))])
			}
			for k, s := range sides {
				b.ReportMetric(pct(lat[k], 0.50), s.name+"-p50-ms")
				b.ReportMetric(pct(lat[k], 0.99), s.name+"-p99-ms")
				b.ReportMetric(pct(first[k], 0.50), s.name+"-first-p50-ms")
			}
			b.ReportMetric(pct(lat[1], 0.50)/pct(lat[0], 0.50), "province/city")
			if b.N > 1 {
				rows = append(rows, fmt.Sprintf("| %s | %.1f / %.1f | %.1f / %.1f | %.2f | %.1f | %.1f |\n", q.name, pct(lat[0], 0.5), pct(lat[0], 0.99),
					pct(lat[1], 0.5), pct(lat[1], 0.99), pct(lat[1], 0.5)/pct(lat[0], 0.5), pct(first[0], 0.5), pct(first[1], 0.5)))
			}
		})
	}
	fmt.Printf("\n| question | city p50 / p99 ms | province p50 / p99 ms | province ÷ city p50 | city first-100 p50 ms | province first-100 p50 ms |\n|---|---:|---:|---:|---:|---:|\n%s",
		strings.Join(rows, ""))
}
