// Package storetest gives tests a real Neo4j: the throw-away instance that `make test` starts
// (GONGJIAN_TEST_NEO4J_URI), or an instance of the test's own for tests that stop and restart
// the database. It never touches a developer's running database.
package storetest

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gongjian/gongjian/graph/neo4jstore"
)

// EnvURI names the variable that holds the test database's URI.
const EnvURI = "GONGJIAN_TEST_NEO4J_URI"

// URI returns the test database's Bolt URI. Without one, the test is skipped (and the reason
// said once), except under CI (the CI variable set), where it fails.
func URI(t testing.TB) string {
	t.Helper()
	uri := os.Getenv(EnvURI)
	if uri == "" {
		msg := fmt.Sprintf("%s is not set: the tests that need Neo4j run with `make test`, which starts a throw-away one, "+
			"or with `neo4j/neo4jctl with-temp go test ./...`", EnvURI)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		skipOnce.Do(func() { fmt.Fprintln(os.Stderr, "storetest: skipping the tests that need Neo4j: "+msg) })
		t.Skip("no test database")
	}
	return uri
}

var skipOnce sync.Once

// Patience scales a test's time budget by what the machine shows: the time the caller saw Neo4j
// take to start (a loaded machine starts it slowly, and does everything else slowly too), and
// GONGJIAN_TEST_PATIENCE, a factor for machines known to be slow. A budget is never less than d.
func Patience(d, neo4jStart time.Duration) time.Duration {
	factor := 1.0
	if f, err := strconv.ParseFloat(os.Getenv("GONGJIAN_TEST_PATIENCE"), 64); err == nil && f > 0 {
		factor = f
	}
	return time.Duration(float64(max(d, 3*neo4jStart)) * factor)
}

// Logger returns a logger that writes to the test log.
func Logger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Open opens a store on uri (the test database when uri is empty), closed when the test ends.
func Open(t testing.TB, uri string) *neo4jstore.Store {
	t.Helper()
	if uri == "" {
		uri = URI(t)
	}
	// The tests' own statements (loading the demo among them) may run on a busy machine: their
	// transactions get more time than the server's 30 s default.
	s, err := neo4jstore.Open(neo4jstore.Config{URI: uri, Database: "neo4j", MaxRetryTime: 2 * time.Second,
		QueryTimeout: Patience(5*time.Minute, 0)}, Logger(t))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

// Instance is a bundled Neo4j of the test's own, on a free port with its own data directory.
type Instance struct {
	Port int
	Dir  string
	ctl  string
}

// NewInstance prepares (but does not start) an instance; it is stopped and deleted when the
// test ends.
func NewInstance(t testing.TB) *Instance {
	t.Helper()
	ctl := filepath.Join(RepoRoot(t), "neo4j", "neo4jctl")
	out, err := exec.Command(ctl, "free-port").Output()
	if err != nil {
		t.Fatalf("neo4jctl free-port: %v", err)
	}
	port, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("neo4jctl free-port printed %q", out)
	}
	in := &Instance{Port: port, Dir: t.TempDir(), ctl: ctl}
	t.Cleanup(func() { _ = in.run("down") })
	return in
}

// URI is the instance's Bolt URI.
func (in *Instance) URI() string { return fmt.Sprintf("bolt://127.0.0.1:%d", in.Port) }

// Start starts the instance and waits until Bolt answers.
func (in *Instance) Start(t testing.TB) time.Duration {
	t.Helper()
	start := time.Now()
	if err := in.run("up"); err != nil {
		t.Fatalf("start Neo4j: %v", err)
	}
	return time.Since(start)
}

// Stop stops the instance cleanly.
func (in *Instance) Stop(t testing.TB) {
	t.Helper()
	if err := in.run("down"); err != nil {
		t.Fatalf("stop Neo4j: %v", err)
	}
}

// Import builds the instance's store with Neo4j's offline importer from the files that
// seed.WriteImportFiles wrote into dir (neo4jctl import); the instance must not run.
func (in *Instance) Import(dir string) error { return in.run("import", dir) }

func (in *Instance) run(cmd string, args ...string) error {
	c := exec.Command(in.ctl, append([]string{cmd}, args...)...)
	c.Env = append(os.Environ(),
		"NEO4J_BOLT_PORT="+strconv.Itoa(in.Port), "NEO4J_DATA_DIR="+in.Dir,
		"NEO4J_HEAP=512m", "NEO4J_PAGECACHE=128m")
	var buf bytes.Buffer
	c.Stdout, c.Stderr = &buf, &buf
	if err := c.Run(); err != nil {
		return fmt.Errorf("neo4jctl %s: %w\n%s", cmd, err, buf.String())
	}
	return nil
}

// RepoRoot finds the directory that holds go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// Count runs a read query that returns one row with an integer column n.
func Count(t testing.TB, s *neo4jstore.Store, query string, params map[string]any) int64 {
	t.Helper()
	n, err := Value(context.Background(), s, query, params, "n")
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	v, _ := n.(int64)
	return v
}

// Value runs, in ctx, a read query that returns one row, and gives that row's column col.
func Value(ctx context.Context, s *neo4jstore.Store, query string, params map[string]any, col string) (any, error) {
	var v any
	err := s.Read(ctx, func(ctx context.Context, tx neo4jstore.Tx) error {
		res, err := tx.Run(ctx, query, params)
		if err != nil {
			return err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return err
		}
		v, _ = rec.Get(col)
		return nil
	})
	return v, err
}

// Emptied migrates the store's database and empties it, now and when the test ends.
func Emptied(t testing.TB, s *neo4jstore.Store) *neo4jstore.Store {
	t.Helper()
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	Reset(t, s)
	t.Cleanup(func() { Reset(t, s) })
	return s
}

// Reset deletes every entity (the schema stays), in batches.
func Reset(t testing.TB, s *neo4jstore.Store) {
	t.Helper()
	for {
		var deleted int64
		err := s.Write(context.Background(), func(ctx context.Context, tx neo4jstore.Tx) error {
			res, err := tx.Run(ctx, `MATCH (n:Entity) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS n`, nil)
			if err != nil {
				return err
			}
			rec, err := res.Single(ctx)
			if err != nil {
				return err
			}
			v, _ := rec.Get("n")
			deleted = v.(int64)
			return nil
		})
		if err != nil {
			t.Fatalf("reset: %v", err)
		}
		if deleted == 0 {
			return
		}
	}
}

// Record writes a measurement to the test log and to test-output/measurements.log (which
// `make test` keeps), since go test shows passing tests' logs only with -v.
func Record(t testing.TB, format string, args ...any) {
	t.Helper()
	line := fmt.Sprintf(format, args...)
	t.Log(line)
	dir := filepath.Join(RepoRoot(t), "test-output")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	f, err := os.OpenFile(filepath.Join(dir, "measurements.log"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "%s %s: %s\n", time.Now().UTC().Format(time.RFC3339), t.Name(), line)
}
