package neo4jstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gongjian/gongjian/graph"
)

// MaxNetworkDepth bounds a neighbourhood's depth; countCeiling bounds how many nodes a
// neighbourhood's traversal counts before it stops (the counts are then lower bounds).
const (
	MaxNetworkDepth = 3
	countCeiling    = 200000
)

// networkParams holds a network query's kinds and date as statement parameters, and the
// conditions over a relationship r and the node m at its far end.
func networkConds(q graph.NetworkQuery, params map[string]any) string {
	params["types"] = graph.EnumStrings(q.RelKinds)
	params["labels"] = graph.EnumStrings(q.NodeKinds)
	conds := []string{"(size($types) = 0 OR type(r) IN $types)", "(size($labels) = 0 OR any(l IN labels(m) WHERE l IN $labels))"}
	if q.AsOf != nil {
		params["asOf"] = dbtype.Date(q.AsOf.Time)
		conds = append(conds, "coalesce(r.since, $asOf) <= $asOf", "coalesce(r.until, $asOf) >= $asOf",
			"coalesce(m.since, m.signedOn, $asOf) <= $asOf", "coalesce(m.until, $asOf) >= $asOf")
	}
	return strings.Join(conds, " AND ")
}

type hop struct{ from, to string }

// Neighbourhood returns the nodes within q.Depth relationships of q.IDs (over the allowed
// relationship and node kinds, holding on q.AsOf) and the relationships followed to reach
// them; the q.Limit nearest nodes when there are more. One statement per level, then one for
// the nodes and one for the relationships, all in one read transaction.
func (s *Store) Neighbourhood(ctx context.Context, q graph.NetworkQuery) (*graph.Network, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if q.Depth < 0 || q.Depth > MaxNetworkDepth {
		return nil, graph.FieldError("depth", "depth must be between 0 and %d, got %d", MaxNetworkDepth, q.Depth)
	}
	params := map[string]any{}
	conds := networkConds(q, params)
	level := fmt.Sprintf(`UNWIND $frontier AS id
MATCH (n:Entity {id: id})-[r]-(m:Entity)
WHERE %s
RETURN elementId(r) AS rid, n.id AS n, m.id AS m`, conds)
	net := &graph.Network{CountsExact: true}
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		// The starting nodes: they count whatever their kind.
		res, err := tx.Run(ctx, `UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN n.id AS id`, map[string]any{"ids": q.IDs})
		if err != nil {
			return err
		}
		var order []string // nodes in the order reached: nearest first
		seen := map[string]bool{}
		for res.Next(ctx) {
			id := str(res.Record(), "id")
			if !seen[id] {
				seen[id] = true
				order = append(order, id)
			}
		}
		if err := res.Err(); err != nil {
			return err
		}
		if len(order) == 0 {
			return &graph.Error{Code: graph.NotFound, Field: "ids", Message: "none of the ids names a node"}
		}
		hops := map[string]hop{}
		var hopOrder []string
		frontier := order
		for d := 0; d < q.Depth && len(frontier) > 0; d++ {
			params["frontier"] = frontier
			res, err := tx.Run(ctx, level, params)
			if err != nil {
				return err
			}
			var next []string
			for res.Next(ctx) {
				rec := res.Record()
				rid, n, m := str(rec, "rid"), str(rec, "n"), str(rec, "m")
				if _, ok := hops[rid]; !ok {
					hops[rid] = hop{from: n, to: m}
					hopOrder = append(hopOrder, rid)
				}
				if !seen[m] {
					seen[m] = true
					order = append(order, m)
					next = append(next, m)
				}
			}
			if err := res.Err(); err != nil {
				return err
			}
			if len(order) > countCeiling {
				net.CountsExact = false
				break
			}
			frontier = next
		}
		net.NodeCount, net.EdgeCount = len(order), len(hops)
		chosen := order
		if q.Limit > 0 && len(chosen) > q.Limit {
			chosen, net.Truncated = chosen[:q.Limit], true
		}
		in := map[string]bool{}
		for _, id := range chosen {
			in[id] = true
		}
		var pairs []map[string]any
		for _, rid := range hopOrder {
			h := hops[rid]
			if in[h.from] && in[h.to] {
				pairs = append(pairs, map[string]any{"rid": rid, "a": h.from, "b": h.to})
			}
		}
		if limit := graph.EdgesPerNode * max(q.Limit, 1); q.Limit > 0 && len(pairs) > limit {
			pairs, net.Truncated = pairs[:limit], true
		}
		if net.NodeList, err = fetchNodes(ctx, tx, chosen); err != nil {
			return err
		}
		net.EdgeList, err = fetchRelationships(ctx, tx, pairs)
		return err
	})
	if err != nil {
		return nil, err
	}
	return net, nil
}

// fetchNodes reads nodes by id, in the order given.
func fetchNodes(ctx context.Context, tx Tx, ids []string) ([]*graph.Node, error) {
	res, err := tx.Run(ctx, `UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN n`, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	var out []*graph.Node
	for res.Next(ctx) {
		v, _ := res.Record().Get("n")
		out = append(out, toNode(v.(dbtype.Node)))
	}
	return out, res.Err()
}

// fetchRelationships reads relationships by element id, each found from its two ends.
func fetchRelationships(ctx context.Context, tx Tx, pairs []map[string]any) ([]*graph.Relationship, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	res, err := tx.Run(ctx, `UNWIND $pairs AS p
MATCH (a:Entity {id: p.a})-[r]-(b:Entity {id: p.b})
WHERE elementId(r) = p.rid
RETURN r, startNode(r).id AS from, endNode(r).id AS to`, map[string]any{"pairs": pairs})
	if err != nil {
		return nil, err
	}
	var out []*graph.Relationship
	for res.Next(ctx) {
		rec := res.Record()
		v, _ := rec.Get("r")
		out = append(out, toRelationship(v.(dbtype.Relationship), str(rec, "from"), str(rec, "to")))
	}
	return out, res.Err()
}

// Subgraph returns the nodes of the allowed kinds that lie in q.Place or under it (see
// withinPatterns) and the relationships among them of the allowed kinds, holding on q.AsOf;
// the first q.Limit nodes (places first, then by kind and id) when there are more.
func (s *Store) Subgraph(ctx context.Context, q graph.NetworkQuery) (*graph.Network, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	kinds := q.NodeKinds
	if len(kinds) == 0 {
		kinds = graph.NodeKinds
	}
	var alts []string
	for _, k := range kinds {
		alts = append(alts, downUnion(k))
	}
	params := map[string]any{"within": q.Place, "limit": int64(max(q.Limit, 1)), "edgeLimit": int64(graph.EdgesPerNode * max(q.Limit, 1))}
	if q.Limit <= 0 {
		params["limit"], params["edgeLimit"] = int64(1<<31), int64(1<<31)
	}
	conds := networkConds(q, params)
	nodeDate := "true"
	if q.AsOf != nil {
		nodeDate = "coalesce(m.since, m.signedOn, $asOf) <= $asOf AND coalesce(m.until, $asOf) >= $asOf"
	}
	query := fmt.Sprintf(`OPTIONAL MATCH (found:Place {id: $within})
CALL () {
  MATCH (w:Place {id: $within})
  CALL (w) { %s }
  WITH DISTINCT m WHERE %s
  WITH m ORDER BY CASE WHEN m:Place THEN 0 ELSE 1 END, labels(m)[0], m.id
  RETURN collect(m) AS members
}
WITH found, members, members[..$limit] AS chosen
CALL (members) {
  UNWIND members AS n MATCH (n)-[r]->(m) WHERE m IN members AND %[3]s
  RETURN count(r) AS edgeCount
}
CALL (chosen) {
  UNWIND chosen AS n MATCH (n)-[r]->(m) WHERE m IN chosen AND %[3]s
  WITH r, n, m LIMIT $edgeLimit
  RETURN collect([r, n.id, m.id]) AS edges
}
RETURN found IS NOT NULL AS found, size(members) AS nodeCount, edgeCount, chosen, edges`, strings.Join(alts, " UNION "), nodeDate, conds)
	net := &graph.Network{CountsExact: true}
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, query, params)
		if err != nil {
			return err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return err
		}
		if err := placeMissing(rec, "place", q.Place); err != nil {
			return err
		}
		net.NodeCount, net.EdgeCount = int(integer(rec, "nodeCount")), int(integer(rec, "edgeCount"))
		nodes, _ := rec.Get("chosen")
		for _, n := range nodes.([]any) {
			net.NodeList = append(net.NodeList, toNode(n.(dbtype.Node)))
		}
		edges, _ := rec.Get("edges")
		for _, e := range edges.([]any) {
			cols := e.([]any)
			net.EdgeList = append(net.EdgeList, toRelationship(cols[0].(dbtype.Relationship), cols[1].(string), cols[2].(string)))
		}
		net.Truncated = len(net.NodeList) < net.NodeCount || len(net.EdgeList) < net.EdgeCount
		return nil
	})
	if err != nil {
		return nil, err
	}
	return net, nil
}
