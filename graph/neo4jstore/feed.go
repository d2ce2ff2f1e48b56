package neo4jstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gongjian/gongjian/graph"
)

// Changes returns the events after the cursor, oldest first. A cursor older than the events
// kept is refused: the consumer must bootstrap again from an export. The answer stops before
// any gap in the numbers, so that a reader never skips an event of a commit it sees only in
// part.
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]*graph.ChangeEvent, error) {
	var out []*graph.ChangeEvent
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		out = nil
		res, err := tx.Run(ctx, `MATCH (c:FeedCounter {id: 'feed'})
OPTIONAL CALL (c) {
  MATCH (e:ChangeEvent) WHERE e.seq > $after AND e.seq <= c.seq
  RETURN e ORDER BY e.seq LIMIT $limit
}
RETURN c.floor AS floor, e`, map[string]any{"after": after, "limit": int64(limit)})
		if err != nil {
			return err
		}
		next := after + 1
		for res.Next(ctx) {
			rec := res.Record()
			if floor := integer(rec, "floor"); after < floor {
				return &graph.Error{Code: graph.BadUserInput, Field: "after", Message: fmt.Sprintf(
					"cursor %d is older than the events kept (from %d): bootstrap again from /export", after, floor+1)}
			}
			v, _ := rec.Get("e")
			n, ok := v.(dbtype.Node)
			if !ok {
				continue
			}
			e := toEvent(n)
			if e.Seq != next {
				break
			}
			out = append(out, e)
			next++
		}
		return res.Err()
	})
	return out, err
}

func toEvent(n dbtype.Node) *graph.ChangeEvent {
	e := &graph.ChangeEvent{}
	e.Seq, _ = n.Props["seq"].(int64)
	e.Entity, _ = n.Props["entity"].(string)
	e.Kind, _ = n.Props["kind"].(string)
	e.ID, _ = n.Props["id"].(string)
	e.Op, _ = n.Props["op"].(string)
	e.Actor, _ = n.Props["actor"].(string)
	if at, ok := n.Props["at"].(time.Time); ok {
		e.At = at
	}
	if s, ok := n.Props["changes"].(string); ok {
		_ = json.Unmarshal([]byte(s), &e.Changes)
	}
	return e
}

// PruneChanges deletes the events older than the cutoff (and at most a batch of them) and
// raises the feed's floor: cursors below it are refused.
func (s *Store) PruneChanges(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := s.Write(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		n, err = singleInt(ctx, tx, `MATCH (c:FeedCounter {id: 'feed'})
OPTIONAL CALL () {
  MATCH (e:ChangeEvent) WHERE e.at < $cutoff
  WITH e ORDER BY e.seq LIMIT 10000
  WITH collect(e) AS old
  RETURN old, reduce(m = 0, x IN old | CASE WHEN x.seq > m THEN x.seq ELSE m END) AS top
}
FOREACH (x IN old | DELETE x)
SET c.floor = CASE WHEN top > c.floor THEN top ELSE c.floor END
RETURN size(old) AS n`, map[string]any{"cutoff": cutoff.UTC()})
		return err
	})
	return n, err
}

// FeedHead is the sequence number of the newest event.
func (s *Store) FeedHead(ctx context.Context) (int64, error) {
	var n int64
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		n, err = singleInt(ctx, tx, `MATCH (c:FeedCounter {id: 'feed'}) RETURN c.seq AS n`, nil)
		return err
	})
	return n, err
}

// exportPage is how many nodes an export reads in one transaction.
const exportPage = 2000

// Export streams every node and relationship of the graph for a consumer to bootstrap from.
// It takes its cursor first (the newest event), then reads the graph a page at a time, each
// page in a short read transaction of its own, holding no lock: writers never wait for an
// export, however slowly its reader reads. What it streams may already hold some changes made
// after the cursor; replaying the feed from the cursor sets them again, which changes nothing
// (events carry whole values), so export plus feed ends equal to the database.
func (s *Store) Export(ctx context.Context, cursor func(seq int64) error, node func(*graph.Node) error, rel func(*graph.Relationship) error) error {
	head, err := s.FeedHead(ctx)
	if err != nil {
		return err
	}
	if err := cursor(head); err != nil {
		return err
	}
	for last := ""; ; {
		var page []*graph.Node
		err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
			page = page[:0]
			res, err := tx.Run(ctx, `MATCH (n:Entity) WHERE n.id > $after RETURN n ORDER BY n.id LIMIT $limit`,
				map[string]any{"after": last, "limit": exportPage})
			if err != nil {
				return err
			}
			for res.Next(ctx) {
				v, _ := res.Record().Get("n")
				page = append(page, toNode(v.(dbtype.Node)))
			}
			return res.Err()
		})
		if err != nil {
			return err
		}
		for _, n := range page {
			if err := node(n); err != nil {
				return err
			}
		}
		if len(page) < exportPage {
			break
		}
		last = page[len(page)-1].ID
	}
	// Relationships, by their start nodes a page at a time.
	for last := ""; ; {
		var rels []*graph.Relationship
		var starts int64
		var top string
		err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
			rels = rels[:0]
			res, err := tx.Run(ctx, `MATCH (a:Entity) WHERE a.id > $after
WITH a ORDER BY a.id LIMIT $limit
WITH collect(a) AS page
RETURN size(page) AS starts, page[-1].id AS top,
       [a IN page | [(a)-[r]->(b:Entity) | {r: r, from: a.id, to: b.id}]] AS rels`,
				map[string]any{"after": last, "limit": exportPage})
			if err != nil {
				return err
			}
			rec, err := res.Single(ctx)
			if err != nil {
				return err
			}
			starts, top = integer(rec, "starts"), str(rec, "top")
			v, _ := rec.Get("rels")
			lists, _ := v.([]any)
			for _, l := range lists {
				for _, x := range l.([]any) {
					m := x.(map[string]any)
					from, _ := m["from"].(string)
					to, _ := m["to"].(string)
					rels = append(rels, toRelationship(m["r"].(dbtype.Relationship), from, to))
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, r := range rels {
			if err := rel(r); err != nil {
				return err
			}
		}
		if starts < exportPage {
			return nil
		}
		last = top
	}
}
