package server_test

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
	"github.com/gongjian/gongjian/server"
)

// rss is the test process's resident memory (the server runs in it), in MB.
func rss(t *testing.T) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if kb, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			n, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(kb), " kB"), 64)
			return n / 1024
		}
	}
	return 0
}

// What a request may cost is bounded before anything runs: every root field costs its
// statement and an aggregate the size of its subtree; root fields and aliases are capped; a
// body is at most 1 MB, and refusing large ones keeps no memory.
func TestCostIsBoundedBeforeAnythingRuns(t *testing.T) {
	demoServer(t)
	srv := start(t, "", server.Config{})

	// An aggregate costs by the size of what it reads (the sizes are read once the server is up).
	complexity := func(place string) float64 {
		_, resp := srv.post(t, `query($p: ID!) { statistics(place: $p) { communities } }`, map[string]any{"p": place})
		if len(resp.Errors) > 0 {
			t.Fatalf("statistics of %s: %v", place, resp.Errors)
		}
		return resp.Extensions["complexity"].(float64)
	}
	var district, community float64
	for deadline := time.Now().Add(storetest.Patience(time.Minute, 0)); ; time.Sleep(100 * time.Millisecond) {
		district, community = complexity("place:zhongyuan"), complexity("place:xinmi:jinfenglu")
		if district > 5*community || time.Now().After(deadline) {
			break
		}
	}
	t.Logf("complexity of statistics: district %v, community %v", district, community)
	if district <= 5*community {
		t.Errorf("statistics of a district cost %v, of a community %v: the district's subtree is far larger", district, community)
	}

	refused := func(name, query string) {
		t.Helper()
		status, resp := srv.post(t, query, nil)
		if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || resp.Data != nil {
			t.Errorf("%s: status %d, %v: want a request error (nothing run)", name, status, resp.Errors)
		}
	}
	aliased := func(n int) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, " s%d: statistics(place: \"place:zhongyuan\") { communities }", i)
		}
		return b.String() + " }"
	}
	refused("1,000 aliases of statistics", aliased(1000))
	refused("40 statistics of a district", aliased(40))

	// Large bodies are refused, and refusing them keeps nothing.
	runtime.GC()
	before := rss(t)
	for i := range 40 {
		body := `{"query": "{ serviceStatus { ready } }` + strings.Repeat(" ", 10<<20) + fmt.Sprint(i) + `"}`
		resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("a 10 MB body: status %d", resp.StatusCode)
		}
	}
	runtime.GC()
	after := rss(t)
	storetest.Record(t, "RSS before 40 refused 10 MB bodies: %.0f MB; after: %.0f MB", before, after)
	if after-before > 200 {
		t.Errorf("the server grew by %.0f MB refusing large bodies", after-before)
	}
}
