package graph

import (
	"fmt"
	"maps"
	"slices"
)

// The operations as the Simulator runs them. Each checks what it needs of the current state
// (after the batch's earlier operations), then changes it and returns its events.

func (s *Simulator) upsertNode(field string, op Operation, scope *WriteScope) ([]*ChangeEvent, []Touch, *Error) {
	touched := []Touch{{ID: op.ID, Field: field + ".id"}}
	cur := s.node(op.ID)
	if cur != nil && cur.Label != op.NodeKind {
		return nil, touched, &Error{Code: Conflict, Field: field + ".id", Message: fmt.Sprintf("%s is a %s, not a %s", op.ID, cur.Label, op.NodeKind)}
	}
	if err := systemOf(scope, cur, field+".id"); err != nil {
		return nil, touched, err
	}
	var before map[string]any
	after := map[string]any{}
	if cur != nil {
		before = cur.Props
		maps.Copy(after, cur.Props)
	}
	setAll(after, op.Props)
	if op.Ref != nil {
		after["source"], after["externalId"] = "system:"+op.Ref.System, op.Ref.ExternalID
	} else if cur == nil {
		after["source"] = "system:api"
	}
	after["id"] = op.ID
	if err := datesInOrder(field, op.Props, after); err != nil {
		return nil, touched, err
	}
	next := &Node{ID: op.ID, Label: op.NodeKind, Props: after}
	if err := systemOf(scope, next, field+".ref"); err != nil {
		err.Message = fmt.Sprintf("%s would not be a record of your systems: push it with a ref of one of them", op.ID)
		return nil, touched, err
	}
	changes := Diff(before, after)
	if cur != nil && len(changes) == 0 {
		return nil, touched, nil
	}
	s.setNode(op.ID, next)
	verb := EventUpdate
	if cur == nil {
		verb = EventCreate
	}
	return []*ChangeEvent{{Entity: "node", Kind: string(op.NodeKind), ID: op.ID, Op: verb, Changes: changes, Source: sourceOf(next)}}, touched, nil
}

// sourceOf is a node's source; "" for none.
func sourceOf(n *Node) string {
	if n == nil {
		return ""
	}
	s, _ := n.Props["source"].(string)
	return s
}

func (s *Simulator) deleteNode(field string, op Operation, scope *WriteScope) ([]*ChangeEvent, []Touch, *Error) {
	touched := []Touch{{ID: op.ID, Field: field + ".id"}}
	cur := s.node(op.ID)
	if cur == nil {
		return nil, touched, &Error{Code: NotFound, Field: field + ".id", Message: fmt.Sprintf("no node has the id %q", op.ID)}
	}
	if cur.Label != op.NodeKind {
		return nil, touched, &Error{Code: Conflict, Field: field + ".id", Message: fmt.Sprintf("%s is a %s, not a %s", op.ID, cur.Label, op.NodeKind)}
	}
	if err := systemOf(scope, cur, field+".id"); err != nil {
		return nil, touched, err
	}
	// Its relationships go with it: each is checked against the scope and gets an event.
	var events []*ChangeEvent
	for _, id := range s.relsOf(op.ID) {
		r := s.rel(id)
		other := r.From
		if other == op.ID {
			other = r.To
		}
		touched = append(touched, Touch{ID: other, Field: field + ".id", Removed: true})
		if err := systemOf(scope, s.node(r.From), field+".id"); err != nil {
			err.Message = fmt.Sprintf("deleting %s would remove %s, and %s is not a record of your systems", op.ID, r.ID(), r.From)
			return nil, touched, err
		}
		events = append(events, &ChangeEvent{Entity: "relationship", Kind: string(r.Kind), ID: id, Op: EventDelete, Changes: Diff(WithEnds(r), nil),
			Source: sourceOf(s.node(r.From))})
		s.setRel(id, nil)
	}
	s.setNode(op.ID, nil)
	return append(events, &ChangeEvent{Entity: "node", Kind: string(cur.Label), ID: op.ID, Op: EventDelete, Changes: Diff(cur.Props, nil),
		Source: sourceOf(cur)}), touched, nil
}

// relsOf lists, sorted, the ids of the current relationships of a node.
func (s *Simulator) relsOf(id string) []string {
	var out []string
	for _, rid := range s.byNode[id] {
		if r := s.rel(rid); r != nil && (r.From == id || r.To == id) {
			out = append(out, rid)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (s *Simulator) link(field string, op Operation, scope *WriteScope) ([]*ChangeEvent, []Touch, *Error) {
	touched := []Touch{{ID: op.From, Field: field + ".from"}, {ID: op.To, Field: field + ".to"}}
	a, b := s.node(op.From), s.node(op.To)
	if a == nil {
		return nil, touched, &Error{Code: NotFound, Field: field + ".from", Message: fmt.Sprintf("no node has the id %q", op.From)}
	}
	if b == nil {
		return nil, touched, &Error{Code: NotFound, Field: field + ".to", Message: fmt.Sprintf("no node has the id %q", op.To)}
	}
	if err := op.CheckEnds(field, a.Label, b.Label); err != nil {
		return nil, touched, err.(*Error)
	}
	if err := systemOf(scope, a, field+".from"); err != nil {
		return nil, touched, err
	}
	if op.Rel == RelPartOf && s.above(op.To, op.From) {
		return nil, touched, &Error{Code: Conflict, Field: field + ".to", Message: fmt.Sprintf("%s lies under %s: a place cannot be its own ancestor", op.To, op.From)}
	}
	next := &Relationship{Kind: op.Rel, From: op.From, To: op.To, Key: op.Key, Props: map[string]any{}}
	id := next.ID()
	cur := s.rel(id)
	if cur != nil {
		maps.Copy(next.Props, cur.Props)
	}
	setAll(next.Props, op.Props)
	next.Props["key"] = op.Key
	if err := datesInOrder(field, op.Props, next.Props); err != nil {
		return nil, touched, err
	}
	verb, changes := EventCreate, Diff(nil, WithEnds(next))
	if cur != nil {
		verb, changes = EventUpdate, Diff(cur.Props, next.Props)
		if len(changes) == 0 {
			return nil, touched, nil
		}
	}
	s.setRel(id, next)
	return []*ChangeEvent{{Entity: "relationship", Kind: string(op.Rel), ID: id, Op: verb, Changes: changes, Source: sourceOf(a)}}, touched, nil
}

// above reports whether target lies above place (or is it) by the current PART_OF relationships.
func (s *Simulator) above(place, target string) bool {
	seen := map[string]bool{place: true}
	queue := []string{place}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		if x == target {
			return true
		}
		for _, rid := range s.up[x] {
			if r := s.rel(rid); r != nil && !seen[r.To] {
				seen[r.To] = true
				queue = append(queue, r.To)
			}
		}
	}
	return false
}

func (s *Simulator) unlink(field string, op Operation, scope *WriteScope) ([]*ChangeEvent, []Touch, *Error) {
	touched := []Touch{{ID: op.From, Field: field + ".from"}, {ID: op.To, Field: field + ".to"}}
	id := (&Relationship{Kind: op.Rel, From: op.From, To: op.To, Key: op.Key}).ID()
	cur := s.rel(id)
	if cur == nil {
		return nil, touched, &Error{Code: NotFound, Field: field, Message: fmt.Sprintf("no %s relationship from %s to %s", op.Rel, op.From, op.To)}
	}
	if err := systemOf(scope, s.node(op.From), field+".from"); err != nil {
		return nil, touched, err
	}
	s.setRel(id, nil)
	return []*ChangeEvent{{Entity: "relationship", Kind: string(op.Rel), ID: id, Op: EventDelete, Changes: Diff(WithEnds(cur), nil),
		Source: sourceOf(s.node(op.From))}}, touched, nil
}

// setAll sets properties on a map; a nil value removes one.
func setAll(dst, set map[string]any) {
	for k, v := range set {
		if v == nil {
			delete(dst, k)
		} else {
			dst[k] = v
		}
	}
}

// datesInOrder checks that since does not follow until, in the values as they would be after
// the operation (what is stored, with what the operation sets); the error names the field the
// operation set.
func datesInOrder(field string, set, after map[string]any) *Error {
	_, setSince := set["since"]
	_, setUntil := set["until"]
	since, until := dateProp(after, "since"), dateProp(after, "until")
	if !setSince && !setUntil || since == nil || until == nil || !until.Before(since.Time) {
		return nil
	}
	if setUntil {
		if setSince {
			return FieldError(field+".properties.until", "until (%s) is before since (%s)", until, since)
		}
		return FieldError(field+".properties.until", "until (%s) is before the stored since (%s)", until, since)
	}
	return FieldError(field+".properties.since", "since (%s) is after the stored until (%s)", since, until)
}
