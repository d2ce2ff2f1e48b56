package graph

import (
	"context"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"unicode"
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

// Subkind is the node's own kind within its label (a place's PlaceKind, a unit's UnitKind…),
// nil when it has none.
func (v NetworkNode) Subkind() *string {
	if s, ok := v.n.Props["kind"].(string); ok && s != "" {
		return &s
	}
	return nil
}

// Provenance says where the node came from.
func (v NetworkNode) Provenance() *Provenance { return v.n.Provenance() }

// Properties are the node's other properties, dates written YYYY-MM-DD: not its id, kind or
// provenance, which have fields of their own, so that a graph library's element data can take
// them as they are.
func (v NetworkNode) Properties(ctx context.Context) JSON {
	return jsonProps(v.n.Props, MasksPersonal(ctx), true)
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

// Provenance says where the relationship came from.
func (e NetworkEdge) Provenance() *Provenance { return e.r.Provenance() }

// Properties are the relationship's other properties, dates written YYYY-MM-DD: not its
// provenance (a field of its own), nor an empty key.
func (e NetworkEdge) Properties(ctx context.Context) JSON {
	return jsonProps(e.r.Props, MasksPersonal(ctx), true)
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

// MarshalGQL implements graphql.Marshaler: a node kind is written as its value of the GraphQL
// enum NodeKind (PARTY_ORG for the label PartyOrg).
func (k NodeKind) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(k.EnumName())) }

// UnmarshalGQL implements graphql.Unmarshaler: it takes the enum's values (PARTY_ORG).
func (k *NodeKind) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	kind, ok := nodeKindByEnum[s]
	if !ok {
		return FieldError("", "%v is not a valid NodeKind", v)
	}
	*k = kind
	return nil
}

// UnmarshalJSON reads a node kind in a pushed record (the import's NDJSON): the GraphQL enum's
// value (PARTY_ORG) or, as before the enum was written in capitals, the label (PartyOrg).
func (k *NodeKind) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return FieldError("", "a node kind is a string, not %s", b)
	}
	if kind, ok := nodeKindByEnum[s]; ok {
		*k = kind
		return nil
	}
	*k = NodeKind(s) // a label; checked against the allow-list where the operation is validated
	return nil
}

// EnumName is the kind's value in the GraphQL enum NodeKind: the label in capitals, its words
// joined by underscores (PartyOrg → PARTY_ORG).
func (k NodeKind) EnumName() string {
	var b strings.Builder
	for i, r := range string(k) {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// nodeKindByEnum maps the GraphQL enum's values to the labels.
var nodeKindByEnum = func() map[string]NodeKind {
	m := make(map[string]NodeKind, len(NodeKinds))
	for _, k := range NodeKinds {
		m[k.EnumName()] = k
	}
	return m
}()

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

// elementFields are the names a graph library gives an element's own data (cytoscape's id,
// source and target; everyone's kind) and the provenance, which has a field of its own: they
// never appear among a network answer's properties.
var elementFields = map[string]bool{"id": true, "kind": true, "source": true, "target": true,
	"quote": true, "externalId": true}

// ExportProperties are all of a node's or relationship's properties, as the export writes them:
// masked as the caller must see them, dates written YYYY-MM-DD.
func ExportProperties(ctx context.Context, props map[string]any) JSON {
	return jsonProps(props, MasksPersonal(ctx), false)
}

// jsonProps writes properties for an answer; element drops the element's own fields.
func jsonProps(props map[string]any, mask, element bool) JSON {
	out := make(JSON, len(props))
	for k, v := range props {
		if element && (elementFields[k] || (k == "key" && v == "")) {
			continue
		}
		v = MaskValue(k, v, mask)
		if d := dateProp(props, k); d != nil {
			out[k] = d.String()
			continue
		}
		out[k] = v
	}
	return out
}
