package resolvers

import (
	"reflect"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/resolvers/generated"
)

// Complexity sets the cost of every list field: its page size (`first` or `last`, or the default) times
// the cost of what is selected on each entry, plus one. A query's complexity is thus about
// the number of values it can return, and the server's complexity limit bounds the work of a
// nested query whatever the sizes of the lists. Fields without `first` cost the default:
// one plus what they select.
func Complexity(c *generated.ComplexityRoot, limits graph.PageLimits) {
	intPtr := reflect.TypeFor[*int]()
	strPtr := reflect.TypeFor[*string]()
	types := reflect.ValueOf(c).Elem()
	for i := range types.NumField() {
		fields := types.Field(i)
		if fields.Kind() != reflect.Struct {
			continue
		}
		for j := range fields.NumField() {
			f := fields.Field(j)
			t := f.Type()
			n := t.NumIn()
			// A list's arguments end with first, after, last, before.
			if t.Kind() != reflect.Func || n < 5 || t.In(n-4) != intPtr || t.In(n-3) != strPtr || t.In(n-2) != intPtr || t.In(n-1) != strPtr {
				continue
			}
			f.Set(reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
				size := limits.Default
				if first := args[len(args)-4]; !first.IsNil() {
					size = int(first.Elem().Int())
				} else if last := args[len(args)-2]; !last.IsNil() {
					size = int(last.Elem().Int())
				}
				if size > limits.Max {
					size = limits.Max
				}
				return []reflect.Value{reflect.ValueOf(1 + int(args[0].Int())*max(size, 1))}
			}))
		}
	}
}

// Costs are what root fields cost beyond what they select: every root field runs at least one
// statement, and the aggregates over a place's subtree cost by the subtree's size.
type Costs struct {
	// Statement is the cost of a root field's statement.
	Statement int
	// Subtree is the number of places in a place's subtree (itself included); nil or unknown
	// places count 1.
	Subtree func(id string) int
}

func (c Costs) size(id string) int {
	if c.Subtree == nil {
		return 1
	}
	return max(1, c.Subtree(id))
}

// RootCosts adds to every root field of queries, mutations and subscriptions the cost of its
// statement, and to the aggregates the size of the subtree they read, weighted by how much of
// it each reads (statistics reads the most). A thousand aliases of one question are refused by
// the complexity limit before any runs.
func RootCosts(c *generated.ComplexityRoot, costs Costs) {
	for _, root := range []reflect.Value{reflect.ValueOf(&c.Query).Elem(), reflect.ValueOf(&c.Mutation).Elem(), reflect.ValueOf(&c.Subscription).Elem()} {
		for j := range root.NumField() {
			f := root.Field(j)
			inner := f.Interface()
			f.Set(reflect.MakeFunc(f.Type(), func(args []reflect.Value) []reflect.Value {
				var n int
				if inner := reflect.ValueOf(inner); !inner.IsNil() {
					n = int(inner.Call(args)[0].Int())
				} else {
					n = 1 + int(args[0].Int())
				}
				return []reflect.Value{reflect.ValueOf(n + costs.Statement)}
			}))
		}
	}
	// The aggregates over a place's subtree, their weights, and where the place is among their
	// arguments (after the child's complexity).
	q := reflect.ValueOf(&c.Query).Elem()
	within := func(args []reflect.Value) string { return args[1].String() }
	filterWithin := func(args []reflect.Value) string { return args[1].Interface().(graph.ReportingFilter).Within }
	for _, a := range []struct {
		field  string
		weight int
		place  func([]reflect.Value) string
	}{
		{"Statistics", 4, within}, {"CoverageGaps", 2, within}, {"StreetsWithoutSeats", 1, within},
		{"Representatives", 1, within}, {"Subgraph", 1, within},
		{"CrossUnitReporting", 2, filterWithin}, {"ReportingFlows", 2, filterWithin},
	} {
		f := q.FieldByName(a.field)
		inner := f.Interface()
		f.Set(reflect.MakeFunc(f.Type(), func(args []reflect.Value) []reflect.Value {
			n := int(reflect.ValueOf(inner).Call(args)[0].Int())
			return []reflect.Value{reflect.ValueOf(n + a.weight*costs.size(a.place(args)))}
		}))
	} // Each countBy of a statistics runs a statement of its own, over the same subtree: it is
	// counted in the statistics' selection, which its weight multiplies.
	c.Statistics.CountBy = func(child int, _ graph.NodeKind, _ string) int { return child + costs.Statement }
	c.Statistics.CoverageByChild = func(child int) int { return child + costs.Statement }
}
