package neo4jstore

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gongjian/gongjian/graph"
)

// migration is one versioned step of the database schema. Every statement must be idempotent
// (IF NOT EXISTS), so that two processes starting together, or a step interrupted midway, are
// harmless; the version is recorded only after all its statements ran.
type migration struct {
	Version     int
	Description string
	Statements  []string
	// Run, when set, moves data after the statements; it must be safe to run again after an
	// interruption.
	Run func(ctx context.Context, s *Store) error
	// SchemaAfterData keeps this step's schema statements from running before the data steps
	// (data statements and Run) of the steps before it: set it when a constraint or an index
	// needs data that an earlier step moves or cleans. Without it, Migrate creates the schema
	// of every pending step first, all together (applySchema).
	SchemaAfterData bool
}

// migrations is the schema's history. Append only: never edit a step that has shipped.
var migrations = []migration{
	{
		Version:     1,
		Description: "migration bookkeeping",
		Statements: []string{
			`CREATE CONSTRAINT schema_migration_version IF NOT EXISTS
			 FOR (m:SchemaMigration) REQUIRE m.version IS UNIQUE`,
		},
	},
	{
		Version:     2,
		Description: "the organisational graph: entity ids, names, kinds",
		Statements: []string{
			`CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE`,
			`CREATE INDEX place_kind IF NOT EXISTS FOR (n:Place) ON (n.kind)`,
			`CREATE INDEX place_name IF NOT EXISTS FOR (n:Place) ON (n.name)`,
			`CREATE INDEX unit_kind IF NOT EXISTS FOR (n:Unit) ON (n.kind)`,
			`CREATE INDEX unit_name IF NOT EXISTS FOR (n:Unit) ON (n.name)`,
			`CREATE INDEX party_org_kind IF NOT EXISTS FOR (n:PartyOrg) ON (n.kind)`,
			`CREATE INDEX committee_kind IF NOT EXISTS FOR (n:Committee) ON (n.kind)`,
			`CREATE INDEX person_category IF NOT EXISTS FOR (n:Person) ON (n.category)`,
			`CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name)`,
			`CREATE INDEX project_status IF NOT EXISTS FOR (n:Project) ON (n.status, n.category)`,
			`CREATE INDEX entity_source IF NOT EXISTS FOR (n:Entity) ON (n.source)`,
		},
	},
	{
		Version:     3,
		Description: "search: a full-text index of names with the CJK analyzer, text indexes for substrings",
		Statements: []string{
			"CREATE FULLTEXT INDEX entity_name IF NOT EXISTS FOR (n:Place|Unit|PartyOrg|Committee|Person) ON EACH [n.name] " +
				"OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk', `fulltext.eventually_consistent`: false}}",
			`CREATE TEXT INDEX place_name_text IF NOT EXISTS FOR (n:Place) ON (n.name)`,
			`CREATE TEXT INDEX unit_name_text IF NOT EXISTS FOR (n:Unit) ON (n.name)`,
			`CREATE TEXT INDEX party_org_name_text IF NOT EXISTS FOR (n:PartyOrg) ON (n.name)`,
			`CREATE TEXT INDEX committee_name_text IF NOT EXISTS FOR (n:Committee) ON (n.name)`,
			`CREATE TEXT INDEX person_name_text IF NOT EXISTS FOR (n:Person) ON (n.name)`,
		},
	},
	{
		Version:     4,
		Description: "the change feed: events by sequence and time, and the counter that orders them",
		Statements: []string{
			`CREATE CONSTRAINT change_event_seq IF NOT EXISTS FOR (e:ChangeEvent) REQUIRE e.seq IS UNIQUE`,
			`CREATE INDEX change_event_at IF NOT EXISTS FOR (e:ChangeEvent) ON (e.at)`,
			`CREATE CONSTRAINT feed_counter_id IF NOT EXISTS FOR (c:FeedCounter) REQUIRE c.id IS UNIQUE`,
			`MERGE (c:FeedCounter {id: 'feed'}) ON CREATE SET c.seq = 0, c.floor = 0`,
		},
	},
	{
		Version:     5,
		Description: "API keys, stored as hashes",
		Statements: []string{
			`CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.hash IS UNIQUE`,
			`CREATE CONSTRAINT api_key_name IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.name IS UNIQUE`,
		},
	},
	{
		Version:     6,
		Description: "places found by id with their label (questions anchored on a place)",
		Statements: []string{
			`CREATE INDEX place_id IF NOT EXISTS FOR (n:Place) ON (n.id)`,
		},
	},
	{
		Version:     7,
		Description: "the change feed kept a commit at a time: one ChangeSet node holds a commit's events",
		Statements: []string{
			`CREATE CONSTRAINT change_set_first IF NOT EXISTS FOR (s:ChangeSet) REQUIRE s.first IS UNIQUE`,
			`CREATE INDEX change_set_last IF NOT EXISTS FOR (s:ChangeSet) ON (s.last)`,
			`CREATE INDEX change_set_at IF NOT EXISTS FOR (s:ChangeSet) ON (s.at)`,
		},
		Run: moveChangeEvents,
	},
	{
		Version:     8,
		Description: "search by name: the full-text index updated after commit, so that writes do not wait for it (searches wait for it)",
		// The old index goes first: IF NOT EXISTS takes an index on the same labels and property
		// for the new one, whatever its name. A process still at migration 3 finds the new one
		// there and makes no other.
		Statements: []string{
			`DROP INDEX entity_name IF EXISTS`,
			"CREATE FULLTEXT INDEX entity_search IF NOT EXISTS FOR (n:Place|Unit|PartyOrg|Committee|Person) ON EACH [n.name] " +
				"OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk', `fulltext.eventually_consistent`: true}}",
		},
	},
}

// moveChangeEvents moves the events kept one node each (schema 4 to 6) into ChangeSets, a
// thousand a transaction, oldest first; each transaction moves its events whole, so an
// interrupted run resumes where it stopped. The emptied ChangeEvent label keeps its index and
// constraint: dropping them would race with a process still migrating from an older version.
func moveChangeEvents(ctx context.Context, s *Store) error {
	for {
		var moved int
		err := s.Write(ctx, func(ctx context.Context, tx Tx) error {
			// The feed's lock first: processes migrating together move each event once.
			res, err := tx.Run(ctx, `MATCH (c:FeedCounter {id: 'feed'}) SET c.writes = coalesce(c.writes, 0) + 1
WITH c
OPTIONAL CALL () {
  MATCH (e:ChangeEvent) WITH e ORDER BY e.seq LIMIT 1000 RETURN collect(e) AS events
}
RETURN events`, nil)
			if err != nil {
				return err
			}
			rec, err := res.Single(ctx)
			if err != nil {
				return err
			}
			v, _ := rec.Get("events")
			nodes, _ := v.([]any)
			moved = len(nodes)
			if moved == 0 {
				return nil
			}
			events := make([]*graph.ChangeEvent, len(nodes))
			var at time.Time
			for i, x := range nodes {
				p := x.(dbtype.Node).Props
				e := &graph.ChangeEvent{}
				e.Seq, _ = p["seq"].(int64)
				e.Entity, _ = p["entity"].(string)
				e.Kind, _ = p["kind"].(string)
				e.ID, _ = p["id"].(string)
				e.Op, _ = p["op"].(string)
				e.Actor, _ = p["actor"].(string)
				if c, ok := p["changes"].(string); ok {
					_ = json.Unmarshal([]byte(c), &e.Changes)
				}
				if t, ok := p["at"].(time.Time); ok && t.After(at) {
					at = t
				}
				events[i] = e
			}
			rows, err := encodeEvents(events)
			if err != nil {
				return err
			}
			_, err = tx.Run(ctx, `CREATE (:ChangeSet {first: $first, last: $last, at: $at, events: $events})
WITH 1 AS done
MATCH (e:ChangeEvent) WHERE e.seq >= $first AND e.seq <= $last
DELETE e`, map[string]any{"first": events[0].Seq, "last": events[len(events)-1].Seq, "at": at, "events": rows})
			return err
		})
		if err != nil || moved == 0 {
			return err
		}
	}
}

// alreadyThere reports whether a schema statement failed only because another process made the
// same index or constraint at the same moment (IF NOT EXISTS does not guard against that race).
func alreadyThere(err error) bool {
	var n4e *neo4j.Neo4jError
	return errors.As(err, &n4e) && (strings.Contains(n4e.Code, "EquivalentSchemaRuleAlreadyExists") ||
		strings.Contains(n4e.Code, "IndexAlreadyExists") || strings.Contains(n4e.Code, "ConstraintAlreadyExists"))
}

var (
	createIndex = regexp.MustCompile(`^CREATE (?:\w+ )?INDEX (\w+) IF NOT EXISTS`)
	dropIndex   = regexp.MustCompile(`^DROP INDEX (\w+) IF EXISTS`)
)

// droppedLater reports whether stmt, of migration version, creates an index that a later
// migration, not applied yet either, drops: building it (on a store loaded before its schema,
// a full population) would be wasted, as it goes again before Migrate returns.
func droppedLater(stmt string, version int, applied map[int]bool) bool {
	m := createIndex.FindStringSubmatch(stmt)
	if m == nil {
		return false
	}
	for _, later := range migrations {
		if later.Version <= version || applied[later.Version] {
			continue
		}
		for _, st := range later.Statements {
			if d := dropIndex.FindStringSubmatch(st); d != nil && d[1] == m[1] {
				return true
			}
		}
	}
	return false
}

// SchemaVersion is the version the code expects after Migrate.
func SchemaVersion() int { return migrations[len(migrations)-1].Version }

// EnsureSchema applies missing migrations and logs the outcome.
func (s *Store) EnsureSchema(ctx context.Context) error {
	res, err := s.Migrate(ctx)
	if err != nil {
		return err
	}
	s.log.Info("database schema up to date", "from", res.From, "to", res.To, "applied", len(res.Applied))
	s.warm(ctx)
	return nil
}

// warm has Neo4j plan the write statements (EXPLAIN runs nothing), so that the first write
// does not wait for their plans.
func (s *Store) warm(ctx context.Context) {
	for _, q := range []string{lockAndRead, writePlan, outsidePlaces()} {
		if err := s.Write(ctx, func(ctx context.Context, tx Tx) error {
			res, err := tx.Run(ctx, "EXPLAIN "+q, map[string]any{"q": map[string]any{}, "p": map[string]any{}, "ids": []string{}, "scope": []string{}})
			if err != nil {
				return err
			}
			_, err = res.Consume(ctx)
			return err
		}); err != nil {
			s.log.Debug("planning a write statement ahead", "err", err)
		}
	}
}

// AwaitIndexes waits until every index is online (after a load that built the store before
// its indexes existed, as the offline importer does), or the context ends.
func (s *Store) AwaitIndexes(ctx context.Context) error {
	return s.run(ctx, neo4j.AccessModeRead, schemaTimeout, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, `CALL db.awaitIndexes(3600)`, nil)
		if err != nil {
			return err
		}
		_, err = res.Consume(ctx)
		return err
	})
}
