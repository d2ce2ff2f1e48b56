package neo4jstore

import (
	"context"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gongjian/gongjian/graph"
)

// childCoverageQuery is the one statement of CoverageByChild: for each place directly under w,
// its communities and villages that stand on $asOf and how many of them units cover directly
// and indirectly, counted as statisticsQuery counts them for w (so that the children add up to
// w's own figures). Children without communities or villages (a community's grids, a street
// merged away) are left out: they have no rate.
func childCoverageQuery() string {
	return heldMark.ReplaceAllStringFunc(`MATCH (w:Place {id: $within})<-[:PART_OF]-(ch:Place)
CALL (ch) {
  MATCH (c:Place)-[:PART_OF*0..]->(ch) WHERE c.kind IN ['COMMUNITY', 'VILLAGE'] AND `+standing("c")+`
  WITH DISTINCT c
  CALL (c) {
    CALL (c) { `+strings.ReplaceAll(coverageUnion, "RETURN u, c,", "RETURN u,")+` }
    WITH u, kind, level, ns, rs WHERE `+heldOn+`
    RETURN collect(DISTINCT level) AS levels
  }
  RETURN count(c) AS communities,
         sum(CASE WHEN 'DIRECT' IN levels THEN 1 ELSE 0 END) AS direct,
         sum(CASE WHEN 'INDIRECT' IN levels THEN 1 ELSE 0 END) AS indirect
}
WITH ch, communities, direct, indirect WHERE communities > 0
RETURN ch, communities, direct, indirect ORDER BY ch.name, ch.id`, func(m string) string { return held(m[5 : len(m)-1]) })
}

// CoverageByChild gives, for each place directly under a place, the coverage of its communities
// and villages at each level as of a date (today when asOf is nil), in one statement.
func (s *Store) CoverageByChild(ctx context.Context, placeID string, asOf *graph.Date) ([]*graph.ChildCoverage, error) {
	on := graph.Today()
	if asOf != nil {
		on = *asOf
	}
	var out []*graph.ChildCoverage
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, childCoverageQuery(), map[string]any{"within": placeID, "asOf": dbtype.Date(on.Time)})
		if err != nil {
			return err
		}
		for res.Next(ctx) {
			rec := res.Record()
			ch, _ := rec.Get("ch")
			out = append(out, &graph.ChildCoverage{PlaceNode: toNode(ch.(dbtype.Node)), Communities: int(integer(rec, "communities")),
				CoveredDirect: int(integer(rec, "direct")), CoveredIndirect: int(integer(rec, "indirect"))})
		}
		return res.Err()
	})
	return out, err
}
