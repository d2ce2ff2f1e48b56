package server_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
	"github.com/gongjian/gongjian/server"
)

// The coverage rate per level of each report's place, as of today. Each expectation quotes the
// sentence that makes it so.
func TestCoverageRatePerLevel(t *testing.T) {
	srv := demoServer(t)
	for _, c := range []struct {
		place, quote     string
		direct, indirect float64
	}{
		// Every community has a unit of its own, once the joint committees were formed.
		{"place:shangjie", "中心路街道针对个别社区辖区无联建单位的问题，以2至3个社区为一个片区，成立联合片区党委", 1, 1},
		// The 94 communities have their 大党委; the 46 villages are reached only through their streets'
		// 大工委, which do not reach the three named communities the report gives no street.
		{"place:zhongyuan", "辖12个街道，46个行政村，94个社区", 94.0 / 140, 137.0 / 140},
		// The 8 collaboration groups reach every community of their town from above; each community's 党委 seats units of its own.
		{"place:huiji", "8个党建协作组与全区8个镇、街道联建共建", 1, 1},
		// 46 communities with 199 units on their 大党委, 20 commercial-housing ones with their property
		// company; two named communities have no street the report gives, so no 大工委 reaches them.
		{"place:xinmi", "46个社区联合驻区199家单位建立大党委", 1, 64.0 / 66},
		// An alliance for every street and community.
		{"place:liaoyuan", "打造区域化党建联合体62个，实现街道社区全覆盖", 1, 1},
	} {
		data := srv.gql(t, `query($p: ID!) { statistics(place: $p) { coverageRate levels coverageByLevel { level coverageRate } } }`, map[string]any{"p": c.place})
		direct, indirect := 0.0, 0.0
		for _, l := range dig(t, data, "statistics.coverageByLevel").([]any) {
			m := l.(map[string]any)
			if m["level"] == "DIRECT" {
				direct = m["coverageRate"].(float64)
			} else {
				indirect = m["coverageRate"].(float64)
			}
		}
		if dig(t, data, "statistics.coverageRate").(float64) != direct {
			t.Errorf("%s: coverageRate %v is not the DIRECT rate %v", c.place, dig(t, data, "statistics.coverageRate"), direct)
		}
		if fmt.Sprintf("%.4f", direct) != fmt.Sprintf("%.4f", c.direct) || fmt.Sprintf("%.4f", indirect) != fmt.Sprintf("%.4f", c.indirect) {
			t.Errorf("%s “%s”: DIRECT %.4f INDIRECT %.4f, want %.4f and %.4f", c.place, c.quote, direct, indirect, c.direct, c.indirect)
		}
		storetest.Record(t, "coverage rate today, %s: DIRECT %.4f, INDIRECT %.4f", c.place, direct, indirect)
	}
}

// “中心路街道针对个别社区辖区无联建单位的问题，以2至3个社区为一个片区，成立联合片区党委”: before the joint
// committees seat their units (2016-06-01), the communities without a unit of their own are
// direct-coverage gaps although the street's 大工委 reaches them; after, they are covered.
func TestJointCommitteesCloseDirectGaps(t *testing.T) {
	srv := demoServer(t)
	const q = `query($d: Date, $l: [CoverageLevel!]) { coverageGaps(within: "place:shangjie:zhongxinlu", filter: {asOf: $d, levels: $l}, first: 100) {
		totalCount nodes { coveringUnits community { id name committees { nodes { kind } } } } } }`
	gaps := func(date string, levels ...string) map[string]bool {
		out := map[string]bool{}
		for _, n := range dig(t, srv.gql(t, q, map[string]any{"d": date, "l": levels}), "coverageGaps.nodes").([]any) {
			out[dig(t, n, "community.id").(string)] = true
		}
		return out
	}
	before, after := gaps("2016-05-31"), gaps("2016-06-01")
	var joint []string
	data := srv.gql(t, `{ committees(filter: {within: "place:shangjie:zhongxinlu", kinds: [JOINT_AREA_COMMITTEE]}) { nodes { id covers { nodes { id } } } } }`, nil)
	for _, k := range dig(t, data, "committees.nodes").([]any) {
		for _, p := range dig(t, k, "covers.nodes").([]any) {
			joint = append(joint, dig(t, p, "id").(string))
		}
	}
	gapsBefore := 0
	for _, c := range joint {
		if before[c] {
			gapsBefore++
		}
		if after[c] {
			t.Errorf("%s is a direct gap once its joint committee seats units", c)
		}
	}
	if gapsBefore != 4 {
		t.Errorf("%d of the joint committees' communities %v are direct gaps before 2016-06-01, want the 4 without units of their own", gapsBefore, joint)
	}
	// Indirectly, the street's 大工委 (seats from 2016-03-01) reached them all along.
	if n := len(gaps("2016-05-31", "INDIRECT")); n != 0 {
		t.Errorf("%d indirect gaps on 2016-05-31, want none: the 大工委 reaches every community", n)
	}
	// And the statistics say the same: 4 fewer communities covered directly.
	st := func(date string) int {
		return num(t, srv.gql(t, `query($d: Date) { statistics(place: "place:shangjie:zhongxinlu", asOf: $d) { coveredCommunities } }`, map[string]any{"d": date}), "statistics.coveredCommunities")
	}
	if b, a := st("2016-05-31"), st("2016-06-01"); a-b != 4 {
		t.Errorf("communities covered directly: %d before, %d after the joint committees, want 4 more", b, a)
	}
}

// A question without asOf is the question as of today: the answers are the same.
func TestUndatedIsDatedToday(t *testing.T) {
	srv := demoServer(t)
	today := graph.Today().String()
	for _, q := range []string{
		`query($d: Date) { statistics(place: "place:huiji", asOf: $d) { members partyOrgs reportingMembers crossUnitReporters coveredCommunities coverageByLevel { level coveredCommunities } seats agreements committees { kind count } membersByCategory { kind count } } }`,
		`query($d: Date) { coverage(place: "place:shangjie:chaoyang", first: 500, filter: {asOf: $d}) { totalCount unitCount nodes { kind level unit { id } } } }`,
		`query($d: Date) { coverageGaps(within: "place:zhongyuan", first: 500, filter: {asOf: $d}) { totalCount nodes { community { id } coveringUnits } } }`,
		`query($d: Date) { crossUnitReporting(filter: {within: "place:liaoyuan", asOf: $d}, first: 0) { totalCount } }`,
		`query($d: Date) { reportingFlows(filter: {within: "place:shangjie", asOf: $d}, first: 20) { totalCount memberCount } }`,
	} {
		undated := srv.gql(t, strings.ReplaceAll(strings.ReplaceAll(strings.Replace(q, "query($d: Date) ", "", 1), ", asOf: $d", ""), "filter: {asOf: $d}", "filter: {}"), nil)
		dated := srv.gql(t, q, map[string]any{"d": today})
		a, _ := json.Marshal(undated)
		b, _ := json.Marshal(dated)
		if string(a) != string(b) {
			t.Errorf("undated and dated %s differ:\n%s\n%s", today, a, b)
		}
	}
	// A tie whose until has passed does not count: the seconded cadres' temporary branches
	// (2017-05-01 to 2018-04-30) hold members then, not today.
	seconded := func(date string) int {
		data := srv.gql(t, `query($d: Date) { statistics(place: "place:huiji", asOf: $d) { members } }`, map[string]any{"d": date})
		return num(t, data, "statistics.members")
	}
	if then, now := seconded("2017-12-31"), seconded(today); then-now != 245 {
		t.Errorf("Huiji's members: %d at the end of 2017, %d today; want the 245 seconded cadres fewer", then, now)
	}
}

// Co-building: one agreement per unit–community pair, so a coverage list shows each unit, way
// and path once.
func TestCoverageListsEachWayOnce(t *testing.T) {
	srv := demoServer(t)
	for _, c := range []string{"place:shangjie:chaoyang", "place:shangjie:yingyuan", "place:zhongyuan:baihua"} {
		data := srv.gql(t, `query($c: ID!) { coverage(place: $c, first: 500) { nodes { kind unit { id } path { nodes { id name } } } } }`, map[string]any{"c": c})
		seen, agreements := map[string]bool{}, map[string]int{}
		for _, n := range dig(t, data, "coverage.nodes").([]any) {
			var ids, names []string
			for _, p := range dig(t, n, "path.nodes").([]any) {
				ids = append(ids, dig(t, p, "id").(string))
				names = append(names, dig(t, p, "name").(string))
			}
			key := dig(t, n, "kind").(string) + "|" + strings.Join(names, "→")
			if seen[key] {
				t.Errorf("%s: the same way twice, with identical paths: %s", c, key)
			}
			seen[key] = true
			if dig(t, n, "kind") == "AGREEMENT" && len(ids) == 3 {
				agreements[dig(t, n, "unit.id").(string)]++
			}
		}
		for u, k := range agreements {
			if k > 1 {
				t.Errorf("%s: %s has %d agreements with it, want one per pair", c, u, k)
			}
		}
	}
}

// Each new kind is written through the API, read from both of its ends, carried by the feed
// and the export.
func TestNewKindsWrittenReadFedAndExported(t *testing.T) {
	srv := start(t, "", server.Config{AllowWrites: true})
	const batch = `mutation($ops: [OperationInput!]!) { apply(operations: $ops) { events { seq op kind id } } }`
	ids := []string{"activity:nk:day", "evaluation:nk:rating", "group:nk:lead", "place:nk:stairwell", "place:nk:old", "person:nk:head"}
	kinds := []string{"ACTIVITY", "EVALUATION", "LEADING_GROUP", "PLACE", "PLACE", "PERSON"}
	cleanup := func() {
		for i, id := range ids {
			srv.post(t, `mutation($k: NodeKind!, $id: ID!) { deleteNode(nodeKind: $k, id: $id) { events { op } } }`, map[string]any{"k": kinds[i], "id": id})
		}
	}
	cleanup()
	t.Cleanup(cleanup)
	// Bad input first: a coded error, nothing written.
	_, resp := srv.post(t, batch, map[string]any{"ops": []map[string]any{
		{"op": "UPSERT_NODE", "nodeKind": "ACTIVITY", "id": "activity:nk:day", "properties": map[string]any{"name": "x", "kind": "PARTY"}},
		{"op": "LINK", "relationshipKind": "HEADS", "from": "person:wangruiling", "to": "place:shangjie:chaoyang", "properties": map[string]any{"role": "KING"}},
	}})
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Fatalf("bad kind and role: %v", resp.Errors)
	}
	if n := num(t, srv.gql(t, `{ activities(filter: {name: "x"}, first: 0) { totalCount } }`, nil), "activities.totalCount"); n != 0 {
		t.Fatalf("a refused batch wrote %d activities", n)
	}
	ops := []map[string]any{
		{"op": "UPSERT_NODE", "nodeKind": "ACTIVITY", "id": "activity:nk:day", "properties": map[string]any{"name": "新类型主题党日", "kind": "THEMED_PARTY_DAY", "on": "2026-07-01", "participants": 40}},
		{"op": "UPSERT_NODE", "nodeKind": "EVALUATION", "id": "evaluation:nk:rating", "properties": map[string]any{"name": "年度双向评价", "kind": "TWO_WAY", "period": "2026", "result": "优秀"}},
		{"op": "UPSERT_NODE", "nodeKind": "LEADING_GROUP", "id": "group:nk:lead", "properties": map[string]any{"name": "新类型领导小组", "headTitle": "书记"}},
		{"op": "UPSERT_NODE", "nodeKind": "PLACE", "id": "place:nk:stairwell", "properties": map[string]any{"name": "1单元", "kind": "STAIRWELL"}},
		{"op": "UPSERT_NODE", "nodeKind": "PLACE", "id": "place:nk:old", "properties": map[string]any{"name": "旧社区", "kind": "COMMUNITY"}},
		{"op": "UPSERT_NODE", "nodeKind": "PERSON", "id": "person:nk:head", "properties": map[string]any{"name": "单元长甲"}},
		{"op": "LINK", "relationshipKind": "ORGANISED", "from": "org:shangjie:chaoyang", "to": "activity:nk:day"},
		{"op": "LINK", "relationshipKind": "HELD_IN", "from": "activity:nk:day", "to": "place:shangjie:chaoyang"},
		{"op": "LINK", "relationshipKind": "TOOK_PART_IN", "from": "person:wangruiling", "to": "activity:nk:day"},
		{"op": "LINK", "relationshipKind": "RATES", "from": "place:shangjie:chaoyang", "to": "evaluation:nk:rating"},
		{"op": "LINK", "relationshipKind": "RATING_OF", "from": "evaluation:nk:rating", "to": "unit:shangjie:zhongxinlu-primary"},
		{"op": "LINK", "relationshipKind": "LED_BY", "from": "group:nk:lead", "to": "org:shangjie:chaoyang"},
		{"op": "LINK", "relationshipKind": "MERGED_INTO", "from": "place:nk:old", "to": "place:shangjie:chaoyang", "properties": map[string]any{"since": "2020-01-01"}},
		{"op": "LINK", "relationshipKind": "CONTACT_POINT", "from": "person:wangruiling", "to": "place:nk:stairwell"},
		{"op": "LINK", "relationshipKind": "HEADS", "from": "person:nk:head", "to": "place:nk:stairwell", "properties": map[string]any{"role": "STAIRWELL_HEAD"}},
		{"op": "LINK", "relationshipKind": "PART_OF", "from": "place:nk:stairwell", "to": "place:shangjie:chaoyang"},
	}
	data := srv.gql(t, batch, map[string]any{"ops": ops})
	events := dig(t, data, "apply.events").([]any)
	if len(events) != len(ops) {
		t.Fatalf("%d events for %d operations", len(events), len(ops))
	}
	cursor := fmt.Sprint(int64(dig(t, data, "apply.events.0.seq").(float64)) - 1)

	// Each relationship from both ends.
	data = srv.gql(t, `{
	  a: node(id: "activity:nk:day") { ... on Activity { kind on participants place { id } organisers { nodes { ... on PartyOrg { id } } } takingPart { nodes { ... on Person { id } } } } }
	  e: node(id: "evaluation:nk:rating") { ... on Evaluation { kind period result raters { nodes { ... on Place { id } } } rated { nodes { ... on Unit { id } } } } }
	  g: node(id: "group:nk:lead") { ... on LeadingGroup { headTitle ledBy { id } } }
	  c: node(id: "place:shangjie:chaoyang") { ... on Place { activities(filter: {name: "新类型"}) { nodes { id } } evaluationsGiven(filter: {name: "年度双向"}) { nodes { id } }
	      mergedFrom { nodes { id } } } }
	  s: node(id: "place:nk:stairwell") { ... on Place { kind heads { nodes { id } edges { relationship { role } } } contactOf { nodes { ... on Person { id } } } } }
	  o: node(id: "org:shangjie:chaoyang") { ... on PartyOrg { organisedActivities(filter: {name: "新类型"}) { nodes { id } } leadingGroups { nodes { id } } } }
	  u: node(id: "unit:shangjie:zhongxinlu-primary") { ... on Unit { evaluations(filter: {name: "年度双向"}) { nodes { id } } } }
	  p: node(id: "person:wangruiling") { ... on Person { activities(filter: {name: "新类型"}) { nodes { id } } contactPoints { nodes { ... on Place { id } } } } }
	  h: node(id: "person:nk:head") { ... on Person { heads { nodes { ... on Place { id } } } } }
	  old: node(id: "place:nk:old") { ... on Place { mergedInto { id } } }
	}`, nil)
	for path, want := range map[string]any{
		"a.kind": "THEMED_PARTY_DAY", "a.on": "2026-07-01", "a.place.id": "place:shangjie:chaoyang",
		"a.organisers.nodes.0.id": "org:shangjie:chaoyang", "a.takingPart.nodes.0.id": "person:wangruiling",
		"e.kind": "TWO_WAY", "e.result": "优秀", "e.raters.nodes.0.id": "place:shangjie:chaoyang", "e.rated.nodes.0.id": "unit:shangjie:zhongxinlu-primary",
		"g.ledBy.id": "org:shangjie:chaoyang", "c.activities.nodes.0.id": "activity:nk:day", "c.evaluationsGiven.nodes.0.id": "evaluation:nk:rating",
		"s.kind": "STAIRWELL", "s.heads.nodes.0.id": "person:nk:head", "s.heads.edges.0.relationship.role": "STAIRWELL_HEAD",
		"s.contactOf.nodes.0.id": "person:wangruiling", "o.organisedActivities.nodes.0.id": "activity:nk:day", "o.leadingGroups.nodes.0.id": "group:nk:lead",
		"u.evaluations.nodes.0.id": "evaluation:nk:rating", "p.activities.nodes.0.id": "activity:nk:day", "p.contactPoints.nodes.0.id": "place:nk:stairwell",
		"h.heads.nodes.0.id": "place:nk:stairwell", "old.mergedInto.id": "place:shangjie:chaoyang",
	} {
		if got := dig(t, data, path); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, want %v", path, got, want)
		}
	}
	merged := false
	for _, n := range dig(t, data, "c.mergedFrom.nodes").([]any) {
		merged = merged || dig(t, n, "id") == "place:nk:old"
	}
	if !merged {
		t.Errorf("朝阳社区's mergedFrom lacks place:nk:old: %v", dig(t, data, "c.mergedFrom.nodes"))
	}
	// The feed carries every one, and the export holds them.
	feed := readFeed(t, srv.URL, cursor)
	got := map[string]bool{}
	for _, e := range feed {
		got[e.ID] = true
	}
	for _, id := range append(ids, "HEADS:person:nk:head->place:nk:stairwell", "MERGED_INTO:place:nk:old->place:shangjie:chaoyang",
		"RATING_OF:evaluation:nk:rating->unit:shangjie:zhongxinlu-primary", "ORGANISED:org:shangjie:chaoyang->activity:nk:day") {
		if !got[id] {
			t.Errorf("the feed after %s lacks %s", cursor, id)
		}
	}
	replica, _ := readExport(t, srv.URL+"/export")
	for _, id := range ids {
		if replica.Nodes[id] == nil {
			t.Errorf("the export lacks %s", id)
		}
	}
	if replica.Rels["HEADS:person:nk:head->place:nk:stairwell"] == nil {
		t.Errorf("the export lacks the HEADS relationship")
	}
}
