package neo4jstore

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/gongjian/gongjian/graph"
)

// planKey marks a context whose statements are planned and not run; its value is the
// planning under way.
type planKey struct{}

// planning counts the statements planned under a plan-only context and, when onPlan is set
// (by the tests, to read the plans), hands each one over.
type planning struct {
	planned atomic.Int64
	onPlan  func(cypher string, plan neo4j.Plan)
}

// planOnly marks ctx: the store's statements under it are planned, not run.
func planOnly(ctx context.Context, p *planning) context.Context {
	return context.WithValue(ctx, planKey{}, p)
}

// planOnlyTx sends each statement as EXPLAIN: Neo4j plans it (and keeps the plan in its query
// cache) but reads and writes nothing; the result has no rows.
type planOnlyTx struct {
	neo4j.ManagedTransaction
	p *planning
}

// Run implements neo4j.ManagedTransaction.
func (t planOnlyTx) Run(ctx context.Context, cypher string, params map[string]any) (neo4j.ResultWithContext, error) {
	t.p.planned.Add(1)
	res, err := t.ManagedTransaction.Run(ctx, "EXPLAIN "+cypher, params)
	if err != nil || t.p.onPlan == nil {
		return res, err
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		return nil, err
	}
	t.p.onPlan(cypher, sum.Plan())
	return res, nil
}

// WarmPlans has Neo4j plan the statements of the heaviest questions, those the dashboard, the
// explorer and GraphiQL's tour ask first, so that the first caller after a start does not wait
// for their planning: on the city profile, planning the statistics statement alone takes
// 1.3–2 s, running it for a district 0.1 s. The very code of each question runs with every
// statement sent as EXPLAIN, so the plans are those of the real statements, with the
// parameters' types; nothing is read or written. It returns how many statements were planned.
func (s *Store) WarmPlans(ctx context.Context) (int, error) {
	var p planning
	ctx = planOnly(ctx, &p)
	const place = "place:plan-warm-up"
	one := graph.Slice{Limit: 500}
	// The questions answer "not found" or find no row (an EXPLAIN returns none): only an error
	// from the database (a statement it cannot plan), or the context's end, is a failure.
	steps := []func() error{
		// No part asked: one statement, whose text (and so plan) is that of every selection.
		func() error { _, err := s.Statistics(ctx, place, nil, nil, graph.StatisticsParts{}); return err },
		func() error { _, err := s.CoverageByChild(ctx, place, nil); return err },
		func() error {
			_, err := s.CoverageGaps(ctx, graph.GapFilter{Within: place, MinUnits: 1}, graph.Order{}, one)
			return err
		},
		func() error {
			_, err := s.ReportingFlows(ctx, graph.ReportingFilter{Within: place}, graph.Order{}, graph.Slice{Limit: 40})
			return err
		},
		func() error {
			_, err := s.Coverage(ctx, []string{place}, graph.CoverageFilter{}, graph.Order{}, one)
			return err
		},
	}
	for _, step := range steps {
		var n4e *neo4j.Neo4jError
		if err := step(); err != nil && (ctx.Err() != nil || errors.As(err, &n4e)) {
			return int(p.planned.Load()), err
		}
	}
	return int(p.planned.Load()), nil
}

// explaining wraps tx when ctx asks for plans only.
func explaining(ctx context.Context, tx neo4j.ManagedTransaction) neo4j.ManagedTransaction {
	if p, ok := ctx.Value(planKey{}).(*planning); ok {
		return planOnlyTx{ManagedTransaction: tx, p: p}
	}
	return tx
}
