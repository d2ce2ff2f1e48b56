package bench

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// startWrites serves the API over the demo profile's Neo4j.
func startWrites(b *testing.B) *api {
	return startOn(b, "GONGJIAN_BENCH_WRITES_NEO4J_URI", "the demo profile")
}

// latencies reports the p50 and p99 of durations.
func latencies(b *testing.B, lat []time.Duration, prefix string) (p50, p99 float64) {
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	p50, p99 = pct(0.50), pct(0.99)
	b.ReportMetric(p50, prefix+"p50-ms")
	b.ReportMetric(p99, prefix+"p99-ms")
	return p50, p99
}

// records writes n NDJSON upserts of places, ids from first on under a run's prefix.
func records(run string, first, n int) string {
	var body strings.Builder
	for j := first; j < first+n; j++ {
		fmt.Fprintf(&body, `{"op":"UPSERT_NODE","nodeKind":"PLACE","id":"place:bench:%s-%d","properties":{"name":"批量%d","kind":"GRID","population":%d}}`+"\n", run, j, j, j%977)
	}
	return body.String()
}

// importBody posts an NDJSON body to /import and returns the time each batch's answer took
// to arrive after the previous one; every batch must apply.
func (a *api) importBody(b *testing.B, body string) []time.Duration {
	t0 := time.Now()
	resp, err := a.client.Post(a.url+"/import", "application/x-ndjson", strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var lat []time.Duration
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, `"done"`) {
			if !strings.Contains(line, `"done":true`) {
				b.Fatalf("import cut off: %s", line)
			}
			continue
		}
		if !strings.Contains(line, `"applied":true`) {
			b.Fatalf("a batch was refused: %s", line)
		}
		lat = append(lat, time.Since(t0))
		t0 = time.Now()
	}
	return lat
}

// deletePlaces deletes the places a benchmark wrote (not measured).
func (a *api) deletePlaces(b *testing.B, ids []string) {
	b.StopTimer()
	defer b.StartTimer()
	var body strings.Builder
	for _, id := range ids {
		fmt.Fprintf(&body, `{"op":"DELETE_NODE","nodeKind":"PLACE","id":"%s"}`+"\n", id)
	}
	a.importBody(b, body.String())
}

func benchIDs(run string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("place:bench:%s-%d", run, i)
	}
	return ids
}

// /import of new records: 5,000 a request, in batches of 500.
func BenchmarkImportNew(b *testing.B) {
	a := startWrites(b)
	run := fmt.Sprint(time.Now().UnixNano())
	const n = 5000
	var lat []time.Duration
	b.ResetTimer()
	t0 := time.Now()
	for i := range b.N {
		lat = append(lat, a.importBody(b, records(run, i*n, n))...)
	}
	elapsed := time.Since(t0)
	b.StopTimer()
	b.ReportMetric(float64(b.N*n)/elapsed.Seconds(), "records/s")
	latencies(b, lat, "batch-")
	a.deletePlaces(b, benchIDs(run, b.N*n))
}

// /import of records that are there already, unchanged: 5,000 a request.
func BenchmarkImportUnchanged(b *testing.B) {
	a := startWrites(b)
	run := fmt.Sprint(time.Now().UnixNano())
	const n = 5000
	body := records(run, 0, n)
	a.importBody(b, body)
	var lat []time.Duration
	b.ResetTimer()
	t0 := time.Now()
	for range b.N {
		lat = append(lat, a.importBody(b, body)...)
	}
	elapsed := time.Since(t0)
	b.StopTimer()
	b.ReportMetric(float64(b.N*n)/elapsed.Seconds(), "records/s")
	latencies(b, lat, "batch-")
	a.deletePlaces(b, benchIDs(run, n))
}

// apply with 500 operations a call: 250 new places, each linked into the city.
func BenchmarkApply500(b *testing.B) {
	a := startWrites(b)
	run := fmt.Sprint(time.Now().UnixNano())
	var lat []time.Duration
	var ids []string
	b.ResetTimer()
	t0 := time.Now()
	for i := range b.N {
		ops := make([]map[string]any, 0, 500)
		for j := range 250 {
			id := fmt.Sprintf("place:bench:%s-%d-%d", run, i, j)
			ids = append(ids, id)
			ops = append(ops,
				map[string]any{"op": "UPSERT_NODE", "nodeKind": "PLACE", "id": id, "properties": map[string]any{"name": fmt.Sprint("批量", j), "kind": "GRID"}},
				map[string]any{"op": "LINK", "relationshipKind": "PART_OF", "from": id, "to": "place:zhongyuan", "properties": map[string]any{"since": "2024-01-01"}})
		}
		t1 := time.Now()
		r := a.query(b, `mutation($ops: [OperationInput!]!) { apply(operations: $ops) { events { seq } } }`, map[string]any{"ops": ops})
		lat = append(lat, time.Since(t1))
		if n := len(r.Data["apply"].(map[string]any)["events"].([]any)); n != 500 {
			b.Fatalf("%d events for 500 operations", n)
		}
	}
	elapsed := time.Since(t0)
	b.StopTimer()
	b.ReportMetric(float64(b.N*500)/elapsed.Seconds(), "operations/s")
	latencies(b, lat, "")
	a.deletePlaces(b, ids)
}

// upserts runs b.N single upsertNode mutations from a number of clients, each a new place.
func upserts(b *testing.B, clients int) {
	a := startWrites(b)
	run := fmt.Sprint(time.Now().UnixNano())
	// Warm the connections and plans.
	a.query(b, `mutation($id: ID!) { upsertNode(nodeKind: PLACE, id: $id, properties: {name: "预热", kind: "GRID"}) { events { seq } } }`,
		map[string]any{"id": "place:bench:" + run + "-warm"})
	lat := make([][]time.Duration, clients)
	var wg sync.WaitGroup
	b.ResetTimer()
	t0 := time.Now()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c; i < b.N; i += clients {
				t1 := time.Now()
				a.query(b, `mutation($id: ID!, $name: String!) { upsertNode(nodeKind: PLACE, id: $id, properties: {name: $name, kind: "GRID"}) { events { seq } } }`,
					map[string]any{"id": fmt.Sprintf("place:bench:%s-%d", run, i), "name": fmt.Sprint("单条", i)})
				lat[c] = append(lat[c], time.Since(t1))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "records/s")
	latencies(b, slices.Concat(lat...), "")
	a.deletePlaces(b, append(benchIDs(run, b.N), "place:bench:"+run+"-warm"))
}

// Single upserts, one client.
func BenchmarkUpsert1Client(b *testing.B) { upserts(b, 1) }

// Single upserts, eight clients at once.
func BenchmarkUpsert8Clients(b *testing.B) { upserts(b, 8) }

// throttledExport reads /export at about rate bytes a second until stop is closed.
func throttledExport(b *testing.B, a *api, rate int, stop <-chan struct{}) (read func() int64) {
	conn, err := net.Dial("tcp", strings.TrimPrefix(a.url, "http://"))
	if err != nil {
		b.Fatal(err)
	}
	_ = conn.(*net.TCPConn).SetReadBuffer(rate)
	fmt.Fprintf(conn, "GET /export HTTP/1.1\r\nHost: bench\r\n\r\n")
	var mu sync.Mutex
	var total int64
	go func() {
		defer conn.Close()
		buf := make([]byte, rate)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			n, err := io.ReadFull(conn, buf)
			mu.Lock()
			total += int64(n)
			mu.Unlock()
			if err != nil {
				return
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	return func() int64 { mu.Lock(); defer mu.Unlock(); return total }
}

// A writer's latency with and without an export read at 1 KB/s, side by side: the phases
// alternate (without, with, without, with, …), b.N writes in each.
func BenchmarkWriterDuringSlowExport(b *testing.B) {
	a := startWrites(b)
	run := fmt.Sprint(time.Now().UnixNano())
	var without, with []time.Duration
	var ids []string
	write := func(phase, i int) time.Duration {
		id := fmt.Sprintf("place:bench:%s-%d-%d", run, phase, i)
		ids = append(ids, id)
		t0 := time.Now()
		a.query(b, `mutation($id: ID!) { upsertNode(nodeKind: PLACE, id: $id, properties: {name: "导出时写入", kind: "GRID"}) { events { seq } } }`,
			map[string]any{"id": id})
		return time.Since(t0)
	}
	write(-1, 0)
	var exported int64
	b.ResetTimer()
	for phase := range 4 {
		var stop chan struct{}
		var read func() int64
		if phase%2 == 1 {
			stop = make(chan struct{})
			read = throttledExport(b, a, 1024, stop)
			time.Sleep(2 * time.Second) // the export is under way, its reader's buffers full
		}
		for i := range b.N {
			d := write(phase, i)
			if phase%2 == 1 {
				with = append(with, d)
			} else {
				without = append(without, d)
			}
		}
		if stop != nil {
			exported += read()
			close(stop)
		}
	}
	b.StopTimer()
	_, p99without := latencies(b, without, "alone-")
	_, p99with := latencies(b, with, "export-")
	b.ReportMetric(p99with/p99without, "p99-ratio")
	b.ReportMetric(float64(exported), "export-bytes-read")
	a.deletePlaces(b, ids)
}

// Feed read throughput: /changes, 10,000 events a request, from the start of the feed.
func BenchmarkFeedRead(b *testing.B) {
	a := startWrites(b)
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
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("%d %s", resp.StatusCode, out)
		}
		events += strings.Count(string(out), "\n")
	}
	b.ReportMetric(float64(events)/time.Since(t0).Seconds(), "events/s")
}
