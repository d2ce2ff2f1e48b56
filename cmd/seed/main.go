// Command seed loads a data profile into Neo4j: `seed -profile demo`. Run it with -h for its
// settings. Loading is idempotent: running it twice changes nothing.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/seed"
)

func main() {
	fs := flag.NewFlagSet("seed", flag.ExitOnError)
	profile := fs.String("profile", "demo", fmt.Sprintf("data profile: %v", seed.Profiles))
	seedValue := fs.Uint64("seed", 1, "random seed of the generated data (same seed, same data)")
	batch := fs.Int("batch", 5000, "rows per transaction")
	upsert := fs.Bool("upsert", false, "upsert every row even into an empty database (as a resumed load does)")
	workers := fs.Int("workers", 3, "transactions at a time when loading into an empty database")
	ifEmpty := fs.Bool("if-empty", false, "load only when the database holds no entity yet")
	importFiles := fs.String("import-files", "", "write the profile as the CSV files of Neo4j's offline importer into this directory, for `neo4j/neo4jctl import DIR` (no database is touched)")
	countOnly := fs.Bool("count", false, "generate the profile and print its node and relationship counts per kind, without loading it")
	uri := fs.String("neo4j-uri", envOr("NEO4J_URI", "bolt://127.0.0.1:7687"), "Neo4j URI (NEO4J_URI)")
	database := fs.String("neo4j-database", envOr("NEO4J_DATABASE", "neo4j"), "Neo4j database (NEO4J_DATABASE)")
	_ = fs.Parse(os.Args[1:])

	src, err := seed.Open(*profile, *seedValue)
	if err != nil {
		fail(err)
	}
	if *countOnly {
		printCounts(src)
		return
	}
	if *importFiles != "" {
		st, err := seed.WriteImportFiles(src, *importFiles)
		if err != nil {
			fail(err)
		}
		fmt.Fprintf(os.Stderr, "seed: wrote profile %s for the offline importer: %d nodes, %d relationships in %s, into %s\n",
			*profile, st.Nodes, st.Edges, st.Took.Round(1e6), *importFiles)
		return
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	store, err := neo4jstore.Open(neo4jstore.Config{URI: *uri, Database: *database,
		User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD")}, log)
	if err != nil {
		fail(err)
	}
	defer store.Close(context.Background())
	// Migrate, not EnsureSchema: the server plans its write statements when it starts, and
	// planning them here would take a core from the index population of an imported store.
	if _, err := store.Migrate(ctx); err != nil {
		fail(err)
	}
	held, err := store.EntityCount(ctx)
	if err != nil {
		fail(err)
	}
	if *ifEmpty && held > 0 {
		// A store built by the offline importer gets its indexes from Migrate: seed
		// returns once they are online, so the database is ready for its questions.
		if err := store.AwaitIndexes(ctx); err != nil {
			fail(err)
		}
		fmt.Fprintf(os.Stderr, "seed: the database already holds %d entities; nothing loaded\n", held)
		return
	}
	var progress *os.File
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		progress = os.Stderr
	}
	// Into an empty database the rows are created, several batches at a time; otherwise each
	// is upserted (which also finishes a fresh load that was killed midway).
	st, err := seed.LoadWith(ctx, store, src, seed.Options{Batch: *batch, Progress: writerOrNil(progress), Fresh: held == 0 && !*upsert, Workers: *workers})
	if err != nil {
		fail(err)
	}
	fmt.Fprintf(os.Stderr, "seed: loaded profile %s: %d nodes, %d relationships in %s (%.0f entities/s)\n",
		*profile, st.Nodes, st.Edges, st.Took.Round(1e6), st.Rate())
}

// printCounts prints a profile's counts per kind, and the totals.
func printCounts(src *seed.Source) {
	nodes, edges := seed.Count(src)
	tn, te := 0, 0
	for _, k := range graph.NodeKinds {
		fmt.Printf("%-16s %10d\n", k, nodes[k])
		tn += nodes[k]
	}
	for _, k := range graph.RelKinds {
		fmt.Printf("%-16s %10d\n", k, edges[k])
		te += edges[k]
	}
	fmt.Printf("profile %s: %d nodes, %d relationships\n", src.Profile, tn, te)
}

func writerOrNil(f *os.File) interface{ Write([]byte) (int, error) } {
	if f == nil {
		return nil
	}
	return f
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "seed:", err)
	os.Exit(1)
}
