package resolvers

import (
	"reflect"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/resolvers/generated"
)

// Complexity sets the cost of every list field: its page size (`first`, or the default) times
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
			if t.Kind() != reflect.Func || n < 3 || t.In(n-2) != intPtr || t.In(n-1) != strPtr {
				continue
			}
			f.Set(reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
				size := limits.Default
				if first := args[len(args)-2]; !first.IsNil() {
					size = int(first.Elem().Int())
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
	q := &c.Query
	weigh := func(weight int, id func() string) int { return weight * costs.size(id()) }
	statistics, gaps, streets, reps, subgraph := q.Statistics, q.CoverageGaps, q.StreetsWithoutSeats, q.Representatives, q.Subgraph
	cross, flows := q.CrossUnitReporting, q.ReportingFlows
	q.Statistics = func(child int, place string) int {
		return statistics(child, place) + weigh(4, func() string { return place })
	}
	q.CoverageGaps = func(child int, within string, minUnits *int, filter *graph.CoverageFilter, order *graph.Order, first *int, after *string) int {
		return gaps(child, within, minUnits, filter, order, first, after) + weigh(2, func() string { return within })
	}
	q.StreetsWithoutSeats = func(child int, within string, first *int, after *string) int {
		return streets(child, within, first, after) + weigh(1, func() string { return within })
	}
	q.Representatives = func(child int, within string, minCommittees *int, order *graph.Order, first *int, after *string) int {
		return reps(child, within, minCommittees, order, first, after) + weigh(1, func() string { return within })
	}
	q.Subgraph = func(child int, place string, rels []graph.RelKind, nodes []graph.NodeKind, asOf *graph.Date, limit *int) int {
		return subgraph(child, place, rels, nodes, asOf, limit) + weigh(1, func() string { return place })
	}
	q.CrossUnitReporting = func(child int, filter graph.ReportingFilter, order *graph.Order, first *int, after *string) int {
		return cross(child, filter, order, first, after) + weigh(2, func() string { return filter.Within })
	}
	q.ReportingFlows = func(child int, filter graph.ReportingFilter, order *graph.Order, first *int, after *string) int {
		return flows(child, filter, order, first, after) + weigh(2, func() string { return filter.Within })
	}
}
