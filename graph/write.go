package graph

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"unicode/utf8"
)

// RelEnds says, for each relationship kind, which kinds of node it may be drawn from and to.
var RelEnds = map[RelKind][2][]NodeKind{
	RelPartOf:        {{KindPlace}, {KindPlace}},
	RelStationedIn:   {{KindUnit}, {KindPlace}},
	RelOrgOf:         {{KindPartyOrg}, {KindUnit, KindPlace}},
	RelSubordinateTo: {{KindPartyOrg}, {KindPartyOrg}},
	RelCoManages:     {{KindPartyOrg}, {KindPartyOrg}},
	RelCovers:        {{KindCommittee}, {KindPlace}},
	RelLedBy:         {{KindCommittee, KindLeadingGroup}, {KindPartyOrg}},
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
	RelOrganised:     {{KindUnit, KindPartyOrg, KindCommittee, KindPlace, KindLeadingGroup}, {KindActivity}},
	RelHeldIn:        {{KindActivity}, {KindPlace}},
	RelTookPartIn:    {{KindPerson, KindUnit, KindPartyOrg, KindCommittee}, {KindActivity}},
	RelRates:         {{KindUnit, KindPartyOrg, KindCommittee, KindPlace, KindPerson, KindLeadingGroup}, {KindEvaluation}},
	RelRatingOf:      {{KindEvaluation}, {KindUnit, KindPartyOrg, KindCommittee, KindPlace, KindPerson}},
	RelMergedInto:    {{KindPlace}, {KindPlace}},
	RelContactPoint:  {{KindPerson, KindPartyOrg, KindLeadingGroup}, {KindPlace, KindPartyOrg, KindUnit}},
	RelHeads:         {{KindPerson}, {KindPlace, KindPartyOrg, KindLeadingGroup, KindCommittee}},
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
	// relEnds name a relationship's kind and ends in its events: not properties of its own.
	relEnds = []string{"from", "to", "kind"}
	// dateProps are written as dates.
	dateProps = []string{"since", "until", "signedOn", "on"}
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
	KindActivity:       {"kind": {func() []string { return EnumStrings(ActivityKinds) }, true}},
	KindEvaluation:     {"kind": {func() []string { return EnumStrings(EvaluationKinds) }, true}},
}

// relEnums are the relationship properties that take values from a fixed list; required ones
// are marked.
var relEnums = map[RelKind]map[string]struct {
	values   func() []string
	required bool
}{
	RelHeads: {"role": {func() []string { return EnumStrings(HeadRoles) }, true}},
}

// checkEnums checks the properties that take values from a fixed list, of a node or
// relationship of kind what.
func checkEnums(field, what string, enums map[string]struct {
	values   func() []string
	required bool
}, props map[string]any) error {
	for name, e := range enums {
		v, ok := props[name]
		if !ok || v == nil {
			if e.required {
				return FieldError(field+".properties."+name, "a %s needs a %s", what, name)
			}
			continue
		}
		if s, _ := v.(string); !slices.Contains(e.values(), s) {
			return FieldError(field+".properties."+name, "%v is not a valid %s of a %s (%v)", v, name, what, e.values())
		}
	}
	return nil
}

// ValidPropertyName reports whether a name can be a property's: a lower-case letter, then
// letters and digits.
func ValidPropertyName(name string) bool { return propPattern.MatchString(name) }

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
		if !idPattern.MatchString(op.ID) || len(op.ID) > MaxIDBytes {
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
		if len(op.From) > MaxIDBytes || len(op.To) > MaxIDBytes || len(op.Key) > MaxIDBytes {
			return op, FieldError(field+".from", "ids and keys are at most %d bytes", MaxIDBytes)
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
		if slices.Contains(reserved, k) || !propPattern.MatchString(k) || op.Op == OpLink && slices.Contains(relEnds, k) {
			return op, FieldError(field+".properties."+k, "%q cannot be set", k)
		}
		v, err := propValue(field+".properties."+k, k, v)
		if err != nil {
			return op, err
		}
		props[k] = v
	}
	if s, ok := props["since"].(Date); ok {
		if u, ok := props["until"].(Date); ok && u.Before(s.Time) {
			return op, FieldError(field+".properties.until", "until (%s) is before since (%s)", u, s)
		}
	}
	if op.Op == OpLink {
		if err := checkEnums(field, string(op.Rel), relEnums[op.Rel], props); err != nil {
			return op, err
		}
	}
	if op.Op == OpUpsertNode {
		if err := checkEnums(field, string(op.NodeKind), nodeEnums[op.NodeKind], props); err != nil {
			return op, err
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

// The limits of what a property may hold: indexed strings must fit Neo4j's index keys.
const (
	MaxIDBytes      = 400     // ids, relationship keys
	MaxIndexedBytes = 4000    // properties that are indexed (names, kinds, categories, …)
	MaxStringBytes  = 100_000 // any other string
	MaxListItems    = 1000    // items of a list
)

// indexedProps are the properties that some index holds; their values must fit its keys.
var indexedProps = []string{"name", "kind", "category", "status", "title"}

// propValue checks a property's value and returns it as it is written: integers as int64,
// dates as Date, lists of strings, numbers or booleans (numbers all float64 when any is not
// whole). Anything else is BAD_USER_INPUT on field.
func propValue(field, name string, v any) (any, error) {
	v, err := scalar(field, v)
	if err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case string:
		limit := MaxStringBytes
		if slices.Contains(indexedProps, name) {
			limit = MaxIndexedBytes
		}
		if len(x) > limit {
			return nil, FieldError(field, "%s is %d bytes long; at most %d are kept", name, len(x), limit)
		}
		if !utf8.ValidString(x) {
			return nil, FieldError(field, "%s is not valid UTF-8", name)
		}
	case []any:
		return listValue(field, name, x)
	}
	if slices.Contains(dateProps, name) && v != nil {
		s, _ := v.(string)
		d, err := ParseDate(s)
		if err != nil {
			return nil, FieldError(field, "%s must be a date (YYYY-MM-DD), got %v", name, v)
		}
		return d, nil
	}
	return v, nil
}

// scalar normalizes one JSON value: numbers to int64 when whole, else float64.
func scalar(field string, v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i, nil
		}
		f, err := x.Float64()
		if err != nil {
			return nil, FieldError(field, "%s is not a number that can be kept", x)
		}
		return f, nil
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x), nil
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, FieldError(field, "not a finite number")
		}
		return x, nil
	case int:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case string, bool, int64, nil, []any:
		return v, nil
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out, nil
	}
	return nil, FieldError(field, "a property is a string, number, boolean or a list of one of them")
}

// listValue checks a list: at most MaxListItems items, all strings, all numbers or all booleans.
func listValue(field, name string, items []any) (any, error) {
	if len(items) > MaxListItems {
		return nil, FieldError(field, "%s has %d items; at most %d are kept", name, len(items), MaxListItems)
	}
	out := make([]any, len(items))
	kind, floats := "", false
	for i, item := range items {
		v, err := scalar(fmt.Sprintf("%s[%d]", field, i), item)
		if err != nil {
			return nil, err
		}
		var k string
		switch x := v.(type) {
		case string:
			k = "string"
			if len(x) > MaxIndexedBytes {
				return nil, FieldError(fmt.Sprintf("%s[%d]", field, i), "a list's strings are at most %d bytes", MaxIndexedBytes)
			}
		case int64:
			k = "number"
		case float64:
			k, floats = "number", true
		case bool:
			k = "boolean"
		default:
			return nil, FieldError(fmt.Sprintf("%s[%d]", field, i), "a list holds strings, numbers or booleans, not lists, objects or nulls")
		}
		if kind != "" && k != kind {
			return nil, FieldError(fmt.Sprintf("%s[%d]", field, i), "a list's items are all of one type: %s, then a %s", kind, k)
		}
		kind, out[i] = k, v
	}
	if floats {
		for i, v := range out {
			if n, ok := v.(int64); ok {
				out[i] = float64(n)
			}
		}
	}
	return out, nil
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
