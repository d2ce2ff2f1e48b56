package graph

// Children are nodes an answer holds, and the fields that lead to them: from the answer itself,
// or (Entries) from each entry of its connection (`nodes`, or `edges { node }`). The GraphQL
// layer loads what a query selects on them, for all of them at once.
type Children struct {
	Entries bool
	Path    []string
	Nodes   []*Node
}

// A Parent is an answer that holds nodes. Every answer whose fields a query can select below
// implements it, so that a new answer type cannot be walked without saying what it holds.
type Parent interface {
	ChildNodes() []Children
}

// ChildNodes implements Parent: a page's entries are its nodes.
func (p *Page) ChildNodes() []Children {
	if p == nil {
		return nil
	}
	return []Children{{Entries: true, Nodes: p.Nodes()}}
}

// ChildNodes implements Parent: the node itself.
func (n *Node) ChildNodes() []Children {
	if n == nil {
		return nil
	}
	return []Children{{Nodes: []*Node{n}}}
}

// ChildNodes implements Parent: each entry's unit, place and path.
func (p *CoveragePage) ChildNodes() []Children {
	if p == nil {
		return nil
	}
	var units, places, steps []*Node
	for _, c := range p.Items {
		units, places = append(units, c.UnitNode), append(places, c.PlaceNode)
		steps = append(steps, c.Path.Steps...)
	}
	return []Children{{true, []string{"unit"}, units}, {true, []string{"place"}, places}, {true, []string{"path", "nodes"}, steps}}
}

// ChildNodes implements Parent: each report's member, community, work unit and organisation.
func (p *ReportPage) ChildNodes() []Children {
	if p == nil {
		return nil
	}
	var members, communities, units, orgs []*Node
	for _, r := range p.Items {
		members, communities = append(members, r.MemberNode), append(communities, r.CommunityNode)
		if r.WorkUnitNode != nil {
			units = append(units, r.WorkUnitNode)
		}
		if r.OrganisationNode != nil {
			orgs = append(orgs, r.OrganisationNode)
		}
	}
	return []Children{{true, []string{"member"}, members}, {true, []string{"community"}, communities},
		{true, []string{"workUnit"}, units}, {true, []string{"organisation"}, orgs}}
}

// ChildNodes implements Parent: each flow's source and community.
func (p *FlowPage) ChildNodes() []Children {
	if p == nil {
		return nil
	}
	var sources, communities []*Node
	for _, f := range p.Items {
		if f.SourceNode != nil {
			sources = append(sources, f.SourceNode)
		}
		communities = append(communities, f.CommunityNode)
	}
	return []Children{{true, []string{"source"}, sources}, {true, []string{"community"}, communities}}
}

// ChildNodes implements Parent: each gap's community.
func (p *GapPage) ChildNodes() []Children {
	if p == nil {
		return nil
	}
	var places []*Node
	for _, g := range p.Items {
		places = append(places, g.PlaceNode)
	}
	return []Children{{true, []string{"community"}, places}}
}

// ChildNodes implements Parent: each path's nodes.
func (p *PathPage) ChildNodes() []Children {
	if p == nil {
		return nil
	}
	var steps []*Node
	for _, path := range p.Items {
		steps = append(steps, path.Steps...)
	}
	return []Children{{true, []string{"nodes"}, steps}}
}

// ChildNodes implements Parent: each hit's node.
func (p *SearchPage) ChildNodes() []Children {
	if p == nil {
		return nil
	}
	var hits []*Node
	for _, h := range p.Items {
		hits = append(hits, h.Hit)
	}
	return []Children{{true, []string{"node"}, hits}}
}

// StreetsWithoutSeats is the answer of streetsWithoutSeats.
type StreetsWithoutSeats []*StreetWithoutSeats

// ChildNodes implements Parent: each street and its committee.
func (l StreetsWithoutSeats) ChildNodes() []Children {
	var streets, committees []*Node
	for _, s := range l {
		streets = append(streets, s.StreetNode)
		if s.CommitteeNode != nil {
			committees = append(committees, s.CommitteeNode)
		}
	}
	return []Children{{true, []string{"street"}, streets}, {true, []string{"committee"}, committees}}
}

// Representatives is the answer of representatives.
type Representatives []*Representative

// ChildNodes implements Parent: each representative and their seats.
func (l Representatives) ChildNodes() []Children {
	var people, seats []*Node
	for _, r := range l {
		people = append(people, r.PersonNode)
		seats = append(seats, r.SeatNodes...)
	}
	return []Children{{true, []string{"person"}, people}, {true, []string{"seats"}, seats}}
}

// ChildNodes implements Parent: the place.
func (s *Statistics) ChildNodes() []Children {
	if s == nil {
		return nil
	}
	return []Children{{Path: []string{"place"}, Nodes: []*Node{s.PlaceNode}}}
}
