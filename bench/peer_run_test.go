package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/gongjian/gongjian/graph/neo4jstore"
)

// variations is how many different places (or units) each shape is asked about; every one
// is checked to give equal answers from gongjian and the peer before anything is measured.
const variations = 20

// A contender answers the i-th request of a shape.
type contender struct {
	name string
	do   func(ctx context.Context, i int) error
}

// peerFigures are one shape's measurements.
type peerFigures struct {
	shape      string
	statements int
	bytes      int
	// compiled is how many statements the peer compiled for a request.
	compiled   int
	p50, p99   [5]float64 // ms: gongjian, peer, floor, gongjian with its answer cache, compiled
	rps1, rps8 [5]float64
}

// BenchmarkPeer compares gongjian with @neo4j/graphql (bench/peer) and with the floor (the
// statements gongjian sends, replayed straight through the driver) on the city profile, the
// three interleaved request by request in one run; a fourth contender is gongjian with its
// answer cache, asked the same variations again and again, and a fifth the statement the peer
// compiles for the request (captured from a second peer) sent through the Go driver: what a
// Go server compiling the selection set into one statement, as the peer does, would start
// from, measured against the floor of gongjian's statements per level. b.N is the number of requests per
// contender and shape at one client; at eight clients each contender runs 5 rounds of
// max(b.N, 40) requests and the median rate is kept. `make bench-peer` runs it and prints
// the table, which it also writes to test-output/bench-peer.md.
func BenchmarkPeer(b *testing.B) {
	log := &statementLog{}
	a := startWithStore(b, "GONGJIAN_BENCH_NEO4J_URI", "the city profile", -1, func(c *neo4jstore.Config) { c.OnStatement = log.record })
	uri := os.Getenv("GONGJIAN_BENCH_NEO4J_URI")
	shapes := peerShapes(a.ids(b, city, "DISTRICT"), a.ids(b, city, "STREET"), a.ids(b, city, "COMMUNITY"), a.unitIDs(b), todayString())

	// The peer's @cypher fields carry the statements gongjian sends for the questions; for the
	// statistics, the one statement of all its parts (gongjian itself sends the members' part
	// and the others' as two statements at once), taken from a gongjian told to send one.
	one := startWithStore(b, "GONGJIAN_BENCH_NEO4J_URI", "the city profile", -1, func(c *neo4jstore.Config) {
		c.OnStatement = log.record
		c.StatisticsInOneStatement = true
	})
	statements := map[string]string{}
	for _, s := range shapes {
		if s.question == "" {
			continue
		}
		g, _ := s.vars(0)
		list := log.capture(func() { post(b, one.client, one.url, s.gongjian, g) })
		if len(list) != 1 {
			b.Fatalf("%s: gongjian sent %d statements, the peer's @cypher field carries one", s.name, len(list))
		}
		statements[s.question] = inlineParams(list[0].cypher, list[0].params, "parts")
	}
	peer := startPeer(b, uri, statements, false)
	capturer := startPeer(b, uri, statements, true)
	cached := startWithStore(b, "GONGJIAN_BENCH_NEO4J_URI", "the city profile", 0, func(*neo4jstore.Config) {})
	driver, err := neo4j.NewDriverWithContext(uri, neo4j.NoAuth(), func(c *neo4j.Config) { c.MaxConnectionPoolSize = 32 })
	if err != nil {
		b.Fatal(err)
	}
	defer driver.Close(context.Background())
	client := &http.Client{Timeout: 5 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 32}}

	var table []peerFigures
	for _, s := range shapes {
		// Equal answers first: every variation, gongjian against the peer; and what gongjian
		// sends for each, for the floor.
		floor := make([][]statement, variations)
		compiled := make([][]statement, variations)
		fig := peerFigures{shape: s.name}
		for i := range variations {
			g, p := s.vars(i)
			var ga map[string]any
			floor[i] = log.capture(func() { ga = post(b, a.client, a.url, s.gongjian, g) })
			pa := post(b, client, peer.url, s.peer, p)
			capturer.compiled(b) // what came before
			if ca := post(b, client, capturer.url, s.peer, p); !reflect.DeepEqual(ca, pa) {
				b.Fatalf("%s, request %d: the capturing peer answers otherwise", s.name, i)
			}
			if compiled[i] = capturer.compiled(b); len(compiled[i]) == 0 {
				b.Fatalf("%s, request %d: no statement captured from the peer", s.name, i)
			}
			if !reflect.DeepEqual(ga, pa) {
				gj, _ := json.Marshal(ga)
				pj, _ := json.Marshal(pa)
				b.Fatalf("%s, request %d: the answers differ\ngongjian: %.1500s\npeer:     %.1500s", s.name, i, gj, pj)
			}
			if i == 0 {
				raw, _ := json.Marshal(ga)
				fig.bytes, fig.statements, fig.compiled = len(raw), len(floor[i]), len(compiled[i])
			}
		}
		if b.N == 1 {
			continue // go test's first, sizing run: the answers are checked, nothing is measured
		}
		contenders := [5]contender{
			{"gongjian", func(ctx context.Context, i int) error {
				g, _ := s.vars(i % variations)
				return ask(ctx, client, a.url, s.gongjian, g)
			}},
			{"peer", func(ctx context.Context, i int) error {
				_, p := s.vars(i % variations)
				return ask(ctx, client, peer.url, s.peer, p)
			}},
			{"floor", func(ctx context.Context, i int) error { return replayErr(ctx, driver, floor[i%variations]) }},
			// The same server code with its answer cache: the shape's 20 variations asked
			// again and again, as dashboards do, with no write between.
			{"gongjian cached", func(ctx context.Context, i int) error {
				g, _ := s.vars(i % variations)
				return ask(ctx, client, cached.url, s.gongjian, g)
			}},
			{"compiled", func(ctx context.Context, i int) error { return replayErr(ctx, driver, compiled[i%variations]) }},
		}
		measurePeer(b, contenders, &fig)
		table = append(table, fig)
	}
	if b.N == 1 {
		return
	}
	out := peerTable(table)
	fmt.Print(out)
	if err := os.MkdirAll("../test-output", 0o755); err == nil {
		_ = os.WriteFile("../test-output/bench-peer.md", []byte(out), 0o644)
	}
}

// measurePeer times the contenders: at one client interleaved request by request (the
// order rotating), then at eight clients in alternating rounds.
func measurePeer(b *testing.B, cs [5]contender, fig *peerFigures) {
	ctx := context.Background()
	for k := range cs { // warm every plan and connection
		for i := range variations {
			if err := cs[k].do(ctx, i); err != nil {
				b.Fatal(err)
			}
		}
	}
	lat := [5][]time.Duration{}
	var total [5]time.Duration
	for i := range b.N {
		for j := range cs {
			k := (i + j) % len(cs)
			t0 := time.Now()
			if err := cs[k].do(ctx, i); err != nil {
				b.Fatal(err)
			}
			d := time.Since(t0)
			lat[k] = append(lat[k], d)
			total[k] += d
		}
	}
	for k := range cs {
		slices.Sort(lat[k])
		fig.p50[k] = ms(lat[k][len(lat[k])/2])
		fig.p99[k] = ms(lat[k][min(len(lat[k])-1, len(lat[k])*99/100)])
		fig.rps1[k] = float64(len(lat[k])) / total[k].Seconds()
	}
	const clients, rounds = 8, 5
	n := max(b.N, 40)
	rates := [5][]float64{}
	for r := range rounds {
		for j := range cs {
			k := (r + j) % len(cs)
			rate, err := concurrentRate(ctx, clients, n, cs[k].do)
			if err != nil {
				b.Fatal(err)
			}
			rates[k] = append(rates[k], rate)
		}
	}
	for k := range cs {
		slices.Sort(rates[k])
		fig.rps8[k] = rates[k][len(rates[k])/2]
	}
}

// concurrentRate sends requests 0 to n-1 (do(ctx, i)) from a number of clients at once, each
// taking the next request when it has its answer, and returns the requests per second; the
// first error stops it.
func concurrentRate(ctx context.Context, clients, n int, do func(ctx context.Context, i int) error) (float64, error) {
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	t0 := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				if err := do(ctx, i); err != nil {
					failed.Store(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		return 0, err
	}
	return float64(n) / time.Since(t0).Seconds(), nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// ask sends a GraphQL request and reads its answer, which must hold no errors.
func ask(ctx context.Context, client *http.Client, url, query string, vars map[string]any) error {
	_, err := askCache(ctx, client, url, query, vars)
	return err
}

// askCache is ask, and says whether the answer came from the answer cache (extensions.cache).
func askCache(ctx context.Context, client *http.Client, url, query string, vars map[string]any) (hit bool, err error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	var out struct {
		Errors     []any `json:"errors"`
		Extensions struct {
			Cache string `json:"cache"`
		} `json:"extensions"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return false, err
	}
	if len(out.Errors) > 0 {
		return false, fmt.Errorf("%s: %v", url, out.Errors)
	}
	return out.Extensions.Cache == "hit", nil
}

// replayErr sends the statements in one read transaction and reads every record.
func replayErr(ctx context.Context, driver neo4j.DriverWithContext, list []statement) error {
	session := driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeRead})
	defer session.Close(ctx)
	_, err := session.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		for _, s := range list {
			res, err := tx.Run(ctx, s.cypher, s.params)
			if err != nil {
				return nil, err
			}
			if _, err := res.Collect(ctx); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
	return err
}

// peerTable renders the figures as the README's markdown table.
func peerTable(rows []peerFigures) string {
	var s strings.Builder
	fmt.Fprintf(&s, "\n| query shape | statements | answer bytes | gongjian p50 / p99 ms | @neo4j/graphql p50 / p99 ms | floor p50 / p99 ms | gongjian ÷ peer p50 | gongjian ÷ floor p50 | req/s 1 client: gongjian / peer / floor | req/s 8 clients: gongjian / peer / floor | gongjian ÷ peer req/s at 8 | cached gongjian req/s at 8 (÷ peer) |\n")
	fmt.Fprintf(&s, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		fmt.Fprintf(&s, "| %s | %d | %d | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %.2f | %.2f | %.0f / %.0f / %.0f | %.0f / %.0f / %.0f | %.2f | %.0f (%.1f×) |\n",
			r.shape, r.statements, r.bytes, r.p50[0], r.p99[0], r.p50[1], r.p99[1], r.p50[2], r.p99[2],
			r.p50[0]/r.p50[1], r.p50[0]/r.p50[2], r.rps1[0], r.rps1[1], r.rps1[2], r.rps8[0], r.rps8[1], r.rps8[2], r.rps8[0]/r.rps8[1],
			r.rps8[3], r.rps8[3]/r.rps8[1])
	}
	fmt.Fprintf(&s, "\nOne statement per request or one per level (issue 14, item 3): gongjian's statements through the Go driver (the floor) against the statement @neo4j/graphql compiles for the same request, captured from the peer and sent through the Go driver.\n")
	fmt.Fprintf(&s, "\n| query shape | gongjian's statements | floor p50 / p99 ms | peer's statements | compiled p50 / p99 ms | compiled ÷ floor p50 | req/s 8 clients: floor / compiled |\n")
	fmt.Fprintf(&s, "|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		fmt.Fprintf(&s, "| %s | %d | %.1f / %.1f | %d | %.1f / %.1f | %.2f | %.0f / %.0f |\n",
			r.shape, r.statements, r.p50[2], r.p99[2], r.compiled, r.p50[4], r.p99[4], r.p50[4]/r.p50[2], r.rps8[2], r.rps8[4])
	}
	return s.String()
}
