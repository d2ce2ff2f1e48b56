package seed

import (
	"fmt"
	"strings"

	"github.com/gongjian/gongjian/graph"
)

// The five reports, by file (in ../shared/seeds).
const (
	reportShangjie  = "000_4d126273be4e32dd.txt" // 上街区 (Zhengzhou), 2017
	reportZhongyuan = "001_d995d49bba20f415.txt" // 中原区 (Zhengzhou), 2017
	reportHuiji     = "002_7f13080b8572fde5.txt" // 惠济区 (Zhengzhou), 2017
	reportXinmi     = "003_f992d2e2d8348f98.txt" // 新密市 (Zhengzhou), 2018
	reportLiaoyuan  = "004_3aa2d88369bb11e1.txt" // 辽源市 (Jilin), 2021
)

// Reports lists the report files.
var Reports = []string{reportShangjie, reportZhongyuan, reportHuiji, reportXinmi, reportLiaoyuan}

func rep(file, quote string) prov { return prov{source: "report:" + file, quote: quote} }

// builder adds domain entities to a dataset with their links.
type builder struct{ *Dataset }

func (b builder) place(id, name string, kind graph.PlaceKind, parent string, p prov) string {
	b.Node(graph.KindPlace, id, p, map[string]any{"name": name, "kind": string(kind)})
	if parent != "" {
		b.Edge(graph.RelPartOf, id, parent, p, nil)
	}
	return id
}

func (b builder) community(id, name string, ct graph.CommunityType, parent string, p prov) string {
	b.place(id, name, graph.PlaceCommunity, parent, p)
	if ct != "" {
		b.Node(graph.KindPlace, id, p, map[string]any{"communityType": string(ct)})
	}
	return id
}

func (b builder) unit(id, name string, kind graph.UnitKind, stationedIn string, p prov) string {
	b.Node(graph.KindUnit, id, p, map[string]any{"name": name, "kind": string(kind)})
	if stationedIn != "" {
		b.Edge(graph.RelStationedIn, id, stationedIn, p, nil)
	}
	return id
}

// org adds a party organisation of a unit or place (of), under a parent organisation.
func (b builder) org(id, name string, kind graph.OrgKind, of, parent string, p prov) string {
	b.Node(graph.KindPartyOrg, id, p, map[string]any{"name": name, "kind": string(kind)})
	if of != "" {
		b.Edge(graph.RelOrgOf, id, of, p, nil)
	}
	if parent != "" {
		b.Edge(graph.RelSubordinateTo, id, parent, p, nil)
	}
	return id
}

func (b builder) committee(id, name string, kind graph.CommitteeKind, covers []string, ledBy string, p prov) string {
	b.Node(graph.KindCommittee, id, p, map[string]any{"name": name, "kind": string(kind)})
	for _, c := range covers {
		b.Edge(graph.RelCovers, id, c, p, nil)
	}
	if ledBy != "" {
		b.Edge(graph.RelLedBy, id, ledBy, p, nil)
	}
	return id
}

// seat gives holder (a unit or party organisation) a seat on a committee, through a
// representative (a person id, or "" when the report names none), from since.
func (b builder) seat(committee, holder string, role graph.SeatRole, representative, since string, order int, p prov) string {
	id := "seat:" + committee + ":" + holder
	hn, _ := b.prop(holder, "name")
	cn, _ := b.prop(committee, "name")
	props := map[string]any{"role": string(role), "name": fmt.Sprintf("%v · %v", hn, cn)}
	if since != "" {
		props["since"] = date(since)
	}
	if order > 0 {
		props["rotationOrder"] = int64(order)
	}
	b.Node(graph.KindSeat, id, p, props)
	b.Edge(graph.RelHolds, holder, id, p, nil)
	b.Edge(graph.RelSeatOn, id, committee, p, nil)
	if representative != "" {
		b.Edge(graph.RelRepresents, representative, id, p, nil)
	}
	return id
}

func (b builder) person(id, name string, category graph.MemberCategory, p prov, props map[string]any) string {
	if props == nil {
		props = map[string]any{}
	}
	props["name"] = name
	if category != "" {
		props["category"] = string(category)
		props["partyMember"] = true
	}
	return b.Node(graph.KindPerson, id, p, props)
}

// agreement adds a co-building agreement between parties and a place.
func (b builder) agreement(id, title string, parties []string, with, signedOn string, p prov) string {
	props := map[string]any{"title": title}
	if signedOn != "" {
		props["signedOn"] = date(signedOn)
	}
	b.Node(graph.KindAgreement, id, p, props)
	for _, party := range parties {
		b.Edge(graph.RelPartyTo, party, id, p, nil)
	}
	b.Edge(graph.RelAgreementWith, id, with, p, nil)
	return id
}

// merged adds the places (id suffix:name) that were merged into place, as places of a kind
// that no longer stand on their own: they lie nowhere now (no PART_OF) and are MERGED_INTO
// place, the date unknown; formerly they lay in parent (the `formerlyIn` property).
func (b builder) merged(place, parent string, kind graph.PlaceKind, old []string, p prov) {
	for _, o := range old {
		suffix, name, _ := strings.Cut(o, ":")
		id := b.place(place+":was:"+suffix, name, kind, "", p)
		b.Node(graph.KindPlace, id, p, map[string]any{"formerlyIn": parent})
		b.Edge(graph.RelMergedInto, id, place, p, nil)
	}
}

func (b builder) project(id, name string, cat graph.ProjectCategory, status graph.ProjectStatus, agreement, in string, p prov) string {
	b.Node(graph.KindProject, id, p, map[string]any{"name": name, "category": string(cat), "status": string(status)})
	if agreement != "" {
		b.Edge(graph.RelUnder, id, agreement, p, nil)
	}
	if in != "" {
		b.Edge(graph.RelProjectIn, id, in, p, nil)
	}
	return id
}

// Curated adds every place, unit, organisation, committee, person, project and tie that the
// five reports name, each with the sentence it was drawn from.
func Curated(d *Dataset) {
	b := builder{d}
	curatedZhengzhou(b)
	curatedShangjie(b)
	curatedZhongyuan(b)
	curatedHuiji(b)
	curatedXinmi(b)
	curatedLiaoyuan(b)
}

func curatedZhengzhou(b builder) {
	b.place("place:henan", "河南省", graph.PlaceProvince, "", rep(reportXinmi, "河南新密市:实施“四方五联共建” 推进城市基层党建全域化高质量发展"))
	b.place("place:zhengzhou", "郑州市", graph.PlaceCity, "place:henan", rep(reportShangjie, "【郑州市城市基层党建巡礼之八】"))
}

func curatedShangjie(b builder) {
	r := func(q string) prov { return rep(reportShangjie, q) }
	sj := b.place("place:shangjie", "上街区", graph.PlaceDistrict, "place:zhengzhou", r("构建“四网一化五联” 发挥党建引领作用——上街区城市基层党建工作纪实"))
	zxl := b.place("place:shangjie:zhongxinlu", "中心路街道", graph.PlaceStreet, sj,
		r("中心路街道针对个别社区辖区无联建单位的问题，以2至3个社区为一个片区，成立联合片区党委，既便于在更大范围内统筹党建资源，又便于以强带弱、共同提升。"))
	districtOrg := b.org("org:shangjie:district", "中共上街区委", graph.OrgCommittee, sj, "",
		r("区委与驻区国企长城铝业公司党委联管该公司的18家离退休支部党员"))

	// 朝阳社区 and 中心路小学: the report's opening example.
	chaoyang := b.community("place:shangjie:chaoyang", "朝阳社区", graph.CommunityCommercialHousing, zxl,
		r("每天下午，上街区朝阳社区的“四点半课堂”都会有一位专职教师来为孩子们义务辅导"))
	chaoyangOrg := b.org("org:shangjie:chaoyang", "朝阳社区党支部", graph.OrgBranch, chaoyang, "",
		r("朝阳社区党支部书记王瑞玲告诉记者。"))
	b.person("person:wangruiling", "王瑞玲", graph.MemberInService, r("朝阳社区党支部书记王瑞玲告诉记者。"),
		map[string]any{"title": "朝阳社区党支部书记"})
	b.Edge(graph.RelMemberOf, "person:wangruiling", chaoyangOrg, r("朝阳社区党支部书记王瑞玲告诉记者。"), map[string]any{"role": "SECRETARY"})
	school := b.unit("unit:shangjie:zhongxinlu-primary", "中心路小学", graph.UnitSchool, zxl,
		r("辖区中心路小学也新增了“戏曲进校园”的特色课程。"))
	q := "“‘四点半课堂’迎来专业老师，我们的戏曲爱好者走进学校教学，党建项目把我们连在了一起，实现了共赢。”"
	ag := b.agreement("agreement:shangjie:chaoyang-zhongxinlu-primary", "朝阳社区—中心路小学党建联建", []string{school, chaoyang}, chaoyang, "", r(q))
	b.project("project:shangjie:chaoyang-430", "四点半课堂", graph.ProjectCommunityServices, graph.StatusInProgress, ag, chaoyang,
		r("每天下午，上街区朝阳社区的“四点半课堂”都会有一位专职教师来为孩子们义务辅导"))
	b.project("project:shangjie:opera-in-school", "戏曲进校园", graph.ProjectMemberEducation, graph.StatusInProgress, ag, school,
		r("党建共建项目——朝阳社区戏曲爱好者走进中心路小学开展“戏曲进校园”活动"))

	// The four-level system: district federation with four large SOEs.
	fed := b.committee("committee:shangjie:federation", "上街区区域党建联合会", graph.CommitteeFederation, []string{sj}, districtOrg,
		r("明确区域党建联合会是区委与驻区四家大型国企党委联建的常设机构"))
	cwa := b.unit("unit:shangjie:changcheng-aluminium", "长城铝业公司", graph.UnitStateOwned, sj,
		r("区委与驻区国企长城铝业公司党委联管该公司的18家离退休支部党员"))
	cwaOrg := b.org("org:shangjie:changcheng-aluminium", "长城铝业公司党委", graph.OrgCommittee, cwa, "",
		r("区委与驻区国企长城铝业公司党委联管该公司的18家离退休支部党员"))
	b.seat(fed, cwaOrg, graph.RoleMember, "", "", 0, r("明确区域党建联合会是区委与驻区四家大型国企党委联建的常设机构"))
	b.seat(fed, districtOrg, graph.RoleChair, "", "", 0, r("明确区域党建联合会是区委与驻区四家大型国企党委联建的常设机构"))

	// 中心路街道区域工委 with 10 thematic committees (calibrated elsewhere).
	zxlOrg := b.org("org:shangjie:zhongxinlu", "中心路街道党工委", graph.OrgWorkingCommittee, zxl, districtOrg,
		r("中心路街道区域工委积极整合辖区优秀党务干部、机关党员干部、特长党员等优质资源"))
	b.committee("committee:shangjie:zhongxinlu-bwc", "中心路街道区域工委", graph.CommitteeBigWorking, []string{zxl}, zxlOrg,
		r("中心路街道区域工委积极整合辖区优秀党务干部、机关党员干部、特长党员等优质资源，建立了党建引领指导、街道建设发展、综治调解等10个专题委员会"))

	// Joint area committees: 颍苑 and 商业街.
	yingyuan := b.community("place:shangjie:yingyuan", "颍苑社区", "", zxl,
		r("颍苑社区联合片区党委通过广泛征求党员群众和联建单位意见，以“五园一心”共建活动为抓手"))
	b.committee("committee:shangjie:yingyuan-joint", "颍苑联合片区党委", graph.CommitteeJointArea, []string{yingyuan}, "",
		r("颍苑联合片区党委开展“亲绣党旗心向党”活动"))
	shangyejie := b.community("place:shangjie:shangyejie", "商业街社区", "", zxl, r("商业街社区联合党委为百岁老党员过生日"))
	b.committee("committee:shangjie:shangyejie-joint", "商业街社区联合党委", graph.CommitteeJointArea, []string{shangyejie}, "",
		r("商业街社区联合党委为百岁老党员过生日"))
	for _, name := range []string{"社区网络学习室", "七彩党员志愿服务队", "就业创业储蓄所"} {
		b.project("project:shangjie:yingyuan:"+name, name, graph.ProjectCommunityServices, graph.StatusAccepted, "", yingyuan,
			r("先后与联建单位共建了社区网络学习室、七彩党员志愿服务队、“就业创业储蓄所”等17个“心连心”工程项目"))
	}

	// High-standard service centres named in the report.
	for _, c := range []struct{ id, name string }{{"tonghang", "通航社区"}, {"sanwan", "三湾社区"}, {"wuyun", "五云中心社区"}} {
		b.community("place:shangjie:"+c.id, c.name, "", sj, r("以颍苑、通航、三湾、五云等10个高标准党群服务中心为引领，首批136个党建服务阵地全区共享。"))
		b.Node(graph.KindPlace, "place:shangjie:"+c.id, generated, map[string]any{"parentUnknown": true})
	}
	for _, c := range []string{"yingyuan", "tonghang", "sanwan", "wuyun"} {
		b.Node(graph.KindSharedResource, "resource:shangjie:centre:"+c, r("以颍苑、通航、三湾、五云等10个高标准党群服务中心为引领"),
			map[string]any{"name": "高标准党群服务中心", "kind": "FACILITY"})
		b.Edge(graph.RelOpens, "place:shangjie:"+c, "resource:shangjie:centre:"+c, r("以颍苑、通航、三湾、五云等10个高标准党群服务中心为引领"), nil)
	}
	zhuzhai := b.community("place:shangjie:zhuzhai", "朱寨新型社区", graph.CommunityNewType, sj,
		r("政府出资分别为五云中心社区和朱寨新型社区购买了党群服务中心项目"))
	b.Node(graph.KindPlace, zhuzhai, generated, map[string]any{"parentUnknown": true})

	// 丹江社区: a new-type community merged from two villages; trainings with agencies.
	danjiang := b.community("place:shangjie:danjiang", "丹江社区", graph.CommunityNewType, sj,
		r("丹江社区是石咀村和马固村合并而成的新型社区"))
	b.Node(graph.KindPlace, danjiang, generated, map[string]any{"parentUnknown": true})
	b.merged(danjiang, sj, graph.PlaceVillage, []string{"shiju:石咀村", "magu:马固村"}, r("丹江社区是石咀村和马固村合并而成的新型社区"))
	b.org("org:shangjie:danjiang", "丹江社区党委", graph.OrgCommittee, danjiang, "", r("社区党委积极开放新建的高标准党群服务中心"))
	for _, u := range []struct{ id, name string }{{"hrss", "上街区人社局"}, {"women", "上街区妇联"}} {
		q := "结合区人社局、妇联等单位在该社区举办家政、育婴师、驾驶员、麦秸秆画等多种培训班"
		uid := b.unit("unit:shangjie:"+u.id, u.name, graph.UnitAgency, sj, r(q))
		ag := b.agreement("agreement:shangjie:danjiang-"+u.id, u.name+"—丹江社区培训共建", []string{uid}, danjiang, "", r(q))
		b.project("project:shangjie:danjiang-training-"+u.id, "丹江社区就业创业培训", graph.ProjectCommunityServices, graph.StatusCompleted, ag, danjiang, r(q))
	}
}

func curatedZhongyuan(b builder) {
	r := func(q string) prov { return rep(reportZhongyuan, q) }
	zy := b.place("place:zhongyuan", "中原区", graph.PlaceDistrict, "place:zhengzhou",
		r("中原区是市委、市政府所在地，辖区总面积97.1平方公里，其中城区面积42平方公里，总人口75万。"))
	b.Node(graph.KindPlace, zy, r("辖区总面积97.1平方公里，其中城区面积42平方公里，总人口75万。"),
		map[string]any{"areaKm2": 97.1, "urbanAreaKm2": 42.0, "population": int64(750000)})
	b.org("org:zhongyuan:district", "中共中原区委", graph.OrgCommittee, zy, "", r("区委党建工作领导小组每季度至少召开1次专题会议"))
	for _, s := range []struct{ id, name string }{
		{"jianshelu", "建设路街道"}, {"hanghaixilu", "航海西路街道"}, {"tongbailu", "桐柏路街道"}, {"lvdongcun", "绿东村街道"},
		{"sanguanmiao", "三官庙街道"}, {"zhongyuanxilu", "中原西路街道"}, {"xiliuhu", "西流湖街道"}, {"linshanzhai", "林山寨街道"},
	} {
		b.place("place:zhongyuan:"+s.id, s.name, graph.PlaceStreet, zy, r("辖12个街道，46个行政村，94个社区"))
	}
	type c struct{ id, name, street, quote string }
	for _, x := range []c{
		{"xiezuolu", "协作路社区", "jianshelu", "建设路街道协作路社区将原有办公用房与其他楼院分散的用房统筹规划，重新定位，合理配置，新增面积近1000平方米。"},
		{"dihu", "帝湖社区", "hanghaixilu", "航海西路街道帝湖社区将原有空置房屋重新利用，新增面积3000余平方米。"},
		{"xinyijiayuan", "馨怡家园社区", "tongbailu", "桐柏路街道馨怡家园社区，积极协调河南送变电公司将社区一层出租的门面房回收，改建后交由社区使用，新增面积700余平方米。"},
		{"baige", "白鸽社区", "lvdongcun", "绿东村街道白鸽社区，由二砂一社区和二砂二社区合并组成"},
		{"yangguangxincheng", "阳光新城社区", "jianshelu", "建设路街道阳光新城社区，与业主签订了长期租赁合同，使活动阵地面积达到5100平方米。"},
		{"zhongyuanzhonglu2", "中原中路二社区", "sanguanmiao", "三官庙街道中原中路二社区，租赁企业冷冻仓库，投入近200万元进行改造，使活动阵地达到2600平方米。"},
		{"lvcheng", "绿城社区", "zhongyuanxilu", "中原西路街道绿城社区移走自行车库，在原址建成2000多平方米的社区用房。"},
		{"fenghe", "风和日丽社区", "tongbailu", "通过该种方式，桐柏路街道风和日丽社区新增面积1300平方米"},
		{"zhengshangmingzuan", "正商明钻社区", "tongbailu", "正商明钻社区新增面积440平方米"},
		{"chengkai", "城开社区", "tongbailu", "城开社区新增面积1000平方米"},
		{"nongyeyinhang", "农业银行社区", "", "农业银行社区开发手机APP“社区1号”，实现为民服务线上受理、线下处理"},
		{"qinjiang", "秦江社区", "", "秦江社区依托微信公众平台，开通了社区在线广播“秦江之声”"},
		{"baihua", "百花社区", "", "百花社区联合辖区21家市直单位开展庆祝建党96周年党建成果展"},
	} {
		// Where the report names no street, the community stays under the district, its street unknown.
		parent := zy
		if x.street != "" {
			parent = "place:zhongyuan:" + x.street
		}
		b.community("place:zhongyuan:"+x.id, x.name, "", parent, r(x.quote))
		if x.street == "" {
			b.Node(graph.KindPlace, "place:zhongyuan:"+x.id, r(x.quote), map[string]any{"parentUnknown": true})
		}
	}
	area := map[string]int64{"yangguangxincheng": 5100, "zhongyuanzhonglu2": 2600}
	for id, m2 := range area {
		b.Node(graph.KindPlace, "place:zhongyuan:"+id, r("使活动阵地面积达到"), map[string]any{"serviceAreaM2": m2})
	}
	b.merged("place:zhongyuan:baige", "place:zhongyuan:lvdongcun", graph.PlaceCommunity, []string{"ersha1:二砂一社区", "ersha2:二砂二社区"},
		r("绿东村街道白鸽社区，由二砂一社区和二砂二社区合并组成"))
	for _, u := range []struct{ id, name string }{{"cotton", "郑州棉纺厂"}, {"cable", "郑州电缆厂"}, {"ersha", "二砂（白鸽集团）"}, {"zhongmo", "中磨"}} {
		b.unit("unit:zhongyuan:"+u.id, u.name, graph.UnitStateOwned, zy, r("中原区是郑州市的老工业区，棉纺厂、电缆厂、二砂、中磨等国有企业众多"))
	}
	hnsb := b.unit("unit:zhongyuan:henan-power-transmission", "河南送变电公司", graph.UnitStateOwned, "place:zhongyuan:xinyijiayuan",
		r("桐柏路街道馨怡家园社区，积极协调河南送变电公司将社区一层出租的门面房回收，改建后交由社区使用"))
	b.agreement("agreement:zhongyuan:xinyijiayuan-power", "馨怡家园社区—河南送变电公司阵地共建", []string{hnsb}, "place:zhongyuan:xinyijiayuan", "",
		r("积极协调河南送变电公司将社区一层出租的门面房回收，改建后交由社区使用，新增面积700余平方米。"))
	qs := b.unit("unit:zhongyuan:qingshan-agri", "青山农业", graph.UnitNonPublic, "place:zhongyuan:fenghe",
		r("风和日丽社区引入青山农业，创立了中原区首家线上+线下的生活服务中心"))
	ag := b.agreement("agreement:zhongyuan:fenghe-qingshan", "风和日丽社区—青山农业生活服务共建", []string{qs}, "place:zhongyuan:fenghe", "",
		r("风和日丽社区引入青山农业，创立了中原区首家线上+线下的生活服务中心"))
	b.project("project:zhongyuan:fenghe-life-centre", "线上+线下生活服务中心", graph.ProjectCommunityServices, graph.StatusCompleted, ag, "place:zhongyuan:fenghe",
		r("创立了中原区首家线上+线下的生活服务中心，居民在家就可以订购无公害的农副产品。"))
}

func curatedHuiji(b builder) {
	r := func(q string) prov { return rep(reportHuiji, q) }
	hj := b.place("place:huiji", "惠济区", graph.PlaceDistrict, "place:zhengzhou", r("全方位拓展 全领域覆盖——惠济区城市基层党建工作纪实"))
	b.org("org:huiji:district", "中共惠济区委", graph.OrgCommittee, hj, "", r("“主题党日”活动由区委统一领导"))
	for _, site := range []string{"怡丰", "森林湖", "民安", "北郡"} {
		id := "redstation:huiji:" + site
		b.Node(graph.KindRedStation, id, r("先后在辖区怡丰、森林湖、民安、北郡等项目工地建立了14家流动党员“红色驿站”"),
			map[string]any{"name": site + "项目工地红色驿站", "site": site + "项目工地"})
		b.Edge(graph.RelLocatedAt, id, hj, r("先后在辖区怡丰、森林湖、民安、北郡等项目工地建立了14家流动党员“红色驿站”"), nil)
	}
}

func curatedXinmi(b builder) {
	r := func(q string) prov { return rep(reportXinmi, q) }
	xm := b.place("place:xinmi", "新密市", graph.PlaceCity, "place:zhengzhou",
		r("2016年12月,新密市被列为国家新型城镇化综合试点县市,城镇化率59.3%,城区常住人口25万,流动人口5万"))
	b.Node(graph.KindPlace, xm, r("城镇化率59.3%,城区常住人口25万,流动人口5万"),
		map[string]any{"countyLevel": true, "urbanisationRate": 0.593, "urbanPopulation": int64(250000), "floatingPopulation": int64(50000)})
	cityOrg := b.org("org:xinmi:city", "中共新密市委", graph.OrgCommittee, xm, "", r("成立由市委书记任组长的城市基层党建工作推进组"))
	xhl := b.place("place:xinmi:xinhualu", "新华路街道", graph.PlaceStreet, xm,
		r("试点街道新华路先行一步,制定出台《新华路街道社区代表大会管理办法》等文件"))
	b.Node(graph.KindPlace, xhl, r("试点街道新华路先行一步"), map[string]any{"pilot": true})
	b.org("org:xinmi:xinhualu", "新华路街道党工委", graph.OrgWorkingCommittee, xhl, cityOrg,
		r("新华路街道党工委联合新密市老年体协健步走队和社会各界近千名群众"))
	kq := b.place("place:xinmi:kuangqu", "矿区办事处", graph.PlaceStreet, xm, r("郑煤总医院免费为矿区办事处50余名环卫工人提供“爱心早餐”"))
	b.community("place:xinmi:xinhuijie", "新惠街社区", "", xhl, r("新华路新惠街社区与驻区单位以七夕传统节日为载体开展“情暖七夕、和睦邻里”美食节活动"))
	jfl := b.community("place:xinmi:jinfenglu", "金凤路社区", "", xhl,
		r("金凤路社区与东方娃幼儿园联合,由社区提供场所、幼儿园提供师资,共建“四点半课堂”"))
	dfw := b.unit("unit:xinmi:dongfangwa", "东方娃幼儿园", graph.UnitSchool, jfl,
		r("金凤路社区与东方娃幼儿园联合,由社区提供场所、幼儿园提供师资,共建“四点半课堂”"))
	ag := b.agreement("agreement:xinmi:jinfenglu-dongfangwa", "金凤路社区—东方娃幼儿园四点半课堂共建", []string{dfw, jfl}, jfl, "",
		r("金凤路社区与东方娃幼儿园联合,由社区提供场所、幼儿园提供师资,共建“四点半课堂”"))
	p := b.project("project:xinmi:jinfenglu-430", "四点半课堂", graph.ProjectCommunityServices, graph.StatusInProgress, ag, jfl,
		r("共建“四点半课堂”,为社区子弟提供放学后托管、辅导服务,受益学生达210人次。"))
	b.Node(graph.KindProject, p, r("受益学生达210人次。"), map[string]any{"beneficiaries": int64(210)})

	syj := b.community("place:xinmi:shangyunjie", "商运街社区", "", xm, r("商运街社区与人保财险新密支公司联合开展“夏日送清凉活动”"))
	b.Node(graph.KindPlace, syj, generated, map[string]any{"parentUnknown": true})
	picc := b.unit("unit:xinmi:picc", "人保财险新密支公司", graph.UnitFinancial, syj, r("商运街社区与人保财险新密支公司联合开展“夏日送清凉活动”"))
	ag = b.agreement("agreement:xinmi:shangyunjie-picc", "商运街社区—人保财险新密支公司共建", []string{picc, syj}, syj, "",
		r("商运街社区与人保财险新密支公司联合开展“夏日送清凉活动”,免费为辖区70岁以上老人送西瓜、矿泉水"))
	b.project("project:xinmi:summer-cool", "夏日送清凉", graph.ProjectCommunityServices, graph.StatusCompleted, ag, syj,
		r("免费为辖区70岁以上老人送西瓜、矿泉水"))
	hosp := b.unit("unit:xinmi:zhengmei-hospital", "郑煤总医院", graph.UnitHospital, kq, r("郑煤总医院免费为矿区办事处50余名环卫工人提供“爱心早餐”,多年来从未间断"))
	ag = b.agreement("agreement:xinmi:kuangqu-zhengmei", "矿区办事处—郑煤总医院爱心早餐", []string{hosp}, kq, "",
		r("郑煤总医院免费为矿区办事处50余名环卫工人提供“爱心早餐”,多年来从未间断"))
	b.project("project:xinmi:love-breakfast", "爱心早餐", graph.ProjectCommunityServices, graph.StatusInProgress, ag, kq,
		r("郑煤总医院免费为矿区办事处50余名环卫工人提供“爱心早餐”,多年来从未间断"))
	b.community("place:xinmi:xingfujie", "幸福街社区", "", xm, r("幸福街社区组织沿街商户为环卫工提供免费茶水供应点"))
	b.Node(graph.KindPlace, "place:xinmi:xingfujie", generated, map[string]any{"parentUnknown": true})

	// 高冠松, the 71-year-old retired member of the propaganda department.
	pd := b.unit("unit:xinmi:propaganda", "中共新密市委宣传部", graph.UnitAgency, xm, r("市委宣传部71岁的退休党员高冠松,主动发挥老党员作用"))
	pdOrg := b.org("org:xinmi:propaganda-retirees", "市委宣传部离退休党支部", graph.OrgRetireesBranch, pd, cityOrg,
		r("市委宣传部71岁的退休党员高冠松,主动发挥老党员作用"))
	b.person("person:gaoguansong", "高冠松", graph.MemberRetired, r("市委宣传部71岁的退休党员高冠松,主动发挥老党员作用,积极协调解决和平街豫剧团家属院解决院内的私拉乱建问题。"),
		map[string]any{"age": int64(71)})
	b.Edge(graph.RelMemberOf, "person:gaoguansong", pdOrg, r("市委宣传部71岁的退休党员高冠松"), nil)
	// Retired: his work tie has ended. The report gives no date; at 71 in 2018 he reached the
	// retirement age of 60 by the end of 2007, the date used (and marked as estimated).
	b.Edge(graph.RelWorksIn, "person:gaoguansong", pd, r("市委宣传部71岁的退休党员高冠松"),
		map[string]any{"retired": true, "until": date("2007-12-31"), "untilEstimated": true})
	yj := b.place("place:xinmi:yujutuan-compound", "和平街豫剧团家属院", graph.PlaceCompound, xm,
		r("积极协调解决和平街豫剧团家属院解决院内的私拉乱建问题。"))
	b.Edge(graph.RelReportsTo, "person:gaoguansong", yj, r("积极协调解决和平街豫剧团家属院解决院内的私拉乱建问题。"), nil)
}

func curatedLiaoyuan(b builder) {
	r := func(q string) prov { return rep(reportLiaoyuan, q) }
	jilin := b.place("place:jilin", "吉林省", graph.PlaceProvince, "", r("吉林省辽源市深入学习贯彻落实习近平新时代中国特色社会主义思想"))
	ly := b.place("place:liaoyuan", "辽源市", graph.PlaceCity, jilin, r("辽源市：“五共”联促，推动区域化党建协同创新"))
	b.org("org:liaoyuan:city", "中共辽源市委", graph.OrgCommittee, ly, "", r("自上而下建立市、县区、街道、社区四级责任体系"))
	df := b.place("place:liaoyuan:dongfeng", "东丰县", graph.PlaceCounty, ly, r("辽源市东丰县祥鹿街道永青社区召开共建单位联席会议。"))
	xl := b.place("place:liaoyuan:dongfeng:xianglu", "祥鹿街道", graph.PlaceStreet, df, r("辽源市东丰县祥鹿街道永青社区召开共建单位联席会议。"))
	yq := b.community("place:liaoyuan:dongfeng:xianglu:yongqing", "永青社区", "", xl, r("辽源市东丰县祥鹿街道永青社区召开共建单位联席会议。"))
	b.committee("committee:liaoyuan:yongqing-alliance", "永青社区党建联合体", graph.CommitteeAlliance, []string{yq}, "",
		r("辽源市东丰县祥鹿街道永青社区召开共建单位联席会议。"))
}
