package neo4jstore_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
)

// schemaObjects lists the constraints and indexes of the database, by name.
func schemaObjects(t *testing.T, s *neo4jstore.Store) []string {
	t.Helper()
	var names []string
	err := s.Read(context.Background(), func(ctx context.Context, tx neo4jstore.Tx) error {
		for _, q := range []string{`SHOW CONSTRAINTS YIELD name`, `SHOW INDEXES YIELD name`} {
			res, err := tx.Run(ctx, q+` RETURN name ORDER BY name`, nil)
			if err != nil {
				return err
			}
			for res.Next(ctx) {
				v, _ := res.Record().Get("name")
				names = append(names, v.(string))
			}
			if err := res.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("list schema: %v", err)
	}
	return names
}

// unmigrate removes the migration bookkeeping so that every migration runs again.
func unmigrate(t *testing.T, s *neo4jstore.Store) {
	t.Helper()
	err := s.Write(context.Background(), func(ctx context.Context, tx neo4jstore.Tx) error {
		_, err := tx.Run(ctx, `MATCH (m:SchemaMigration) DELETE m`, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMigrateTwiceIsIdempotent(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, "")
	unmigrate(t, s)

	first, err := s.Migrate(ctx)
	if err != nil {
		t.Fatalf("first migration: %v", err)
	}
	if first.From != 0 || first.To != neo4jstore.SchemaVersion() || len(first.Applied) != neo4jstore.SchemaVersion() {
		t.Fatalf("first migration = %+v, want from 0 to %d applying every step", first, neo4jstore.SchemaVersion())
	}
	schemaAfterFirst := schemaObjects(t, s)

	second, err := s.Migrate(ctx)
	if err != nil {
		t.Fatalf("second migration: %v", err)
	}
	if len(second.Applied) != 0 || second.From != neo4jstore.SchemaVersion() || second.To != neo4jstore.SchemaVersion() {
		t.Fatalf("second migration = %+v, want nothing applied at version %d", second, neo4jstore.SchemaVersion())
	}
	if got := schemaObjects(t, s); strings.Join(got, ",") != strings.Join(schemaAfterFirst, ",") {
		t.Fatalf("schema changed on the second run: %v, then %v", schemaAfterFirst, got)
	}
	if !contains(schemaAfterFirst, "schema_migration_version") {
		t.Fatalf("constraint schema_migration_version missing from %v", schemaAfterFirst)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.SchemaVersion != neo4jstore.SchemaVersion() {
		t.Fatalf("Info().SchemaVersion = %d, want %d", info.SchemaVersion, neo4jstore.SchemaVersion())
	}
}

func TestConcurrentMigrationsAgree(t *testing.T) {
	s := storetest.Open(t, "")
	unmigrate(t, s)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.Migrate(context.Background())
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("migration %d: %v", i, err)
		}
	}
	count := storetest.Count(t, s, `MATCH (m:SchemaMigration) RETURN count(m) AS n`, nil)
	if count != int64(len(neo4jstore.Migrations())) {
		t.Fatalf("%d migration records, want %d", count, len(neo4jstore.Migrations()))
	}
	// The search index is the newest one, and there is no other of its kind.
	if n := storetest.Count(t, s, `SHOW FULLTEXT INDEXES YIELD name RETURN sum(CASE name WHEN 'entity_search' THEN 1 ELSE 100 END) AS n`, nil); n != 1 {
		t.Fatalf("full-text indexes after concurrent migrations: %d (want entity_search alone)", n)
	}
}

// TestRoutingAndDirectURIs writes through a neo4j:// (routing) driver and reads back through a
// bolt:// (direct) one, and the reverse: the bundled database advertises an address that
// routing drivers can use.
func TestRoutingAndDirectURIs(t *testing.T) {
	ctx := context.Background()
	bolt := storetest.URI(t)
	routing := strings.Replace(bolt, "bolt://", "neo4j://", 1)
	for _, tc := range []struct{ write, read string }{{routing, bolt}, {bolt, routing}} {
		w := storetest.Open(t, tc.write)
		r := storetest.Open(t, tc.read)
		marker := tc.write + " " + time.Now().String()
		err := w.Write(ctx, func(ctx context.Context, tx neo4jstore.Tx) error {
			_, err := tx.Run(ctx, `CREATE (:RoutingProbe {marker: $m})`, map[string]any{"m": marker})
			return err
		})
		if err != nil {
			t.Fatalf("write through %s: %v", tc.write, err)
		}
		found := storetest.Count(t, r, `MATCH (p:RoutingProbe {marker: $m}) RETURN count(p) AS n`, map[string]any{"m": marker})
		if found != 1 {
			t.Fatalf("wrote through %s, read %d probes through %s; want 1", tc.write, found, tc.read)
		}
		if err := w.Write(ctx, func(ctx context.Context, tx neo4jstore.Tx) error {
			_, err := tx.Run(ctx, `MATCH (p:RoutingProbe) DELETE p`, nil)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestUnreachableDatabaseIsUnavailable(t *testing.T) {
	in := storetest.NewInstance(t) // a free port where nothing listens
	for _, uri := range []string{in.URI(), strings.Replace(in.URI(), "bolt://", "neo4j://", 1)} {
		s := storetest.Open(t, uri)
		start := time.Now()
		err := s.Ping(context.Background())
		if err == nil {
			t.Fatalf("%s: ping succeeded with nothing listening", uri)
		}
		if code := graph.ErrorCode(err); code != graph.Unavailable {
			t.Fatalf("%s: error code %s (%v), want UNAVAILABLE", uri, code, err)
		}
		if msg := graph.ErrorMessage(err); strings.Contains(msg, "127.0.0.1") {
			t.Fatalf("client message leaks the address: %q", msg)
		}
		t.Logf("%s: UNAVAILABLE after %v", uri, time.Since(start).Round(time.Millisecond))
	}
}

func TestOpenRejectsBadURI(t *testing.T) {
	_, err := neo4jstore.Open(neo4jstore.Config{URI: "http://user:secret@example"}, storetest.Logger(t))
	if code := graph.ErrorCode(err); code != graph.BadUserInput {
		t.Fatalf("code %s (%v), want BAD_USER_INPUT", code, err)
	}
	if strings.Contains(graph.ErrorMessage(err), "secret") {
		t.Fatalf("message shows the password: %q", graph.ErrorMessage(err))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
