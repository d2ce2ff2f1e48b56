package seed_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
	"github.com/gongjian/gongjian/seed"
)

// killAfter is a writer that fails after n batches, as a load killed midway. It is safe for
// the concurrent batches of a fresh load.
type killAfter struct {
	seed.Writer
	mu sync.Mutex
	n  int
}

func (k *killAfter) spend() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.n--
	return k.n >= 0
}

func (k *killAfter) CreateNodes(ctx context.Context, kind graph.NodeKind, rows []neo4jstore.NodeRow) error {
	if !k.spend() {
		return errKilled
	}
	return k.Writer.CreateNodes(ctx, kind, rows)
}

func (k *killAfter) CreateEdges(ctx context.Context, kind graph.RelKind, rows []neo4jstore.EdgeRow) error {
	if !k.spend() {
		return errKilled
	}
	return k.Writer.CreateEdges(ctx, kind, rows)
}

var errKilled = errors.New("killed")

func (k *killAfter) UpsertNodes(ctx context.Context, kind graph.NodeKind, rows []neo4jstore.NodeRow) error {
	if !k.spend() {
		return errKilled
	}
	return k.Writer.UpsertNodes(ctx, kind, rows)
}

func (k *killAfter) UpsertEdges(ctx context.Context, kind graph.RelKind, rows []neo4jstore.EdgeRow) error {
	if !k.spend() {
		return errKilled
	}
	return k.Writer.UpsertEdges(ctx, kind, rows)
}

func checkCounts(t *testing.T, s *neo4jstore.Store, d *seed.Dataset, when string) {
	t.Helper()
	nodes, rels, err := s.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range d.NodeCounts() {
		if nodes[k] != int64(want) {
			t.Errorf("%s: %d %s nodes, want %d", when, nodes[k], k, want)
		}
	}
	for k, want := range d.EdgeCounts() {
		if rels[k] != int64(want) {
			t.Errorf("%s: %d %s relationships, want %d", when, rels[k], k, want)
		}
	}
}

func TestDemoLoadIsIdempotentAndResumable(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, "")
	if err := s.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
	storetest.Reset(t, s)
	d, err := seed.Build("demo", 1)
	if err != nil {
		t.Fatal(err)
	}

	// Killed midway (after 10 batches of 2,000), then run again to the end.
	if _, err := seed.Load(ctx, &killAfter{Writer: s, n: 10}, d, 2000, nil); !errors.Is(err, errKilled) {
		t.Fatalf("the interrupted load returned %v", err)
	}
	st, err := seed.Load(ctx, s, d, 2000, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("demo: %d nodes, %d relationships in %v (%.0f entities/s)", st.Nodes, st.Edges, st.Took, st.Rate())
	checkCounts(t, s, d, "after an interrupted load and a rerun")

	// Loading again changes nothing.
	if _, err := seed.Load(ctx, s, d, 5000, nil); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, s, d, "after a second load")
	n, err := s.EntityCount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(d.NodeCount()) {
		t.Fatalf("%d entities in the database, the dataset has %d", n, d.NodeCount())
	}
}

// Two districts of the city profile: the second links to the city that the first made. A load
// killed midway and rerun gives the counts of the generated data.
func TestCityChunksLoadAndResume(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, "")
	if err := s.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
	storetest.Reset(t, s)
	city, err := seed.Open("city", 1)
	if err != nil {
		t.Fatal(err)
	}
	src := seed.FirstChunks(city, 2)
	if _, err := seed.LoadSource(ctx, &killAfter{Writer: s, n: 15}, src, 2000, nil); !errors.Is(err, errKilled) {
		t.Fatalf("the interrupted load returned %v", err)
	}
	st, err := seed.LoadSource(ctx, s, src, 5000, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("two city districts: %d nodes, %d relationships in %v (%.0f entities/s)", st.Nodes, st.Edges, st.Took, st.Rate())
	checkChunkCounts(t, s, src)

	// A fresh load (rows created, batches in parallel) killed midway, then finished by an
	// ordinary one, gives the same counts; and so does an uninterrupted fresh load.
	storetest.Reset(t, s)
	if _, err := seed.LoadWith(ctx, &killAfter{Writer: s, n: 20}, src, seed.Options{Batch: 2000, Fresh: true, Workers: 3}); !errors.Is(err, errKilled) {
		t.Fatalf("the interrupted fresh load returned %v", err)
	}
	if _, err := seed.LoadSource(ctx, s, src, 5000, nil); err != nil {
		t.Fatal(err)
	}
	checkChunkCounts(t, s, src)
	storetest.Reset(t, s)
	if st, err = seed.LoadWith(ctx, s, src, seed.Options{Batch: 5000, Fresh: true}); err != nil {
		t.Fatal(err)
	}
	t.Logf("two city districts, fresh: %d nodes, %d relationships in %v (%.0f entities/s)", st.Nodes, st.Edges, st.Took, st.Rate())
	checkChunkCounts(t, s, src)
	// A fresh load into a database that already holds the rows writes nothing.
	if _, err := seed.LoadWith(ctx, s, src, seed.Options{Fresh: true}); graph.ErrorCode(err) != graph.Conflict {
		t.Fatalf("a fresh load over loaded data returned %v, want CONFLICT", err)
	}
	checkChunkCounts(t, s, src)
}

// checkChunkCounts compares the database's counts per kind with the generated data's.
func checkChunkCounts(t *testing.T, s *neo4jstore.Store, src *seed.Source) {
	t.Helper()
	ctx := context.Background()
	nodes, rels := seed.Count(src)
	gotNodes, gotRels, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range nodes {
		if gotNodes[k] != int64(want) {
			t.Errorf("%d %s nodes, want %d", gotNodes[k], k, want)
		}
	}
	for k, want := range rels {
		if gotRels[k] != int64(want) {
			t.Errorf("%d %s relationships, want %d", gotRels[k], k, want)
		}
	}
	// Both districts hang under the one city.
	if n := storetest.Count(t, s, `MATCH (:Place {kind: 'DISTRICT'})-[:PART_OF]->(c:Place {kind: 'CITY'}) RETURN count(DISTINCT c) AS n`, nil); n != 1 {
		t.Errorf("districts hang under %d cities, want 1", n)
	}
}
