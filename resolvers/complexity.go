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
