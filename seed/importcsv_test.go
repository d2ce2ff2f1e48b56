package seed

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
)

// importDataset is the curated data with values that CSV must carry untouched: quotes and
// commas in strings (and line breaks, when asked), an empty string, every value type, parallel
// relationships told apart by their keys.
func importDataset(lineBreaks bool) *Dataset {
	d := NewDataset()
	Curated(d)
	brk, crlf := "", "、"
	if lineBreaks {
		brk, crlf = "\n", "\r\n"
	}
	odd := prov{source: "test", quote: `他说："共建, 共治，共享"` + brk + "第二行"}
	d.Node(graph.KindPlace, "place:test:odd", odd, map[string]any{"name": `引号"与,逗号`, "kind": "COMMUNITY",
		"population": int64(-3), "areaKm2": 0.1, "pilot": false, "since": date("2020-02-29"), "note": ""})
	d.Node(graph.KindUnit, "unit:test:odd", odd, map[string]any{"name": "单位" + crlf + "换行", "memberCount": int64(1 << 40)})
	d.EdgeKey(graph.RelStationedIn, "unit:test:odd", "place:test:odd", "2020", odd, map[string]any{"since": date("2020-01-01")})
	d.EdgeKey(graph.RelStationedIn, "unit:test:odd", "place:test:odd", "2021", odd, nil)
	return d
}

// The offline importer builds the store that a load over Bolt into an empty database writes:
// the same nodes, labels, relationships and properties, value for value and type for type;
// the schema is created after it and its indexes find what was imported. With line breaks in
// the data the importer reads multi-line fields; without, it parses in parallel.
func TestOfflineImportEqualsBoltLoad(t *testing.T) {
	for _, lineBreaks := range []bool{true, false} {
		t.Run(map[bool]string{true: "line breaks", false: "no line breaks"}[lineBreaks], func(t *testing.T) {
			offlineImportEqualsBoltLoad(t, importDataset(lineBreaks), lineBreaks)
		})
	}
}

func offlineImportEqualsBoltLoad(t *testing.T, d *Dataset, lineBreaks bool) {
	ctx := context.Background()
	src := &Source{Profile: "test", Chunks: 1, chunk: func(int) *Dataset { return d }}

	loaded := storetest.Open(t, "")
	storetest.Reset(t, loaded)
	if _, err := LoadWith(ctx, loaded, src, Options{Fresh: true}); err != nil {
		t.Fatal(err)
	}

	dir := filepath.Join(t.TempDir(), "csv")
	st, err := WriteImportFiles(src, dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Nodes != d.NodeCount() || st.Edges != d.EdgeCount() {
		t.Fatalf("wrote %d nodes and %d relationships, want %d and %d", st.Nodes, st.Edges, d.NodeCount(), d.EdgeCount())
	}
	args, err := os.ReadFile(filepath.Join(dir, ImportArgs))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Contains(string(args), "--multiline-fields=true"); got != lineBreaks {
		t.Fatalf("line breaks in the data: %v; multi-line fields asked: %v", lineBreaks, got)
	}
	in := storetest.NewInstance(t)
	if err := in.Import(dir); err != nil {
		t.Fatal(err)
	}
	if err := in.Import(dir); err == nil || !strings.Contains(err.Error(), "already holds a store") {
		t.Fatalf("a second import into the same data directory: %v, want a refusal", err)
	}
	in.Start(t)
	imported := storetest.Open(t, in.URI())
	if err := imported.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
	if err := imported.AwaitIndexes(ctx); err != nil {
		t.Fatal(err)
	}

	for _, q := range []string{
		`MATCH (n:Entity) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props ORDER BY id`,
		`MATCH (a:Entity)-[r]->(b:Entity) RETURN a.id AS from, type(r) AS type, b.id AS to, r.key AS key,
		   properties(r) AS props ORDER BY from, type, to, key`,
	} {
		want, got := rows(t, loaded, q), rows(t, imported, q)
		if len(want) == 0 || len(want) != len(got) {
			t.Fatalf("%d rows loaded over Bolt, %d imported, for %s", len(want), len(got), q)
		}
		for i := range want {
			if !reflect.DeepEqual(want[i], got[i]) {
				t.Fatalf("row %d differs:\nBolt load: %v\nimported:  %v", i, want[i], got[i])
			}
		}
	}
	// The search index, built after the import, finds the odd name.
	if n := storetest.Count(t, imported, `CALL db.index.fulltext.queryNodes('entity_search', '逗号') YIELD node
		WHERE node.id = 'place:test:odd' RETURN count(node) AS n`, nil); n != 1 {
		t.Fatalf("search found the imported place %d times, want 1", n)
	}
}

// A row that names a node the files do not hold stops the import, and no store is left.
func TestOfflineImportRefusesABadRowAndLeavesNoStore(t *testing.T) {
	d := importDataset(true)
	dir := filepath.Join(t.TempDir(), "csv")
	if _, err := WriteImportFiles(&Source{Profile: "test", Chunks: 1, chunk: func(int) *Dataset { return d }}, dir); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "rels-STATIONED_IN.csv"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(`"unit:test:odd","place:nowhere","",,"test"` + "\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	in := storetest.NewInstance(t)
	if err := in.Import(dir); err == nil {
		t.Fatal("an import with a relationship to a missing node succeeded")
	}
	if _, err := os.Stat(filepath.Join(in.Dir, "data", "databases", "neo4j")); !os.IsNotExist(err) {
		t.Fatalf("a failed import left a store behind (stat: %v)", err)
	}
}

// rows reads every record of q as a map of its columns (the driver's types tell integers,
// floats, booleans, dates and strings apart), with the labels sorted.
func rows(t *testing.T, s *neo4jstore.Store, q string) []map[string]any {
	t.Helper()
	var out []map[string]any
	err := s.Read(context.Background(), func(ctx context.Context, tx neo4jstore.Tx) error {
		res, err := tx.Run(ctx, q, nil)
		if err != nil {
			return err
		}
		for res.Next(ctx) {
			rec := res.Record().AsMap()
			if l, ok := rec["labels"].([]any); ok {
				slices.SortFunc(l, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
			}
			out = append(out, rec)
		}
		return res.Err()
	})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}
