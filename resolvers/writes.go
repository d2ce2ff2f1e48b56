package resolvers

import (
	"context"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"github.com/gongjian/gongjian/graph"
)

// apply checks every operation, reports each invalid one, and writes nothing unless all are
// valid; then applies them in one transaction.
func (r *Resolver) apply(ctx context.Context, ops []graph.Operation) (*graph.ApplyResult, error) {
	if r.Writes == nil || !r.AllowWrites {
		return nil, graph.Errorf(graph.Forbidden, "writes are not allowed on this server (start it with -allow-writes=true)")
	}
	p := graph.PrincipalFrom(ctx)
	if !p.Writes() {
		return nil, graph.Errorf(graph.Forbidden, "your role may not write")
	}
	var errs []error
	_, all := graph.NormalizeAll(ops)
	for _, err := range all {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		for _, err := range errs[1:] {
			graphql.AddError(ctx, err)
		}
		return nil, errs[0]
	}
	events, err := r.Writes.ApplyScoped(ctx, p.Name, p.Scope(), ops)
	if err != nil {
		return nil, err
	}
	return &graph.ApplyResult{Events: events}, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// cursorSeq reads a feed cursor: a sequence number; none is the start of the feed.
func cursorSeq(after *string) (int64, error) {
	if after == nil || *after == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(*after, 10, 64)
	if err != nil || n < 0 {
		return 0, graph.FieldError("after", "%q is not a cursor of the change feed", *after)
	}
	return n, nil
}

// feedCursor checks that the server has a change feed and the caller may read it, and reads
// the cursor to start after.
func (r *Resolver) feedCursor(ctx context.Context, after *string) (int64, error) {
	if r.Writes == nil {
		return 0, graph.Errorf(graph.Unavailable, "this server has no change feed")
	}
	if !graph.PrincipalFrom(ctx).ReadsFeed() {
		return 0, graph.Errorf(graph.Forbidden, "your role may not read the change feed")
	}
	return cursorSeq(after)
}
