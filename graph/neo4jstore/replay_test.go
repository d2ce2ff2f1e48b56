package neo4jstore_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
)

// snapshot reads the whole database into a replica, through the export.
func snapshot(t *testing.T, s *neo4jstore.Store) (*graph.Replica, int64) {
	t.Helper()
	m := graph.NewReplica()
	var cursor int64
	err := s.Export(context.Background(), nil, func(seq int64) error { cursor = seq; return nil },
		func(n *graph.Node) error { m.Put("node", n.ID, n.Props); return nil },
		func(r *graph.Relationship) error { m.Put("relationship", r.ID(), r.Props); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return m, cursor
}

// feedAfter reads every event after a cursor.
func feedAfter(t *testing.T, s *neo4jstore.Store, cursor int64) []*graph.ChangeEvent {
	t.Helper()
	var out []*graph.ChangeEvent
	for {
		page, err := s.Changes(context.Background(), cursor, 10000)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			return out
		}
		out = append(out, page...)
		cursor = page[len(page)-1].Seq
	}
}

// raceOp is a random operation on ten nodes: five places and five units.
func raceOp(r *rand.Rand) graph.Operation {
	p := func() string { return fmt.Sprintf("place:race:p%d", r.IntN(5)) }
	u := func() string { return fmt.Sprintf("unit:race:u%d", r.IntN(5)) }
	date := func() string { return fmt.Sprintf("20%02d-0%d-01", 10+r.IntN(12), 1+r.IntN(9)) }
	switch r.IntN(7) {
	case 0:
		props := map[string]any{"name": "竞争地" + p()[11:], "kind": "GRID", "population": r.IntN(1000)}
		if r.IntN(3) == 0 {
			props["note"] = nil
		} else {
			props["note"] = fmt.Sprint("备注", r.IntN(3))
		}
		return graph.Operation{Op: graph.OpUpsertNode, NodeKind: graph.KindPlace, ID: p(), Props: props}
	case 1:
		return graph.Operation{Op: graph.OpUpsertNode, NodeKind: graph.KindUnit, ID: u(),
			Props: map[string]any{"name": "竞争单位", "kind": "SCHOOL", "staff": r.IntN(50)}}
	case 2:
		if r.IntN(2) == 0 {
			return graph.Operation{Op: graph.OpDeleteNode, NodeKind: graph.KindPlace, ID: p()}
		}
		return graph.Operation{Op: graph.OpDeleteNode, NodeKind: graph.KindUnit, ID: u()}
	case 3, 4:
		props := map[string]any{"since": date()}
		if r.IntN(2) == 0 {
			props = map[string]any{"until": date()}
		}
		return graph.Operation{Op: graph.OpLink, Rel: graph.RelStationedIn, From: u(), To: p(), Props: props}
	case 5:
		return graph.Operation{Op: graph.OpLink, Rel: graph.RelPartOf, From: p(), To: p(), Props: map[string]any{"since": date()}}
	}
	if r.IntN(2) == 0 {
		return graph.Operation{Op: graph.OpUnlink, Rel: graph.RelPartOf, From: p(), To: p()}
	}
	return graph.Operation{Op: graph.OpUnlink, Rel: graph.RelStationedIn, From: u(), To: p()}
}

// 8 clients × 200 racing writes (creates, updates, deletes, links and unlinks of the same ten
// nodes, in batches of one to three): the feed numbers every committed change once, in an order
// in which each entity is created before it changes and deleted before it is created again; and
// replaying the whole feed onto an empty graph reproduces the database property by property.
func TestReplayOfRacingWritesEqualsTheDatabase(t *testing.T) {
	ctx := context.Background()
	s := writeStore(t)
	start := feedHead(t, s)
	const clients, writes = 8, 200
	var mu sync.Mutex
	reported := map[int64]*graph.ChangeEvent{}
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(c), 42))
			for range writes {
				batch := make([]graph.Operation, 1+r.IntN(3))
				for i := range batch {
					batch[i] = raceOp(r)
				}
				events, err := s.Apply(ctx, fmt.Sprintf("client%d", c), batch)
				var ge *graph.Error
				// A refused batch is refused for one of its operations (a missing end, a cycle, dates
				// out of order); anything else is a failure of the write path.
				if err != nil && (!errors.As(err, &ge) || ge.Code == graph.Internal || ge.Code == graph.Unavailable || ge.Field == "") {
					errs <- fmt.Errorf("client %d: %v", c, err)
					return
				}
				mu.Lock()
				for _, e := range events {
					reported[e.Seq] = e
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	events := feedAfter(t, s, start)
	if len(events) != len(reported) {
		t.Fatalf("the feed has %d events after %d; the writers were told of %d", len(events), start, len(reported))
	}
	alive := map[string]bool{}
	creates := 0
	replica := graph.NewReplica()
	for i, e := range events {
		if e.Seq != start+int64(i)+1 {
			t.Fatalf("event %d has seq %d: a gap", i, e.Seq)
		}
		if w := reported[e.Seq]; w == nil || w.ID != e.ID || w.Op != e.Op || len(w.Changes) != len(e.Changes) {
			t.Fatalf("event %d in the feed (%s %s) is not what its writer was told (%+v)", e.Seq, e.Op, e.ID, w)
		}
		key := e.Entity + " " + e.ID
		switch {
		case e.Op == graph.EventCreate && alive[key]:
			t.Fatalf("event %d creates %s, which exists", e.Seq, key)
		case e.Op != graph.EventCreate && !alive[key]:
			t.Fatalf("event %d %s %s, which does not exist", e.Seq, e.Op, key)
		}
		alive[key] = e.Op != graph.EventDelete
		if e.Op == graph.EventCreate {
			creates++
		}
		replica.Apply(e)
	}
	db, _ := snapshot(t, s)
	if diffs := replica.Differences(db, 20); len(diffs) > 0 {
		t.Fatalf("replaying %d events gives another graph than the database's: %v", len(events), diffs)
	}
	if creates == 0 || len(db.Nodes) == 0 {
		t.Fatalf("the race created nothing: %d creates, %d nodes", creates, len(db.Nodes))
	}
	t.Logf("%d events (%d creates); the database holds %d nodes and %d relationships", len(events), creates, len(db.Nodes), len(db.Rels))
}

// An editor may not remove, by deleting a node of its places, a relationship whose other end
// lies outside them; nor set an until before a stored since. Both write nothing.
func TestApplyRefusesCascadesOutOfScopeAndStoredDates(t *testing.T) {
	ctx := context.Background()
	s := writeStore(t)
	if _, err := s.Apply(ctx, "admin", []graph.Operation{
		place("place:sc:in", "辖区", graph.PlaceStreet),
		place("place:sc:child", "辖区社区", graph.PlaceCommunity),
		place("place:sc:lonely", "辖区网格", graph.PlaceGrid),
		place("place:sc:out", "外区", graph.PlaceStreet),
		{Op: graph.OpLink, Rel: graph.RelPartOf, From: "place:sc:child", To: "place:sc:in"},
		{Op: graph.OpLink, Rel: graph.RelPartOf, From: "place:sc:lonely", To: "place:sc:in"},
		{Op: graph.OpUpsertNode, NodeKind: graph.KindUnit, ID: "unit:sc:out", Props: map[string]any{"name": "外区单位", "kind": "SCHOOL"}},
		{Op: graph.OpLink, Rel: graph.RelStationedIn, From: "unit:sc:out", To: "place:sc:out", Props: map[string]any{"since": "2020-01-01"}},
		{Op: graph.OpLink, Rel: graph.RelReportsTo, From: "unit:sc:out", To: "place:sc:child"},
	}); err != nil {
		t.Fatal(err)
	}
	editor := &graph.WriteScope{Places: []string{"place:sc:in"}}
	before := counts(t, s)
	for _, c := range []struct {
		name  string
		scope *graph.WriteScope
		op    graph.Operation
		code  graph.Code
		field string
	}{
		{"unlink across the border", editor, graph.Operation{Op: graph.OpUnlink, Rel: graph.RelReportsTo, From: "unit:sc:out", To: "place:sc:child"}, graph.Forbidden, "operations[0].from"},
		{"delete a node with a relationship across the border", editor, graph.Operation{Op: graph.OpDeleteNode, NodeKind: graph.KindPlace, ID: "place:sc:child"}, graph.Forbidden, "operations[0].id"},
		{"until before the stored since", nil, graph.Operation{Op: graph.OpLink, Rel: graph.RelStationedIn, From: "unit:sc:out", To: "place:sc:out", Props: map[string]any{"until": "2019-12-31"}}, graph.BadUserInput, "operations[0].properties.until"},
	} {
		_, err := s.ApplyScoped(ctx, "editor", c.scope, []graph.Operation{c.op})
		var ge *graph.Error
		if !errors.As(err, &ge) || ge.Code != c.code || ge.Field != c.field {
			t.Errorf("%s: %v (field %q), want %s on %s", c.name, err, fieldOf(err), c.code, c.field)
		}
		if after := counts(t, s); after != before {
			t.Errorf("%s: counts changed from %v to %v", c.name, before, after)
		}
	}
	// Within its places, the editor may delete.
	if _, err := s.ApplyScoped(ctx, "editor", editor, []graph.Operation{{Op: graph.OpDeleteNode, NodeKind: graph.KindPlace, ID: "place:sc:lonely"}}); err != nil {
		t.Fatalf("a deletion within the editor's places: %v", err)
	}
}
