package graph

import (
	"fmt"
	"slices"
	"testing"
)

func placeNode(id string, props map[string]any) *Node {
	p := map[string]any{"id": id, "name": id, "kind": "STREET", "source": "system:henan"}
	for k, v := range props {
		p[k] = v
	}
	return &Node{ID: id, Label: KindPlace, Props: p}
}

func stateOf(nodes []*Node, rels []*Relationship) *BatchState {
	s := &BatchState{Nodes: map[string]*Node{}, Rels: map[string]*Relationship{}}
	for _, n := range nodes {
		s.Nodes[n.ID] = n
	}
	for _, r := range rels {
		if r.Props == nil {
			r.Props = map[string]any{"key": r.Key}
		}
		s.Rels[r.ID()] = r
	}
	return s
}

func upsert(id string, props map[string]any) Operation {
	if props == nil {
		props = map[string]any{}
	}
	props["kind"], props["name"] = "STREET", id
	return Operation{Op: OpUpsertNode, NodeKind: KindPlace, ID: id, Props: props}
}

func run(t *testing.T, sim *Simulator, b Batch) BatchResult {
	t.Helper()
	norm, errs := NormalizeAll(b.Ops)
	if err := BatchErrorsOf(errs); err != nil {
		t.Fatalf("normalize: %v", err)
	}
	b.Ops = norm
	return sim.Run(b)
}

func ops(events []*ChangeEvent) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.Op+" "+e.ID)
	}
	return out
}

// A node created and then changed in one batch has one CREATE and one UPDATE, and the net write
// creates it once with its final properties.
func TestSimulatorCreateThenUpdate(t *testing.T) {
	sim := NewSimulator(stateOf(nil, nil))
	res := run(t, sim, Batch{Actor: "a", Ops: []Operation{upsert("place:t:a", map[string]any{"population": 1}), upsert("place:t:a", map[string]any{"population": 2})}})
	if len(res.Errors) > 0 || !slices.Equal(ops(res.Events), []string{"CREATE place:t:a", "UPDATE place:t:a"}) {
		t.Fatalf("events %v, errors %v", ops(res.Events), res.Errors)
	}
	if c := res.Events[1].Changes; len(c) != 1 || c[0].Field != "population" || c[0].Before != int64(1) || c[0].After != int64(2) {
		t.Fatalf("update's changes %+v", c[0])
	}
	p := sim.Plan()
	if len(p.PutNodes) != 1 || p.PutNodes[0].Set["population"] != int64(2) || p.PutNodes[0].Set["source"] != "system:api" || len(p.DeleteNodes) != 0 {
		t.Fatalf("plan %+v", p)
	}
	// Pushing the same again changes nothing.
	again := NewSimulator(stateOf([]*Node{{ID: "place:t:a", Label: KindPlace, Props: p.PutNodes[0].Set}}, nil))
	if res := run(t, again, Batch{Ops: []Operation{upsert("place:t:a", map[string]any{"population": 2})}}); len(res.Events) != 0 || !again.Plan().Empty() {
		t.Fatalf("an unchanged upsert: %v", ops(res.Events))
	}
}

// Deleting a node deletes its relationships first, each with an event; deleting and creating it
// again within a commit deletes the stored node and creates it afresh.
func TestSimulatorDeleteCascadeAndRecreate(t *testing.T) {
	a, b := placeNode("place:t:a", map[string]any{"population": 5}), placeNode("place:t:b", nil)
	rel := &Relationship{Kind: RelPartOf, From: a.ID, To: b.ID}
	sim := NewSimulator(stateOf([]*Node{a, b}, []*Relationship{rel}))
	res := run(t, sim, Batch{Ops: []Operation{
		{Op: OpDeleteNode, NodeKind: KindPlace, ID: a.ID},
		upsert(a.ID, nil),
	}})
	want := []string{"DELETE PART_OF:place:t:a->place:t:b", "DELETE place:t:a", "CREATE place:t:a"}
	if len(res.Errors) > 0 || !slices.Equal(ops(res.Events), want) {
		t.Fatalf("events %v, errors %v", ops(res.Events), res.Errors)
	}
	p := sim.Plan()
	if !slices.Equal(p.DeleteNodes, []string{a.ID}) || len(p.PutNodes) != 1 || p.PutNodes[0].Set["population"] != nil || len(p.DeleteRels) != 1 {
		t.Fatalf("plan %+v", p)
	}
	if _, had := p.PutNodes[0].Set["population"]; had {
		t.Fatalf("the new node keeps a property of the old one: %v", p.PutNodes[0].Set)
	}
}

// PART_OF may not make a place its own ancestor, also through links made earlier in the batch.
func TestSimulatorRefusesCycles(t *testing.T) {
	a, b, c := placeNode("place:t:a", nil), placeNode("place:t:b", nil), placeNode("place:t:c", nil)
	sim := NewSimulator(stateOf([]*Node{a, b, c}, []*Relationship{{Kind: RelPartOf, From: b.ID, To: c.ID}}))
	res := run(t, sim, Batch{Ops: []Operation{
		{Op: OpLink, Rel: RelPartOf, From: a.ID, To: b.ID},
		{Op: OpLink, Rel: RelPartOf, From: c.ID, To: a.ID},
	}})
	if len(res.Errors) != 1 || res.Errors[0].Code != Conflict || res.Errors[0].Field != "operations[1].to" {
		t.Fatalf("errors %v", res.Errors)
	}
	if len(res.Events) != 0 || !sim.Plan().Empty() {
		t.Fatalf("a refused batch left %v", ops(res.Events))
	}
}

// since ≤ until holds against the stored values, not just the request's.
func TestSimulatorChecksStoredDates(t *testing.T) {
	a, b := placeNode("place:t:a", nil), placeNode("place:t:b", nil)
	since, _ := ParseDate("2020-01-01")
	rel := &Relationship{Kind: RelPartOf, From: a.ID, To: b.ID, Props: map[string]any{"key": "", "since": since}}
	for _, c := range []struct {
		props map[string]any
		field string
	}{
		{map[string]any{"until": "2019-06-30"}, "operations[0].properties.until"},
		{map[string]any{"since": "2021-01-01", "until": nil}, ""},
	} {
		sim := NewSimulator(stateOf([]*Node{a, b}, []*Relationship{rel}))
		res := run(t, sim, Batch{Ops: []Operation{{Op: OpLink, Rel: RelPartOf, From: a.ID, To: b.ID, Props: c.props}}})
		got := ""
		if len(res.Errors) > 0 {
			got = res.Errors[0].Field
		}
		if got != c.field {
			t.Errorf("%v: error on %q, want %q", c.props, got, c.field)
		}
	}
	// A stored until, and a later since.
	until, _ := ParseDate("2020-12-31")
	rel.Props = map[string]any{"key": "", "until": until}
	sim := NewSimulator(stateOf([]*Node{a, b}, []*Relationship{rel}))
	res := run(t, sim, Batch{Ops: []Operation{{Op: OpLink, Rel: RelPartOf, From: a.ID, To: b.ID, Props: map[string]any{"since": "2021-01-01"}}}})
	if len(res.Errors) != 1 || res.Errors[0].Field != "operations[0].properties.since" {
		t.Fatalf("a since after the stored until: %v", res.Errors)
	}
}

// A failing batch is taken back whole; the next batch of the commit starts where the previous
// successful one ended.
func TestSimulatorBatchesAreAllOrNothing(t *testing.T) {
	sim := NewSimulator(stateOf(nil, nil))
	first := run(t, sim, Batch{Actor: "one", Ops: []Operation{upsert("place:t:a", nil)}})
	bad := run(t, sim, Batch{Actor: "two", Ops: []Operation{
		upsert("place:t:b", nil),
		{Op: OpLink, Rel: RelPartOf, From: "place:t:b", To: "place:t:nowhere"},
		{Op: OpDeleteNode, NodeKind: KindPlace, ID: "place:t:gone"},
	}})
	third := run(t, sim, Batch{Actor: "three", Ops: []Operation{{Op: OpLink, Rel: RelPartOf, From: "place:t:a", To: "place:t:a2"}}})
	if len(first.Events) != 1 || first.Events[0].Actor != "one" {
		t.Fatalf("first: %v", ops(first.Events))
	}
	if len(bad.Events) != 0 || len(bad.Errors) != 2 || bad.Errors[0].Field != "operations[1].to" || bad.Errors[1].Field != "operations[2].id" {
		t.Fatalf("bad: events %v, errors %v", ops(bad.Events), bad.Errors)
	}
	if len(third.Errors) != 1 || third.Errors[0].Code != NotFound {
		t.Fatalf("third: %v", third.Errors)
	}
	p := sim.Plan()
	if len(p.PutNodes) != 1 || p.PutNodes[0].ID != "place:t:a" {
		t.Fatalf("plan %+v", p)
	}
}

// An integrator may not delete its node when that removes a relationship from another system's
// record, nor create a node that would not be its own.
func TestSimulatorIntegratorScope(t *testing.T) {
	mine := placeNode("place:henan:a", nil)
	theirs := placeNode("place:other:b", map[string]any{"source": "system:other"})
	rel := &Relationship{Kind: RelPartOf, From: theirs.ID, To: mine.ID}
	scope := &WriteScope{Systems: []string{"henan"}}
	sim := NewSimulator(stateOf([]*Node{mine, theirs}, []*Relationship{rel}))
	res := run(t, sim, Batch{Scope: scope, Ops: []Operation{{Op: OpDeleteNode, NodeKind: KindPlace, ID: mine.ID}}})
	if len(res.Errors) != 1 || res.Errors[0].Code != Forbidden || res.Errors[0].Field != "operations[0].id" {
		t.Fatalf("cascade into another system's record: %v", res.Errors)
	}
	res = run(t, sim, Batch{Scope: scope, Ops: []Operation{upsert("place:t:new", nil)}})
	if len(res.Errors) != 1 || res.Errors[0].Code != Forbidden {
		t.Fatalf("a new node without the integrator's ref: %v", res.Errors)
	}
	res = run(t, sim, Batch{Scope: scope, Ops: []Operation{{Op: OpUpsertNode, NodeKind: KindPlace, Ref: &ExternalRef{System: "henan", ExternalID: "N-1"},
		Props: map[string]any{"name": "新", "kind": "GRID"}}}})
	if len(res.Errors) != 0 || len(res.Events) != 1 || res.Events[0].ID != "place:henan:N-1" {
		t.Fatalf("a record of its own: %v %v", ops(res.Events), res.Errors)
	}
}

// Properties hold strings, numbers, booleans and flat lists of one of them; anything else is
// refused on its field.
func TestNormalizeRefusesOddValues(t *testing.T) {
	long := make([]byte, MaxIndexedBytes+1)
	for i := range long {
		long[i] = 'x'
	}
	for _, c := range []struct {
		value any
		field string
	}{
		{[]any{map[string]any{"a": 1}}, "operations[0].properties.v[0]"},
		{[]any{"a", int64(1)}, "operations[0].properties.v[1]"},
		{[]any{[]any{"a"}}, "operations[0].properties.v[0]"},
		{[]any{nil}, "operations[0].properties.v[0]"},
		{map[string]any{"a": 1}, "operations[0].properties.v"},
	} {
		op := upsert("place:t:a", map[string]any{"v": c.value})
		_, errs := NormalizeAll([]Operation{op})
		var e *Error
		if errs[0] == nil || !asError(errs[0], &e) || e.Code != BadUserInput || e.Field != c.field {
			t.Errorf("%v: %v, want BAD_USER_INPUT on %s", c.value, errs[0], c.field)
		}
	}
	op := upsert("place:t:a", nil)
	op.Props["name"] = string(long)
	if _, errs := NormalizeAll([]Operation{op}); errs[0] == nil || fmt.Sprint(errs[0]) == "" {
		t.Errorf("a name longer than an index key was accepted")
	}
	op = upsert("place:t:a", map[string]any{"v": []any{int64(1), 2.5}})
	norm, errs := NormalizeAll([]Operation{op})
	if errs[0] != nil || !slices.Equal(norm[0].Props["v"].([]any), []any{1.0, 2.5}) {
		t.Errorf("numbers of a list: %v %v", norm[0].Props["v"], errs[0])
	}
}

func asError(err error, target **Error) bool {
	e, ok := err.(*Error)
	*target = e
	return ok
}
