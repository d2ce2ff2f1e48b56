package model

import "github.com/gongjian/gongjian/graph"

// The filter inputs (generated in models_gen.go) say what they keep as a store filter: the
// one place that knows which property each of their lists tests.

// base is what every filter input has: a name, a place and a date.
func base(name, within *string, asOf *graph.Date) graph.Filter {
	f := graph.Filter{AsOf: asOf}
	if name != nil {
		f.Name = *name
	}
	if within != nil {
		f.Within = *within
	}
	return f
}

// keep adds a list of allowed values of a property (an empty list keeps everything).
func keep[T ~string](f graph.Filter, prop string, values []T) graph.Filter {
	if values == nil {
		return f
	}
	if f.Props == nil {
		f.Props = map[string][]string{}
	}
	vs := make([]string, len(values))
	for i, v := range values {
		vs[i] = string(v)
	}
	f.Props[prop] = vs
	return f
}

// Filter is the store filter of the input.
func (f *NodeFilter) Filter() graph.Filter { return base(f.Name, f.Within, f.AsOf) }

// Filter is the store filter of the input.
func (f *PlaceFilter) Filter() graph.Filter {
	return keep(keep(base(f.Name, f.Within, f.AsOf), "kind", f.Kinds), "communityType", f.CommunityTypes)
}

// Filter is the store filter of the input.
func (f *UnitFilter) Filter() graph.Filter {
	return keep(base(f.Name, f.Within, f.AsOf), "kind", f.Kinds)
}

// Filter is the store filter of the input.
func (f *PartyOrgFilter) Filter() graph.Filter {
	return keep(base(f.Name, f.Within, f.AsOf), "kind", f.Kinds)
}

// Filter is the store filter of the input.
func (f *CommitteeFilter) Filter() graph.Filter {
	return keep(base(f.Name, f.Within, f.AsOf), "kind", f.Kinds)
}

// Filter is the store filter of the input.
func (f *PersonFilter) Filter() graph.Filter {
	return keep(base(f.Name, f.Within, f.AsOf), "category", f.Categories)
}

// Filter is the store filter of the input.
func (f *ProjectFilter) Filter() graph.Filter {
	return keep(keep(base(f.Name, f.Within, f.AsOf), "category", f.Categories), "status", f.Statuses)
}

// Filter is the store filter of the input.
func (f *SeatFilter) Filter() graph.Filter {
	return keep(base(f.Name, f.Within, f.AsOf), "role", f.Roles)
}
