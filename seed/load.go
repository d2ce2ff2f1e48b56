package seed

import (
	"context"
	"fmt"
	"io"
	"time"

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

// Writer is what the loader needs of the store.
type Writer interface {
	UpsertNodes(ctx context.Context, kind graph.NodeKind, rows []neo4jstore.NodeRow) error
	UpsertEdges(ctx context.Context, kind graph.RelKind, rows []neo4jstore.EdgeRow) error
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
	if batch <= 0 {
		batch = 5000
	}
	var st Stats
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
			rows := d.nodes[k]
			for i := 0; i < len(rows); i += batch {
				part := rows[i:min(i+batch, len(rows))]
				if err := w.UpsertNodes(ctx, k, part); err != nil {
					return Stats{}, fmt.Errorf("loading %s nodes: %w", k, err)
				}
				done += len(part)
				report(false)
			}
		}
		for _, k := range d.relKinds() {
			rows := d.edges[k]
			for i := 0; i < len(rows); i += batch {
				part := rows[i:min(i+batch, len(rows))]
				if err := w.UpsertEdges(ctx, k, part); err != nil {
					return Stats{}, fmt.Errorf("loading %s relationships: %w", k, err)
				}
				done += len(part)
				report(false)
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
