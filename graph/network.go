package graph

import (
	"context"
	"encoding/json"
	"io"
)

// Network is a graph-shaped answer for network views: flat lists of nodes and relationships
// that graph libraries draw as they are.
type Network struct {
	NodeList []*Node
	EdgeList []*Relationship
	// Truncated says that a limit cut the answer; NodeCount and EdgeCount are then the counts
	// of the whole answer (lower bounds when CountsExact is false).
	Truncated   bool
	NodeCount   int
	EdgeCount   int
	CountsExact bool
}

// NetworkNode is a node of a network answer.
type NetworkNode struct{ n *Node }

// ID is the node's id.
func (v NetworkNode) ID() string { return v.n.ID }

// Kind is the node's kind.
func (v NetworkNode) Kind() NodeKind { return v.n.Label }

// Label is the node's display name.
func (v NetworkNode) Label() string { return v.n.Name() }

// Properties are all the node's properties, dates written YYYY-MM-DD.
func (v NetworkNode) Properties(ctx context.Context) JSON {
	return jsonProps(v.n.Props, MasksPersonal(ctx))
}

// NetworkEdge is a relationship of a network answer.
type NetworkEdge struct{ r *Relationship }

// ID is the relationship's stable id.
func (e NetworkEdge) ID() string { return e.r.ID() }

// Kind is the relationship's kind.
func (e NetworkEdge) Kind() RelKind { return e.r.Kind }

// Source is the id of the node it is drawn from.
func (e NetworkEdge) Source() string { return e.r.From }

// Target is the id of the node it is drawn to.
func (e NetworkEdge) Target() string { return e.r.To }

// Properties are all the relationship's properties, dates written YYYY-MM-DD.
func (e NetworkEdge) Properties(ctx context.Context) JSON {
	return jsonProps(e.r.Props, MasksPersonal(ctx))
}

// Nodes returns the answer's nodes.
func (n *Network) Nodes() []NetworkNode {
	out := make([]NetworkNode, len(n.NodeList))
	for i, x := range n.NodeList {
		out[i] = NetworkNode{x}
	}
	return out
}

// Edges returns the answer's relationships.
func (n *Network) Edges() []NetworkEdge {
	out := make([]NetworkEdge, len(n.EdgeList))
	for i, x := range n.EdgeList {
		out[i] = NetworkEdge{x}
	}
	return out
}

// NetworkBuilder collects nodes and relationships once each, in order.
type NetworkBuilder struct {
	net   Network
	nodes map[string]bool
	edges map[string]bool
}

// Node adds a node unless it is there.
func (b *NetworkBuilder) Node(n *Node) {
	if b.nodes == nil {
		b.nodes, b.edges = map[string]bool{}, map[string]bool{}
	}
	if n != nil && !b.nodes[n.ID] {
		b.nodes[n.ID] = true
		b.net.NodeList = append(b.net.NodeList, n)
	}
}

// Path adds a path's nodes and relationships.
func (b *NetworkBuilder) Path(p *Path) {
	for _, n := range p.Steps {
		b.Node(n)
	}
	for _, r := range p.Relationships {
		if id := r.ID(); !b.edges[id] {
			b.edges[id] = true
			b.net.EdgeList = append(b.net.EdgeList, r)
		}
	}
}

// Network returns what was collected.
func (b *NetworkBuilder) Network() *Network {
	n := b.net
	n.NodeCount, n.EdgeCount, n.CountsExact = len(n.NodeList), len(n.EdgeList), true
	return &n
}

// NetworkQuery asks for a network: around nodes (IDs, Depth) or of a place's subtree (Place).
type NetworkQuery struct {
	IDs       []string
	Depth     int
	Place     string
	RelKinds  []RelKind
	NodeKinds []NodeKind
	AsOf      *Date
	Limit     int // most nodes returned; relationships are limited to EdgesPerNode times this
}

// EdgesPerNode bounds the relationships of a network answer: at most EdgesPerNode × Limit.
const EdgesPerNode = 4

// Validate checks the query's kinds against the allow-lists.
func (q NetworkQuery) Validate() error {
	for _, k := range q.RelKinds {
		if !k.Valid() {
			return FieldError("relationshipKinds", "unknown relationship kind %q", k)
		}
	}
	for _, k := range q.NodeKinds {
		if !k.Valid() {
			return FieldError("nodeKinds", "unknown node kind %q", k)
		}
	}
	return nil
}

// MarshalGQL implements graphql.Marshaler: a node kind is written as its label.
func (k NodeKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *NodeKind) UnmarshalGQL(v any) error { return unmarshalEnum(k, v, NodeKinds, "NodeKind") }

// MarshalGQL implements graphql.Marshaler.
func (k RelKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *RelKind) UnmarshalGQL(v any) error { return unmarshalEnum(k, v, RelKinds, "RelationshipKind") }

// JSON is a JSON object, written as it is.
type JSON map[string]any

// MarshalGQL implements graphql.Marshaler.
func (j JSON) MarshalGQL(w io.Writer) {
	b, err := json.Marshal(map[string]any(j))
	if err != nil {
		b = []byte("{}")
	}
	_, _ = w.Write(b)
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (j *JSON) UnmarshalGQL(v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return FieldError("", "%v is not a JSON object", v)
	}
	*j = m
	return nil
}

func jsonProps(props map[string]any, mask bool) JSON {
	out := make(JSON, len(props))
	for k, v := range props {
		v = MaskValue(k, v, mask)
		if d := dateProp(props, k); d != nil {
			out[k] = d.String()
			continue
		}
		out[k] = v
	}
	return out
}

// NetworkNodeOf is the network view of a node.
func NetworkNodeOf(n *Node) NetworkNode { return NetworkNode{n} }

// NetworkEdgeOf is the network view of a relationship.
func NetworkEdgeOf(r *Relationship) NetworkEdge { return NetworkEdge{r} }
