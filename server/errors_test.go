package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/server"
)

// Every way a request can go wrong answers a GraphQL-shaped error with a code (never INTERNAL)
// and the status its kind calls for: what urql, graphql-request, Apollo and the explorer read.
func TestEveryErrorHasACode(t *testing.T) {
	demoServer(t)
	srv := start(t, "", server.Config{AllowWrites: true, Auth: server.AuthConfig{Anonymous: "off", IntrospectionRoles: []graph.Role{graph.RoleAdmin}}})
	keys := makeKeys(t)
	for _, c := range []struct {
		name, method, path, contentType, accept, key, body string
		status                                             int
		code                                               string
	}{
		{"no credentials", "POST", "/graphql", "application/json", "", "", `{"query":"{ __typename }"}`, 401, "UNAUTHENTICATED"},
		{"a bad key", "POST", "/graphql", "application/json", "", "gj_nope", `{"query":"{ __typename }"}`, 401, "UNAUTHENTICATED"},
		{"a bad token", "POST", "/graphql", "application/json", "", "a.b.c", `{"query":"{ __typename }"}`, 401, "UNAUTHENTICATED"},
		{"a bad key on /changes", "GET", "/changes", "", "", "gj_nope", "", 401, "UNAUTHENTICATED"},
		{"a viewer on /export", "GET", "/export", "", "", "viewer", "", 403, "FORBIDDEN"},
		{"a viewer on /import", "POST", "/import", "application/x-ndjson", "", "viewer", "{}", 403, "FORBIDDEN"},
		{"introspection refused", "POST", "/graphql", "application/json", "", "viewer", `{"query":"{ __schema { queryType { name } } }"}`, 200, "FORBIDDEN"},
		{"PUT", "PUT", "/graphql", "application/json", "", "admin", `{"query":"{ __typename }"}`, 405, "BAD_USER_INPUT"},
		{"text/plain", "POST", "/graphql", "text/plain", "", "admin", `{ __typename }`, 415, "BAD_USER_INPUT"},
		{"not JSON", "POST", "/graphql", "application/json", "", "admin", `{"query": `, 400, "BAD_USER_INPUT"},
		{"no query", "POST", "/graphql", "application/json", "", "admin", `{"qeury":"{ __typename }"}`, 400, "BAD_USER_INPUT"},
		{"a query that is not a string", "POST", "/graphql", "application/json", "", "admin", `{"query": 7}`, 400, "BAD_USER_INPUT"},
		{"a mutation over GET", "GET", "/graphql?query=mutation%7Bunlink(relationshipKind%3APART_OF%2Cfrom%3A%22a%22%2Cto%3A%22b%22)%7Bevents%7Bseq%7D%7D%7D", "", "", "admin", "", 405, "BAD_USER_INPUT"},
		{"an Accept it cannot meet", "POST", "/graphql", "application/json", "text/html", "admin", `{"query":"{ __typename }"}`, 406, "BAD_USER_INPUT"},
		{"a parse error", "POST", "/graphql", "application/json", "", "admin", `{"query":"{"}`, 200, "BAD_USER_INPUT"},
		{"a parse error (graphql-response+json)", "POST", "/graphql", "application/json", "application/graphql-response+json", "admin", `{"query":"{"}`, 400, "BAD_USER_INPUT"},
		{"an unknown field", "POST", "/graphql", "application/json", "", "admin", `{"query":"{ nope }"}`, 200, "BAD_USER_INPUT"},
		{"a variable of the wrong type", "POST", "/graphql", "application/json", "", "admin", `{"query":"query($n: Int!) { places(first: $n) { totalCount } }","variables":{"n":"x"}}`, 200, "BAD_USER_INPUT"},
		{"search operators", "POST", "/graphql", "application/json", "", "admin", `{"query":"{ search(text: \"a AND OR b\") { totalCount } }"}`, 200, ""},
		{"search syntax", "POST", "/graphql", "application/json", "", "admin", `{"query":"{ search(text: \"金凤*~ (\\\"\") { totalCount } }"}`, 200, ""},
		{"a cursor that is not one", "POST", "/graphql", "application/json", "", "admin", `{"query":"{ places(first: 2, after: \"nope\") { totalCount } }"}`, 200, "BAD_USER_INPUT"},
		{"a page too large", "POST", "/graphql", "application/json", "", "admin", `{"query":"{ places(first: 100000) { totalCount } }"}`, 200, "BAD_USER_INPUT"},
		{"a node that does not exist", "POST", "/graphql", "application/json", "", "admin", `{"query":"{ statistics(place: \"place:nowhere\") { communities } }"}`, 200, "NOT_FOUND"},
		{"a missing place's statistics in two statements", "POST", "/graphql", "application/json", "", "admin", `{"query":"{ statistics(place: \"place:nowhere\") { communities members } }"}`, 200, "NOT_FOUND"},
	} {
		req, _ := http.NewRequest(c.method, srv.URL+c.path, strings.NewReader(c.body))
		if c.contentType != "" {
			req.Header.Set("Content-Type", c.contentType)
		}
		if c.accept != "" {
			req.Header.Set("Accept", c.accept)
		}
		if k := keys[c.key]; k != "" {
			req.Header.Set("X-Api-Key", k)
		} else if c.key != "" {
			req.Header.Set("X-Api-Key", c.key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var body struct {
			Errors []struct {
				Message    string         `json:"message"`
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Errorf("%s: not JSON: %d %s", c.name, resp.StatusCode, raw)
			continue
		}
		if resp.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d: %s", c.name, resp.StatusCode, c.status, raw)
		}
		if c.code == "" {
			if len(body.Errors) > 0 {
				t.Errorf("%s: errors %s", c.name, raw)
			}
			continue
		}
		if len(body.Errors) == 0 {
			t.Errorf("%s: no error: %s", c.name, raw)
			continue
		}
		for _, e := range body.Errors {
			if e.Extensions["code"] == nil || e.Extensions["code"] == "INTERNAL" {
				t.Errorf("%s: an error without a code, or INTERNAL: %s", c.name, raw)
			}
		}
		if body.Errors[0].Extensions["code"] != c.code {
			t.Errorf("%s: code %v, want %s: %s", c.name, body.Errors[0].Extensions["code"], c.code, raw)
		}
		if len(raw) > 2000 {
			t.Errorf("%s: a %d-byte answer to a small request", c.name, len(raw))
		}
	}
}
