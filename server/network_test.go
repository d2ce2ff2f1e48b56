package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gongjian/gongjian/server"
)

// checkNetwork checks that every edge of a network answer joins two of its nodes, and
// returns the nodes' kinds by id.
func checkNetwork(t *testing.T, net any) map[string]string {
	t.Helper()
	kinds := map[string]string{}
	for _, n := range net.(map[string]any)["nodes"].([]any) {
		m := n.(map[string]any)
		kinds[m["id"].(string)] = m["kind"].(string)
		checkElement(t, m)
	}
	for _, e := range net.(map[string]any)["edges"].([]any) {
		m := e.(map[string]any)
		if kinds[m["source"].(string)] == "" || kinds[m["target"].(string)] == "" {
			t.Fatalf("edge %v joins a node outside the answer", m)
		}
		checkElement(t, m)
	}
	return kinds
}

// checkElement checks that a node's or edge's properties hold none of the names graph libraries
// give the element's own data, nor its provenance, nor an empty key; and that its provenance is
// a field of its own.
func checkElement(t *testing.T, m map[string]any) {
	t.Helper()
	props, ok := m["properties"].(map[string]any)
	if !ok {
		t.Fatalf("element %v has no properties object", m)
	}
	for _, k := range []string{"id", "kind", "source", "target", "quote", "externalId"} {
		if _, clash := props[k]; clash {
			t.Errorf("%v holds %q among its properties", m["id"], k)
		}
	}
	if key, has := props["key"]; has && key == "" {
		t.Errorf("%v has an empty key", m["id"])
	}
	if p, _ := m["provenance"].(map[string]any); p == nil || p["source"] == "" {
		t.Errorf("%v has no provenance", m["id"])
	}
}

const networkFields = `nodes { id kind label subkind provenance { source quote } properties } edges { id kind source target provenance { source } properties } truncated nodeCount edgeCount countsExact`

func TestNetworkViews(t *testing.T) {
	srv := demoServer(t)
	data := srv.gql(t, `{
		n1: neighbourhood(ids: ["place:xinmi:jinfenglu"], depth: 1) { `+networkFields+` }
		cut: neighbourhood(ids: ["place:xinmi:jinfenglu"], depth: 2, limit: 20) { `+networkFields+` }
		units: neighbourhood(ids: ["place:xinmi:jinfenglu"], depth: 1, nodeKinds: [UNIT], relationshipKinds: [STATIONED_IN]) { `+networkFields+` }
		street: subgraph(place: "place:xinmi:xinhualu", nodeKinds: [PLACE, UNIT, SEAT, COMMITTEE, AGREEMENT]) { `+networkFields+` }
		cov: coverage(place: "place:xinmi:jinfenglu", first: 500) { unitCount nodes { unit { id } } graph { `+networkFields+` } } }`, nil)

	// 003: “金凤路社区与东方娃幼儿园联合…共建“四点半课堂””: the kindergarten is one relationship away.
	n1 := checkNetwork(t, dig(t, data, "n1"))
	if n1["unit:xinmi:dongfangwa"] != "UNIT" || n1["place:xinmi:jinfenglu"] != "PLACE" {
		t.Errorf("neighbourhood of 金凤路社区 lacks 东方娃幼儿园 or itself")
	}
	// The community's own kind and its provenance are fields of their own.
	for _, n := range dig(t, data, "n1.nodes").([]any) {
		if m := n.(map[string]any); m["id"] == "place:xinmi:jinfenglu" {
			quote, _ := dig(t, m, "provenance.quote").(string)
			if m["subkind"] != "COMMUNITY" || !strings.Contains(quote, "四点半课堂") {
				t.Errorf("金凤路社区: subkind %v, quote %q", m["subkind"], quote)
			}
		}
	}
	if dig(t, data, "n1.truncated") != false || num(t, data, "n1.nodeCount") != len(n1) {
		t.Errorf("uncut neighbourhood: truncated %v, nodeCount %v for %d nodes", dig(t, data, "n1.truncated"), dig(t, data, "n1.nodeCount"), len(n1))
	}
	// A limit cuts the answer and says so, with the whole answer's counts.
	cut := checkNetwork(t, dig(t, data, "cut"))
	if len(cut) != 20 || dig(t, data, "cut.truncated") != true || num(t, data, "cut.nodeCount") <= 20 || dig(t, data, "cut.countsExact") != true {
		t.Errorf("cut neighbourhood: %d nodes, truncated %v, nodeCount %v", len(cut), dig(t, data, "cut.truncated"), dig(t, data, "cut.nodeCount"))
	}
	// Node and relationship kinds filter the answer (the start node is always in it).
	for id, k := range checkNetwork(t, dig(t, data, "units")) {
		if k != "UNIT" && id != "place:xinmi:jinfenglu" {
			t.Errorf("Unit filter let %s (%s) through", id, k)
		}
	}
	for _, e := range dig(t, data, "units.edges").([]any) {
		if k := e.(map[string]any)["kind"]; k != "STATIONED_IN" {
			t.Errorf("STATIONED_IN filter let %v through", k)
		}
	}
	// A street's subgraph: its places, units, seats, committees and agreements.
	street := checkNetwork(t, dig(t, data, "street"))
	if street["place:xinmi:xinhualu"] != "PLACE" || street["place:xinmi:jinfenglu"] != "PLACE" || street["unit:xinmi:dongfangwa"] != "UNIT" ||
		street["committee:xinmi:xinhualu:bwc"] != "COMMITTEE" {
		t.Errorf("新华路街道's subgraph lacks its street, community, kindergarten or 大工委")
	}
	for id, k := range street {
		if k == "PERSON" || k == "PARTY_ORG" {
			t.Errorf("subgraph has %s (%s), not asked for", id, k)
		}
	}
	// The coverage answer as a network holds every covering unit.
	cov := checkNetwork(t, dig(t, data, "cov.graph"))
	for _, n := range dig(t, data, "cov.nodes").([]any) {
		if id := n.(map[string]any)["unit"].(map[string]any)["id"].(string); cov[id] != "UNIT" {
			t.Errorf("coverage graph lacks %s", id)
		}
	}
	// As of a date before the seconded cadres' terms, a town's neighbourhood has none of them.
	data = srv.gql(t, `{ places(filter: {within: "place:huiji", kinds: [TOWN]}, first: 1) { nodes { id } } }`, nil)
	town := dig(t, data, "places.nodes.0.id").(string)
	data = srv.gql(t, `query($id: ID!) {
		during: neighbourhood(ids: [$id], relationshipKinds: [SECONDED_TO], asOf: "2017-06-01", limit: 5000) { nodeCount }
		before: neighbourhood(ids: [$id], relationshipKinds: [SECONDED_TO], asOf: "2017-01-01", limit: 5000) { nodeCount } }`, map[string]any{"id": town})
	if num(t, data, "during.nodeCount") <= 1 || num(t, data, "before.nodeCount") != 1 {
		t.Errorf("seconded cadres of %s: %v during, %v before their term", town, dig(t, data, "during.nodeCount"), dig(t, data, "before.nodeCount"))
	}

	// Limits are enforced.
	for query, field := range map[string]string{
		`{ neighbourhood(ids: ["place:xinmi"], limit: 100000) { nodeCount } }`: "limit",
		`{ neighbourhood(ids: ["place:xinmi"], depth: 9) { nodeCount } }`:      "depth",
		`{ subgraph(place: "place:xinmi", limit: 0) { nodeCount } }`:           "limit",
		`{ neighbourhood(ids: []) { nodeCount } }`:                             "ids",
	} {
		_, resp := srv.post(t, query, nil)
		if len(resp.Errors) == 0 || resp.Errors[0].Extensions["field"] != field || resp.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
			t.Errorf("%s: %v", query, resp.Errors)
		}
	}
	for _, query := range []string{`{ neighbourhood(ids: ["nowhere"]) { nodeCount } }`, `{ subgraph(place: "nowhere") { nodeCount } }`} {
		_, resp := srv.post(t, query, nil)
		if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "NOT_FOUND" {
			t.Errorf("%s: %v", query, resp.Errors)
		}
	}
}

// /explore serves the explorer page with its bundled assets.
func TestExplorerPage(t *testing.T) {
	srv := start(t, "", server.Config{})
	for path, want := range map[string]string{"/explore": "text/html", "/assets/explore.js": "javascript", "/assets/layout.worker.js": "javascript"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), want) || len(body) == 0 {
			t.Errorf("%s: %d %q, %d bytes", path, resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
		}
		if path == "/explore" && (strings.Contains(string(body), "http://") || strings.Contains(string(body), "https://")) {
			t.Errorf("/explore loads something from another host")
		}
	}
}
