package graph

import (
	"fmt"
	"slices"
)

// BatchState is what a commit of write batches starts from: the nodes and relationships its
// operations name, as the database holds them when the commit begins (read under the feed's
// lock, so nothing changes them meanwhile).
type BatchState struct {
	// Nodes are the nodes the operations name, and the other ends of the relationships of the
	// nodes they delete, by id. An id that is not here names no node.
	Nodes map[string]*Node
	// Rels are the relationships the operations name, all the relationships of the nodes they
	// delete, and the PART_OF relationships above the places they link with PART_OF, by
	// Relationship.ID. A relationship the operations name that is not here does not exist.
	Rels map[string]*Relationship
}

// StateQuery says what a BatchState must hold for some operations; the store reads it in one
// statement.
type StateQuery struct {
	IDs     []string        // the nodes named
	Rels    []*Relationship // the relationships named (kind, ends and key)
	Deletes []string        // the nodes deleted: all their relationships and the nodes at their other ends
	Places  []string        // the ends of PART_OF links: the PART_OF relationships above them
}

// QueryOf returns what the state of a commit of these operations must hold.
func QueryOf(ops []Operation) StateQuery {
	var q StateQuery
	ids, rels, places := map[string]bool{}, map[string]bool{}, map[string]bool{}
	addID := func(set map[string]bool, list *[]string, id string) {
		if !set[id] {
			set[id] = true
			*list = append(*list, id)
		}
	}
	deletes := map[string]bool{}
	for _, op := range ops {
		switch op.Op {
		case OpUpsertNode:
			addID(ids, &q.IDs, op.ID)
		case OpDeleteNode:
			addID(ids, &q.IDs, op.ID)
			addID(deletes, &q.Deletes, op.ID)
		case OpLink, OpUnlink:
			addID(ids, &q.IDs, op.From)
			addID(ids, &q.IDs, op.To)
			r := &Relationship{Kind: op.Rel, From: op.From, To: op.To, Key: op.Key}
			if !rels[r.ID()] {
				rels[r.ID()] = true
				q.Rels = append(q.Rels, r)
			}
			if op.Rel == RelPartOf && op.Op == OpLink {
				addID(places, &q.Places, op.From)
				addID(places, &q.Places, op.To)
			}
		}
	}
	return q
}

// Batch is one caller's operations (normalized): applied all or nothing.
type Batch struct {
	Actor string
	Scope *WriteScope // nil: anywhere
	Ops   []Operation
}

// Touch is a node that a batch's operation touches, for the check of an editor's places: Field
// names the first operation that touches it.
type Touch struct {
	ID    string
	Field string
	// Removed is set for the other end of a relationship that a deletion removes: it must lie in
	// the editor's places before the write, but it is not checked after.
	Removed bool
}

// Simulator runs batches of operations over a BatchState in memory, in order, each all or
// nothing, and works out the events each makes and the net writes of those that succeeded.
// The database is then written with a fixed number of statements, whatever the batch's size.
type Simulator struct {
	state  *BatchState
	nodes  map[string]*Node         // current nodes that differ from state (nil: deleted)
	rels   map[string]*Relationship // current relationships that differ from state (nil: deleted)
	gone   map[string]bool          // node and relationship ids deleted at some point
	byNode map[string][]string      // relationship ids by the ids of their ends (a superset)
	up     map[string][]string      // PART_OF relationship ids by the ids of their start nodes (a superset)
	undo   []func()                 // how to take back the running batch's changes
}

// NewSimulator starts from a state.
func NewSimulator(state *BatchState) *Simulator {
	s := &Simulator{state: state, nodes: map[string]*Node{}, rels: map[string]*Relationship{}, gone: map[string]bool{},
		byNode: map[string][]string{}, up: map[string][]string{}}
	for id, r := range state.Rels {
		s.index(id, r)
	}
	return s
}

// node is the current node of an id, or nil.
func (s *Simulator) node(id string) *Node {
	if n, ok := s.nodes[id]; ok {
		return n
	}
	return s.state.Nodes[id]
}

// rel is the current relationship of an id, or nil.
func (s *Simulator) rel(id string) *Relationship {
	if r, ok := s.rels[id]; ok {
		return r
	}
	return s.state.Rels[id]
}

func (s *Simulator) setNode(id string, n *Node) { put(s, s.nodes, id, n) }

func (s *Simulator) setRel(id string, r *Relationship) {
	if r != nil && s.rel(id) == nil && s.state.Rels[id] == nil {
		// A new relationship (the indexes may keep ids that are taken back).
		s.index(id, r)
	}
	put(s, s.rels, id, r)
}

// put sets the current value of a node or relationship (nil: deleted), and how to take it back.
func put[T any](s *Simulator, current map[string]*T, id string, v *T) {
	old, had := current[id]
	wasGone := s.gone[id]
	s.undo = append(s.undo, func() {
		if had {
			current[id] = old
		} else {
			delete(current, id)
		}
		s.gone[id] = wasGone
	})
	current[id] = v
	if v == nil {
		s.gone[id] = true
	}
}

// index adds a relationship to the indexes by node.
func (s *Simulator) index(id string, r *Relationship) {
	s.byNode[r.From] = append(s.byNode[r.From], id)
	s.byNode[r.To] = append(s.byNode[r.To], id)
	if r.Kind == RelPartOf {
		s.up[r.From] = append(s.up[r.From], id)
	}
}

// BatchResult is what one batch did: its events, or its errors (one per failing operation, in
// order) when it was taken back; and the nodes it touches.
type BatchResult struct {
	Events  []*ChangeEvent
	Errors  []*Error
	Touched []Touch
}

// Run runs one batch after those run before. When any of its operations fails, the batch is
// taken back whole and its errors are returned; the next batch starts where the previous
// successful one ended.
func (s *Simulator) Run(b Batch) BatchResult {
	s.undo = nil
	defer func() { s.undo = nil }()
	var res BatchResult
	for i, op := range b.Ops {
		field := fmt.Sprintf("operations[%d]", i)
		events, touched, err := s.apply(field, op, b.Scope)
		res.Touched = append(res.Touched, touched...)
		if err != nil {
			res.Errors = append(res.Errors, err)
			continue
		}
		for _, e := range events {
			e.Actor = b.Actor
		}
		res.Events = append(res.Events, events...)
	}
	if len(res.Errors) > 0 {
		for i := len(s.undo) - 1; i >= 0; i-- {
			s.undo[i]()
		}
		res.Events = nil
	}
	return res
}

func (s *Simulator) apply(field string, op Operation, scope *WriteScope) ([]*ChangeEvent, []Touch, *Error) {
	if scope != nil && scope.Systems != nil && op.Ref != nil && !slices.Contains(scope.Systems, op.Ref.System) {
		return nil, nil, &Error{Code: Forbidden, Field: field + ".ref.system", Message: "records of " + op.Ref.System + " are not yours to push"}
	}
	switch op.Op {
	case OpUpsertNode:
		return s.upsertNode(field, op, scope)
	case OpDeleteNode:
		return s.deleteNode(field, op, scope)
	case OpLink:
		return s.link(field, op, scope)
	case OpUnlink:
		return s.unlink(field, op, scope)
	}
	return nil, nil, FieldError(field+".op", "unknown operation %q", op.Op)
}

// systemOf checks that an integrator may touch a node: one of its systems' records.
func systemOf(scope *WriteScope, n *Node, field string) *Error {
	if scope == nil || scope.Systems == nil || n == nil {
		return nil
	}
	src, _ := n.Props["source"].(string)
	for _, sys := range scope.Systems {
		if src == "system:"+sys {
			return nil
		}
	}
	return &Error{Code: Forbidden, Field: field, Message: fmt.Sprintf("%s is not a record of your systems", n.ID)}
}
