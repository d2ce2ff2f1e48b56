package planner

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/gongjian/gongjian/graph"
)

// Every relationship kind is reachable as a field from both of its ends.
func TestEveryRelationshipFromBothEnds(t *testing.T) {
	out, in := map[graph.RelKind][]string{}, map[graph.RelKind][]string{}
	for _, def := range schema().Types {
		if def.Kind != ast.Object || strings.HasPrefix(def.Name, "__") {
			continue
		}
		for _, f := range def.Fields {
			info := hopOf(f)
			if !info.ok {
				continue
			}
			if err := info.hop.Validate(); err != nil {
				t.Errorf("%s.%s: %v", def.Name, f.Name, err)
			}
			where := def.Name + "." + f.Name
			if info.hop.Out {
				out[info.hop.Rel] = append(out[info.hop.Rel], where)
			} else {
				in[info.hop.Rel] = append(in[info.hop.Rel], where)
			}
			if !graph.NodeKind(def.Name).Valid() {
				t.Errorf("%s has a @hop field but is not a node kind", def.Name)
			}
		}
	}
	for _, k := range graph.RelKinds {
		if len(out[k]) == 0 || len(in[k]) == 0 {
			t.Errorf("%s: fields from its start %v, from its end %v; want both", k, out[k], in[k])
		}
	}
}

// The raw arguments of a field compile into the store query its resolver and the prefetch
// both use, so that both find the same cache entry.
func TestHopQueryFromArguments(t *testing.T) {
	pl := &Planner{Pages: graph.PageLimits{Default: 20, Max: 100}}
	def := schema().Types["Place"].Fields.ForName("units")
	info := hopOf(def)
	if !info.ok || !info.connection || info.hop.Rel != graph.RelStationedIn {
		t.Fatalf("Place.units: %+v", info)
	}
	args := func() map[string]any {
		return map[string]any{
			"filter":  map[string]any{"name": "学", "kinds": []any{"SCHOOL"}, "within": "place:x", "asOf": "2020-01-02"},
			"orderBy": map[string]any{"key": "SINCE", "descending": true},
		}
	}
	first, err := pl.hopQuery(def, info, args())
	if err != nil {
		t.Fatal(err)
	}
	cursor := graph.EncodeCursor(first.Slice.List, 9)
	a := args()
	a["first"], a["after"] = int64(5), cursor
	q, err := pl.hopQuery(def, info, a)
	if err != nil {
		t.Fatal(err)
	}
	if q.Filter.Name != "学" || q.Filter.Within != "place:x" || q.Filter.AsOf.String() != "2020-01-02" ||
		len(q.Filter.Props["kind"]) != 1 || q.Order.Key != graph.SortSince || !q.Order.Descending ||
		q.Slice.Offset != 10 || q.Slice.Limit != 5 {
		t.Fatalf("compiled %+v", q)
	}
	same, _ := pl.hopQuery(def, info, map[string]any{
		"filter":  map[string]any{"kinds": []any{"SCHOOL"}, "asOf": "2020-01-02", "within": "place:x", "name": "学"},
		"orderBy": map[string]any{"descending": true, "key": "SINCE"},
		"first":   5.0, "after": cursor,
	})
	if same.Key() != q.Key() {
		t.Errorf("keys differ: %s vs %s", same.Key(), q.Key())
	}
	q, _ = pl.hopQuery(def, info, nil)
	if q.Slice.Limit != 20 || q.Order.Key != graph.SortName {
		t.Errorf("defaults: %+v", q)
	}
	// Backwards: the five before the cursor, and the last five of the list.
	a = args()
	a["last"], a["before"] = int64(5), cursor
	if q, _ := pl.hopQuery(def, info, a); q.Slice.Offset != 4 || q.Slice.Limit != 5 || q.Slice.FromEnd {
		t.Errorf("last 5 before the 10th: %+v", q.Slice)
	}
	a = args()
	a["last"] = int64(5)
	if q, _ := pl.hopQuery(def, info, a); !q.Slice.FromEnd || q.Slice.Limit != 5 {
		t.Errorf("the last 5: %+v", q.Slice)
	}
	if off, n := (graph.Slice{FromEnd: true, Limit: 5}).Window(12); off != 7 || n != 5 {
		t.Errorf("the last 5 of 12 start at %d and hold %d", off, n)
	}
	for _, bad := range []map[string]any{
		{"first": int64(101)}, {"first": int64(-1)}, {"after": "x"}, {"filter": map[string]any{"asOf": "yesterday"}},
		{"orderBy": map[string]any{"key": "SALARY"}},
		{"after": cursor},                      // a cursor of the list asked with other arguments
		{"first": int64(2), "last": int64(2)},  // both directions at once
		{"before": graph.EncodeCursor("x", 3)}, // a cursor of another list
	} {
		if _, err := pl.hopQuery(def, info, bad); graph.ErrorCode(err) != graph.BadUserInput {
			t.Errorf("%v: err %v, want BAD_USER_INPUT", bad, err)
		}
	}
}

// The schema's @hop and @batch directives name what the planner knows (the server checks
// this at start-up).
func TestDirectivesAreKnown(t *testing.T) {
	if err := CheckDirectives(); err != nil {
		t.Fatal(err)
	}
}
