package resolvers

import (
	"context"
	"encoding/json"
	"fmt"
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
	// Coverage returns, for each place id, the ways units cover it.
	Coverage(ctx context.Context, placeIDs []string, f graph.CoverageFilter, o graph.Order, s graph.Slice) (map[string]*graph.CoveragePage, error)
	// Footprint returns, for each unit id, the ways it covers places.
	Footprint(ctx context.Context, unitIDs []string, f graph.CoverageFilter, o graph.Order, s graph.Slice) (map[string]*graph.CoveragePage, error)
	// SeatsByUnitKind counts each committee's seats by the kind of unit holding them.
	SeatsByUnitKind(ctx context.Context, ids []string) (map[string][]*graph.KindCount, error)
	// The analysts' questions, each one round trip.
	CrossUnitReports(ctx context.Context, f graph.ReportingFilter, o graph.Order, s graph.Slice) (*graph.ReportPage, error)
	ReportingFlows(ctx context.Context, f graph.ReportingFilter, o graph.Order, s graph.Slice) (*graph.FlowPage, error)
	CoverageGaps(ctx context.Context, f graph.GapFilter, o graph.Order, s graph.Slice) (*graph.GapPage, error)
	StreetsWithoutSeats(ctx context.Context, within string, s graph.Slice) ([]*graph.StreetWithoutSeats, int, error)
	Representatives(ctx context.Context, within string, minCommittees int, o graph.Order, s graph.Slice) ([]*graph.Representative, int, error)
	Paths(ctx context.Context, from, to string, maxDepth int, kinds []graph.RelKind, s graph.Slice) (*graph.PathPage, error)
	Statistics(ctx context.Context, placeID string, asOf *graph.Date, levels []graph.CoverageLevel) (*graph.Statistics, error)
	CountBy(ctx context.Context, placeID string, kind graph.NodeKind, property string, asOf *graph.Date) ([]*graph.KindCount, error)
	Search(ctx context.Context, text string, kinds []graph.NodeKind, s graph.Slice) (*graph.SearchPage, error)
	// The network views.
	Neighbourhood(ctx context.Context, q graph.NetworkQuery) (*graph.Network, error)
	Subgraph(ctx context.Context, q graph.NetworkQuery) (*graph.Network, error)
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
	mu     sync.Mutex
	values map[string]any // loader key + "\x00" + node id
}

type cacheKey struct{}

// WithRequestCache gives an operation its cache; the server calls it around every operation.
func WithRequestCache(ctx context.Context) context.Context {
	return context.WithValue(ctx, cacheKey{}, &requestCache{values: map[string]any{}})
}

func cacheOf(ctx context.Context) *requestCache {
	if c, ok := ctx.Value(cacheKey{}).(*requestCache); ok {
		return c
	}
	return &requestCache{values: map[string]any{}} // no sharing: correct, unbatched
}

func (c *requestCache) get(key, id string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.values[key+"\x00"+id]
	return v, ok
}

func (c *requestCache) put(key string, values map[string]any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, v := range values {
		c.values[key+"\x00"+id] = v
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
	q.Slice, err = r.sliceArgs(args, listKey(fmt.Sprintf("hop:%s:%t:%v", info.hop.Rel, info.hop.Out, info.hop.To), args))
	return q, err
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

// loader is how one field, with its arguments, is loaded for many nodes at once.
type loader struct {
	key   string
	fetch func(ctx context.Context, ids []string) (map[string]any, error)
}

// loaderFor returns the loader of a field that follows a relationship (@hop) or has a batch
// loader (@batch); ok is false for other fields.
func (r *Resolver) loaderFor(def *ast.FieldDefinition, args map[string]any, sels ast.SelectionSet) (l loader, ok bool, err error) {
	if info := hopOf(def); info.ok {
		q, err := r.hopQuery(info, args)
		if err != nil {
			return l, true, err
		}
		if info.connection && countsOnly(sels) {
			q.Slice.Limit = 0 // only totalCount is asked for: the store counts and reads no page
		}
		return loader{key: "hop|" + q.Key(), fetch: func(ctx context.Context, ids []string) (map[string]any, error) {
			pages, err := r.Graph.Hop(ctx, ids, q)
			return anyMap(pages), err
		}}, true, nil
	}
	d := def.Directives.ForName("batch")
	if d == nil {
		return l, false, nil
	}
	switch name := d.Arguments.ForName("loader").Value.Raw; name {
	case "coverage", "footprint":
		f, o, sl, err := r.coverageArgs(name, args)
		if err != nil {
			return l, true, err
		}
		load := r.Graph.Coverage
		if name == "footprint" {
			load = r.Graph.Footprint
		}
		return loader{key: fmt.Sprintf("%s|%v|%v|%v", name, f.Key(), o, sl), fetch: func(ctx context.Context, ids []string) (map[string]any, error) {
			pages, err := load(ctx, ids, f, o, sl)
			return anyMap(pages), err
		}}, true, nil
	case "seatsByUnitKind":
		return loader{key: name, fetch: func(ctx context.Context, ids []string) (map[string]any, error) {
			counts, err := r.Graph.SeatsByUnitKind(ctx, ids)
			out := make(map[string]any, len(ids))
			for _, id := range ids {
				out[id] = counts[id]
			}
			return out, err
		}}, true, nil
	default:
		return l, true, graph.Errorf(graph.Internal, "unknown batch loader %q", name)
	}
}

// countsOnly tells whether a connection's selection asks for nothing but its totalCount (and
// __typename): no edges, nodes or pageInfo, whose page the store then need not read. A
// fragment spread or inline fragment counts as asking for more.
func countsOnly(sels ast.SelectionSet) bool {
	for _, s := range sels {
		f, ok := s.(*ast.Field)
		if !ok || (f.Name != "totalCount" && f.Name != "__typename") {
			return false
		}
	}
	return len(sels) > 0
}

func anyMap[V any](m map[string]V) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// batched returns the value of the current field (@hop or @batch) for the node id: from the
// cache, or loaded (and its subtree walked) on a miss.
func (r *Resolver) batched(ctx context.Context, id string) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	l, ok, err := r.loaderFor(fc.Field.Definition, fc.Field.ArgumentMap(graphql.GetOperationContext(ctx).Variables), fc.Field.Selections)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, graph.Errorf(graph.Internal, "field %s is neither @hop nor @batch", fc.Field.Name)
	}
	cache := cacheOf(ctx)
	if v, ok := cache.get(l.key, id); ok {
		return v, nil
	}
	values, err := l.fetch(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	cache.put(l.key, values)
	v := values[id]
	if err := r.prefetch(ctx, follow([]ast.SelectionSet{fc.Field.Selections}, v)); err != nil {
		return nil, err
	}
	return v, nil
}

// page returns the page of the current relationship field for the node id.
func (r *Resolver) page(ctx context.Context, id string) (*graph.Page, error) {
	v, err := r.batched(ctx, id)
	if err != nil {
		return nil, err
	}
	return v.(*graph.Page), nil
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
	if q.Slice, err = r.sliceArgs(args, listKey(fc.Field.Name, args)); err != nil {
		return nil, err
	}
	p, err := r.Graph.List(ctx, q)
	if err != nil {
		return nil, err
	}
	if err := r.prefetch(ctx, follow([]ast.SelectionSet{fc.Field.Selections}, p)); err != nil {
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
	if err := r.prefetch(ctx, []pending{{sels: []ast.SelectionSet{fc.Field.Selections}, nodes: found}}); err != nil {
		return nil, err
	}
	return nodes, nil
}

// pending is a set of selections to apply to a set of nodes.
type pending struct {
	sels  []ast.SelectionSet
	nodes []*graph.Node
}

// prefetch walks the selections level by level and loads every @hop and @batch field selected
// on the nodes, one call per distinct field and arguments at each level.
func (r *Resolver) prefetch(ctx context.Context, level []pending) error {
	op := graphql.GetOperationContext(ctx)
	cache := cacheOf(ctx)
	for len(level) > 0 {
		type follower struct {
			ids  []string
			sels []ast.SelectionSet
		}
		type request struct {
			l       loader
			ids     []string
			seen    map[string]bool
			follows []follower
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
						l, ok, err := r.loaderFor(f.Definition, f.ArgumentMap(op.Variables), f.Selections)
						if !ok || err != nil {
							continue // not a batched field, or the field's resolver reports the error
						}
						req := requests[l.key]
						if req == nil {
							req = &request{l: l, seen: map[string]bool{}}
							requests[l.key] = req
							order = append(order, l.key)
						}
						ids := make([]string, len(ns))
						for i, n := range ns {
							ids[i] = n.ID
							if !req.seen[n.ID] {
								req.seen[n.ID] = true
								req.ids = append(req.ids, n.ID)
							}
						}
						req.follows = append(req.follows, follower{ids: ids, sels: []ast.SelectionSet{f.Selections}})
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
				values, err := req.l.fetch(ctx, missing)
				if err != nil {
					return err
				}
				cache.put(key, values)
			}
			for _, f := range req.follows {
				for _, id := range f.ids {
					if v, ok := cache.get(key, id); ok {
						next = append(next, follow(f.sels, v)...)
					}
				}
			}
		}
		level = merge(next)
	}
	return nil
}

// merge joins the pendings that apply the same selections, so that each level issues one call
// per field whatever the number of parents.
func merge(ps []pending) []pending {
	var out []pending
	index := map[string]int{}
	for _, p := range ps {
		if len(p.nodes) == 0 || len(p.sels) == 0 {
			continue
		}
		k := fmt.Sprintf("%p", p.sels[0])
		for _, s := range p.sels[1:] {
			k += fmt.Sprintf(",%p", s)
		}
		if i, ok := index[k]; ok {
			out[i].nodes = append(out[i].nodes, p.nodes...)
			continue
		}
		index[k] = len(out)
		out = append(out, p)
	}
	return out
}

// sub returns the selection sets found by following field names from sels (through fragments).
func sub(sels []ast.SelectionSet, path ...string) []ast.SelectionSet {
	if len(path) == 0 {
		return sels
	}
	var out []ast.SelectionSet
	var walk func(ast.SelectionSet)
	walk = func(sel ast.SelectionSet) {
		for _, s := range sel {
			switch s := s.(type) {
			case *ast.Field:
				if s.Name == path[0] {
					out = append(out, s.SelectionSet)
				}
			case *ast.InlineFragment:
				walk(s.SelectionSet)
			case *ast.FragmentSpread:
				if s.Definition != nil {
					walk(s.Definition.SelectionSet)
				}
			}
		}
	}
	for _, sel := range sels {
		walk(sel)
	}
	return sub(out, path[1:]...)
}

// entries are the selections made on a connection's entries: `nodes` and `edges { node }`.
func entries(sels []ast.SelectionSet) []ast.SelectionSet {
	return append(sub(sels, "nodes"), sub(sels, "edges", "node")...)
}

// follow returns, for a value a field returned and the selections made on it, the nodes that
// sub-selections apply to.
func follow(sels []ast.SelectionSet, v any) []pending {
	switch v := v.(type) {
	case *graph.Page:
		return []pending{{sels: entries(sels), nodes: v.Nodes()}}
	case *graph.Node:
		if v == nil {
			return nil
		}
		return []pending{{sels: sels, nodes: []*graph.Node{v}}}
	case *graph.CoveragePage:
		items := entries(sels)
		var units, places, steps []*graph.Node
		for _, c := range v.Items {
			units, places = append(units, c.UnitNode), append(places, c.PlaceNode)
			steps = append(steps, c.Path.Steps...)
		}
		return []pending{{sub(items, "unit"), units}, {sub(items, "place"), places}, {sub(items, "path", "nodes"), steps}}
	case *graph.ReportPage:
		items := entries(sels)
		var members, communities, units, orgs []*graph.Node
		for _, r := range v.Items {
			members, communities = append(members, r.MemberNode), append(communities, r.CommunityNode)
			if r.WorkUnitNode != nil {
				units = append(units, r.WorkUnitNode)
			}
			if r.OrganisationNode != nil {
				orgs = append(orgs, r.OrganisationNode)
			}
		}
		return []pending{{sub(items, "member"), members}, {sub(items, "community"), communities},
			{sub(items, "workUnit"), units}, {sub(items, "organisation"), orgs}}
	case *graph.FlowPage:
		items := entries(sels)
		var sources, communities []*graph.Node
		for _, f := range v.Items {
			if f.SourceNode != nil {
				sources = append(sources, f.SourceNode)
			}
			communities = append(communities, f.CommunityNode)
		}
		return []pending{{sub(items, "source"), sources}, {sub(items, "community"), communities}}
	case *graph.GapPage:
		var places []*graph.Node
		for _, g := range v.Items {
			places = append(places, g.PlaceNode)
		}
		return []pending{{sub(entries(sels), "community"), places}}
	case *graph.PathPage:
		var steps []*graph.Node
		for _, p := range v.Items {
			steps = append(steps, p.Steps...)
		}
		return []pending{{sub(entries(sels), "nodes"), steps}}
	case *graph.SearchPage:
		var hits []*graph.Node
		for _, h := range v.Items {
			hits = append(hits, h.Hit)
		}
		return []pending{{sub(entries(sels), "node"), hits}}
	case []*graph.StreetWithoutSeats:
		var streets, committees []*graph.Node
		for _, s := range v {
			streets = append(streets, s.StreetNode)
			if s.CommitteeNode != nil {
				committees = append(committees, s.CommitteeNode)
			}
		}
		items := entries(sels)
		return []pending{{sub(items, "street"), streets}, {sub(items, "committee"), committees}}
	case []*graph.Representative:
		var people, seats []*graph.Node
		for _, r := range v {
			people = append(people, r.PersonNode)
			seats = append(seats, r.SeatNodes...)
		}
		items := entries(sels)
		return []pending{{sub(items, "person"), people}, {sub(items, "seats"), seats}}
	case *graph.Statistics:
		return []pending{{sub(sels, "place"), []*graph.Node{v.PlaceNode}}}
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

// coverageArgs compiles a coverage field's arguments (as the query gives them).
func (r *Resolver) coverageArgs(name string, args map[string]any) (graph.CoverageFilter, graph.Order, graph.Slice, error) {
	var f graph.CoverageFilter
	m, _ := args["filter"].(map[string]any)
	for _, s := range graph.StringList(m["unitKinds"]) {
		f.UnitKinds = append(f.UnitKinds, graph.UnitKind(s))
	}
	for _, s := range graph.StringList(m["kinds"]) {
		f.Kinds = append(f.Kinds, graph.CoverageKind(s))
	}
	if s, ok := m["asOf"].(string); ok {
		d, err := graph.ParseDate(s)
		if err != nil {
			return f, graph.Order{}, graph.Slice{}, graph.FieldError("filter.asOf", "%q is not a date (YYYY-MM-DD)", s)
		}
		f.AsOf = &d
	}
	o, err := orderArg(args["orderBy"])
	if err != nil {
		return f, o, graph.Slice{}, err
	}
	if args["orderBy"] == nil {
		o.Key = "" // each list has its own default
	}
	sl, err := r.sliceArgs(args, listKey(name, args))
	return f, o, sl, err
}
