package server_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gongjian/gongjian/server"
)

func TestWritesAndTheFeed(t *testing.T) {
	srv := start(t, "", server.Config{AllowWrites: true})
	ro := start(t, "", server.Config{})

	// Writes are refused unless allowed.
	_, resp := ro.post(t, `mutation { deleteNode(nodeKind: Place, id: "place:zhongyuan") { events { seq } } }`, nil)
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Fatalf("read-only server: %v", resp.Errors)
	}

	head := func() string {
		data := srv.gql(t, `{ changes(first: 1000) { pageInfo { endCursor hasNextPage } } }`, nil)
		for dig(t, data, "changes.pageInfo.hasNextPage") == true {
			data = srv.gql(t, `query($a: String) { changes(after: $a, first: 1000) { pageInfo { endCursor hasNextPage } } }`,
				map[string]any{"a": dig(t, data, "changes.pageInfo.endCursor")})
		}
		return dig(t, data, "changes.pageInfo.endCursor").(string)
	}
	// Leftovers of an interrupted run go first.
	cleanup := func() {
		for _, id := range []string{"person:wt:a", "unit:henan:U-7", "place:wt:street"} {
			kind := map[string]string{"person": "Person", "unit": "Unit", "place": "Place"}[strings.Split(id, ":")[0]]
			srv.post(t, `mutation($k: NodeKind!, $id: ID!) { deleteNode(nodeKind: $k, id: $id) { events { op } } }`, map[string]any{"k": kind, "id": id})
		}
	}
	cleanup()
	cursor := head()

	const batch = `mutation($ops: [OperationInput!]!) { apply(operations: $ops) { events { seq op kind id changes { field before after } } } }`
	ops := []map[string]any{
		{"op": "UPSERT_NODE", "nodeKind": "Place", "id": "place:wt:street", "properties": map[string]any{"name": "写入街道", "kind": "STREET"}},
		{"op": "UPSERT_NODE", "nodeKind": "Unit", "ref": map[string]any{"system": "henan", "externalId": "U-7"}, "properties": map[string]any{"name": "写入医院", "kind": "HOSPITAL"}},
		{"op": "LINK", "relationshipKind": "STATIONED_IN", "from": "unit:henan:U-7", "to": "place:wt:street", "properties": map[string]any{"since": "2021-05-01"}},
	}
	data := srv.gql(t, batch, map[string]any{"ops": ops})
	if n := len(dig(t, data, "apply.events").([]any)); n != 3 {
		t.Fatalf("%d events for 3 new entities", n)
	}
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
		{"op": "UPSERT_NODE", "nodeKind": "Place", "id": "place:wt:good", "properties": map[string]any{"name": "好", "kind": "STREET"}},
		{"op": "UPSERT_NODE", "nodeKind": "Place", "id": "place:wt:bad1", "properties": map[string]any{"name": "坏", "kind": "PLANET"}},
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
		`{"op":"UPSERT_NODE","nodeKind":"Person","id":"person:wt:a","properties":{"name":"甲","category":"IN_SERVICE"}}`,
		`{"op":"LINK","relationshipKind":"WORKS_IN","from":"person:wt:a","to":"unit:henan:U-7","properties":{"since":"2020-01-01","until":"2019-01-01"}}`,
	}, "\n")
	reports := postNDJSON(t, srv.URL+"/import", body)
	if len(reports) != 1 || reports[0]["applied"] != false || reports[0]["errors"].([]any)[0].(map[string]any)["record"].(float64) != 1 {
		t.Fatalf("import with a bad line: %v", reports)
	}
	body = strings.Replace(body, `"until":"2019-01-01"`, `"until":"2022-01-01"`, 1)
	reports = postNDJSON(t, srv.URL+"/import", body)
	if len(reports) != 1 || reports[0]["applied"] != true || reports[0]["events"].(float64) != 2 {
		t.Fatalf("import: %v", reports)
	}
	// The NDJSON feed has the same events as the GraphQL one.
	lines := getNDJSON(t, srv.URL+"/changes?after="+cursor)
	if len(lines) != 5 || lines[4]["id"] != "WORKS_IN:person:wt:a->unit:henan:U-7" {
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
