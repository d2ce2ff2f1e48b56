package server_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
	"github.com/gongjian/gongjian/server"
)

// syncBuffer is a log destination that tests read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// observed is a server over the demo data with its own tracer, store tracer and log.
type observed struct {
	url   string
	spans *tracetest.SpanRecorder
	log   *syncBuffer
}

func startObserved(t *testing.T, cfg server.Config) *observed {
	t.Helper()
	demoServer(t)
	o := &observed{spans: tracetest.NewSpanRecorder(), log: &syncBuffer{}}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(o.spans))
	store, err := neo4jstore.Open(neo4jstore.Config{URI: storetest.URI(t), QueryTimeout: time.Minute, Tracer: tp}, storetest.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Tracer = tp
	cfg.ExpectedSchemaVersion = neo4jstore.SchemaVersion()
	cfg.Auth.Anonymous = graph.RoleAdmin
	if cfg.AnswerCacheBytes == 0 {
		cfg.AnswerCacheBytes = -1
	}
	srv := server.New(cfg, store, slog.New(slog.NewTextHandler(io.MultiWriter(o.log, testWriter{t}), nil)))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	o.url = "http://" + ln.Addr().String()
	waitReady(t, o.url)
	return o
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func waitReady(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(storetest.Patience(60*time.Second, 0))
	for {
		if resp, err := http.Get(url + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the server did not become ready")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// ask posts a GraphQL request with extra headers and returns the response and its body.
func ask(t *testing.T, url, query string, vars map[string]any, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, raw
}

// scrape reads /metrics with the Prometheus text parser.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics answered %d", resp.StatusCode)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return families
}

// sample finds the metric of a family whose labels include the given ones.
func sample(families map[string]*dto.MetricFamily, name string, labels map[string]string) *dto.Metric {
	f := families[name]
	if f == nil {
		return nil
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for k, v := range labels {
			if have[k] != v {
				continue next
			}
		}
		return m
	}
	return nil
}

func TestMetricsFollowOperations(t *testing.T) {
	o := startObserved(t, server.Config{})
	before := scrape(t, o.url)
	const q = `query CoverageOfChaoyang($p: ID!) { coverage(place: $p, first: 5) { totalCount } }`
	for range 3 {
		if resp, raw := ask(t, o.url, q, map[string]any{"p": "place:shangjie:chaoyang"}, nil); resp.StatusCode != 200 || bytes.Contains(raw, []byte(`"errors"`)) {
			t.Fatalf("%d %s", resp.StatusCode, raw)
		}
	}
	ask(t, o.url, `query Missing { node(id: "") { id } statistics(place: "place:nowhere") { communities } }`, nil, nil)
	after := scrape(t, o.url)

	ops := map[string]string{"operation": "CoverageOfChaoyang", "type": "query", "code": "OK"}
	if m := sample(after, "gongjian_graphql_operations_total", ops); m == nil || m.GetCounter().GetValue() != 3 {
		t.Fatalf("operations counter: %v", m)
	}
	if m := sample(before, "gongjian_graphql_operations_total", ops); m != nil {
		t.Fatalf("counted before it ran: %v", m)
	}
	if m := sample(after, "gongjian_graphql_operations_total", map[string]string{"operation": "Missing", "code": "NOT_FOUND"}); m == nil {
		t.Fatalf("the failed operation is not counted by its code: %v", after["gongjian_graphql_operations_total"])
	}
	h := sample(after, "gongjian_graphql_operation_duration_seconds", map[string]string{"operation": "CoverageOfChaoyang"})
	if h == nil || h.GetHistogram().GetSampleCount() != 3 || h.GetHistogram().GetSampleSum() <= 0 {
		t.Fatalf("duration histogram: %v", h)
	}
	if st := sample(after, "gongjian_graphql_operation_cypher_statements", map[string]string{"type": "query"}); st == nil || st.GetHistogram().GetSampleSum() < 3 {
		t.Fatalf("statements histogram: %v", st)
	}
	if m := sample(after, "gongjian_http_requests_total", map[string]string{"route": "/graphql", "code": "200"}); m == nil || m.GetCounter().GetValue() < 4 {
		t.Fatalf("http requests: %v", m)
	}
	if m := sample(after, "gongjian_ready", nil); m == nil || m.GetGauge().GetValue() != 1 {
		t.Errorf("gongjian_ready: %v", m)
	}
	for _, name := range []string{"gongjian_feed_sequence", "gongjian_subscriptions", "gongjian_subscription_lag_events",
		"gongjian_neo4j_transactions_open", "gongjian_neo4j_transactions_waiting", "gongjian_neo4j_pool_max_connections",
		"go_goroutines", "process_resident_memory_bytes", "gongjian_http_request_duration_seconds"} {
		if after[name] == nil {
			t.Errorf("no %s", name)
		}
	}
	head, err := storetest.Open(t, storetest.URI(t)).FeedHead(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if m := sample(after, "gongjian_feed_sequence", nil); m == nil || m.GetCounter().GetValue() != float64(head) {
		t.Errorf("feed sequence: %v, the store's head %d", m, head)
	}

	// Operation names are client text: the label set stays bounded.
	for i := range 130 {
		ask(t, o.url, fmt.Sprintf(`query Name%d { serviceStatus { ready } }`, i), nil, nil)
	}
	names := map[string]bool{}
	for _, m := range scrape(t, o.url)["gongjian_graphql_operations_total"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "operation" {
				names[l.GetValue()] = true
			}
		}
	}
	if len(names) > 101 || !names["other"] {
		t.Fatalf("%d operation label values (want at most 100 names and other)", len(names))
	}
}

func TestTracesAndRequestLogs(t *testing.T) {
	o := startObserved(t, server.Config{SlowOperation: time.Nanosecond})
	const trace = "4bf92f3577b34da6a3ce929d0e0e4736"
	place := "place:shangjie:chaoyang"
	resp, raw := ask(t, o.url, `query Reporters($p: ID!) { node(id: $p) { ... on Place { name reportingMembers(first: 3) { nodes { name } } } } }`,
		map[string]any{"p": place}, map[string]string{"traceparent": "00-" + trace + "-00f067aa0ba902b7-01", server.RequestIDHeader: "req-42.a"})
	if resp.StatusCode != 200 || bytes.Contains(raw, []byte(`"errors"`)) {
		t.Fatalf("%d %s", resp.StatusCode, raw)
	}
	if got := resp.Header.Get(server.RequestIDHeader); got != "req-42.a" {
		t.Fatalf("X-Request-Id came back as %q", got)
	}
	// A request id that is not a plain token is replaced.
	resp, _ = ask(t, o.url, `{ serviceStatus { ready } }`, nil, map[string]string{server.RequestIDHeader: "bad id; <script>"})
	if got := resp.Header.Get(server.RequestIDHeader); !regexp.MustCompile(`^[0-9a-f]{24}$`).MatchString(got) {
		t.Fatalf("a made-up request id %q", got)
	}

	var op, http sdktrace.ReadOnlySpan
	var statements []sdktrace.ReadOnlySpan
	deadline := time.Now().Add(10 * time.Second)
	for op == nil || http == nil || len(statements) == 0 {
		statements = nil
		ended := o.spans.Ended()
		for _, s := range ended {
			if s.SpanContext().TraceID().String() != trace {
				continue
			}
			switch name := s.Name(); {
			case name == "graphql query Reporters":
				op = s
			case strings.HasPrefix(name, "neo4j "):
				statements = append(statements, s)
			}
		}
		for _, s := range ended {
			if op != nil && s.SpanContext().SpanID() == op.Parent().SpanID() {
				http = s
			}
		}
		if time.Now().After(deadline) {
			var names []string
			for _, s := range o.spans.Ended() {
				names = append(names, s.Name())
			}
			t.Fatalf("spans of the trace: op %v, http %v, statements %d; all: %v", op != nil, http != nil, len(statements), names)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if http.Parent().SpanID().String() != "00f067aa0ba902b7" || http.SpanKind().String() != "server" {
		t.Fatalf("the HTTP span %q (%v) does not continue the caller's span: its parent %v", http.Name(), http.SpanKind(), http.Parent())
	}
	route := ""
	for _, a := range http.Attributes() {
		if a.Key == "http.route" {
			route = a.Value.Emit()
		}
	}
	if route != "/graphql" {
		t.Errorf("the HTTP span's route is %q", route)
	}
	attrs := map[string]string{}
	for _, a := range op.Attributes() {
		attrs[string(a.Key)] = a.Value.Emit()
	}
	if attrs["graphql.operation.name"] != "Reporters" || attrs["gongjian.db_round_trips"] == "" || attrs["gongjian.complexity"] == "" {
		t.Fatalf("operation span attributes: %v", attrs)
	}
	for _, s := range statements {
		if s.Parent().SpanID() != op.SpanContext().SpanID() {
			t.Errorf("statement span %s is not the operation's child", s.Name())
		}
		for _, a := range s.Attributes() {
			if strings.Contains(a.Value.Emit(), place) || strings.Contains(a.Value.Emit(), "MATCH") {
				t.Errorf("statement span %s carries %s=%s", s.Name(), a.Key, a.Value.Emit())
			}
		}
	}

	// One line for the operation, and (above the 1 ns threshold) the slow one with the
	// statements' names, both with the request id.
	logs := o.log.String()
	var opLine, slowLine string
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, "request_id=req-42.a") && strings.Contains(l, "name=Reporters") {
			if strings.Contains(l, `msg="slow operation"`) {
				slowLine = l
			} else {
				opLine = l
			}
		}
	}
	if slowLine == "" || !strings.Contains(slowLine, "round_trips=") || !regexp.MustCompile(`statements="?\[`).MatchString(slowLine) ||
		!strings.Contains(slowLine, "Lookup") || !strings.Contains(slowLine, "trace_id="+trace) {
		t.Fatalf("no slow-operation line with the request id, trace id and statements:\n%s", logs)
	}
	if opLine == "" {
		// With a 1 ns threshold every operation is slow: the request line carries the id too.
		if !strings.Contains(logs, "request_id=req-42.a") {
			t.Fatalf("the request id is not in the logs:\n%s", logs)
		}
	}
}

func TestCompressionCachingFaviconAndAdmin(t *testing.T) {
	admin, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	adminAddr := admin.Addr().String()
	admin.Close()
	o := startObserved(t, server.Config{AdminAddr: adminAddr, Pprof: true})

	page := get(t, o.url+"/", nil)
	ref := regexp.MustCompile(`/assets/graphiql\.js\?v=[0-9a-f]+`).FindString(string(page.body))
	if ref == "" {
		t.Fatalf("GraphiQL does not ask for a fingerprinted bundle:\n%s", page.body)
	}
	for _, name := range []string{ref, "/assets/graphiql.css", "/assets/explore.js", "/assets/layout.worker.js"} {
		plain := get(t, o.url+name, map[string]string{"Accept-Encoding": "identity"})
		zipped := get(t, o.url+name, map[string]string{"Accept-Encoding": "gzip, br"})
		if zipped.header.Get("Content-Encoding") != "gzip" || plain.header.Get("Content-Encoding") != "" {
			t.Fatalf("%s: Content-Encoding %q with gzip accepted, %q without", name, zipped.header.Get("Content-Encoding"), plain.header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(zipped.body))
		if err != nil {
			t.Fatal(err)
		}
		unzipped, _ := io.ReadAll(zr)
		if !bytes.Equal(unzipped, plain.body) {
			t.Fatalf("%s: the gzip body does not decompress to the asset", name)
		}
		storetest.Record(t, "%s: %d bytes, %d gzip-compressed (%.0f%%)", strings.Split(name, "?")[0], len(plain.body), len(zipped.body),
			100*float64(len(zipped.body))/float64(len(plain.body)))
	}
	if cc := get(t, o.url+ref, nil).header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Fatalf("a fingerprinted bundle is cached as %q", cc)
	}
	if cc := get(t, o.url+"/assets/graphiql.js", nil).header.Get("Cache-Control"); cc != "no-cache" {
		t.Fatalf("a bundle without its fingerprint is cached as %q", cc)
	}
	// The GraphQL answer is compressed too when large enough.
	_, raw := ask(t, o.url, `{ places(first: 200) { nodes { id name kind } } }`, nil, nil)
	zipped := get(t, o.url+"/graphql?query="+strings.ReplaceAll(`{places(first:200){nodes{id name kind}}}`, " ", "%20"), map[string]string{"Accept-Encoding": "gzip"})
	if zipped.header.Get("Content-Encoding") != "gzip" || len(zipped.body) >= len(raw) {
		t.Fatalf("a %d-byte answer came back %q, %d bytes", len(raw), zipped.header.Get("Content-Encoding"), len(zipped.body))
	}

	icon := get(t, o.url+"/favicon.ico", nil)
	if icon.status != 200 || icon.header.Get("Content-Type") != "image/svg+xml" || !bytes.Contains(icon.body, []byte("<svg")) {
		t.Fatalf("favicon: %d %q", icon.status, icon.header.Get("Content-Type"))
	}
	// Metrics and the profiler on the admin address only.
	if r := get(t, o.url+"/metrics", nil); r.status != http.StatusNotFound {
		t.Fatalf("/metrics on the public address: %d", r.status)
	}
	if r := get(t, o.url+"/debug/pprof/", nil); r.status != http.StatusNotFound {
		t.Fatalf("/debug/pprof/ on the public address: %d", r.status)
	}
	if r := get(t, "http://"+adminAddr+"/debug/pprof/", nil); r.status != 200 || !bytes.Contains(r.body, []byte("goroutine")) {
		t.Fatalf("/debug/pprof/ on the admin address: %d", r.status)
	}
	if families := scrape(t, "http://"+adminAddr); families["gongjian_http_requests_total"] == nil {
		t.Fatal("no HTTP metrics on the admin address")
	}
}

type got struct {
	status int
	header http.Header
	body   []byte
}

// get fetches a URL without the client's transparent decompression.
func get(t *testing.T, url string, headers map[string]string) got {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return got{resp.StatusCode, resp.Header, body}
}
