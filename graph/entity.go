package graph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Node is a node of the graph as the store returns it: its id, its kind and its properties
// (strings, int64, float64, bool, Date, lists). The typed views below (Place, Unit, …) read
// their fields from it.
type Node struct {
	ID    string
	Label NodeKind
	Props map[string]any
}

// Entity is implemented by every typed view of a node; GraphQL's Node interface and its unions
// are bound to it.
type Entity interface {
	// Base returns the node behind the view.
	Base() *Node
}

// Base implements Entity.
func (n *Node) Base() *Node { return n }

// Str returns a string property, or "" when it is absent.
func (n *Node) Str(key string) string {
	s, _ := n.Props[key].(string)
	return s
}

// StrPtr returns a string property, or nil when it is absent or empty.
func (n *Node) StrPtr(key string) *string {
	if s := n.Str(key); s != "" {
		return &s
	}
	return nil
}

// IntPtr returns an integer property, or nil when it is absent.
func (n *Node) IntPtr(key string) *int { return intProp(n.Props, key) }

// FloatPtr returns a number property, or nil when it is absent.
func (n *Node) FloatPtr(key string) *float64 {
	switch v := n.Props[key].(type) {
	case float64:
		return &v
	case int64:
		f := float64(v)
		return &f
	}
	return nil
}

// Bool returns a boolean property; absent is false.
func (n *Node) Bool(key string) bool { b, _ := n.Props[key].(bool); return b }

// DatePtr returns a date property, or nil when it is absent.
func (n *Node) DatePtr(key string) *Date { return dateProp(n.Props, key) }

// Name is the node's display name: its name, or its title for agreements and reports.
func (n *Node) Name() string {
	if s := n.Str("name"); s != "" {
		return s
	}
	if s := n.Str("title"); s != "" {
		return s
	}
	return n.ID
}

// Provenance says where the node came from.
func (n *Node) Provenance() *Provenance { return provenanceOf(n.Props) }

// Attributes lists the node's properties that no typed field shows.
func (n *Node) Attributes(ctx context.Context) []*Attribute {
	return attributesOf(n.Props, nodeFields, MasksPersonal(ctx))
}

// Since is the date from which the node holds (a seat's term, an agreement's signing).
func (n *Node) Since() *Date {
	if d := n.DatePtr("since"); d != nil {
		return d
	}
	return n.DatePtr("signedOn")
}

// Until is the date up to which the node holds, or nil when it still does.
func (n *Node) Until() *Date { return n.DatePtr("until") }

// nodeFields are the properties that typed fields show; Attributes lists the others.
var nodeFields = map[string]bool{"id": true, "name": true, "title": true, "kind": true, "source": true,
	"quote": true, "externalId": true, "since": true, "until": true, "signedOn": true, "communityType": true,
	"category": true, "status": true, "role": true, "rotationOrder": true, "partyMember": true,
	"serviceAreaM2": true, "population": true, "site": true, "on": true, "occurrences": true, "participants": true,
	"period": true, "result": true, "score": true, "stars": true, "headTitle": true, "parentUnknown": true}

// Place is a place in the territorial hierarchy (地区): a province, city, district or county,
// street or town, community or village, grid, compound or building.
type Place struct{ *Node }

// Kind is the place's level.
func (p Place) Kind() PlaceKind { return PlaceKind(p.Str("kind")) }

// CommunityType is a community's type; nil for other places.
func (p Place) CommunityType() *CommunityType {
	if s := p.Str("communityType"); s != "" {
		t := CommunityType(s)
		return &t
	}
	return nil
}

// Unit is a unit stationed in a street or community (驻区单位).
type Unit struct{ *Node }

// Kind is the unit's kind.
func (u Unit) Kind() UnitKind { return UnitKind(u.Str("kind")) }

// PartyOrg is a party organisation (党组织).
type PartyOrg struct{ *Node }

// Kind is the organisation's kind.
func (o PartyOrg) Kind() OrgKind { return OrgKind(o.Str("kind")) }

// Committee joins organisations across units: a 大工委, 大党委, joint area committee,
// federation, alliance or collaboration group.
type Committee struct{ *Node }

// Kind is the committee's kind.
func (c Committee) Kind() CommitteeKind { return CommitteeKind(c.Str("kind")) }

// Seat is a unit's (or organisation's) seat on a committee, held through a representative.
type Seat struct{ *Node }

// Role is the role the seat gives.
func (s Seat) Role() SeatRole {
	if r := s.Str("role"); r != "" {
		return SeatRole(r)
	}
	return RoleMember
}

// Person is a person; party members carry a category.
type Person struct{ *Node }

// Category is a party member's category; nil for people who are not members.
func (p Person) Category() *MemberCategory {
	if s := p.Str("category"); s != "" {
		c := MemberCategory(s)
		return &c
	}
	return nil
}

// Agreement is a co-building agreement (共建协议).
type Agreement struct{ *Node }

// Project is a joint project (联建项目).
type Project struct{ *Node }

// Category is the project's category.
func (p Project) Category() *ProjectCategory {
	if s := p.Str("category"); s != "" {
		c := ProjectCategory(s)
		return &c
	}
	return nil
}

// Status is where the project stands.
func (p Project) Status() *ProjectStatus {
	if s := p.Str("status"); s != "" {
		c := ProjectStatus(s)
		return &c
	}
	return nil
}

// ProgressReport is a progress report on a project (台账).
type ProgressReport struct{ *Node }

// ServicePost is a service post a community offers for members to claim (服务岗位).
type ServicePost struct{ *Node }

// SharedResource is a position, service or facility opened to others (共享资源).
type SharedResource struct{ *Node }

// RedStation is a post for floating members at a site (红色驿站).
type RedStation struct{ *Node }

// VolunteerTeam is a party-member volunteer team (党员志愿服务队).
type VolunteerTeam struct{ *Node }

// Typed returns the typed view of a node, by its kind; nil for a nil node.
func Typed(n *Node) Entity {
	if n == nil {
		return nil
	}
	switch n.Label {
	case KindPlace:
		return Place{n}
	case KindUnit:
		return Unit{n}
	case KindPartyOrg:
		return PartyOrg{n}
	case KindCommittee:
		return Committee{n}
	case KindSeat:
		return Seat{n}
	case KindPerson:
		return Person{n}
	case KindAgreement:
		return Agreement{n}
	case KindProject:
		return Project{n}
	case KindProgressReport:
		return ProgressReport{n}
	case KindServicePost:
		return ServicePost{n}
	case KindSharedResource:
		return SharedResource{n}
	case KindRedStation:
		return RedStation{n}
	case KindVolunteerTeam:
		return VolunteerTeam{n}
	case KindActivity:
		return Activity{n}
	case KindEvaluation:
		return Evaluation{n}
	case KindLeadingGroup:
		return LeadingGroup{n}
	}
	return n
}

// Relationship is a relationship of the graph: its type, its ends and its properties.
type Relationship struct {
	Kind     RelKind
	From, To string
	Key      string
	Props    map[string]any
}

// ID is the relationship's stable id: its type, its ends and its key.
func (r *Relationship) ID() string {
	id := string(r.Kind) + ":" + r.From + "->" + r.To
	if r.Key != "" {
		id += "#" + r.Key
	}
	return id
}

// Edge is one entry of a page: a node and, in a relationship's list, the relationship that
// leads to it.
type Edge struct {
	Node   *Node
	Rel    *Relationship // nil in top-level lists
	Offset int           // position in the whole list, for the cursor
	List   string        // the list's name, for the cursor
}

// Cursor is the edge's opaque cursor.
func (e *Edge) Cursor() string { return EncodeCursor(e.List, e.Offset) }

// Relationship is the relationship that leads to the node; nil in top-level lists.
func (e *Edge) Relationship() *Relationship { return e.Rel }

// Since is the date from which the relationship holds.
func (r *Relationship) Since() *Date { return dateProp(r.Props, "since") }

// Until is the date up to which the relationship holds; nil while it still does.
func (r *Relationship) Until() *Date { return dateProp(r.Props, "until") }

// Role is the role the relationship gives (a secretary of a branch, for example).
func (r *Relationship) Role() *string {
	if s, _ := r.Props["role"].(string); s != "" {
		return &s
	}
	return nil
}

// Points are the points earned on the relationship (积分, for reporting members).
func (r *Relationship) Points() *int { return intProp(r.Props, "points") }

// Provenance says where the relationship came from.
func (r *Relationship) Provenance() *Provenance { return provenanceOf(r.Props) }

// Attributes lists the relationship's properties that no typed field shows.
func (r *Relationship) Attributes(ctx context.Context) []*Attribute {
	return attributesOf(r.Props, edgeFields, MasksPersonal(ctx))
}

var edgeFields = map[string]bool{"key": true, "since": true, "until": true, "role": true, "points": true,
	"source": true, "quote": true, "externalId": true}

// Page is one page of a list: its edges, the list's full length and where the page starts.
type Page struct {
	Edges  []*Edge
	Total  int
	Offset int
	List   string // the list's name, which its cursors carry
}

// TotalCount is the number of entries in the whole list.
func (p *Page) TotalCount() int { return p.Total }

// Nodes returns the page's nodes.
func (p *Page) Nodes() []*Node {
	out := make([]*Node, len(p.Edges))
	for i, e := range p.Edges {
		out[i] = e.Node
	}
	return out
}

// PageInfo describes the page's place in the list.
func (p *Page) PageInfo() *PageInfo { return PageInfoOf(p.List, p.Offset, len(p.Edges), p.Total) }

// PageInfoOf describes a page of n entries starting at offset in a list of total: whether
// entries lie before and after it, and the cursors of its first and last.
func PageInfoOf(list string, offset, n, total int) *PageInfo {
	info := &PageInfo{HasPreviousPage: offset > 0, HasNextPage: offset+n < total}
	if n > 0 {
		start, end := EncodeCursor(list, offset), EncodeCursor(list, offset+n-1)
		info.StartCursor, info.EndCursor = &start, &end
	}
	return info
}

// PageInfo is Relay's page information.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// EncodeCursor makes the opaque cursor of the entry at offset in a list.
func EncodeCursor(list string, offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(offset) + "@" + list))
}

// DecodeCursor reads a cursor made by EncodeCursor for this list and returns its entry's
// offset; a cursor of another list, or of the same list asked differently, is refused on field.
func DecodeCursor(list, field, cursor string) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	at, of, ok := strings.Cut(string(raw), "@")
	n, nerr := strconv.Atoi(at)
	if err != nil || !ok || nerr != nil || n < 0 {
		return 0, FieldError(field, "%q is not a cursor", cursor)
	}
	if of != list {
		return 0, FieldError(field, "this cursor belongs to another list, or to this list asked with other arguments")
	}
	return n, nil
}

// Provenance, attributes and dates --------------------------------------------------------

// ProvenanceKind says what kind of source a fact has.
type ProvenanceKind string

// The provenance kinds.
const (
	ProvenanceReport    ProvenanceKind = "REPORT"    // curated from one of the five reports
	ProvenanceGenerated ProvenanceKind = "GENERATED" // synthetic, to make the reports' figures true
	ProvenanceSystem    ProvenanceKind = "SYSTEM"    // pushed by another system
)

// MarshalGQL implements graphql.Marshaler.
func (k ProvenanceKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *ProvenanceKind) UnmarshalGQL(v any) error {
	return unmarshalEnum(k, v, []ProvenanceKind{ProvenanceReport, ProvenanceGenerated, ProvenanceSystem}, "ProvenanceKind")
}

// Kind classifies the source.
func (p *Provenance) Kind() ProvenanceKind {
	switch {
	case strings.HasPrefix(p.Source, "report:"):
		return ProvenanceReport
	case strings.HasPrefix(p.Source, "system:"):
		return ProvenanceSystem
	}
	return ProvenanceGenerated
}

// Report is the report file a curated fact was drawn from.
func (p *Provenance) Report() *string {
	if r, ok := strings.CutPrefix(p.Source, "report:"); ok {
		return &r
	}
	return nil
}

// System is the system that pushed the record.
func (p *Provenance) System() *string {
	if s, ok := strings.CutPrefix(p.Source, "system:"); ok {
		return &s
	}
	return nil
}

func provenanceOf(props map[string]any) *Provenance {
	p := &Provenance{Source: "generated"}
	if s, _ := props["source"].(string); s != "" {
		p.Source = s
	}
	if q, _ := props["quote"].(string); q != "" {
		p.Quote = &q
	}
	if x, _ := props["externalId"].(string); x != "" {
		p.ExternalID = &x
	}
	return p
}

// Attribute is a property without a typed field: its name and its value as JSON.
type Attribute struct {
	Key   string
	Value string
}

// attributesOf lists the properties that no typed field shows; personal fields are masked when
// mask is set.
func attributesOf(props map[string]any, shown map[string]bool, mask bool) []*Attribute {
	keys := make([]string, 0, len(props))
	for k := range props {
		if !shown[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make([]*Attribute, 0, len(keys))
	for _, k := range keys {
		v := MaskValue(k, props[k], mask)
		if d := dateProp(props, k); d != nil {
			v = d.String()
		}
		b, err := json.Marshal(v)
		if err != nil {
			b = []byte(strconv.Quote(fmt.Sprint(v)))
		}
		out = append(out, &Attribute{Key: k, Value: string(b)})
	}
	return out
}

// StringList returns the strings of a decoded list (other values are skipped).
func StringList(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func intProp(props map[string]any, key string) *int {
	if v, ok := props[key].(int64); ok {
		n := int(v)
		return &n
	}
	return nil
}

// Date is a calendar date, without time or zone.
type Date struct{ time.Time }

// DateOf returns the date of t (its year, month and day).
func DateOf(t time.Time) Date {
	return Date{time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)}
}

// ParseDate reads a date written YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, FieldError("", "%q is not a date (YYYY-MM-DD)", s)
	}
	return Date{t}, nil
}

// String writes the date as YYYY-MM-DD.
func (d Date) String() string { return d.Format(time.DateOnly) }

// MarshalGQL implements graphql.Marshaler.
func (d Date) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(d.String())) }

// UnmarshalJSON reads a date given as "YYYY-MM-DD" (or as a full RFC 3339 time, as the
// embedded time.Time writes it).
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return FieldError("", "%s is not a date (YYYY-MM-DD)", b)
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		*d = DateOf(t)
		return nil
	}
	return d.UnmarshalGQL(s)
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (d *Date) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return FieldError("", "%v is not a date (YYYY-MM-DD)", v)
	}
	parsed, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// dater is implemented by the driver's date type (dbtype.Date), which graph does not import.
type dater interface{ Time() time.Time }

func dateProp(props map[string]any, key string) *Date { return DateValue(props[key]) }

// DateValue reads a date the driver or the store gives (a Neo4j date, a time, a Date); nil
// for anything else.
func DateValue(value any) *Date {
	switch v := value.(type) {
	case Date:
		return &v
	case dater:
		d := DateOf(v.Time())
		return &d
	case time.Time:
		d := DateOf(v)
		return &d
	}
	return nil
}

// ServiceAreaM2 is the floor area of the place's service centre in square metres.
func (p Place) ServiceAreaM2() *float64 { return p.FloatPtr("serviceAreaM2") }

// Population is the place's resident population.
func (p Place) Population() *int { return p.IntPtr("population") }

// RotationOrder is a rotating chair's place in the rotation.
func (s Seat) RotationOrder() *int { return s.IntPtr("rotationOrder") }

// Title is the person's title or post as the source gives it.
func (p Person) Title() *string { return p.StrPtr("title") }

// Status is the status the project had reached when the report was written.
func (r ProgressReport) Status() *ProjectStatus {
	if s := r.Str("status"); s != "" {
		st := ProjectStatus(s)
		return &st
	}
	return nil
}

// Kind is the kind of resource as the source gives it.
func (r SharedResource) Kind() *string { return r.StrPtr("kind") }

// Site is the site the station serves.
func (r RedStation) Site() *string { return r.StrPtr("site") }

// ParentUnknown is true when the reports name the place but not its parent: it is attached to
// the lowest ancestor they give instead of an invented one.
func (p Place) ParentUnknown() bool { b, _ := p.Props["parentUnknown"].(bool); return b }
