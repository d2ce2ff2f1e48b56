package neo4jstore

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gongjian/gongjian/graph"
)

// lockAndRead is the first statement of every write: it takes the lock of the feed's counter
// (held until the transaction ends, so that writes are serialised and their events numbered in
// commit order), then reads, in the same round trip, all that the batches' operations name.
// Each part is anchored on the unique index of entity ids, so its plan is not made again when
// the counts drift (replan=skip).
const lockAndRead = `CYPHER replan=skip
MATCH (c:FeedCounter {id: 'feed'})
SET c.writes = coalesce(c.writes, 0) + 1
WITH c
CALL () {
  UNWIND $q.ids AS id
  MATCH (n:Entity {id: id})
  RETURN collect(n) AS nodes
}
CALL () {
  UNWIND $q.rels AS want
  MATCH (:Entity {id: want.from})-[r:$(want.kind) {key: want.key}]->(:Entity {id: want.to})
  RETURN collect({r: r, from: want.from, to: want.to}) AS named
}
CALL () {
  UNWIND $q.deletes AS id
  MATCH (n:Entity {id: id})-[r]-(m:Entity)
  RETURN collect({r: r, from: startNode(r).id, to: endNode(r).id}) AS attached, collect(DISTINCT m) AS others
}
CALL () {
  UNWIND $q.places AS id
  MATCH (p:Entity {id: id}) WHERE p:Place
  MATCH path = (p)-[:PART_OF*1..]->(:Place)
  UNWIND relationships(path) AS r
  WITH DISTINCT r
  RETURN collect({r: r, from: startNode(r).id, to: endNode(r).id}) AS above
}
RETURN c.seq AS head, nodes, named, attached, others, above`

// readState takes the feed's lock and reads the state the operations start from; head is the
// sequence number of the newest event.
func readState(ctx context.Context, tx Tx, q graph.StateQuery) (head int64, state *graph.BatchState, err error) {
	rels := make([]map[string]any, len(q.Rels))
	for i, r := range q.Rels {
		rels[i] = map[string]any{"kind": string(r.Kind), "from": r.From, "to": r.To, "key": r.Key}
	}
	// One map parameter: Neo4j plans a statement again for every new combination of parameter
	// types (an empty list is not typed like a full one), and a map hides what it holds.
	res, err := tx.Run(ctx, lockAndRead, map[string]any{"q": map[string]any{"ids": nonNil(q.IDs), "rels": rels, "deletes": nonNil(q.Deletes), "places": nonNil(q.Places)}})
	if err != nil {
		return 0, nil, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return 0, nil, &graph.Error{Code: graph.Internal, Message: "the change feed's counter is missing: is the schema migrated?", Err: err}
	}
	state = &graph.BatchState{Nodes: map[string]*graph.Node{}, Rels: map[string]*graph.Relationship{}}
	for _, col := range []string{"nodes", "others"} {
		v, _ := rec.Get(col)
		list, _ := v.([]any)
		for _, x := range list {
			n := stateNode(toNode(x.(dbtype.Node)))
			state.Nodes[n.ID] = n
		}
	}
	for _, col := range []string{"named", "attached", "above"} {
		v, _ := rec.Get(col)
		list, _ := v.([]any)
		for _, x := range list {
			m := x.(map[string]any)
			from, _ := m["from"].(string)
			to, _ := m["to"].(string)
			r := toRelationship(m["r"].(dbtype.Relationship), from, to)
			r.Props = fromDB(r.Props)
			state.Rels[r.ID()] = r
		}
	}
	return integer(rec, "head"), state, nil
}

func stateNode(n *graph.Node) *graph.Node {
	n.Props = fromDB(n.Props)
	return n
}

// fromDB turns stored values into the domain's (dates).
func fromDB(props map[string]any) map[string]any {
	out := make(map[string]any, len(props))
	for k, v := range props {
		if d, ok := v.(dbtype.Date); ok {
			out[k] = graph.DateOf(time.Time(d))
			continue
		}
		out[k] = v
	}
	return out
}

// toDB turns the domain's values into Neo4j's (dates).
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

// writePlan is the one statement that writes a commit: the plan's deletions, then its nodes and
// relationships, then its events (one ChangeSet node holds a commit's events), and the counter
// moved to the last event. Labels and types
// come from the plan, which took them from the allow-lists. The plan knows, under the feed's
// lock, which nodes and relationships are new: new relationships are created and stored ones
// matched from their start node (a MERGE with a dynamic type would scan every relationship).
// Plans are not made again when the counts drift (replan=skip): every step is anchored on the
// unique index of entity ids, whatever the statistics.
const writePlan = `CYPHER replan=skip
CALL () {
  UNWIND $p.delRels AS d
  MATCH (:Entity {id: d.from})-[r:$(d.kind) {key: d.key}]->(:Entity {id: d.to})
  DELETE r
}
CALL () {
  UNWIND $p.delNodes AS id
  MATCH (n:Entity {id: id})
  DETACH DELETE n
}
CALL () {
  UNWIND $p.nodes AS w
  MERGE (n:Entity {id: w.id})
  SET n += w.set
  SET n:$(w.kind)
}
CALL () {
  UNWIND $p.newRels AS w
  MATCH (a:Entity {id: w.from}), (b:Entity {id: w.to})
  CREATE (a)-[r:$(w.kind)]->(b)
  SET r = w.set
}
CALL () {
  UNWIND $p.rels AS w
  MATCH (:Entity {id: w.from})-[r:$(w.kind) {key: w.key}]->(:Entity {id: w.to})
  SET r += w.set
}
CREATE (:ChangeSet {first: $p.first, last: $p.head, at: $p.at, events: $p.events})
WITH *
MATCH (c:FeedCounter {id: 'feed'})
SET c.seq = $p.head`

// write runs the plan and appends the events (their Seq set).
func write(ctx context.Context, tx Tx, p graph.Plan, events []*graph.ChangeEvent) error {
	delRels := make([]map[string]any, len(p.DeleteRels))
	for i, r := range p.DeleteRels {
		delRels[i] = map[string]any{"kind": string(r.Kind), "from": r.From, "to": r.To, "key": r.Key}
	}
	nodes := make([]map[string]any, len(p.PutNodes))
	for i, n := range p.PutNodes {
		nodes[i] = map[string]any{"id": n.ID, "kind": string(n.Kind), "set": toDB(n.Set)}
	}
	newRels, rels := []map[string]any{}, []map[string]any{}
	for _, r := range p.PutRels {
		row := map[string]any{"kind": string(r.Kind), "from": r.From, "to": r.To, "key": r.Key, "set": toDB(r.Set)}
		if r.Create {
			newRels = append(newRels, row)
		} else {
			rels = append(rels, row)
		}
	}
	rows, err := encodeEvents(events)
	if err != nil {
		return err
	}
	_, err = tx.Run(ctx, writePlan, map[string]any{"p": map[string]any{"delRels": delRels, "delNodes": nonNil(p.DeleteNodes), "nodes": nodes,
		"newRels": newRels, "rels": rels, "events": rows, "first": events[0].Seq, "head": events[len(events)-1].Seq, "at": events[0].At}})
	return err
}
