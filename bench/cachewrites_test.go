package bench

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkCachedUnderWrites measures what whole-cache invalidation costs the answer cache
// (issue 14, item 2: whether invalidating by place would pay): 8 clients ask the coverage of 20
// communities again and again, as a dashboard does, for 3 s, while one writer commits writes
// elsewhere at a steady rate (0, 1, 10 and 50 a second: an upsert of one node that no question
// reads, so every commit advances the feed and nothing else changes). Each rate runs b.N
// rounds, the rates alternating; it reports the requests/s and the share of answers served
// from the cache at each rate.
func BenchmarkCachedUnderWrites(b *testing.B) {
	a := startWith(b, "GONGJIAN_BENCH_NEO4J_URI", "the city profile", 0)
	places := a.ids(b, city, "COMMUNITY")[:20]
	const query = `query($id: ID!) { coverage(place: $id, first: 50) { totalCount unitCount nodes { kind level unit { id name kind } path { length } } } }`
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	write := func(i int) error {
		return ask(context.Background(), client, a.url, `mutation($name: String!) { upsertNode(nodeKind: PLACE, id: "place:bench:cache-writer",
			properties: {name: $name, kind: "GRID"}) { events { seq } } }`, map[string]any{"name": fmt.Sprintf("写入 %d", i)})
	}
	rates := []int{0, 1, 10, 50}
	reqs := make([]float64, len(rates))
	hits := make([]float64, len(rates))
	const phase = 3 * time.Second
	for round := range b.N {
		for j := range rates {
			k := (round + j) % len(rates)
			ctx, cancel := context.WithTimeout(context.Background(), phase)
			var wg sync.WaitGroup
			var failed atomic.Value
			if rates[k] > 0 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					tick := time.NewTicker(time.Second / time.Duration(rates[k]))
					defer tick.Stop()
					for i := 0; ; i++ {
						select {
						case <-ctx.Done():
							return
						case <-tick.C:
							if err := write(i); err != nil {
								failed.Store(err)
								return
							}
						}
					}
				}()
			}
			var n, h atomic.Int64
			t0 := time.Now()
			for c := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := c; ctx.Err() == nil; i += 8 {
						hit, err := askCache(ctx, client, a.url, query, map[string]any{"id": places[i%len(places)]})
						if ctx.Err() != nil {
							return
						}
						if err != nil {
							failed.Store(err)
							return
						}
						n.Add(1)
						if hit {
							h.Add(1)
						}
					}
				}()
			}
			wg.Wait()
			cancel()
			if err, _ := failed.Load().(error); err != nil {
				b.Fatal(err)
			}
			reqs[k] += float64(n.Load()) / time.Since(t0).Seconds()
			hits[k] += float64(h.Load()) / float64(max(1, n.Load()))
		}
	}
	for k, r := range rates {
		b.ReportMetric(reqs[k]/float64(b.N), fmt.Sprintf("req/s-at-%d-writes/s", r))
		b.ReportMetric(hits[k]/float64(b.N), fmt.Sprintf("hits-at-%d-writes/s", r))
	}
}
