package seed

import (
	"fmt"
	"strings"

	"github.com/gongjian/gongjian/graph"
)

// Lookups over the dataset being generated; they scan, which is fine at demo size.

func (g *gen) nodeProp(id, key string) (any, bool) { return g.prop(id, key) }

func (g *gen) placeName(id string) string { v, _ := g.prop(id, "name"); s, _ := v.(string); return s }

func (g *gen) unitName(id string) string { return g.placeName(id) }

// lastID is the id most recently made by id(prefix).
func (g *gen) lastID(prefix string) string { return fmt.Sprintf("%s:g%d", prefix, g.seq[prefix]) }

// idsWithPrefix lists node ids with a prefix, in insertion order.
func (g *gen) idsWithPrefix(prefix string) []string {
	var out []string
	for _, id := range g.order {
		if strings.HasPrefix(id, prefix) {
			out = append(out, id)
		}
	}
	return out
}

func (g *gen) countPrefix(prefix string) int { return len(g.idsWithPrefix(prefix)) }

// subtree returns the places under root (root included).
func (g *gen) subtree(root string) map[string]bool {
	children := map[string][]string{}
	for _, e := range g.edges[graph.RelPartOf] {
		children[e.To] = append(children[e.To], e.From)
	}
	in := map[string]bool{root: true}
	queue := []string{root}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			if !in[c] {
				in[c] = true
				queue = append(queue, c)
			}
		}
	}
	return in
}

// orgsUnder lists the party organisations of the places under root and of the units stationed
// there, in insertion order.
func (g *gen) orgsUnder(root string) []string {
	places := g.subtree(root)
	units := map[string]bool{}
	for _, e := range g.edges[graph.RelStationedIn] {
		if places[e.To] {
			units[e.From] = true
		}
	}
	home := map[string]bool{}
	for _, e := range g.edges[graph.RelOrgOf] {
		if places[e.To] || units[e.To] {
			home[e.From] = true
		}
	}
	var out []string
	for _, id := range g.order {
		if home[id] {
			out = append(out, id)
		}
	}
	return out
}

func (g *gen) countOrgsUnder(root string) int { return len(g.orgsUnder(root)) }

// orgHome is the unit or place an organisation belongs to.
func (g *gen) orgHome(org string) string {
	for _, e := range g.edges[graph.RelOrgOf] {
		if e.From == org {
			return e.To
		}
	}
	panic("seed: organisation without a home: " + org)
}

// stationedIn is the place a unit is stationed in.
func (g *gen) stationedIn(unit string) string {
	for _, e := range g.edges[graph.RelStationedIn] {
		if e.From == unit {
			return e.To
		}
	}
	return ""
}

// parentOf is a place's parent.
func (g *gen) parentOf(place string) string {
	for _, e := range g.edges[graph.RelPartOf] {
		if e.From == place {
			return e.To
		}
	}
	return ""
}
