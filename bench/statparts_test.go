package bench

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/server"
)

// Question 7 asked with different selections, request by request in turn over the same
// districts: every figure of Statistics, the selection of BenchmarkQ7Statistics (and of the
// peer benchmark), the dashboard's first cards, and the places alone (what the coverage sheet's
// coverageByChild request computes of the statistics statement). The store computes only the
// parts a selection asks for.
func BenchmarkQ7StatisticsSelections(b *testing.B) {
	a := start(b)
	districts := a.ids(b, city, "DISTRICT")
	selections := []struct{ name, sel string }{
		{"all", `place { id } asOf levels coverageByLevel { level coveredCommunities coverageRate } compounds buildings stairwells
			communitiesByType { kind count } partyOrgsByKind { kind count } headsByRole { kind count } activities activityOccurrences
			activityParticipants activitiesByKind { kind count } evaluations evaluationsByKind { kind count } leadingGroups contactPoints
			mergedPlaces streets communities villages grids units unitsByKind { kind count } partyOrgs members membersByCategory { kind count }
			reportingMembers reportingMembersPerCommunity crossUnitReporters coveredCommunities coverageRate committees { kind count } seats
			agreements projects projectsByStatus { kind count } projectsByCategory { kind count } servicePosts claimedPosts claims
			sharedResources volunteerTeams volunteers secondedPeople redStations`},
		{"bench", `communities units members reportingMembers crossUnitReporters coverageRate agreements projects claims
			membersByCategory { kind count } projectsByStatus { kind count }`},
		{"cards", `streets communities units partyOrgs agreements seats`},
		{"places", `streets communities villages grids`},
	}
	lat := make([][]time.Duration, len(selections))
	query := func(i, n int) time.Duration {
		t0 := time.Now()
		a.query(b, fmt.Sprintf(`query($id: ID!) { statistics(place: $id) { %s } }`, selections[i].sel),
			map[string]any{"id": districts[(n*7919)%len(districts)]})
		return time.Since(t0)
	}
	for i := range selections {
		query(i, 0) // plans cached, as in a running service
	}
	b.ResetTimer()
	for n := range b.N {
		for i := range selections {
			lat[i] = append(lat[i], query((i+n)%len(selections), n))
		}
	}
	b.StopTimer()
	// The order rotates with n, so each list holds the latencies of one selection only when
	// read back by the same rotation.
	by := make([][]time.Duration, len(selections))
	for n := range b.N {
		for i := range selections {
			by[(i+n)%len(selections)] = append(by[(i+n)%len(selections)], lat[i][n])
		}
	}
	for i, s := range selections {
		slices.Sort(by[i])
		b.ReportMetric(float64(by[i][len(by[i])/2].Microseconds())/1000, s.name+"-p50-ms")
	}
}

// Question 7 of two servers over the same store, request by request in turn: one that counts
// the members in a statement of its own beside the other figures' (the default), one that
// computes everything in one statement. Every figure, and the benchmark's eleven.
func BenchmarkQ7StatisticsApart(b *testing.B) {
	apart := startWithServer(b, func(*neo4jstore.Config) {}, func(*server.Config) {})
	one := startWithServer(b, func(c *neo4jstore.Config) { c.StatisticsInOneStatement = true }, func(*server.Config) {})
	districts := apart.ids(b, city, "DISTRICT")
	for _, sel := range []struct{ name, sel string }{
		{"bench", `communities units members reportingMembers crossUnitReporters coverageRate agreements projects claims
			membersByCategory { kind count } projectsByStatus { kind count }`},
		{"all-but-lists", `streets communities villages grids compounds buildings stairwells units partyOrgs members reportingMembers
			crossUnitReporters coveredCommunities seats agreements projects servicePosts claims sharedResources volunteerTeams volunteers
			secondedPeople redStations mergedPlaces contactPoints activities evaluations leadingGroups`},
	} {
		b.Run(sel.name, func(b *testing.B) {
			q := fmt.Sprintf(`query($id: ID!) { statistics(place: $id) { %s } }`, sel.sel)
			first := map[string]any{"id": districts[0]}
			apart.query(b, q, first)
			one.query(b, q, first)
			b.ResetTimer()
			on, off := alternate(b, apart, one, func(a *api, i int) {
				a.query(b, q, map[string]any{"id": districts[(i*7919)%len(districts)]})
			})
			b.ReportMetric(on, "apart-p50-ms")
			b.ReportMetric(off, "one-p50-ms")
			b.ReportMetric(on/off, "ratio")
		})
	}
}
