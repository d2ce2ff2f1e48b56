package seed

import (
	"testing"

	"github.com/gongjian/gongjian/graph"
)

// The city profile has the sizes the issue asks for, with the reports' ratios.
func TestCityProfileSizes(t *testing.T) {
	src, err := Open("city", 1)
	if err != nil {
		t.Fatal(err)
	}
	communities, members, reporting, inService := 0, 0, 0, 0
	nodes, edges := map[graph.NodeKind]int{}, map[graph.RelKind]int{}
	for c := range src.Chunks {
		d := src.Chunk(c)
		for _, p := range d.nodes[graph.KindPlace] {
			if p.Props["kind"] == string(graph.PlaceCommunity) {
				communities++
			}
		}
		for _, p := range d.nodes[graph.KindPerson] {
			if p.Props["category"] != nil {
				members++
			}
			if p.Props["category"] == string(graph.MemberInService) {
				inService++
			}
		}
		reporting += len(d.edges[graph.RelReportsTo])
		for k, n := range d.NodeCounts() {
			nodes[k] += n
		}
		for k, n := range d.EdgeCounts() {
			edges[k] += n
		}
	}
	if communities != 2000 {
		t.Errorf("communities: %d, want 2000", communities)
	}
	if nodes[graph.KindUnit] != 20000 {
		t.Errorf("units: %d, want 20000", nodes[graph.KindUnit])
	}
	if members < 400000 || members > 401000 {
		t.Errorf("members: %d, want about 400,000", members)
	}
	// 40% of in-service members report to their community (中原区's and 上街区's practice).
	if share := float64(reporting) / float64(inService); share < 0.37 || share > 0.43 {
		t.Errorf("reporting share of in-service members: %.2f, want about 0.40", share)
	}
	// 3 agreements per community (中原区: 309 for 94 communities).
	if nodes[graph.KindAgreement] != 3*communities {
		t.Errorf("agreements: %d, want %d", nodes[graph.KindAgreement], 3*communities)
	}
	// Every seat has a representative.
	if edges[graph.RelRepresents] != nodes[graph.KindSeat] {
		t.Errorf("%d representatives for %d seats", edges[graph.RelRepresents], nodes[graph.KindSeat])
	}
}

// A chunk is the same whenever and however often it is made, and chunks share nothing but
// their anchors.
func TestScaleChunksAreDeterministic(t *testing.T) {
	src, _ := Open("province", 7)
	a, b := src.Chunk(25), src.Chunk(25)
	if a.NodeCount() != b.NodeCount() || a.EdgeCount() != b.EdgeCount() {
		t.Fatalf("chunk 25 made twice differs: %d/%d nodes", a.NodeCount(), b.NodeCount())
	}
	for i, id := range a.order {
		if b.order[i] != id || a.nodes[a.kind[id]][a.pos[id]].Props["name"] != b.nodes[b.kind[id]][b.pos[id]].Props["name"] {
			t.Fatalf("node %d differs: %s vs %s", i, id, b.order[i])
		}
	}
	made := map[string]bool{}
	for _, id := range a.order {
		made[id] = true
	}
	for _, id := range src.Chunk(26).order {
		if made[id] {
			t.Fatalf("chunks 25 and 26 both make %s", id)
		}
	}
	if _, err := Open("galaxy", 1); graph.ErrorCode(err) != graph.BadUserInput {
		t.Errorf("unknown profile: %v", err)
	}
}

// Every node of a generated profile is made by exactly one chunk (the others anchor it), so
// that a load into an empty database may create rows without looking for them first.
func TestScaleChunksMakeEachNodeOnce(t *testing.T) {
	src, err := Open("city", 1)
	if err != nil {
		t.Fatal(err)
	}
	madeBy := map[string]int{}
	for c := range src.Chunks {
		for _, id := range src.Chunk(c).order {
			if first, ok := madeBy[id]; ok {
				t.Fatalf("chunks %d and %d both make %s", first, c, id)
			}
			madeBy[id] = c
		}
	}
	if len(madeBy) < 100000 {
		t.Fatalf("only %d nodes in the city profile", len(madeBy))
	}
}
