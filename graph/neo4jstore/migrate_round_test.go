package neo4jstore_test

import (
	"context"
	"testing"

	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
)

// A store at version 7 holds the first search index; the last step drops it and makes the new
// one, both in the one schema transaction of its round.
func TestMigratingFromSevenReplacesTheSearchIndex(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, "")
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := s.Migrate(ctx); err != nil {
			t.Errorf("restoring the schema: %v", err)
		}
	})
	for _, q := range []string{
		`DROP INDEX entity_search IF EXISTS`,
		"CREATE FULLTEXT INDEX entity_name IF NOT EXISTS FOR (n:Place|Unit|PartyOrg|Committee|Person) ON EACH [n.name] " +
			"OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk', `fulltext.eventually_consistent`: false}}",
		`MATCH (m:SchemaMigration {version: 8}) DELETE m`,
	} {
		if err := s.Write(ctx, func(ctx context.Context, tx neo4jstore.Tx) error {
			_, err := tx.Run(ctx, q, nil)
			return err
		}); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	res, err := s.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.From != 7 || res.To != 8 || len(res.Applied) != 1 {
		t.Fatalf("migration = %+v, want version 8 alone applied", res)
	}
	names := schemaObjects(t, s)
	if !contains(names, "entity_search") || contains(names, "entity_name") {
		t.Fatalf("after migrating from 7: %v, want entity_search and no entity_name", names)
	}
}
