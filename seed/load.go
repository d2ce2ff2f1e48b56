package seed

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
)

// Profiles lists the data profiles Build knows.
var Profiles = []string{"demo", "city", "province"}

// Build returns the dataset of a profile, generated deterministically from seed.
func Build(profile string, seed uint64) (*Dataset, error) {
	switch profile {
	case "demo":
		d := NewDataset()
		Curated(d)
		Calibrated(d, seed)
		return d, nil
	case "city", "province":
		return nil, graph.Errorf(graph.BadUserInput, "profile %q is generated in chunks: use Open", profile)
	default:
		return nil, graph.Errorf(graph.BadUserInput, "unknown profile %q (known: %v)", profile, Profiles)
	}
}

// Writer is what the loader needs of the store: upserts, and creates for a database that held
// no entity when the load began.
type Writer interface {
	UpsertNodes(ctx context.Context, kind graph.NodeKind, rows []neo4jstore.NodeRow) error
	UpsertEdges(ctx context.Context, kind graph.RelKind, rows []neo4jstore.EdgeRow) error
	CreateNodes(ctx context.Context, kind graph.NodeKind, rows []neo4jstore.NodeRow) error
	CreateEdges(ctx context.Context, kind graph.RelKind, rows []neo4jstore.EdgeRow) error
}

// bulkMarker is a writer told when a load writes past the change feed
// (neo4jstore.Store.MarkBulkWrite).
type bulkMarker interface {
	MarkBulkWrite(ctx context.Context) error
}

// Options say how a load runs.
type Options struct {
	// Batch is the number of rows per transaction (default 5000).
	Batch int
	// Progress, when not nil, receives the progress, a rate and an estimate of the time left.
	Progress io.Writer
	// Fresh says the database held no entity when the load began: rows are then created
	// without looking for them first, Workers transactions at a time (default 3). A fresh
	// load killed midway is finished by an ordinary load, which upserts.
	Fresh   bool
	Workers int
}

// Stats reports a load.
type Stats struct {
	Nodes, Edges int
	Took         time.Duration
}

// Rate is entities (nodes and edges) per second.
func (s Stats) Rate() float64 { return float64(s.Nodes+s.Edges) / s.Took.Seconds() }

// Load writes the dataset in batches (one transaction per batch): nodes first, then edges.
// Every write is an upsert by id, so loading twice changes nothing, and a load killed midway
// and run again ends with exactly the counts of an uninterrupted load. Progress, with a rate
// and an estimate of the time left, goes to progress when it is not nil.
func Load(ctx context.Context, w Writer, d *Dataset, batch int, progress io.Writer) (Stats, error) {
	return LoadSource(ctx, w, &Source{Profile: "dataset", Chunks: 1, chunk: func(int) *Dataset { return d }}, batch, progress)
}

// LoadSource loads a profile chunk by chunk, each as Load does; the time left is estimated
// from the size of the first chunk.
func LoadSource(ctx context.Context, w Writer, src *Source, batch int, progress io.Writer) (Stats, error) {
	return LoadWith(ctx, w, src, Options{Batch: batch, Progress: progress})
}

// LoadWith loads a profile chunk by chunk as the options say: nodes first, then edges, kind
// by kind.
//
// A writer that keeps figures computed from the graph (a bulkMarker) is told before the load
// and after it, whether it succeeded or not, that the graph changed without events.
func LoadWith(ctx context.Context, w Writer, src *Source, o Options) (st Stats, err error) {
	if m, ok := w.(bulkMarker); ok {
		if err := m.MarkBulkWrite(ctx); err != nil {
			return Stats{}, err
		}
		defer func() {
			if merr := m.MarkBulkWrite(context.WithoutCancel(ctx)); merr != nil && err == nil {
				err = merr
			}
		}()
	}
	batch, progress := o.Batch, o.Progress
	if batch <= 0 {
		batch = 5000
	}
	workers := 1
	writeNodes, writeEdges := w.UpsertNodes, w.UpsertEdges
	if o.Fresh {
		workers = max(o.Workers, 1)
		if o.Workers == 0 {
			workers = 3
		}
		writeNodes, writeEdges = w.CreateNodes, w.CreateEdges
	}
	var mu sync.Mutex // guards done and the progress line
	start := time.Now()
	total, done := 0, 0
	report := func(final bool) {
		if progress == nil {
			return
		}
		elapsed := time.Since(start).Seconds()
		rate := float64(done) / max(elapsed, 1e-3)
		left := time.Duration(float64(max(total-done, 0))/max(rate, 1e-3)) * time.Second
		end := "\r"
		if final {
			end = "\n"
		}
		fmt.Fprintf(progress, "\rloaded %d/%d entities (%.0f%%), %.0f/s, about %s left   %s",
			done, total, 100*float64(done)/float64(max(total, 1)), rate, left.Round(time.Second), end)
	}
	for c := range src.Chunks {
		d := src.Chunk(c)
		if c == 0 {
			total = (d.NodeCount() + d.EdgeCount()) * src.Chunks
		}
		for _, k := range d.nodeKinds() {
			if err := inBatches(ctx, d.nodes[k], batch, workers, func(ctx context.Context, part []neo4jstore.NodeRow) error {
				if err := writeNodes(ctx, k, part); err != nil {
					return fmt.Errorf("loading %s nodes: %w", k, err)
				}
				mu.Lock()
				defer mu.Unlock()
				done += len(part)
				report(false)
				return nil
			}); err != nil {
				return Stats{}, err
			}
		}
		for _, k := range d.relKinds() {
			if err := inBatches(ctx, d.edges[k], batch, workers, func(ctx context.Context, part []neo4jstore.EdgeRow) error {
				if err := writeEdges(ctx, k, part); err != nil {
					return fmt.Errorf("loading %s relationships: %w", k, err)
				}
				mu.Lock()
				defer mu.Unlock()
				done += len(part)
				report(false)
				return nil
			}); err != nil {
				return Stats{}, err
			}
		}
		st.Nodes += d.NodeCount()
		st.Edges += d.EdgeCount()
	}
	total = done
	report(true)
	st.Took = time.Since(start)
	return st, nil
}

// inBatches writes rows in batches, up to workers of them at a time, and returns the first
// error (after which no further batch starts).
func inBatches[R any](ctx context.Context, rows []R, batch, workers int, write func(context.Context, []R) error) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i := 0; i < len(rows); i += batch {
		part := rows[i:min(i+batch, len(rows))]
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error { return write(ctx, part) })
	}
	return g.Wait()
}

// Count generates a profile without loading it and returns its node and relationship counts
// per kind.
func Count(src *Source) (nodes map[graph.NodeKind]int, edges map[graph.RelKind]int) {
	nodes, edges = map[graph.NodeKind]int{}, map[graph.RelKind]int{}
	for c := range src.Chunks {
		d := src.Chunk(c)
		for k, n := range d.NodeCounts() {
			nodes[k] += n
		}
		for k, n := range d.EdgeCounts() {
			edges[k] += n
		}
	}
	return nodes, edges
}
