package neo4jstore

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"golang.org/x/sync/errgroup"

	"github.com/gongjian/gongjian/graph"
)

// statisticsApart is the part of Statistics computed in a statement of its own, at the same time
// as the others, when a request asks for it and for others: counting the members is the
// costliest part (on the city profile about 45 ms of a district's 64 for the benchmark's
// figures), and Neo4j runs one statement on one core, so two statements run on two.
const statisticsApart = graph.StatMembers

// statisticsRecord runs the statistics statement for params and parts, and returns its one row
// (NOT_FOUND when the place does not exist). When split is set and the parts asked include
// statisticsApart and others, the same statement text (one plan) runs twice at once, each computing its own parts,
// and the row is the two rows put together: each column from the statement that computed it.
func (s *Store) statisticsRecord(ctx context.Context, placeID string, params map[string]any, parts graph.StatisticsParts, split bool) (*neo4j.Record, error) {
	apart, rest := splitStatisticsParts(parts)
	if !split || apart == nil || rest == nil {
		return s.statisticsRow(ctx, placeID, params)
	}
	restParams := maps.Clone(params)
	params = maps.Clone(params)
	params["parts"] = statisticsParams(apart)
	restParams["parts"] = statisticsParams(rest)
	// Either failing (the place missing, the database gone) cancels the other.
	var rec, other *neo4j.Record
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { other, err = s.statisticsRow(gctx, placeID, restParams); return err })
	g.Go(func() (err error) { rec, err = s.statisticsRow(gctx, placeID, params); return err })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	// The row of the rest, with the columns of the part apart taken from its own statement.
	merged := &neo4j.Record{Keys: other.Keys, Values: append([]any(nil), other.Values...)}
	for i, k := range merged.Keys {
		if apartColumns()[k] {
			merged.Values[i], _ = rec.Get(k)
		}
	}
	return merged, nil
}

// statisticsRow runs the statistics statement once and returns its row.
func (s *Store) statisticsRow(ctx context.Context, placeID string, params map[string]any) (*neo4j.Record, error) {
	var rec *neo4j.Record
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, statisticsQuery(), params)
		if err != nil {
			return err
		}
		if !res.Next(ctx) {
			if err := res.Err(); err != nil {
				return err
			}
			return &graph.Error{Code: graph.NotFound, Field: "place", Message: fmt.Sprintf("no place has the id %q", placeID)}
		}
		rec = res.Record()
		return res.Err()
	})
	return rec, err
}

// splitStatisticsParts parts the parts asked into statisticsApart and the rest; either is nil
// when it would hold nothing.
func splitStatisticsParts(parts graph.StatisticsParts) (apart, rest graph.StatisticsParts) {
	if !parts.Has(statisticsApart) {
		return nil, parts
	}
	rest = graph.StatisticsParts{}
	for _, blk := range statBlocks {
		if blk.part != statisticsApart && parts.Has(blk.part) {
			rest[blk.part] = true
		}
	}
	if len(rest) == 0 {
		rest = nil
	}
	return graph.StatisticsParts{statisticsApart: true}, rest
}

// apartColumns are the columns of the final RETURN that statisticsApart's block gives.
var apartColumns = sync.OnceValue(func() map[string]bool {
	cols := map[string]bool{}
	for _, blk := range statBlocks {
		if blk.part != statisticsApart {
			continue
		}
		for _, c := range strings.Split(blk.out, ",") {
			c = strings.TrimSpace(c)
			if i := strings.LastIndex(c, " AS "); i >= 0 {
				c = c[i+len(" AS "):]
			}
			cols[c] = true
		}
	}
	return cols
})
