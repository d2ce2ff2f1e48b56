package neo4jstore

import (
	"context"
	"regexp"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// MigrationResult reports what Migrate did.
type MigrationResult struct {
	From, To int   // schema version before and after
	Applied  []int // versions applied by this call
}

// schemaStatement matches the statements that change the schema (indexes and constraints),
// which Neo4j runs in transactions of their own, apart from data changes.
var schemaStatement = regexp.MustCompile(`^\s*(?:CREATE|DROP)\s+(?:\w+\s+)?(?:INDEX|CONSTRAINT)\b`)

// Migrate applies the migrations that the database lacks. The schema statements of the pending
// steps run first, all together (applySchema: the indexes in one transaction, the constraints
// in another), so that Neo4j builds the new indexes in one population job, beside the
// constraints' own; on a store loaded before its schema, as the offline importer builds it,
// one after the other they took 1.3-1.5x as long on city. Then each step's data statements and
// Run, in order, and its version is recorded. A step marked SchemaAfterData starts a new
// round: its schema waits for the data steps before it.
func (s *Store) Migrate(ctx context.Context) (MigrationResult, error) {
	applied := map[int]bool{}
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, `MATCH (m:SchemaMigration) RETURN m.version AS version`, nil)
		if err != nil {
			return err
		}
		for res.Next(ctx) {
			applied[int(integer(res.Record(), "version"))] = true
		}
		return res.Err()
	})
	if err != nil {
		return MigrationResult{}, err
	}
	result := MigrationResult{}
	for v := range applied {
		result.From = max(result.From, v)
	}
	result.To = result.From
	var pending []migration
	for _, m := range migrations {
		if !applied[m.Version] {
			pending = append(pending, m)
		}
	}
	for len(pending) > 0 {
		n := 1
		for n < len(pending) && !pending[n].SchemaAfterData {
			n++
		}
		if err := s.applyRound(ctx, pending[:n], applied, &result); err != nil {
			return result, err
		}
		pending = pending[n:]
	}
	return result, nil
}

// applyRound applies pending steps: their schema statements at once, then each one's data
// steps and its record.
func (s *Store) applyRound(ctx context.Context, round []migration, applied map[int]bool, result *MigrationResult) error {
	start := time.Now()
	var schema []string
	for _, m := range round {
		for _, stmt := range m.Statements {
			if schemaStatement.MatchString(stmt) && !droppedLater(stmt, m.Version, applied) {
				schema = append(schema, stmt)
			}
		}
	}
	if err := s.applySchema(ctx, schema); err != nil {
		return err
	}
	if len(schema) > 0 {
		s.log.Info("schema statements applied", "statements", len(schema), "took", time.Since(start).Round(time.Millisecond))
	}
	for _, m := range round {
		start := time.Now()
		for _, stmt := range m.Statements {
			if schemaStatement.MatchString(stmt) {
				continue
			}
			if err := s.execute(ctx, s.cfg.QueryTimeout, stmt); err != nil {
				return err
			}
		}
		if m.Run != nil {
			if err := m.Run(ctx, s); err != nil {
				return err
			}
		}
		if err := s.Write(ctx, func(ctx context.Context, tx Tx) error {
			_, err := tx.Run(ctx, `
MERGE (m:SchemaMigration {version: $version})
ON CREATE SET m.description = $description, m.appliedAt = datetime()`,
				map[string]any{"version": m.Version, "description": m.Description})
			return err
		}); err != nil {
			return err
		}
		result.Applied = append(result.Applied, m.Version)
		result.To = max(result.To, m.Version)
		s.log.Info("schema migration applied", "version", m.Version, "description", m.Description,
			"statements", len(m.Statements), "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// applySchema runs schema statements in two transactions: first the indexes (and the drops),
// whose population Neo4j starts when they commit, then the constraints, each of which
// populates its own index before its statement returns, while the first ones populate. When
// another process made one of the same indexes or constraints meanwhile (IF NOT EXISTS does
// not guard against that race), a transaction fails whole, and its statements run again one
// transaction each, each such failure ignored.
func (s *Store) applySchema(ctx context.Context, stmts []string) error {
	var indexes, constraints []string
	for _, stmt := range stmts {
		if createConstraint.MatchString(stmt) {
			constraints = append(constraints, stmt)
		} else {
			indexes = append(indexes, stmt)
		}
	}
	for _, group := range [][]string{indexes, constraints} {
		if err := s.schemaTransaction(ctx, group); err != nil {
			return err
		}
	}
	return nil
}

// createConstraint matches the statements that create a constraint.
var createConstraint = regexp.MustCompile(`^\s*CREATE\s+CONSTRAINT\b`)

// schemaTransaction runs statements in one transaction, or, when it fails only because
// another process made the same schema object meanwhile, one transaction each.
func (s *Store) schemaTransaction(ctx context.Context, stmts []string) error {
	if len(stmts) == 0 {
		return nil
	}
	err := s.execute(ctx, schemaTimeout, stmts...)
	if err == nil || !alreadyThere(err) {
		return err
	}
	for _, stmt := range stmts {
		if err := s.execute(ctx, schemaTimeout, stmt); err != nil && !alreadyThere(err) {
			return err
		}
	}
	return nil
}

// schemaTimeout bounds a schema transaction, and the wait for indexes to come online: a
// constraint populates its index before its statement returns, which on a large store takes
// minutes, not the seconds of QueryTimeout.
const schemaTimeout = time.Hour

// execute runs statements without parameters in one write transaction bounded by timeout.
func (s *Store) execute(ctx context.Context, timeout time.Duration, stmts ...string) error {
	return s.run(ctx, neo4j.AccessModeWrite, timeout, func(ctx context.Context, tx Tx) error {
		for _, stmt := range stmts {
			if _, err := tx.Run(ctx, stmt, nil); err != nil {
				return err
			}
		}
		return nil
	})
}
