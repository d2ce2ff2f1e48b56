package resolvers

import (
	"encoding/json"

	"github.com/gongjian/gongjian/graph"
)

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
