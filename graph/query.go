package graph

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Filter narrows a list of nodes. Every field is optional; the ones given must all hold.
type Filter struct {
	// Name keeps nodes whose name (or title) contains it.
	Name string
	// Props keeps nodes whose property (one of FilterProps) is one of the values.
	Props map[string][]string
	// Within keeps nodes that lie in this place or anywhere under it (what "in" means depends on the kind: see the schema).
	Within string
	// AsOf keeps what holds on this date: the relationship's and the node's since/until (when
	// they have them) must include it.
	AsOf *Date
}

// FilterProps is the allow-list of properties a filter may test.
var FilterProps = []string{"kind", "communityType", "category", "status", "role"}

// SortKey is what a list is sorted by.
type SortKey string

// The sort keys.
const (
	SortName     SortKey = "NAME"     // the name (or title)
	SortID       SortKey = "ID"       // the id
	SortKind     SortKey = "KIND"     // the kind, then the name
	SortSince    SortKey = "SINCE"    // the relationship's since (the node's, in top-level lists)
	SortUntil    SortKey = "UNTIL"    // the relationship's until (the node's, in top-level lists)
	SortCount    SortKey = "COUNT"    // a count: members of a flow, covering units of a gap, …
	SortScore    SortKey = "SCORE"    // a search hit's relevance
	SortRotation SortKey = "ROTATION" // a seat's place in a rotation of chairs
)

// SortKeys lists the sort keys.
var SortKeys = []SortKey{SortName, SortID, SortKind, SortSince, SortUntil, SortCount, SortScore, SortRotation}

// MarshalGQL implements graphql.Marshaler.
func (k SortKey) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *SortKey) UnmarshalGQL(v any) error { return unmarshalEnum(k, v, SortKeys, "SortKey") }

// Order is a sort key and a direction.
type Order struct {
	Key        SortKey
	Descending bool
}

// Hop names a relationship followed from a node: its kind, its direction (Out: from the node
// to the other end) and the kinds of node allowed at the other end.
type Hop struct {
	Rel RelKind
	Out bool
	To  []NodeKind
}

// Validate checks the hop against the allow-lists.
func (h Hop) Validate() error {
	if !h.Rel.Valid() {
		return Errorf(Internal, "unknown relationship kind %q", h.Rel)
	}
	if len(h.To) == 0 {
		return Errorf(Internal, "hop %s names no node kind", h.Rel)
	}
	for _, k := range h.To {
		if !k.Valid() {
			return Errorf(Internal, "unknown node kind %q", k)
		}
	}
	return nil
}

// Slice is a window of a list: how many entries to skip and how many to return.
type Slice struct {
	Offset int // the first entry; from the end, the first entry allowed
	Limit  int
	// FromEnd asks for the last Limit entries (Relay's last without before): where they start is
	// known once the list's length is.
	FromEnd bool
	// List names the list and its arguments: its cursors carry it, so that a cursor of one list
	// is refused by another.
	List string
	// NoTotal says the list's length is not asked for (no totalCount, no pageInfo): unless the
	// slice is FromEnd, the store does not count the list (Counted), and the page's Total is -1.
	NoTotal bool
}

// Counted tells whether the store counts the list: unless its length is not asked for, and
// always from the end, where the page's place depends on it.
func (s Slice) Counted() bool { return !s.NoTotal || s.FromEnd }

// Window is where the page lies in a list of total entries: its first offset and its size.
func (s Slice) Window(total int) (offset, n int) {
	if s.FromEnd {
		offset = min(total, max(s.Offset, total-s.Limit))
		return offset, total - offset
	}
	offset = min(s.Offset, total)
	return offset, max(0, min(s.Limit, total-offset))
}

// HopQuery asks for a page of the nodes reached from a node over a hop.
type HopQuery struct {
	Hop    Hop
	Filter Filter
	Order  Order
	Slice  Slice
}

// HopCall is one hop asked for some nodes, among several read in one round trip. Nested are
// hops read in the same statement from every node of its pages (their IDs unused): the next
// level of a selection, read with this one.
type HopCall struct {
	IDs    []string
	Query  HopQuery
	Nested []HopCall
}

// ListQuery asks for a page of the nodes of one kind.
type ListQuery struct {
	Kind   NodeKind
	Filter Filter
	Order  Order
	Slice  Slice
}

// Key is a canonical string for the query, for caching and batching.
func (q HopQuery) Key() string {
	return fmt.Sprintf("%s|%t|%v|%s|%s|%t|%d|%d|%t|%s|%t", q.Hop.Rel, q.Hop.Out, q.Hop.To, q.Filter.key(), q.Order.Key, q.Order.Descending,
		q.Slice.Offset, q.Slice.Limit, q.Slice.FromEnd, q.Slice.List, q.Slice.NoTotal)
}

func (f Filter) key() string {
	var b strings.Builder
	fmt.Fprintf(&b, "n=%q w=%q", f.Name, f.Within)
	if f.AsOf != nil {
		fmt.Fprintf(&b, " d=%s", f.AsOf)
	}
	for _, p := range FilterProps {
		if vs, ok := f.Props[p]; ok {
			sorted := slices.Sorted(slices.Values(vs))
			fmt.Fprintf(&b, " %s=%q", p, sorted)
		}
	}
	return b.String()
}

// Validate checks the filter's property names against the allow-list.
func (f Filter) Validate() error {
	for p := range f.Props {
		if !slices.Contains(FilterProps, p) {
			return FieldError("filter", "cannot filter on %q", p)
		}
	}
	return nil
}
