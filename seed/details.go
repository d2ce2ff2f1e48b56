package seed

import (
	"fmt"
	"strings"

	"github.com/gongjian/gongjian/graph"
)

// The finer figures of the reports: service and volunteer structures, cadres, grids and
// renovated compounds, and the representatives of the generated seats. Each figure is a
// comment quoting its sentence.

// communitiesUnder lists the communities under a place, in insertion order.
func (g *gen) communitiesUnder(root string) []string {
	in := g.subtree(root)
	var out []string
	for _, id := range g.order {
		if in[id] {
			if v, _ := g.prop(id, "kind"); v == string(graph.PlaceCommunity) && !strings.Contains(id, ":was:") {
				out = append(out, id)
			}
		}
	}
	return out
}

func detailsShangjie(g *gen) {
	zxl := "place:shangjie:zhongxinlu"
	// “中心路街道区域工委…建立了党建引领指导、街道建设发展、综治调解等10个专题委员会”
	themes := []string{"党建引领指导", "街道建设发展", "综治调解", "社区服务", "文明创建", "环境整治", "就业帮扶", "青少年教育", "老年关爱", "平安建设"}
	for i, th := range themes {
		id := fmt.Sprintf("committee:shangjie:zhongxinlu-theme%d", i+1)
		p := generated // the report names three of the ten
		if i < 3 {
			p = rep(reportShangjie, "建立了党建引领指导、街道建设发展、综治调解等10个专题委员会")
		}
		g.committee(id, "中心路街道"+th+"专题委员会", graph.CommitteeThematic, []string{zxl}, "org:shangjie:zhongxinlu", p)
	}
	communities := g.communitiesUnder("place:shangjie")
	// “建立特长党员工作[室]121个，建成爱心交换站5处”
	for i := range 121 {
		id := g.id("resource:shangjie:studio")
		g.Node(graph.KindSharedResource, id, generated, map[string]any{"name": fmt.Sprintf("特长党员工作室%d", i+1), "kind": "STUDIO"})
		g.Edge(graph.RelOpens, communities[i%len(communities)], id, generated, map[string]any{"since": date("2017-01-01")})
	}
	for i := range 5 {
		id := g.id("resource:shangjie:exchange")
		g.Node(graph.KindSharedResource, id, generated, map[string]any{"name": fmt.Sprintf("爱心交换站%d", i+1), "kind": "EXCHANGE_STATION"})
		g.Edge(graph.RelOpens, communities[(i*7)%len(communities)], id, generated, map[string]any{"since": date("2017-01-01")})
	}
}

func detailsXinmi(g *gen) {
	xm := "place:xinmi"
	communities := g.communitiesUnder(xm)
	// “全市共排查出戏迷协会、健身舞协会、健步走协会等各类群众性自组织、团体协会142个,成员3400多人”
	kinds := []string{"戏迷协会", "健身舞协会", "健步走协会", "书画协会", "太极拳协会", "志愿者协会"}
	for i := range 142 {
		c := communities[i%len(communities)]
		id := g.id("unit:xinmi:association")
		g.unit(id, g.placeName(c)+kinds[(i+i/len(communities))%len(kinds)], graph.UnitSocialOrganisation, c, generated)
		g.Node(graph.KindUnit, id, generated, map[string]any{"selfOrganised": true, "memberCount": int64(20 + i%9)})
	}
	// “在17个工商质监所设立非公经济组织党建指导站”
	streets := g.childPlaces(xm, graph.PlaceStreet)
	for i := range 17 {
		u := g.id("unit:xinmi:aic")
		g.unit(u, fmt.Sprintf("新密市工商质监所%d", i+1), graph.UnitAgency, streets[i%len(streets)], generated)
		st := g.id("resource:xinmi:guidance")
		g.Node(graph.KindSharedResource, st, generated, map[string]any{"name": fmt.Sprintf("非公经济组织党建指导站%d", i+1), "kind": "GUIDANCE_STATION"})
		g.Edge(graph.RelOpens, u, st, generated, map[string]any{"since": date("2018-01-01")})
	}
	// “全面落实在职党员到社区报到…在职党员到社区认领服务岗位”: the in-service members of the
	// units on the big committees report to the community they live in, and some claim one of
	// the 11 posts.
	posts := g.idsWithPrefix("post:xinmi")
	for i, u := range g.idsWithPrefix("unit:xinmi-") {
		for k := range 3 {
			m := g.person(g.id("person:xinmi:in-service"), g.name(), graph.MemberInService, generated, nil)
			home := communities[g.IntN(len(communities))]
			g.Edge(graph.RelMemberOf, m, orgOf(u), generated, map[string]any{"since": date(fmt.Sprintf("%d-07-01", 1990+g.IntN(27)))})
			g.Edge(graph.RelWorksIn, m, u, generated, nil)
			g.Edge(graph.RelLivesIn, m, home, generated, nil)
			g.Edge(graph.RelReportsTo, m, home, generated, map[string]any{"since": date("2018-03-01"), "points": int64(g.IntN(80))})
			if (i+k)%3 == 0 {
				g.Edge(graph.RelClaimed, m, posts[(i+k)%len(posts)], generated, map[string]any{"since": date("2018-04-01")})
			}
		}
	}
	// “市委第一时间对新任村(社区)社区党务干部557人进行集中培训…储备村级后备干部1113名”
	for i := range 557 {
		p := g.person(g.id("person:xinmi:cadre"), g.name(), graph.MemberInService, generated, map[string]any{"title": "社区党务干部", "trained": true})
		g.Edge(graph.RelLivesIn, p, communities[i%len(communities)], generated, nil)
	}
	for i := range 1113 {
		p := g.person(g.id("person:xinmi:reserve"), g.name(), graph.MemberInService, generated, map[string]any{"title": "村级后备干部"})
		g.Edge(graph.RelLivesIn, p, communities[i%len(communities)], generated, nil)
	}
}

func detailsLiaoyuan(g *gen) {
	ly := "place:liaoyuan"
	communities := g.communitiesUnder(ly)
	grids := g.idsWithPrefix("place:liaoyuan:grid")
	// “全市登记在册专职网格长525名，楼栋长3254名，单元长11023名”
	for _, h := range []struct {
		title string
		n     int
	}{{"专职网格长", 525}, {"楼栋长", 3254}, {"单元长", 11023}} {
		for i := range h.n {
			p := g.person(g.id("person:liaoyuan:head"), g.name(), "", generated, map[string]any{"title": h.title})
			g.Edge(graph.RelLivesIn, p, grids[i%len(grids)], generated, nil)
		}
	}
	// “全市共完成老旧小区改造43个，楼房426栋，惠及居民2.3万户”
	for i := range 43 {
		c := g.place(g.id("place:liaoyuan:compound"), g.fresh("小区"), graph.PlaceCompound, communities[i%len(communities)], generated)
		g.Node(graph.KindPlace, c, generated, map[string]any{"renovated": true})
		for j := range 426/43 + btoi(i < 426%43) {
			b := g.place(g.id("place:liaoyuan:building"), fmt.Sprintf("%d号楼", j+1), graph.PlaceBuilding, c, generated)
			g.Node(graph.KindPlace, b, generated, map[string]any{"renovated": true})
		}
	}
	// “全市各级机关党组织选派两批次近7000名机关党员，建立临时党支部749个，成立党员突击队395支、
	// 党员服务队352支，设立党员先锋岗2153个”: the epidemic's temporary branches, teams and posts.
	streets := g.childPlacesUnder(ly, graph.PlaceStreet)
	covered := append(append([]string{}, streets...), communities...)
	agencyOrg := g.org("org:liaoyuan:agencies", "辽源市直机关工委", graph.OrgCommittee, ly, "", generated)
	agencies := g.units("liaoyuan-agency", 60, []string{ly}, []graph.UnitKind{graph.UnitAgency})
	var agencyOrgs []string
	for _, u := range agencies {
		g.Edge(graph.RelSubordinateTo, orgOf(u), agencyOrg, generated, nil)
		agencyOrgs = append(agencyOrgs, orgOf(u))
	}
	var temp []string
	for i := range 749 {
		p := covered[i%len(covered)]
		temp = append(temp, g.org(g.id("org:liaoyuan:epidemic-branch"), fmt.Sprintf("%s疫情防控临时党支部%d", g.placeName(p), i/len(covered)+1),
			graph.OrgTemporaryBranch, p, "", generated))
	}
	for i, t := range []struct {
		name, kind string
		n          int
	}{{"党员突击队", "COMMANDO", 395}, {"党员服务队", "SERVICE", 352}} {
		for j := range t.n {
			id := g.id("team:liaoyuan:" + t.kind)
			g.Node(graph.KindVolunteerTeam, id, generated, map[string]any{"name": fmt.Sprintf("%s%d", t.name, j+1), "kind": t.kind, "since": date("2020-02-01")})
			g.Edge(graph.RelLocatedAt, id, covered[(i*7+j)%len(covered)], generated, nil)
		}
	}
	// “共设立先锋岗5000多个”, of which the epidemic's 2153; “在职党员到社区认领党员先锋岗近1万个”.
	var posts []string
	for i := range 5012 {
		id := g.id("post:liaoyuan:vanguard")
		props := map[string]any{"name": fmt.Sprintf("党员先锋岗%d", i+1), "kind": "VANGUARD"}
		if i < 2153 {
			props["name"], props["epidemic"] = fmt.Sprintf("疫情防控党员先锋岗%d", i+1), true
		}
		g.Node(graph.KindServicePost, id, generated, props)
		g.Edge(graph.RelOffers, covered[i%len(covered)], id, generated, map[string]any{"since": date("2020-02-01")})
		posts = append(posts, id)
	}
	// The nearly 7,000 agency members, seconded in two batches, each in a temporary branch;
	// they claim the posts.
	teams := g.idsWithPrefix("team:liaoyuan:")
	claims := 0
	for i := range 6980 {
		batch, since, until := 1, "2020-02-01", "2020-03-31"
		if i >= 3490 {
			batch, since, until = 2, "2020-04-01", "2020-05-31"
		}
		p := g.person(g.id("person:liaoyuan:agency-member"), g.name(), graph.MemberInService, generated, map[string]any{"secondmentBatch": int64(batch)})
		g.Edge(graph.RelMemberOf, p, agencyOrgs[i%len(agencyOrgs)], generated, map[string]any{"since": date(fmt.Sprintf("%d-07-01", 1985+g.IntN(34)))})
		g.Edge(graph.RelWorksIn, p, agencies[i%len(agencies)], generated, map[string]any{"since": date("2015-01-01")})
		branch := temp[i%len(temp)]
		place := g.orgHome(branch)
		g.Edge(graph.RelSecondedTo, p, place, generated, map[string]any{"since": date(since), "until": date(until)})
		g.Edge(graph.RelMemberOf, p, branch, generated, map[string]any{"since": date(since), "until": date(until)})
		g.Edge(graph.RelReportsTo, p, place, generated, map[string]any{"since": date(since), "points": int64(g.IntN(60))})
		if i%3 == 0 {
			g.Edge(graph.RelVolunteersIn, p, teams[i%len(teams)], generated, map[string]any{"since": date(since)})
		}
		for k := range 1 + btoi(i%7 < 3) {
			if claims < 9980 {
				g.Edge(graph.RelClaimed, p, posts[(i*2+k)%len(posts)], generated, map[string]any{"since": date(since)})
				claims++
			}
		}
	}
	// “逐级建立书记项目台账清单363个，目前已全部完成”: 363 secretaries' projects, each with its
	// closing progress report.
	for i := range 363 {
		p := covered[i%len(covered)]
		id := g.project(g.id("project:liaoyuan:secretary"), fmt.Sprintf("%s书记项目%d", g.placeName(p), i/len(covered)+1), "", graph.StatusCompleted, "", p, generated)
		r := g.id("report:liaoyuan:secretary")
		g.Node(graph.KindProgressReport, r, generated, map[string]any{"title": "书记项目台账：已完成", "status": string(graph.StatusCompleted), "since": date("2021-03-31")})
		g.Edge(graph.RelReportOn, r, id, generated, nil)
	}
}

// childPlacesUnder lists the places of a kind anywhere under root, in insertion order.
func (g *gen) childPlacesUnder(root string, kind graph.PlaceKind) []string {
	in := g.subtree(root)
	var out []string
	for _, id := range g.order {
		if in[id] {
			if v, _ := g.prop(id, "kind"); v == string(kind) {
				out = append(out, id)
			}
		}
	}
	return out
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// representatives gives every generated seat without one a representative: the first member
// of the holder's party organisation (or of a branch under it), who thus represents the unit
// on every committee it sits on, from the seat's start. Where the organisation has no member
// yet, one is generated: a member of it who works in the unit.
func representatives(g *gen) {
	members := map[string]string{}
	for _, e := range g.edges[graph.RelMemberOf] {
		if _, ok := members[e.To]; !ok && e.Props["until"] == nil {
			members[e.To] = e.From
		}
	}
	for _, e := range g.edges[graph.RelSubordinateTo] {
		if _, ok := members[e.To]; !ok {
			if m, ok := members[e.From]; ok {
				members[e.To] = m
			}
		}
	}
	orgOfUnit := map[string]string{}
	for _, e := range g.edges[graph.RelOrgOf] {
		if _, ok := orgOfUnit[e.To]; !ok {
			orgOfUnit[e.To] = e.From
		}
	}
	represented := map[string]bool{}
	for _, e := range g.edges[graph.RelRepresents] {
		represented[e.To] = true
	}
	holder := map[string]string{}
	for _, e := range g.edges[graph.RelHolds] {
		holder[e.To] = e.From
	}
	for _, s := range g.nodes[graph.KindSeat] {
		if represented[s.ID] || s.Props["source"] != "generated" {
			continue
		}
		unit, org := "", holder[s.ID]
		if g.kind[org] == graph.KindUnit {
			unit, org = org, orgOfUnit[org]
		}
		m, ok := members[org]
		if !ok {
			m = g.person(g.id("person:representative"), g.name(), graph.MemberInService, generated, nil)
			g.Edge(graph.RelMemberOf, m, org, generated, map[string]any{"since": date(fmt.Sprintf("%d-07-01", 1985+g.IntN(30)))})
			if unit == "" {
				unit = g.orgHome(org)
			}
			if g.kind[unit] == graph.KindUnit {
				g.Edge(graph.RelWorksIn, m, unit, generated, nil)
			}
			members[org] = m
		}
		g.Edge(graph.RelRepresents, m, s.ID, generated, map[string]any{"since": s.Props["since"]})
	}
}
