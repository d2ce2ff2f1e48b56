package neo4jstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gongjian/gongjian/graph"
)

// withinPatterns say, for each node kind, what "lies in place w or under it" means: a node m
// does when one of its patterns matches. Each is fixed Cypher text over (m) and a bound (w).
var withinPatterns = map[graph.NodeKind][]string{
	graph.KindPlace: {`(m)-[:PART_OF*0..]->(w)`},
	graph.KindUnit:  {`(m)-[:STATIONED_IN]->(:Place)-[:PART_OF*0..]->(w)`},
	graph.KindPartyOrg: {
		`(m)-[:SUBORDINATE_TO*0..4]->(:PartyOrg)-[:ORG_OF]->(:Place)-[:PART_OF*0..]->(w)`,
		`(m)-[:SUBORDINATE_TO*0..4]->(:PartyOrg)-[:ORG_OF]->(:Unit)-[:STATIONED_IN]->(:Place)-[:PART_OF*0..]->(w)`,
	},
	graph.KindCommittee: {`(m)-[:COVERS]->(:Place)-[:PART_OF*0..]->(w)`},
	graph.KindSeat:      {`(m)-[:SEAT_ON]->(:Committee)-[:COVERS]->(:Place)-[:PART_OF*0..]->(w)`},
	graph.KindPerson: {
		`(m)-[:LIVES_IN|REPORTS_TO|SECONDED_TO]->(:Place)-[:PART_OF*0..]->(w)`,
		`(m)-[:WORKS_IN]->(:Unit)-[:STATIONED_IN]->(:Place)-[:PART_OF*0..]->(w)`,
		`(m)-[:MEMBER_OF]->(:PartyOrg)-[:ORG_OF]->(:Place)-[:PART_OF*0..]->(w)`,
	},
	graph.KindAgreement: {`(m)-[:WITH]->(:Place)-[:PART_OF*0..]->(w)`},
	graph.KindProject: {
		`(m)-[:PROJECT_IN]->(:Place)-[:PART_OF*0..]->(w)`,
		`(m)-[:UNDER]->(:Agreement)-[:WITH]->(:Place)-[:PART_OF*0..]->(w)`,
	},
	graph.KindProgressReport: {`(m)-[:REPORT_ON]->(:Project)-[:PROJECT_IN]->(:Place)-[:PART_OF*0..]->(w)`},
	graph.KindServicePost:    {`(m)<-[:OFFERS]-(:Place)-[:PART_OF*0..]->(w)`},
	graph.KindSharedResource: {
		`(m)-[:LOCATED_AT]->(:Place)-[:PART_OF*0..]->(w)`,
		`(m)<-[:OPENS]-(:Place)-[:PART_OF*0..]->(w)`,
		`(m)<-[:OPENS]-(:Unit)-[:STATIONED_IN]->(:Place)-[:PART_OF*0..]->(w)`,
	},
	graph.KindRedStation:    {`(m)-[:LOCATED_AT]->(:Place)-[:PART_OF*0..]->(w)`},
	graph.KindVolunteerTeam: {`(m)-[:LOCATED_AT]->(:Place)-[:PART_OF*0..]->(w)`},
	graph.KindActivity: {
		`(m)-[:HELD_IN]->(:Place)-[:PART_OF*0..]->(w)`,
		`(m)<-[:ORGANISED]-(:Place)-[:PART_OF*0..]->(w)`,
		`(m)<-[:ORGANISED]-(:Committee)-[:COVERS]->(:Place)-[:PART_OF*0..]->(w)`,
		`(m)<-[:ORGANISED]-(:PartyOrg)-[:ORG_OF]->(:Place)-[:PART_OF*0..]->(w)`,
		`(m)<-[:ORGANISED]-(:Unit)-[:STATIONED_IN]->(:Place)-[:PART_OF*0..]->(w)`,
	},
	graph.KindEvaluation: {
		`(m)-[:RATING_OF]->(:Place)-[:PART_OF*0..]->(w)`,
		`(m)-[:RATING_OF]->(:Unit)-[:STATIONED_IN]->(:Place)-[:PART_OF*0..]->(w)`,
		`(m)-[:RATING_OF]->(:PartyOrg)-[:ORG_OF]->(:Place)-[:PART_OF*0..]->(w)`,
		`(m)-[:RATING_OF]->(:Person)-[:LIVES_IN|REPORTS_TO|SECONDED_TO]->(:Place)-[:PART_OF*0..]->(w)`,
		`(m)-[:RATING_OF]->(:Person)-[:MEMBER_OF]->(:PartyOrg)-[:ORG_OF]->(:Place)-[:PART_OF*0..]->(w)`,
	},
	graph.KindLeadingGroup: {`(m)-[:LED_BY]->(:PartyOrg)-[:ORG_OF]->(:Place)-[:PART_OF*0..]->(w)`},
}

// sortExpr is the Cypher expression of each sort key, for relationship lists (r bound) and
// top-level lists.
func sortExpr(key graph.SortKey, rel bool) (string, error) {
	holder := "m"
	if rel {
		holder = "r"
	}
	switch key {
	case "", graph.SortName:
		return "coalesce(m.name, m.title, m.id)", nil
	case graph.SortID:
		return "m.id", nil
	case graph.SortKind:
		return "m.kind", nil
	case graph.SortSince:
		if rel {
			return "coalesce(r.since, m.since, m.signedOn)", nil
		}
		return "coalesce(m.since, m.signedOn)", nil
	case graph.SortUntil:
		return holder + ".until", nil
	case graph.SortRotation:
		return "coalesce(m.rotationOrder, 1000000)", nil
	}
	return "", graph.FieldError("orderBy", "cannot sort by %q", key)
}

// conditions compiles a filter into Cypher conditions over m (and r when rel is true), adding
// its values to params. Property names come from graph.FilterProps, never from input.
func conditions(kinds []graph.NodeKind, f graph.Filter, rel bool, params map[string]any) ([]string, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var conds []string
	if len(kinds) > 1 {
		var alts []string
		for _, k := range kinds {
			alts = append(alts, "m:"+string(k))
		}
		conds = append(conds, "("+strings.Join(alts, " OR ")+")")
	}
	if f.Name != "" {
		params["name"] = f.Name
		conds = append(conds, "coalesce(m.name, m.title, '') CONTAINS $name")
	}
	for _, p := range graph.FilterProps {
		if vs, ok := f.Props[p]; ok {
			params["p_"+p] = vs
			conds = append(conds, fmt.Sprintf("m.%s IN $p_%s", p, p))
		}
	}
	if f.AsOf != nil {
		params["asOf"] = dbtype.Date(f.AsOf.Time)
		conds = append(conds, "coalesce(m.since, m.signedOn, $asOf) <= $asOf", "coalesce(m.until, $asOf) >= $asOf")
		if rel {
			conds = append(conds, "coalesce(r.since, $asOf) <= $asOf", "coalesce(r.until, $asOf) >= $asOf")
		}
	}
	if f.Within != "" {
		params["within"] = f.Within
		var alts []string
		for _, k := range kinds {
			for _, p := range withinPatterns[k] {
				alts = append(alts, "EXISTS { MATCH "+p+" }")
			}
		}
		if len(alts) == 0 {
			return nil, graph.FieldError("within", "these nodes do not lie in places")
		}
		conds = append(conds, "("+strings.Join(alts, " OR ")+")")
	}
	return conds, nil
}

func where(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return "WHERE " + strings.Join(conds, " AND ")
}

// orderClause is the ORDER BY of a list, ties broken by id; reversed for a page read from the
// end.
func orderClause(o graph.Order, rel, reversed bool) (string, error) {
	expr, err := sortExpr(o.Key, rel)
	if err != nil {
		return "", err
	}
	tie := "m.id"
	if rel {
		tie = "m.id, elementId(r)"
	}
	return fmt.Sprintf("ORDER BY %s %s, %s", expr, direction(o.Descending, reversed), ties(tie, reversed)), nil
}

// List returns a page of the nodes of one kind, in one statement. With a place filter it
// starts from the place and walks down, so that it reads only that part of the graph.
//
// The hops nested, when there are, are read in the same statement from every node of the
// page, and their pages given one map per call in pre-order (as Hops gives them).
func (s *Store) List(ctx context.Context, q graph.ListQuery, nested []graph.HopCall) (*graph.Page, []map[string]*graph.Page, error) {
	if !q.Kind.Valid() {
		return nil, nil, graph.Errorf(graph.Internal, "unknown node kind %q", q.Kind)
	}
	params := pageParams(q.Slice, map[string]any{})
	f := q.Filter
	within := f.Within
	f.Within = "" // applied by the MATCH below, not as a condition
	conds, err := conditions([]graph.NodeKind{q.Kind}, f, false, params)
	if err != nil {
		return nil, nil, err
	}
	order, err := orderClause(q.Order, false, q.Slice.FromEnd)
	if err != nil {
		return nil, nil, err
	}
	roots, flat := hopTree(nested)
	kids, cols, err := nestedBodies(roots, "", params)
	if err != nil {
		return nil, nil, err
	}
	entry := "m"
	if len(roots) > 0 {
		entry = "[m, [" + strings.Join(cols, ", ") + "]]"
	}
	var match string
	if within != "" {
		params["within"] = within
		var alts []string
		for _, p := range withinPatterns[q.Kind] {
			alts = append(alts, fmt.Sprintf("MATCH %s WHERE m:%s RETURN m", p, q.Kind))
		}
		match = fmt.Sprintf(`MATCH (w:Place {id: $within})
CALL (w) {
  %s
}
WITH DISTINCT m`, strings.Join(alts, "\n  UNION\n  "))
	} else {
		match = fmt.Sprintf("MATCH (m:%s)", q.Kind)
	}
	found := "true"
	if within != "" {
		found = "EXISTS { MATCH (:Place {id: $within}) }"
	}
	count := fmt.Sprintf(`CALL () {
  %s
  %s
  RETURN count(m) AS total
}`, match, where(conds))
	if !q.Slice.Counted() {
		count = "WITH -1 AS total" // the length is not asked: not counted
	}
	query := fmt.Sprintf(`%[8]s
CALL () {
  %[1]s
  %[2]s
  WITH m %[3]s %[5]s
%[6]s  RETURN collect(%[7]s) AS page
}
RETURN total, page, %[4]s AS found`, match, where(conds), order, found, skipLimit(q.Slice), strings.Join(kids, ""), entry, count)
	page := &graph.Page{Offset: q.Slice.Offset, List: q.Slice.List}
	pages := make([]map[string]*graph.Page, len(flat))
	err = s.Read(ctx, func(ctx context.Context, tx Tx) error {
		emptyPages(pages)
		res, err := tx.Run(ctx, query, params)
		if err != nil {
			return err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return err
		}
		if ok, _ := rec.Get("found"); ok != true {
			return &graph.Error{Code: graph.NotFound, Field: "filter.within", Message: fmt.Sprintf("no place has the id %q", within)}
		}
		page.Total = int(integer(rec, "total"))
		v, _ := rec.Get("page")
		nodes, _ := v.([]any)
		nodes, page.Offset = fromEnd(nodes, q.Slice, page.Total)
		page.Edges = nil
		for i, n := range nodes {
			var below []any
			if len(roots) > 0 {
				pair := n.([]any)
				n, below = pair[0], pair[1].([]any)
			}
			node := toNode(n.(dbtype.Node))
			nestedPages(roots, node.ID, below, pages)
			page.Edges = append(page.Edges, &graph.Edge{Node: node, Offset: page.Offset + i, List: q.Slice.List})
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return page, pages, nil
}

// Nodes returns the nodes with these ids, in the order asked; an unknown id gives nil.
func (s *Store) Nodes(ctx context.Context, ids []string) ([]*graph.Node, error) {
	byID := make(map[string]*graph.Node, len(ids))
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, `UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN n`, map[string]any{"ids": ids})
		if err != nil {
			return err
		}
		for res.Next(ctx) {
			v, _ := res.Record().Get("n")
			n := toNode(v.(dbtype.Node))
			byID[n.ID] = n
		}
		return res.Err()
	})
	if err != nil {
		return nil, err
	}
	out := make([]*graph.Node, len(ids))
	for i, id := range ids {
		out[i] = byID[id]
	}
	return out, nil
}

// toNode maps a driver node to a domain node; its kind is its label other than Entity.
func toNode(n neo4j.Node) *graph.Node {
	out := &graph.Node{Props: n.Props}
	out.ID, _ = n.Props["id"].(string)
	for _, l := range n.Labels {
		if k := graph.NodeKind(l); k.Valid() {
			out.Label = k
			break
		}
	}
	return out
}
