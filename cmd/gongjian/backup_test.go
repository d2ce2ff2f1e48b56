package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
	"github.com/gongjian/gongjian/seed"
)

// fingerprint lists everything a backup must keep, in a stable order: each node with its
// labels and typed properties, each relationship with its ends, type and properties, the API
// keys, the feed's commits and its counter.
func fingerprint(t *testing.T, uri string) []string {
	t.Helper()
	ctx := context.Background()
	d, err := neo4j.NewDriverWithContext(uri, neo4j.NoAuth())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(ctx)
	var out []string
	for _, q := range []string{
		`MATCH (n:Entity) RETURN n.id AS k, labels(n) AS l, properties(n) AS p`,
		`MATCH (a:Entity)-[r]->(b:Entity) RETURN a.id + ' ' + type(r) + ' ' + b.id AS k, null AS l, properties(r) AS p`,
		`MATCH (k:ApiKey) RETURN k.name AS k, null AS l, properties(k) AS p`,
		`MATCH (c:ChangeSet) RETURN toString(c.first) AS k, null AS l, properties(c) AS p`,
		`MATCH (c:FeedCounter) RETURN c.id AS k, null AS l, properties(c) AS p`,
	} {
		res, err := neo4j.ExecuteQuery(ctx, d, q, nil, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Records {
			k, _ := r.Get("k")
			l, _ := r.Get("l")
			p, _ := r.Get("p")
			typed := map[string]string{}
			for name, v := range p.(map[string]any) {
				typed[name] = fmt.Sprintf("%T %v", v, v)
			}
			b, _ := json.Marshal(typed)
			out = append(out, fmt.Sprintf("%v %v %s", k, l, b))
		}
	}
	sort.Strings(out)
	return out
}

// A backup taken while a writer keeps changing one node, restored into an empty Neo4j, gives
// back exactly the database at the backup's feed position: the same nodes, relationships,
// typed properties, keys, feed commits and counter; the writer's node holds the value of the
// backup's last event; the feed answers the same events after a cursor.
func TestBackupWhileWritingThenRestore(t *testing.T) {
	ctx := context.Background()
	uri := storetest.URI(t)
	store := storetest.Open(t, uri)
	if err := store.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
	storetest.Reset(t, store)
	d, err := seed.Build("demo", 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(ctx, store, d, 5000, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateKey(ctx, neo4jstore.APIKey{Name: fmt.Sprintf("backup-test-%d", time.Now().UnixNano()), Role: graph.RoleIntegrator, Systems: []string{"hr"}}); err != nil {
		t.Fatal(err)
	}
	const id = "unit:backup:writer"
	write := func(n int) (int64, error) {
		events, err := store.Apply(ctx, "admin", []graph.Operation{{Op: graph.OpUpsertNode, NodeKind: graph.KindUnit, ID: id,
			Props: map[string]any{"name": fmt.Sprintf("写入单位 %d", n), "kind": "SCHOOL", "since": "2020-01-01", "share": 0.5}}})
		if err != nil || len(events) == 0 {
			return 0, err
		}
		return events[len(events)-1].Seq, nil
	}
	if _, err := write(0); err != nil {
		t.Fatal(err)
	}

	// The writer runs through the backup.
	var mu sync.Mutex
	names := map[int64]string{} // the name each event set
	stop := make(chan struct{})
	var wrote atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for n := 1; ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			seq, err := write(n)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			names[seq] = fmt.Sprintf("写入单位 %d", n)
			mu.Unlock()
			wrote.Add(1)
		}
	}()
	for wrote.Load() < 3 {
		time.Sleep(10 * time.Millisecond) // let the writer get going
	}
	file := filepath.Join(t.TempDir(), "demo.ndjson.gz")
	var stderr bytes.Buffer
	env := func(k string) string { return map[string]string{"NEO4J_URI": uri}[k] }
	during := wrote.Load()
	if err := runBackup(ctx, []string{"-o", file}, env, &stderr); err != nil {
		t.Fatal(err)
	}
	during = wrote.Load() - during
	close(stop)
	wg.Wait()
	storetest.Record(t, "%s (the writer committed %d writes from the backup's start to its end)", strings.TrimSpace(stderr.String()), during)

	// What the backup says of itself.
	header := readHeader(t, file)
	seq, _ := header.Feed["seq"].(json.Number).Int64()

	// Restore into a fresh Neo4j.
	other := storetest.NewInstance(t)
	other.Start(t)
	stderr.Reset()
	if err := runRestore(ctx, []string{"-neo4j-uri", other.URI(), file}, func(string) string { return "" }, &stderr); err != nil {
		t.Fatal(err)
	}
	storetest.Record(t, "%s", strings.TrimSpace(stderr.String()))

	restored := fingerprint(t, other.URI())
	if len(restored) < d.NodeCount()+d.EdgeCount() {
		t.Fatalf("%d records restored, the demo alone has %d", len(restored), d.NodeCount()+d.EdgeCount())
	}
	rs := storetest.Open(t, other.URI())
	head, err := rs.FeedHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if head != seq {
		t.Fatalf("the restored feed is at %d, the backup's at %d", head, seq)
	}
	// The writer's node holds what the backup's last event set: the copy is of one moment.
	mu.Lock()
	want, ok := names[seq]
	mu.Unlock()
	if !ok {
		t.Fatalf("the backup's feed is at %d, which is no event of the writer's", seq)
	}
	if got := storetest.Count(t, rs, `MATCH (u:Unit {id: $id}) WHERE u.name = $name RETURN count(u) AS n`, map[string]any{"id": id, "name": want}); got != 1 {
		t.Fatalf("the restored writer's node does not hold %q, which event %d set", want, seq)
	}
	// The same events after a cursor, from both.
	a, err := store.Changes(ctx, seq-5, 5)
	if err != nil {
		t.Fatal(err)
	}
	b, err := rs.Changes(ctx, seq-5, 5)
	if err != nil {
		t.Fatal(err)
	}
	if ja, jb := mustJSON(a), mustJSON(b); ja != jb {
		t.Fatalf("the feeds differ after %d:\n%s\n%s", seq-5, ja, jb)
	}

	// A backup of the restored database holds exactly the records of the one it came from.
	file2 := filepath.Join(t.TempDir(), "again.ndjson.gz")
	if err := runBackup(ctx, []string{"-o", file2}, func(k string) string { return map[string]string{"NEO4J_URI": other.URI()}[k] }, &stderr); err != nil {
		t.Fatal(err)
	}
	if r1, r2 := records(t, file), records(t, file2); !slices.Equal(r1, r2) {
		t.Fatalf("a backup of the restored database differs from the backup it came from (%d and %d records)", len(r1), len(r2))
	}

	// Restoring into a database that holds data is refused, and writes nothing.
	before := fingerprint(t, other.URI())
	if err := runRestore(ctx, []string{"-neo4j-uri", other.URI(), file}, func(string) string { return "" }, &stderr); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("a restore over data returned %v", err)
	}
	if after := fingerprint(t, other.URI()); !slices.Equal(before, after) {
		t.Fatal("the refused restore wrote")
	}
}

func readHeader(t *testing.T, file string) *neo4jstore.BackupHeader {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(zr)
	dec.UseNumber()
	var r neo4jstore.BackupRecord
	if err := dec.Decode(&r); err != nil || r.Header == nil {
		t.Fatalf("no header: %v", err)
	}
	return r.Header
}

// records are a backup's lines but its header (which says when it was taken), sorted.
func records(t *testing.T, file string) []string {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	lines = lines[1:]
	sort.Strings(lines)
	return lines
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
