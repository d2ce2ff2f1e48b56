package seed

import (
	"fmt"

	"github.com/gongjian/gongjian/graph"
)

// What the reports describe beyond ties: activities and their counts, evaluations, points and
// honours, leading groups, contact points, and the heads of grids, buildings and stairwells.
// Curated facts carry their sentence; generated ones carry the sentence that motivates them.

// activity adds an activity (or a series, when occurrences > 0) organised by organiser and
// held in place.
func (b builder) activity(id, name string, kind graph.ActivityKind, organiser, place string, props map[string]any, p prov) string {
	if props == nil {
		props = map[string]any{}
	}
	props["name"], props["kind"] = name, string(kind)
	b.Node(graph.KindActivity, id, p, props)
	if organiser != "" {
		b.Edge(graph.RelOrganised, organiser, id, p, nil)
	}
	if place != "" {
		b.Edge(graph.RelHeldIn, id, place, p, nil)
	}
	return id
}

// evaluation adds rater's evaluation of rated.
func (b builder) evaluation(id, name string, kind graph.EvaluationKind, rater, rated string, props map[string]any, p prov) string {
	if props == nil {
		props = map[string]any{}
	}
	props["name"], props["kind"] = name, string(kind)
	b.Node(graph.KindEvaluation, id, p, props)
	if rater != "" {
		b.Edge(graph.RelRates, rater, id, p, nil)
	}
	b.Edge(graph.RelRatingOf, id, rated, p, nil)
	return id
}

// leadingGroup adds a leading group led by an organisation.
func (b builder) leadingGroup(id, name, ledBy, headTitle string, p prov) string {
	b.Node(graph.KindLeadingGroup, id, p, map[string]any{"name": name, "headTitle": headTitle})
	b.Edge(graph.RelLedBy, id, ledBy, p, nil)
	return id
}

// beyond adds the activities, evaluations, leading groups, contact points and heads that the
// reports describe, once the calibrated entities are there.
func beyond(g *gen) {
	beyondShangjie(g)
	beyondZhongyuan(g)
	beyondHuiji(g)
	beyondXinmi(g)
	beyondLiaoyuan(g)
}

func beyondShangjie(g *gen) {
	r := func(q string) prov { return rep(reportShangjie, q) }
	sj, district := "place:shangjie", "org:shangjie:district"
	g.activity("activity:shangjie:centenarian", "为百岁老党员过生日", graph.ActivityCultural, "committee:shangjie:shangyejie-joint",
		"place:shangjie:shangyejie", nil, r("商业街社区联合党委为百岁老党员过生日"))
	g.activity("activity:shangjie:embroider-flag", "亲绣党旗心向党", graph.ActivityCultural, "committee:shangjie:yingyuan-joint",
		"place:shangjie:yingyuan", nil, r("颍苑联合片区党委开展“亲绣党旗心向党”活动"))
	g.activity("activity:shangjie:oath", "主题党日：重温入党誓词", graph.ActivityThemedPartyDay, "", sj, nil, r("基层党支部“主题党日”重温入党誓词"))
	g.activity("activity:shangjie:red-hundred-2", "第二批“红色一百”项目签约", graph.ActivityOther, district, sj, nil,
		r("上街区城市区域化党建第二批“红色一百”项目签约"))
	g.activity("activity:shangjie:straw-painting", "机关党员干部观摩麦秸秆画创业培训", graph.ActivityTraining, "", "place:shangjie:danjiang", nil,
		r("机关党员干部观摩社区“非物质文化遗产”麦秸秆画创业培训"))
	g.activity("activity:shangjie:monthly-meeting", "城市基层党建工作会议", graph.ActivityJointMeeting, district, sj, map[string]any{"frequency": "MONTHLY"},
		r("通过建立区、街道社区、驻区单位党组织每月一次的城市基层党建工作会议制度，通报情况，协商调度"))
	// “建立健全双向评价机制…验收结果记入台账，作为双向评价、双向考核的重要依据”: each agreement's
	// community and unit rate each other for 2017 (generated; the report gives no results).
	q := "验收结果记入台账，作为双向评价、双向考核的重要依据。"
	for i, a := range g.idsWithPrefix("agreement:shangjie:g") {
		if i >= 80 {
			break
		}
		var unit, place string
		for _, e := range g.edges[graph.RelPartyTo] {
			if e.To == a {
				unit = e.From
			}
		}
		for _, e := range g.edges[graph.RelAgreementWith] {
			if e.From == a {
				place = e.To
			}
		}
		if unit == "" || place == "" {
			continue
		}
		grades := []string{"优秀", "良好", "合格"}
		g.evaluation(g.id("evaluation:shangjie:two-way"), g.placeName(place)+"评"+g.unitName(unit), graph.EvaluationTwoWay, place, unit,
			map[string]any{"period": "2017", "result": grades[g.IntN(3)]}, prov{"generated", q})
		g.evaluation(g.id("evaluation:shangjie:two-way"), g.unitName(unit)+"评"+g.placeName(place), graph.EvaluationTwoWay, unit, place,
			map[string]any{"period": "2017", "result": grades[g.IntN(3)]}, prov{"generated", q})
	}
	// “创新社区党总支领导下的社区服务中心党支部、社区经济合作社党支部、非企业流动党员路段党支部的“1+3”新型社区党组织设置模式”:
	// the set-up, given to the new-type 朱寨新型社区 (the report does not say which communities use it).
	q = "创新社区党总支领导下的社区服务中心党支部、社区经济合作社党支部、非企业流动党员路段党支部的“1+3”新型社区党组织设置模式"
	zz := "place:shangjie:zhuzhai"
	gb := g.org("org:shangjie:zhuzhai", "朱寨新型社区党总支", graph.OrgGeneralBranch, zz, "org:shangjie:district", prov{"generated", q})
	for i, name := range []string{"社区服务中心党支部", "社区经济合作社党支部", "非企业流动党员路段党支部"} {
		g.org(fmt.Sprintf("org:shangjie:zhuzhai:b%d", i+1), "朱寨新型社区"+name, graph.OrgBranch, zz, gb, prov{"generated", q})
	}
}

func beyondZhongyuan(g *gen) {
	r := func(q string) prov { return rep(reportZhongyuan, q) }
	zy, district := "place:zhongyuan", "org:zhongyuan:district"
	lg := g.leadingGroup("group:zhongyuan:party-building", "中原区委党建工作领导小组", district, "区委书记",
		r("区委党建工作领导小组每季度至少召开1次专题会议，研究和推进城区区域化党建工作。"))
	g.activity("activity:zhongyuan:leading-group-meetings", "区委党建工作领导小组专题会议", graph.ActivityJointMeeting, lg, zy,
		map[string]any{"frequency": "QUARTERLY"}, r("区委党建工作领导小组每季度至少召开1次专题会议"))
	// “百花社区联合辖区21家市直单位开展庆祝建党96周年党建成果展，集中在互助路上展出，吸引数百名党员群众观看。”
	baihua := "place:zhongyuan:baihua"
	ex := g.activity("activity:zhongyuan:baihua-exhibition", "庆祝建党96周年党建成果展", graph.ActivityExhibition, baihua, baihua,
		map[string]any{"year": int64(2017), "venue": "互助路"}, r("百花社区联合辖区21家市直单位开展庆祝建党96周年党建成果展，集中在互助路上展出，吸引数百名党员群众观看。"))
	for _, e := range g.edges[graph.RelSeatOn] {
		if e.To == "committee:zhongyuan:baihua:bpc" {
			for _, h := range g.edges[graph.RelHolds] {
				if h.To == e.From {
					g.Edge(graph.RelTookPartIn, h.From, ex, generated, nil)
				}
			}
		}
	}
	// “每年底，街道根据每月写实性档案，对驻区单位党组织和党员全年职责、承诺、任务完成情况等进行评价排序。
	// 驻区单位对街道、社区党组织作用发挥进行综合评价。” and “每年底，区委…对全区驻区单位党组织进行综合评价，定级分类。”:
	// for 2017, each unit seated on a 大工委 is ranked by its street, rates it back and is graded
	// by the district committee (generated results).
	grades := []string{"优秀", "良好", "一般"}
	n := 0
	for _, e := range g.edges[graph.RelSeatOn] {
		var street string
		for _, c := range g.edges[graph.RelCovers] {
			if c.From == e.To && len(e.To) > 4 && e.To[len(e.To)-4:] == ":bwc" {
				street = c.To
			}
		}
		if street == "" || g.parentOf(street) != zy {
			continue
		}
		var unit string
		for _, h := range g.edges[graph.RelHolds] {
			if h.To == e.From {
				unit = h.From
			}
		}
		n++
		streetOrg := "org:" + street[len("place:"):]
		g.evaluation(g.id("evaluation:zhongyuan:ranking"), g.placeName(street)+"2017年度驻区单位评价排序："+g.unitName(unit), graph.EvaluationAnnualRanking,
			streetOrg, unit, map[string]any{"period": "2017", "rank": int64(n)}, prov{"generated", "每年底，街道根据每月写实性档案，对驻区单位党组织和党员全年职责、承诺、任务完成情况等进行评价排序。"})
		g.evaluation(g.id("evaluation:zhongyuan:unit-review"), g.unitName(unit)+"评"+g.placeName(street), graph.EvaluationUnitReview,
			unit, streetOrg, map[string]any{"period": "2017", "result": grades[g.IntN(3)]}, prov{"generated", "驻区单位对街道、社区党组织作用发挥进行综合评价。"})
		g.evaluation(g.id("evaluation:zhongyuan:overall"), "区委总评："+g.unitName(unit), graph.EvaluationOverall,
			district, orgOf(unit), map[string]any{"period": "2017", "result": grades[g.IntN(3)]}, prov{"generated", "每年底，区委依据街道社区和驻区单位互评情况、党员群众代表民主评议结果、督查情况和实际工作效果，对全区驻区单位党组织进行综合评价，定级分类。"})
	}
	// “西流湖街道成立由国土、经济、发改等部门的业务骨干组成“帮办服务队”…目前为辖区55个重点项目落实优惠政策200余项，为16家企业办理贷款2.6亿元。”
	q := "西流湖街道成立由国土、经济、发改等部门的业务骨干组成“帮办服务队”，以菜单形式列出服务项目，一对一提供服务，目前为辖区55个重点项目落实优惠政策200余项，为16家企业办理贷款2.6亿元。"
	g.Node(graph.KindVolunteerTeam, "team:zhongyuan:xiliuhu-helpers", r(q), map[string]any{"name": "西流湖街道帮办服务队", "kind": "SERVICE",
		"keyProjects": int64(55), "policies": int64(200), "enterprisesFinanced": int64(16), "loansYuan": int64(260000000)})
	g.Edge(graph.RelLocatedAt, "team:zhongyuan:xiliuhu-helpers", "place:zhongyuan:xiliuhu", r(q), nil)
	// 386 full-time party workers: their title.
	for _, p := range g.nodes[graph.KindPerson] {
		if p.Props["fullTimePartyWorker"] == true {
			p.Props["title"] = "社区专职党务工作者"
		}
	}
}

func beyondHuiji(g *gen) {
	r := func(q string) prov { return rep(reportHuiji, q) }
	hj, district := "place:huiji", "org:huiji:district"
	g.activity("activity:huiji:themed-days", "主题党日主题活动", graph.ActivityThemedPartyDay, district, hj,
		map[string]any{"occurrences": int64(58), "participants": int64(60000), "participationRate": 0.92},
		r("截至目前，全区各级党组织共计开展帮农民工讨薪、时事政策宣讲、社区义诊、扶贫帮困、义务献血等各类主题活动58项，参与党员达到6万余人次，党员参与率达到92%。"))
	g.activity("activity:huiji:volunteering", "五星党员志愿服务活动", graph.ActivityVolunteerService, district, hj,
		map[string]any{"occurrences": int64(406), "deeds": int64(37000)},
		r("组织开展“党员奉献在社区”“党员志愿者交通岗”“党员志愿者绿色小分队”等志愿服务活动406场次，为辖区群众办实事、好事37000多件次"))
	g.activity("activity:huiji:red-films", "红色驿站红色电影放映", graph.ActivityCultural, "org:huiji:redstation-branch", hj,
		map[string]any{"occurrences": int64(30)}, r("为流动党员放映红色电影30多场"))
	g.activity("activity:huiji:rights", "红色驿站政策咨询、维权服务", graph.ActivityOther, "org:huiji:redstation-branch", hj,
		map[string]any{"occurrences": int64(15)}, r("开展各类政策咨询、维权服务15场"))
	g.activity("activity:huiji:safety-training", "安全生产技能培训", graph.ActivityTraining, "org:huiji:redstation-branch", hj,
		map[string]any{"participants": int64(3000)}, r("开展安全生产技能培训3000多人次"))
	// “惠济区先后评选出“五星党员”265名，“五星党员标兵”89名”: star ratings, given by the district committee.
	q := "自活动开展以来，惠济区先后评选出“五星党员”265名，“五星党员标兵”89名"
	for _, p := range g.nodes[graph.KindPerson] {
		if p.Props["fiveStar"] == true {
			g.evaluation(g.id("evaluation:huiji:five-star"), "五星党员", graph.EvaluationStarRating, district, p.ID,
				map[string]any{"result": "五星党员", "stars": int64(5)}, prov{"generated", q})
			if p.Props["fiveStarExemplar"] == true {
				g.evaluation(g.id("evaluation:huiji:five-star"), "五星党员标兵", graph.EvaluationHonour, district, p.ID,
					map[string]any{"result": "五星党员标兵"}, prov{"generated", q})
			}
			delete(p.Props, "fiveStar")
			delete(p.Props, "fiveStarExemplar")
		}
	}
	// “11名区委常委分别建立了党建联系点，坚持每季度到联系点调研”: eleven standing-committee members, each
	// with a community as contact point (generated people and places).
	communities := g.communitiesUnder(hj)
	for i := range 11 {
		p := g.person(g.id("person:huiji:standing"), g.name(), graph.MemberInService, generated, map[string]any{"title": "区委常委"})
		g.Edge(graph.RelMemberOf, p, district, generated, map[string]any{"since": date(fmt.Sprintf("%d-07-01", 1985+g.IntN(20)))})
		g.Edge(graph.RelContactPoint, p, communities[(i*5)%len(communities)], r("11名区委常委分别建立了党建联系点，坚持每季度到联系点调研"), nil)
	}
	// “由区委常委牵头组成八个工作组，下沉分包联系八个镇、街道”, “每个工作组每月评选一名“历练之星””: the
	// eight work groups, each led by a standing-committee member, in charge of one town or
	// street, naming a 历练之星 among the cadres seconded there each month of the first batch.
	standing := g.idsWithPrefix("person:huiji:standing")
	townsOf := append(g.childPlaces(hj, graph.PlaceStreet), g.childPlaces(hj, graph.PlaceTown)...)
	secondedTo := map[string][]string{}
	for _, e := range g.edges[graph.RelSecondedTo] {
		secondedTo[e.To] = append(secondedTo[e.To], e.From)
	}
	for i, t := range townsOf {
		wg := g.leadingGroup(fmt.Sprintf("group:huiji:work%d", i+1), fmt.Sprintf("惠济区委第%d工作组", i+1), district, "区委常委",
			r("县级干部层面，由区委常委牵头组成八个工作组，下沉分包联系八个镇、街道"))
		g.Edge(graph.RelHeads, standing[i], wg, r("由区委常委牵头组成八个工作组"), map[string]any{"role": string(graph.HeadGroupLeader)})
		g.Edge(graph.RelContactPoint, wg, t, r("下沉分包联系八个镇、街道，全面了解联系镇、街道的基本情况"), nil)
		for m := range 12 {
			period := fmt.Sprintf("%d-%02d", 2017+(m+4)/12, (m+4)%12+1)
			if cadres := secondedTo[t]; len(cadres) > 0 {
				g.evaluation(g.id("evaluation:huiji:star"), "历练之星", graph.EvaluationHonour, wg, cadres[m%len(cadres)],
					map[string]any{"period": period, "result": "历练之星"}, prov{"generated", "每个工作组每月评选一名“历练之星”"})
			}
		}
	}
	// “依托“五星党员”评选制度，成立了党员志愿者服务总站，构建了“总站—志愿服务队—党员志愿者”的服务体系”.
	g.Node(graph.KindVolunteerTeam, "team:huiji:hub", r("依托“五星党员”评选制度，成立了党员志愿者服务总站，构建了“总站—志愿服务队—党员志愿者”的服务体系"),
		map[string]any{"name": "惠济区党员志愿者服务总站", "kind": "HUB"})
	g.Edge(graph.RelLocatedAt, "team:huiji:hub", hj, r("成立了党员志愿者服务总站"), nil)
	// “各镇(街道)党(工)委每季度评选1名“优秀历练干部””: four quarters of the first batch.
	var seconded []string
	for _, e := range g.edges[graph.RelSecondedTo] {
		if len(e.From) > 21 && e.From[:21] == "person:huiji:seconded" {
			seconded = append(seconded, e.From)
		}
	}
	towns := g.childPlaces(hj, graph.PlaceStreet)
	towns = append(towns, g.childPlaces(hj, graph.PlaceTown)...)
	for q, period := range []string{"2017-Q3", "2017-Q4", "2018-Q1", "2018-Q2"} {
		for i, t := range towns {
			g.evaluation(g.id("evaluation:huiji:cadre"), "优秀历练干部", graph.EvaluationHonour, "org:"+t[len("place:"):], seconded[(q*len(towns)+i*8)%len(seconded)],
				map[string]any{"period": period, "result": "优秀历练干部"}, prov{"generated", "各镇(街道)党(工)委每季度评选1名“优秀历练干部”"})
		}
	}
}

func beyondXinmi(g *gen) {
	r := func(q string) prov { return rep(reportXinmi, q) }
	xm, city := "place:xinmi", "org:xinmi:city"
	g.leadingGroup("group:xinmi:promotion", "新密市城市基层党建工作推进组", city, "市委书记",
		r("成立由市委书记任组长的城市基层党建工作推进组,建立区域城市党建联席会议制度"))
	xhl := "place:xinmi:xinhualu"
	walk := g.unit("unit:xinmi:elders-walking-team", "新密市老年体协健步走队", graph.UnitSocialOrganisation, xm,
		r("新华路街道党工委联合新密市老年体协健步走队和社会各界近千名群众"))
	a := g.activity("activity:xinmi:red-songs", "赤子之心唱红歌 千人健步庆华诞", graph.ActivityCultural, "org:xinmi:xinhualu", xhl,
		map[string]any{"participants": int64(1000)}, r("新华路街道党工委联合新密市老年体协健步走队和社会各界近千名群众,举办“赤子之心唱红歌 千人健步庆华诞”活动"))
	g.Edge(graph.RelTookPartIn, walk, a, r("新华路街道党工委联合新密市老年体协健步走队和社会各界近千名群众"), nil)
	g.unit("unit:xinmi:xinhualu-walking", "新华路健步走协会", graph.UnitSocialOrganisation, xhl, r("仅新华路健步走协会就把1100多名群众吸纳到了党组织周围。"))
	g.Node(graph.KindUnit, "unit:xinmi:xinhualu-walking", r("仅新华路健步走协会就把1100多名群众吸纳到了党组织周围。"), map[string]any{"memberCount": int64(1100)})
	g.activity("activity:xinmi:qixi", "情暖七夕、和睦邻里美食节", graph.ActivityCultural, "place:xinmi:xinhuijie", "place:xinmi:xinhuijie", nil,
		r("新华路新惠街社区与驻区单位以七夕传统节日为载体开展“情暖七夕、和睦邻里”美食节活动"))
	for i, theme := range []string{"新支部、新使命,新思路、再出发", "对照先进找差距,理清思路创新篇", "群策群力查不足,献言献策促整改"} {
		g.activity(fmt.Sprintf("activity:xinmi:theme%d", i+1), "主题党日："+theme, graph.ActivityThemedPartyDay, city, xm, map[string]any{"theme": theme},
			r("先后明确“新支部、新使命,新思路、再出发”、“对照先进找差距,理清思路创新篇”、“群策群力查不足,献言献策促整改”等主题"))
	}
	// “实施党员积分管理…量化为分值，动态管理、量化考评”: the 2018 points of the members who report.
	q := "实施党员积分管理,将党员履行基本义务、发挥先锋模范作用、日常行为规范、违纪违法情况等量化为分值,动态管理、量化考评,强化正向激励。"
	for _, e := range g.edges[graph.RelReportsTo] {
		if len(e.From) > 24 && e.From[:24] == "person:xinmi:in-service:" {
			g.evaluation(g.id("evaluation:xinmi:points"), "2018年度党员积分", graph.EvaluationPoints, e.To, e.From,
				map[string]any{"period": "2018", "score": float64(60 + g.IntN(41))}, prov{"generated", q})
		}
	}
	// “城市社区以商品房、村改居和单位型社区为主,村改居社区27个,单位型社区19个”: the 46 communities with a
	// 大党委 are the village-converted and work-unit ones, so the commercial-housing communities
	// the report lists first are others. It gives no number: 20 are generated, each with the
	// property company stationed in it (“新建社区重点加强对业主委员会、物业服务企业的引领,探索在小区物业上成立党的组织”).
	q = "城市社区以商品房、村改居和单位型社区为主,村改居社区27个,单位型社区19个。"
	streets := g.childPlaces(xm, graph.PlaceStreet)
	var housing []string
	for i := range 20 {
		c := g.community(g.id("place:xinmi:housing"), g.fresh("小区社区"), graph.CommunityCommercialHousing, streets[i%len(streets)], prov{"generated", q})
		g.org("org:"+c[len("place:"):], g.placeName(c)+"党支部", graph.OrgBranch, c, "org:"+streets[i%len(streets)][len("place:"):], prov{"generated", q})
		pm := g.units("xinmi-property", 1, []string{c}, []graph.UnitKind{graph.UnitPropertyManagement})
		g.Node(graph.KindPartyOrg, orgOf(pm[0]), prov{"generated", "探索在小区物业上成立党的组织"}, nil)
		housing = append(housing, c)
	}
	// “突出针对流动党员、离退休党员、年老体弱党员等重点群体”, “探索无职党员“一编三定””: the members
	// who live in the communities, 20 to a community, in the categories the report names (no
	// proportions given: the demo's 3 in service, 2 retired, 1 without post, 1 floating).
	var orgs []string
	all := append(g.communitiesUnder(xm), housing...)
	for _, c := range all {
		if o := "org:" + c[len("place:"):]; g.Has(o) {
			orgs = append(orgs, o)
		}
	}
	g.members(memberSpec{prefix: "xinmi-resident", n: 20 * len(orgs), orgs: orgs, communities: all, mix: defaultMix})
	// “建立“社区党组织+楼院党支部+楼组党小组”三级服务网络…鼓励离退休党员干部担任党支部书记、党小组长”:
	// the first five communities get a compound with its branch and two buildings with their
	// groups, each group led by a retired member (generated).
	q = "建立“社区党组织+楼院党支部+楼组党小组”三级服务网络,推动党的组织延伸到楼院、楼组"
	for _, c := range g.communitiesUnder(xm)[:5] {
		compound := g.place(g.id("place:xinmi:compound"), g.fresh("家属院"), graph.PlaceCompound, c, prov{"generated", q})
		branch := g.org(g.id("org:xinmi:compound-branch"), g.placeName(compound)+"楼院党支部", graph.OrgBranch, compound, "org:"+c[len("place:"):], prov{"generated", q})
		for j := range 2 {
			bld := g.place(g.id("place:xinmi:building"), fmt.Sprintf("%d号楼", j+1), graph.PlaceBuilding, compound, prov{"generated", q})
			grp := g.org(g.id("org:xinmi:building-group"), g.placeName(compound)+fmt.Sprintf("%d号楼党小组", j+1), graph.OrgGroup, bld, branch, prov{"generated", q})
			m := g.person(g.id("person:xinmi:group-leader"), g.name(), graph.MemberRetired, generated, map[string]any{"title": "党小组长"})
			g.Edge(graph.RelMemberOf, m, grp, generated, map[string]any{"since": date(fmt.Sprintf("%d-07-01", 1970+g.IntN(30)))})
			g.Edge(graph.RelLivesIn, m, bld, generated, nil)
			g.Edge(graph.RelHeads, m, grp, prov{"generated", "鼓励离退休党员干部担任党支部书记、党小组长"}, map[string]any{"role": string(graph.HeadGroupLeader)})
		}
	}
}

func beyondLiaoyuan(g *gen) {
	r := func(q string) prov { return rep(reportLiaoyuan, q) }
	ly, city := "place:liaoyuan", "org:liaoyuan:city"
	g.leadingGroup("group:liaoyuan:city", "辽源市城市基层党建工作领导小组", city, "市委书记",
		r("逐级成立城市基层党建工作领导小组，由各级党组织书记任组长，压紧压实书记责任"))
	for _, a := range []struct {
		id, name string
		kind     graph.ActivityKind
		props    map[string]any
		quote    string
	}{
		{"themed-days-2020", "党建联合体主题党日", graph.ActivityThemedPartyDay, map[string]any{"occurrences": int64(530), "on": date("2020-01-01"), "until": date("2020-12-31")},
			"2020年，全市党建联合体成员单位共同开展主题党日活动530余次，走访慰问困难群众1300余户。"},
		{"visits-2020", "走访慰问困难群众", graph.ActivityVisit, map[string]any{"households": int64(1300), "on": date("2020-01-01"), "until": date("2020-12-31")},
			"2020年，全市党建联合体成员单位共同开展主题党日活动530余次，走访慰问困难群众1300余户。"},
		{"services", "协同开展各类服务", graph.ActivityVolunteerService, map[string]any{"occurrences": int64(600)}, "共设立先锋岗5000多个，协同开展各类服务600余次"},
		{"joint-building", "联建共建活动", graph.ActivityOther, map[string]any{"occurrences": int64(2000)}, "截至目前，全市累计开展各类联建共建活动近2000次"},
		{"volunteering", "志愿服务", graph.ActivityVolunteerService, map[string]any{"participants": int64(20000)}, "在职党员到社区认领党员先锋岗近1万个，开展志愿服务2万余人次"},
		{"party-lessons", "书记讲党课", graph.ActivityPartyLesson, map[string]any{"occurrences": int64(583)}, "深入基层服务、调研913人次，讲党课583场次"},
		{"research", "书记深入基层服务、调研", graph.ActivityVisit, map[string]any{"participants": int64(913)}, "深入基层服务、调研913人次，讲党课583场次"},
		{"trainings", "联建单位培训", graph.ActivityTraining, map[string]any{"participants": int64(7000)}, "各联建单位为社区提供用人信息3500余条，培训各类人员近7000人次，解决就业1241人"},
		{"worker-training", "街道社区工作者线下集中轮训", graph.ActivityTraining, map[string]any{"participants": int64(955)}, "分批次对全市955名街道社区工作者开展线下集中轮训"},
	} {
		g.activity("activity:liaoyuan:"+a.id, a.name, a.kind, city, ly, a.props, r(a.quote))
	}
	yq := "place:liaoyuan:dongfeng:xianglu:yongqing"
	g.activity("activity:liaoyuan:yongqing-meeting", "永青社区共建单位联席会议", graph.ActivityJointMeeting, "committee:liaoyuan:yongqing-alliance", yq, nil,
		r("辽源市东丰县祥鹿街道永青社区召开共建单位联席会议。"))
	// “全市各级党委（党组）书记建立党支部联系点681个”: the agencies' committees take branches of the
	// stationed units and the temporary branches as contact points (generated pairs).
	var from, to []string
	for _, u := range g.idsWithPrefix("unit:liaoyuan-agency") {
		from = append(from, orgOf(u))
	}
	for _, u := range g.idsWithPrefix("unit:liaoyuan:") {
		to = append(to, orgOf(u))
	}
	to = append(to, g.idsWithPrefix("org:liaoyuan:epidemic-branch")...)
	for i := range 681 {
		g.Edge(graph.RelContactPoint, from[i%len(from)], to[i], prov{"generated", "截至目前，全市各级党委（党组）书记建立党支部联系点681个"}, nil)
	}
	// “在街道组建1个事业单位“综合服务中心”，配备8—10名事业编制”.
	for _, st := range g.childPlacesUnder(ly, graph.PlaceStreet) {
		u := g.unit("unit:"+st[len("place:"):]+":service-centre", g.placeName(st)+"综合服务中心", graph.UnitPublicInstitution, st,
			r("同时，辽源市在街道组建1个事业单位“综合服务中心”，配备8—10名事业编制"))
		g.Node(graph.KindUnit, u, r("配备8—10名事业编制"), map[string]any{"staffPosts": "8-10"})
	}
	headsLiaoyuan(g)
}

// headsLiaoyuan ties Liaoyuan's registered heads to what they head: “全市登记在册专职网格长525名，
// 楼栋长3254名，单元长11023名” and “构建起“社区党组织—网格党支部—楼栋党小组—党员中心户”四级组织体系”.
// Each grid gets its branch, the buildings and stairwells the heads need are generated under the
// grids, and each grid's members live in its buildings (in service, floating and retired: “将网格内
// 在职、流动、离退休党员全部纳入管理”).
func headsLiaoyuan(g *gen) {
	q := "全市登记在册专职网格长525名，楼栋长3254名，单元长11023名。"
	grids := g.idsWithPrefix("place:liaoyuan:grid")
	heads := map[string][]string{}
	for _, p := range g.nodes[graph.KindPerson] {
		if t, _ := p.Props["title"].(string); t == "专职网格长" || t == "楼栋长" || t == "单元长" {
			heads[t] = append(heads[t], p.ID)
		}
	}
	gridBranch := make([]string, len(grids))
	for i, gr := range grids {
		c := g.parentOf(gr)
		co := "org:" + c[len("place:"):]
		if !g.Has(co) {
			g.org(co, g.placeName(c)+"党委", graph.OrgCommittee, c, "", prov{"generated", "构建起“社区党组织—网格党支部—楼栋党小组—党员中心户”四级组织体系"})
		}
		gridBranch[i] = g.org("org:"+gr[len("place:"):], g.placeName(c)+g.placeName(gr)+"党支部", graph.OrgBranch, gr,
			co, prov{"generated", "做到把党支部建在网格和小区上、党小组建在楼栋上"})
	}
	for i, h := range heads["专职网格长"] {
		g.Edge(graph.RelHeads, h, grids[i%len(grids)], prov{"generated", q}, map[string]any{"role": string(graph.HeadGrid)})
	}
	// The 426 renovated buildings have heads too; the others are generated under the grids.
	buildings := g.idsWithPrefix("place:liaoyuan:building")
	for i, h := range heads["楼栋长"] {
		gi := i % len(grids)
		if i < len(buildings) {
			g.Edge(graph.RelHeads, h, buildings[i], prov{"generated", q}, map[string]any{"role": string(graph.HeadBuilding)})
			continue
		}
		b := g.place(g.id("place:liaoyuan:grid-building"), fmt.Sprintf("%d栋", i/len(grids)+1), graph.PlaceBuilding, grids[gi], generated)
		g.Edge(graph.RelHeads, h, b, prov{"generated", q}, map[string]any{"role": string(graph.HeadBuilding)})
		if i < len(grids)*2 {
			g.org("org:"+b[len("place:"):], g.placeName(grids[gi])+g.placeName(b)+"党小组", graph.OrgGroup, b, gridBranch[gi],
				prov{"generated", "做到把党支部建在网格和小区上、党小组建在楼栋上"})
		}
		buildings = append(buildings, b)
	}
	for i, h := range heads["单元长"] {
		s := g.place(g.id("place:liaoyuan:stairwell"), fmt.Sprintf("%d单元", i/len(buildings)+1), graph.PlaceStairwell, buildings[i%len(buildings)], generated)
		g.Edge(graph.RelHeads, h, s, prov{"generated", q}, map[string]any{"role": string(graph.HeadStairwell)})
	}
	// Four members per grid, in the categories the report names (no proportions given: two in
	// service, one floating, one retired).
	mix := []graph.MemberCategory{graph.MemberInService, graph.MemberFloating, graph.MemberInService, graph.MemberRetired}
	for i := range len(grids) * 4 {
		gi := i % len(grids)
		m := g.person(g.id("person:liaoyuan:resident"), g.name(), mix[(i/len(grids))%len(mix)], prov{"generated", "将网格内在职、流动、离退休党员全部纳入管理"}, nil)
		g.Edge(graph.RelMemberOf, m, gridBranch[gi], generated, map[string]any{"since": date(fmt.Sprintf("%d-07-01", 1980+g.IntN(40)))})
		g.Edge(graph.RelLivesIn, m, buildings[i%len(buildings)], generated, nil)
	}
}
