package neo4jstore

import (
	"context"
	"fmt"

	"github.com/gongjian/gongjian/graph"
)

// NodeRow is one node to upsert: its id and the properties to set.
type NodeRow struct {
	ID    string
	Props map[string]any
}

// EdgeRow is one relationship to upsert between two existing nodes. Key tells apart parallel
// relationships of one type between the same two nodes (for example two reporting periods);
// it is usually empty.
type EdgeRow struct {
	From, To, Key string
	Props         map[string]any
}

// UpsertNodes creates or updates nodes of one kind in a single write transaction: a node is
// found by id (label Entity, unique), given the kind's label, and its properties are set.
// Running it twice changes nothing.
func (s *Store) UpsertNodes(ctx context.Context, kind graph.NodeKind, rows []NodeRow) error {
	if !kind.Valid() {
		return graph.Errorf(graph.BadUserInput, "unknown node kind %q", kind)
	}
	params := nodeParams(rows)
	// The label comes from the allow-list checked above, never from free input.
	query := fmt.Sprintf(`UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n:%s
SET n += row.props`, kind)
	return s.Write(ctx, func(ctx context.Context, tx Tx) error {
		_, err := tx.Run(ctx, query, map[string]any{"rows": params})
		return err
	})
}

// UpsertEdges creates or updates relationships of one kind in a single write transaction.
// Both ends must exist; a row whose end is missing is an error and nothing is written.
func (s *Store) UpsertEdges(ctx context.Context, kind graph.RelKind, rows []EdgeRow) error {
	if !kind.Valid() {
		return graph.Errorf(graph.BadUserInput, "unknown relationship kind %q", kind)
	}
	params := edgeParams(rows)
	query := fmt.Sprintf(`UNWIND $rows AS row
OPTIONAL MATCH (a:Entity {id: row.from})
OPTIONAL MATCH (b:Entity {id: row.to})
FOREACH (_ IN CASE WHEN a IS NOT NULL AND b IS NOT NULL THEN [1] ELSE [] END |
  MERGE (a)-[r:%s {key: row.key}]->(b)
  SET r += row.props)
RETURN count(*) AS rows, sum(CASE WHEN a IS NULL OR b IS NULL THEN 1 ELSE 0 END) AS missing,
       collect(CASE WHEN a IS NULL THEN row.from WHEN b IS NULL THEN row.to END)[0] AS firstMissing`, kind)
	return s.Write(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, query, map[string]any{"rows": params})
		if err != nil {
			return err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return err
		}
		if missing := integer(rec, "missing"); missing > 0 {
			// Returning an error rolls the transaction back: nothing of the batch is written.
			return graph.Errorf(graph.NotFound, "%d %s relationships name a node that does not exist (first: %q)",
				missing, kind, str(rec, "firstMissing"))
		}
		return nil
	})
}

// Counts returns the number of nodes per kind and relationships per kind.
func (s *Store) Counts(ctx context.Context) (nodes map[graph.NodeKind]int64, rels map[graph.RelKind]int64, err error) {
	nodes, rels = map[graph.NodeKind]int64{}, map[graph.RelKind]int64{}
	err = s.Read(ctx, func(ctx context.Context, tx Tx) error {
		for _, k := range graph.NodeKinds {
			// Label and type counts come from the count store: no scan.
			n, err := singleInt(ctx, tx, fmt.Sprintf(`MATCH (n:%s) RETURN count(n) AS n`, k), nil)
			if err != nil {
				return err
			}
			nodes[k] = n
		}
		for _, k := range graph.RelKinds {
			n, err := singleInt(ctx, tx, fmt.Sprintf(`MATCH ()-[r:%s]->() RETURN count(r) AS n`, k), nil)
			if err != nil {
				return err
			}
			rels[k] = n
		}
		return nil
	})
	return nodes, rels, err
}

// EntityCount is the number of entities in the database.
func (s *Store) EntityCount(ctx context.Context) (int64, error) {
	var n int64
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		n, err = singleInt(ctx, tx, `MATCH (n:Entity) RETURN count(n) AS n`, nil)
		return err
	})
	return n, err
}

// CreateNodes creates nodes of one kind in a single write transaction, without looking for
// them first: for a load into a database that held no entity when it began (the id
// constraint still refuses a duplicate, and then nothing of the batch is written).
func (s *Store) CreateNodes(ctx context.Context, kind graph.NodeKind, rows []NodeRow) error {
	if !kind.Valid() {
		return graph.Errorf(graph.BadUserInput, "unknown node kind %q", kind)
	}
	params := nodeParams(rows)
	// The label comes from the allow-list checked above, never from free input.
	query := fmt.Sprintf(`UNWIND $rows AS row
CREATE (n:Entity:%s)
SET n = row.props, n.id = row.id`, kind)
	return s.Write(ctx, func(ctx context.Context, tx Tx) error {
		_, err := tx.Run(ctx, query, map[string]any{"rows": params})
		return err
	})
}

// CreateEdges creates relationships of one kind in a single write transaction, without
// looking for an existing one between the same nodes (which, on a dense node, means reading
// all its relationships): for a load into a database that held no entity when it began. Both
// ends must exist; a row whose end is missing is an error and nothing is written.
func (s *Store) CreateEdges(ctx context.Context, kind graph.RelKind, rows []EdgeRow) error {
	if !kind.Valid() {
		return graph.Errorf(graph.BadUserInput, "unknown relationship kind %q", kind)
	}
	params := edgeParams(rows)
	query := fmt.Sprintf(`UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
CREATE (a)-[r:%s]->(b)
SET r = row.props, r.key = row.key
RETURN count(r) AS created`, kind)
	return s.Write(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, query, map[string]any{"rows": params})
		if err != nil {
			return err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return err
		}
		if created := integer(rec, "created"); created != int64(len(rows)) {
			// Returning an error rolls the transaction back: nothing of the batch is written.
			return graph.Errorf(graph.NotFound, "%d of %d %s relationships name a node that does not exist",
				int64(len(rows))-created, len(rows), kind)
		}
		return nil
	})
}

// nodeParams are node rows as statement parameters.
func nodeParams(rows []NodeRow) []map[string]any {
	params := make([]map[string]any, len(rows))
	for i, r := range rows {
		params[i] = map[string]any{"id": r.ID, "props": r.Props}
	}
	return params
}

// edgeParams are relationship rows as statement parameters.
func edgeParams(rows []EdgeRow) []map[string]any {
	params := make([]map[string]any, len(rows))
	for i, r := range rows {
		params[i] = map[string]any{"from": r.From, "to": r.To, "key": r.Key, "props": r.Props}
	}
	return params
}
