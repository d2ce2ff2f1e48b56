package neo4jstore

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gongjian/gongjian/graph"
)

// Hop returns, for each of the ids, a page of the nodes reached over q.Hop, in one statement
// whatever the number of ids. Ids that match no node get an empty page.
func (s *Store) Hop(ctx context.Context, ids []string, q graph.HopQuery) (map[string]*graph.Page, error) {
	body, params, err := hopStatement(ids, q)
	if err != nil {
		return nil, err
	}
	var out map[string]*graph.Page
	err = s.Read(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, body+"\nRETURN id, total, page", params)
		if err != nil {
			return err
		}
		var rows []any
		for res.Next(ctx) {
			rec := res.Record()
			id, _ := rec.Get("id")
			total, _ := rec.Get("total")
			page, _ := rec.Get("page")
			rows = append(rows, []any{id, total, page})
		}
		out = hopPages(ids, q, rows)
		return res.Err()
	})
	return out, err
}

// Hops returns the pages of several hops, each for its own ids, in one statement: the hops
// of one level of a query's selection cost one round trip, not one each.
func (s *Store) Hops(ctx context.Context, calls []graph.HopCall) ([]map[string]*graph.Page, error) {
	if len(calls) == 1 {
		pages, err := s.Hop(ctx, calls[0].IDs, calls[0].Query)
		return []map[string]*graph.Page{pages}, err
	}
	params := map[string]any{}
	var b strings.Builder
	var cols []string
	for i, c := range calls {
		body, ps, err := hopStatement(c.IDs, c.Query)
		if err != nil {
			return nil, err
		}
		prefix := fmt.Sprintf("h%d_", i)
		body = paramRef.ReplaceAllStringFunc(body, func(ref string) string {
			if _, ok := ps[ref[1:]]; ok {
				return "$" + prefix + ref[1:]
			}
			return ref
		})
		for k, v := range ps {
			params[prefix+k] = v
		}
		col := fmt.Sprintf("h%d", i)
		fmt.Fprintf(&b, "CALL () {\n%s\nRETURN collect([id, total, page]) AS %s\n}\n", body, col)
		cols = append(cols, col)
	}
	b.WriteString("RETURN " + strings.Join(cols, ", "))
	out := make([]map[string]*graph.Page, len(calls))
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		rec, err := singleRecord(ctx, tx, b.String(), params)
		if err != nil {
			return err
		}
		for i, c := range calls {
			v, _ := rec.Get(cols[i])
			rows, _ := v.([]any)
			out[i] = hopPages(c.IDs, c.Query, rows)
		}
		return nil
	})
	return out, err
}

// paramRef is a parameter's reference in a statement.
var paramRef = regexp.MustCompile(`\$[A-Za-z_][A-Za-z0-9_]*`)

// hopStatement is the statement of a hop, all but its final RETURN: it leaves, for each id,
// the columns id, total and page (a list of [node, relationship, from id, to id]).
func hopStatement(ids []string, q graph.HopQuery) (string, map[string]any, error) {
	if err := q.Hop.Validate(); err != nil {
		return "", nil, err
	}
	params := pageParams(q.Slice, map[string]any{"ids": ids})
	conds, err := conditions(q.Hop.To, q.Filter, true, params)
	if err != nil {
		return "", nil, err
	}
	order, err := orderClause(q.Order, true, q.Slice.FromEnd)
	if err != nil {
		return "", nil, err
	}
	target := "(m)"
	if len(q.Hop.To) == 1 {
		target = "(m:" + string(q.Hop.To[0]) + ")"
	}
	pattern := fmt.Sprintf("(n)-[r:%s]->%s", q.Hop.Rel, target)
	if !q.Hop.Out {
		pattern = fmt.Sprintf("(n)<-[r:%s]-%s", q.Hop.Rel, target)
	}
	var b strings.Builder
	scope := "n"
	if q.Filter.Within != "" {
		b.WriteString("OPTIONAL MATCH (w:Place {id: $within})\n")
		scope = "n, w"
	}
	fmt.Fprintf(&b, `UNWIND $ids AS id
MATCH (n:Entity {id: id})
CALL (%[1]s) {
  MATCH %[2]s
  %[3]s
  RETURN count(*) AS total
}
`, scope, pattern, where(conds))
	if q.Slice.Limit > 0 {
		fmt.Fprintf(&b, `CALL (%[1]s) {
  MATCH %[2]s
  %[3]s
  WITH r, m %[4]s %[5]s
  RETURN collect([m, r, startNode(r).id, endNode(r).id]) AS page
}`, scope, pattern, where(conds), order, skipLimit(q.Slice))
	} else {
		b.WriteString("WITH id, total, [] AS page")
	}
	return b.String(), params, nil
}

// hopPages reads a hop's rows ([id, total, page]) into a page for each id; ids that match no
// node get an empty page.
func hopPages(ids []string, q graph.HopQuery, rows []any) map[string]*graph.Page {
	out := make(map[string]*graph.Page, len(ids))
	for _, row := range rows {
		cols, _ := row.([]any)
		if len(cols) != 3 {
			continue
		}
		total, _ := cols[1].(int64)
		page := &graph.Page{Total: int(total), List: q.Slice.List}
		entries, _ := cols[2].([]any)
		entries, page.Offset = fromEnd(entries, q.Slice, page.Total)
		for i, e := range entries {
			c := e.([]any)
			n, r := c[0].(dbtype.Node), c[1].(dbtype.Relationship)
			from, _ := c[2].(string)
			to, _ := c[3].(string)
			page.Edges = append(page.Edges, &graph.Edge{
				Node:   toNode(n),
				Rel:    toRelationship(r, from, to),
				Offset: page.Offset + i,
				List:   q.Slice.List,
			})
		}
		id, _ := cols[0].(string)
		out[id] = page
	}
	for _, id := range ids {
		if out[id] == nil {
			out[id] = &graph.Page{Offset: q.Slice.Offset, List: q.Slice.List}
		}
	}
	return out
}
