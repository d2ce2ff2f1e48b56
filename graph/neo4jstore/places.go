package neo4jstore

import (
	"context"
)

// SubtreeSizes counts, for every place, the places in its subtree (itself included), from the
// PART_OF relationships read in one statement. The server prices the aggregates by it.
func (s *Store) SubtreeSizes(ctx context.Context) (map[string]int, error) {
	parents := map[string][]string{}
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, `MATCH (c:Place) OPTIONAL MATCH (c)-[:PART_OF]->(p:Place) RETURN c.id AS child, p.id AS parent`, nil)
		if err != nil {
			return err
		}
		for res.Next(ctx) {
			rec := res.Record()
			child := str(rec, "child")
			if _, ok := parents[child]; !ok {
				parents[child] = nil
			}
			if p := str(rec, "parent"); p != "" {
				parents[child] = append(parents[child], p)
			}
		}
		return res.Err()
	})
	if err != nil {
		return nil, err
	}
	sizes := make(map[string]int, len(parents))
	for child := range parents {
		// Each place counts once in itself and in every place above it.
		seen := map[string]bool{}
		stack := []string{child}
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[x] {
				continue
			}
			seen[x] = true
			sizes[x]++
			stack = append(stack, parents[x]...)
		}
	}
	return sizes, nil
}
