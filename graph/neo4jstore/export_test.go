package neo4jstore

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// explainTx runs every statement under EXPLAIN and keeps its plan; the statements return no
// rows.
type explainTx struct {
	neo4j.ManagedTransaction
	plans *[]Plan
}

// Plan is a statement and the plan Neo4j made for it.
type Plan struct {
	Query string
	Plan  neo4j.Plan
}

func (t explainTx) Run(ctx context.Context, cypher string, params map[string]any) (neo4j.ResultWithContext, error) {
	res, err := t.ManagedTransaction.Run(ctx, "EXPLAIN "+cypher, params)
	if err != nil {
		return nil, err
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		return nil, err
	}
	*t.plans = append(*t.plans, Plan{Query: cypher, Plan: sum.Plan()})
	return res, nil
}

// Explain runs fn with every statement of s EXPLAINed instead of run, and returns the plans.
// fn's reads see no rows, so its errors are ignored.
func (s *Store) Explain(fn func()) []Plan {
	var plans []Plan
	s.wrapTx = func(tx Tx) Tx { return explainTx{ManagedTransaction: tx, plans: &plans} }
	defer func() { s.wrapTx = nil }()
	fn()
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
