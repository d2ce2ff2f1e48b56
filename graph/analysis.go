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
