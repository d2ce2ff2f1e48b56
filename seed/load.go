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
var Profiles = []string{"demo"}

// Build returns the dataset of a profile, generated deterministically from seed.
func Build(profile string, seed uint64) (*Dataset, error) {
	switch profile {
	case "demo":
		d := NewDataset()
		Curated(d)
		Calibrated(d, seed)
		return d, nil
	case "city", "province":
		return nil, graph.Errorf(graph.BadUserInput, "profile %q is not implemented yet", profile)
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
	if batch <= 0 {
		batch = 5000
	}
	total := d.NodeCount() + d.EdgeCount()
	start := time.Now()
	done := 0
	report := func(final bool) {
		if progress == nil {
			return
		}
		elapsed := time.Since(start).Seconds()
		rate := float64(done) / max(elapsed, 1e-3)
		left := time.Duration(float64(total-done)/max(rate, 1e-3)) * time.Second
		end := "\r"
		if final {
			end = "\n"
		}
		fmt.Fprintf(progress, "\rloaded %d/%d entities (%.0f%%), %.0f/s, about %s left   %s",
			done, total, 100*float64(done)/float64(max(total, 1)), rate, left.Round(time.Second), end)
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
	report(true)
	return Stats{Nodes: d.NodeCount(), Edges: d.EdgeCount(), Took: time.Since(start)}, nil
}
