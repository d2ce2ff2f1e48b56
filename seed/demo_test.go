package seed

import (
	"strings"
	"testing"

	"github.com/gongjian/gongjian/graph"
)

// count counts nodes of a kind under a place that satisfy a predicate.
type facts struct {
	t *testing.T
	g *gen
}

func demo(t *testing.T) facts {
	d, err := Build("demo", 1)
	if err != nil {
		t.Fatal(err)
	}
	return facts{t, &gen{builder: builder{d}}}
}

func (f facts) placesUnder(root string, kind graph.PlaceKind) int {
	n := 0
	for id := range f.g.subtree(root) {
		// Places merged into others (…:was:…) no longer stand on their own.
		if v, _ := f.g.prop(id, "kind"); v == string(kind) && !strings.Contains(id, ":was:") {
			n++
		}
	}
	return n
}

func (f facts) edgesFrom(rel graph.RelKind, from func(string) bool, to func(string) bool) int {
	n := 0
	for _, e := range f.g.edges[rel] {
		if (from == nil || from(e.From)) && (to == nil || to(e.To)) {
			n++
		}
	}
	return n
}

func (f facts) membersUnder(root string) int {
	orgs := map[string]bool{}
	for _, o := range f.g.orgsUnder(root) {
		orgs[o] = true
	}
	people := map[string]bool{}
	for _, e := range f.g.edges[graph.RelMemberOf] {
		if orgs[e.To] {
			people[e.From] = true
		}
	}
	return len(people)
}

func (f facts) seatsOn(kind graph.CommitteeKind, root string) int {
	places := f.g.subtree(root)
	committees := map[string]bool{}
	for _, e := range f.g.edges[graph.RelCovers] {
		if v, _ := f.g.prop(e.From, "kind"); v == string(kind) && places[e.To] {
			committees[e.From] = true
		}
	}
	return f.edgesFrom(graph.RelSeatOn, nil, func(c string) bool { return committees[c] })
}

func (f facts) want(what string, got, want int) {
	f.t.Helper()
	if got != want {
		f.t.Errorf("%s: %d, want %d", what, got, want)
	}
}

func (f facts) prefixed(prefix string) int { return f.g.countPrefix(prefix) }

// Each figure below is stated in a report; the quote is the sentence.
func TestDemoMatchesZhongyuanFigures(t *testing.T) {
	f := demo(t)
	// “辖12个街道，46个行政村，94个社区，共有基层党组织969个，党员22373名。”
	f.want("streets", f.placesUnder("place:zhongyuan", graph.PlaceStreet), 12)
	f.want("villages", f.placesUnder("place:zhongyuan", graph.PlaceVillage), 46)
	f.want("communities", f.placesUnder("place:zhongyuan", graph.PlaceCommunity), 94)
	f.want("party organisations", len(f.g.orgsUnder("place:zhongyuan")), 969)
	f.want("party members", f.membersUnder("place:zhongyuan"), 22373)
	// “与辖区261个较大单位建立了良好关系” (through 大工委 and 大党委 seats)
	f.want("units seated on big committees", f.seatsOn(graph.CommitteeBigWorking, "place:zhongyuan")+f.seatsOn(graph.CommitteeBigParty, "place:zhongyuan"), 261)
	// “与辖区单位签订共建协议309份”
	f.want("agreements", f.prefixed("agreement:zhongyuan:"), 309)
	// “协调、盘活了80处闲置资源”
	f.want("idle resources", f.prefixed("resource:zhongyuan:idle"), 80)
	// “全区共配备社区专职党务工作者386名”
	n := 0
	for _, id := range f.g.idsWithPrefix("person:zhongyuan") {
		if v, _ := f.g.prop(id, "fullTimePartyWorker"); v == true {
			n++
		}
	}
	f.want("full-time party workers", n, 386)
	// “其中76个达到1000平方米以上，32个达到2000平方米以上”
	over := map[int64]int{}
	for id := range f.g.subtree("place:zhongyuan") {
		if v, ok := f.g.prop(id, "serviceAreaM2"); ok {
			for _, m := range []int64{500, 1000, 2000} {
				if v.(int64) >= m {
					over[m]++
				}
			}
		}
	}
	f.want("communities ≥500 m²", over[500], 94)
	f.want("communities ≥1000 m²", over[1000], 76)
	f.want("communities ≥2000 m²", over[2000], 32)
}

func TestDemoMatchesXinmiFigures(t *testing.T) {
	f := demo(t)
	// “目前,4个街道联合驻区91家单位建立大工委,46个社区联合驻区199家单位建立大党委。”
	f.want("streets", f.placesUnder("place:xinmi", graph.PlaceStreet), 4)
	// The 46 with a 大党委, and 20 commercial-housing communities (“城市社区以商品房、村改居和单位型社区为主”; no number given).
	f.want("communities", f.placesUnder("place:xinmi", graph.PlaceCommunity), 46+20)
	bpc := 0
	for id := range f.g.subtree("place:xinmi") {
		if v, _ := f.g.prop(id, "communityType"); v == string(graph.CommunityCommercialHousing) {
			bpc++
		}
	}
	f.want("commercial-housing communities", bpc, 20)
	f.want("大工委 seats", f.seatsOn(graph.CommitteeBigWorking, "place:xinmi"), 91)
	f.want("大党委 seats", f.seatsOn(graph.CommitteeBigParty, "place:xinmi"), 199)
	// “村改居社区27个,单位型社区19个”
	types := map[any]int{}
	for id := range f.g.subtree("place:xinmi") {
		if v, _ := f.g.prop(id, "kind"); v == string(graph.PlaceCommunity) {
			ct, _ := f.g.prop(id, "communityType")
			types[ct]++
		}
	}
	f.want("village-converted communities", types[string(graph.CommunityVillageConverted)], 27)
	f.want("work-unit communities", types[string(graph.CommunityWorkUnit)], 19)
	// “全市已选举产生社区代表2029名,其中居民代表1597名、驻区单位代表192名、“两新”组织代表121名。”
	reps := map[any]int{}
	for _, id := range f.g.idsWithPrefix("person:xinmi:rep") {
		v, _ := f.g.prop(id, "communityRepresentative")
		reps[v]++
	}
	f.want("resident representatives", reps["RESIDENT"], 1597)
	f.want("unit representatives", reps["UNIT"], 192)
	f.want("new-organisation representatives", reps["NEW_ORGANISATION"], 121)
	f.want("community representatives in all", len(f.g.idsWithPrefix("person:xinmi:rep")), 2029)
	// “社区初步提供服务岗位11个”
	f.want("service posts", f.prefixed("post:xinmi"), 11)
	// 金凤路社区 co-builds the 四点半课堂 with 东方娃幼儿园.
	f.want("金凤路—东方娃 agreement parties", f.edgesFrom(graph.RelPartyTo,
		func(s string) bool { return s == "unit:xinmi:dongfangwa" },
		func(s string) bool { return s == "agreement:xinmi:jinfenglu-dongfangwa" }), 1)
}

func TestDemoMatchesHuijiFigures(t *testing.T) {
	f := demo(t)
	// “将51个区直机关党组织、3个开发区党组织划分为8个党建协作组…8个党建协作组与全区8个镇、街道联建共建”
	f.want("towns and streets", f.placesUnder("place:huiji", graph.PlaceStreet)+f.placesUnder("place:huiji", graph.PlaceTown), 8)
	f.want("collaboration groups", f.prefixed("committee:huiji:collab"), 8)
	f.want("collaboration group seats", f.seatsOn(graph.CommitteeCollaboration, "place:huiji"), 54)
	f.want("group–town agreements", f.prefixed("agreement:huiji:collab"), 8)
	// “以全区13903名党员为结构细胞”
	f.want("party members", f.membersUnder("place:huiji"), 13903)
	// “建立了14家流动党员“红色驿站””, “已先后吸纳各行业流动党员240余名”
	f.want("red stations", f.prefixed("redstation:huiji"), 14)
	f.want("floating members at red stations", len(f.g.edges[graph.RelAttachedTo]), 240)
	// “首批245名下沉历练干部已全部上岗到位”
	f.want("seconded cadres", f.edgesFrom(graph.RelSecondedTo, func(s string) bool { return len(s) > 21 && s[:21] == "person:huiji:seconded" }, nil), 245)
	// ““党建云”平台已将全区298个党支部纳入管理”
	f.want("branches on the cloud platform", f.prefixed("org:huiji:branch"), 298)
}

func TestDemoMatchesShangjieFigures(t *testing.T) {
	f := demo(t)
	// “目前，全区共确定联建项目逾500个，涉及…等五大类。”
	projects := f.g.idsWithPrefix("project:shangjie:")
	if len(projects) <= 500 {
		t.Errorf("projects: %d, want more than 500", len(projects))
	}
	cats := map[any]int{}
	for _, p := range projects {
		v, _ := f.g.prop(p, "category")
		cats[v]++
	}
	f.want("project categories", len(cats), 5)
	// “先后与联建单位共建了…等17个“心连心”工程项目”
	f.want("颍苑 心连心 projects", f.prefixed("project:shangjie:yingyuan"), 17)
	// “区委与驻区国企长城铝业公司党委联管该公司的18家离退休支部党员…带动1000余名企业党员到社区报到”
	f.want("co-managed retirees' branches", len(f.g.edges[graph.RelCoManages]), 18)
	n := f.edgesFrom(graph.RelReportsTo, func(s string) bool { return len(s) > 19 && s[:19] == "person:shangjie-cwa" }, nil)
	if n <= 1000 {
		t.Errorf("长城铝业 members reporting to communities: %d, want more than 1000", n)
	}
	// “首批136个党建服务阵地全区共享”, “精选255个优质项目，以“共享清单”形式面向全区开放”
	f.want("shared positions", f.prefixed("resource:shangjie:position"), 136)
	f.want("shared services", f.prefixed("resource:shangjie:service"), 255)
	f.want("high-standard centres", f.prefixed("resource:shangjie:centre"), 10)
	// “全区共建立党员志愿服务队336支，参与党员3000余名”
	f.want("volunteer teams", f.prefixed("team:shangjie"), 336)
	if v := len(f.g.edges[graph.RelVolunteersIn]); v <= 3000 {
		t.Errorf("volunteers: %d, want more than 3000", v)
	}
	// “明确区域党建联合会是区委与驻区四家大型国企党委联建的常设机构”
	f.want("federation seats (district committee and four SOEs)", f.edgesFrom(graph.RelSeatOn, nil, func(s string) bool { return s == "committee:shangjie:federation" }), 5)
	// 中心路街道's joint area committees each cover 2–3 communities.
	for _, j := range []string{"committee:shangjie:yingyuan-joint", "committee:shangjie:shangyejie-joint"} {
		c := f.edgesFrom(graph.RelCovers, func(s string) bool { return s == j }, nil)
		if c < 2 || c > 3 {
			t.Errorf("%s covers %d communities, want 2–3", j, c)
		}
	}
}

func TestDemoMatchesLiaoyuanFigures(t *testing.T) {
	f := demo(t)
	// “打造区域化党建联合体62个，实现街道社区全覆盖”
	f.want("alliances", f.g.countPrefix("committee:liaoyuan:"), 62)
	f.want("streets and communities", f.placesUnder("place:liaoyuan", graph.PlaceStreet)+f.placesUnder("place:liaoyuan", graph.PlaceCommunity), 62)
	// “全市共选派第一书记62名”
	f.want("first secretaries", f.prefixed("person:liaoyuan:first-secretary"), 62)
	// “全市共重新划分城市社区网格521个”
	f.want("grids", f.placesUnder("place:liaoyuan", graph.PlaceGrid), 521)
	// “打造“城市共享家园”107处”
	f.want("shared homes", f.prefixed("resource:liaoyuan:home"), 107)
}

func TestDemoIsDeterministicAndNamesRealPeopleOnlyFromReports(t *testing.T) {
	a, _ := Build("demo", 1)
	b, _ := Build("demo", 1)
	if a.NodeCount() != b.NodeCount() || a.EdgeCount() != b.EdgeCount() {
		t.Fatalf("two builds differ: %d/%d nodes, %d/%d edges", a.NodeCount(), b.NodeCount(), a.EdgeCount(), b.EdgeCount())
	}
	for i, id := range a.order {
		if b.order[i] != id {
			t.Fatalf("node %d: %s vs %s", i, id, b.order[i])
		}
		na, _ := a.prop(id, "name")
		nb, _ := b.prop(id, "name")
		if na != nb {
			t.Fatalf("%s named %v then %v", id, na, nb)
		}
	}
	for _, rows := range a.nodes {
		for _, r := range rows {
			src, _ := r.Props["source"].(string)
			if src != "generated" && (len(src) < 7 || src[:7] != "report:" || r.Props["quote"] == nil) {
				t.Fatalf("%s has no provenance: %v", r.ID, r.Props)
			}
		}
	}
}

func (f facts) titled(prefix, title string) int {
	n := 0
	for _, id := range f.g.idsWithPrefix(prefix) {
		if v, _ := f.g.prop(id, "title"); v == title {
			n++
		}
	}
	return n
}

func (f facts) propIs(prefix, key string, value any) int {
	n := 0
	for _, id := range f.g.idsWithPrefix(prefix) {
		if v, _ := f.g.prop(id, key); v == value {
			n++
		}
	}
	return n
}

func TestDemoMatchesFinerFigures(t *testing.T) {
	f := demo(t)
	// 000 上街区: “建立了党建引领指导、街道建设发展、综治调解等10个专题委员会”
	f.want("thematic committees", f.propIs("committee:shangjie:", "kind", string(graph.CommitteeThematic)), 10)
	// “建立特长党员工作[室]121个，建成爱心交换站5处”
	f.want("studios", f.prefixed("resource:shangjie:studio"), 121)
	f.want("exchange stations", f.prefixed("resource:shangjie:exchange"), 5)
	// 003 新密市: “全市共排查出…各类群众性自组织、团体协会142个”
	f.want("self-organised associations", f.propIs("unit:xinmi:association", "selfOrganised", true), 142)
	// “在17个工商质监所设立非公经济组织党建指导站”
	f.want("guidance stations", f.prefixed("resource:xinmi:guidance"), 17)
	// “对新任村(社区)社区党务干部557人进行集中培训…储备村级后备干部1113名”
	f.want("trained cadres", f.titled("person:xinmi:cadre", "社区党务干部"), 557)
	f.want("reserve cadres", f.titled("person:xinmi:reserve", "村级后备干部"), 1113)
	// 004 辽源市: “全市登记在册专职网格长525名，楼栋长3254名，单元长11023名”
	f.want("grid heads", f.titled("person:liaoyuan:head", "专职网格长"), 525)
	f.want("building heads", f.titled("person:liaoyuan:head", "楼栋长"), 3254)
	f.want("unit heads", f.titled("person:liaoyuan:head", "单元长"), 11023)
	// “全市共完成老旧小区改造43个，楼房426栋”
	f.want("renovated compounds", f.placesUnder("place:liaoyuan", graph.PlaceCompound), 43)
	renovated := 0
	for _, id := range f.g.idsWithPrefix("place:liaoyuan:building") {
		if v, _ := f.g.prop(id, "renovated"); v == true {
			renovated++
		}
	}
	f.want("renovated buildings", renovated, 426)
	// Each registered head heads one grid, building or stairwell: 3,254 buildings, 11,023 stairwells.
	f.want("buildings", f.placesUnder("place:liaoyuan", graph.PlaceBuilding), 3254)
	f.want("stairwells", f.placesUnder("place:liaoyuan", graph.PlaceStairwell), 11023)
	// (and 10 retired group leaders in 新密, 8 standing-committee members heading 惠济's work groups)
	f.want("heads tied to what they head", len(f.g.edges[graph.RelHeads]), 525+3254+11023+10+8)
	// “建立临时党支部749个，成立党员突击队395支、党员服务队352支，设立党员先锋岗2153个”
	f.want("temporary branches", f.prefixed("org:liaoyuan:epidemic-branch"), 749)
	f.want("commando teams", f.prefixed("team:liaoyuan:COMMANDO"), 395)
	f.want("service teams", f.prefixed("team:liaoyuan:SERVICE"), 352)
	f.want("epidemic vanguard posts", f.propIs("post:liaoyuan:vanguard", "epidemic", true), 2153)
	// “选派两批次近7000名机关党员”
	if n := f.prefixed("person:liaoyuan:agency-member"); n < 6900 || n >= 7000 {
		t.Errorf("agency members seconded: %d, want nearly 7000", n)
	}
	// “共设立先锋岗5000多个”, “在职党员到社区认领党员先锋岗近1万个”
	if n := f.prefixed("post:liaoyuan:vanguard"); n <= 5000 {
		t.Errorf("vanguard posts: %d, want more than 5000", n)
	}
	if n := f.edgesFrom(graph.RelClaimed, nil, func(s string) bool { return len(s) > 13 && s[:13] == "post:liaoyuan" }); n < 9900 || n >= 10000 {
		t.Errorf("claimed posts: %d, want nearly 10,000", n)
	}
	// “逐级建立书记项目台账清单363个，目前已全部完成”
	f.want("secretaries' projects", f.propIs("project:liaoyuan:secretary", "status", string(graph.StatusCompleted)), 363)
	f.want("their closing reports", f.edgesFrom(graph.RelReportOn, nil, func(s string) bool { return len(s) > 26 && s[:26] == "project:liaoyuan:secretary" }), 363)
}

// Every seat that the generator made has a representative, and every membership, seat,
// report and secondment it made has a start date.
func TestDemoGeneratedTiesAreDatedAndRepresented(t *testing.T) {
	f := demo(t)
	represented := map[string]bool{}
	for _, e := range f.g.edges[graph.RelRepresents] {
		represented[e.To] = true
	}
	for _, s := range f.g.nodes[graph.KindSeat] {
		if s.Props["source"] == "generated" && !represented[s.ID] {
			t.Errorf("seat %s has no representative", s.ID)
		}
		if s.Props["source"] == "generated" && s.Props["since"] == nil {
			t.Errorf("seat %s has no start date", s.ID)
		}
	}
	for _, k := range []graph.RelKind{graph.RelMemberOf, graph.RelReportsTo, graph.RelSecondedTo, graph.RelClaimed} {
		for _, e := range f.g.edges[k] {
			if e.Props["source"] == "generated" && e.Props["since"] == nil {
				t.Errorf("%s %s→%s has no start date", k, e.From, e.To)
				break
			}
		}
	}
	for _, a := range f.g.nodes[graph.KindAgreement] {
		if a.Props["source"] == "generated" && a.Props["signedOn"] == nil {
			t.Errorf("agreement %s has no date", a.ID)
		}
	}
}

// Every place has one parent at most: the hierarchy is a tree.
func TestDemoPlacesFormATree(t *testing.T) {
	f := demo(t)
	parents := map[string]int{}
	for _, e := range f.g.edges[graph.RelPartOf] {
		parents[e.From]++
		if parents[e.From] == 2 {
			t.Errorf("%s has more than one parent", e.From)
		}
	}
}
