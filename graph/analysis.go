package graph

import (
	"fmt"
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
	// CoverReporting: the unit reports to the place as a unit (单位到社区报到, 双报到).
	CoverReporting CoverageKind = "REPORTING"
)

// CoverageKinds lists the coverage kinds.
var CoverageKinds = []CoverageKind{CoverStationed, CoverBigPartyCommittee, CoverAgreement, CoverJointAreaCommittee,
	CoverBigWorkingCommittee, CoverCollaborationGroup, CoverAlliance, CoverFederation, CoverReporting}

// MarshalGQL implements graphql.Marshaler.
func (k CoverageKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *CoverageKind) UnmarshalGQL(v any) error {
	return unmarshalEnum(k, v, CoverageKinds, "CoverageKind")
}

// Path is a chain of nodes joined by relationships: Nodes[i] and Nodes[i+1] are the ends of
// Relationships[i], in either direction.
type Path struct {
	Steps         []*Node
	Relationships []*Relationship
	// Hops is the number of relationships of a path read without them.
	Hops int
}

// Nodes returns the typed views of the path's nodes.
func (p *Path) Nodes() []Entity {
	out := make([]Entity, len(p.Steps))
	for i, n := range p.Steps {
		out[i] = Typed(n)
	}
	return out
}

// Length is the number of relationships.
func (p *Path) Length() int { return max(len(p.Relationships), p.Hops) }

// Coverage is one way a unit covers a place, with the path that proves it.
type Coverage struct {
	UnitNode  *Node
	PlaceNode *Node
	Kind      CoverageKind
	Level     CoverageLevel
	Since     *Date // when the chain began to hold: the latest since along it
	Until     *Date // when it ceased to: the earliest until along it; nil while it holds
	Path      *Path
}

// CoverageFilter narrows coverage.
type CoverageFilter struct {
	UnitKinds []UnitKind
	Kinds     []CoverageKind
	Levels    []CoverageLevel
	AsOf      *Date // nil: today
	// PathLengthsOnly reads of each chain its length and dates, not its nodes and
	// relationships: set when the selection asks for no more of the path. Not an input field.
	PathLengthsOnly bool
}

// CoveragePage is a page of coverage, with the number of distinct units across all pages.
type CoveragePage struct {
	Items  []*Coverage
	Total  int
	Units  int
	Offset int
	List   string // the list's name, which its cursors carry
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
	return validLevels("filter.levels", f.Levels)
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
	for _, n := range p.Steps {
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
	MemberNode       *Node
	CommunityNode    *Node
	WorkUnitNode     *Node // nil when they work in none (e.g. retired)
	OrganisationNode *Node // the organisation they belong to
	Rel              *Relationship
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
	SourceNode    *Node
	CommunityNode *Node
	Members       int
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
	PlaceNode     *Node
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
	StreetNode    *Node
	CommitteeNode *Node // nil when the street has no 大工委
}

// Representative is a person who holds seats on several committees.
type Representative struct {
	PersonNode *Node
	Committees int
	SeatNodes  []*Node
}

// KindCount is a number of things of one kind.
type KindCount struct {
	Kind  string
	Count int
}

// Statistics are the figures of a place and everything under it, as of a date.
type Statistics struct {
	PlaceNode            *Node
	AsOf                 Date
	Levels               []CoverageLevel // the levels CoveredCommunities counts
	CoverageByLevel      []*LevelCoverage
	Streets              int // streets and towns
	Communities          int
	Villages             int
	Grids                int
	Units                int
	UnitsByKind          []*KindCount
	PartyOrgs            int
	Members              int
	MembersByCategory    []*KindCount
	ReportingMembers     int
	CrossUnitReporters   int
	CoveredCommunities   int
	Committees           []*KindCount
	Seats                int
	Agreements           int
	Projects             int
	ProjectsByStatus     []*KindCount
	ProjectsByCategory   []*KindCount
	ServicePosts         int
	ClaimedPosts         int
	Claims               int
	SharedResources      int
	VolunteerTeams       int
	RedStations          int
	Compounds            int
	Buildings            int
	Stairwells           int
	CommunitiesByType    []*KindCount
	PartyOrgsByKind      []*KindCount
	HeadsByRole          []*KindCount
	Activities           int
	ActivityOccurrences  int
	ActivityParticipants int
	ActivitiesByKind     []*KindCount
	Evaluations          int
	EvaluationsByKind    []*KindCount
	LeadingGroups        int
	ContactPoints        int
	MergedPlaces         int
	Volunteers           int
	SecondedPeople       int
}

// LevelCoverage is how many communities and villages units cover at one level (分层覆盖).
type LevelCoverage struct {
	Level              CoverageLevel
	CoveredCommunities int
	CoverageRate       float64
}

// ChildCoverage is the coverage of the communities and villages under one place directly under
// the asked one (a district's street, a street's community): how many there are, and how many
// units cover at each level.
type ChildCoverage struct {
	PlaceNode       *Node
	Communities     int
	CoveredDirect   int
	CoveredIndirect int
}

// DirectRate is the share covered directly, between 0 and 1 (0 when there are none).
func (c *ChildCoverage) DirectRate() float64 { return share(c.CoveredDirect, c.Communities) }

// IndirectRate is the share covered from a level above, between 0 and 1.
func (c *ChildCoverage) IndirectRate() float64 { return share(c.CoveredIndirect, c.Communities) }

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
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
	Hit   *Node
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

// The typed views of the answers' nodes, for the GraphQL layer.

func placeView(n *Node) *Place {
	if n == nil {
		return nil
	}
	return &Place{n}
}

func unitView(n *Node) *Unit {
	if n == nil {
		return nil
	}
	return &Unit{n}
}

// Unit is the covering unit.
func (c *Coverage) Unit() *Unit { return unitView(c.UnitNode) }

// Place is the covered place.
func (c *Coverage) Place() *Place { return placeView(c.PlaceNode) }

// Member is the reporting member.
func (r *CrossUnitReport) Member() *Person { return &Person{r.MemberNode} }

// Community is the community they report to.
func (r *CrossUnitReport) Community() *Place { return placeView(r.CommunityNode) }

// WorkUnit is the unit they work in, if any.
func (r *CrossUnitReport) WorkUnit() *Unit { return unitView(r.WorkUnitNode) }

// Organisation is the organisation they belong to.
func (r *CrossUnitReport) Organisation() *PartyOrg {
	if r.OrganisationNode == nil {
		return nil
	}
	return &PartyOrg{r.OrganisationNode}
}

// Relationship is the REPORTS_TO relationship, with its date and points.
func (r *CrossUnitReport) Relationship() *Relationship { return r.Rel }

// Source is the flow's work unit, or organisation when its members work in none.
func (f *Flow) Source() Entity { return Typed(f.SourceNode) }

// Community is the community the flow reports to.
func (f *Flow) Community() *Place { return placeView(f.CommunityNode) }

// Community is the community too few units cover.
func (g *Gap) Community() *Place { return placeView(g.PlaceNode) }

// Street is the street without seats.
func (s *StreetWithoutSeats) Street() *Place { return placeView(s.StreetNode) }

// Committee is the street's big working committee, if it has one.
func (s *StreetWithoutSeats) Committee() *Committee {
	if s.CommitteeNode == nil {
		return nil
	}
	return &Committee{s.CommitteeNode}
}

// Person is the representative.
func (r *Representative) Person() *Person { return &Person{r.PersonNode} }

// Seats are the seats they represent.
func (r *Representative) Seats() []*Seat {
	out := make([]*Seat, len(r.SeatNodes))
	for i, n := range r.SeatNodes {
		out[i] = &Seat{n}
	}
	return out
}

// Place is the place the statistics are of.
func (s *Statistics) Place() *Place { return placeView(s.PlaceNode) }

// Node is the node found.
func (h *SearchHit) Node() Entity { return Typed(h.Hit) }

// Key is a canonical string for the filter, for caching.
func (f CoverageFilter) Key() string {
	return fmt.Sprintf("%v|%v|%v|%s|%t", slices.Sorted(slices.Values(f.UnitKinds)), slices.Sorted(slices.Values(f.Kinds)),
		slices.Sorted(slices.Values(f.Levels)), f.On(), f.PathLengthsOnly)
}

// Place is the place directly under the asked one.
func (c *ChildCoverage) Place() *Place { return placeView(c.PlaceNode) }
