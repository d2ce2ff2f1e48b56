package seed_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/seed"
)

// markingWriter records the order of a load's batches and its bulk-write marks; it fails from
// the batch failAt on (never when failAt is 0).
type markingWriter struct {
	mu     sync.Mutex
	calls  []string
	failAt int
}

func (w *markingWriter) record(call string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls = append(w.calls, call)
	if w.failAt > 0 && len(w.calls) >= w.failAt {
		return errors.New("the database went away")
	}
	return nil
}

func (w *markingWriter) MarkBulkWrite(context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls = append(w.calls, "mark")
	return nil
}

func (w *markingWriter) UpsertNodes(context.Context, graph.NodeKind, []neo4jstore.NodeRow) error {
	return w.record("write")
}

func (w *markingWriter) UpsertEdges(context.Context, graph.RelKind, []neo4jstore.EdgeRow) error {
	return w.record("write")
}

func (w *markingWriter) CreateNodes(context.Context, graph.NodeKind, []neo4jstore.NodeRow) error {
	return w.record("write")
}

func (w *markingWriter) CreateEdges(context.Context, graph.RelKind, []neo4jstore.EdgeRow) error {
	return w.record("write")
}

// A load marks the store before its first batch and after its last, failed loads too, so that
// figures computed from the graph before or during it are not served (neo4jstore's aggregates).
func TestLoadMarksBulkWrites(t *testing.T) {
	d, err := seed.Build("demo", 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, failAt := range []int{0, 5} {
		w := &markingWriter{failAt: failAt}
		_, err := seed.Load(context.Background(), w, d, 5000, nil)
		if (err != nil) != (failAt > 0) {
			t.Fatalf("failing at %d: %v", failAt, err)
		}
		n := len(w.calls)
		if n < 3 || w.calls[0] != "mark" || w.calls[n-1] != "mark" || w.calls[1] != "write" || w.calls[n-2] != "write" {
			t.Errorf("failing at %d: the load's calls were %v...%v; want a mark first and last", failAt, w.calls[:min(n, 3)], w.calls[max(n-3, 0):])
		}
	}
}
