package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	coderws "github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
	"github.com/gongjian/gongjian/server"
)

// importLines writes the NDJSON lines of n new places, from line first on. Every third line
// names the kind by its label (Place), as records written before NodeKind's capitals do.
func importLines(run string, first, n int) string {
	var b strings.Builder
	for i := first; i < first+n; i++ {
		kind := "PLACE"
		if i%3 == 0 {
			kind = "Place"
		}
		fmt.Fprintf(&b, `{"op":"UPSERT_NODE","nodeKind":"%s","id":"place:imp:%s-%d","properties":{"name":"导入%d","kind":"GRID"}}`+"\n", kind, run, i, i)
	}
	return b.String()
}

// deleteImported deletes the n places an import test wrote.
func deleteImported(t *testing.T, url, run string, n int) {
	t.Helper()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"op":"DELETE_NODE","nodeKind":"PLACE","id":"place:imp:%s-%d"}`+"\n", run, i)
	}
	reports := postNDJSON(t, url+"/import", b.String())
	if last := reports[len(reports)-1]; last["done"] != true || last["appliedBatches"].(float64) != float64(len(reports)-1) {
		t.Errorf("cleaning up: %v", reports)
	}
}

// An import that takes longer than the server's read timeout completes, and each batch's
// answer arrives as the batch commits, before the client sends the next.
func TestImportOutlastsTheReadTimeout(t *testing.T) {
	srv := start(t, "", server.Config{AllowWrites: true, ReadTimeout: time.Second, ImportIdleTimeout: time.Minute})
	run := randomSuffix()
	body, send := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/import", body)
	req.Header.Set("Content-Type", "application/x-ndjson")
	respc := make(chan *http.Response, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			close(respc)
			return
		}
		respc <- resp
	}()
	var lines *bufio.Scanner
	for batch := range 3 {
		if _, err := io.WriteString(send, importLines(run, batch*500, 500)); err != nil {
			t.Fatal(err)
		}
		if lines == nil {
			resp, ok := <-respc
			if !ok {
				t.FailNow()
			}
			defer resp.Body.Close()
			lines = bufio.NewScanner(resp.Body)
		}
		// The batch's answer comes before the client sends more.
		if !lines.Scan() {
			t.Fatalf("no answer for batch %d: %v", batch, lines.Err())
		}
		var report map[string]any
		if err := json.Unmarshal(lines.Bytes(), &report); err != nil || report["applied"] != true || report["batch"].(float64) != float64(batch) {
			t.Fatalf("batch %d: %s", batch, lines.Text())
		}
		time.Sleep(1500 * time.Millisecond) // longer than the read timeout, each time
	}
	send.Close()
	if !lines.Scan() || !strings.Contains(lines.Text(), `"done":true`) {
		t.Fatalf("the summary: %s %v", lines.Text(), lines.Err())
	}
	deleteImported(t, srv.URL, run, 1500)
}

// A client that stops sending midway is cut off by the import's idle timeout; it has an answer
// line for every batch that committed, and a summary that says where to resume. The batch in
// progress is not written.
func TestImportCutOffMidway(t *testing.T) {
	srv := start(t, "", server.Config{AllowWrites: true, ImportIdleTimeout: time.Second})
	run := randomSuffix()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Chunked, so that the server cannot know the body's end: two batches and a part of a third.
	fmt.Fprintf(conn, "POST /import HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n")
	chunk := importLines(run, 0, 1200)
	fmt.Fprintf(conn, "%x\r\n%s\r\n", len(chunk), chunk)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got []map[string]any
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("answer line %q", sc.Text())
		}
		got = append(got, m)
	}
	if len(got) != 3 || got[0]["applied"] != true || got[1]["applied"] != true || got[2]["done"] != false {
		t.Fatalf("answers: %v", got)
	}
	if e := got[2]["error"].(map[string]any); e["line"].(float64) != 1201 || !strings.Contains(e["message"].(string), "line 1001") {
		t.Fatalf("where to resume: %v", e)
	}
	store := storetest.Open(t, "")
	n := storetest.Count(t, store, `MATCH (p:Place) WHERE p.id STARTS WITH $prefix RETURN count(p) AS n`, map[string]any{"prefix": "place:imp:" + run + "-"})
	if n != 1000 {
		t.Fatalf("%d places written; the two committed batches hold 1000", n)
	}
	deleteImported(t, srv.URL, run, 1000)
}

// An export whose reader has stopped reading holds nothing that writers need: writes made
// meanwhile succeed without waiting for it.
func TestStalledExportDoesNotBlockWriters(t *testing.T) {
	demoServer(t) // a graph far larger than the sockets' buffers
	srv := start(t, "", server.Config{AllowWrites: true})
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.(*net.TCPConn).SetReadBuffer(4096)
	fmt.Fprintf(conn, "GET /export HTTP/1.1\r\nHost: test\r\n\r\n")
	rd := bufio.NewReaderSize(conn, 4096)
	resp, err := http.ReadResponse(rd, nil)
	if err != nil {
		t.Fatal(err)
	}
	first := make([]byte, 64)
	if _, err := io.ReadFull(resp.Body, first); err != nil || !strings.Contains(string(first), "cursor") {
		t.Fatalf("the export's first bytes: %q %v", first, err)
	}
	// The reader now stops. Writers carry on, each within a generous bound (a hang fails).
	ctx, cancel := context.WithTimeout(context.Background(), storetest.Patience(2*time.Minute, 0))
	defer cancel()
	run := randomSuffix()
	for i := range 20 {
		body, _ := json.Marshal(map[string]any{"query": `mutation($id: ID!) { upsertNode(nodeKind: PLACE, id: $id, properties: {name: "停滞", kind: "GRID"}) { events { seq } } }`,
			"variables": map[string]any{"id": fmt.Sprintf("place:stall:%s-%d", run, i)}})
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/graphql", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("write %d while the export is stalled: %v", i, err)
		}
		out, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if !strings.Contains(string(out), `"seq"`) || strings.Contains(string(out), `"errors"`) {
			t.Fatalf("write %d while the export is stalled: %s", i, out)
		}
	}
	conn.Close()
	for i := range 20 {
		srv.post(t, `mutation($id: ID!) { deleteNode(nodeKind: PLACE, id: $id) { events { seq } } }`, map[string]any{"id": fmt.Sprintf("place:stall:%s-%d", run, i)})
	}
}

// A batch of 500 operations costs the same number of Cypher statements as one of 10.
func TestApplyStatementsDoNotGrowWithTheBatch(t *testing.T) {
	srv := start(t, "", server.Config{AllowWrites: true})
	run := randomSuffix()
	trips := func(n int) float64 {
		ops := make([]map[string]any, 0, n)
		for i := range n / 2 {
			id := fmt.Sprintf("place:trips:%s-%d-%d", run, n, i)
			ops = append(ops,
				map[string]any{"op": "UPSERT_NODE", "nodeKind": "PLACE", "id": id, "properties": map[string]any{"name": "往返", "kind": "GRID"}},
				map[string]any{"op": "LINK", "relationshipKind": "PART_OF", "from": id, "to": fmt.Sprintf("place:trips:%s-%d-0", run, n), "properties": map[string]any{"since": "2024-01-01"}})
		}
		ops[1] = map[string]any{"op": "UPSERT_NODE", "nodeKind": "PLACE", "id": fmt.Sprintf("place:trips:%s-%d-x", run, n), "properties": map[string]any{"name": "往返", "kind": "GRID"}}
		_, resp := srv.post(t, `mutation($ops: [OperationInput!]!) { apply(operations: $ops) { events { seq } } }`, map[string]any{"ops": ops})
		if len(resp.Errors) > 0 {
			t.Fatalf("apply of %d: %v", n, resp.Errors)
		}
		return resp.Extensions["dbRoundTrips"].(float64)
	}
	small, large := trips(10), trips(500)
	if small != large || large > 3 {
		t.Fatalf("statements: %v for 10 operations, %v for 500", small, large)
	}
	for _, n := range []int{10, 500} {
		var b strings.Builder
		for i := range n / 2 {
			fmt.Fprintf(&b, `{"op":"DELETE_NODE","nodeKind":"PLACE","id":"place:trips:%s-%d-%d"}`+"\n", run, n, i)
		}
		fmt.Fprintf(&b, `{"op":"DELETE_NODE","nodeKind":"PLACE","id":"place:trips:%s-%d-x"}`+"\n", run, n)
		postNDJSON(t, srv.URL+"/import", b.String())
	}
}

// Two servers on one Neo4j: a subscriber of one sees what is written through the other.
func TestLiveFeedAcrossServers(t *testing.T) {
	a := start(t, "", server.Config{AllowWrites: true})
	b := start(t, "", server.Config{AllowWrites: true})
	write := func(name string) float64 {
		data := a.gql(t, `mutation($name: String!) { upsertNode(nodeKind: PLACE, id: "place:two:one", properties: {name: $name, kind: "GRID"}) { events { seq } } }`,
			map[string]any{"name": name})
		return dig(t, data, "upsertNode.events.0.seq").(float64)
	}
	first := write("第一" + randomSuffix())
	ctx, cancel := context.WithTimeout(context.Background(), storetest.Patience(2*time.Minute, 0))
	defer cancel()
	ws, _, err := coderws.Dial(ctx, strings.Replace(b.URL, "http", "ws", 1)+"/graphql", &coderws.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	var msg map[string]any
	if err := wsjson.Write(ctx, ws, map[string]any{"type": "connection_init", "payload": map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	if err := wsjson.Read(ctx, ws, &msg); err != nil || msg["type"] != "connection_ack" {
		t.Fatalf("init: %v %v", msg, err)
	}
	if err := wsjson.Write(ctx, ws, map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
		"query":     `subscription($after: String) { changes(after: $after) { seq id changes { field after } } }`,
		"variables": map[string]any{"after": fmt.Sprint(int64(first))}}}); err != nil {
		t.Fatal(err)
	}
	name := "第二" + randomSuffix()
	second := write(name)
	for {
		if err := wsjson.Read(ctx, ws, &msg); err != nil {
			t.Fatalf("waiting for seq %v on the other server: %v", second, err)
		}
		if msg["type"] != "next" {
			t.Fatalf("message %v", msg)
		}
		raw, _ := json.Marshal(msg)
		seq := msg["payload"].(map[string]any)["data"].(map[string]any)["changes"].(map[string]any)["seq"].(float64)
		if seq <= first {
			t.Fatalf("an event at or before the cursor: %s", raw)
		}
		if seq == second {
			if !strings.Contains(string(raw), name) {
				t.Fatalf("the event of the second write: %s", raw)
			}
			break
		}
	}
	a.post(t, `mutation { deleteNode(nodeKind: PLACE, id: "place:two:one") { events { seq } } }`, nil)
}
