package resolvers

import (
	"context"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"github.com/gongjian/gongjian/graph"
)

// apply writes operations in one transaction, all or nothing: when any is invalid, every
// invalid one is reported (the first as the field's error, the others beside it) and nothing
// is written.
func (r *Resolver) apply(ctx context.Context, ops []graph.Operation) (*graph.ApplyResult, error) {
	if r.Writes == nil || !r.AllowWrites {
		return nil, graph.Errorf(graph.Forbidden, "writes are not allowed on this server (start it with -allow-writes=true)")
	}
	p := graph.PrincipalFrom(ctx)
	if err := p.MayWrite(); err != nil {
		return nil, err
	}
	events, err := r.Writes.ApplyScoped(ctx, p.Name, p.Scope(), ops)
	if err != nil {
		errs := graph.Errs(err)
		for _, e := range errs[1:] {
			graphql.AddError(ctx, e)
		}
		return nil, errs[0]
	}
	return &graph.ApplyResult{Events: events}, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// cursorSeq reads a feed cursor: a sequence number; none is -1, the oldest event kept.
func cursorSeq(after *string) (int64, error) {
	if after == nil || *after == "" {
		return -1, nil
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
