package graph

import (
	"io"
	"slices"
)

// CoverageKind is how a unit covers a place (覆盖方式).
type CoverageKind string

// The coverage kinds. A unit covers a place when one of these chains joins them.
const (
	// CoverStationed: the unit is stationed in the place (驻区).
	CoverStationed CoverageKind = "STATIONED"
	// CoverBigPartyCommittee: the unit (or its party organisation) holds a seat on the
	// community's 大党委.
	CoverBigPartyCommittee CoverageKind = "BIG_PARTY_COMMITTEE"
	// CoverAgreement: the unit (or its organisation) signed a co-building agreement with the
	// place (结对共建).
	CoverAgreement CoverageKind = "AGREEMENT"
	// CoverJointAreaCommittee: a seat on a joint area committee that covers the place (联合片区党委).
	CoverJointAreaCommittee CoverageKind = "JOINT_AREA_COMMITTEE"
	// CoverBigWorkingCommittee: a seat on the 大工委 of the place's street (or of the place, a
	// street).
	CoverBigWorkingCommittee CoverageKind = "BIG_WORKING_COMMITTEE"
	// CoverCollaborationGroup: a seat on a collaboration group paired with the place's street
	// or town (党建协作组).
	CoverCollaborationGroup CoverageKind = "COLLABORATION_GROUP"
	// CoverAlliance: a seat on an alliance that covers the place or its street (党建联合体).
	CoverAlliance CoverageKind = "ALLIANCE"
	// CoverFederation: a seat on a district federation that covers the place's district
	// (区域党建联合会).
	CoverFederation CoverageKind = "FEDERATION"
)

// CoverageKinds lists the coverage kinds.
var CoverageKinds = []CoverageKind{CoverStationed, CoverBigPartyCommittee, CoverAgreement, CoverJointAreaCommittee,
	CoverBigWorkingCommittee, CoverCollaborationGroup, CoverAlliance, CoverFederation}

// MarshalGQL implements graphql.Marshaler.
func (k CoverageKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *CoverageKind) UnmarshalGQL(v any) error {
	return unmarshalEnum(k, v, CoverageKinds, "CoverageKind")
}

// Path is a chain of nodes joined by relationships: Nodes[i] and Nodes[i+1] are the ends of
// Relationships[i], in either direction.
type Path struct {
	Nodes         []*Node
	Relationships []*Relationship
}

// Length is the number of relationships.
func (p *Path) Length() int { return len(p.Relationships) }

// Coverage is one way a unit covers a place, with the path that proves it.
type Coverage struct {
	Unit  *Node
	Place *Node
	Kind  CoverageKind
	Since *Date // when the chain began to hold: the latest since along it
	Until *Date // when it ceased to: the earliest until along it; nil while it holds
	Path  *Path
}

// CoverageFilter narrows coverage.
type CoverageFilter struct {
	UnitKinds []UnitKind
	Kinds     []CoverageKind
	AsOf      *Date
}

// CoveragePage is a page of coverage, with the number of distinct units across all pages.
type CoveragePage struct {
	Items  []*Coverage
	Total  int
	Units  int
	Offset int
}

// Validate checks the filter's enums.
func (f CoverageFilter) Validate() error {
	for _, k := range f.Kinds {
		if !slices.Contains(CoverageKinds, k) {
			return FieldError("filter.kinds", "unknown coverage kind %q", k)
		}
	}
	for _, k := range f.UnitKinds {
		if !slices.Contains(UnitKinds, k) {
			return FieldError("filter.unitKinds", "unknown unit kind %q", k)
		}
	}
	return nil
}

// Span is when the whole chain holds: from the latest since (or signing) along it to the
// earliest until; nil where nothing along it is dated.
func (p *Path) Span() (since, until *Date) {
	later := func(d *Date) {
		if d != nil && (since == nil || d.After(since.Time)) {
			since = d
		}
	}
	earlier := func(d *Date) {
		if d != nil && (until == nil || d.Before(until.Time)) {
			until = d
		}
	}
	for _, n := range p.Nodes {
		later(n.Since())
		earlier(n.Until())
	}
	for _, r := range p.Relationships {
		later(r.Since())
		earlier(r.Until())
	}
	return since, until
}

// CrossUnitReport is a member who reports to a community whose organisations they do not
// belong to (在职党员到社区报到 across units).
type CrossUnitReport struct {
	Member       *Node
	Community    *Node
	WorkUnit     *Node // nil when they work in none (e.g. retired)
	Organisation *Node // the organisation they belong to
	Rel          *Relationship
}

// ReportingFilter narrows cross-unit reporting.
type ReportingFilter struct {
	Within        string // the receiving communities lie in this place
	WorkUnitKinds []UnitKind
	Categories    []MemberCategory
	AsOf          *Date
}

// ReportPage is a page of cross-unit reports.
type ReportPage struct {
	Items         []*CrossUnitReport
	Total, Offset int
}

// Flow is the number of members of one source (their work unit, or their organisation when
// they work in none) who report to one community.
type Flow struct {
	Source    *Node
	Community *Node
	Members   int
}

// FlowPage is a page of flows, with the number of members across all of them.
type FlowPage struct {
	Items                  []*Flow
	Total, Offset, Members int
}

// GapFilter asks for the communities under a place that fewer than MinUnits units cover
// (with the given unit and coverage kinds, as of a date).
type GapFilter struct {
	Within   string
	MinUnits int
	Coverage CoverageFilter
}

// Gap is a community and the number of distinct units that cover it.
type Gap struct {
	Place         *Node
	CoveringUnits int
}

// GapPage is a page of gaps.
type GapPage struct {
	Items         []*Gap
	Total, Offset int
}

// StreetWithoutSeats is a street (or town) whose big working committee has no seat, or that
// has no big working committee at all.
type StreetWithoutSeats struct {
	Street    *Node
	Committee *Node // nil when the street has no 大工委
}

// Representative is a person who holds seats on several committees.
type Representative struct {
	Person     *Node
	Committees int
	Seats      []*Node
}

// KindCount is a number of things of one kind.
type KindCount struct {
	Kind  string
	Count int
}

// Statistics are the figures of a place and everything under it.
type Statistics struct {
	Place              *Node
	Streets            int // streets and towns
	Communities        int
	Villages           int
	Grids              int
	Units              int
	UnitsByKind        []*KindCount
	PartyOrgs          int
	Members            int
	MembersByCategory  []*KindCount
	ReportingMembers   int
	CrossUnitReporters int
	CoveredCommunities int
	Committees         []*KindCount
	Seats              int
	Agreements         int
	Projects           int
	ProjectsByStatus   []*KindCount
	ProjectsByCategory []*KindCount
	ServicePosts       int
	ClaimedPosts       int
	Claims             int
	SharedResources    int
	VolunteerTeams     int
	RedStations        int
}

// CoverageRate is the share of communities (and villages) that at least one unit covers.
func (s *Statistics) CoverageRate() float64 {
	if n := s.Communities + s.Villages; n > 0 {
		return float64(s.CoveredCommunities) / float64(n)
	}
	return 0
}

// ReportingMembersPerCommunity is the mean number of reporting members per community.
func (s *Statistics) ReportingMembersPerCommunity() float64 {
	if s.Communities > 0 {
		return float64(s.ReportingMembers) / float64(s.Communities)
	}
	return 0
}

// SearchHit is a node found by a search, with its relevance.
type SearchHit struct {
	Node  *Node
	Score float64
}

// SearchPage is a page of search hits.
type SearchPage struct {
	Items         []*SearchHit
	Total, Offset int
}

// PathPage is a page of paths.
type PathPage struct {
	Items         []*Path
	Total, Offset int
}
