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
	all, err := s.Hops(ctx, []graph.HopCall{{IDs: ids, Query: q}})
	if err != nil {
		return nil, err
	}
	return all[0], nil
}

// Hops returns the pages of several hops, each for its own ids, and of the hops nested in
// them (for every node of their pages), in one statement: a level of a query's selection and
// the levels nested below it cost one round trip. The answer holds one map per call in pre-order:
// each call, then the calls nested in it.
func (s *Store) Hops(ctx context.Context, calls []graph.HopCall) ([]map[string]*graph.Page, error) {
	roots, flat := hopTree(calls)
	params := map[string]any{}
	var b strings.Builder
	if len(roots) == 1 {
		// One hop: its statement as it stands, no subquery around it.
		body, err := roots[0].body("", true, params)
		if err != nil {
			return nil, err
		}
		b.WriteString(body + "\nRETURN collect([id, total, page]) AS h0")
	} else {
		var cols []string
		for i, n := range roots {
			body, err := n.body(fmt.Sprintf("h%d_", i), true, params)
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(&b, "CALL () {\n%s\nRETURN collect([id, total, page]) AS h%d\n}\n", body, i)
			cols = append(cols, fmt.Sprintf("h%d", i))
		}
		b.WriteString("RETURN " + strings.Join(cols, ", "))
	}
	out := make([]map[string]*graph.Page, len(flat))
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		emptyPages(out)
		// Run here, not through singleRecord, so that traces and logs name the statement Hops.
		res, err := tx.Run(ctx, b.String(), params)
		if err != nil {
			return err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return err
		}
		for i, n := range roots {
			v, _ := rec.Get(fmt.Sprintf("h%d", i))
			rows, _ := v.([]any)
			for _, row := range rows {
				cols, _ := row.([]any)
				if len(cols) == 3 {
					id, _ := cols[0].(string)
					out[n.index][id] = n.page(cols[1], cols[2], out)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, n := range roots {
		for _, id := range n.call.IDs {
			if out[n.index][id] == nil {
				out[n.index][id] = &graph.Page{Offset: n.call.Query.Slice.Offset, List: n.call.Query.Slice.List}
			}
		}
	}
	return out, nil
}

// hopNode is a hop of a Hops statement, with its place in the answer and its nested hops.
type hopNode struct {
	call   graph.HopCall
	index  int
	nested []*hopNode
}

// emptyPages makes every map of pages empty, as a transaction begins (it may run again).
func emptyPages(pages []map[string]*graph.Page) {
	for i := range pages {
		pages[i] = map[string]*graph.Page{}
	}
}

// hopTree gives the calls' nodes, and every node in pre-order (each node's index is its place
// there).
func hopTree(calls []graph.HopCall) (roots, flat []*hopNode) {
	var tree func(calls []graph.HopCall) []*hopNode
	tree = func(calls []graph.HopCall) []*hopNode {
		var out []*hopNode
		for _, c := range calls {
			n := &hopNode{call: c, index: len(flat)}
			flat = append(flat, n)
			n.nested = tree(c.Nested)
			out = append(out, n)
		}
		return out
	}
	return tree(calls), flat
}

// nestedBodies are the subqueries that read nested hops from the node m, each returning
// [total, page] as k<j>, and those columns.
func nestedBodies(nested []*hopNode, prefix string, params map[string]any) (kids, cols []string, err error) {
	for j, n := range nested {
		body, err := n.body(fmt.Sprintf("%sk%d_", prefix, j), false, params)
		if err != nil {
			return nil, nil, err
		}
		kids = append(kids, fmt.Sprintf("  CALL (m) {\n%s\nRETURN [total, page] AS k%d\n  }\n", body, j))
		cols = append(cols, fmt.Sprintf("k%d", j))
	}
	return kids, cols, nil
}

// nestedPages reads the [total, page] pairs of nested hops read from the node id into out.
func nestedPages(nested []*hopNode, id string, kids []any, out []map[string]*graph.Page) {
	for j, k := range kids {
		if j < len(nested) {
			pair, _ := k.([]any)
			if len(pair) == 2 {
				out[nested[j].index][id] = nested[j].page(pair[0], pair[1], out)
			}
		}
	}
}

// paramRef is a parameter's reference in a statement.
var paramRef = regexp.MustCompile(`\$[A-Za-z_][A-Za-z0-9_]*`)

// body is the statement of a hop, all but its final RETURN, its parameters named with the
// prefix and added to params. At the top it starts from the ids; nested, from the node m of
// its parent's page, renamed n. It leaves the columns total and page, a list of [node, relationship, from id, to id, [[total, page] of each nested hop]].
func (h *hopNode) body(prefix string, top bool, params map[string]any) (string, error) {
	q := h.call.Query
	if err := q.Hop.Validate(); err != nil {
		return "", err
	}
	ps := pageParams(q.Slice, map[string]any{})
	if top {
		ps["ids"] = h.call.IDs
	}
	conds, err := conditions(q.Hop.To, q.Filter, true, ps)
	if err != nil {
		return "", err
	}
	order, err := orderClause(q.Order, true, q.Slice.FromEnd)
	if err != nil {
		return "", err
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
	within := ""
	if q.Filter.Within != "" {
		within, scope = "OPTIONAL MATCH (w:Place {id: $within})\n", "n, w"
	}
	if top {
		b.WriteString(within + "UNWIND $ids AS id\nMATCH (n:Entity {id: id})\n")
	} else {
		b.WriteString("WITH m AS n\n" + within)
	}
	if !q.Slice.Counted() {
		b.WriteString("WITH *, -1 AS total\n") // the length is not asked: not counted
	} else {
		fmt.Fprintf(&b, `CALL (%[1]s) {
  MATCH %[2]s
  %[3]s
  RETURN count(*) AS total
}
`, scope, pattern, where(conds))
	}
	if q.Slice.Limit > 0 {
		kids, cols, err := nestedBodies(h.nested, prefix, params)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, `CALL (%[1]s) {
  MATCH %[2]s
  %[3]s
  WITH r, m %[4]s %[5]s
%[6]s  RETURN collect([m, r, startNode(r).id, endNode(r).id, [%[7]s]]) AS page
}`, scope, pattern, where(conds), order, skipLimit(q.Slice), strings.Join(kids, ""), strings.Join(cols, ", "))
	} else {
		b.WriteString("WITH *, [] AS page")
	}
	for k, v := range ps {
		params[prefix+k] = v
	}
	if prefix == "" {
		return b.String(), nil // a hop alone keeps its parameters' names
	}
	return paramRef.ReplaceAllStringFunc(b.String(), func(ref string) string {
		if _, ok := ps[ref[1:]]; ok {
			return "$" + prefix + ref[1:]
		}
		return ref
	}), nil
}

// page reads a hop's total and page rows into a page, and the pages of its nested hops, for
// every node of the page, into out.
func (h *hopNode) page(totalValue, rowsValue any, out []map[string]*graph.Page) *graph.Page {
	q := h.call.Query
	total, _ := totalValue.(int64)
	page := &graph.Page{Total: int(total), List: q.Slice.List}
	entries, _ := rowsValue.([]any)
	entries, page.Offset = fromEnd(entries, q.Slice, page.Total)
	for i, e := range entries {
		c := e.([]any)
		n, r := c[0].(dbtype.Node), c[1].(dbtype.Relationship)
		from, _ := c[2].(string)
		to, _ := c[3].(string)
		node := toNode(n)
		page.Edges = append(page.Edges, &graph.Edge{
			Node:   node,
			Rel:    toRelationship(r, from, to),
			Offset: page.Offset + i,
			List:   q.Slice.List,
		})
		kids, _ := c[4].([]any)
		nestedPages(h.nested, node.ID, kids, out)
	}
	return page
}
