package neo4jstore

import (
	"context"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gongjian/gongjian/graph"
)

// Lookup returns the nodes with these ids (nil for unknown ids), and the pages of the hops
// nested under them (from every node found, at any depth), in one statement: a lookup and the
// levels below it cost one round trip. The pages are given one map per call in pre-order, as
// Hops gives them.
func (s *Store) Lookup(ctx context.Context, ids []string, nested []graph.HopCall) ([]*graph.Node, []map[string]*graph.Page, error) {
	if len(nested) == 0 {
		nodes, err := s.Nodes(ctx, ids)
		return nodes, nil, err
	}
	roots, flat := hopTree(nested)
	params := map[string]any{"ids": ids}
	kids, cols, err := nestedBodies(roots, "", params)
	if err != nil {
		return nil, nil, err
	}
	query := "UNWIND $ids AS id MATCH (n:Entity {id: id})\nWITH n, n AS m\n" + strings.Join(kids, "") +
		"RETURN n, [" + strings.Join(cols, ", ") + "] AS kids"
	byID := make(map[string]*graph.Node, len(ids))
	pages := make([]map[string]*graph.Page, len(flat))
	err = s.Read(ctx, func(ctx context.Context, tx Tx) error {
		emptyPages(pages)
		res, err := tx.Run(ctx, query, params)
		if err != nil {
			return err
		}
		for res.Next(ctx) {
			rec := res.Record()
			v, _ := rec.Get("n")
			n := toNode(v.(dbtype.Node))
			byID[n.ID] = n
			k, _ := rec.Get("kids")
			list, _ := k.([]any)
			nestedPages(roots, n.ID, list, pages)
		}
		return res.Err()
	})
	if err != nil {
		return nil, nil, err
	}
	out := make([]*graph.Node, len(ids))
	for i, id := range ids {
		out[i] = byID[id]
	}
	return out, pages, nil
}
