package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/gongjian/gongjian/graph"
)

// Apply runs operations in one write transaction, all or nothing, and appends a change event
// for every node and relationship they change. An operation that changes nothing (an upsert of
// what is there) writes nothing and makes no event, so that pushing a record twice is
// harmless.
func (s *Store) Apply(ctx context.Context, actor string, ops []graph.Operation) ([]*graph.ChangeEvent, error) {
	return s.ApplyScoped(ctx, actor, nil, ops)
}

// ApplyScoped is Apply confined to a scope: an editor's operations may touch only nodes that
// lie in its places, before and after the write (so a new node must be linked into them in
// the same batch), and a deletion only relationships whose other ends lie there too; an
// integrator's only records of its systems, and relationships from them. Anything else is
// FORBIDDEN, and nothing is written. Every failing operation is reported (graph.BatchErrors).
func (s *Store) ApplyScoped(ctx context.Context, actor string, scope *graph.WriteScope, ops []graph.Operation) ([]*graph.ChangeEvent, error) {
	norm, errs := graph.NormalizeAll(ops)
	if err := graph.BatchErrorsOf(errs); err != nil {
		return nil, err
	}
	result, err := s.committer.submit(ctx, graph.Batch{Actor: actor, Scope: scope, Ops: norm})
	if err != nil {
		return nil, err
	}
	if len(result.Errors) > 0 {
		return nil, graph.BatchErrors(result.Errors)
	}
	return result.Events, nil
}

// errNothing rolls back a transaction that has nothing to write, or whose batch was refused.
var errNothing = errors.New("nothing to write")

// commit writes batches in one transaction with a fixed number of statements, whatever their
// size: the first takes the feed's lock and reads what the operations name; the batches run in
// memory (graph.Simulator), each all or nothing; one statement writes their net effect and
// appends their events; an editor's batch adds one statement before and one after the write
// to check its places. A batch confined to places must be committed alone.
func (s *Store) commit(ctx context.Context, batches []graph.Batch) ([]graph.BatchResult, error) {
	var all []graph.Operation
	for _, b := range batches {
		if placeScoped(b.Scope) && len(batches) > 1 {
			return nil, graph.Errorf(graph.Internal, "a batch confined to places is committed alone")
		}
		all = append(all, b.Ops...)
	}
	query := graph.QueryOf(all)
	var results []graph.BatchResult
	err := s.Write(ctx, func(ctx context.Context, tx Tx) error {
		head, state, err := readState(ctx, tx, query)
		if err != nil {
			return err
		}
		sim := graph.NewSimulator(state)
		results = make([]graph.BatchResult, len(batches))
		for i, b := range batches {
			results[i] = sim.Run(b)
		}
		var after []graph.Touch
		if b := batches[0]; placeScoped(b.Scope) && len(results[0].Errors) == 0 {
			var before []graph.Touch
			before, after = sim.ScopeIDs(results[0].Touched)
			if results[0].Errors, err = outside(ctx, tx, before, b.Scope.Places, "lay"); err != nil {
				return err
			}
			if len(results[0].Errors) > 0 {
				results[0].Events = nil
				return errNothing
			}
		}
		now := time.Now().UTC()
		var events []*graph.ChangeEvent
		for _, r := range results {
			for _, e := range r.Events {
				e.Seq, e.At = head+int64(len(events))+1, now
				events = append(events, e)
			}
		}
		if len(events) == 0 {
			return errNothing
		}
		if err := write(ctx, tx, sim.Plan(), events); err != nil {
			return err
		}
		if len(after) > 0 {
			if results[0].Errors, err = outside(ctx, tx, after, batches[0].Scope.Places, "lies"); err != nil {
				return err
			}
			if len(results[0].Errors) > 0 {
				results[0].Events = nil
				return errNothing
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, errNothing) {
		return nil, err
	}
	return results, nil
}

func placeScoped(scope *graph.WriteScope) bool { return scope != nil && scope.Systems == nil }

// outsidePlaces is the statement that finds, among $ids, the nodes that lie in none of the
// places $scope (see withinPatterns); it is the same for every call, so it is built once.
var outsidePlaces = sync.OnceValue(func() string {
	var alts []string
	for _, k := range graph.NodeKinds {
		var ps []string
		for _, p := range withinPatterns[k] {
			ps = append(ps, "EXISTS { MATCH (w:Entity) WHERE w.id IN $scope AND w:Place MATCH "+p+" }")
		}
		alts = append(alts, fmt.Sprintf("(m:%s AND (%s))", k, strings.Join(ps, " OR ")))
	}
	return fmt.Sprintf(`UNWIND $ids AS id MATCH (m:Entity {id: id}) WITH m WHERE NOT (%s) RETURN collect(m.id) AS ids`, strings.Join(alts, " OR "))
})

// outside checks nodes against an editor's places: one FORBIDDEN error for each that lies
// outside them, on the field of the first operation that touched it.
func outside(ctx context.Context, tx Tx, touched []graph.Touch, places []string, when string) ([]*graph.Error, error) {
	if len(touched) == 0 {
		return nil, nil
	}
	ids := make([]string, len(touched))
	for i, t := range touched {
		ids[i] = t.ID
	}
	res, err := tx.Run(ctx, outsidePlaces(), map[string]any{"ids": ids, "scope": nonNil(places)})
	if err != nil {
		return nil, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return nil, err
	}
	v, _ := rec.Get("ids")
	out := map[string]bool{}
	for _, id := range graph.StringList(v) {
		out[id] = true
	}
	var errs []*graph.Error
	for _, t := range touched {
		if out[t.ID] {
			msg := fmt.Sprintf("%s %s outside the places you may change", t.ID, when)
			if t.Removed {
				msg = fmt.Sprintf("the deletion would remove a relationship of %s, which lies outside the places you may change", t.ID)
			}
			errs = append(errs, &graph.Error{Code: graph.Forbidden, Field: t.Field, Message: msg})
		}
	}
	return errs, nil
}
