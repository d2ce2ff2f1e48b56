package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	coderws "github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
	"github.com/gongjian/gongjian/server"
)

// call makes a request with a key ("" for none) and returns the status and body.
func call(t *testing.T, method, url, key, contentType, body string) (int, string) {
	t.Helper()
	status, raw, _ := roundTrip(t, method, url, key, contentType, strings.NewReader(body))
	return status, string(raw)
}

// roundTrip makes a request with a key ("" for none) and returns the status, body and headers.
func roundTrip(t *testing.T, method, url, key, contentType string, body io.Reader) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("X-Api-Key", key)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, resp.Header
}

func gqlAs(t *testing.T, base, key, query string, vars map[string]any) (gqlResponse, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	status, raw := call(t, http.MethodPost, base+"/graphql", key, "application/json", string(body))
	var out gqlResponse
	_ = json.Unmarshal([]byte(raw), &out)
	if status != http.StatusOK && len(out.Errors) == 0 {
		// Refused before GraphQL: a plain coded error.
		out.Errors = append(out.Errors, struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		}{Message: raw})
	}
	return out, raw
}

func makeKeys(t *testing.T) map[string]string {
	t.Helper()
	s := storetest.Open(t, "")
	ctx := context.Background()
	if err := s.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{"anonymous": ""}
	for name, k := range map[string]neo4jstore.APIKey{
		"viewer":     {Role: graph.RoleViewer},
		"analyst":    {Role: graph.RoleAnalyst},
		"editor":     {Role: graph.RoleEditor, Places: []string{"place:xinmi"}},
		"integrator": {Role: graph.RoleIntegrator, Systems: []string{"henan"}, ReadsAll: true},
		"own-reader": {Role: graph.RoleIntegrator, Systems: []string{"henan"}},
		"admin":      {Role: graph.RoleAdmin},
	} {
		k.Name = "test-" + name + "-" + t.Name() + "-" + randomSuffix()
		key, err := s.CreateKey(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		keys[name] = key
		t.Cleanup(func() { _ = s.RevokeKey(context.Background(), k.Name) })
	}
	return keys
}

func randomSuffix() string { return strconv.FormatInt(time.Now().UnixNano(), 36) }

// The role × operation × region matrix: every cell is allowed or refused as the roles say,
// and no refused cell writes or reads anything.
func TestAccessMatrix(t *testing.T) {
	demoServer(t) // the demo data: Xinmi and Liaoyuan
	srv := start(t, storetest.URI(t), server.Config{AllowWrites: true, Auth: server.AuthConfig{Anonymous: "off",
		IntrospectionRoles: []graph.Role{graph.RoleAnalyst, graph.RoleEditor, graph.RoleAdmin}}})
	keys := makeKeys(t)
	write := func(id, community string) string {
		return `mutation { apply(operations: [
			{op: UPSERT_NODE, nodeKind: UNIT, id: "` + id + `", properties: {name: "权限测试单位", kind: "SCHOOL"}},
			{op: LINK, relationshipKind: STATIONED_IN, from: "` + id + `", to: "` + community + `"}]) { events { seq } } }`
	}
	ops := map[string]func(key string) bool{
		"read": func(key string) bool {
			r, _ := gqlAs(t, srv.URL, key, `{ node(id: "place:xinmi") { id } }`, nil)
			return len(r.Errors) == 0 && r.Data["node"] != nil
		},
		"write in Xinmi": func(key string) bool {
			r, _ := gqlAs(t, srv.URL, key, write("unit:acl:xinmi", "place:xinmi:jinfenglu"), nil)
			ok := len(r.Errors) == 0
			if ok {
				gqlAs(t, srv.URL, keys["admin"], `mutation { deleteNode(nodeKind: UNIT, id: "unit:acl:xinmi") { events { seq } } }`, nil)
			}
			return ok
		},
		"write in Liaoyuan": func(key string) bool {
			r, _ := gqlAs(t, srv.URL, key, write("unit:acl:liaoyuan", "place:liaoyuan:dongfeng:xianglu:yongqing"), nil)
			ok := len(r.Errors) == 0
			if ok {
				gqlAs(t, srv.URL, keys["admin"], `mutation { deleteNode(nodeKind: UNIT, id: "unit:acl:liaoyuan") { events { seq } } }`, nil)
			}
			return ok
		},
		"import a henan record into Xinmi": func(key string) bool {
			status, body := call(t, http.MethodPost, srv.URL+"/import", key, "application/x-ndjson",
				`{"op":"UPSERT_NODE","nodeKind":"UNIT","ref":{"system":"henan","externalId":"ACL-1"},"properties":{"name":"权限导入单位","kind":"SCHOOL"}}`+"\n"+
					`{"op":"LINK","relationshipKind":"STATIONED_IN","from":"unit:henan:ACL-1","to":"place:xinmi:jinfenglu"}`)
			ok := status == http.StatusOK && strings.Contains(body, `"applied":true`)
			if ok {
				gqlAs(t, srv.URL, keys["admin"], `mutation { deleteNode(nodeKind: UNIT, id: "unit:henan:ACL-1") { events { seq } } }`, nil)
			}
			return ok
		},
		"read the feed": func(key string) bool {
			r, _ := gqlAs(t, srv.URL, key, `{ changes(first: 1) { pageInfo { endCursor } } }`, nil)
			return len(r.Errors) == 0
		},
		"export": func(key string) bool {
			status, body := call(t, http.MethodGet, srv.URL+"/export", key, "", "")
			return status == http.StatusOK && strings.Contains(body, `"end":true`)
		},
		"introspect": func(key string) bool {
			r, _ := gqlAs(t, srv.URL, key, `{ __schema { queryType { name } } }`, nil)
			return len(r.Errors) == 0
		},
	}
	allowed := map[string][]string{
		"anonymous":  {},
		"viewer":     {"read"},
		"analyst":    {"read", "introspect"},
		"editor":     {"read", "write in Xinmi", "import a henan record into Xinmi", "introspect"},
		"integrator": {"read", "import a henan record into Xinmi", "read the feed", "export"},
		"admin":      {"read", "write in Xinmi", "write in Liaoyuan", "import a henan record into Xinmi", "read the feed", "export", "introspect"},
	}
	for role, ok := range allowed {
		for op, try := range ops {
			want := false
			for _, o := range ok {
				want = want || o == op
			}
			if got := try(keys[role]); got != want {
				t.Errorf("%s × %s: allowed %v, want %v", role, op, got, want)
			}
		}
	}
	// Nothing a refused cell tried to write is there.
	for _, id := range []string{"unit:acl:xinmi", "unit:acl:liaoyuan", "unit:henan:ACL-1"} {
		if r, _ := gqlAs(t, srv.URL, keys["admin"], `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}); r.Data["node"] != nil {
			t.Errorf("%s exists after the matrix", id)
		}
	}
}

// Members' personal fields never reach a role that may not see them: not in queries, network
// answers, exports or the feed.
func TestPersonalFieldsAreMasked(t *testing.T) {
	demoServer(t)
	srv := start(t, storetest.URI(t), server.Config{AllowWrites: true, Auth: server.AuthConfig{Anonymous: "off"}})
	keys := makeKeys(t)
	const phone, idCard, address = "13812345678", "410101199001011234", "金凤路88号"
	r, raw := gqlAs(t, srv.URL, keys["admin"], `mutation($p: JSON!) { apply(operations: [
		{op: UPSERT_NODE, nodeKind: PERSON, id: "person:acl:member", properties: $p},
		{op: LINK, relationshipKind: LIVES_IN, from: "person:acl:member", to: "place:xinmi:jinfenglu"}]) { events { seq } } }`,
		map[string]any{"p": map[string]any{"name": "隐私测试", "category": "IN_SERVICE", "phone": phone, "idCard": idCard, "address": address}})
	if len(r.Errors) > 0 {
		t.Fatal(raw)
	}
	defer gqlAs(t, srv.URL, keys["admin"], `mutation { deleteNode(nodeKind: PERSON, id: "person:acl:member") { events { seq } } }`, nil)
	// The feed from just before the write.
	since := fmt.Sprint(int64(r.Data["apply"].(map[string]any)["events"].([]any)[0].(map[string]any)["seq"].(float64)) - 1)
	secret := func(s string) bool {
		return strings.Contains(s, phone) || strings.Contains(s, idCard) || strings.Contains(s, address)
	}
	// Every way of asking for a value: plainly, under aliases, through fragments, or only part of
	// a pair; masking is decided by the field that produces the value, whatever the selection.
	for _, c := range []struct {
		name, query string
		feed        bool // a feed query: only integrators and admins may ask
	}{
		{"attributes", `{ node(id: "person:acl:member") { ... on Person { name attributes { key value } } } }`, false},
		{"aliased attributes", `{ node(id: "person:acl:member") { ... on Person { a: attributes { k: key v: value } } } }`, false},
		{"values alone", `{ node(id: "person:acl:member") { ... on Person { attributes { value } } } }`, false},
		{"a fragment", `fragment V on Attribute { x: value } { node(id: "person:acl:member") { ...P } } fragment P on Person { attributes { ...V } }`, false},
		{"network properties", `{ neighbourhood(ids: ["person:acl:member"]) { nodes { id p: properties } } }`, false},
		{"search", `{ search(text: "隐私测试") { nodes { node { ... on Person { attributes { value } } } } } }`, false},
		{"feed changes", `{ changes(after: "` + since + `") { nodes { changes { field before after } } } }`, true},
		{"aliased feed changes", `{ changes(after: "` + since + `") { nodes { c: changes { f: field a: after b: before } } } }`, true},
		{"feed values alone", `{ changes(after: "` + since + `") { nodes { changes { after } } } }`, true},
	} {
		for role, sees := range map[string]bool{"viewer": false, "analyst": true, "editor": true, "admin": true, "integrator": false} {
			if c.feed && role != "admin" && role != "integrator" {
				continue
			}
			r, raw := gqlAs(t, srv.URL, keys[role], c.query, nil)
			if len(r.Errors) > 0 {
				t.Errorf("%s as %s: %s", c.name, role, raw)
				continue
			}
			if secret(raw) && !sees {
				t.Errorf("%s as %s: personal fields shown:\n%s", c.name, role, raw)
			}
			if sees && !secret(raw) {
				t.Errorf("%s as %s: the personal fields it may see are not shown:\n%s", c.name, role, raw)
			}
			if !sees && !strings.Contains(raw, graph.Masked) {
				t.Errorf("%s as %s: no masked field in %s", c.name, role, raw)
			}
		}
	}
	// The integrator's export and feed are masked too.
	_, export := call(t, http.MethodGet, srv.URL+"/export", keys["integrator"], "", "")
	if secret(export) || !strings.Contains(export, `"phone":"`+graph.Masked+`"`) {
		t.Errorf("integrator's export shows personal fields or no masked phone")
	}
	_, feed := call(t, http.MethodGet, srv.URL+"/changes?limit=10000&after="+since, keys["integrator"], "", "")
	if secret(feed) {
		t.Errorf("integrator's feed shows personal fields")
	}
	if _, adminFeed := call(t, http.MethodGet, srv.URL+"/changes?limit=10000&after="+since, keys["admin"], "", ""); !secret(adminFeed) {
		t.Errorf("admin's feed does not show the personal fields it may see")
	}
}

// The live feed: a websocket that authenticates with its init payload receives the events of
// writes as they commit, personal fields masked for an integrator; one without a key is
// refused.
func TestLiveFeedOverWebsocket(t *testing.T) {
	srv := start(t, storetest.URI(t), server.Config{AllowWrites: true, Auth: server.AuthConfig{Anonymous: "off"}})
	keys := makeKeys(t)
	ctx, cancel := context.WithTimeout(context.Background(), storetest.Patience(30*time.Second, 0))
	defer cancel()
	dial := func(key string) (*coderws.Conn, map[string]any) {
		ws, _, err := coderws.Dial(ctx, strings.Replace(srv.URL, "http", "ws", 1)+"/graphql",
			&coderws.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
		if err != nil {
			t.Fatal(err)
		}
		payload := map[string]any{}
		if key != "" {
			payload["x-api-key"] = key
		}
		if err := wsjson.Write(ctx, ws, map[string]any{"type": "connection_init", "payload": payload}); err != nil {
			t.Fatal(err)
		}
		var ack map[string]any
		if err := wsjson.Read(ctx, ws, &ack); err != nil {
			return ws, map[string]any{"type": "closed", "err": err.Error()}
		}
		return ws, ack
	}
	if ws, ack := dial(""); ack["type"] == "connection_ack" {
		t.Errorf("a websocket without a key was acknowledged")
	} else {
		ws.CloseNow()
	}
	ws, ack := dial(keys["integrator"])
	defer ws.CloseNow()
	if ack["type"] != "connection_ack" {
		t.Fatalf("integrator's websocket: %v", ack)
	}
	// The subscription starts after a write of the test's own, so that it does not depend on when
	// the server takes the subscription.
	r, raw := gqlAs(t, srv.URL, keys["admin"], `mutation { upsertNode(nodeKind: PLACE, id: "place:acl:live", properties: {name: "实时起点", kind: "GRID"}) { events { seq } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatal(raw)
	}
	defer gqlAs(t, srv.URL, keys["admin"], `mutation { deleteNode(nodeKind: PLACE, id: "place:acl:live") { events { seq } } }`, nil)
	var from string
	if events := r.Data["upsertNode"].(map[string]any)["events"].([]any); len(events) > 0 {
		from = fmt.Sprint(int64(events[0].(map[string]any)["seq"].(float64)))
	} else {
		t.Fatalf("the first write made no event (is place:acl:live left from an earlier run?)")
	}
	if err := wsjson.Write(ctx, ws, map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
		"query":     `subscription($after: String) { changes(after: $after) { seq op id c: changes { a: after } } }`,
		"variables": map[string]any{"after": from}}}); err != nil {
		t.Fatal(err)
	}
	r, raw = gqlAs(t, srv.URL, keys["admin"], `mutation { upsertNode(nodeKind: PERSON, id: "person:acl:live", properties: {name: "实时", phone: "13900000000"}) { events { seq } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatal(raw)
	}
	defer gqlAs(t, srv.URL, keys["admin"], `mutation { deleteNode(nodeKind: PERSON, id: "person:acl:live") { events { seq } } }`, nil)
	var msg map[string]any
	for {
		if err := wsjson.Read(ctx, ws, &msg); err != nil {
			t.Fatal(err)
		}
		if b, _ := json.Marshal(msg); msg["type"] == "next" && strings.Contains(string(b), "person:acl:live") {
			break
		}
	}
	b, _ := json.Marshal(msg)
	if !strings.Contains(string(b), "person:acl:live") || strings.Contains(string(b), "13900000000") || !strings.Contains(string(b), graph.Masked) {
		t.Errorf("live event: %s", b)
	}
}

// An integrator reads its own systems' records in the feed and the export, unless its key
// reads all: the safe default.
func TestIntegratorsReadTheirOwnSystems(t *testing.T) {
	srv := start(t, storetest.URI(t), server.Config{AllowWrites: true, Auth: server.AuthConfig{Anonymous: "off"}})
	keys := makeKeys(t)
	r, raw := gqlAs(t, srv.URL, keys["admin"], `mutation { apply(operations: [
		{op: UPSERT_NODE, nodeKind: PLACE, ref: {system: "henan", externalId: "REACH-1"}, properties: {name: "河南网格", kind: "GRID"}},
		{op: UPSERT_NODE, nodeKind: PLACE, ref: {system: "other", externalId: "REACH-2"}, properties: {name: "他处网格", kind: "GRID"}},
		{op: LINK, relationshipKind: PART_OF, from: "place:other:REACH-2", to: "place:henan:REACH-1"}]) { events { seq id } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatal(raw)
	}
	defer gqlAs(t, srv.URL, keys["admin"], `mutation { a: deleteNode(nodeKind: PLACE, id: "place:other:REACH-2") { events { seq } }
		b: deleteNode(nodeKind: PLACE, id: "place:henan:REACH-1") { events { seq } } }`, nil)
	events := r.Data["apply"].(map[string]any)["events"].([]any)
	since := fmt.Sprint(int64(events[0].(map[string]any)["seq"].(float64)) - 1)
	last := fmt.Sprint(int64(events[len(events)-1].(map[string]any)["seq"].(float64)))
	for key, want := range map[string][]string{
		"own-reader": {"place:henan:REACH-1"},
		"integrator": {"place:henan:REACH-1", "place:other:REACH-2", "PART_OF:place:other:REACH-2->place:henan:REACH-1"},
	} {
		// The feed, as NDJSON and in GraphQL: the cursor moves past what the reader may not see.
		_, body := call(t, http.MethodGet, srv.URL+"/changes?after="+since, keys[key], "", "")
		var ids []string
		var cursor string
		for _, line := range strings.Split(strings.TrimSpace(body), "\n") {
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("%s: feed line %q", key, line)
			}
			if id, ok := m["id"].(string); ok {
				ids = append(ids, id)
			} else {
				cursor, _ = m["cursor"].(string)
			}
		}
		if strings.Join(ids, " ") != strings.Join(want, " ") || cursor != last {
			t.Errorf("%s's NDJSON feed: %v, cursor %q; want %v and cursor %s", key, ids, cursor, want, last)
		}
		g, raw := gqlAs(t, srv.URL, keys[key], `query($a: String) { changes(after: $a) { nodes { id } pageInfo { endCursor } } }`, map[string]any{"a": since})
		if len(g.Errors) > 0 {
			t.Fatal(raw)
		}
		if n := len(g.Data["changes"].(map[string]any)["nodes"].([]any)); n != len(want) || !strings.Contains(raw, `"endCursor":"`+last+`"`) {
			t.Errorf("%s's GraphQL feed: %s", key, raw)
		}
		// The export.
		_, export := call(t, http.MethodGet, srv.URL+"/export", keys[key], "", "")
		hasOther := strings.Contains(export, `"id":"place:other:REACH-2"`)
		hasRel := strings.Contains(export, `"id":"PART_OF:place:other:REACH-2->place:henan:REACH-1"`)
		if !strings.Contains(export, `"id":"place:henan:REACH-1"`) || hasOther != (key == "integrator") || hasRel != (key == "integrator") ||
			!strings.Contains(export, `"end":true`) {
			t.Errorf("%s's export: henan record %v, other system's record %v, its relationship %v", key,
				strings.Contains(export, "place:henan:REACH-1"), hasOther, hasRel)
		}
	}
}
