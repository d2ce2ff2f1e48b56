package server_test

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
	"github.com/gongjian/gongjian/server"
)

// A relationship list of which only totalCount is selected is counted, and no page of it is
// read; with its nodes selected, the same count comes with the page.
func TestCountOnlyConnectionsReadNoPage(t *testing.T) {
	statements := recordingServer(t)
	pages := func(list []string) int {
		n := 0
		for _, s := range list {
			if strings.Contains(s, "REPORTS_TO") && strings.Contains(s, "AS page") && !strings.Contains(s, "[] AS page") {
				n++
			}
		}
		return n
	}
	countOnly, sentCount := statements(`{ node(id: "place:shangjie:chaoyang") { ... on Place { reportingMembers { totalCount } alias: reportingMembers { __typename n: totalCount } } } }`)
	withNodes, sentNodes := statements(`{ node(id: "place:shangjie:chaoyang") { ... on Place { reportingMembers(first: 5) { totalCount nodes { id } } } } }`)
	n := dig(t, countOnly, "node.reportingMembers.totalCount").(float64)
	if n == 0 || dig(t, countOnly, "node.alias.n").(float64) != n || dig(t, withNodes, "node.reportingMembers.totalCount").(float64) != n {
		t.Fatalf("the counts differ: %v, %v", countOnly, withNodes)
	}
	if got := len(dig(t, withNodes, "node.reportingMembers.nodes").([]any)); got != min(5, int(n)) {
		t.Fatalf("%d nodes on the page of %v", got, n)
	}
	if pages(sentCount) != 0 || pages(sentNodes) != 1 {
		t.Fatalf("pages read: %d for the count alone (want 0), %d with the nodes (want 1)\n%s", pages(sentCount), pages(sentNodes), strings.Join(sentCount, "\n----\n"))
	}
}

// A relationship list or root list whose selection asks neither totalCount nor pageInfo is not
// counted; its entries are those of the same list asked with its count, and aliases of one
// list with and without it each get what they ask.
func TestUncountedConnectionsReadTheSameEntries(t *testing.T) {
	statements := recordingServer(t)
	counted := func(query, counter string) (map[string]any, bool) {
		data, sent := statements(query)
		return data, strings.Contains(strings.Join(sent, "\n"), counter)
	}
	const hopCount, listCount = "RETURN count(*) AS total", "RETURN count(m) AS total"
	place := `node(id: "place:shangjie:chaoyang") { ... on Place { `
	bare, c1 := counted(`{ `+place+`reportingMembers(first: 5) { nodes { id } } } } }`, hopCount)
	full, c2 := counted(`{ `+place+`reportingMembers(first: 5) { totalCount nodes { id } } } } }`, hopCount)
	withInfo, c3 := counted(`{ `+place+`reportingMembers(first: 2) { pageInfo { hasNextPage } edges { node { id } } } } } }`, hopCount)
	if c1 || !c2 || !c3 {
		t.Fatalf("counted: %t without totalCount (want false), %t with it, %t with pageInfo (want true)", c1, c2, c3)
	}
	n := dig(t, full, "node.reportingMembers.totalCount").(float64)
	if n < 3 {
		t.Fatalf("the demo's place has %v reporting members; the test needs 3 or more", n)
	}
	if !reflect.DeepEqual(dig(t, bare, "node.reportingMembers.nodes"), dig(t, full, "node.reportingMembers.nodes")) {
		t.Fatalf("the entries differ: %v, %v", bare, full)
	}
	if dig(t, withInfo, "node.reportingMembers.pageInfo.hasNextPage") != true {
		t.Fatalf("%v members, 2 asked: hasNextPage %v", n, withInfo)
	}
	// Aliases of one list, one with the count, through a fragment: each gets what it asks.
	both, _ := counted(`{ `+place+`a: reportingMembers(first: 5) { nodes { id } } ...counted } } }
		fragment counted on Place { b: reportingMembers(first: 5) { totalCount nodes { id } } }`, hopCount)
	if dig(t, both, "node.b.totalCount").(float64) != n || !reflect.DeepEqual(dig(t, both, "node.a.nodes"), dig(t, both, "node.b.nodes")) {
		t.Fatalf("aliases: %v", both)
	}
	// A root list.
	list := `places(filter: {within: "place:shangjie", kinds: [COMMUNITY]}, orderBy: {key: ID}, first: 3) { `
	bareList, c4 := counted(`{ `+list+`nodes { id } } }`, listCount)
	fullList, c5 := counted(`{ `+list+`totalCount nodes { id } } }`, listCount)
	if c4 || !c5 {
		t.Fatalf("list counted: %t without totalCount (want false), %t with it", c4, c5)
	}
	if dig(t, fullList, "places.totalCount").(float64) < 3 || !reflect.DeepEqual(dig(t, bareList, "places.nodes"), dig(t, fullList, "places.nodes")) {
		t.Fatalf("the lists differ: %v, %v", bareList, fullList)
	}
	// From the end the length is needed, asked or not.
	last, c6 := counted(`{ `+place+`reportingMembers(last: 2) { nodes { id } } } } }`, hopCount)
	if !c6 || len(dig(t, last, "node.reportingMembers.nodes").([]any)) != 2 {
		t.Fatalf("last 2: counted %t, %v", c6, last)
	}
}

// recordingServer serves the demo data without the answer cache and returns a function that asks
// a query and gives its data and the statements it sent.
func recordingServer(t *testing.T) func(query string) (map[string]any, []string) {
	demoServer(t) // the demo data
	var mu sync.Mutex
	var sent []string
	store, err := neo4jstore.Open(neo4jstore.Config{URI: storetest.URI(t), QueryTimeout: time.Minute,
		OnStatement: func(_ context.Context, cypher string, _ map[string]any) {
			mu.Lock()
			defer mu.Unlock()
			sent = append(sent, cypher)
		}}, storetest.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close(context.Background()) })
	srv := startOver(t, store, server.Config{AnswerCacheBytes: -1})
	return func(query string) (map[string]any, []string) {
		mu.Lock()
		sent = nil
		mu.Unlock()
		data := srv.gql(t, query, nil)
		mu.Lock()
		defer mu.Unlock()
		return data, append([]string(nil), sent...)
	}
}
