package graph

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"time"
)

// Change is one field's change in an event: its value before and after, as the feed writes
// values (dates as YYYY-MM-DD, integers as int64). After is the field's whole new value, so
// that applying an event again changes nothing.
type Change struct {
	Field  string `json:"field"`
	Before any    `json:"before"`
	After  any    `json:"after"`
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
	// Source is where the record came from (a relationship: its start node), for integrators
	// who read only their own systems' records.
	Source string
}

// The events' operations.
const (
	EventCreate = "CREATE"
	EventUpdate = "UPDATE"
	EventDelete = "DELETE"
)

// Cursor is the event's cursor: its sequence number.
func (e *ChangeEvent) Cursor() string { return fmt.Sprint(e.Seq) }

// FeedValue is a stored value as the feed writes it: dates as YYYY-MM-DD, integers as int64,
// lists item by item.
func FeedValue(v any) any {
	switch x := v.(type) {
	case Date:
		return x.String()
	case dater:
		return DateOf(x.Time()).String()
	case int:
		return int64(x)
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = FeedValue(item)
		}
		return out
	case []string:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = item
		}
		return out
	}
	return v
}

// SameValue reports whether two feed values are the same to a client: numbers compare by
// value (JSON does not tell 3 from 3.0), lists item by item.
func SameValue(a, b any) bool {
	if fa, ok := number(a); ok {
		fb, ok := number(b)
		return ok && fa == fb
	}
	la, aok := a.([]any)
	lb, bok := b.([]any)
	if aok || bok {
		return aok && bok && slices.EqualFunc(la, lb, SameValue)
	}
	return reflect.DeepEqual(a, b)
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, !math.IsNaN(x)
	}
	return 0, false
}

// Diff lists, sorted by field, the fields whose values differ between two property maps
// (either may be nil: a creation or a deletion), as feed values.
func Diff(before, after map[string]any) []*Change {
	var keys []string
	for k := range before {
		keys = append(keys, k)
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []*Change
	for _, k := range keys {
		b, a := FeedValue(before[k]), FeedValue(after[k])
		if !SameValue(b, a) {
			out = append(out, &Change{Field: k, Before: b, After: a})
		}
	}
	return out
}

// WithEnds adds a relationship's kind and ends to its properties, for the events that create
// and delete it.
func WithEnds(r *Relationship) map[string]any {
	out := map[string]any{"from": r.From, "to": r.To, "kind": string(r.Kind)}
	for k, v := range r.Props {
		out[k] = v
	}
	return out
}
