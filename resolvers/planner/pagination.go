package planner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/99designs/gqlgen/graphql"

	"github.com/gongjian/gongjian/graph"
)

// pagination are the arguments of Relay pagination.
var pagination = []string{"first", "after", "last", "before"}

// listKey names a list and the arguments it was asked with (all but the pagination ones): its
// cursors carry the name, and another list refuses them.
func listKey(name string, args map[string]any) string {
	rest := make(map[string]any, len(args))
	for k, v := range args {
		rest[k] = v
	}
	for _, k := range pagination {
		delete(rest, k)
	}
	b, _ := json.Marshal(rest) // map keys sorted: the same arguments give the same name
	sum := sha256.Sum256(append([]byte(name+"|"), b...))
	return hex.EncodeToString(sum[:6])
}

// sliceArgs reads a list's Relay arguments: first and after (forwards), or last and before
// (backwards; last alone is the end of the list), each cursor checked to be of this list.
func (pl *Planner) sliceArgs(args map[string]any, list string) (graph.Slice, error) {
	s := graph.Slice{List: list}
	size := func(name string) (*int, error) {
		v := args[name]
		if v == nil {
			return nil, nil
		}
		n, ok := intArg(v)
		if !ok {
			return nil, graph.FieldError(name, "%s must be an integer", name)
		}
		if n < 0 {
			return nil, graph.FieldError(name, "%s must not be negative, got %d", name, n)
		}
		if n > pl.pages().Max {
			return nil, graph.FieldError(name, "%s must be at most %d (the maximum page size), got %d", name, pl.pages().Max, n)
		}
		return &n, nil
	}
	first, err := size("first")
	if err != nil {
		return s, err
	}
	last, err := size("last")
	if err != nil {
		return s, err
	}
	if first != nil && last != nil {
		return s, graph.FieldError("last", "first and last cannot both be given: page forwards with first and after, or backwards with last and before")
	}
	start, end := 0, -1
	if a, _ := args["after"].(string); a != "" {
		n, err := graph.DecodeCursor(list, "after", a)
		if err != nil {
			return s, err
		}
		start = n + 1
	}
	if b, _ := args["before"].(string); b != "" {
		n, err := graph.DecodeCursor(list, "before", b)
		if err != nil {
			return s, err
		}
		end = n
	}
	switch {
	case last != nil && end < 0:
		s.FromEnd, s.Offset, s.Limit = true, start, *last
	case last != nil:
		s.Offset = max(start, end-*last)
		s.Limit = max(0, end-s.Offset)
	default:
		n := pl.pages().Default
		if first != nil {
			n = *first
		}
		s.Offset, s.Limit = start, n
		if end >= 0 {
			s.Limit = max(0, min(n, end-start))
		}
	}
	return s, nil
}

// Window reads the Relay arguments of the current root list field.
func (pl *Planner) Window(ctx context.Context) (graph.Slice, error) {
	fc := graphql.GetFieldContext(ctx)
	args := fc.Field.ArgumentMap(graphql.GetOperationContext(ctx).Variables)
	return pl.sliceArgs(args, listKey(fc.Field.Name, args))
}
