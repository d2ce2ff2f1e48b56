package bench

import (
	"fmt"
	"slices"
	"testing"
	"time"
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
