package neo4jstore_test

import (
	"context"
	"testing"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
)

func TestUpsertIsIdempotentAndAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, "")
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = s.Write(ctx, func(ctx context.Context, tx neo4jstore.Tx) error {
			_, err := tx.Run(ctx, `MATCH (n:Entity) WHERE n.id STARTS WITH 'bulktest:' DETACH DELETE n`, nil)
			return err
		})
	})
	places := []neo4jstore.NodeRow{
		{ID: "bulktest:city", Props: map[string]any{"name": "测试市", "kind": "CITY"}},
		{ID: "bulktest:street", Props: map[string]any{"name": "测试街道", "kind": "STREET"}},
	}
	edges := []neo4jstore.EdgeRow{{From: "bulktest:street", To: "bulktest:city", Props: map[string]any{"source": "generated"}}}
	var before map[graph.NodeKind]int64
	var beforeRels map[graph.RelKind]int64
	for round := range 2 {
		if err := s.UpsertNodes(ctx, graph.KindPlace, places); err != nil {
			t.Fatal(err)
		}
		if err := s.UpsertEdges(ctx, graph.RelPartOf, edges); err != nil {
			t.Fatal(err)
		}
		nodes, rels, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if round == 1 && (nodes[graph.KindPlace] != before[graph.KindPlace] || rels[graph.RelPartOf] != beforeRels[graph.RelPartOf]) {
			t.Fatalf("second load changed counts: places %d→%d, PART_OF %d→%d",
				before[graph.KindPlace], nodes[graph.KindPlace], beforeRels[graph.RelPartOf], rels[graph.RelPartOf])
		}
		before, beforeRels = nodes, rels
	}

	// A batch with one dangling end writes nothing and names the missing node.
	bad := []neo4jstore.EdgeRow{
		{From: "bulktest:city", To: "bulktest:street", Key: "x"},
		{From: "bulktest:street", To: "bulktest:nowhere"},
	}
	err := s.UpsertEdges(ctx, graph.RelPartOf, bad)
	if graph.ErrorCode(err) != graph.NotFound {
		t.Fatalf("dangling edge: %v, want NOT_FOUND", err)
	}
	_, rels, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rels[graph.RelPartOf] != beforeRels[graph.RelPartOf] {
		t.Fatalf("a failed batch wrote %d relationships", rels[graph.RelPartOf]-beforeRels[graph.RelPartOf])
	}
	if err := s.UpsertNodes(ctx, graph.NodeKind("Place) DETACH DELETE n //"), places); graph.ErrorCode(err) != graph.BadUserInput {
		t.Fatalf("a label off the allow-list: %v", err)
	}
}
