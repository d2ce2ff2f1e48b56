package neo4jstore

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gongjian/gongjian/graph"
)

// str reads a string column; a missing or null value is "".
func str(rec *neo4j.Record, key string) string {
	v, _ := rec.Get(key)
	s, _ := v.(string)
	return s
}

// integer reads an integer column; a missing or null value is 0.
func integer(rec *neo4j.Record, key string) int64 {
	v, _ := rec.Get(key)
	n, _ := v.(int64)
	return n
}

// singleRecord runs a query that returns one row, and returns it.
func singleRecord(ctx context.Context, tx Tx, query string, params map[string]any) (*neo4j.Record, error) {
	res, err := tx.Run(ctx, query, params)
	if err != nil {
		return nil, err
	}
	return res.Single(ctx)
}

// singleInt runs a query that returns one row and reads its integer column n.
func singleInt(ctx context.Context, tx Tx, query string, params map[string]any) (int64, error) {
	rec, err := singleRecord(ctx, tx, query, params)
	if err != nil {
		return 0, err
	}
	return integer(rec, "n"), nil
}

// toRelationship maps a driver relationship, whose ends are given by their entity ids.
func toRelationship(r dbtype.Relationship, from, to string) *graph.Relationship {
	key, _ := r.Props["key"].(string)
	return &graph.Relationship{Kind: graph.RelKind(r.Type), From: from, To: to, Key: key, Props: r.Props}
}
