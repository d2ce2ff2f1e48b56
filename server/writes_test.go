package server_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/server"
)

func TestWritesAndTheFeed(t *testing.T) {
	srv := start(t, "", server.Config{AllowWrites: true})
	ro := start(t, "", server.Config{})

	// Writes are refused unless allowed.
	_, resp := ro.post(t, `mutation { deleteNode(nodeKind: PLACE, id: "place:zhongyuan") { events { seq } } }`, nil)
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Fatalf("read-only server: %v", resp.Errors)
	}

	// Leftovers of an interrupted run go first.
	cleanup := func() {
		for _, id := range []string{"person:wt:a", "unit:henan:U-7", "place:wt:street"} {
			kind := map[string]string{"person": "PERSON", "unit": "UNIT", "place": "PLACE"}[strings.Split(id, ":")[0]]
			srv.post(t, `mutation($k: NodeKind!, $id: ID!) { deleteNode(nodeKind: $k, id: $id) { events { op } } }`, map[string]any{"k": kind, "id": id})
		}
	}
	cleanup()

	const batch = `mutation($ops: [OperationInput!]!) { apply(operations: $ops) { events { seq op kind id changes { field before after } } } }`
	ops := []map[string]any{
		{"op": "UPSERT_NODE", "nodeKind": "PLACE", "id": "place:wt:street", "properties": map[string]any{"name": "写入街道", "kind": "STREET"}},
		{"op": "UPSERT_NODE", "nodeKind": "UNIT", "ref": map[string]any{"system": "henan", "externalId": "U-7"}, "properties": map[string]any{"name": "写入医院", "kind": "HOSPITAL"}},
		{"op": "LINK", "relationshipKind": "STATIONED_IN", "from": "unit:henan:U-7", "to": "place:wt:street", "properties": map[string]any{"since": "2021-05-01"}},
	}
	data := srv.gql(t, batch, map[string]any{"ops": ops})
	if n := len(dig(t, data, "apply.events").([]any)); n != 3 {
		t.Fatalf("%d events for 3 new entities", n)
	}
	cursor := fmt.Sprint(int64(dig(t, data, "apply.events.0.seq").(float64)) - 1) // just before the batch
	// The same batch again changes nothing.
	if n := len(dig(t, srv.gql(t, batch, map[string]any{"ops": ops}), "apply.events").([]any)); n != 0 {
		t.Errorf("pushing again made %d events", n)
	}
	// The feed has the three, after the cursor, in order.
	data = srv.gql(t, `query($a: String) { changes(after: $a) { nodes { seq entity op id } pageInfo { endCursor } } }`, map[string]any{"a": cursor})
	events := dig(t, data, "changes.nodes").([]any)
	if len(events) != 3 || dig(t, data, "changes.nodes.2.id") != "STATIONED_IN:unit:henan:U-7->place:wt:street" {
		t.Fatalf("feed after %s: %v", cursor, events)
	}

	// A batch with bad records reports each and writes nothing.
	_, resp = srv.post(t, batch, map[string]any{"ops": []map[string]any{
		{"op": "UPSERT_NODE", "nodeKind": "PLACE", "id": "place:wt:good", "properties": map[string]any{"name": "好", "kind": "STREET"}},
		{"op": "UPSERT_NODE", "nodeKind": "PLACE", "id": "place:wt:bad1", "properties": map[string]any{"name": "坏", "kind": "PLANET"}},
		{"op": "LINK", "relationshipKind": "PART_OF", "from": "place:wt:x", "to": "place:wt:x"},
	}})
	fields := map[any]bool{}
	for _, e := range resp.Errors {
		fields[e.Extensions["field"]] = e.Extensions["code"] == "BAD_USER_INPUT"
	}
	if len(resp.Errors) != 2 || !fields["operations[1].properties.kind"] || !fields["operations[2].to"] {
		t.Fatalf("bad batch: %v", resp.Errors)
	}
	if data := srv.gql(t, `{ node(id: "place:wt:good") { id } }`, nil); data["node"] != nil {
		t.Errorf("a refused batch wrote its good record")
	}

	// NDJSON import: a batch with a bad line is refused whole, with the line's error.
	body := strings.Join([]string{
		`{"op":"UPSERT_NODE","nodeKind":"PERSON","id":"person:wt:a","properties":{"name":"甲","category":"IN_SERVICE"}}`,
		`{"op":"LINK","relationshipKind":"WORKS_IN","from":"person:wt:a","to":"unit:henan:U-7","properties":{"since":"2020-01-01","until":"2019-01-01"}}`,
	}, "\n")
	reports := postNDJSON(t, srv.URL+"/import", body)
	if len(reports) != 2 || reports[0]["applied"] != false || reports[1]["done"] != true {
		t.Fatalf("import with a bad line: %v", reports)
	}
	if e := reports[0]["errors"].([]any)[0].(map[string]any); e["line"].(float64) != 2 || e["field"] != "properties.until" {
		t.Fatalf("the bad line's error: %v", e)
	}
	body = strings.Replace(body, `"until":"2019-01-01"`, `"until":"2022-01-01"`, 1)
	reports = postNDJSON(t, srv.URL+"/import", body)
	if len(reports) != 2 || reports[0]["applied"] != true || reports[0]["events"].(float64) != 2 || reports[1]["done"] != true {
		t.Fatalf("import: %v", reports)
	}
	// The NDJSON feed has the same events as the GraphQL one.
	lines := getNDJSON(t, srv.URL+"/changes?after="+cursor)
	if len(lines) != 6 || lines[4]["id"] != "WORKS_IN:person:wt:a->unit:henan:U-7" || lines[5]["cursor"] != strconv.FormatInt(int64(lines[4]["seq"].(float64)), 10) {
		t.Fatalf("NDJSON feed: %v", lines)
	}

	// Clean up: delete what the test wrote (the deletions are events too).
	cleanup()
}

func postNDJSON(t *testing.T, url, body string) []map[string]any {
	t.Helper()
	resp, err := http.Post(url, "application/x-ndjson", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return readNDJSON(t, resp)
}

func getNDJSON(t *testing.T, url string) []map[string]any {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return readNDJSON(t, resp)
}

func readNDJSON(t *testing.T, resp *http.Response) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%d: not NDJSON: %s", resp.StatusCode, sc.Text())
		}
		out = append(out, m)
	}
	return out
}

// readExport loads an export into a replica; it returns the export's cursor.
func readExport(t *testing.T, url string) (*graph.Replica, string) {
	t.Helper()
	m := graph.NewReplica()
	cursor, ended := "", false
	for _, line := range getNDJSON(t, url) {
		switch {
		case line["cursor"] != nil:
			cursor = line["cursor"].(string)
		case line["type"] == "node" || line["type"] == "relationship":
			m.Put(line["type"].(string), line["id"].(string), line["properties"].(map[string]any))
		case line["end"] == true:
			ended = true
		default:
			t.Fatalf("export line %v", line)
		}
	}
	if cursor == "" || !ended {
		t.Fatalf("export without cursor or end")
	}
	return m, cursor
}

// feedEvent is an event as /changes writes it.
type feedEvent struct {
	Seq     int64           `json:"seq"`
	Entity  string          `json:"entity"`
	Kind    string          `json:"kind"`
	ID      string          `json:"id"`
	Op      string          `json:"op"`
	Changes []*graph.Change `json:"changes"`
}

// readFeed reads every event after a cursor from /changes.
func readFeed(t *testing.T, base, cursor string) []*graph.ChangeEvent {
	t.Helper()
	var out []*graph.ChangeEvent
	for {
		resp, err := http.Get(base + "/changes?limit=10000&after=" + cursor)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<24)
		n := 0
		for sc.Scan() {
			var e feedEvent
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Fatalf("feed line %s: %v", sc.Text(), err)
			}
			if e.Seq == 0 {
				continue // the closing cursor line
			}
			out = append(out, &graph.ChangeEvent{Seq: e.Seq, Entity: e.Entity, Kind: e.Kind, ID: e.ID, Op: e.Op, Changes: e.Changes})
			cursor = strconv.FormatInt(e.Seq, 10)
			n++
		}
		resp.Body.Close()
		if n == 0 {
			return out
		}
	}
}

// follow applies the feed after the cursor to the replica.
func follow(t *testing.T, m *graph.Replica, base, cursor string) {
	t.Helper()
	for _, e := range readFeed(t, base, cursor) {
		m.Apply(e)
	}
}

// An export followed by the feed from its cursor reproduces the graph exactly, also when
// writes run while the export streams.
func TestExportThenFeedReproducesTheGraph(t *testing.T) {
	srv := start(t, "", server.Config{AllowWrites: true})
	write := func(w, i int) {
		id := fmt.Sprintf("place:ex:w%d-%d", w, i)
		srv.gql(t, `mutation($ops: [OperationInput!]!) { apply(operations: $ops) { events { seq } } }`, map[string]any{"ops": []map[string]any{
			{"op": "UPSERT_NODE", "nodeKind": "PLACE", "id": id, "properties": map[string]any{"name": fmt.Sprintf("导出%d-%d", w, i), "kind": "GRID", "population": i}},
			{"op": "UPSERT_NODE", "nodeKind": "PLACE", "id": fmt.Sprintf("place:ex:w%d", w), "properties": map[string]any{"name": fmt.Sprintf("导出%d", w), "kind": "COMMUNITY", "population": i}},
			{"op": "LINK", "relationshipKind": "PART_OF", "from": id, "to": fmt.Sprintf("place:ex:w%d", w), "properties": map[string]any{"since": "2024-01-01"}},
		}})
		if i%5 == 4 {
			srv.gql(t, `mutation($id: ID!) { deleteNode(nodeKind: PLACE, id: $id) { events { seq } } }`, map[string]any{"id": id})
		}
	}
	write(0, 0)
	var wg sync.WaitGroup
	for w := 1; w <= 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				write(w, i)
			}
		}()
	}
	m, cursor := readExport(t, srv.URL+"/export")
	wg.Wait()
	follow(t, m, srv.URL, cursor)
	want, _ := readExport(t, srv.URL+"/export")
	if diffs := m.Differences(want, 10); len(diffs) > 0 {
		t.Fatalf("export + feed differs from the graph: %v", diffs)
	}
	// Clean up.
	for w := range 5 {
		for i := range 25 {
			srv.post(t, `mutation($id: ID!) { deleteNode(nodeKind: PLACE, id: $id) { events { seq } } }`, map[string]any{"id": fmt.Sprintf("place:ex:w%d-%d", w, i)})
		}
		srv.post(t, `mutation($id: ID!) { deleteNode(nodeKind: PLACE, id: $id) { events { seq } } }`, map[string]any{"id": fmt.Sprintf("place:ex:w%d", w)})
	}
}
