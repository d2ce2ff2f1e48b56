package neo4jstore

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/gongjian/gongjian/graph"
)

// statisticsApart is the part of Statistics computed in a statement of its own, at the same time
// as the others, when a request asks for it and for others: counting the members is the
// costliest part (on the city profile about 45 ms of a district's 64 for the benchmark's
// figures), and Neo4j runs one statement on one core, so two statements run on two.
const statisticsApart = graph.StatMembers

// statisticsRecord runs the statistics statement for params and parts, and returns its one row
// (NOT_FOUND when the place does not exist). When the parts asked include statisticsApart and
// others, the same statement text (one plan) runs twice at once, each computing its own parts,
// and the row is the two rows put together: each column from the statement that computed it.
func (s *Store) statisticsRecord(ctx context.Context, placeID string, params map[string]any, parts graph.StatisticsParts) (*neo4j.Record, error) {
	apart, rest := splitStatisticsParts(parts)
	if s.cfg.StatisticsInOneStatement || apart == nil || rest == nil {
		return s.statisticsRow(ctx, placeID, params)
	}
	restParams := maps.Clone(params)
	params = maps.Clone(params)
	params["parts"] = statisticsParams(apart)
	restParams["parts"] = statisticsParams(rest)
	var (
		wg      sync.WaitGroup
		other   *neo4j.Record
		otherEr error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		other, otherEr = s.statisticsRow(ctx, placeID, restParams)
	}()
	rec, err := s.statisticsRow(ctx, placeID, params)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if otherEr != nil {
		return nil, otherEr
	}
	// The row of the rest, with the columns of the part apart taken from its own statement.
	merged := &neo4j.Record{Keys: other.Keys, Values: append([]any(nil), other.Values...)}
	for _, col := range statisticsColumns(statisticsApart) {
		v, _ := rec.Get(col)
		for i, k := range merged.Keys {
			if k == col {
				merged.Values[i] = v
			}
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

// statisticsColumns are the columns of the final RETURN that the part's block gives.
func statisticsColumns(part graph.StatisticsPart) []string {
	var cols []string
	for _, blk := range statBlocks {
		if blk.part != part {
			continue
		}
		for _, c := range strings.Split(blk.out, ",") {
			c = strings.TrimSpace(c)
			if i := strings.LastIndex(c, " AS "); i >= 0 {
				c = c[i+len(" AS "):]
			}
			cols = append(cols, c)
		}
	}
	return cols
}
