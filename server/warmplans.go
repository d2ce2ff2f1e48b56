package server

import (
	"context"
	"time"
)

// planWarmer is a database that can plan the heaviest questions' statements ahead of their
// first caller (neo4jstore.Store.WarmPlans).
type planWarmer interface {
	WarmPlans(ctx context.Context) (int, error)
}

// warmPlans plans the heaviest questions once the schema is ready; a failure is logged, and the
// questions are then planned by their first callers, as without it.
func (s *Server) warmPlans(ctx context.Context, w planWarmer) {
	if ctx.Err() != nil {
		return
	}
	start := time.Now()
	n, err := w.WarmPlans(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.log.WarnContext(ctx, "warming the query plans failed; the first callers will plan them", "err", err, "planned", n)
		}
		return
	}
	s.log.InfoContext(ctx, "query plans warmed", "statements", n, "took", time.Since(start).Round(time.Millisecond))
}
