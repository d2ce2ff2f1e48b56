package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"time"

	// The feed writes and reads a JSON document per event; go-json does it with less work.
	json "github.com/goccy/go-json"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gongjian/gongjian/graph"
)

// storedEvent is an event as a ChangeSet keeps it: one JSON string each, the set's time for all.
type storedEvent struct {
	Seq     int64           `json:"seq"`
	Entity  string          `json:"entity"`
	Kind    string          `json:"kind"`
	ID      string          `json:"id"`
	Op      string          `json:"op"`
	Actor   string          `json:"actor"`
	Changes []*graph.Change `json:"changes"`
	Source  string          `json:"source,omitempty"`
}

// encodeEvents writes a commit's events for its ChangeSet.
func encodeEvents(events []*graph.ChangeEvent) ([]string, error) {
	out := make([]string, len(events))
	for i, e := range events {
		b, err := json.Marshal(storedEvent{e.Seq, e.Entity, e.Kind, e.ID, e.Op, e.Actor, e.Changes, e.Source})
		if err != nil {
			return nil, err
		}
		out[i] = string(b)
	}
	return out, nil
}

// Changes returns the events after the cursor, oldest first; a negative cursor is the oldest
// event kept. A cursor older than the events kept is refused: the consumer must bootstrap again
// from an export. The answer stops before
// any gap in the numbers, so that a reader never skips an event of a commit it sees only in
// part.
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]*graph.ChangeEvent, error) {
	var out []*graph.ChangeEvent
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		out = nil
		if after < 0 {
			floor, err := singleInt(ctx, tx, `MATCH (c:FeedCounter {id: 'feed'}) RETURN c.floor AS n`, nil)
			if err != nil {
				return err
			}
			after = floor
		}
		// The set that holds the event after the cursor, then the sets up to the limit's event:
		// both are bounded index ranges, however many events the sets hold.
		res, err := tx.Run(ctx, `MATCH (c:FeedCounter {id: 'feed'})
OPTIONAL CALL (c) {
  MATCH (s0:ChangeSet) WHERE s0.last > $after AND s0.last <= c.seq
  WITH s0 ORDER BY s0.last LIMIT 1
  MATCH (s:ChangeSet) WHERE s.first >= s0.first AND s.first <= $after + $limit AND s.last <= c.seq
  RETURN s ORDER BY s.first
}
RETURN c.floor AS floor, s.at AS at, s.events AS events`, map[string]any{"after": after, "limit": int64(limit)})
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
			v, _ := rec.Get("events")
			atv, _ := rec.Get("at")
			at, _ := atv.(time.Time)
			for _, raw := range graph.StringList(v) {
				var e storedEvent
				if err := json.Unmarshal([]byte(raw), &e); err != nil {
					return err
				}
				if e.Seq < next {
					continue
				}
				if e.Seq != next || len(out) == limit {
					return nil
				}
				out = append(out, &graph.ChangeEvent{Seq: e.Seq, Entity: e.Entity, Kind: e.Kind, ID: e.ID, Op: e.Op, Actor: e.Actor, Changes: e.Changes, At: at,
					Source: e.Source})
				next++
			}
		}
		return res.Err()
	})
	return out, err
}

// PruneChanges deletes the commits' events older than the cutoff (at most a batch of them) and
// raises the feed's floor: cursors below it are refused. It returns how many events it deleted.
func (s *Store) PruneChanges(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := s.Write(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		n, err = singleInt(ctx, tx, `MATCH (c:FeedCounter {id: 'feed'})
OPTIONAL CALL () {
  MATCH (s:ChangeSet) WHERE s.at < $cutoff
  WITH s ORDER BY s.last LIMIT 1000
  WITH collect(s) AS old
  RETURN old, reduce(m = 0, x IN old | CASE WHEN x.last > m THEN x.last ELSE m END) AS top,
         reduce(k = 0, x IN old | k + size(x.events)) AS events
}
FOREACH (x IN old | DELETE x)
SET c.floor = CASE WHEN top > c.floor THEN top ELSE c.floor END
RETURN events AS n`, map[string]any{"cutoff": cutoff.UTC()})
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

// Export streams every node and relationship of the graph for a consumer to bootstrap from;
// with systems (not nil), only the records of those systems and the relationships from them.
// It takes its cursor first (the newest event), then reads the graph a page at a time, each
// page in a short read transaction of its own, holding no lock: writers never wait for an
// export, however slowly its reader reads. What it streams may already hold some changes made
// after the cursor; replaying the feed from the cursor sets them again, which changes nothing
// (events carry whole values), so export plus feed ends equal to the database.
func (s *Store) Export(ctx context.Context, systems []string, cursor func(seq int64) error, node func(*graph.Node) error, rel func(*graph.Relationship) error) error {
	var sources []string // nil: every record
	if systems != nil {
		sources = make([]string, len(systems))
		for i, sys := range systems {
			sources[i] = "system:" + sys
		}
	}
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
			// The page is filtered by source below: the statement walks the id index in order.
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
			if src, _ := n.Props["source"].(string); sources != nil && !slices.Contains(sources, src) {
				continue
			}
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
       [a IN page WHERE $all OR a.source IN $sources | [(a)-[r]->(b:Entity) | {r: r, from: a.id, to: b.id}]] AS rels`,
				map[string]any{"after": last, "limit": exportPage, "all": sources == nil, "sources": nonNil(sources)})
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
