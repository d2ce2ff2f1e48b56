package neo4jstore

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gongjian/gongjian/graph"
)

// Apply runs operations in one write transaction, all or nothing, and appends a change event
// for every node and relationship they change. An operation that changes nothing (an upsert of
// what is there) writes nothing and makes no event, so that pushing a record twice is
// harmless. The events' sequence numbers are taken last, under the lock of the feed's
// counter, which the transaction holds until it commits: they are gap-free and follow commit
// order whatever the concurrency.
func (s *Store) Apply(ctx context.Context, actor string, ops []graph.Operation) ([]*graph.ChangeEvent, error) {
	return s.ApplyScoped(ctx, actor, nil, ops)
}

// ApplyScoped is Apply confined to a scope: an editor's operations may touch only nodes that
// lie in its places, before and after the write (so a new node must be linked into them in
// the same batch); an integrator's only records of its systems, and relationships from them.
// Anything else is FORBIDDEN, and nothing is written.
func (s *Store) ApplyScoped(ctx context.Context, actor string, scope *graph.WriteScope, ops []graph.Operation) ([]*graph.ChangeEvent, error) {
	norm, errs := graph.NormalizeAll(ops)
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	var events []*graph.ChangeEvent
	err := s.Write(ctx, func(ctx context.Context, tx Tx) error {
		events = nil
		if err := checkScope(ctx, tx, scope, norm, true); err != nil {
			return err
		}
		for i, op := range norm {
			field := fmt.Sprintf("operations[%d]", i)
			ev, err := applyOne(ctx, tx, field, op)
			if err != nil {
				return err
			}
			events = append(events, ev...)
		}
		if err := checkScope(ctx, tx, scope, norm, false); err != nil {
			return err
		}
		if len(events) == 0 {
			return nil
		}
		seq, err := singleInt(ctx, tx, `MATCH (c:FeedCounter {id: 'feed'}) SET c.seq = c.seq + $n RETURN c.seq AS n`,
			map[string]any{"n": int64(len(events))})
		if err != nil {
			return err
		}
		if seq == 0 {
			return graph.Errorf(graph.Internal, "the change feed's counter is missing: is the schema migrated?")
		}
		now := time.Now().UTC()
		rows := make([]map[string]any, len(events))
		for i, e := range events {
			e.Seq, e.Actor, e.At = seq-int64(len(events))+int64(i)+1, actor, now
			changes, _ := json.Marshal(e.Changes)
			rows[i] = map[string]any{"seq": e.Seq, "entity": e.Entity, "kind": e.Kind, "id": e.ID, "op": e.Op,
				"changes": string(changes), "actor": actor, "at": now}
		}
		_, err = tx.Run(ctx, `UNWIND $rows AS e
CREATE (:ChangeEvent {seq: e.seq, entity: e.entity, kind: e.kind, id: e.id, op: e.op, changes: e.changes, actor: e.actor, at: e.at})`,
			map[string]any{"rows": rows})
		return err
	})
	if err != nil {
		return nil, err
	}
	return events, nil
}

// toDB turns the operation's values into Neo4j's (dates).
func toDB(props map[string]any) map[string]any {
	out := make(map[string]any, len(props))
	for k, v := range props {
		if d, ok := v.(graph.Date); ok {
			out[k] = dbtype.Date(d.Time)
			continue
		}
		out[k] = v
	}
	return out
}

// plain turns a stored value into one for the feed (dates as YYYY-MM-DD, integers as int64).
func plain(v any) any {
	switch x := v.(type) {
	case dbtype.Date:
		return graph.DateOf(time.Time(x)).String()
	case graph.Date:
		return x.String()
	case int:
		return int64(x)
	}
	return v
}

// diff lists the fields whose values differ between before and after.
func diff(before, after map[string]any) []*graph.Change {
	var keys []string
	for k := range before {
		keys = append(keys, k)
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []*graph.Change
	for _, k := range keys {
		b, a := plain(before[k]), plain(after[k])
		if !reflect.DeepEqual(b, a) {
			out = append(out, &graph.Change{Field: k, Before: b, After: a})
		}
	}
	return out
}

func applyOne(ctx context.Context, tx Tx, field string, op graph.Operation) ([]*graph.ChangeEvent, error) {
	switch op.Op {
	case graph.OpUpsertNode:
		return upsertNode(ctx, tx, field, op)
	case graph.OpDeleteNode:
		return deleteNode(ctx, tx, field, op)
	case graph.OpLink:
		return link(ctx, tx, field, op)
	case graph.OpUnlink:
		return unlink(ctx, tx, field, op)
	}
	return nil, graph.FieldError(field+".op", "unknown operation %q", op.Op)
}

// nodeState reads a node's kind and properties; ok is false when there is none.
func nodeState(ctx context.Context, tx Tx, id string) (kind graph.NodeKind, props map[string]any, ok bool, err error) {
	res, err := tx.Run(ctx, `MATCH (n:Entity {id: $id}) RETURN n`, map[string]any{"id": id})
	if err != nil {
		return "", nil, false, err
	}
	if !res.Next(ctx) {
		return "", nil, false, res.Err()
	}
	v, _ := res.Record().Get("n")
	n := toNode(v.(dbtype.Node))
	return n.Label, n.Props, true, res.Err()
}

// endKinds reads the kinds of a relationship's two ends in one statement; a missing end is
// NOT_FOUND on its field.
func endKinds(ctx context.Context, tx Tx, field, from, to string) (graph.NodeKind, graph.NodeKind, error) {
	res, err := tx.Run(ctx, `OPTIONAL MATCH (a:Entity {id: $from}) OPTIONAL MATCH (b:Entity {id: $to}) RETURN a, b`,
		map[string]any{"from": from, "to": to})
	if err != nil {
		return "", "", err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return "", "", err
	}
	var kinds [2]graph.NodeKind
	for i, end := range []struct{ col, field, id string }{{"a", ".from", from}, {"b", ".to", to}} {
		v, _ := rec.Get(end.col)
		n, ok := v.(dbtype.Node)
		if !ok {
			return "", "", &graph.Error{Code: graph.NotFound, Field: field + end.field, Message: fmt.Sprintf("no node has the id %q", end.id)}
		}
		kinds[i] = toNode(n).Label
	}
	return kinds[0], kinds[1], nil
}

func upsertNode(ctx context.Context, tx Tx, field string, op graph.Operation) ([]*graph.ChangeEvent, error) {
	kind, before, exists, err := nodeState(ctx, tx, op.ID)
	if err != nil {
		return nil, err
	}
	if exists && kind != op.NodeKind {
		return nil, &graph.Error{Code: graph.Conflict, Field: field + ".id", Message: fmt.Sprintf("%s is a %s, not a %s", op.ID, kind, op.NodeKind)}
	}
	set := toDB(op.Props)
	if op.Ref != nil {
		set["source"], set["externalId"] = "system:"+op.Ref.System, op.Ref.ExternalID
	} else if !exists {
		set["source"] = "system:api"
	}
	after := map[string]any{}
	for k, v := range before {
		after[k] = v
	}
	for k, v := range set {
		if v == nil {
			delete(after, k)
		} else {
			after[k] = v
		}
	}
	after["id"] = op.ID
	changes := diff(before, after)
	if exists && len(changes) == 0 {
		return nil, nil
	}
	// The label comes from the allow-list (Normalize checked it).
	if _, err := tx.Run(ctx, fmt.Sprintf(`MERGE (n:Entity {id: $id}) SET n:%s SET n += $props`, op.NodeKind),
		map[string]any{"id": op.ID, "props": set}); err != nil {
		return nil, err
	}
	verb := "UPDATE"
	if !exists {
		verb = "CREATE"
	}
	return []*graph.ChangeEvent{{Entity: "node", Kind: string(op.NodeKind), ID: op.ID, Op: verb, Changes: changes}}, nil
}

func deleteNode(ctx context.Context, tx Tx, field string, op graph.Operation) ([]*graph.ChangeEvent, error) {
	kind, before, exists, err := nodeState(ctx, tx, op.ID)
	if err != nil {
		return nil, err
	}
	if !exists {
		return nil, &graph.Error{Code: graph.NotFound, Field: field + ".id", Message: fmt.Sprintf("no node has the id %q", op.ID)}
	}
	if kind != op.NodeKind {
		return nil, &graph.Error{Code: graph.Conflict, Field: field + ".id", Message: fmt.Sprintf("%s is a %s, not a %s", op.ID, kind, op.NodeKind)}
	}
	// Its relationships go with it: each gets an event of its own.
	res, err := tx.Run(ctx, `MATCH (n:Entity {id: $id})-[r]-()
RETURN startNode(r).id AS from, endNode(r).id AS to, r AS r`, map[string]any{"id": op.ID})
	if err != nil {
		return nil, err
	}
	var events []*graph.ChangeEvent
	for res.Next(ctx) {
		rec := res.Record()
		v, _ := rec.Get("r")
		rel := toRelationship(v.(dbtype.Relationship), str(rec, "from"), str(rec, "to"))
		events = append(events, &graph.ChangeEvent{Entity: "relationship", Kind: string(rel.Kind), ID: rel.ID(), Op: "DELETE",
			Changes: diff(withEnds(rel.Props, rel), nil)})
	}
	if err := res.Err(); err != nil {
		return nil, err
	}
	if _, err := tx.Run(ctx, `MATCH (n:Entity {id: $id}) DETACH DELETE n`, map[string]any{"id": op.ID}); err != nil {
		return nil, err
	}
	return append(events, &graph.ChangeEvent{Entity: "node", Kind: string(kind), ID: op.ID, Op: "DELETE", Changes: diff(before, nil)}), nil
}

// withEnds adds a relationship's kind and ends to its properties, for its events.
func withEnds(props map[string]any, r *graph.Relationship) map[string]any {
	out := map[string]any{"from": r.From, "to": r.To, "kind": string(r.Kind)}
	for k, v := range props {
		out[k] = v
	}
	return out
}

func link(ctx context.Context, tx Tx, field string, op graph.Operation) ([]*graph.ChangeEvent, error) {
	fromKind, toKind, err := endKinds(ctx, tx, field, op.From, op.To)
	if err != nil {
		return nil, err
	}
	if err := op.CheckEnds(field, fromKind, toKind); err != nil {
		return nil, err
	}
	params := map[string]any{"from": op.From, "to": op.To, "key": op.Key, "props": toDB(op.Props)}
	if op.Rel == graph.RelPartOf {
		// No place may be its own ancestor.
		cycle, err := singleInt(ctx, tx, `MATCH (a:Place {id: $from}), (b:Place {id: $to})
RETURN CASE WHEN EXISTS { (b)-[:PART_OF*1..]->(a) } THEN 1 ELSE 0 END AS n`, params)
		if err != nil {
			return nil, err
		}
		if cycle == 1 {
			return nil, &graph.Error{Code: graph.Conflict, Field: field + ".to", Message: fmt.Sprintf("%s lies under %s: a place cannot be its own ancestor", op.To, op.From)}
		}
	}
	// The type comes from the allow-list (Normalize checked it).
	res, err := tx.Run(ctx, fmt.Sprintf(`MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
OPTIONAL MATCH (a)-[old:%[1]s {key: $key}]->(b)
WITH a, b, properties(old) AS before
MERGE (a)-[r:%[1]s {key: $key}]->(b)
SET r += $props
RETURN before, properties(r) AS after`, op.Rel), params)
	if err != nil {
		return nil, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return nil, err
	}
	bv, _ := rec.Get("before")
	av, _ := rec.Get("after")
	before, _ := bv.(map[string]any)
	after, _ := av.(map[string]any)
	rel := &graph.Relationship{Kind: op.Rel, From: op.From, To: op.To, Key: op.Key}
	verb := "UPDATE"
	if before == nil {
		verb = "CREATE"
		after = withEnds(after, rel)
	}
	changes := diff(before, after)
	if len(changes) == 0 {
		return nil, nil
	}
	return []*graph.ChangeEvent{{Entity: "relationship", Kind: string(op.Rel), ID: rel.ID(), Op: verb, Changes: changes}}, nil
}

func unlink(ctx context.Context, tx Tx, field string, op graph.Operation) ([]*graph.ChangeEvent, error) {
	res, err := tx.Run(ctx, fmt.Sprintf(`MATCH (a:Entity {id: $from})-[r:%s {key: $key}]->(b:Entity {id: $to})
WITH r, properties(r) AS before DELETE r RETURN before`, op.Rel), map[string]any{"from": op.From, "to": op.To, "key": op.Key})
	if err != nil {
		return nil, err
	}
	if !res.Next(ctx) {
		if err := res.Err(); err != nil {
			return nil, err
		}
		return nil, &graph.Error{Code: graph.NotFound, Field: field, Message: fmt.Sprintf("no %s relationship from %s to %s", op.Rel, op.From, op.To)}
	}
	bv, _ := res.Record().Get("before")
	before, _ := bv.(map[string]any)
	rel := &graph.Relationship{Kind: op.Rel, From: op.From, To: op.To, Key: op.Key}
	return []*graph.ChangeEvent{{Entity: "relationship", Kind: string(op.Rel), ID: rel.ID(), Op: "DELETE", Changes: diff(withEnds(before, rel), nil)}}, res.Err()
}

// Changes returns the events after the cursor, oldest first. A cursor older than the events
// kept is refused: the consumer must bootstrap again from an export.
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]*graph.ChangeEvent, error) {
	var out []*graph.ChangeEvent
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, `MATCH (c:FeedCounter {id: 'feed'})
OPTIONAL CALL (c) {
  MATCH (e:ChangeEvent) WHERE e.seq > $after AND e.seq <= c.seq
  RETURN e ORDER BY e.seq LIMIT $limit
}
RETURN c.floor AS floor, e`, map[string]any{"after": after, "limit": int64(limit)})
		if err != nil {
			return err
		}
		for res.Next(ctx) {
			rec := res.Record()
			if floor := integer(rec, "floor"); after < floor {
				return &graph.Error{Code: graph.BadUserInput, Field: "after", Message: fmt.Sprintf(
					"cursor %d is older than the events kept (from %d): bootstrap again from /export", after, floor+1)}
			}
			v, _ := rec.Get("e")
			if n, ok := v.(dbtype.Node); ok {
				out = append(out, toEvent(n))
			}
		}
		return res.Err()
	})
	return out, err
}

func toEvent(n dbtype.Node) *graph.ChangeEvent {
	e := &graph.ChangeEvent{}
	e.Seq, _ = n.Props["seq"].(int64)
	e.Entity, _ = n.Props["entity"].(string)
	e.Kind, _ = n.Props["kind"].(string)
	e.ID, _ = n.Props["id"].(string)
	e.Op, _ = n.Props["op"].(string)
	e.Actor, _ = n.Props["actor"].(string)
	if at, ok := n.Props["at"].(time.Time); ok {
		e.At = at
	}
	if s, ok := n.Props["changes"].(string); ok {
		_ = json.Unmarshal([]byte(s), &e.Changes)
	}
	return e
}

// PruneChanges deletes the events older than the cutoff (and at most a batch of them) and
// raises the feed's floor: cursors below it are refused.
func (s *Store) PruneChanges(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := s.Write(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		n, err = singleInt(ctx, tx, `MATCH (c:FeedCounter {id: 'feed'})
OPTIONAL CALL () {
  MATCH (e:ChangeEvent) WHERE e.at < $cutoff
  WITH e ORDER BY e.seq LIMIT 10000
  WITH collect(e) AS old
  RETURN old, reduce(m = 0, x IN old | CASE WHEN x.seq > m THEN x.seq ELSE m END) AS top
}
FOREACH (x IN old | DELETE x)
SET c.floor = CASE WHEN top > c.floor THEN top ELSE c.floor END
RETURN size(old) AS n`, map[string]any{"cutoff": cutoff.UTC()})
		return err
	})
	return n, err
}

// FeedHead is the sequence number of the newest event.
func (s *Store) FeedHead(ctx context.Context) (int64, error) {
	var n int64
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		n, err = singleInt(ctx, tx, `MATCH (c:FeedCounter {id: 'feed'}) RETURN c.seq AS n`, nil)
		return err
	})
	return n, err
}

// Export streams every node and relationship of the graph, consistent with a point of the
// change feed: it holds the feed's counter locked while it reads, so that no write commits
// meanwhile, and reports that point (the cursor to follow the feed from) before the first
// entity. Writers wait until it ends. The transaction is rolled back: export writes nothing.
func (s *Store) Export(ctx context.Context, cursor func(seq int64) error, node func(*graph.Node) error, rel func(*graph.Relationship) error) error {
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeWrite, DatabaseName: s.cfg.Database, BookmarkManager: s.bookmarks})
	defer session.Close(context.WithoutCancel(ctx))
	tx, err := session.BeginTransaction(ctx)
	if err != nil {
		return classify(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	run := func(query string) (neo4j.ResultWithContext, error) {
		graph.CountRoundTrip(ctx)
		return tx.Run(ctx, query, nil)
	}
	res, err := run(`MATCH (c:FeedCounter {id: 'feed'}) SET c.exporting = coalesce(c.exporting, 0) + 1 RETURN c.seq AS n`)
	if err != nil {
		return classify(err)
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return classify(err)
	}
	if err := cursor(integer(rec, "n")); err != nil {
		return err
	}
	if res, err = run(`MATCH (n:Entity) RETURN n`); err != nil {
		return classify(err)
	}
	for res.Next(ctx) {
		v, _ := res.Record().Get("n")
		if err := node(toNode(v.(dbtype.Node))); err != nil {
			return err
		}
	}
	if err := res.Err(); err != nil {
		return classify(err)
	}
	if res, err = run(`MATCH (a:Entity)-[r]->(b:Entity) RETURN r, a.id AS from, b.id AS to`); err != nil {
		return classify(err)
	}
	for res.Next(ctx) {
		rec := res.Record()
		v, _ := rec.Get("r")
		if err := rel(toRelationship(v.(dbtype.Relationship), str(rec, "from"), str(rec, "to"))); err != nil {
			return err
		}
	}
	return classify(res.Err())
}

// outsidePlaces is the statement that finds, among $ids, a node that lies in none of the
// places $scope (see withinPatterns); it is the same for every call, so it is built once.
var outsidePlaces = sync.OnceValue(func() string {
	var alts []string
	for _, k := range graph.NodeKinds {
		var ps []string
		for _, p := range withinPatterns[k] {
			ps = append(ps, "EXISTS { MATCH (w:Place) WHERE w.id IN $scope MATCH "+p+" }")
		}
		alts = append(alts, fmt.Sprintf("(m:%s AND (%s))", k, strings.Join(ps, " OR ")))
	}
	return fmt.Sprintf(`UNWIND $ids AS id MATCH (m:Entity {id: id}) WITH m WHERE NOT (%s) RETURN m.id AS id LIMIT 1`, strings.Join(alts, " OR "))
})

// checkScope refuses operations outside a write scope; it runs before the operations (on the
// nodes as they were) and after them (on the nodes as they are).
func checkScope(ctx context.Context, tx Tx, scope *graph.WriteScope, ops []graph.Operation, before bool) error {
	if scope == nil {
		return nil
	}
	var ids []string
	for _, op := range ops {
		if op.Op == graph.OpUpsertNode || op.Op == graph.OpDeleteNode {
			ids = append(ids, op.ID)
		} else if len(scope.Places) > 0 || scope.Systems == nil {
			ids = append(ids, op.From, op.To)
		} else {
			ids = append(ids, op.From)
		}
	}
	if scope.Systems != nil {
		for i, op := range ops {
			if (op.Op == graph.OpUpsertNode || op.Op == graph.OpDeleteNode) && op.Ref != nil && !slices.Contains(scope.Systems, op.Ref.System) {
				return &graph.Error{Code: graph.Forbidden, Field: fmt.Sprintf("operations[%d].ref.system", i), Message: "records of " + op.Ref.System + " are not yours to push"}
			}
		}
		sources := make([]string, len(scope.Systems))
		for i, sys := range scope.Systems {
			sources[i] = "system:" + sys
		}
		res, err := tx.Run(ctx, `UNWIND $ids AS id MATCH (m:Entity {id: id}) WHERE NOT coalesce(m.source, '') IN $sources RETURN m.id AS id LIMIT 1`,
			map[string]any{"ids": ids, "sources": sources})
		if err != nil {
			return err
		}
		if res.Next(ctx) {
			return &graph.Error{Code: graph.Forbidden, Field: "operations", Message: fmt.Sprintf("%s is not a record of your systems", str(res.Record(), "id"))}
		}
		return res.Err()
	}
	res, err := tx.Run(ctx, outsidePlaces(), map[string]any{"ids": ids, "scope": scope.Places})
	if err != nil {
		return err
	}
	if res.Next(ctx) {
		when := "lies"
		if before {
			when = "lay"
		}
		return &graph.Error{Code: graph.Forbidden, Field: "operations", Message: fmt.Sprintf("%s %s outside the places you may change", str(res.Record(), "id"), when)}
	}
	return res.Err()
}
