package planner

import (
	"encoding/json"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/resolvers/model"
	"github.com/vektah/gqlparser/v2/ast"
)

func (pl *Planner) pages() graph.PageLimits {
	if pl.Pages.Max == 0 {
		return graph.DefaultPageLimits
	}
	return pl.Pages
}

// decodeInput decodes an argument as the query gives it (variables resolved; gqlgen has
// checked it against the schema) into its generated input type, or the graph type it is
// bound to: the one decoder of arguments, for the prefetch and the resolvers alike.
func decodeInput[T any](name string, raw any) (T, error) {
	var v T
	if raw == nil {
		return v, nil
	}
	b, err := json.Marshal(raw)
	if err == nil {
		err = json.Unmarshal(b, &v)
	}
	if err != nil {
		return v, graph.FieldError(name, "%s: %v", name, err)
	}
	return v, nil
}

// filterInput is a generated filter input that says what it keeps (resolvers/model/filters.go).
type filterInput interface{ Filter() graph.Filter }

// filterDecoders decode each filter input type of the schema; CheckDirectives makes sure every
// relationship field's filter has one.
var filterDecoders = map[string]func(raw any) (graph.Filter, error){
	"NodeFilter":      decodeFilter[model.NodeFilter],
	"PlaceFilter":     decodeFilter[model.PlaceFilter],
	"UnitFilter":      decodeFilter[model.UnitFilter],
	"PartyOrgFilter":  decodeFilter[model.PartyOrgFilter],
	"CommitteeFilter": decodeFilter[model.CommitteeFilter],
	"PersonFilter":    decodeFilter[model.PersonFilter],
	"ProjectFilter":   decodeFilter[model.ProjectFilter],
	"SeatFilter":      decodeFilter[model.SeatFilter],
}

func decodeFilter[T any, PT interface {
	*T
	filterInput
}](raw any) (graph.Filter, error) {
	v, err := decodeInput[T]("filter", raw)
	return PT(&v).Filter(), err
}

// filterOf decodes a field's filter argument by its input type.
func filterOf(def *ast.FieldDefinition, raw any) (graph.Filter, error) {
	arg := def.Arguments.ForName("filter")
	if arg == nil || raw == nil {
		return graph.Filter{}, nil
	}
	decode, ok := filterDecoders[arg.Type.Name()]
	if !ok {
		return graph.Filter{}, graph.Errorf(graph.Internal, "no decoder for the filter input %s", arg.Type.Name())
	}
	return decode(raw)
}

// orderArg decodes an orderBy argument; without a key, lists sort by name.
func orderArg(v any) (graph.Order, error) {
	o, err := decodeInput[graph.Order]("orderBy", v)
	if err != nil {
		return o, err
	}
	if o.Key == "" {
		o.Key = graph.SortName
	}
	if err := o.Key.UnmarshalGQL(string(o.Key)); err != nil {
		return o, graph.FieldError("orderBy.key", "cannot sort by %q", o.Key)
	}
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

// coverageArgs decodes a coverage field's arguments (as the query gives them).
func (pl *Planner) coverageArgs(name string, args map[string]any) (graph.CoverageFilter, graph.Order, graph.Slice, error) {
	f, err := decodeInput[graph.CoverageFilter]("filter", args["filter"])
	if err != nil {
		return f, graph.Order{}, graph.Slice{}, err
	}
	o, err := orderArg(args["orderBy"])
	if err != nil {
		return f, o, graph.Slice{}, err
	}
	if args["orderBy"] == nil {
		o.Key = "" // each list has its own default
	}
	sl, err := pl.sliceArgs(args, listKey(name, args))
	return f, o, sl, err
}
