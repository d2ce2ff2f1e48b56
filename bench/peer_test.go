package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gongjian/gongjian/graph"
)

// A peerShape is one query shape of the peer comparison: the same question asked of gongjian
// and of @neo4j/graphql, with aliases that make the two answers' JSON equal when they hold
// the same data.
type peerShape struct {
	name     string
	gongjian string
	peer     string
	// vars gives the variables of the i-th request for gongjian and for the peer.
	vars func(i int) (g, p map[string]any)
	// question names the analyst question whose statement the peer's @cypher field carries.
	question string
}

// statementLog records the statements the store sends while it is on (the capture runs one
// request at a time).
type statementLog struct {
	mu   sync.Mutex
	on   bool
	list []statement
}

type statement struct {
	cypher string
	params map[string]any
}

func (l *statementLog) record(_ context.Context, cypher string, params map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.on {
		l.list = append(l.list, statement{cypher, maps.Clone(params)})
	}
}

func (l *statementLog) capture(f func()) []statement {
	l.mu.Lock()
	l.on, l.list = true, nil
	l.mu.Unlock()
	f()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.on = false
	return l.list
}

// peerShapes are the shapes of issue 14: four measured there, and cross-unit reporting and
// coverage gaps.
func peerShapes(districts, streets, communities, units []string, today string) []peerShape {
	at := func(list []string, i int) string { return list[(i*7919)%len(list)] }
	one := func(list []string, key string) func(int) (map[string]any, map[string]any) {
		return func(i int) (map[string]any, map[string]any) {
			v := map[string]any{key: at(list, i)}
			return v, v
		}
	}
	return []peerShape{{
		name: "communities of a district, first 20, their units and reporting-member counts",
		gongjian: `query($id: ID!) { places(filter: {within: $id, kinds: [COMMUNITY]}, orderBy: {key: ID}, first: 20) { totalCount
			edges { node { id name units(orderBy: {key: ID}, first: 20) { totalCount edges { node { id name kind } } } reportingMembers { totalCount } } } } }`,
		peer: `query($id: ID!) { places: placesConnection(first: 20, sort: [{id: ASC}], where: {kind: {eq: "COMMUNITY"}, parent: {parent: {id: {eq: $id}}}}) { totalCount
			edges { node { id name units: unitsConnection(first: 20, sort: [{node: {id: ASC}}]) { totalCount edges { node { id name kind } } } reportingMembers: reportingMembersConnection { totalCount } } } } }`,
		vars: one(districts, "id"),
	}, {
		name: "a unit with its seats, their committees, its agreements",
		gongjian: `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Unit { id name kind
			seats(orderBy: {key: ID}, first: 20) { totalCount edges { node { id role committee { id name kind } } } }
			signedAgreements(orderBy: {key: ID}, first: 20) { totalCount edges { node { id name since } } } } } }`,
		peer: `query($ids: [ID!]!) { nodes: units(where: {id: {in: $ids}}) { id name kind
			seats: seatsConnection(first: 20, sort: [{node: {id: ASC}}]) { totalCount edges { node { id role committee { id name kind } } } }
			signedAgreements: signedAgreementsConnection(first: 20, sort: [{node: {id: ASC}}]) { totalCount edges { node { id name: title since: signedOn } } } } }`,
		vars: func(i int) (map[string]any, map[string]any) {
			v := map[string]any{"ids": []string{at(units, i)}}
			return v, v
		},
	}, {
		name:     "coverage of a community",
		question: "coverage",
		gongjian: `query($id: ID!) { coverage(place: $id, first: 50) { totalCount unitCount nodes { kind level unit { id name kind } path { length } } } }`,
		peer: `query($ids: [ID!]!, $asOf: Date!) { coverage(ids: $ids, asOf: $asOf, skip: 0, limit: 50, fromEnd: false) {
			totalCount unitCount nodes { kind level unit { id name kind } path { length } } } }`,
		vars: func(i int) (map[string]any, map[string]any) {
			c := at(communities, i)
			return map[string]any{"id": c}, map[string]any{"ids": []string{c}, "asOf": today}
		},
	}, {
		name:     "statistics of a district",
		question: "statistics",
		gongjian: `query($id: ID!) { statistics(place: $id) { communities units members reportingMembers crossUnitReporters
			coverageRate agreements projects claims membersByCategory { kind count } projectsByStatus { kind count } } }`,
		peer: `query($id: ID!, $asOf: Date!) { statistics(within: $id, levels: ["DIRECT"], asOf: $asOf) { communities units members reportingMembers crossUnitReporters
			coverageRate agreements projects claims membersByCategory { kind count } projectsByStatus { kind count } } }`,
		vars: func(i int) (map[string]any, map[string]any) {
			d := at(districts, i)
			return map[string]any{"id": d}, map[string]any{"id": d, "asOf": today}
		},
	}, {
		name:     "cross-unit reporters into a street, first 50",
		question: "crossUnitReporting",
		gongjian: `query($id: ID!) { crossUnitReporting(filter: {within: $id}, first: 50) { totalCount
			nodes { member { id name category } community { id name } workUnit { id name kind } organisation { id name } relationship { since points } } } }`,
		peer: `query($id: ID!, $asOf: Date!) { crossUnitReporting(within: $id, asOf: $asOf, skip: 0, limit: 50, fromEnd: false) { totalCount
			nodes { member { id name category } community { id name } workUnit { id name kind } organisation { id name } relationship { since points } } } }`,
		vars: func(i int) (map[string]any, map[string]any) {
			s := at(streets, i)
			return map[string]any{"id": s}, map[string]any{"id": s, "asOf": today}
		},
	}, {
		name:     "coverage gaps of a district (fewer than 12 units), first 50",
		question: "coverageGaps",
		gongjian: `query($id: ID!) { coverageGaps(within: $id, minUnits: 12, first: 50) { totalCount nodes { coveringUnits community { id name } } } }`,
		peer: `query($id: ID!, $asOf: Date!) { coverageGaps(within: $id, min: 12, levels: ["DIRECT"], asOf: $asOf, skip: 0, limit: 50, fromEnd: false) {
			totalCount nodes { coveringUnits community { id name } } } }`,
		vars: func(i int) (map[string]any, map[string]any) {
			d := at(districts, i)
			return map[string]any{"id": d}, map[string]any{"id": d, "asOf": today}
		},
	}}
}

// peerServer is the @neo4j/graphql server of bench/peer, run by node; capture, when set, is
// the file its compiled statements are appended to, and read the offset read so far.
type peerServer struct {
	url     string
	capture string
	read    int64
}

// compiled returns the statements the peer compiled since the last call, with their
// parameters in the Go driver's types.
func (p *peerServer) compiled(b *testing.B) []statement {
	raw, err := os.ReadFile(p.capture)
	if err != nil && !os.IsNotExist(err) {
		b.Fatal(err)
	}
	fresh := raw[min(p.read, int64(len(raw))):]
	p.read = int64(len(raw))
	var out []statement
	for _, line := range strings.Split(strings.TrimSpace(string(fresh)), "\n") {
		if line == "" {
			continue
		}
		var s struct {
			Cypher string         `json:"cypher"`
			Params map[string]any `json:"params"`
		}
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			b.Fatalf("the peer's captured statement: %v", err)
		}
		params, err := untagged(s.Params)
		if err != nil {
			b.Fatalf("the peer's captured parameters: %v", err)
		}
		out = append(out, statement{s.Cypher, params.(map[string]any)})
	}
	return out
}

// untagged reads the peer's tagged parameter values ({"$int": "…"}, {"$date": "…"}) back
// into the types the JavaScript driver sent; a plain JSON number was sent as a Float.
func untagged(v any) (any, error) {
	switch v := v.(type) {
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			var err error
			if out[i], err = untagged(x); err != nil {
				return nil, err
			}
		}
		return out, nil
	case map[string]any:
		if s, ok := v["$int"].(string); ok && len(v) == 1 {
			return strconv.ParseInt(s, 10, 64)
		}
		if s, ok := v["$date"].(string); ok && len(v) == 1 {
			t, err := time.Parse(time.DateOnly, s)
			return dbtype.Date(t), err
		}
		out := make(map[string]any, len(v))
		for k, x := range v {
			var err error
			if out[k], err = untagged(x); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return v, nil
}

// inlineParams writes the captured values of the named parameters into the statement as
// literals: the peer's @cypher field passes its own arguments as parameters, and these
// (statistics' $parts: which figures the selection asks for) are not among them.
func inlineParams(cypher string, params map[string]any, names ...string) string {
	for _, name := range names {
		v, ok := params[name].(map[string]any)
		if !ok {
			continue
		}
		keys := slices.Sorted(maps.Keys(v))
		var fields []string
		for _, k := range keys {
			fields = append(fields, fmt.Sprintf("%s: %v", k, v[k]))
		}
		cypher = strings.ReplaceAll(cypher, "$"+name+".", "{"+strings.Join(fields, ", ")+"}.")
	}
	return cypher
}

// startPeer runs bench/peer/server.mjs over the Neo4j at uri with the captured statements.
func startPeer(b *testing.B, uri string, statements map[string]string, capture bool) *peerServer {
	dir := b.TempDir()
	file := filepath.Join(dir, "statements.json")
	raw, _ := json.Marshal(statements)
	if err := os.WriteFile(file, raw, 0o600); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, "node", "server.mjs")
	cmd.Dir = "peer"
	peer := &peerServer{}
	cmd.Env = append(os.Environ(), "NEO4J_URI="+uri, "PORT=0", "PEER_STATEMENTS="+file)
	if capture {
		peer.capture = filepath.Join(dir, "compiled.ndjson")
		cmd.Env = append(cmd.Env, "PEER_CAPTURE="+peer.capture)
	}
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatalf("starting the peer (run `npm ci` in bench/peer, as make bench-peer does): %v", err)
	}
	b.Cleanup(func() { cancel(); _ = cmd.Wait() })
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if rest, ok := strings.CutPrefix(lines.Text(), "peer listening at "); ok {
			go func() { _, _ = io.Copy(io.Discard, out) }()
			peer.url = strings.TrimSuffix(rest, "/")
			return peer
		}
	}
	b.Fatal("the peer exited before it listened")
	return nil
}

// post sends a GraphQL request to a server at url and returns its data, failing on errors.
func post(b *testing.B, client *http.Client, url, query string, vars map[string]any) map[string]any {
	return (&api{url: url, client: client}).query(b, query, vars).Data
}

// todayString is the date the questions default to, as the peer's asOf argument.
func todayString() string { return graph.Today().String() }
