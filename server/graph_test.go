package server_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
	"github.com/gongjian/gongjian/seed"
	"github.com/gongjian/gongjian/server"
)

// demoOnce loads the demo profile into the test database once per test binary; the load is
// skipped when the database already holds exactly the demo's node and relationship counts.
var demoOnce sync.Once

// demoServer starts a server over the demo data.
func demoServer(t *testing.T) *running {
	t.Helper()
	uri := storetest.URI(t)
	demoOnce.Do(func() {
		store := storetest.Open(t, uri)
		d, err := seed.Build("demo", 1)
		if err != nil {
			t.Fatal(err)
		}
		nodes := storetest.Count(t, store, `MATCH (n:Entity) RETURN count(n) AS n`, nil)
		rels := storetest.Count(t, store, `MATCH ()-[r]->() RETURN count(r) AS n`, nil)
		if nodes == int64(d.NodeCount()) && rels == int64(d.EdgeCount()) {
			return
		}
		// The schema (the id constraint above all) first: without it every upsert scans.
		if _, err := store.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		storetest.Reset(t, store)
		if _, err := seed.Load(context.Background(), store, d, 5000, nil); err != nil {
			t.Fatal(err)
		}
	})
	return start(t, uri, server.Config{})
}

// gql posts a query and fails the test on any error; it returns the data.
func (r *running) gql(t *testing.T, query string, vars map[string]any) map[string]any {
	t.Helper()
	_, resp := r.post(t, query, vars)
	if len(resp.Errors) > 0 {
		t.Fatalf("query failed: %v\n%s", resp.Errors, query)
	}
	return resp.Data
}

// dig follows a dotted path (map keys and list indices) into decoded JSON.
func dig(t *testing.T, v any, path string) any {
	t.Helper()
	for _, step := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[step]; !ok {
				t.Fatalf("%s: no %q in %v", path, step, x)
			}
		case []any:
			i, err := strconv.Atoi(step)
			if err != nil || i >= len(x) {
				t.Fatalf("%s: bad index %q into a list of %d", path, step, len(x))
			}
			v = x[i]
		default:
			t.Fatalf("%s: cannot take %q of %v", path, step, v)
		}
	}
	return v
}

// num reads a number at a path.
func num(t *testing.T, v any, path string) int {
	t.Helper()
	f, ok := dig(t, v, path).(float64)
	if !ok {
		t.Fatalf("%s is not a number: %v", path, dig(t, v, path))
	}
	return int(f)
}

// names reads the names of a list of nodes at a path.
func names(t *testing.T, v any, path string) []string {
	t.Helper()
	var out []string
	for _, n := range dig(t, v, path).([]any) {
		out = append(out, n.(map[string]any)["name"].(string))
	}
	return out
}

// figure is a count the API must give, with the sentence of the report that states it.
type figure struct {
	quote   string
	field   string // a root field with its arguments; its totalCount is compared
	want    int
	atLeast bool // the report says "more than" (逾, 余)
}

func checkFigures(t *testing.T, srv *running, report string, figs []figure) {
	t.Helper()
	var b strings.Builder
	b.WriteString("{")
	for i, f := range figs {
		fmt.Fprintf(&b, " f%d: %s { totalCount }", i, f.field)
	}
	b.WriteString(" }")
	data := srv.gql(t, b.String(), nil)
	for i, f := range figs {
		got := num(t, data, fmt.Sprintf("f%d.totalCount", i))
		if got != f.want && !(f.atLeast && got > f.want) {
			more := ""
			if f.atLeast {
				more = "more than "
			}
			t.Errorf("%s “%s”\n  %s: totalCount %d, want %s%d", report, f.quote, f.field, got, more, f.want)
		}
	}
}

func TestAPIZhongyuan(t *testing.T) {
	srv := demoServer(t)
	const q1 = "辖12个街道，46个行政村，94个社区，共有基层党组织969个，党员22373名。"
	checkFigures(t, srv, "001 中原区", []figure{
		{q1, `places(filter: {within: "place:zhongyuan", kinds: [STREET]}, first: 0)`, 12, false},
		{q1, `places(filter: {within: "place:zhongyuan", kinds: [VILLAGE]}, first: 0)`, 46, false},
		{q1, `places(filter: {within: "place:zhongyuan", kinds: [COMMUNITY]}, first: 0)`, 94, false},
		{q1, `partyOrgs(filter: {within: "place:zhongyuan"}, first: 0)`, 969, false},
		{q1, `people(filter: {within: "place:zhongyuan", categories: [IN_SERVICE, RETIRED, FLOATING, WITHOUT_POST]}, first: 0)`, 22373, false},
		{"与辖区261个较大单位建立了良好关系", `seats(filter: {within: "place:zhongyuan"}, first: 0)`, 261, false},
		{"与辖区单位签订共建协议309份", `agreements(filter: {within: "place:zhongyuan"}, first: 0)`, 309, false},
		{"协调、盘活了80处闲置资源", `sharedResources(filter: {within: "place:zhongyuan", name: "闲置资源"}, first: 0)`, 80, false},
		{"借助“大工委”“大党委”机制，促进了区域内党建资源、基础设施资源及其他各类社会资源的整合", `committees(filter: {within: "place:zhongyuan", kinds: [BIG_WORKING_COMMITTEE]}, first: 0)`, 12, false},
	})

	// “桐柏路街道馨怡家园社区，积极协调河南送变电公司将社区一层出租的门面房回收，改建后交由社区使用” : the unit is stationed in the community and paired with it.
	data := srv.gql(t, `{ node(id: "place:zhongyuan:xinyijiayuan") { name ... on Place {
		units { nodes { name kind } }
		agreements(filter: {name: "河南送变电公司"}) { nodes { name parties { nodes { ... on Unit { name } } } provenance { kind report quote } } } } } }`, nil)
	if got := names(t, data, "node.units.nodes"); !contains(got, "河南送变电公司") {
		t.Errorf("馨怡家园社区's units %v lack 河南送变电公司", got)
	}
	if p := dig(t, data, "node.agreements.nodes.0.provenance"); dig(t, p, "kind") != "REPORT" || dig(t, p, "report") != "001_d995d49bba20f415.txt" {
		t.Errorf("agreement provenance %v, want report 001", p)
	}
	if got := names(t, data, "node.agreements.nodes.0.parties.nodes"); !contains(got, "河南送变电公司") {
		t.Errorf("agreement parties %v", got)
	}
}

func TestAPIXinmi(t *testing.T) {
	srv := demoServer(t)
	const q1 = "目前,4个街道联合驻区91家单位建立大工委,46个社区联合驻区199家单位建立大党委。"
	checkFigures(t, srv, "003 新密市", []figure{
		{q1, `places(filter: {within: "place:xinmi", kinds: [STREET]}, first: 0)`, 4, false},
		{q1, `committees(filter: {within: "place:xinmi", kinds: [BIG_PARTY_COMMITTEE]}, first: 0)`, 46, false},
		{"城市社区以商品房、村改居和单位型社区为主: the 46 and 20 commercial-housing communities (no number given)", `places(filter: {within: "place:xinmi", kinds: [COMMUNITY]}, first: 0)`, 66, false},
		{"村改居社区27个,单位型社区19个", `places(filter: {within: "place:xinmi", communityTypes: [VILLAGE_CONVERTED]}, first: 0)`, 27, false},
		{"村改居社区27个,单位型社区19个", `places(filter: {within: "place:xinmi", communityTypes: [WORK_UNIT]}, first: 0)`, 19, false},
		{"社区初步提供服务岗位11个", `servicePosts(filter: {within: "place:xinmi"}, first: 0)`, 11, false},
		{"在17个工商质监所设立非公经济组织党建指导站", `sharedResources(filter: {within: "place:xinmi", name: "党建指导站"}, first: 0)`, 17, false},
	})

	// Seats per committee kind, through the committees' seats: 91 on the four 大工委, 199 on
	// the 46 大党委.
	data := srv.gql(t, `{
		bwc: committees(filter: {within: "place:xinmi", kinds: [BIG_WORKING_COMMITTEE]}) { totalCount nodes { seats(first: 0) { totalCount } } }
		bpc: committees(filter: {within: "place:xinmi", kinds: [BIG_PARTY_COMMITTEE]}) { totalCount nodes { seats(first: 0) { totalCount } } } }`, nil)
	for _, c := range []struct {
		field            string
		committees, want int
	}{{"bwc", 4, 91}, {"bpc", 46, 199}} {
		if n := num(t, data, c.field+".totalCount"); n != c.committees {
			t.Errorf("“%s” %s: %d committees, want %d", q1, c.field, n, c.committees)
		}
		seats := 0
		for i := range dig(t, data, c.field+".nodes").([]any) {
			seats += num(t, data, fmt.Sprintf("%s.nodes.%d.seats.totalCount", c.field, i))
		}
		if seats != c.want {
			t.Errorf("“%s” %s: %d seats, want %d", q1, c.field, seats, c.want)
		}
	}

	// “金凤路社区与东方娃幼儿园联合,由社区提供场所、幼儿园提供师资,共建“四点半课堂”” : the kindergarten, the agreement and the project.
	data = srv.gql(t, `{ node(id: "unit:xinmi:dongfangwa") { name ... on Unit { kind stationedIn { name }
		signedAgreements { nodes { with { name } projects { nodes { name category status } } } } } } }`, nil)
	if dig(t, data, "node.name") != "东方娃幼儿园" || dig(t, data, "node.kind") != "SCHOOL" {
		t.Errorf("东方娃幼儿园: %v", data)
	}
	if dig(t, data, "node.stationedIn.name") != "金凤路社区" {
		t.Errorf("东方娃幼儿园 stationed in %v", dig(t, data, "node.stationedIn"))
	}
	if dig(t, data, "node.signedAgreements.nodes.0.with.name") != "金凤路社区" ||
		dig(t, data, "node.signedAgreements.nodes.0.projects.nodes.0.name") != "四点半课堂" {
		t.Errorf("东方娃幼儿园's agreement: %v", dig(t, data, "node.signedAgreements"))
	}

	// “市委宣传部71岁的退休党员高冠松” : a retired member whose work unit is the propaganda department.
	data = srv.gql(t, `{ node(id: "person:gaoguansong") { name ... on Person { category worksIn { nodes { name } edges { relationship { attributes { key value } } } } } } }`, nil)
	if dig(t, data, "node.category") != "RETIRED" || dig(t, data, "node.worksIn.nodes.0.name") != "中共新密市委宣传部" {
		t.Errorf("高冠松: %v", data)
	}
}

func TestAPIHuiji(t *testing.T) {
	srv := demoServer(t)
	const groups = "将51个区直机关党组织、3个开发区党组织划分为8个党建协作组…8个党建协作组与全区8个镇、街道联建共建"
	checkFigures(t, srv, "002 惠济区", []figure{
		{groups, `places(filter: {within: "place:huiji", kinds: [STREET, TOWN]}, first: 0)`, 8, false},
		{groups, `committees(filter: {within: "place:huiji", kinds: [COLLABORATION_GROUP]}, first: 0)`, 8, false},
		{groups, `seats(filter: {within: "place:huiji", roles: [GROUP_LEADER, MEMBER]}, first: 0)`, 54, false},
		{"以全区13903名党员为结构细胞", `people(filter: {within: "place:huiji", categories: [IN_SERVICE, RETIRED, FLOATING, WITHOUT_POST]}, first: 0)`, 13903, false},
		{"建立了14家流动党员“红色驿站”", `redStations(filter: {within: "place:huiji"}, first: 0)`, 14, false},
	})

	// “首批245名下沉历练干部已全部上岗到位” : 245 seconded cadres, in service on 2017-06-01 and
	// gone by 2019, each a member of a temporary branch.
	data := srv.gql(t, `{ places(filter: {within: "place:huiji", kinds: [STREET, TOWN]}) { nodes {
		then: secondedPeople(filter: {asOf: "2017-06-01"}, first: 1) { totalCount nodes { memberOf { nodes { kind } } } }
		later: secondedPeople(filter: {asOf: "2019-06-01"}, first: 0) { totalCount } } } }`, nil)
	then, later := 0, 0
	for i := range dig(t, data, "places.nodes").([]any) {
		p := fmt.Sprintf("places.nodes.%d.", i)
		then += num(t, data, p+"then.totalCount")
		later += num(t, data, p+"later.totalCount")
		if num(t, data, p+"then.totalCount") > 0 && dig(t, data, p+"then.nodes.0.memberOf.nodes.0.kind") != "TEMPORARY_BRANCH" {
			t.Errorf("seconded cadre not in a temporary branch: %v", dig(t, data, p+"then"))
		}
	}
	if then != 245 || later != 0 {
		t.Errorf("“首批245名下沉历练干部已全部上岗到位”: %d seconded as of 2017-06-01 (want 245), %d as of 2019-06-01 (want 0)", then, later)
	}

	// “已先后吸纳各行业流动党员240余名” : the floating members attached to the red stations.
	data = srv.gql(t, `{ redStations(filter: {within: "place:huiji"}) { nodes { members(first: 0, filter: {categories: [FLOATING]}) { totalCount } } } }`, nil)
	attached := 0
	for i := range dig(t, data, "redStations.nodes").([]any) {
		attached += num(t, data, fmt.Sprintf("redStations.nodes.%d.members.totalCount", i))
	}
	if attached < 240 {
		t.Errorf("“已先后吸纳各行业流动党员240余名”: %d floating members at red stations", attached)
	}
}

func TestAPIShangjie(t *testing.T) {
	srv := demoServer(t)
	const five = "目前，全区共确定联建项目逾500个，涉及党建阵地共享、党员教育管理、社区服务优化、党建标准化建设、基层治理创新等五大类。"
	figs := []figure{{five, `projects(filter: {within: "place:shangjie"}, first: 0)`, 500, true}}
	for _, c := range []string{"SHARED_POSITIONS", "MEMBER_EDUCATION", "COMMUNITY_SERVICES", "STANDARDISATION", "GOVERNANCE_INNOVATION"} {
		figs = append(figs, figure{five, `projects(filter: {within: "place:shangjie", categories: [` + c + `]}, first: 0)`, 0, true})
	}
	figs = append(figs,
		figure{"全区共建立党员志愿服务队336支", `volunteerTeams(filter: {within: "place:shangjie"}, first: 0)`, 336, false},
		figure{"首批136个党建服务阵地全区共享", `sharedResources(filter: {within: "place:shangjie", name: "党建服务阵地"}, first: 0)`, 136, false},
		figure{"精选255个优质项目，以“共享清单”形式面向全区开放", `sharedResources(filter: {within: "place:shangjie", name: "共享清单"}, first: 0)`, 255, false},
	)
	figs = append(figs,
		figure{"建立了党建引领指导、街道建设发展、综治调解等10个专题委员会", `committees(filter: {within: "place:shangjie", kinds: [THEMATIC_COMMITTEE]}, first: 0)`, 10, false},
		figure{"建立特长党员工作[室]121个，建成爱心交换站5处", `sharedResources(filter: {within: "place:shangjie", name: "特长党员工作室"}, first: 0)`, 121, false},
		figure{"建立特长党员工作[室]121个，建成爱心交换站5处", `sharedResources(filter: {within: "place:shangjie", name: "爱心交换站"}, first: 0)`, 5, false},
	)
	checkFigures(t, srv, "000 上街区", figs)

	// “区委与驻区国企长城铝业公司党委联管该公司的18家离退休支部党员…带动1000余名企业党员到社区报到”
	data := srv.gql(t, `{ node(id: "unit:shangjie:changcheng-aluminium") { name ... on Unit {
		partyOrgs { nodes { name children(filter: {kinds: [RETIREES_BRANCH]}, first: 0) { totalCount } coManagedBy { nodes { name } } } }
		employees(first: 0) { totalCount } } } }`, nil)
	if n := num(t, data, "node.partyOrgs.nodes.0.children.totalCount"); n != 18 {
		t.Errorf("长城铝业's retirees' branches: %d, want 18", n)
	}
	data = srv.gql(t, `{ places(filter: {within: "place:shangjie", kinds: [COMMUNITY]}, first: 100) { nodes { reportingMembers(first: 0) { totalCount } } } }`, nil)
	reports := 0
	for i := range dig(t, data, "places.nodes").([]any) {
		reports += num(t, data, fmt.Sprintf("places.nodes.%d.reportingMembers.totalCount", i))
	}
	if reports <= 1000 {
		t.Errorf("“带动1000余名企业党员到社区报到”: %d members report to Shangjie's communities", reports)
	}

	// “上街区朝阳社区的“四点半课堂”都会有一位专职教师来为孩子们义务辅导，同时，辖区中心路小学也新增了“戏曲进校园”的特色课程” and “明确区域党建联合会是区委与驻区四家大型国企党委联建的常设机构”
	data = srv.gql(t, `{
		chaoyang: node(id: "agreement:shangjie:chaoyang-zhongxinlu-primary") { ... on Agreement { with { name } parties { totalCount nodes { __typename ... on Unit { name } ... on Place { name } } }
			projects(orderBy: {key: NAME}) { nodes { name category provenance { quote } } } } }
		fed: node(id: "committee:shangjie:federation") { ... on Committee { kind seats { totalCount nodes { role holder { __typename ... on PartyOrg { name } ... on Unit { name } } } } } } }`, nil)
	if got := names(t, data, "chaoyang.projects.nodes"); !contains(got, "四点半课堂") || !contains(got, "戏曲进校园") {
		t.Errorf("朝阳社区–中心路小学 projects: %v", got)
	}
	if n := num(t, data, "chaoyang.parties.totalCount"); n != 2 {
		t.Errorf("朝阳社区–中心路小学 parties: %d, want 2", n)
	}
	if n := num(t, data, "fed.seats.totalCount"); n != 5 {
		t.Errorf("“区委与驻区四家大型国企党委联建”: federation has %d seats, want 5", n)
	}
}

func TestAPILiaoyuan(t *testing.T) {
	srv := demoServer(t)
	checkFigures(t, srv, "004 辽源市", []figure{
		{"打造区域化党建联合体62个，实现街道社区全覆盖", `committees(filter: {within: "place:liaoyuan", kinds: [ALLIANCE]}, first: 0)`, 62, false},
		{"打造区域化党建联合体62个，实现街道社区全覆盖", `places(filter: {within: "place:liaoyuan", kinds: [STREET, COMMUNITY]}, first: 0)`, 62, false},
		{"全市共重新划分城市社区网格521个", `places(filter: {within: "place:liaoyuan", kinds: [GRID]}, first: 0)`, 521, false},
		{"打造“城市共享家园”107处", `sharedResources(filter: {within: "place:liaoyuan", name: "城市共享家园"}, first: 0)`, 107, false},
		{"全市共完成老旧小区改造43个，楼房426栋", `places(filter: {within: "place:liaoyuan", kinds: [COMPOUND]}, first: 0)`, 43, false},
		{"楼栋长3254名: each heads a building, the 426 renovated ones among them", `places(filter: {within: "place:liaoyuan", kinds: [BUILDING]}, first: 0)`, 3254, false},
		{"单元长11023名: each heads a stairwell", `places(filter: {within: "place:liaoyuan", kinds: [STAIRWELL]}, first: 0)`, 11023, false},
		{"建立临时党支部749个", `partyOrgs(filter: {within: "place:liaoyuan", kinds: [TEMPORARY_BRANCH]}, first: 0)`, 749, false},
		{"成立党员突击队395支、党员服务队352支", `volunteerTeams(filter: {within: "place:liaoyuan", name: "党员突击队"}, first: 0)`, 395, false},
		{"成立党员突击队395支、党员服务队352支", `volunteerTeams(filter: {within: "place:liaoyuan", name: "党员服务队"}, first: 0)`, 352, false},
		{"设立党员先锋岗2153个", `servicePosts(filter: {within: "place:liaoyuan", name: "疫情防控党员先锋岗"}, first: 0)`, 2153, false},
		{"共设立先锋岗5000多个", `servicePosts(filter: {within: "place:liaoyuan", name: "先锋岗"}, first: 0)`, 5000, true},
		{"逐级建立书记项目台账清单363个，目前已全部完成", `projects(filter: {within: "place:liaoyuan", statuses: [COMPLETED]}, first: 0)`, 363, false},
		{"逐级建立书记项目台账清单363个，目前已全部完成", `progressReports(filter: {within: "place:liaoyuan"}, first: 0)`, 363, false},
	})

	// “在职党员到社区认领党员先锋岗近1万个”: the claims, summed over the posts page by page.
	claims := 0
	var after any
	for {
		data := srv.gql(t, `query($after: String) { servicePosts(filter: {within: "place:liaoyuan"}, first: 500, after: $after) {
			pageInfo { hasNextPage endCursor } nodes { claimedBy(first: 0) { totalCount } } } }`, map[string]any{"after": after})
		for i := range dig(t, data, "servicePosts.nodes").([]any) {
			claims += num(t, data, fmt.Sprintf("servicePosts.nodes.%d.claimedBy.totalCount", i))
		}
		if dig(t, data, "servicePosts.pageInfo.hasNextPage") == false {
			break
		}
		after = dig(t, data, "servicePosts.pageInfo.endCursor")
	}
	if claims < 9900 || claims >= 10000 {
		t.Errorf("“在职党员到社区认领党员先锋岗近1万个”: %d claims", claims)
	}

	// Every street and community is covered by an alliance (全覆盖), and 62 first secretaries
	// are seconded to them (“全市共选派第一书记62名”). As of 2021 the epidemic's seconded agency
	// members (February to May 2020) have gone back, so only the first secretaries count.
	data := srv.gql(t, `{ places(filter: {within: "place:liaoyuan", kinds: [STREET, COMMUNITY]}, first: 100) { nodes { name
		committees(filter: {kinds: [ALLIANCE]}, first: 0) { totalCount } secondedPeople(first: 1, filter: {asOf: "2021-01-01"}) { totalCount nodes { title } } } } }`, nil)
	secretaries := 0
	for i := range dig(t, data, "places.nodes").([]any) {
		p := fmt.Sprintf("places.nodes.%d.", i)
		if num(t, data, p+"committees.totalCount") == 0 {
			t.Errorf("“实现街道社区全覆盖”: %v has no alliance", dig(t, data, p+"name"))
		}
		secretaries += num(t, data, p+"secondedPeople.totalCount")
		if dig(t, data, p+"secondedPeople.nodes.0.title") != "第一书记" {
			t.Errorf("%v: seconded %v, want a first secretary", dig(t, data, p+"name"), dig(t, data, p+"secondedPeople.nodes"))
		}
	}
	if secretaries != 62 {
		t.Errorf("“全市共选派第一书记62名”: %d seconded, want 62", secretaries)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestAPIPagesSortsAndBatches(t *testing.T) {
	srv := demoServer(t)

	// Walking a list page by page with the cursors gives every entry once, in order.
	const list = `query($after: String) { places(filter: {within: "place:zhongyuan", kinds: [COMMUNITY]}, first: 40, after: $after, orderBy: {key: NAME, descending: true}) {
		totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { id name } } }`
	seen := map[string]bool{}
	var after any
	var last string
	for pages := 0; ; pages++ {
		data := srv.gql(t, list, map[string]any{"after": after})
		for _, n := range dig(t, data, "places.nodes").([]any) {
			id, name := n.(map[string]any)["id"].(string), n.(map[string]any)["name"].(string)
			if seen[id] {
				t.Fatalf("%s seen twice", id)
			}
			if last != "" && name > last {
				t.Fatalf("not sorted descending: %s after %s", name, last)
			}
			seen[id], last = true, name
		}
		if (pages > 0) != dig(t, data, "places.pageInfo.hasPreviousPage") {
			t.Errorf("page %d: hasPreviousPage %v", pages, dig(t, data, "places.pageInfo.hasPreviousPage"))
		}
		if dig(t, data, "places.pageInfo.hasNextPage") == false {
			break
		}
		after = dig(t, data, "places.pageInfo.endCursor")
	}
	if len(seen) != 94 {
		t.Errorf("walked %d communities, want 94", len(seen))
	}

	// A nested query over 100 communities costs one round trip per level, whatever the sizes.
	_, resp := srv.post(t, `{ places(filter: {within: "place:zhongyuan", kinds: [COMMUNITY, VILLAGE]}, first: 100) { nodes { name
		parent { name }
		units(first: 10) { totalCount nodes { name partyOrgs(first: 5) { nodes { members(first: 3) { totalCount nodes { name } } } } } }
		committees(first: 3) { nodes { seats(first: 10) { nodes { role holder { ... on Unit { name } } } } } } } } }`, nil)
	if len(resp.Errors) > 0 {
		t.Fatal(resp.Errors)
	}
	// The answer cache's read of the feed's sequence, then places with their parent, units
	// and committees, and those's partyOrgs and seats; then members and holder.
	if n := num(t, resp.Extensions, "dbRoundTrips"); n != 1+2 {
		t.Errorf("nested query over 100 places: %d round trips, want 3", n)
	}

	// Bad arguments are refused with a coded error naming the argument.
	for query, field := range map[string]string{
		`{ places(first: 100000) { totalCount } }`:                                                "first",
		`{ places(after: "nope") { totalCount } }`:                                                "after",
		`{ places(filter: {asOf: "2017-13-45"}) { totalCount } }`:                                 "",
		`{ node(id: "place:zhongyuan") { ... on Place { children(first: -1) { totalCount } } } }`: "first",
	} {
		_, resp := srv.post(t, query, nil)
		if len(resp.Errors) == 0 {
			t.Errorf("%s: accepted", query)
			continue
		}
		if code := resp.Errors[0].Extensions["code"]; code != "BAD_USER_INPUT" {
			t.Errorf("%s: code %v, want BAD_USER_INPUT", query, code)
		}
		if f := resp.Errors[0].Extensions["field"]; field != "" && f != field {
			t.Errorf("%s: field %v, want %s", query, f, field)
		}
	}

	// A place that does not exist is NOT_FOUND, not an empty list.
	_, resp = srv.post(t, `{ units(filter: {within: "place:atlantis"}) { totalCount } }`, nil)
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "NOT_FOUND" || resp.Errors[0].Extensions["field"] != "filter.within" {
		t.Errorf("unknown place: %v", resp.Errors)
	}

	// A query that could return too much is refused before it runs.
	_, resp = srv.post(t, `{ places(first: 500) { nodes { units(first: 500) { nodes { employees(first: 500) { nodes { name } } } } } } }`, nil)
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions["reason"] != "COMPLEXITY_LIMIT_EXCEEDED" {
		t.Errorf("huge nested query: %v", resp.Errors)
	}
}
