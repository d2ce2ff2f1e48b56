package planner_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/resolvers"
	"github.com/gongjian/gongjian/resolvers/generated"
	"github.com/gongjian/gongjian/resolvers/planner"
)

// fakeReader is a GraphReader that makes up a graph of any size and counts its calls: each
// node has `size` neighbours over every relationship.
type fakeReader struct {
	resolvers.GraphReader // the questions the planner tests do not ask: calling one panics
	size                  int
	mu                    sync.Mutex
	calls                 map[string]int
}

func (f *fakeReader) count(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[name]++
}

func fakeNode(kind graph.NodeKind, id string) *graph.Node {
	return &graph.Node{ID: id, Label: kind, Props: map[string]any{"id": id, "name": id}}
}

func (f *fakeReader) Nodes(_ context.Context, ids []string) ([]*graph.Node, error) {
	f.count("Nodes")
	out := make([]*graph.Node, len(ids))
	for i, id := range ids {
		kind, _, _ := strings.Cut(id, ":")
		out[i] = fakeNode(graph.NodeKind(kind), id)
	}
	return out, nil
}

func (f *fakeReader) Hop(_ context.Context, ids []string, q graph.HopQuery) (map[string]*graph.Page, error) {
	f.count("Hop " + string(q.Hop.Rel))
	return f.pages(ids, q), nil
}

// Hops names its call after the hops it reads, nested ones in brackets after their parent.
func (f *fakeReader) Hops(_ context.Context, calls []graph.HopCall) ([]map[string]*graph.Page, error) {
	var out []map[string]*graph.Page
	f.count("Hops " + f.read(calls, nil, &out))
	return out, nil
}

// Lookup names its call Lookup, after the hops it reads.
func (f *fakeReader) Lookup(ctx context.Context, ids []string, nested []graph.HopCall) ([]*graph.Node, []map[string]*graph.Page, error) {
	if len(nested) == 0 {
		nodes, err := f.Nodes(ctx, ids)
		return nodes, nil, err
	}
	var out []map[string]*graph.Page
	f.count("Lookup " + f.read(nested, ids, &out))
	nodes := make([]*graph.Node, len(ids))
	for i, id := range ids {
		kind, _, _ := strings.Cut(id, ":")
		nodes[i] = fakeNode(graph.NodeKind(kind), id)
	}
	return nodes, out, nil
}

// read makes up the pages of calls (for ids, or for their own when nil) and of those nested
// in them, in pre-order, and names them.
func (f *fakeReader) read(calls []graph.HopCall, ids []string, out *[]map[string]*graph.Page) string {
	var names []string
	for _, c := range calls {
		from := ids
		if from == nil {
			from = c.IDs
		}
		pages := f.pages(from, c.Query)
		*out = append(*out, pages)
		below := []string{}
		for _, p := range pages {
			for _, n := range p.Nodes() {
				below = append(below, n.ID)
			}
		}
		name := string(c.Query.Hop.Rel)
		if len(c.Nested) > 0 {
			name += "[" + f.read(c.Nested, below, out) + "]"
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return strings.Join(names, "+")
}

func (f *fakeReader) pages(ids []string, q graph.HopQuery) map[string]*graph.Page {
	out := map[string]*graph.Page{}
	for _, id := range ids {
		p := &graph.Page{Total: f.size, List: q.Slice.List}
		n := f.size
		if q.Slice.Limit >= 0 {
			n = min(n, q.Slice.Limit)
		}
		for i := range n {
			kind := q.Hop.To[i%len(q.Hop.To)]
			m := fakeNode(kind, fmt.Sprintf("%s:%s:%s:%d", kind, id, q.Hop.Rel, i))
			from, to := id, m.ID
			if !q.Hop.Out {
				from, to = to, from
			}
			p.Edges = append(p.Edges, &graph.Edge{Node: m, Rel: &graph.Relationship{Kind: q.Hop.Rel, From: from, To: to}, Offset: i, List: q.Slice.List})
		}
		out[id] = p
	}
	return out
}

// List names its call List, after the hops nested in it.
func (f *fakeReader) List(_ context.Context, q graph.ListQuery, nested []graph.HopCall) (*graph.Page, []map[string]*graph.Page, error) {
	p := &graph.Page{Total: f.size, List: q.Slice.List}
	for i := range min(f.size, q.Slice.Limit) {
		p.Edges = append(p.Edges, &graph.Edge{Node: fakeNode(q.Kind, fmt.Sprintf("%s:l%d", q.Kind, i)), Offset: i, List: q.Slice.List})
	}
	if len(nested) == 0 {
		f.count("List")
		return p, nil, nil
	}
	var ids []string
	for _, n := range p.Nodes() {
		ids = append(ids, n.ID)
	}
	var out []map[string]*graph.Page
	f.count("List " + f.read(nested, ids, &out))
	return p, out, nil
}

func (f *fakeReader) Coverage(_ context.Context, ids []string, cf graph.CoverageFilter, _ graph.Order, s graph.Slice) (map[string]*graph.CoveragePage, error) {
	if cf.PathLengthsOnly {
		f.count("Coverage, path lengths only")
	} else {
		f.count("Coverage")
	}
	return f.coverage(ids, s, graph.KindPlace), nil
}

func (f *fakeReader) Footprint(_ context.Context, ids []string, _ graph.CoverageFilter, _ graph.Order, s graph.Slice) (map[string]*graph.CoveragePage, error) {
	f.count("Footprint")
	return f.coverage(ids, s, graph.KindUnit), nil
}

func (f *fakeReader) coverage(ids []string, s graph.Slice, kind graph.NodeKind) map[string]*graph.CoveragePage {
	out := map[string]*graph.CoveragePage{}
	for _, id := range ids {
		p := &graph.CoveragePage{Total: f.size, Units: f.size, List: s.List}
		for i := range f.size {
			unit, place := fakeNode(graph.KindUnit, fmt.Sprintf("Unit:%s:%d", id, i)), fakeNode(graph.KindPlace, id)
			if kind == graph.KindUnit {
				unit, place = fakeNode(graph.KindUnit, id), fakeNode(graph.KindPlace, fmt.Sprintf("Place:%s:%d", id, i))
			}
			p.Items = append(p.Items, &graph.Coverage{UnitNode: unit, PlaceNode: place, Kind: graph.CoverStationed, Level: graph.LevelDirect,
				Path: &graph.Path{Steps: []*graph.Node{unit, place}}})
		}
		out[id] = p
	}
	return out
}

func (f *fakeReader) SeatsByUnitKind(_ context.Context, ids []string) (map[string][]*graph.KindCount, error) {
	f.count("SeatsByUnitKind")
	return map[string][]*graph.KindCount{}, nil
}

// plannerClient serves the schema over the fake, recording each operation's prefetch misses.
func plannerClient(f *fakeReader, misses *int64) *client.Client {
	h := handler.New(generated.NewExecutableSchema(generated.Config{Resolvers: &resolvers.Resolver{Graph: f}}))
	h.AddTransport(transport.POST{})
	h.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		ctx = planner.WithRequestCache(ctx)
		respond := next(ctx)
		return func(rctx context.Context) *graphql.Response {
			resp := respond(rctx)
			*misses = planner.PrefetchMisses(ctx)
			return resp
		}
	})
	return client.New(h)
}

// run asks a query of a graph of the given size and returns its calls and misses.
func run(t *testing.T, size int, query string) (map[string]int, int64) {
	t.Helper()
	f := &fakeReader{size: size, calls: map[string]int{}}
	var misses int64
	var out map[string]any
	if err := plannerClient(f, &misses).Post(query, &out); err != nil {
		t.Fatalf("%v\n%s", err, query)
	}
	return f.calls, misses
}

// A nested query costs, at each level of its text, one call for its relationship fields and
// one per @batch field, whatever the lists' sizes, and no field loads on its own.
func TestPlannerCallsDoNotGrowWithTheLists(t *testing.T) {
	q := `{ nodes(ids: ["Place:a", "Place:b"]) { ... on Place { name
		units(first: 50) { totalCount nodes { id partyOrgs { nodes { id members(first: 50) { totalCount nodes { name } } } } }
		  edges { node { seats { nodes { committee { name covers { totalCount } } } } } } }
		parent { id } coverage(first: 50) { nodes { unit { stationedIn { name } } } } } } }`
	small, m1 := run(t, 2, q)
	large, m2 := run(t, 12, q)
	if fmt.Sprint(small) != fmt.Sprint(large) || m1 != 0 || m2 != 0 {
		t.Fatalf("calls %v with 2 neighbours, %v with 12; misses %d, %d", small, large, m1, m2)
	}
	// The lookup with units, their partyOrgs and seats, and parent; coverage; the stationedIn
	// of coverage's units; members, and committee with what it covers.
	want := map[string]int{"Lookup PART_OF+STATIONED_IN[HOLDS+ORG_OF]": 1, "Coverage, path lengths only": 1,
		"Hop STATIONED_IN": 1, "Hops MEMBER_OF+SEAT_ON[COVERS]": 1}
	if fmt.Sprint(small) != fmt.Sprint(want) {
		t.Fatalf("calls %v, want %v", small, want)
	}
}

// Every @hop field of every node type, selected on two nodes, is read with their lookup, and
// every @batch field costs one call beside it; each is found prefetched.
func TestEveryRelationshipFieldIsPrefetched(t *testing.T) {
	s := generated.NewExecutableSchema(generated.Config{}).Schema()
	var names []string
	for name := range s.Types {
		names = append(names, name)
	}
	sort.Strings(names)
	fields := 0
	for _, name := range names {
		def := s.Types[name]
		if def.Kind != ast.Object || !graph.NodeKind(name).Valid() {
			continue
		}
		for _, f := range def.Fields {
			hop, batch := f.Directives.ForName("hop"), f.Directives.ForName("batch")
			if hop == nil && batch == nil {
				continue
			}
			sel := "{ __typename }"
			if target := s.Types[f.Type.Name()]; target != nil && target.Fields.ForName("totalCount") != nil {
				sel = "{ totalCount nodes { __typename } }"
			} else if target != nil && target.Kind == ast.Object && target.Fields.ForName("count") != nil {
				sel = "{ kind count }"
			}
			q := fmt.Sprintf(`{ nodes(ids: ["%[1]s:a", "%[1]s:b"]) { ... on %[1]s { %[2]s %[3]s } } }`, name, f.Name, sel)
			calls, misses := run(t, 3, q)
			n := 0
			for _, c := range calls {
				n += c
			}
			// A @hop field is read with the lookup; a @batch field by a call of its own.
			want, lookups := 2, 0
			if hop != nil {
				want = 1
			}
			for c := range calls {
				if strings.HasPrefix(c, "Lookup ") {
					lookups++
				}
			}
			if n != want || misses != 0 || (hop != nil) != (lookups == 1) {
				t.Errorf("%s.%s: %d calls (want %d), %d misses: %v", name, f.Name, n, want, misses, calls)
			}
			fields++
		}
	}
	if fields < 60 {
		t.Fatalf("only %d relationship fields checked", fields)
	}
	t.Logf("%d relationship fields, each read with the lookup or by one call, and no miss", fields)
}

// Coverage reads its chains' nodes and relationships only when the selection asks a path for
// more than its length, through fields or fragments, at the root and on a place.
func TestCoveragePathsReadOnlyWhenSelected(t *testing.T) {
	for _, c := range []struct {
		sel, fragment string
		lengthsOnly   bool
	}{
		{`{ totalCount }`, ``, true},
		{`{ nodes { kind unit { name } path { length __typename } } }`, ``, true},
		{`{ edges { node { ... on Coverage { path { length } } } } }`, ``, true},
		{`{ nodes { path { length nodes { id } } } }`, ``, false},
		{`{ edges { node { path { relationships { kind } } } } }`, ``, false},
		{`{ nodes { path { ...P } } }`, `fragment P on Path { length }`, false},
		{`{ nodes { ...C } }`, `fragment C on Coverage { path { nodes { __typename } } }`, false},
		{`{ totalCount graph { nodeCount } }`, ``, false},
		{`{ ...G }`, `fragment G on CoverageConnection { graph { nodeCount } }`, false},
	} {
		want := map[string]int{"Coverage": 1}
		if c.lengthsOnly {
			want = map[string]int{"Coverage, path lengths only": 1}
		}
		root, _ := run(t, 2, `{ coverage(place: "Place:a", first: 5) `+c.sel+` } `+c.fragment)
		delete(root, "Nodes")
		nested, _ := run(t, 2, `{ nodes(ids: ["Place:a"]) { ... on Place { coverage(first: 5) `+c.sel+` } } } `+c.fragment)
		delete(nested, "Nodes")
		if fmt.Sprint(root) != fmt.Sprint(want) || fmt.Sprint(nested) != fmt.Sprint(want) {
			t.Errorf("%s %s: at the root %v, on a place %v; want %v", c.sel, c.fragment, root, nested, want)
		}
	}
}

// A root list reads the @hop fields of its nodes two levels down in its own statement; the
// third level costs one call more, whatever the lists' sizes.
func TestListReadsTwoLevelsBelowIt(t *testing.T) {
	q := `{ places(first: 20) { totalCount nodes { name units(first: 20) { nodes { seats { nodes { committee { name covers { totalCount } } } } } }
		parent { name } } } }`
	small, m1 := run(t, 2, q)
	large, m2 := run(t, 12, q)
	want := map[string]int{"List PART_OF+STATIONED_IN[HOLDS]": 1, "Hops SEAT_ON[COVERS]": 1}
	if fmt.Sprint(small) != fmt.Sprint(want) || fmt.Sprint(large) != fmt.Sprint(want) || m1 != 0 || m2 != 0 {
		t.Fatalf("calls %v with 2 neighbours, %v with 12, want %v; misses %d, %d", small, large, want, m1, m2)
	}
}

// Aliases of one field with different arguments are read apart, and with the same arguments
// once, in the lookup's statement; each alias gets its own page, fragments included.
func TestNestedReadsKeepAliasesApart(t *testing.T) {
	f := &fakeReader{size: 5, calls: map[string]int{}}
	var misses int64
	var out struct {
		Nodes []struct {
			A, B, C struct {
				Nodes []struct {
					ID    string
					Seats struct{ TotalCount int }
				}
			}
		}
	}
	q := `{ nodes(ids: ["Place:a"]) { ... on Place { a: units(first: 2) { nodes { id seats { totalCount } } } b: units(first: 3) { nodes { id } } ...F } } }
		fragment F on Place { c: units(first: 2) { nodes { id } } }`
	if err := plannerClient(f, &misses).Post(q, &out); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"Lookup STATIONED_IN+STATIONED_IN[HOLDS]": 1}
	if fmt.Sprint(f.calls) != fmt.Sprint(want) || misses != 0 {
		t.Fatalf("calls %v, want %v; %d misses", f.calls, want, misses)
	}
	n := out.Nodes[0]
	if len(n.A.Nodes) != 2 || len(n.B.Nodes) != 3 || len(n.C.Nodes) != 2 || n.A.Nodes[0].Seats.TotalCount != 5 {
		t.Fatalf("aliases answered %+v", n)
	}
}
