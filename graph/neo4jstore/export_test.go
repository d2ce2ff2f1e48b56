package neo4jstore

import (
	"context"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/gongjian/gongjian/graph"
)

// Plan is a statement and the plan Neo4j made for it.
type Plan struct {
	Query string
	Plan  neo4j.Plan
}

// Explain runs fn with every statement of the store sent under ctx EXPLAINed instead of run
// (as WarmPlans does), and returns the plans. fn's reads see no rows, so its errors are
// ignored.
func (s *Store) Explain(ctx context.Context, fn func(ctx context.Context)) []Plan {
	var plans []Plan
	var mu sync.Mutex
	fn(planOnly(ctx, &planning{onPlan: func(cypher string, plan neo4j.Plan) {
		mu.Lock()
		defer mu.Unlock()
		plans = append(plans, Plan{Query: cypher, Plan: plan})
	}}))
	return plans
}

// Migrations exposes the migration list to the tests.
func Migrations() []migration { return migrations }

// MoveChangeEvents exposes migration 7's data step to the tests.
func MoveChangeEvents(ctx context.Context, s *Store) error { return moveChangeEvents(ctx, s) }

// profileTx runs every statement once under PROFILE, to add up its database hits, and then
// as it is, for the caller.
type profileTx struct {
	neo4j.ManagedTransaction
	hits *int64
}

func (t profileTx) Run(ctx context.Context, cypher string, params map[string]any) (neo4j.ResultWithContext, error) {
	res, err := t.ManagedTransaction.Run(ctx, "PROFILE "+cypher, params)
	if err != nil {
		return nil, err
	}
	if _, err := res.Collect(ctx); err != nil {
		return nil, err
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		return nil, err
	}
	var add func(p neo4j.ProfiledPlan)
	add = func(p neo4j.ProfiledPlan) {
		*t.hits += p.DbHits()
		for _, c := range p.Children() {
			add(c)
		}
	}
	if p := sum.Profile(); p != nil {
		add(p)
	}
	return t.ManagedTransaction.Run(ctx, cypher, params)
}

// DBHits runs fn with every statement of s profiled, and returns their database hits.
func (s *Store) DBHits(fn func()) int64 {
	var hits int64
	s.wrapTx = func(tx Tx) Tx { return profileTx{ManagedTransaction: tx, hits: &hits} }
	defer func() { s.wrapTx = nil }()
	fn()
	return hits
}

// StatisticsLive computes Statistics from the graph, never from the figures kept.
func (s *Store) StatisticsLive(ctx context.Context, placeID string, on graph.Date, levels []graph.CoverageLevel) (*graph.Statistics, error) {
	if len(levels) == 0 {
		levels = []graph.CoverageLevel{graph.LevelDirect}
	}
	return s.statisticsLive(ctx, placeID, on, levels, nil, true)
}
