// Package seed holds gongjian's data: the facts curated from the five reports (with the
// sentence each was drawn from), the calibrated entities that make the reports' figures true
// of the data, deterministic scale profiles for benchmarks, and the loader.
package seed

import (
	"fmt"
	"sort"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
)

// Dataset is a set of nodes and edges to load; ids are unique across kinds.
type Dataset struct {
	nodes map[graph.NodeKind][]neo4jstore.NodeRow
	edges map[graph.RelKind][]neo4jstore.EdgeRow
	kind  map[string]graph.NodeKind // id → kind
	pos   map[string]int            // id → index in nodes[kind]
	order []string                  // ids in insertion order
	edge  map[string]bool           // rel|from|to|key
}

// NewDataset returns an empty dataset.
func NewDataset() *Dataset {
	return &Dataset{
		nodes: map[graph.NodeKind][]neo4jstore.NodeRow{},
		edges: map[graph.RelKind][]neo4jstore.EdgeRow{},
		kind:  map[string]graph.NodeKind{},
		pos:   map[string]int{},
		edge:  map[string]bool{},
	}
}

// prov is where a fact came from.
type prov struct{ source, quote string }

// generated marks synthetic data.
var generated = prov{source: "generated"}

func (p prov) props(m map[string]any) map[string]any {
	if m == nil {
		m = map[string]any{}
	}
	m["source"] = p.source
	if p.quote != "" {
		m["quote"] = p.quote
	}
	return m
}

// Node adds a node; adding an id twice with the same kind merges the properties.
func (d *Dataset) Node(kind graph.NodeKind, id string, p prov, props map[string]any) string {
	if !kind.Valid() {
		panic("seed: unknown node kind " + string(kind))
	}
	if k, ok := d.kind[id]; ok {
		if k != kind {
			panic(fmt.Sprintf("seed: id %s used for %s and %s", id, k, kind))
		}
		row := d.nodes[kind][d.pos[id]]
		for key, v := range props {
			row.Props[key] = v
		}
		return id
	}
	d.kind[id] = kind
	d.pos[id] = len(d.nodes[kind])
	d.order = append(d.order, id)
	props = p.props(props)
	props["id"] = id
	d.nodes[kind] = append(d.nodes[kind], neo4jstore.NodeRow{ID: id, Props: props})
	return id
}

// Edge adds a relationship between two nodes of the dataset; a duplicate is ignored.
func (d *Dataset) Edge(kind graph.RelKind, from, to string, p prov, props map[string]any) {
	d.EdgeKey(kind, from, to, "", p, props)
}

// EdgeKey adds a relationship with a key that tells it apart from parallel ones.
func (d *Dataset) EdgeKey(kind graph.RelKind, from, to, key string, p prov, props map[string]any) {
	if !kind.Valid() {
		panic("seed: unknown relationship kind " + string(kind))
	}
	if _, ok := d.kind[from]; !ok {
		panic(fmt.Sprintf("seed: %s edge from unknown node %s", kind, from))
	}
	if _, ok := d.kind[to]; !ok {
		panic(fmt.Sprintf("seed: %s edge to unknown node %s", kind, to))
	}
	k := string(kind) + "|" + from + "|" + to + "|" + key
	if d.edge[k] {
		return
	}
	d.edge[k] = true
	props = p.props(props)
	d.edges[kind] = append(d.edges[kind], neo4jstore.EdgeRow{From: from, To: to, Key: key, Props: props})
}

// Anchor declares a node that an earlier chunk of the same profile made: relationships may end
// at it, but the dataset does not write it.
func (d *Dataset) Anchor(kind graph.NodeKind, id string) {
	if k, ok := d.kind[id]; ok && k != kind {
		panic(fmt.Sprintf("seed: id %s used for %s and %s", id, k, kind))
	}
	d.kind[id] = kind
}

// Move re-attaches a place to a new parent: its PART_OF relationships are replaced by one to
// parent, so that every place has one parent.
func (d *Dataset) Move(place, parent string, p prov) {
	rows := d.edges[graph.RelPartOf][:0]
	for _, e := range d.edges[graph.RelPartOf] {
		if e.From == place {
			delete(d.edge, string(graph.RelPartOf)+"|"+e.From+"|"+e.To+"|"+e.Key)
			continue
		}
		rows = append(rows, e)
	}
	d.edges[graph.RelPartOf] = rows
	d.Edge(graph.RelPartOf, place, parent, p, nil)
}

// Has reports whether the dataset holds a node with this id.
func (d *Dataset) Has(id string) bool { _, ok := d.kind[id]; return ok }

// prop returns a property of a node.
func (d *Dataset) prop(id, key string) (any, bool) {
	k, ok := d.kind[id]
	if !ok {
		return nil, false
	}
	v, ok := d.nodes[k][d.pos[id]].Props[key]
	return v, ok
}

// NodeCount is the number of nodes (anchors excluded).
func (d *Dataset) NodeCount() int { return len(d.order) }

// EdgeCount is the number of relationships.
func (d *Dataset) EdgeCount() int { return len(d.edge) }

// NodeCounts returns the number of nodes per kind.
func (d *Dataset) NodeCounts() map[graph.NodeKind]int {
	out := map[graph.NodeKind]int{}
	for k, rows := range d.nodes {
		out[k] = len(rows)
	}
	return out
}

// EdgeCounts returns the number of relationships per kind.
func (d *Dataset) EdgeCounts() map[graph.RelKind]int {
	out := map[graph.RelKind]int{}
	for k, rows := range d.edges {
		out[k] = len(rows)
	}
	return out
}

// nodeKinds and relKinds list the kinds present, in allow-list order (for a stable load order).
func (d *Dataset) nodeKinds() []graph.NodeKind {
	var out []graph.NodeKind
	for _, k := range graph.NodeKinds {
		if len(d.nodes[k]) > 0 {
			out = append(out, k)
		}
	}
	return out
}

func (d *Dataset) relKinds() []graph.RelKind {
	var out []graph.RelKind
	for _, k := range graph.RelKinds {
		if len(d.edges[k]) > 0 {
			out = append(out, k)
		}
	}
	return out
}

// date is a calendar date for Neo4j.
func date(s string) dbtype.Date {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic("seed: bad date " + s)
	}
	return dbtype.Date(t)
}

// sortedKeys returns a map's keys in order (for deterministic output).
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
