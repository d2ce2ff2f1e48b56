package neo4jstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
)

func feedHead(t *testing.T, s *neo4jstore.Store) int64 {
	t.Helper()
	return storetest.Count(t, s, `MATCH (c:FeedCounter {id: 'feed'}) RETURN c.seq AS n`, nil)
}

func counts(t *testing.T, s *neo4jstore.Store) [3]int64 {
	t.Helper()
	return [3]int64{
		storetest.Count(t, s, `MATCH (n:Entity) RETURN count(n) AS n`, nil),
		storetest.Count(t, s, `MATCH (:Entity)-[r]->(:Entity) RETURN count(r) AS n`, nil),
		feedHead(t, s),
	}
}

func writeStore(t *testing.T) *neo4jstore.Store {
	t.Helper()
	s := storetest.Open(t, "")
	if err := s.EnsureSchema(context.Background()); err != nil {
		t.Fatal(err)
	}
	storetest.Reset(t, s)
	return s
}

func place(id, name string, kind graph.PlaceKind) graph.Operation {
	return graph.Operation{Op: graph.OpUpsertNode, NodeKind: graph.KindPlace, ID: id, Props: map[string]any{"name": name, "kind": string(kind)}}
}

// Every write path refuses bad input with a code and the field at fault, and writes nothing:
// not the valid operations of the same batch either.
func TestApplyRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	s := writeStore(t)
	if _, err := s.Apply(ctx, "test", []graph.Operation{
		place("place:t:city", "测试市", graph.PlaceCity),
		place("place:t:street", "测试街道", graph.PlaceStreet),
		{Op: graph.OpLink, Rel: graph.RelPartOf, From: "place:t:street", To: "place:t:city"},
		{Op: graph.OpUpsertNode, NodeKind: graph.KindUnit, ID: "unit:t:school", Props: map[string]any{"name": "测试小学", "kind": "SCHOOL"}},
	}); err != nil {
		t.Fatal(err)
	}
	before := counts(t, s)
	good := place("place:t:other", "另一街道", graph.PlaceStreet)
	for _, c := range []struct {
		name  string
		op    graph.Operation
		code  graph.Code
		field string
	}{
		{"no name", graph.Operation{Op: graph.OpUpsertNode, NodeKind: graph.KindUnit, ID: "unit:t:x", Props: map[string]any{"kind": "SCHOOL"}}, graph.BadUserInput, "operations[1].properties.name"},
		{"kind not in enum", graph.Operation{Op: graph.OpUpsertNode, NodeKind: graph.KindUnit, ID: "unit:t:x", Props: map[string]any{"name": "x", "kind": "CASTLE"}}, graph.BadUserInput, "operations[1].properties.kind"},
		{"missing kind", graph.Operation{Op: graph.OpUpsertNode, NodeKind: graph.KindPlace, ID: "place:t:x", Props: map[string]any{"name": "x"}}, graph.BadUserInput, "operations[1].properties.kind"},
		{"unknown node kind", graph.Operation{Op: graph.OpUpsertNode, NodeKind: "Dragon", ID: "dragon:t:x", Props: map[string]any{"name": "x"}}, graph.BadUserInput, "operations[1].nodeKind"},
		{"bad id", graph.Operation{Op: graph.OpUpsertNode, NodeKind: graph.KindPlace, ID: "no spaces please", Props: map[string]any{"name": "x", "kind": "STREET"}}, graph.BadUserInput, "operations[1].id"},
		{"reserved property", graph.Operation{Op: graph.OpUpsertNode, NodeKind: graph.KindPlace, ID: "place:t:x", Props: map[string]any{"name": "x", "kind": "STREET", "source": "report:fake"}}, graph.BadUserInput, "operations[1].properties.source"},
		{"bad date", graph.Operation{Op: graph.OpLink, Rel: graph.RelStationedIn, From: "unit:t:school", To: "place:t:street", Props: map[string]any{"since": "2020-13-01"}}, graph.BadUserInput, "operations[1].properties.since"},
		{"dates out of order", graph.Operation{Op: graph.OpLink, Rel: graph.RelStationedIn, From: "unit:t:school", To: "place:t:street", Props: map[string]any{"since": "2020-01-01", "until": "2019-01-01"}}, graph.BadUserInput, "operations[1].properties.until"},
		{"edge to a missing node", graph.Operation{Op: graph.OpLink, Rel: graph.RelStationedIn, From: "unit:t:school", To: "place:t:nowhere"}, graph.NotFound, "operations[1].to"},
		{"edge between wrong kinds", graph.Operation{Op: graph.OpLink, Rel: graph.RelStationedIn, From: "place:t:street", To: "place:t:city"}, graph.BadUserInput, "operations[1].from"},
		{"place its own ancestor", graph.Operation{Op: graph.OpLink, Rel: graph.RelPartOf, From: "place:t:city", To: "place:t:street"}, graph.Conflict, "operations[1].to"},
		{"place its own parent", graph.Operation{Op: graph.OpLink, Rel: graph.RelPartOf, From: "place:t:city", To: "place:t:city"}, graph.BadUserInput, "operations[1].to"},
		{"kind changed", graph.Operation{Op: graph.OpUpsertNode, NodeKind: graph.KindUnit, ID: "place:t:city", Props: map[string]any{"name": "x", "kind": "SCHOOL"}}, graph.Conflict, "operations[1].id"},
		{"delete missing", graph.Operation{Op: graph.OpDeleteNode, NodeKind: graph.KindPlace, ID: "place:t:nowhere"}, graph.NotFound, "operations[1].id"},
		{"unlink missing", graph.Operation{Op: graph.OpUnlink, Rel: graph.RelStationedIn, From: "unit:t:school", To: "place:t:city"}, graph.NotFound, "operations[1]"},
		{"unknown relationship", graph.Operation{Op: graph.OpLink, Rel: "LOVES", From: "unit:t:school", To: "place:t:city"}, graph.BadUserInput, "operations[1].relationshipKind"},
		{"a list of maps", graph.Operation{Op: graph.OpUpsertNode, NodeKind: graph.KindPlace, ID: "place:t:x", Props: map[string]any{"name": "x", "kind": "STREET", "tags": []any{map[string]any{"a": "b"}}}}, graph.BadUserInput, "operations[1].properties.tags[0]"},
		{"a mixed list", graph.Operation{Op: graph.OpUpsertNode, NodeKind: graph.KindPlace, ID: "place:t:x", Props: map[string]any{"name": "x", "kind": "STREET", "tags": []any{"a", true}}}, graph.BadUserInput, "operations[1].properties.tags[1]"},
		{"a nested list", graph.Operation{Op: graph.OpUpsertNode, NodeKind: graph.KindPlace, ID: "place:t:x", Props: map[string]any{"name": "x", "kind": "STREET", "tags": []any{[]any{"a"}}}}, graph.BadUserInput, "operations[1].properties.tags[0]"},
		{"a map", graph.Operation{Op: graph.OpLink, Rel: graph.RelStationedIn, From: "unit:t:school", To: "place:t:street", Props: map[string]any{"role": map[string]any{"a": "b"}}}, graph.BadUserInput, "operations[1].properties.role"},
		{"a name longer than an index key", graph.Operation{Op: graph.OpUpsertNode, NodeKind: graph.KindPlace, ID: "place:t:x", Props: map[string]any{"name": strings.Repeat("名", 2000), "kind": "STREET"}}, graph.BadUserInput, "operations[1].properties.name"},
		{"a relationship's kind as its property", graph.Operation{Op: graph.OpLink, Rel: graph.RelStationedIn, From: "unit:t:school", To: "place:t:street", Props: map[string]any{"kind": "x"}}, graph.BadUserInput, "operations[1].properties.kind"},
	} {
		_, err := s.Apply(ctx, "test", []graph.Operation{good, c.op})
		var ge *graph.Error
		if !errorsAs(err, &ge) || ge.Code != c.code || ge.Field != c.field {
			t.Errorf("%s: got %v (field %q), want %s on %s", c.name, err, fieldOf(err), c.code, c.field)
		}
		if after := counts(t, s); after != before {
			t.Errorf("%s: counts changed from %v to %v", c.name, before, after)
		}
	}
}

// Pushing a record twice by its external reference changes nothing the second time; a
// changed version updates it in place.
func TestApplyIsIdempotentByReference(t *testing.T) {
	ctx := context.Background()
	s := writeStore(t)
	rec := graph.Operation{Op: graph.OpUpsertNode, NodeKind: graph.KindUnit, Ref: &graph.ExternalRef{System: "henan", ExternalID: "U-1"},
		Props: map[string]any{"name": "测试医院", "kind": "HOSPITAL"}}
	first, err := s.Apply(ctx, "henan", []graph.Operation{rec})
	if err != nil || len(first) != 1 || first[0].Op != "CREATE" || first[0].ID != "unit:henan:U-1" {
		t.Fatalf("first push: %v %+v", err, first)
	}
	again, err := s.Apply(ctx, "henan", []graph.Operation{rec})
	if err != nil || len(again) != 0 {
		t.Fatalf("second push: %v, %d events", err, len(again))
	}
	rec.Props = map[string]any{"name": "测试人民医院", "kind": "HOSPITAL"}
	changed, err := s.Apply(ctx, "henan", []graph.Operation{rec})
	if err != nil || len(changed) != 1 || changed[0].Op != "UPDATE" || len(changed[0].Changes) != 1 ||
		changed[0].Changes[0].Field != "name" || changed[0].Changes[0].Before != "测试医院" || changed[0].Changes[0].After != "测试人民医院" {
		t.Fatalf("changed push: %v %+v", err, changed)
	}
	if n := storetest.Count(t, s, `MATCH (n:Unit {externalId: 'U-1', source: 'system:henan'}) RETURN count(n) AS n`, nil); n != 1 {
		t.Fatalf("%d nodes for the record", n)
	}
}

// 8 concurrent writers × 200 writes give exactly 1,600 events, numbered without a gap, and
// each writer's events in the order it committed them.
func TestFeedIsGapFreeUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	s := writeStore(t)
	start := feedHead(t, s)
	const writers, writes = 8, 200
	seqs := make([][]int64, writers)
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range writes {
				ev, err := s.Apply(ctx, fmt.Sprintf("writer%d", w), []graph.Operation{
					place(fmt.Sprintf("place:c:w%d-%d", w, i), fmt.Sprintf("并发%d-%d", w, i), graph.PlaceGrid)})
				if err != nil {
					errs <- err
					return
				}
				seqs[w] = append(seqs[w], ev[0].Seq)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	events, err := s.Changes(ctx, start, writers*writes+10)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != writers*writes {
		t.Fatalf("%d events, want %d", len(events), writers*writes)
	}
	for i, e := range events {
		if e.Seq != start+int64(i)+1 {
			t.Fatalf("event %d has seq %d: a gap or a reordering", i, e.Seq)
		}
	}
	for w, ss := range seqs {
		for i := 1; i < len(ss); i++ {
			if ss[i] <= ss[i-1] {
				t.Fatalf("writer %d: write %d got seq %d after %d", w, i, ss[i], ss[i-1])
			}
		}
	}
}

func errorsAs(err error, target **graph.Error) bool { return errors.As(err, target) }

func fieldOf(err error) string {
	var ge *graph.Error
	if errors.As(err, &ge) {
		return ge.Field
	}
	return ""
}

// Events older than the retention are pruned, and a cursor below what is kept is refused
// with a clear error.
func TestFeedRetention(t *testing.T) {
	ctx := context.Background()
	s := writeStore(t)
	if _, err := s.Apply(ctx, "test", []graph.Operation{place("place:r:one", "保留", graph.PlaceGrid)}); err != nil {
		t.Fatal(err)
	}
	head := feedHead(t, s)
	// Events older than an hour may be left by earlier runs on this database; the new one stays.
	if _, err := s.PruneChanges(ctx, time.Now().Add(-time.Hour)); err != nil {
		t.Fatalf("pruning events older than an hour: %v", err)
	}
	if ev, err := s.Changes(ctx, head-1, 10); err != nil || len(ev) != 1 {
		t.Fatalf("the newest event: %v, %v", ev, err)
	}
	// Pretend everything up to head was pruned.
	setFloor := func(n int64) {
		if err := s.Write(ctx, func(ctx context.Context, tx neo4jstore.Tx) error {
			_, err := tx.Run(ctx, `MATCH (c:FeedCounter {id: 'feed'}) SET c.floor = $n`, map[string]any{"n": n})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	// Pruning may have raised the floor above events of earlier runs: it goes back to that.
	floor := storetest.Count(t, s, `MATCH (c:FeedCounter {id: 'feed'}) RETURN c.floor AS n`, nil)
	setFloor(head)
	defer setFloor(floor)
	_, err := s.Changes(ctx, head-1, 10)
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.Code != graph.BadUserInput || ge.Field != "after" {
		t.Fatalf("a cursor below the floor: %v", err)
	}
	if ev, err := s.Changes(ctx, head, 10); err != nil || len(ev) != 0 {
		t.Fatalf("the cursor at the floor: %v, %v", ev, err)
	}
}

// Events kept one node each by schema 4 to 6 (their changes written with capitalised keys) are
// moved into the feed as it is kept now, and read back unchanged.
func TestLegacyEventsAreMoved(t *testing.T) {
	ctx := context.Background()
	s := writeStore(t)
	head := feedHead(t, s)
	if err := s.Write(ctx, func(ctx context.Context, tx neo4jstore.Tx) error {
		_, err := tx.Run(ctx, `UNWIND range(1, 3) AS i
CREATE (:ChangeEvent {seq: $head + i, entity: 'node', kind: 'Place', id: 'place:legacy:' + i, op: 'CREATE',
  changes: '[{"Field":"name","Before":null,"After":"旧' + i + '"}]', actor: 'old', at: datetime()})
WITH max($head + i) AS top
MATCH (c:FeedCounter {id: 'feed'}) SET c.seq = top`, map[string]any{"head": head})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := neo4jstore.MoveChangeEvents(ctx, s); err != nil {
		t.Fatal(err)
	}
	if n := storetest.Count(t, s, `MATCH (e:ChangeEvent) RETURN count(e) AS n`, nil); n != 0 {
		t.Fatalf("%d legacy events left", n)
	}
	events, err := s.Changes(ctx, head, 10)
	if err != nil || len(events) != 3 {
		t.Fatalf("moved events: %v %v", events, err)
	}
	for i, e := range events {
		if e.Seq != head+int64(i)+1 || e.Actor != "old" || e.At.IsZero() || len(e.Changes) != 1 || e.Changes[0].Field != "name" || e.Changes[0].After != fmt.Sprintf("旧%d", i+1) {
			t.Fatalf("moved event %d: %+v %+v", i, e, e.Changes[0])
		}
	}
}

// A page of the feed may start and end inside a commit's events, and cross commits.
func TestChangesPagesWithinAndAcrossCommits(t *testing.T) {
	ctx := context.Background()
	s := writeStore(t)
	start := feedHead(t, s)
	for c := range 3 {
		ops := make([]graph.Operation, 10)
		for i := range ops {
			ops[i] = place(fmt.Sprintf("place:pg:%d-%d", c, i), "分页", graph.PlaceGrid)
		}
		if _, err := s.Apply(ctx, "test", ops); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ after, limit int64 }{{3, 4}, {8, 5}, {0, 30}, {15, 100}, {29, 10}} {
		events, err := s.Changes(ctx, start+c.after, int(c.limit))
		if err != nil {
			t.Fatal(err)
		}
		want := min(c.limit, 30-c.after)
		if int64(len(events)) != want {
			t.Fatalf("after %d, limit %d: %d events, want %d", c.after, c.limit, len(events), want)
		}
		for i, e := range events {
			if e.Seq != start+c.after+int64(i)+1 {
				t.Fatalf("after %d, limit %d: event %d has seq %d", c.after, c.limit, i, e.Seq)
			}
		}
	}
}
