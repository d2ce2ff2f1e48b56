package planner_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/gongjian/gongjian/resolvers"
	"github.com/gongjian/gongjian/resolvers/generated"
	"github.com/gongjian/gongjian/resolvers/planner"
	"github.com/gongjian/gongjian/server"
)

// BenchmarkExecute measures what gongjian's GraphQL layer costs beyond the store: gqlgen's
// execution of a query, the planner and the resolvers, and the JSON of the answer, over the
// fake reader (no Neo4j, no HTTP connection), for the first shape of the peer comparison: 20
// communities, 20 units each, their counts. It reports the time per field of the answer (the
// fake's making up of its pages included).
func BenchmarkExecute(b *testing.B) {
	server.TuneGC(os.Getenv, 0) // the collector's settings of the server
	f := &fakeReader{size: 20, calls: map[string]int{}}
	h := handler.New(generated.NewExecutableSchema(generated.Config{Resolvers: &resolvers.Resolver{Graph: f}}))
	h.AddTransport(transport.POST{})
	h.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(planner.WithRequestCache(ctx))
	})
	body := `{"query":"query($id: ID!) { places(filter: {within: $id, kinds: [COMMUNITY]}, orderBy: {key: ID}, first: 20) { totalCount
		edges { node { id name units(orderBy: {key: ID}, first: 20) { totalCount edges { node { id name kind } } } reportingMembers { totalCount } } } } }",
		"variables":{"id":"Place:d"}}`
	body = strings.NewReplacer("\n", " ", "\t", "").Replace(body)
	ask := func() []byte {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Body.Bytes()
	}
	var answer any
	if err := json.Unmarshal(ask(), &answer); err != nil {
		b.Fatal(err)
	}
	fields := countFields(answer)
	if fields != 1764 { // 20 × (id, name, units, its totalCount, edges, 20 × (node, id, name, kind), reportingMembers, its totalCount) + places, totalCount, edges, 20 × node
		b.Fatalf("the answer has %d fields, not 1,764: %.500v", fields, answer)
	}
	b.ReportAllocs()
	for b.Loop() {
		ask()
	}
	b.ReportMetric(float64(fields), "fields")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(fields), "ns/field")
}

// countFields counts the fields of a JSON answer: every key of every object.
func countFields(v any) int {
	n := 0
	switch v := v.(type) {
	case map[string]any:
		for _, x := range v {
			n += 1 + countFields(x)
		}
	case []any:
		for _, x := range v {
			n += countFields(x)
		}
	}
	return n
}
