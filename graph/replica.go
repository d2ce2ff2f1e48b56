package graph

import (
	"fmt"
	"maps"
)

// Replica is a consumer's copy of the graph, kept as the feed's contract says: load an export,
// then apply every event after the export's cursor, in order. Applying an event is idempotent
// (a CREATE sets the whole entity, an UPDATE sets the fields it names to their new values, a
// DELETE removes the entity if it is there), so events that the export already shows change
// nothing, and the copy ends equal to the database. It is the reference for consumers and the
// tests' judge. Values are feed values (FeedValue).
type Replica struct {
	Nodes map[string]map[string]any // properties by node id
	Rels  map[string]map[string]any // properties by relationship id
}

// NewReplica returns an empty copy.
func NewReplica() *Replica {
	return &Replica{Nodes: map[string]map[string]any{}, Rels: map[string]map[string]any{}}
}

func (r *Replica) entities(entity string) map[string]map[string]any {
	if entity == "relationship" {
		return r.Rels
	}
	return r.Nodes
}

// Put sets an entity as an export shows it.
func (r *Replica) Put(entity, id string, props map[string]any) {
	out := make(map[string]any, len(props))
	for k, v := range props {
		out[k] = FeedValue(v)
	}
	r.entities(entity)[id] = out
}

// Apply applies one event.
func (r *Replica) Apply(e *ChangeEvent) {
	set := r.entities(e.Entity)
	switch e.Op {
	case EventDelete:
		delete(set, e.ID)
		return
	case EventCreate:
		set[e.ID] = map[string]any{}
	}
	props := set[e.ID]
	if props == nil {
		// An update of an entity that the export no longer showed: a later event deletes it.
		props = map[string]any{}
		set[e.ID] = props
	}
	for _, c := range e.Changes {
		if e.Entity == "relationship" && (c.Field == "from" || c.Field == "to" || c.Field == "kind") {
			continue // the relationship's ends and kind, which its id holds
		}
		if c.After == nil {
			delete(props, c.Field)
		} else {
			props[c.Field] = FeedValue(c.After)
		}
	}
}

// Clone returns a copy that shares nothing with r.
func (r *Replica) Clone() *Replica {
	out := NewReplica()
	for id, p := range r.Nodes {
		out.Nodes[id] = maps.Clone(p)
	}
	for id, p := range r.Rels {
		out.Rels[id] = maps.Clone(p)
	}
	return out
}

// Differences lists how r differs from want, at most limit of them: missing, extra and
// different entities and properties.
func (r *Replica) Differences(want *Replica, limit int) []string {
	var out []string
	add := func(s string) bool {
		out = append(out, s)
		return len(out) < limit
	}
	for _, side := range []struct {
		name      string
		got, want map[string]map[string]any
	}{{"node", r.Nodes, want.Nodes}, {"relationship", r.Rels, want.Rels}} {
		for id, wp := range side.want {
			gp, ok := side.got[id]
			if !ok {
				if !add("missing " + side.name + " " + id) {
					return out
				}
				continue
			}
			for _, c := range Diff(gp, wp) {
				if !add(side.name + " " + id + "." + c.Field + ": got " + show(c.Before) + ", want " + show(c.After)) {
					return out
				}
			}
		}
		for id := range side.got {
			if _, ok := side.want[id]; !ok && !add("extra "+side.name+" "+id) {
				return out
			}
		}
	}
	return out
}

func show(v any) string {
	if v == nil {
		return "nothing"
	}
	return fmt.Sprintf("%#v", v)
}
