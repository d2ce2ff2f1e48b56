package resolvers

import (
	"context"
	"encoding/json"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/resolvers/generated"
)

// GraphReader reads the graph; the Neo4j store implements it. Each call is one round trip.
type GraphReader interface {
	// Hop returns, for each id, a page of the nodes reached over the query's hop.
	Hop(ctx context.Context, ids []string, q graph.HopQuery) (map[string]*graph.Page, error)
	// List returns a page of the nodes of one kind.
	List(ctx context.Context, q graph.ListQuery) (*graph.Page, error)
	// Nodes returns the nodes with these ids, nil for unknown ids.
	Nodes(ctx context.Context, ids []string) ([]*graph.Node, error)
}

// How reads are batched. A root field (places, node, …) loads its own nodes, then walks the
// query's selection set level by level: at each level, every relationship field selected on
// the nodes of that level is loaded for all of them at once, with one Hop call per distinct
// field and arguments, and the pages are put into the request's cache. The field resolvers
// then find their pages in the cache. A request thus costs one round trip per root field and
// one per relationship field of the query text, whatever the sizes of the lists. A resolver
// that misses the cache (it never should) loads its own page and walks its own subtree.

// requestCache holds the pages loaded for one GraphQL operation.
type requestCache struct {
	mu    sync.Mutex
	pages map[string]*graph.Page // HopQuery.Key() + "\x00" + node id
}

type cacheKey struct{}

// WithRequestCache gives an operation its cache; the server calls it around every operation.
func WithRequestCache(ctx context.Context) context.Context {
	return context.WithValue(ctx, cacheKey{}, &requestCache{pages: map[string]*graph.Page{}})
}

func cacheOf(ctx context.Context) *requestCache {
	if c, ok := ctx.Value(cacheKey{}).(*requestCache); ok {
		return c
	}
	return &requestCache{pages: map[string]*graph.Page{}} // no sharing: correct, unbatched
}

func (c *requestCache) get(key, id string) (*graph.Page, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pages[key+"\x00"+id]
	return p, ok
}

func (c *requestCache) put(key string, pages map[string]*graph.Page) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, p := range pages {
		c.pages[key+"\x00"+id] = p
	}
}

// schema is the executable schema's definition, for the @hop directives and union members.
var schema = sync.OnceValue(func() *ast.Schema { return generated.NewExecutableSchema(generated.Config{}).Schema() })

var hops sync.Map // *ast.FieldDefinition → hopInfo

type hopInfo struct {
	hop        graph.Hop
	connection bool // the field returns a connection (else a single node)
	ok         bool
}

// hopOf reads a field's @hop directive: the relationship it follows, and the kinds of node at
// the other end (the field's type, or the members of its union).
func hopOf(def *ast.FieldDefinition) hopInfo {
	if def == nil {
		return hopInfo{}
	}
	if v, ok := hops.Load(def); ok {
		return v.(hopInfo)
	}
	info := hopInfo{}
	if d := def.Directives.ForName("hop"); d != nil {
		info.ok = true
		info.hop.Rel = graph.RelKind(d.Arguments.ForName("rel").Value.Raw)
		info.hop.Out = d.Arguments.ForName("direction").Value.Raw == "OUT"
		target := def.Type.Name()
		if t, ok := strings.CutSuffix(target, "Connection"); ok {
			target, info.connection = t, true
		}
		if def := schema().Types[target]; def != nil && def.Kind == ast.Union {
			for _, t := range def.Types {
				info.hop.To = append(info.hop.To, graph.NodeKind(t))
			}
		} else {
			info.hop.To = []graph.NodeKind{graph.NodeKind(target)}
		}
	}
	hops.Store(def, info)
	return info
}

// hopQuery compiles a relationship field's arguments (as the query gives them, variables
// resolved) into a store query.
func (r *Resolver) hopQuery(info hopInfo, args map[string]any) (graph.HopQuery, error) {
	q := graph.HopQuery{Hop: info.hop, Slice: graph.Slice{Limit: 1}}
	if !info.connection {
		return q, nil
	}
	var err error
	if q.Filter, err = filterArg(args["filter"]); err != nil {
		return q, err
	}
	if q.Order, err = orderArg(args["orderBy"]); err != nil {
		return q, err
	}
	q.Slice, err = r.sliceArgs(args["first"], args["after"])
	return q, err
}

func (r *Resolver) sliceArgs(first, after any) (graph.Slice, error) {
	var s graph.Slice
	var n *int
	if first != nil {
		v, ok := intArg(first)
		if !ok {
			return s, graph.FieldError("first", "first must be an integer")
		}
		n = &v
	}
	var err error
	if s.Limit, err = r.pages().PageSize(n); err != nil {
		return s, err
	}
	if a, ok := after.(string); ok && a != "" {
		if s.Offset, err = graph.DecodeCursor(a); err != nil {
			return s, err
		}
	}
	return s, nil
}

func (r *Resolver) pages() graph.PageLimits {
	if r.Pages.Max == 0 {
		return graph.DefaultPageLimits
	}
	return r.Pages
}

// filterProps maps the filter inputs' list fields to the node properties they test.
var filterProps = map[string]string{"kinds": "kind", "communityTypes": "communityType",
	"categories": "category", "statuses": "status", "roles": "role"}

func filterArg(v any) (graph.Filter, error) {
	var f graph.Filter
	m, _ := v.(map[string]any)
	for k, v := range m {
		if v == nil {
			continue
		}
		switch k {
		case "name":
			f.Name, _ = v.(string)
		case "within":
			f.Within, _ = v.(string)
		case "asOf":
			s, _ := v.(string)
			d, err := graph.ParseDate(s)
			if err != nil {
				return f, graph.FieldError("filter.asOf", "%q is not a date (YYYY-MM-DD)", s)
			}
			f.AsOf = &d
		default:
			prop, ok := filterProps[k]
			if !ok {
				return f, graph.FieldError("filter", "unknown filter %q", k)
			}
			list, _ := v.([]any)
			vals := make([]string, 0, len(list))
			for _, x := range list {
				s, _ := x.(string)
				vals = append(vals, s)
			}
			if f.Props == nil {
				f.Props = map[string][]string{}
			}
			f.Props[prop] = vals
		}
	}
	return f, nil
}

func orderArg(v any) (graph.Order, error) {
	o := graph.Order{Key: graph.SortName}
	m, _ := v.(map[string]any)
	if k, ok := m["key"].(string); ok {
		if err := o.Key.UnmarshalGQL(k); err != nil {
			return o, graph.FieldError("orderBy.key", "cannot sort by %q", k)
		}
	}
	o.Descending, _ = m["descending"].(bool)
	return o, nil
}

func intArg(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		return int(n), n == float64(int(n))
	case json.Number:
		i, err := n.Int64()
		return int(i), err == nil
	}
	return 0, false
}

// page returns the page of the current relationship field for the node id: from the cache,
// or loaded (and its subtree walked) on a miss.
func (r *Resolver) page(ctx context.Context, id string) (*graph.Page, error) {
	fc := graphql.GetFieldContext(ctx)
	info := hopOf(fc.Field.Definition)
	if !info.ok {
		return nil, graph.Errorf(graph.Internal, "field %s has no @hop directive", fc.Field.Name)
	}
	q, err := r.hopQuery(info, fc.Field.ArgumentMap(graphql.GetOperationContext(ctx).Variables))
	if err != nil {
		return nil, err
	}
	cache := cacheOf(ctx)
	key := q.Key()
	if p, ok := cache.get(key, id); ok {
		return p, nil
	}
	pages, err := r.Graph.Hop(ctx, []string{id}, q)
	if err != nil {
		return nil, err
	}
	cache.put(key, pages)
	p := pages[id]
	if err := r.prefetch(ctx, childSelections(fc.Field.Selections, info.connection), p.Nodes()); err != nil {
		return nil, err
	}
	return p, nil
}

// one returns the node of the current single-valued relationship field, or nil.
func (r *Resolver) one(ctx context.Context, id string) (*graph.Node, error) {
	p, err := r.page(ctx, id)
	if err != nil || len(p.Edges) == 0 {
		return nil, err
	}
	return p.Edges[0].Node, nil
}

// list serves a root list field of one kind and walks its selection.
func (r *Resolver) list(ctx context.Context, kind graph.NodeKind) (*graph.Page, error) {
	fc := graphql.GetFieldContext(ctx)
	args := fc.Field.ArgumentMap(graphql.GetOperationContext(ctx).Variables)
	q := graph.ListQuery{Kind: kind}
	var err error
	if q.Filter, err = filterArg(args["filter"]); err != nil {
		return nil, err
	}
	if q.Order, err = orderArg(args["orderBy"]); err != nil {
		return nil, err
	}
	if q.Slice, err = r.sliceArgs(args["first"], args["after"]); err != nil {
		return nil, err
	}
	p, err := r.Graph.List(ctx, q)
	if err != nil {
		return nil, err
	}
	if err := r.prefetch(ctx, childSelections(fc.Field.Selections, true), p.Nodes()); err != nil {
		return nil, err
	}
	return p, nil
}

// lookup serves the root node and nodes fields.
func (r *Resolver) lookup(ctx context.Context, ids []string) ([]*graph.Node, error) {
	if len(ids) > r.pages().Max {
		return nil, graph.FieldError("ids", "at most %d ids at once, got %d", r.pages().Max, len(ids))
	}
	nodes, err := r.Graph.Nodes(ctx, ids)
	if err != nil {
		return nil, err
	}
	fc := graphql.GetFieldContext(ctx)
	var found []*graph.Node
	for _, n := range nodes {
		if n != nil {
			found = append(found, n)
		}
	}
	if err := r.prefetch(ctx, childSelections(fc.Field.Selections, false), found); err != nil {
		return nil, err
	}
	return nodes, nil
}

// childSelections returns the selection sets that apply to the nodes a field returns: the
// field's own selection for a single node, and those of `nodes` and `edges { node }` for a
// connection.
func childSelections(sel ast.SelectionSet, connection bool) []ast.SelectionSet {
	if !connection {
		return []ast.SelectionSet{sel}
	}
	var out []ast.SelectionSet
	for _, s := range sel {
		f, ok := s.(*ast.Field)
		if !ok {
			// Fragments on a connection type: look inside them too.
			switch s := s.(type) {
			case *ast.InlineFragment:
				out = append(out, childSelections(s.SelectionSet, true)...)
			case *ast.FragmentSpread:
				if s.Definition != nil {
					out = append(out, childSelections(s.Definition.SelectionSet, true)...)
				}
			}
			continue
		}
		switch f.Name {
		case "nodes":
			out = append(out, f.SelectionSet)
		case "edges":
			for _, es := range f.SelectionSet {
				if ef, ok := es.(*ast.Field); ok && ef.Name == "node" {
					out = append(out, ef.SelectionSet)
				}
			}
		}
	}
	return out
}

// pending is a set of selections to apply to a set of nodes.
type pending struct {
	sels  []ast.SelectionSet
	nodes []*graph.Node
}

// prefetch walks the selections level by level and loads every relationship field selected
// on the nodes, one Hop call per distinct field and arguments at each level.
func (r *Resolver) prefetch(ctx context.Context, sels []ast.SelectionSet, nodes []*graph.Node) error {
	op := graphql.GetOperationContext(ctx)
	cache := cacheOf(ctx)
	level := []pending{{sels: sels, nodes: nodes}}
	for len(level) > 0 {
		type follow struct {
			ids        []string
			sels       []ast.SelectionSet
			connection bool
		}
		type request struct {
			q      graph.HopQuery
			ids    []string
			seen   map[string]bool
			follow []follow
		}
		requests := map[string]*request{}
		var order []string
		for _, p := range level {
			byKind := map[graph.NodeKind][]*graph.Node{}
			for _, n := range p.nodes {
				byKind[n.Label] = append(byKind[n.Label], n)
			}
			for kind, ns := range byKind {
				for _, sel := range p.sels {
					for _, f := range graphql.CollectFields(op, sel, satisfies(string(kind))) {
						info := hopOf(f.Definition)
						if !info.ok {
							continue
						}
						q, err := r.hopQuery(info, f.ArgumentMap(op.Variables))
						if err != nil {
							continue // the field's resolver reports it
						}
						key := q.Key()
						req := requests[key]
						if req == nil {
							req = &request{q: q, seen: map[string]bool{}}
							requests[key] = req
							order = append(order, key)
						}
						ids := make([]string, len(ns))
						for i, n := range ns {
							ids[i] = n.ID
							if !req.seen[n.ID] {
								req.seen[n.ID] = true
								req.ids = append(req.ids, n.ID)
							}
						}
						req.follow = append(req.follow, follow{ids: ids, connection: info.connection,
							sels: childSelections(f.Selections, info.connection)})
					}
				}
			}
		}
		var next []pending
		for _, key := range order {
			req := requests[key]
			var missing []string
			for _, id := range req.ids {
				if _, ok := cache.get(key, id); !ok {
					missing = append(missing, id)
				}
			}
			if len(missing) > 0 {
				pages, err := r.Graph.Hop(ctx, missing, req.q)
				if err != nil {
					return err
				}
				cache.put(key, pages)
			}
			for _, f := range req.follow {
				var children []*graph.Node
				for _, id := range f.ids {
					if p, ok := cache.get(key, id); ok {
						children = append(children, p.Nodes()...)
					}
				}
				if len(children) > 0 && len(f.sels) > 0 {
					next = append(next, pending{sels: f.sels, nodes: children})
				}
			}
		}
		level = next
	}
	return nil
}

var satisfiesCache sync.Map // type name → []string

// satisfies lists the type names a fragment may name to apply to an object of this type: the
// type, its interfaces and its unions.
func satisfies(typeName string) []string {
	if v, ok := satisfiesCache.Load(typeName); ok {
		return v.([]string)
	}
	out := []string{typeName}
	if def := schema().Types[typeName]; def != nil {
		for _, d := range schema().GetImplements(def) {
			out = append(out, d.Name)
		}
	}
	satisfiesCache.Store(typeName, out)
	return out
}
