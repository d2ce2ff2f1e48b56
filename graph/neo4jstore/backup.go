package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gongjian/gongjian/graph"
)

// BackupFormat names the backup format, in every backup's header.
const BackupFormat = "gongjian-backup/1"

// BackupRecord is one line of a backup: a header, then nodes, relationships, API keys and the
// change feed's commits, then the counts.
type BackupRecord struct {
	Header    *BackupHeader  `json:"header,omitempty"`
	Node      *BackupNode    `json:"node,omitempty"`
	Rel       *BackupRel     `json:"rel,omitempty"`
	APIKey    map[string]any `json:"apiKey,omitempty"`
	ChangeSet map[string]any `json:"changeSet,omitempty"`
	End       *BackupCounts  `json:"end,omitempty"`
}

// BackupHeader says what the backup holds: its format, the schema version of the database it
// was taken from, when, and the change feed's counter (its sequence is the backup's cursor).
type BackupHeader struct {
	Format        string         `json:"format"`
	SchemaVersion int            `json:"schemaVersion"`
	TakenAt       time.Time      `json:"takenAt"`
	Feed          map[string]any `json:"feed"`
}

// BackupNode is a node: its kind (its label besides Entity) and its properties.
type BackupNode struct {
	Kind  graph.NodeKind `json:"kind"`
	Props map[string]any `json:"props"`
}

// BackupRel is a relationship between two nodes given by id.
type BackupRel struct {
	Kind  graph.RelKind  `json:"kind"`
	From  string         `json:"from"`
	To    string         `json:"to"`
	Props map[string]any `json:"props"`
}

// BackupCounts are what a backup holds, for a restore to check against.
type BackupCounts struct {
	Nodes         int   `json:"nodes"`
	Relationships int   `json:"relationships"`
	APIKeys       int   `json:"apiKeys"`
	ChangeSets    int   `json:"changeSets"`
	FeedSeq       int64 `json:"feedSeq"`
}

// Backup writes a consistent copy of the database to emit: every entity, relationship, API
// key and change-feed commit, with the feed's counter. It reads in one transaction that
// first takes the feed counter's lock, which every write that changes anything needs to
// commit: writers wait while it runs (seconds on the demo data), and the copy is exactly
// the database at the counter's sequence. begin is called before each attempt (the driver
// may retry), so that the destination can start over.
func (s *Store) Backup(ctx context.Context, begin func() error, emit func(BackupRecord) error) (BackupCounts, error) {
	var counts BackupCounts
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeWrite, DatabaseName: s.cfg.Database, BookmarkManager: s.bookmarks})
	defer session.Close(context.WithoutCancel(ctx))
	_, err := session.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		counts = BackupCounts{}
		if err := begin(); err != nil {
			return nil, err
		}
		// The lock first, without writing anything a writer might have changed since it was
		// read (SET c.seq = c.seq would write back a stale sequence); the counter is read
		// after, by a statement of its own, when no writer can change it any more.
		if _, err := tx.Run(ctx, `MATCH (c:FeedCounter {id: 'feed'}) SET c.backupLock = true REMOVE c.backupLock`, nil); err != nil {
			return nil, err
		}
		res, err := tx.Run(ctx, `MATCH (c:FeedCounter {id: 'feed'})
OPTIONAL MATCH (m:SchemaMigration)
RETURN properties(c) AS feed, max(m.version) AS version`, nil)
		if err != nil {
			return nil, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return nil, err
		}
		feedV, _ := rec.Get("feed")
		feed, _ := feedV.(map[string]any)
		counts.FeedSeq, _ = feed["seq"].(int64)
		if err := emit(BackupRecord{Header: &BackupHeader{Format: BackupFormat, SchemaVersion: int(integer(rec, "version")),
			TakenAt: time.Now().UTC(), Feed: backupProps(feed)}}); err != nil {
			return nil, err
		}
		stream := func(cypher string, each func(*neo4j.Record) error) error {
			res, err := tx.Run(ctx, cypher, nil)
			if err != nil {
				return err
			}
			for res.Next(ctx) {
				if err := each(res.Record()); err != nil {
					return err
				}
			}
			return res.Err()
		}
		if err := stream(`MATCH (n:Entity) RETURN n`, func(r *neo4j.Record) error {
			v, _ := r.Get("n")
			n := v.(dbtype.Node)
			kind := graph.NodeKind("")
			for _, l := range n.Labels {
				if l != "Entity" {
					if kind != "" || !graph.NodeKind(l).Valid() {
						return fmt.Errorf("node %v has labels %v: a backup keeps Entity and one kind", n.Props["id"], n.Labels)
					}
					kind = graph.NodeKind(l)
				}
			}
			counts.Nodes++
			return emit(BackupRecord{Node: &BackupNode{Kind: kind, Props: backupProps(n.Props)}})
		}); err != nil {
			return nil, err
		}
		if err := stream(`MATCH (a:Entity)-[r]->(b:Entity) RETURN type(r) AS kind, a.id AS from, b.id AS to, properties(r) AS props`, func(r *neo4j.Record) error {
			props, _ := r.Get("props")
			counts.Relationships++
			return emit(BackupRecord{Rel: &BackupRel{Kind: graph.RelKind(str(r, "kind")), From: str(r, "from"), To: str(r, "to"),
				Props: backupProps(props.(map[string]any))}})
		}); err != nil {
			return nil, err
		}
		if err := stream(`MATCH (k:ApiKey) RETURN properties(k) AS props`, func(r *neo4j.Record) error {
			props, _ := r.Get("props")
			counts.APIKeys++
			return emit(BackupRecord{APIKey: backupProps(props.(map[string]any))})
		}); err != nil {
			return nil, err
		}
		if err := stream(`MATCH (c:ChangeSet) RETURN properties(c) AS props ORDER BY c.first`, func(r *neo4j.Record) error {
			props, _ := r.Get("props")
			counts.ChangeSets++
			return emit(BackupRecord{ChangeSet: backupProps(props.(map[string]any))})
		}); err != nil {
			return nil, err
		}
		return nil, emit(BackupRecord{End: &counts})
	}, neo4j.WithTxTimeout(s.cfg.QueryTimeout))
	return counts, classify(err)
}

// restoreBatch is how many records a restore writes per transaction.
const restoreBatch = 5000

// Restore loads a backup, record by record from next (false at its end), into a database
// that holds no entity, API key or change-feed commit yet (EnsureSchema first), and sets the
// feed's counter to the backup's: consumers continue from their cursors. The backup's
// counts are checked at its end; a backup cut short, or of another schema version, is
// refused (what was written of it stays: restore into an empty database again).
func (s *Store) Restore(ctx context.Context, next func() (BackupRecord, bool, error)) (BackupCounts, error) {
	var got BackupCounts
	held, err := singleRead(ctx, s, `OPTIONAL MATCH (n:Entity) WITH count(n) AS n
OPTIONAL MATCH (k:ApiKey) WITH n, count(k) AS k
OPTIONAL MATCH (c:ChangeSet) WITH n, k, count(c) AS c RETURN n + k + c AS n`)
	if err != nil {
		return got, err
	}
	if held > 0 {
		return got, graph.Errorf(graph.Conflict, "the database is not empty (%d entities, keys and feed commits): restore into an empty one", held)
	}
	rec, ok, err := next()
	if err != nil {
		return got, err
	}
	if !ok || rec.Header == nil || rec.Header.Format != BackupFormat {
		return got, graph.Errorf(graph.BadUserInput, "not a %s file: it does not begin with its header", BackupFormat)
	}
	if v := SchemaVersion(); rec.Header.SchemaVersion != v {
		return got, graph.Errorf(graph.BadUserInput, "the backup is of schema version %d, this build's is %d", rec.Header.SchemaVersion, v)
	}
	// A new epoch once the header is accepted, before the first write (as at the end): no
	// statistics kept from before the restore are served while it writes (aggregates.go).
	if err := s.MarkBulkWrite(ctx); err != nil {
		return got, err
	}
	header := rec.Header
	w := &restoreWriter{s: s, nodes: map[graph.NodeKind][]NodeRow{}, rels: map[graph.RelKind][]map[string]any{}}
	for {
		rec, ok, err := next()
		if err != nil {
			return got, err
		}
		if !ok {
			return got, graph.Errorf(graph.BadUserInput, "the backup ends before its counts: it was cut short")
		}
		switch {
		case rec.Node != nil:
			got.Nodes++
			err = w.node(ctx, rec.Node)
		case rec.Rel != nil:
			got.Relationships++
			err = w.rel(ctx, rec.Rel)
		case rec.APIKey != nil:
			got.APIKeys++
			err = w.other(ctx, "ApiKey", rec.APIKey)
		case rec.ChangeSet != nil:
			got.ChangeSets++
			err = w.other(ctx, "ChangeSet", rec.ChangeSet)
		case rec.End != nil:
			if err := w.flush(ctx); err != nil {
				return got, err
			}
			got.FeedSeq = rec.End.FeedSeq
			if got != *rec.End {
				return got, graph.Errorf(graph.BadUserInput, "the backup holds %+v, its counts say %+v", got, *rec.End)
			}
			feed, err := restoreProps(header.Feed)
			if err != nil {
				return got, err
			}
			return got, s.Write(ctx, func(ctx context.Context, tx Tx) error {
				// A new epoch: no statistics kept from before the restore are served (aggregates.go).
				_, err := tx.Run(ctx, `MATCH (c:FeedCounter {id: 'feed'}) SET c += $feed SET c.epoch = randomUUID()`, map[string]any{"feed": feed})
				return err
			})
		}
		if err != nil {
			return got, err
		}
	}
}

// restoreWriter batches a restore's records.
type restoreWriter struct {
	s      *Store
	nodes  map[graph.NodeKind][]NodeRow
	rels   map[graph.RelKind][]map[string]any
	others []struct {
		label string
		props map[string]any
	}
	pending int
}

func (w *restoreWriter) node(ctx context.Context, n *BackupNode) error {
	if len(w.rels) > 0 {
		return graph.Errorf(graph.BadUserInput, "a node after the relationships: the backup is out of order")
	}
	props, err := restoreProps(n.Props)
	if err != nil {
		return err
	}
	id, _ := props["id"].(string)
	w.nodes[n.Kind] = append(w.nodes[n.Kind], NodeRow{ID: id, Props: props})
	return w.tick(ctx)
}

func (w *restoreWriter) rel(ctx context.Context, r *BackupRel) error {
	if !r.Kind.Valid() {
		return graph.Errorf(graph.BadUserInput, "unknown relationship kind %q", r.Kind)
	}
	if len(w.nodes) > 0 { // every node first
		if err := w.flush(ctx); err != nil {
			return err
		}
	}
	props, err := restoreProps(r.Props)
	if err != nil {
		return err
	}
	w.rels[r.Kind] = append(w.rels[r.Kind], map[string]any{"from": r.From, "to": r.To, "props": props})
	return w.tick(ctx)
}

func (w *restoreWriter) other(ctx context.Context, label string, raw map[string]any) error {
	props, err := restoreProps(raw)
	if err != nil {
		return err
	}
	w.others = append(w.others, struct {
		label string
		props map[string]any
	}{label, props})
	return w.tick(ctx)
}

func (w *restoreWriter) tick(ctx context.Context) error {
	if w.pending++; w.pending >= restoreBatch {
		return w.flush(ctx)
	}
	return nil
}

// flush writes what is batched: nodes (created: the database was empty), relationships
// exactly as they were (no key added), then keys and feed commits.
func (w *restoreWriter) flush(ctx context.Context) error {
	for _, k := range sortedKeys(w.nodes) {
		if err := w.s.CreateNodes(ctx, k, w.nodes[k]); err != nil {
			return err
		}
	}
	for _, k := range sortedKeys(w.rels) {
		rows := w.rels[k]
		// The type comes from the allow-list checked when the record was read.
		query := fmt.Sprintf(`UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
CREATE (a)-[r:%s]->(b)
SET r = row.props
RETURN count(r) AS n`, k)
		err := w.s.Write(ctx, func(ctx context.Context, tx Tx) error {
			n, err := singleInt(ctx, tx, query, map[string]any{"rows": rows})
			if err == nil && n != int64(len(rows)) {
				return graph.Errorf(graph.BadUserInput, "%d %s relationships of the backup name nodes it does not hold", int64(len(rows))-n, k)
			}
			return err
		})
		if err != nil {
			return err
		}
	}
	for _, label := range []string{"ApiKey", "ChangeSet"} {
		var rows []map[string]any
		for _, o := range w.others {
			if o.label == label {
				rows = append(rows, o.props)
			}
		}
		if len(rows) == 0 {
			continue
		}
		query := fmt.Sprintf(`UNWIND $rows AS row CREATE (x:%s) SET x = row`, label) // label: one of the two above
		if err := w.s.Write(ctx, func(ctx context.Context, tx Tx) error {
			_, err := tx.Run(ctx, query, map[string]any{"rows": rows})
			return err
		}); err != nil {
			return err
		}
	}
	clear(w.nodes)
	clear(w.rels)
	w.others, w.pending = nil, 0
	return nil
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// singleRead runs a statement that returns one integer column n.
func singleRead(ctx context.Context, s *Store, cypher string) (int64, error) {
	var n int64
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		n, err = singleInt(ctx, tx, cypher, nil)
		return err
	})
	return n, err
}
