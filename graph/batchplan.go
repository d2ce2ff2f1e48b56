package graph

import (
	"maps"
	"slices"
)

// NodeWrite is a node to create or update: the properties to set (a nil value removes one);
// for a new node, all of them.
type NodeWrite struct {
	ID     string
	Kind   NodeKind
	Set    map[string]any
	Create bool // the node is not in the database (or is deleted first)
}

// RelWrite is a relationship to create or update, like NodeWrite.
type RelWrite struct {
	Kind          RelKind
	From, To, Key string
	Set           map[string]any
	Create        bool // the relationship is not in the database (or is deleted first)
}

// Plan is the net effect of the batches a Simulator ran: what to delete, then what to create
// or update, to take the database from the state the batches started from to where they
// ended. Deleted nodes take their relationships with them.
type Plan struct {
	DeleteRels  []*Relationship
	DeleteNodes []string
	PutNodes    []NodeWrite
	PutRels     []RelWrite
}

// Empty reports whether the plan writes nothing.
func (p Plan) Empty() bool {
	return len(p.DeleteRels)+len(p.DeleteNodes)+len(p.PutNodes)+len(p.PutRels) == 0
}

// Plan returns the net writes of the batches run so far. An entity deleted and created again
// is deleted and created afresh, so that nothing of its old properties or relationships stays.
func (s *Simulator) Plan() Plan {
	var p Plan
	for _, id := range slices.Sorted(maps.Keys(s.nodes)) {
		init, fin := s.state.Nodes[id], s.nodes[id]
		var before map[string]any
		if init != nil && (fin == nil || s.gone[id]) {
			p.DeleteNodes = append(p.DeleteNodes, id)
		} else if init != nil {
			before = init.Props
		}
		if fin == nil {
			continue
		}
		if set := changed(before, fin.Props); len(set) > 0 {
			p.PutNodes = append(p.PutNodes, NodeWrite{ID: id, Kind: fin.Label, Set: set, Create: before == nil})
		}
	}
	for _, id := range slices.Sorted(maps.Keys(s.rels)) {
		init, fin := s.state.Rels[id], s.rels[id]
		var before map[string]any
		if init != nil && (fin == nil || s.gone[id]) {
			p.DeleteRels = append(p.DeleteRels, init)
		} else if init != nil {
			before = init.Props
		}
		if fin == nil {
			continue
		}
		if set := changed(before, fin.Props); len(set) > 0 {
			p.PutRels = append(p.PutRels, RelWrite{Kind: fin.Kind, From: fin.From, To: fin.To, Key: fin.Key, Set: set, Create: before == nil})
		}
	}
	return p
}

// changed is what to set to turn before into after: the changed properties, nil for removed ones.
func changed(before, after map[string]any) map[string]any {
	set := map[string]any{}
	for k, v := range after {
		if b, ok := before[k]; !ok || !SameValue(FeedValue(b), FeedValue(v)) {
			set[k] = v
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			set[k] = nil
		}
	}
	return set
}

// ScopeIDs splits what a batch touched into the nodes that existed when the commit began (to
// be checked against an editor's places before the write) and those that exist at its end
// (checked after), each once, with the field of the first operation that touched it.
func (s *Simulator) ScopeIDs(touched []Touch) (before, after []Touch) {
	seenB, seenA := map[string]bool{}, map[string]bool{}
	for _, t := range touched {
		if s.state.Nodes[t.ID] != nil && !seenB[t.ID] {
			seenB[t.ID] = true
			before = append(before, t)
		}
		if !t.Removed && s.node(t.ID) != nil && !seenA[t.ID] {
			seenA[t.ID] = true
			after = append(after, t)
		}
	}
	return before, after
}
