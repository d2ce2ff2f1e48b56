package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	coderws "github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
	"github.com/gongjian/gongjian/server"
	"github.com/gongjian/gongjian/web"
)

// running is a server started by a test.
type running struct {
	URL  string
	stop context.CancelFunc
	done chan error
}

// start runs a server against the Neo4j at uri until the test ends (or stop is called).
func start(t *testing.T, uri string, cfg server.Config) *running {
	t.Helper()
	return startOver(t, storetest.Open(t, uri), cfg)
}

// startOver runs a server over the given store until the test ends.
func startOver(t *testing.T, store *neo4jstore.Store, cfg server.Config) *running {
	t.Helper()
	cfg.ExpectedSchemaVersion = neo4jstore.SchemaVersion()
	if cfg.Auth.Anonymous == "" {
		// Tests that are not about access control call as an anonymous admin.
		cfg.Auth.Anonymous = graph.RoleAdmin
	}
	if cfg.MigrationBackoffMax == 0 {
		cfg.MigrationBackoffMax = 500 * time.Millisecond
	}
	srv := server.New(cfg, store, storetest.Logger(t))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{URL: "http://" + ln.Addr().String(), stop: cancel, done: make(chan error, 1)}
	go func() { r.done <- srv.Run(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(storetest.Patience(30*time.Second, 0)):
			t.Error("server did not stop within 30s")
		}
	})
	return r
}

type gqlResponse struct {
	Data       map[string]any `json:"data"`
	Extensions map[string]any `json:"extensions"`
	Errors     []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func (r *running) post(t *testing.T, query string, vars map[string]any) (int, gqlResponse) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := http.Post(r.URL+"/graphql", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, decode(t, resp.Body)
}

func decode(t *testing.T, body io.Reader) gqlResponse {
	t.Helper()
	raw, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("response is not GraphQL JSON: %v\n%s", err, raw)
	}
	return out
}

func (r *running) readyz(t *testing.T) (int, map[string]any) {
	t.Helper()
	resp, err := http.Get(r.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

// waitReady polls /readyz until it answers want, or fails after timeout.
func (r *running) waitReady(t *testing.T, want int, timeout time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		code, body := r.readyz(t)
		if code == want {
			return time.Since(start)
		}
		if time.Since(start) > timeout {
			t.Fatalf("/readyz still answers %d %v after %v; want %d", code, body, timeout, want)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestReadinessFollowsNeo4jWithoutRestart(t *testing.T) {
	db := storetest.NewInstance(t)
	srv := start(t, db.URI(), server.Config{})

	// Neo4j is not up yet: the server runs, says why it is not ready, and still answers.
	code, body := srv.readyz(t)
	if code != http.StatusServiceUnavailable || body["ready"] != false || !strings.Contains(fmt.Sprint(body["reason"]), "neo4j") {
		t.Fatalf("/readyz with Neo4j down = %d %v; want 503 with a reason about neo4j", code, body)
	}
	if resp, err := http.Get(srv.URL + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz with Neo4j down: %v %v", resp, err)
	}
	_, gql := srv.post(t, `{ serviceStatus { ready reason database { reachable } } }`, nil)
	st := gql.Data["serviceStatus"].(map[string]any)
	if st["ready"] != false || st["reason"] == nil || st["database"].(map[string]any)["reachable"] != false {
		t.Fatalf("serviceStatus with Neo4j down = %v", st)
	}

	took := db.Start(t)
	t.Logf("Neo4j started in %v", took)
	// The budgets grow with how slowly this machine started Neo4j: migrating a new database
	// takes longer on a loaded machine too.
	t.Logf("ready %v after Neo4j came up", srv.waitReady(t, http.StatusOK, storetest.Patience(30*time.Second, took)))
	_, body = srv.readyz(t)
	if body["schemaVersion"] != float64(neo4jstore.SchemaVersion()) {
		t.Fatalf("/readyz schemaVersion = %v, want %d", body["schemaVersion"], neo4jstore.SchemaVersion())
	}

	db.Stop(t)
	srv.waitReady(t, http.StatusServiceUnavailable, storetest.Patience(10*time.Second, took))
	took = db.Start(t)
	t.Logf("ready again %v after Neo4j restarted", srv.waitReady(t, http.StatusOK, storetest.Patience(30*time.Second, took)))
	_, gql = srv.post(t, `{ serviceStatus { ready reason database { reachable version } } }`, nil)
	st = gql.Data["serviceStatus"].(map[string]any)
	if st["ready"] != true || st["reason"] != nil || st["database"].(map[string]any)["version"] == nil {
		t.Fatalf("serviceStatus after recovery = %v", st)
	}
}

func TestCORSPreflight(t *testing.T) {
	srv := start(t, "", server.Config{CORSOrigins: []string{"http://viz.example:5173"}})
	for _, tc := range []struct {
		origin  string
		allowed bool
	}{
		{"http://viz.example:5173", true},
		{"http://evil.example", false},
	} {
		req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/graphql", nil)
		req.Header.Set("Origin", tc.origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got := resp.Header.Get("Access-Control-Allow-Origin")
		if tc.allowed {
			if resp.StatusCode/100 != 2 || got != tc.origin {
				t.Errorf("preflight from %s: status %d, allow-origin %q; want 2xx and the origin", tc.origin, resp.StatusCode, got)
			}
			if !strings.Contains(strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers")), "content-type") {
				t.Errorf("preflight from %s: allow-headers %q lacks content-type", tc.origin, resp.Header.Get("Access-Control-Allow-Headers"))
			}
		} else if got != "" {
			t.Errorf("preflight from %s: allow-origin %q; want none", tc.origin, got)
		}

		// The actual request carries the header only for the allowed origin.
		post, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ serviceStatus { ready } }"}`))
		post.Header.Set("Origin", tc.origin)
		post.Header.Set("Content-Type", "application/json")
		resp, err = http.DefaultClient.Do(post)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Access-Control-Allow-Origin"); (got == tc.origin) != tc.allowed {
			t.Errorf("POST from %s: allow-origin %q, allowed=%v", tc.origin, got, tc.allowed)
		}
	}
}

func errorCode(t *testing.T, r gqlResponse) (code, reason string) {
	t.Helper()
	if len(r.Errors) == 0 {
		t.Fatalf("want an error, got data %v", r.Data)
	}
	code, _ = r.Errors[0].Extensions["code"].(string)
	reason, _ = r.Errors[0].Extensions["reason"].(string)
	return code, reason
}

func TestQueryLimitsRejectAbuse(t *testing.T) {
	srv := start(t, "", server.Config{MaxDepth: 15, MaxComplexity: 5000})

	// The introspection query that GraphiQL sends passes both limits.
	status, ok := srv.post(t, introspectionQuery, nil)
	if status != http.StatusOK || len(ok.Errors) > 0 || ok.Data["__schema"] == nil {
		t.Fatalf("introspection: status %d errors %v", status, ok.Errors)
	}

	// Too deep: 20 nested ofType selections.
	deep := "{ __schema { types { " + strings.Repeat("ofType { ", 20) + "name" + strings.Repeat(" }", 20) + " } } }"
	_, resp := srv.post(t, deep, nil)
	if code, reason := errorCode(t, resp); code != "BAD_USER_INPUT" || reason != "DEPTH_LIMIT_EXCEEDED" {
		t.Fatalf("deep query: code %s reason %s (%v)", code, reason, resp.Errors)
	}
	if resp.Data != nil {
		t.Fatalf("deep query returned data: %v", resp.Data)
	}

	// Too complex: 3,000 aliases of a field with two sub-fields.
	var b strings.Builder
	b.WriteString("{")
	for i := range 3000 {
		fmt.Fprintf(&b, " a%d: serviceStatus { ready reason }", i)
	}
	b.WriteString(" }")
	_, resp = srv.post(t, b.String(), nil)
	if code, reason := errorCode(t, resp); code != "BAD_USER_INPUT" || reason != "COMPLEXITY_LIMIT_EXCEEDED" {
		t.Fatalf("complex query: code %s reason %s (%v)", code, reason, resp.Errors)
	}

	// Malformed, unknown and undecodable requests: a coded GraphQL error, never a bare 500.
	for _, body := range []string{`{"query":"{ serviceStatus { "}`, `{"query":"{ nope }"}`, `garbage`, `{"query":""}`} {
		r, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		out := decode(t, r.Body)
		r.Body.Close()
		if r.StatusCode >= 500 {
			t.Errorf("%s: status %d", body, r.StatusCode)
		}
		if code, _ := errorCode(t, out); code != "BAD_USER_INPUT" {
			t.Errorf("%s: code %q (%v), want BAD_USER_INPUT", body, code, out.Errors)
		}
	}
	_, resp = srv.post(t, `subscription { serviceStatus(pollSeconds: 0) { ready } }`, nil)
	if len(resp.Errors) == 0 {
		t.Fatalf("subscription over POST accepted")
	}
}

func TestGETAndWebsocketSubscription(t *testing.T) {
	srv := start(t, "", server.Config{})
	srv.waitReady(t, http.StatusOK, storetest.Patience(30*time.Second, 0))

	resp, err := http.Get(srv.URL + "/graphql?query=" + url.QueryEscape(`{ serviceStatus { ready } }`))
	if err != nil {
		t.Fatal(err)
	}
	got := decode(t, resp.Body)
	resp.Body.Close()
	if got.Data["serviceStatus"].(map[string]any)["ready"] != true {
		t.Fatalf("GET /graphql = %v %v", got.Data, got.Errors)
	}

	ctx, cancel := context.WithTimeout(context.Background(), storetest.Patience(20*time.Second, 0))
	defer cancel()
	ws, _, err := coderws.Dial(ctx, strings.Replace(srv.URL, "http", "ws", 1)+"/graphql",
		&coderws.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatalf("websocket dial: %v", err)
	}
	defer ws.CloseNow()
	if ws.Subprotocol() != "graphql-transport-ws" {
		t.Fatalf("subprotocol %q", ws.Subprotocol())
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(wsjson.Write(ctx, ws, map[string]any{"type": "connection_init"}))
	var msg map[string]any
	must(wsjson.Read(ctx, ws, &msg))
	if msg["type"] != "connection_ack" {
		t.Fatalf("want connection_ack, got %v", msg)
	}
	must(wsjson.Write(ctx, ws, map[string]any{"id": "1", "type": "subscribe",
		"payload": map[string]any{"query": `subscription { serviceStatus(pollSeconds: 1) { ready database { version } } }`}}))
	for {
		must(wsjson.Read(ctx, ws, &msg))
		if msg["type"] == "ping" {
			continue
		}
		break
	}
	if msg["type"] != "next" || msg["id"] != "1" {
		t.Fatalf("want next for subscription 1, got %v", msg)
	}
	payload := msg["payload"].(map[string]any)["data"].(map[string]any)["serviceStatus"].(map[string]any)
	if payload["ready"] != true {
		t.Fatalf("subscription payload %v", payload)
	}

	// A websocket from a foreign origin is refused.
	_, r, err := coderws.Dial(ctx, strings.Replace(srv.URL, "http", "ws", 1)+"/graphql", &coderws.DialOptions{
		Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: http.Header{"Origin": {"http://evil.example"}}})
	if err == nil || r == nil || r.StatusCode != http.StatusForbidden {
		t.Fatalf("websocket from a foreign origin: err %v, response %v; want 403", err, r)
	}
}

func TestGraphiQLIsServedWithItsAssets(t *testing.T) {
	if !web.Built() {
		t.Fatal("web assets are not built: run `make web` (make test does)")
	}
	srv := start(t, "", server.Config{})
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "/assets/graphiql.js") {
		t.Fatalf("GET / = %d\n%s", resp.StatusCode, page)
	}
	if strings.Contains(string(page), "://") {
		t.Fatalf("the GraphiQL page loads something from another host:\n%s", page)
	}
	for _, asset := range []string{"/assets/graphiql.js", "/assets/graphiql.css"} {
		resp, err := http.Get(srv.URL + asset)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || n < 10_000 {
			t.Fatalf("GET %s = %d, %d bytes", asset, resp.StatusCode, n)
		}
	}
}

// TestGracefulShutdownFinishesInFlightRequest sends the headers of a request, starts the
// shutdown, then sends the body: the request must be served in full before Run returns, and
// new connections must be refused meanwhile.
func TestGracefulShutdownFinishesInFlightRequest(t *testing.T) {
	srv := start(t, "", server.Config{})
	srv.waitReady(t, http.StatusOK, storetest.Patience(30*time.Second, 0))
	addr := strings.TrimPrefix(srv.URL, "http://")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"query":"{ serviceStatus { ready database { version } } }"}`
	fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", addr, len(body))
	half := len(body) / 2
	if _, err := conn.Write([]byte(body[:half])); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // the server is now reading the body: the request is in flight

	srv.stop()
	time.Sleep(300 * time.Millisecond)
	select {
	case err := <-srv.done:
		t.Fatalf("Run returned (%v) while a request was in flight", err)
	default:
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatal("the server accepts new connections while shutting down")
	}

	if _, err := conn.Write([]byte(body[half:])); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the in-flight response: %v", err)
	}
	got := decode(t, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || got.Data["serviceStatus"].(map[string]any)["ready"] != true {
		t.Fatalf("in-flight request: status %d, %v %v", resp.StatusCode, got.Data, got.Errors)
	}
	select {
	case err := <-srv.done:
		if err != nil {
			t.Fatalf("Run returned %v", err)
		}
	case <-time.After(storetest.Patience(10*time.Second, 0)):
		t.Fatal("Run did not return after the in-flight request finished")
	}
	srv.done <- nil // for the cleanup
}

// introspectionQuery is the query GraphiQL sends (graphql-js 16 getIntrospectionQuery).
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}`
