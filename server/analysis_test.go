package server_test

import (
	"fmt"
	"testing"
)

// kindsOf reads the coverage kinds of each unit in a list of coverage entries.
func kindsOf(t *testing.T, data any, path string) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	for _, n := range dig(t, data, path).([]any) {
		m := n.(map[string]any)
		unit := m["unit"].(map[string]any)["id"].(string)
		if out[unit] == nil {
			out[unit] = map[string]bool{}
		}
		out[unit][m["kind"].(string)] = true
	}
	return out
}

// Question 1: which units cover a community, and how.
func TestQuestionCoverage(t *testing.T) {
	srv := demoServer(t)
	// 003 新密市: “金凤路社区与东方娃幼儿园联合,由社区提供场所、幼儿园提供师资,共建“四点半课堂”” and “46个社区联合驻区199家单位建立大党委”:
	// the kindergarten is stationed in the community, sits on its 大党委 and is paired with it.
	data := srv.gql(t, `{ coverage(place: "place:xinmi:jinfenglu", first: 500) { totalCount unitCount
		nodes { kind since unit { id kind } path { length nodes { __typename id } relationships { kind from to } } } } }`, nil)
	kinds := kindsOf(t, data, "coverage.nodes")
	for _, k := range []string{"STATIONED", "BIG_PARTY_COMMITTEE", "AGREEMENT"} {
		if !kinds["unit:xinmi:dongfangwa"][k] {
			t.Errorf("东方娃幼儿园 does not cover 金凤路社区 by %s: %v", k, kinds["unit:xinmi:dongfangwa"])
		}
	}
	// The street's 大工委 reaches the community too: “4个街道联合驻区91家单位建立大工委”.
	if !kinds["unit:xinmi:propaganda"]["BIG_WORKING_COMMITTEE"] {
		t.Errorf("the propaganda department (on 新华路街道's 大工委) does not cover 金凤路社区: %v", kinds["unit:xinmi:propaganda"])
	}
	if num(t, data, "coverage.unitCount") != len(kinds) {
		t.Errorf("unitCount %d, distinct units %d", num(t, data, "coverage.unitCount"), len(kinds))
	}
	// Every path runs from the unit to the community, each relationship joining its neighbours.
	for i, n := range dig(t, data, "coverage.nodes").([]any) {
		p := n.(map[string]any)["path"].(map[string]any)
		nodes, rels := p["nodes"].([]any), p["relationships"].([]any)
		if len(nodes) != len(rels)+1 || nodes[len(nodes)-1].(map[string]any)["id"] != "place:xinmi:jinfenglu" {
			t.Fatalf("entry %d: path %v", i, p)
		}
		for j, r := range rels {
			a, b := nodes[j].(map[string]any)["id"], nodes[j+1].(map[string]any)["id"]
			rm := r.(map[string]any)
			if !(rm["from"] == a && rm["to"] == b) && !(rm["from"] == b && rm["to"] == a) {
				t.Fatalf("entry %d: relationship %v does not join %v and %v", i, rm, a, b)
			}
		}
	}

	// Filters: by unit kind and coverage kind, and as of a date before the 大党委 seats (2018-03-01).
	data = srv.gql(t, `{
		schools: coverage(place: "place:xinmi:jinfenglu", filter: {unitKinds: [SCHOOL], kinds: [BIG_PARTY_COMMITTEE]}) { nodes { unit { name kind } kind } }
		before: coverage(place: "place:xinmi:jinfenglu", filter: {asOf: "2017-12-31", kinds: [BIG_PARTY_COMMITTEE, BIG_WORKING_COMMITTEE]}) { totalCount } }`, nil)
	for _, n := range dig(t, data, "schools.nodes").([]any) {
		m := n.(map[string]any)
		if m["kind"] != "BIG_PARTY_COMMITTEE" || m["unit"].(map[string]any)["kind"] != "SCHOOL" {
			t.Errorf("filtered coverage has %v", m)
		}
	}
	schools := map[string]bool{}
	for _, n := range dig(t, data, "schools.nodes").([]any) {
		schools[n.(map[string]any)["unit"].(map[string]any)["name"].(string)] = true
	}
	if !schools["东方娃幼儿园"] {
		t.Errorf("东方娃幼儿园 is not among the schools on 金凤路社区's 大党委: %v", schools)
	}
	if n := num(t, data, "before.totalCount"); n != 0 {
		t.Errorf("as of 2017-12-31, before the committees' seats of 2018-03-01, %d committee coverages", n)
	}

	// 000 上街区: “中心路街道针对个别社区辖区无联建单位的问题，以2至3个社区为一个片区，成立联合片区党委”:
	// the communities joined to 颍苑 are reached only through the joint committee.
	data = srv.gql(t, `{ node(id: "committee:shangjie:yingyuan-joint") { ... on Committee { covers { nodes { id name
		coverage { totalCount nodes { kind unit { name } } } } } } } }`, nil)
	joined := 0
	for i, c := range dig(t, data, "node.covers.nodes").([]any) {
		if c.(map[string]any)["id"] == "place:shangjie:yingyuan" {
			continue
		}
		joined++
		for _, n := range dig(t, data, fmt.Sprintf("node.covers.nodes.%d.coverage.nodes", i)).([]any) {
			if k := n.(map[string]any)["kind"]; k != "JOINT_AREA_COMMITTEE" && k != "BIG_WORKING_COMMITTEE" && k != "FEDERATION" {
				t.Errorf("%v is covered by %v, want only through committees", c.(map[string]any)["name"], k)
			}
		}
		if num(t, data, fmt.Sprintf("node.covers.nodes.%d.coverage.totalCount", i)) == 0 {
			t.Errorf("%v is not covered through the joint committee", c.(map[string]any)["name"])
		}
	}
	if joined != 2 {
		t.Errorf("颍苑 joint committee joins %d communities, want 2 (2至3个社区为一个片区)", joined)
	}

	_, resp := srv.post(t, `{ coverage(place: "place:nowhere") { totalCount } }`, nil)
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "NOT_FOUND" {
		t.Errorf("coverage of an unknown place: %v", resp.Errors)
	}
}

// Question 2: a unit's footprint.
func TestQuestionFootprint(t *testing.T) {
	srv := demoServer(t)
	// 002 惠济区: “8个党建协作组与全区8个镇、街道联建共建”: an agency in a collaboration group
	// covers its paired town and the town's communities.
	data := srv.gql(t, `{ committee: node(id: "committee:huiji:collab1") { ... on Committee { covers { nodes { id } }
		seats(first: 1) { nodes { holder { ... on PartyOrg { owner { ... on Unit { id name
			footprint(filter: {kinds: [COLLABORATION_GROUP]}, first: 200) { totalCount nodes { place { id kind parent { id } } } } } } } } } } } } }`, nil)
	town := dig(t, data, "committee.covers.nodes.0.id")
	fp := dig(t, data, "committee.seats.nodes.0.holder.owner.footprint")
	sawTown, communities := false, 0
	for _, n := range fp.(map[string]any)["nodes"].([]any) {
		p := n.(map[string]any)["place"].(map[string]any)
		switch {
		case p["id"] == town:
			sawTown = true
		case p["kind"] == "COMMUNITY" && p["parent"].(map[string]any)["id"] == town:
			communities++
		default:
			t.Errorf("footprint reaches %v outside the paired town %v", p, town)
		}
	}
	if !sawTown || communities == 0 {
		t.Errorf("footprint: town %v, %d of its communities", sawTown, communities)
	}
}

// Question 3: cross-unit reporting.
func TestQuestionCrossUnitReporting(t *testing.T) {
	srv := demoServer(t)
	// 000 上街区: “区委与驻区国企长城铝业公司党委联管该公司的18家离退休支部党员…带动1000余名企业党员到社区报到”:
	// they belong to the company's retirees' branches and report to Shangjie's communities.
	data := srv.gql(t, `{
		soe: crossUnitReporting(filter: {within: "place:shangjie", categories: [RETIRED]}, first: 3) { totalCount
			nodes { member { name category } community { name } workUnit { name } organisation { name kind } relationship { kind since } } }
		flows: reportingFlows(filter: {within: "place:shangjie"}, first: 5) { totalCount memberCount
			nodes { members community { name } source { __typename ... on Unit { name } ... on PartyOrg { name } } } } }`, nil)
	if n := num(t, data, "soe.totalCount"); n <= 1000 {
		t.Errorf("“带动1000余名企业党员到社区报到”: %d retired cross-unit reporters", n)
	}
	for i := range dig(t, data, "soe.nodes").([]any) {
		p := fmt.Sprintf("soe.nodes.%d.", i)
		if dig(t, data, p+"organisation.kind") != "RETIREES_BRANCH" || dig(t, data, p+"relationship.kind") != "REPORTS_TO" {
			t.Errorf("retired reporter %v", dig(t, data, p[:len(p)-1]))
		}
	}
	if dig(t, data, "flows.nodes.0.source.name") != "长城铝业公司" {
		t.Errorf("the largest flow comes from %v, want 长城铝业公司", dig(t, data, "flows.nodes.0.source"))
	}
	prev := 1 << 30
	for i := range dig(t, data, "flows.nodes").([]any) {
		n := num(t, data, fmt.Sprintf("flows.nodes.%d.members", i))
		if n > prev {
			t.Errorf("flows not sorted by size: %d after %d", n, prev)
		}
		prev = n
	}
	if num(t, data, "flows.memberCount") < num(t, data, "soe.totalCount") {
		t.Errorf("flows count %d members, fewer than the %d retired reporters", num(t, data, "flows.memberCount"), num(t, data, "soe.totalCount"))
	}

	// 003 新密市: “全面落实在职党员到社区报到”: by kind of work unit, and into one community.
	data = srv.gql(t, `{
		all: crossUnitReporting(filter: {within: "place:xinmi"}, first: 0) { totalCount }
		schools: crossUnitReporting(filter: {within: "place:xinmi", workUnitKinds: [SCHOOL]}, first: 50) { totalCount nodes { workUnit { kind } } }
		one: crossUnitReporting(filter: {within: "place:xinmi:jinfenglu"}, first: 50) { totalCount nodes { community { id } } } }`, nil)
	if a, s := num(t, data, "all.totalCount"), num(t, data, "schools.totalCount"); s == 0 || s >= a {
		t.Errorf("Xinmi: %d cross-unit reporters, %d from schools", a, s)
	}
	for _, n := range dig(t, data, "schools.nodes").([]any) {
		if k := n.(map[string]any)["workUnit"].(map[string]any)["kind"]; k != "SCHOOL" {
			t.Errorf("school filter let through %v", k)
		}
	}
	for _, n := range dig(t, data, "one.nodes").([]any) {
		if id := n.(map[string]any)["community"].(map[string]any)["id"]; id != "place:xinmi:jinfenglu" {
			t.Errorf("reporters into 金凤路社区 include one into %v", id)
		}
	}
}

// Question 4: coverage gaps.
func TestQuestionGaps(t *testing.T) {
	srv := demoServer(t)
	// 000 上街区: without the joint area committees, the communities joined to 颍苑 and 商业街
	// have no unit: “针对个别社区辖区无联建单位的问题…成立联合片区党委”.
	data := srv.gql(t, `{
		without: coverageGaps(within: "place:shangjie:zhongxinlu", filter: {kinds: [STATIONED, AGREEMENT, BIG_PARTY_COMMITTEE]}) { totalCount nodes { coveringUnits community { name parent { name } } } }
		with: coverageGaps(within: "place:shangjie:zhongxinlu", filter: {kinds: [STATIONED, AGREEMENT, BIG_PARTY_COMMITTEE, JOINT_AREA_COMMITTEE]}) { totalCount }
		few: coverageGaps(within: "place:zhongyuan", minUnits: 3) { totalCount nodes { coveringUnits } }
		zy: streetsWithoutSeats(within: "place:zhongyuan") { totalCount }
		sj: streetsWithoutSeats(within: "place:shangjie") { totalCount nodes { street { name } committee { name } } } }`, nil)
	if n := num(t, data, "without.totalCount"); n < 4 {
		t.Errorf("without joint committees, %d gaps in 中心路街道, want the 4 joined communities at least", n)
	}
	if w, wo := num(t, data, "with.totalCount"), num(t, data, "without.totalCount"); w > wo-4 {
		t.Errorf("the joint committees close %d gaps, want 4", wo-w)
	}
	for _, n := range dig(t, data, "without.nodes").([]any) {
		if c := n.(map[string]any)["coveringUnits"].(float64); c != 0 {
			t.Errorf("a gap with minUnits 1 has %v covering units", c)
		}
	}
	for _, n := range dig(t, data, "few.nodes").([]any) {
		if c := n.(map[string]any)["coveringUnits"].(float64); c >= 3 {
			t.Errorf("a gap with minUnits 3 has %v covering units", c)
		}
	}
	// 001 中原区: every street has its 大工委 with seats (“与辖区261个较大单位建立了良好关系”); in
	// 上街区 only 中心路街道 has a 区域工委 in the report.
	if n := num(t, data, "zy.totalCount"); n != 0 {
		t.Errorf("%d of Zhongyuan's streets have no 大工委 seats", n)
	}
	if n := num(t, data, "sj.totalCount"); n != 5 {
		t.Errorf("%d of Shangjie's streets lack 大工委 seats, want 5 (all but 中心路街道)", n)
	}
}

// Question 5: committee composition.
func TestQuestionComposition(t *testing.T) {
	srv := demoServer(t)
	// 004 辽源市: “打造区域化党建联合体62个…轮值主席”: a street's alliance shares its rotating chairs
	// with one of its communities' alliances, so their representatives sit on two alliances.
	data := srv.gql(t, `{
		reps: representatives(within: "place:liaoyuan", first: 5) { totalCount nodes { committees person { name } seats { role } } }
		alliance: node(id: "committee:liaoyuan:yongqing-alliance") { ... on Committee { seatsByUnitKind { kind count }
			seats(orderBy: {key: ROTATION}) { nodes { role rotationOrder } } } }
		bwc: committees(filter: {within: "place:xinmi", kinds: [BIG_WORKING_COMMITTEE]}) { nodes { seatsByUnitKind { kind count } seats(first: 0) { totalCount } } } }`, nil)
	if n := num(t, data, "reps.totalCount"); n == 0 {
		t.Errorf("no representative sits on two alliances")
	}
	for i := range dig(t, data, "reps.nodes").([]any) {
		if num(t, data, fmt.Sprintf("reps.nodes.%d.committees", i)) < 2 {
			t.Errorf("representative %d sits on fewer than 2 committees", i)
		}
	}
	prev := 0
	for i := range dig(t, data, "alliance.seats.nodes").([]any) {
		o := num(t, data, fmt.Sprintf("alliance.seats.nodes.%d.rotationOrder", i))
		if o <= prev || dig(t, data, fmt.Sprintf("alliance.seats.nodes.%d.role", i)) != "ROTATING_CHAIR" {
			t.Errorf("rotation out of order at %d: %v", i, dig(t, data, "alliance.seats.nodes"))
		}
		prev = o
	}
	// Seats by unit kind add up to the committee's seats (“4个街道联合驻区91家单位建立大工委”).
	total := 0
	for i := range dig(t, data, "bwc.nodes").([]any) {
		sum := 0
		for j := range dig(t, data, fmt.Sprintf("bwc.nodes.%d.seatsByUnitKind", i)).([]any) {
			sum += num(t, data, fmt.Sprintf("bwc.nodes.%d.seatsByUnitKind.%d.count", i, j))
		}
		if seats := num(t, data, fmt.Sprintf("bwc.nodes.%d.seats.totalCount", i)); sum != seats {
			t.Errorf("大工委 %d: seats by unit kind sum to %d, seats %d", i, sum, seats)
		}
		total += sum
	}
	if total != 91 {
		t.Errorf("“4个街道联合驻区91家单位建立大工委”: %d seats", total)
	}
}

// Question 6: connections.
func TestQuestionConnections(t *testing.T) {
	srv := demoServer(t)
	data := srv.gql(t, `{
		direct: connections(from: "unit:xinmi:dongfangwa", to: "place:xinmi:jinfenglu") { totalCount nodes { length relationships { kind } } }
		seats: connections(from: "unit:xinmi:dongfangwa", to: "place:xinmi:jinfenglu", relationshipKinds: [HOLDS, SEAT_ON, COVERS]) { totalCount nodes { length nodes { __typename } } }
		far: connections(from: "person:gaoguansong", to: "place:henan", maxDepth: 6) { totalCount nodes { length } } }`, nil)
	if num(t, data, "direct.nodes.0.length") != 1 || dig(t, data, "direct.nodes.0.relationships.0.kind") != "STATIONED_IN" {
		t.Errorf("东方娃幼儿园 to 金凤路社区: %v", dig(t, data, "direct"))
	}
	if num(t, data, "seats.nodes.0.length") != 3 || dig(t, data, "seats.nodes.0.nodes.2.__typename") != "Committee" {
		t.Errorf("over seats only: %v", dig(t, data, "seats"))
	}
	if num(t, data, "far.totalCount") == 0 {
		t.Errorf("高冠松 is not connected to 河南省 within 6")
	}
	_, resp := srv.post(t, `{ connections(from: "unit:xinmi:dongfangwa", to: "place:xinmi", maxDepth: 20) { totalCount } }`, nil)
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions["field"] != "maxDepth" {
		t.Errorf("maxDepth 20 accepted: %v", resp.Errors)
	}
}

// Question 7: the statistics of a place give the reports' own figures, as of each report's date.
func TestQuestionStatistics(t *testing.T) {
	srv := demoServer(t)
	data := srv.gql(t, `{
		zy: statistics(place: "place:zhongyuan", asOf: "2017-12-31") { place { name } streets villages communities partyOrgs members agreements seats coverageRate
			committees { kind count } membersByCategory { kind count } }
		xm: statistics(place: "place:xinmi", asOf: "2018-11-06") { streets communities seats servicePosts committees { kind count } }
		hj: statistics(place: "place:huiji", asOf: "2017-12-31") { members redStations }
		sj: statistics(place: "place:shangjie", asOf: "2017-12-31") { projects volunteerTeams projectsByCategory { kind count } reportingMembers crossUnitReporters reportingMembersPerCommunity }
		ly: statistics(place: "place:liaoyuan", asOf: "2021-03-31") { grids claims servicePosts committees { kind count } } }`, nil)
	// 001: “辖12个街道，46个行政村，94个社区，共有基层党组织969个，党员22373名。”, “签订共建协议309份”, 261 units.
	for field, want := range map[string]int{"zy.streets": 12, "zy.villages": 46, "zy.communities": 94, "zy.partyOrgs": 969,
		"zy.members": 22373, "zy.agreements": 309, "zy.seats": 261,
		// 003: “4个街道联合驻区91家单位建立大工委,46个社区联合驻区199家单位建立大党委”, “服务岗位11个”.
		"xm.streets": 4, "xm.communities": 46 + 20, "xm.seats": 290, "xm.servicePosts": 11,
		// 002: “以全区13903名党员为结构细胞”, “建立了14家流动党员“红色驿站””.
		"hj.members": 13903, "hj.redStations": 14,
		// 000: “全区共建立党员志愿服务队336支”.
		"sj.volunteerTeams": 336,
		// 004: “全市共重新划分城市社区网格521个”.
		"ly.grids": 521,
	} {
		if got := num(t, data, field); got != want {
			t.Errorf("%s: %d, want %d", field, got, want)
		}
	}
	// 000: “全区共确定联建项目逾500个，涉及…五大类”; 004: “认领党员先锋岗近1万个”.
	if n := num(t, data, "sj.projects"); n <= 500 {
		t.Errorf("Shangjie projects %d", n)
	}
	if n := len(dig(t, data, "sj.projectsByCategory").([]any)); n != 5 {
		t.Errorf("Shangjie project categories %d", n)
	}
	if n := num(t, data, "ly.claims"); n < 9900 {
		t.Errorf("Liaoyuan claims %d", n)
	}
	if r := dig(t, data, "zy.coverageRate").(float64); r <= 0 || r > 1 {
		t.Errorf("coverage rate %v", r)
	}
	if num(t, data, "sj.crossUnitReporters") > num(t, data, "sj.reportingMembers") {
		t.Errorf("more cross-unit reporters than reporters")
	}
}

// Question 8: search by any part of a Chinese name, ranked.
func TestQuestionSearch(t *testing.T) {
	srv := demoServer(t)
	data := srv.gql(t, `{
		a: search(text: "金凤路") { totalCount nodes { score node { __typename name } } }
		b: search(text: "东方娃", kinds: [UNIT]) { totalCount nodes { node { name } } }
		c: search(text: "瑞玲") { nodes { node { __typename name ... on Person { memberOf { nodes { name } } } } } }
		d: search(text: "娃") { totalCount nodes { node { name } } }
		e: search(text: "送变电(公司)") { totalCount } }`, nil)
	if dig(t, data, "a.nodes.0.node.name") != "金凤路社区" {
		t.Errorf("search 金凤路: first %v", dig(t, data, "a.nodes.0"))
	}
	prev := 1e18
	for _, n := range dig(t, data, "a.nodes").([]any) {
		s := n.(map[string]any)["score"].(float64)
		if s > prev {
			t.Errorf("search results not ranked: %v after %v", s, prev)
		}
		prev = s
	}
	if dig(t, data, "b.nodes.0.node.name") != "东方娃幼儿园" {
		t.Errorf("search 东方娃 among units: %v", dig(t, data, "b"))
	}
	// 000: “朝阳社区党支部书记王瑞玲”: found by part of her name, with her branch.
	if dig(t, data, "c.nodes.0.node.name") != "王瑞玲" || dig(t, data, "c.nodes.0.node.memberOf.nodes.0.name") != "朝阳社区党支部" {
		t.Errorf("search 瑞玲: %v", dig(t, data, "c"))
	}
	if num(t, data, "d.totalCount") == 0 {
		t.Errorf("a single character finds nothing")
	}
	_, resp := srv.post(t, `{ search(text: "  ") { totalCount } }`, nil)
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions["field"] != "text" {
		t.Errorf("empty search accepted: %v", resp.Errors)
	}
}

// A nested question over 100 communities costs a fixed number of round trips.
func TestQuestionsBatch(t *testing.T) {
	srv := demoServer(t)
	_, resp := srv.post(t, `{ places(filter: {within: "place:zhongyuan", kinds: [COMMUNITY, VILLAGE]}, first: 100) { nodes { name
		coverage(first: 5) { unitCount nodes { kind unit { name partyOrgs(first: 2) { nodes { name } } footprint(first: 2) { totalCount } } } }
		committees(first: 2) { nodes { seatsByUnitKind { kind count } } } } } }`, nil)
	if len(resp.Errors) > 0 {
		t.Fatal(resp.Errors)
	}
	// The answer cache's read of the feed's sequence, then places with their committees,
	// coverage, partyOrgs, footprint, seatsByUnitKind.
	if n := num(t, resp.Extensions, "dbRoundTrips"); n != 1+5 {
		t.Errorf("nested coverage over 100 places: %d round trips, want 6", n)
	}
}
