package graph

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"time"
)

// RelEnds says, for each relationship kind, which kinds of node it may be drawn from and to.
var RelEnds = map[RelKind][2][]NodeKind{
	RelPartOf:        {{KindPlace}, {KindPlace}},
	RelStationedIn:   {{KindUnit}, {KindPlace}},
	RelOrgOf:         {{KindPartyOrg}, {KindUnit, KindPlace}},
	RelSubordinateTo: {{KindPartyOrg}, {KindPartyOrg}},
	RelCoManages:     {{KindPartyOrg}, {KindPartyOrg}},
	RelCovers:        {{KindCommittee}, {KindPlace}},
	RelLedBy:         {{KindCommittee}, {KindPartyOrg}},
	RelHolds:         {{KindUnit, KindPartyOrg}, {KindSeat}},
	RelSeatOn:        {{KindSeat}, {KindCommittee}},
	RelRepresents:    {{KindPerson}, {KindSeat}},
	RelMemberOf:      {{KindPerson}, {KindPartyOrg}},
	RelWorksIn:       {{KindPerson}, {KindUnit}},
	RelLivesIn:       {{KindPerson}, {KindPlace}},
	RelReportsTo:     {{KindPerson, KindUnit}, {KindPlace}},
	RelSecondedTo:    {{KindPerson}, {KindPlace}},
	RelPartyTo:       {{KindUnit, KindPartyOrg, KindCommittee, KindPlace}, {KindAgreement}},
	RelAgreementWith: {{KindAgreement}, {KindPlace}},
	RelUnder:         {{KindProject}, {KindAgreement}},
	RelProjectIn:     {{KindProject}, {KindPlace}},
	RelReportOn:      {{KindProgressReport}, {KindProject}},
	RelOffers:        {{KindPlace}, {KindServicePost}},
	RelClaimed:       {{KindPerson}, {KindServicePost}},
	RelOpens:         {{KindUnit, KindPlace}, {KindSharedResource}},
	RelLocatedAt:     {{KindRedStation, KindVolunteerTeam, KindSharedResource}, {KindPlace}},
	RelAttachedTo:    {{KindPerson}, {KindRedStation}},
	RelVolunteersIn:  {{KindPerson}, {KindVolunteerTeam}},
}

// OpKind is what an operation does.
type OpKind string

// The operations.
const (
	OpUpsertNode OpKind = "UPSERT_NODE" // create or update a node
	OpDeleteNode OpKind = "DELETE_NODE" // delete a node and its relationships
	OpLink       OpKind = "LINK"        // create or update a relationship
	OpUnlink     OpKind = "UNLINK"      // delete a relationship
)

// OpKinds lists the operations.
var OpKinds = []OpKind{OpUpsertNode, OpDeleteNode, OpLink, OpUnlink}

// MarshalGQL implements graphql.Marshaler.
func (k OpKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *OpKind) UnmarshalGQL(v any) error { return unmarshalEnum(k, v, OpKinds, "OperationKind") }

// ExternalRef identifies a record in another system: pushing it twice changes nothing.
type ExternalRef struct {
	System     string
	ExternalID string
}

// Operation is one change to the graph.
type Operation struct {
	Op       OpKind
	NodeKind NodeKind // UPSERT_NODE, DELETE_NODE
	ID       string   // the node's id; derived from Ref when empty
	Ref      *ExternalRef
	Rel      RelKind // LINK, UNLINK
	From, To string
	Key      string
	Props    map[string]any // strings, numbers, booleans; dates as YYYY-MM-DD strings
}

var (
	idPattern   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*(:[A-Za-z0-9_.\-]+)+$`)
	propPattern = regexp.MustCompile(`^[a-z][A-Za-z0-9]{0,40}$`)
	// reserved properties are set by the service, never by a client.
	reserved = []string{"id", "source", "externalId", "key"}
	// dateProps are written as dates.
	dateProps = []string{"since", "until", "signedOn"}
)

// nodeEnums are the properties each kind takes from a fixed list; required ones are marked.
var nodeEnums = map[NodeKind]map[string]struct {
	values   func() []string
	required bool
}{
	KindPlace:          {"kind": {func() []string { return EnumStrings(PlaceKinds) }, true}, "communityType": {func() []string { return EnumStrings(CommunityTypes) }, false}},
	KindUnit:           {"kind": {func() []string { return EnumStrings(UnitKinds) }, true}},
	KindPartyOrg:       {"kind": {func() []string { return EnumStrings(OrgKinds) }, true}},
	KindCommittee:      {"kind": {func() []string { return EnumStrings(CommitteeKinds) }, true}},
	KindSeat:           {"role": {func() []string { return EnumStrings(SeatRoles) }, true}},
	KindPerson:         {"category": {func() []string { return EnumStrings(MemberCategories) }, false}},
	KindProject:        {"category": {func() []string { return EnumStrings(ProjectCategories) }, false}, "status": {func() []string { return EnumStrings(ProjectStatuses) }, false}},
	KindProgressReport: {"status": {func() []string { return EnumStrings(ProjectStatuses) }, false}},
}

// EnumStrings returns enum values as plain strings.
func EnumStrings[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// Normalize checks an operation and returns it ready to write: the id derived from the
// external reference when missing, dates parsed, enums and required fields checked, the
// relationship's ends of the right kinds (once their kinds are known, see CheckEnds).
// field prefixes the names of offending fields in errors.
func (op Operation) Normalize(field string) (Operation, error) {
	if !slices.Contains(OpKinds, op.Op) {
		return op, FieldError(field+".op", "unknown operation %q", op.Op)
	}
	if op.Ref != nil {
		if op.Ref.System == "" || op.Ref.ExternalID == "" {
			return op, FieldError(field+".ref", "a reference needs a system and an external id")
		}
		if !propPattern.MatchString(op.Ref.System) {
			return op, FieldError(field+".ref.system", "a system name is a lower-case word, got %q", op.Ref.System)
		}
	}
	switch op.Op {
	case OpUpsertNode, OpDeleteNode:
		if !op.NodeKind.Valid() {
			return op, FieldError(field+".nodeKind", "unknown node kind %q", op.NodeKind)
		}
		if op.ID == "" && op.Ref != nil {
			op.ID = fmt.Sprintf("%s:%s:%s", lowerFirst(string(op.NodeKind)), op.Ref.System, op.Ref.ExternalID)
		}
		if !idPattern.MatchString(op.ID) {
			return op, FieldError(field+".id", "an id is a kind and names separated by colons (e.g. place:zhongyuan), got %q", op.ID)
		}
		if op.Op == OpDeleteNode {
			return op, nil
		}
	case OpLink, OpUnlink:
		if !op.Rel.Valid() {
			return op, FieldError(field+".relationshipKind", "unknown relationship kind %q", op.Rel)
		}
		if op.From == "" || op.To == "" {
			return op, FieldError(field+".from", "a relationship needs both ends")
		}
		if op.From == op.To {
			return op, FieldError(field+".to", "a relationship cannot join %s to itself", op.From)
		}
		if op.Op == OpUnlink {
			return op, nil
		}
	}
	props := map[string]any{}
	for k, v := range op.Props {
		if slices.Contains(reserved, k) || !propPattern.MatchString(k) {
			return op, FieldError(field+".properties."+k, "%q cannot be set", k)
		}
		switch x := v.(type) {
		case json.Number:
			if i, err := x.Int64(); err == nil {
				v = i
			} else if f, err := x.Float64(); err == nil {
				v = f
			}
		case float64:
			if x == float64(int64(x)) {
				v = int64(x)
			}
		case int:
			v = int64(x)
		case string, bool, int64, nil:
		case []any:
		default:
			return op, FieldError(field+".properties."+k, "%q must be a string, number, boolean or list", k)
		}
		if slices.Contains(dateProps, k) && v != nil {
			s, _ := v.(string)
			d, err := ParseDate(s)
			if err != nil {
				return op, FieldError(field+".properties."+k, "%s must be a date (YYYY-MM-DD), got %v", k, v)
			}
			props[k] = d
			continue
		}
		props[k] = v
	}
	if s, ok := props["since"].(Date); ok {
		if u, ok := props["until"].(Date); ok && u.Before(s.Time) {
			return op, FieldError(field+".properties.until", "until (%s) is before since (%s)", u, s)
		}
	}
	if op.Op == OpUpsertNode {
		for name, e := range nodeEnums[op.NodeKind] {
			v, ok := props[name]
			if !ok || v == nil {
				if e.required {
					return op, FieldError(field+".properties."+name, "a %s needs a %s", op.NodeKind, name)
				}
				continue
			}
			if s, _ := v.(string); !slices.Contains(e.values(), s) {
				return op, FieldError(field+".properties."+name, "%v is not a valid %s of a %s (%v)", v, name, op.NodeKind, e.values())
			}
		}
		if name, _ := props["name"].(string); name == "" {
			if title, _ := props["title"].(string); title == "" && op.NodeKind != KindSeat {
				return op, FieldError(field+".properties.name", "a %s needs a name", op.NodeKind)
			}
		}
	}
	op.Props = props
	return op, nil
}

// NormalizeAll normalizes a batch: errs[i] is operation i's error (its field named
// operations[i]…), nil when it is valid.
func NormalizeAll(ops []Operation) (norm []Operation, errs []error) {
	norm, errs = make([]Operation, len(ops)), make([]error, len(ops))
	for i, op := range ops {
		norm[i], errs[i] = op.Normalize(fmt.Sprintf("operations[%d]", i))
	}
	return norm, errs
}

// CheckEnds checks that a relationship joins nodes of the kinds it allows.
func (op Operation) CheckEnds(field string, from, to NodeKind) error {
	ends := RelEnds[op.Rel]
	if !slices.Contains(ends[0], from) {
		return FieldError(field+".from", "%s goes from %v, not from a %s", op.Rel, ends[0], from)
	}
	if !slices.Contains(ends[1], to) {
		return FieldError(field+".to", "%s goes to %v, not to a %s", op.Rel, ends[1], to)
	}
	return nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// Change is one field's change in an event.
type Change struct {
	Field  string
	Before any
	After  any
}

// ChangeEvent is an entry of the change feed: what a committed write did to one node or
// relationship. Seq is gap-free and follows commit order.
type ChangeEvent struct {
	Seq     int64
	Entity  string // "node" or "relationship"
	Kind    string // the node kind or relationship kind
	ID      string
	Op      string // CREATE, UPDATE, DELETE
	Changes []*Change
	Actor   string
	At      time.Time
}

// Cursor is the event's cursor: its sequence number.
func (e *ChangeEvent) Cursor() string { return fmt.Sprint(e.Seq) }

// ApplyResult reports a batch of operations.
type ApplyResult struct {
	Events []*ChangeEvent
}

// OperationInput is an operation as the API receives it.
type OperationInput struct {
	Op               OpKind
	NodeKind         *NodeKind
	ID               *string
	Ref              *ExternalRef
	RelationshipKind *RelKind
	From, To, Key    *string
	Properties       JSON
}

// Operation returns the operation the input describes.
func (in OperationInput) Operation() Operation {
	op := Operation{Op: in.Op, Ref: in.Ref, Props: in.Properties}
	val := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	if in.NodeKind != nil {
		op.NodeKind = *in.NodeKind
	}
	if in.RelationshipKind != nil {
		op.Rel = *in.RelationshipKind
	}
	op.ID, op.From, op.To, op.Key = val(in.ID), val(in.From), val(in.To), val(in.Key)
	return op
}
