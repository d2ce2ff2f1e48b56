package server_test

import (
	"strings"
	"testing"

	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
	"github.com/gongjian/gongjian/server"
)

// cacheOf reads extensions.cache of an answer.
func cacheOf(t *testing.T, r gqlResponse) string {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %v", r.Errors)
	}
	s, _ := r.Extensions["cache"].(string)
	return s
}

// A read is answered from the cache until a write, through this server process or another,
// advances the feed; then the next read sees the write.
func TestAnswersCachedUntilTheNextWrite(t *testing.T) {
	demoServer(t)
	a := start(t, "", server.Config{AllowWrites: true})
	b := start(t, "", server.Config{AllowWrites: true})
	const id = "place:cache:street"
	del := func() {
		a.post(t, `mutation($id: ID!) { deleteNode(nodeKind: PLACE, id: $id) { events { op } } }`, map[string]any{"id": id})
	}
	del()
	t.Cleanup(del)
	const read = `query($n: String) { places(filter: {name: $n}, first: 5) { totalCount nodes { id name } } }`
	vars := map[string]any{"n": "缓存测试"}
	_, r := b.post(t, read, vars)
	if got := cacheOf(t, r); got != "miss" {
		t.Fatalf("first read: cache %q, want miss", got)
	}
	_, r = b.post(t, read, vars)
	if got := cacheOf(t, r); got != "hit" {
		t.Fatalf("second read: cache %q, want hit", got)
	}
	if n := num(t, r.Data, "places.totalCount"); n != 0 {
		t.Fatalf("%d places before the write", n)
	}
	// Other variables are another answer.
	_, r = b.post(t, read, map[string]any{"n": "缓存测试 other"})
	if got := cacheOf(t, r); got != "miss" {
		t.Errorf("other variables: cache %q, want miss", got)
	}
	// A write through the other process: this one sees it on its next read.
	a.gql(t, `mutation($id: ID!) { upsertNode(nodeKind: PLACE, id: $id, properties: {name: "缓存测试街道", kind: "STREET"}) { events { seq } } }`, map[string]any{"id": id})
	_, r = b.post(t, read, vars)
	if got := cacheOf(t, r); got != "miss" {
		t.Errorf("read after another process's write: cache %q, want miss", got)
	}
	if n := num(t, r.Data, "places.totalCount"); n != 1 {
		t.Errorf("read after another process's write: %d places, want 1", n)
	}
	// A client reads its own writes.
	_, r = a.post(t, read, vars)
	_, r = a.post(t, read, vars)
	if got := cacheOf(t, r); got != "hit" {
		t.Errorf("repeated read: cache %q, want hit", got)
	}
	a.gql(t, `mutation($id: ID!) { upsertNode(nodeKind: PLACE, id: $id, properties: {name: "缓存测试街道二", kind: "STREET"}) { events { seq } } }`, map[string]any{"id": id})
	_, r = a.post(t, read, vars)
	if got := cacheOf(t, r); got != "miss" || dig(t, r.Data, "places.nodes.0.name") != "缓存测试街道二" {
		t.Errorf("own write: cache %q, answer %v", got, r.Data)
	}
	// The service's status is never cached.
	for range 2 {
		_, r = a.post(t, `{ serviceStatus { ready } }`, nil)
		if got := cacheOf(t, r); got != "" {
			t.Errorf("serviceStatus: cache %q, want none", got)
		}
	}
}

// Callers with different rights never share an answer: a viewer's masked answer is not served
// to an admin, nor an admin's to a viewer, over the same query and variables.
func TestCachedAnswersAreNotShared(t *testing.T) {
	demoServer(t)
	srv := start(t, storetest.URI(t), server.Config{AllowWrites: true, Auth: server.AuthConfig{Anonymous: "off"}})
	keys := makeKeys(t)
	const phone = "13900001111"
	r, raw := gqlAs(t, srv.URL, keys["admin"], `mutation($p: JSON!) { apply(operations: [
		{op: UPSERT_NODE, nodeKind: PERSON, id: "person:cache:member", properties: $p}]) { events { seq } } }`,
		map[string]any{"p": map[string]any{"name": "缓存隐私", "category": "IN_SERVICE", "phone": phone}})
	if len(r.Errors) > 0 {
		t.Fatal(raw)
	}
	defer gqlAs(t, srv.URL, keys["admin"], `mutation { deleteNode(nodeKind: PERSON, id: "person:cache:member") { events { seq } } }`, nil)
	const q = `{ node(id: "person:cache:member") { ... on Person { attributes { key value } } } }`
	for _, order := range [][]string{{"viewer", "admin"}, {"admin", "viewer"}} {
		// Each caller asks twice; the second answer is its own cached one.
		for _, who := range order {
			for i := range 2 {
				r, raw := gqlAs(t, srv.URL, keys[who], q, nil)
				if len(r.Errors) > 0 {
					t.Fatal(raw)
				}
				if shows := strings.Contains(raw, phone); shows != (who == "admin") {
					t.Errorf("%s (read %d, after %v): the phone shown %v: %s", who, i+1, order, shows, raw)
				}
			}
		}
		// A write in between starts the next order afresh.
		gqlAs(t, srv.URL, keys["admin"], `mutation { upsertNode(nodeKind: PERSON, id: "person:cache:member", properties: {name: "缓存隐私", category: "IN_SERVICE"}) { events { seq } } }`, nil)
	}
}
