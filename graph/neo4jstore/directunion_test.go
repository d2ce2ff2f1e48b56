package neo4jstore

import (
	"strings"
	"testing"

	"github.com/gongjian/gongjian/graph"
)

// The DIRECT-only union follows no committee chain down (both committee branches changed), and
// only a question that keeps DIRECT ways alone reads it.
func TestDirectUnionFollowsNoChainDown(t *testing.T) {
	if n := strings.Count(directUnion, "[:PART_OF*0..0]"); n != 2 || strings.Contains(directUnion, "[:PART_OF*0..2]") {
		t.Fatalf("the DIRECT union bounds %d committee chains to no length (want 2): has coverageUnion's pattern changed?", n)
	}
	for _, c := range []struct {
		levels []graph.CoverageLevel
		want   string
	}{
		{nil, coverageUnion},
		{[]graph.CoverageLevel{graph.LevelDirect}, directUnion},
		{[]graph.CoverageLevel{graph.LevelIndirect}, coverageUnion},
		{[]graph.CoverageLevel{graph.LevelDirect, graph.LevelIndirect}, coverageUnion},
	} {
		if coverageUnionAt(c.levels) != c.want {
			t.Errorf("levels %v read the wrong union", c.levels)
		}
	}
}
