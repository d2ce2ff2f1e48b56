package server_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
	"github.com/gongjian/gongjian/server"
)

// sheetOf asks /sheet for a query's first list; it returns the status and the body.
func sheetOf(t *testing.T, base, key, format, query string, vars map[string]any) (int, []byte, http.Header) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return roundTrip(t, http.MethodPost, base+"/sheet?format="+format+"&name="+url.QueryEscape("测试"), key, "application/json", bytes.NewReader(body))
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\uFEFF")) {
		t.Errorf("the CSV has no byte-order mark: %q", b[:min(20, len(b))])
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return rows
}

// A sheet is the first list of the answer, with the columns in the order of the selection
// whatever aliases and fragments say, Chinese headers, and the same rows as the API's answer.
func TestSheetHoldsTheAnswersFirstList(t *testing.T) {
	srv := demoServer(t)
	const query = `query($w: ID!) { status: serviceStatus { ready } g: coverageGaps(within: $w, first: 7) { totalCount nodes { ...G } } }
		fragment G on CoverageGap { c: community { n: name id parent { name } } coveringUnits }`
	vars := map[string]any{"w": "place:zhongyuan"}
	want := srv.gql(t, query, vars)
	nodes := dig(t, want, "g.nodes").([]any)
	if len(nodes) == 0 {
		t.Fatal("no gaps in the demo data")
	}
	status, body, h := sheetOf(t, srv.URL, "", "csv", query, vars)
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	if !strings.Contains(h.Get("Content-Disposition"), "attachment") || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") {
		t.Errorf("headers %v", h)
	}
	rows := readCSV(t, body)
	if got := strings.Join(rows[0], ","); got != "社区·名称,社区·标识,社区·上级地区·名称,覆盖单位数" {
		t.Errorf("headers %s", got)
	}
	if len(rows) != len(nodes)+1 {
		t.Fatalf("%d rows for %d entries", len(rows)-1, len(nodes))
	}
	for i, n := range nodes {
		c := n.(map[string]any)["c"].(map[string]any)
		if rows[i+1][0] != c["n"] || rows[i+1][1] != c["id"] {
			t.Errorf("row %d: %v, want %v", i, rows[i+1], c)
		}
	}

	status, body, h = sheetOf(t, srv.URL, "", "xlsx", query, vars)
	if status != http.StatusOK || !strings.Contains(h.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("status %d, %v", status, h)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	sheet, err := f.GetRows("测试")
	if err != nil {
		t.Fatal(err)
	}
	if len(sheet) != len(rows) || strings.Join(sheet[0], ",") != strings.Join(rows[0], ",") || strings.Join(sheet[1], ",") != strings.Join(rows[1], ",") {
		t.Errorf("the XLSX holds %v, the CSV %v", sheet, rows)
	}
	// Numbers are numbers in the workbook.
	if typ, _ := f.GetCellType("测试", "D2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("covering units are of type %v", typ)
	}

	// A nested list is one cell.
	status, body, _ = sheetOf(t, srv.URL, "", "csv", `{ committees(filter: {within: "place:xinmi"}, first: 3) { nodes { name seatsByUnitKind { kind count } } } }`, nil)
	if rows := readCSV(t, body); status != http.StatusOK || len(rows) != 4 || !strings.Contains(strings.Join(rows[1], " "), "；") && !strings.Contains(rows[1][1], " ") {
		t.Errorf("nested list: %d %v", status, rows)
	}
}

// A sheet follows the API's rules: the caller's key, its masking, no writes, coded errors.
func TestSheetFollowsTheAPIsRules(t *testing.T) {
	demoServer(t)
	srv := start(t, storetest.URI(t), server.Config{AllowWrites: true, Auth: server.AuthConfig{Anonymous: "off"}})
	keys := makeKeys(t)
	const phone = "13812349876"
	r, raw := gqlAs(t, srv.URL, keys["admin"], `mutation($p: JSON!) { upsertNode(nodeKind: PERSON, id: "person:sheet:member", properties: $p) { events { seq } } }`,
		map[string]any{"p": map[string]any{"name": "表格隐私", "category": "IN_SERVICE", "phone": phone}})
	if len(r.Errors) > 0 {
		t.Fatal(raw)
	}
	defer gqlAs(t, srv.URL, keys["admin"], `mutation { deleteNode(nodeKind: PERSON, id: "person:sheet:member") { events { seq } } }`, nil)
	const people = `{ search(text: "表格隐私") { nodes { hit: node { ... on Person { name attributes { key v: value } } } } } }`
	for role, sees := range map[string]bool{"viewer": false, "analyst": true} {
		status, body, _ := sheetOf(t, srv.URL, keys[role], "csv", people, nil)
		if status != http.StatusOK {
			t.Fatalf("%s: %d %s", role, status, body)
		}
		if strings.Contains(string(body), phone) != sees || (!sees && !strings.Contains(string(body), graph.Masked)) {
			t.Errorf("%s sees the phone: %v, want %v:\n%s", role, !sees, sees, body)
		}
	}
	codeOf := func(body []byte) string {
		var e struct {
			Errors []struct {
				Extensions struct{ Code string } `json:"extensions"`
			} `json:"errors"`
		}
		_ = json.Unmarshal(body, &e)
		if len(e.Errors) == 0 {
			return ""
		}
		return e.Errors[0].Extensions.Code
	}
	count := func() int {
		r, _ := gqlAs(t, srv.URL, keys["admin"], `{ search(text: "表格写入") { totalCount } }`, nil)
		return int(r.Data["search"].(map[string]any)["totalCount"].(float64))
	}
	before := count()
	for _, c := range []struct {
		name, key, format, query string
		status                   int
		code                     string
	}{
		{"no key", "", "csv", people, http.StatusUnauthorized, "UNAUTHENTICATED"},
		{"a bad key", "gj_not-a-key", "csv", people, http.StatusUnauthorized, "UNAUTHENTICATED"},
		{"a mutation", keys["admin"], "csv", `mutation { upsertNode(nodeKind: PLACE, id: "place:sheet:x", properties: {name: "表格写入", kind: "GRID"}) { events { seq } } }`, http.StatusMethodNotAllowed, "BAD_USER_INPUT"},
		{"an unknown format", keys["analyst"], "pdf", people, http.StatusBadRequest, "BAD_USER_INPUT"},
		{"no list", keys["analyst"], "csv", `{ serviceStatus { ready } }`, http.StatusBadRequest, "BAD_USER_INPUT"},
		{"a bad query", keys["analyst"], "xlsx", `{ nope }`, http.StatusBadRequest, "BAD_USER_INPUT"},
		{"a body over the limit", keys["analyst"], "csv", `{ search(text: "` + strings.Repeat("大", 1<<19) + `") { totalCount } }`, http.StatusRequestEntityTooLarge, "BAD_USER_INPUT"},
		{"a missing place", keys["analyst"], "csv", `{ coverageGaps(within: "place:nowhere") { nodes { coveringUnits } } }`, http.StatusNotFound, "NOT_FOUND"},
	} {
		status, body, _ := sheetOf(t, srv.URL, c.key, c.format, c.query, nil)
		if status != c.status || codeOf(body) != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, status, body, c.status, c.code)
		}
	}
	if after := count(); after != before {
		t.Errorf("a refused sheet wrote: %d → %d", before, after)
	}
}
