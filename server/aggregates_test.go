package server_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
	"github.com/gongjian/gongjian/server"
)

// keepingStore is a store on the test database that keeps its districts' statistics.
func keepingStore(t *testing.T) *neo4jstore.Store {
	t.Helper()
	s, err := neo4jstore.Open(neo4jstore.Config{URI: storetest.URI(t), Database: "neo4j", QueryTimeout: storetest.Patience(5*time.Minute, 0),
		AggregateKinds: []graph.PlaceKind{graph.PlaceDistrict}}, storetest.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

// A district's statistics are served from the figures kept until a write, through this server
// process or another; the next read, from either, sees the write, and once the figures are
// computed again (by each process's own refresher) they are served again, with the write.
func TestKeptStatisticsSeeEveryWrite(t *testing.T) {
	demoServer(t)
	ctx := context.Background()
	sa, sb := keepingStore(t), keepingStore(t)
	cfg := server.Config{AllowWrites: true, AnswerCacheBytes: -1, FeedPollInterval: 50 * time.Millisecond}
	a, b := startOver(t, sa, cfg), startOver(t, sb, cfg)
	const district, unit = "place:zhongyuan", "unit:aggregate:test"
	v, err := storetest.Value(ctx, sa, `MATCH (c:Place {kind: 'COMMUNITY'})-[:PART_OF*]->(:Place {id: $d}) RETURN c.id AS id ORDER BY id LIMIT 1`, map[string]any{"d": district}, "id")
	community, _ := v.(string)
	if err != nil || community == "" {
		t.Fatalf("no community in %s: %v", district, err)
	}
	del := func() {
		a.post(t, `mutation($id: ID!) { deleteNode(nodeKind: UNIT, id: $id) { events { op } } }`, map[string]any{"id": unit})
	}
	del()
	t.Cleanup(del)
	const read = `query($id: ID!) { statistics(place: $id) { units unitsByKind { kind count } } }`
	vars := map[string]any{"id": district}
	// Reads the district's units through r, and whether the answer came from the figures kept.
	units := func(r *running, s *neo4jstore.Store) (int, bool) {
		before, _, _ := s.AggregateCounts()
		n := int(num(t, r.gql(t, read, vars), "statistics.units"))
		after, _, _ := s.AggregateCounts()
		return n, after > before
	}
	// Waits until each process's refresher has computed the figures for what is written now.
	refreshed := func(when string) {
		for _, x := range []struct {
			r *running
			s *neo4jstore.Store
		}{{a, sa}, {b, sb}} {
			for deadline := time.Now().Add(storetest.Patience(time.Minute, 0)); ; {
				if _, kept := units(x.r, x.s); kept {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s: the figures kept were not computed again", when)
				}
				time.Sleep(50 * time.Millisecond)
			}
		}
	}
	refreshed("at the start")
	before, _ := units(b, sb)
	a.gql(t, `mutation($id: ID!, $c: ID!) {
  upsertNode(nodeKind: UNIT, id: $id, properties: {name: "统计测试单位", kind: "STATE_OWNED_ENTERPRISE"}) { events { seq } }
  link(relationshipKind: STATIONED_IN, from: $id, to: $c) { events { seq } } }`, map[string]any{"id": unit, "c": community})
	for _, x := range []struct {
		name string
		r    *running
		s    *neo4jstore.Store
	}{{"the writer's process", a, sa}, {"another process", b, sb}} {
		// From the graph, or from figures its refresher computed since: never the old ones.
		if n, _ := units(x.r, x.s); n != before+1 {
			t.Errorf("read through %s right after the write: %d units, want %d", x.name, n, before+1)
		}
	}
	refreshed("after the write")
	for _, x := range []struct {
		r *running
		s *neo4jstore.Store
	}{{a, sa}, {b, sb}} {
		if n, _ := units(x.r, x.s); n != before+1 {
			t.Errorf("the figures computed again say %d units, want %d", n, before+1)
		}
	}
	// Aliases of one place at each set of levels, and a fragment, answer as a server keeping
	// nothing answers, each of the three from the figures kept.
	const aliased = `query($id: ID!) {
  d: statistics(place: $id) { units coveredCommunities coverageRate levels ...F }
  i: statistics(place: $id, levels: [INDIRECT]) { covered: coveredCommunities coverageRate ...F }
  both: statistics(place: $id, levels: [INDIRECT, DIRECT]) { coveredCommunities coverageRate levels
    coverageByLevel { level coveredCommunities coverageRate } place { id name } } }
fragment F on Statistics { members membersByCategory { kind count } communitiesByType { kind count } }`
	plain := start(t, "", server.Config{AnswerCacheBytes: -1})
	servedBefore, _, _ := sb.AggregateCounts()
	got, want := b.gql(t, aliased, vars), plain.gql(t, aliased, vars)
	if servedAfter, _, _ := sb.AggregateCounts(); servedAfter-servedBefore != 3 {
		t.Errorf("%d of the 3 aliased answers came from the figures kept", servedAfter-servedBefore)
	}
	if g, w := fmt.Sprint(got), fmt.Sprint(want); g != w {
		t.Errorf("aliased answers from the figures kept:\n%s\nfrom the graph:\n%s", g, w)
	}
	// /metrics says what the store counted: the answers exactly (no question runs meanwhile),
	// the places computed up to now (the refresher may compute more after the scrape).
	families := scrape(t, b.URL)
	served, stale, made := sb.AggregateCounts()
	for _, c := range []struct {
		name     string
		min, max int64
	}{{"gongjian_statistics_kept_served_total", max(served, 1), served},
		{"gongjian_statistics_kept_stale_total", stale, stale},
		{"gongjian_statistics_kept_computed_total", 1, made}} {
		m := sample(families, c.name, nil)
		if m == nil || int64(m.GetCounter().GetValue()) < c.min || int64(m.GetCounter().GetValue()) > c.max {
			t.Errorf("%s: %v, want %d to %d", c.name, m, c.min, c.max)
		}
	}
}
