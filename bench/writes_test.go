package bench

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Write throughput: one mutation per record, each a transaction of its own.
func BenchmarkWriteSingle(b *testing.B) {
	a := start(b)
	run := time.Now().UnixNano()
	b.ResetTimer()
	t0 := time.Now()
	for i := range b.N {
		a.query(b, `mutation($id: ID!, $name: String!) { upsertNode(nodeKind: Place, id: $id, properties: {name: $name, kind: "GRID"}) { events { seq } } }`,
			map[string]any{"id": fmt.Sprintf("place:bench:s%d-%d", run, i), "name": fmt.Sprintf("基准%d", i)})
	}
	b.ReportMetric(float64(b.N)/time.Since(t0).Seconds(), "records/s")
}

// Write throughput in batches: /import, 500 records a transaction.
func BenchmarkWriteBatch(b *testing.B) {
	a := start(b)
	run := time.Now().UnixNano()
	const records = 5000
	b.ResetTimer()
	t0 := time.Now()
	for i := range b.N {
		var body strings.Builder
		for j := range records {
			fmt.Fprintf(&body, `{"op":"UPSERT_NODE","nodeKind":"Place","id":"place:bench:b%d-%d-%d","properties":{"name":"批量%d","kind":"GRID"}}`+"\n", run, i, j, j)
		}
		resp, err := a.client.Post(a.url+"/import", "application/x-ndjson", strings.NewReader(body.String()))
		if err != nil {
			b.Fatal(err)
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || strings.Contains(string(out), `"applied":false`) {
			b.Fatalf("%d %s", resp.StatusCode, out)
		}
	}
	b.ReportMetric(float64(b.N*records)/time.Since(t0).Seconds(), "records/s")
}

// Feed read throughput: /changes, 10,000 events a request, from the start of the feed.
func BenchmarkFeedRead(b *testing.B) {
	a := start(b)
	b.ResetTimer()
	t0 := time.Now()
	events := 0
	for range b.N {
		resp, err := a.client.Get(a.url + "/changes?after=0&limit=10000")
		if err != nil {
			b.Fatal(err)
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		events += strings.Count(string(out), "\n")
	}
	b.ReportMetric(float64(events)/time.Since(t0).Seconds(), "events/s")
}
