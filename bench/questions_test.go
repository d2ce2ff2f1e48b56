// Package bench measures gongjian through its HTTP API: the analysts' questions on a city-sized
// graph (GONGJIAN_BENCH_NEO4J_URI, the city profile) and the integration path's writes on the
// demo graph (GONGJIAN_BENCH_WRITES_NEO4J_URI, the demo profile). Run it with `make bench`,
// which starts a Neo4j of its own for each, loads the profile into it once, and runs
// `go test -bench` here. Each benchmark reports the p50 and p99 latency of its requests, and
// the questions the Cypher round trips per request.
package bench

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/server"
)

// api is the server under measurement.
type api struct {
	url    string
	client *http.Client
	store  *neo4jstore.Store // the server's store
}

type response struct {
	Data       map[string]any `json:"data"`
	Errors     []any          `json:"errors"`
	Extensions struct {
		DBRoundTrips int `json:"dbRoundTrips"`
	} `json:"extensions"`
}

func (a *api) query(b *testing.B, q string, vars map[string]any) response {
	body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	resp, err := a.client.Post(a.url+"/graphql", "application/json", strings.NewReader(string(body)))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	var out response
	if err := json.Unmarshal(raw, &out); err != nil {
		b.Fatalf("%v: %s", err, raw)
	}
	if len(out.Errors) > 0 {
		b.Fatalf("%v\n%s", out.Errors, q)
	}
	return out
}

// start serves the API over the Neo4j at GONGJIAN_BENCH_NEO4J_URI (the city profile) for the
// benchmark, without the answer cache: the questions are measured cold.
func start(b *testing.B) *api {
	return startWith(b, "GONGJIAN_BENCH_NEO4J_URI", "the city profile", -1)
}

// startOn serves the API over the Neo4j that the environment variable names.
func startOn(b *testing.B, env, holds string) *api { return startWith(b, env, holds, 0) }

// startWith serves the API with an answer cache of the given size (0: the default; negative:
// none).
func startWith(b *testing.B, env, holds string, cacheBytes int64) *api {
	return startWithStore(b, env, holds, cacheBytes, func(*neo4jstore.Config) {})
}

// startWithStore is startWith with the store's configuration adjusted by tune.
func startWithStore(b *testing.B, env, holds string, cacheBytes int64, tune func(*neo4jstore.Config)) *api {
	return startTuned(b, env, holds, cacheBytes, tune, func(*server.Config) {})
}

// startWithServer serves the city profile without the answer cache, with the store's and the
// server's configurations adjusted.
func startWithServer(b *testing.B, tuneStore func(*neo4jstore.Config), tuneServer func(*server.Config)) *api {
	return startTuned(b, "GONGJIAN_BENCH_NEO4J_URI", "the city profile", -1, tuneStore, tuneServer)
}

func startTuned(b *testing.B, env, holds string, cacheBytes int64, tune func(*neo4jstore.Config), tuneServer func(*server.Config)) *api {
	uri := os.Getenv(env)
	if uri == "" {
		b.Skipf("%s is not set: run `make bench`, which starts a Neo4j with %s", env, holds)
	}
	server.TuneGC(os.Getenv, cacheBytes) // as the gongjian binary does
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := neo4jstore.Config{URI: uri, QueryTimeout: 2 * time.Minute}
	tune(&cfg)
	store, err := neo4jstore.Open(cfg, log)
	if err != nil {
		b.Fatal(err)
	}
	// The benchmarks call as an anonymous admin from loopback, with writes allowed.
	scfg := server.Config{ExpectedSchemaVersion: neo4jstore.SchemaVersion(), AllowWrites: true, AnswerCacheBytes: cacheBytes,
		Auth: server.AuthConfig{Anonymous: graph.RoleAdmin, AnonymousLoopbackOnly: true}}
	tuneServer(&scfg)
	srv := server.New(scfg, store, log)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln) }()
	b.Cleanup(func() { cancel(); <-done })
	a := &api{url: "http://" + ln.Addr().String(), client: &http.Client{Timeout: 5 * time.Minute}, store: store}
	for deadline := time.Now().Add(2 * time.Minute); ; {
		resp, err := a.client.Get(a.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			b.Fatal("the server did not become ready")
		}
		time.Sleep(200 * time.Millisecond)
	}
	return a
}

// ids lists the ids of the places of a kind under a place (up to 500).
func (a *api) ids(b *testing.B, within, kind string) []string {
	r := a.query(b, `query($w: ID!, $k: PlaceKind!) { places(filter: {within: $w, kinds: [$k]}, first: 500) { nodes { id } } }`,
		map[string]any{"w": within, "k": kind})
	var out []string
	for _, n := range r.Data["places"].(map[string]any)["nodes"].([]any) {
		out = append(out, n.(map[string]any)["id"].(string))
	}
	if len(out) == 0 {
		b.Fatalf("no %s under %s: is the city profile loaded?", kind, within)
	}
	return out
}

// unitIDs lists the ids of up to 500 units of the city.
func (a *api) unitIDs(b *testing.B) []string {
	r := a.query(b, `query($w: ID!) { units(filter: {within: $w}, first: 500) { nodes { id } } }`, map[string]any{"w": city})
	var out []string
	for _, n := range r.Data["units"].(map[string]any)["nodes"].([]any) {
		out = append(out, n.(map[string]any)["id"].(string))
	}
	if len(out) == 0 {
		b.Fatal("no units in the city: is the city profile loaded?")
	}
	return out
}

// measure runs the question b.N times over the given places and reports the latencies'
// p50 and p99 and the round trips per request.
func measure(b *testing.B, a *api, query string, places []string) {
	// One request of each kind first, so that the plans are cached as in a running service.
	a.query(b, query, map[string]any{"id": places[0]})
	lat := make([]time.Duration, 0, b.N)
	trips := 0
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		r := a.query(b, query, map[string]any{"id": places[(i*7919)%len(places)]})
		lat = append(lat, time.Since(t0))
		trips += r.Extensions.DBRoundTrips
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(trips)/float64(b.N), "roundtrips/op")
}

// city is the city whose places the questions ask about: the city profile's, or another
// profile's city given by GONGJIAN_BENCH_ROOT (place:province:c0 for the province profile).
var city = func() string {
	if root := os.Getenv("GONGJIAN_BENCH_ROOT"); root != "" {
		return root
	}
	return "place:city:c0"
}()

// Question 1: the coverage of a community, with paths.
func BenchmarkQ1Coverage(b *testing.B) {
	a := start(b)
	communities := a.ids(b, city, "COMMUNITY")
	measure(b, a, `query($id: ID!) { coverage(place: $id, first: 50) { totalCount unitCount
		nodes { kind since unit { id name kind } path { length nodes { id } relationships { kind } } } } }`, communities)
}

// Question 3: the cross-unit reporters into a street's communities, with their units.
func BenchmarkQ3CrossUnitReporting(b *testing.B) {
	a := start(b)
	streets := a.ids(b, city, "STREET")
	measure(b, a, `query($id: ID!) { crossUnitReporting(filter: {within: $id}, first: 50) { totalCount
		nodes { member { name category } community { name } workUnit { name kind } organisation { name } relationship { since points } } } }`, streets)
}

// Question 3, grouped: the flows into a district's communities.
func BenchmarkQ3ReportingFlows(b *testing.B) {
	a := start(b)
	districts := a.ids(b, city, "DISTRICT")
	measure(b, a, `query($id: ID!) { reportingFlows(filter: {within: $id}, first: 20) { totalCount memberCount
		nodes { members community { name } source { ... on Unit { name kind } ... on PartyOrg { name } } } } }`, districts)
}

// Question 4: the communities of a district that fewer than 3 units cover, and the streets
// without 大工委 seats.
func BenchmarkQ4Gaps(b *testing.B) {
	a := start(b)
	districts := a.ids(b, city, "DISTRICT")
	measure(b, a, `query($id: ID!) { coverageGaps(within: $id, minUnits: 3, first: 50) { totalCount nodes { coveringUnits community { name } } }
		streetsWithoutSeats(within: $id) { totalCount } }`, districts)
}

// Question 7: the statistics of a district.
func BenchmarkQ7Statistics(b *testing.B) {
	a := start(b)
	districts := a.ids(b, city, "DISTRICT")
	measure(b, a, `query($id: ID!) { statistics(place: $id) { communities units members reportingMembers crossUnitReporters
		coverageRate agreements projects claims membersByCategory { kind count } projectsByStatus { kind count } } }`, districts)
}

// Question 7 for the whole city (one place, measured the same way).
func BenchmarkQ7StatisticsCity(b *testing.B) {
	a := start(b)
	measure(b, a, `query($id: ID!) { statistics(place: $id) { communities units members reportingMembers crossUnitReporters
		coverageRate agreements projects claims } }`, []string{city})
}
