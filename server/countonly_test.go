package server_test

import (
	"context"
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
	statements := func(query string) (map[string]any, []string) {
		mu.Lock()
		sent = nil
		mu.Unlock()
		data := srv.gql(t, query, nil)
		mu.Lock()
		defer mu.Unlock()
		return data, append([]string(nil), sent...)
	}
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
