package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
)

// statFigure is a figure a report states about a place, with the statistics field that gives it:
// a plain field (`streets`), one kind of a count list (`committees[ALLIANCE]`; `[*]` sums them,
// `[#]` counts the kinds), or one value of a countBy (`countBy(kind: PERSON, property: "title")[第一书记]`).
type statFigure struct {
	quote   string
	field   string
	want    int
	atLeast bool // the report says more than (逾, 余, 多)
	nearly  bool // the report says nearly (近): within 5% below
}

// statReport is the figures of one place as of the report's date.
type statReport struct {
	report, place, asOf string
	figures             []statFigure
}

// reportFigures are the structural figures the five reports state, each reproduced by
// `statistics` of the place as of the report's date.
var reportFigures = []statReport{
	{"000 上街区", "place:shangjie", "2017-12-31", []statFigure{
		{"目前，全区共确定联建项目逾500个", "projects", 500, true, false},
		{"涉及党建阵地共享、党员教育管理、社区服务优化、党建标准化建设、基层治理创新等五大类", "projectsByCategory[#]", 5, false, false},
		{"以颍苑、通航、三湾、五云等10个高标准党群服务中心为引领", `countBy(kind: SHARED_RESOURCE, property: "kind")[FACILITY]`, 10, false, false},
		{"首批136个党建服务阵地全区共享", `countBy(kind: SHARED_RESOURCE, property: "kind")[POSITION]`, 136, false, false},
		{"从全区各社区与联建单位共同实施的服务项目中精选255个优质项目，以“共享清单”形式面向全区开放", `countBy(kind: SHARED_RESOURCE, property: "kind")[SERVICE]`, 255, false, false},
		{"目前，全区共建立党员志愿服务队336支", "volunteerTeams", 336, false, false},
		{"参与党员3000余名", "volunteers", 3000, true, false},
		{"建立特长党员工作121个", `countBy(kind: SHARED_RESOURCE, property: "kind")[STUDIO]`, 121, false, false},
		{"建成爱心交换站5处", `countBy(kind: SHARED_RESOURCE, property: "kind")[EXCHANGE_STATION]`, 5, false, false},
		{"并引进了10个社工服务岗位", `countBy(kind: SERVICE_POST, property: "kind")[SOCIAL_WORK]`, 10, false, false},
		{"区委与驻区国企长城铝业公司党委联管该公司的18家离退休支部党员", "partyOrgsByKind[RETIREES_BRANCH]", 18, false, false},
		{"又带动1000余名企业党员到社区报到参与服务", "reportingMembers", 1000, true, false},
		{"建立了“区级区域党建联合会—街道区域工委—社区大党委（联合片区党委）—楼院党支部”的四级区域化党组织体系", "committees[FEDERATION]", 1, false, false},
		{"以2至3个社区为一个片区，成立联合片区党委", "committees[JOINT_AREA_COMMITTEE]", 2, false, false},
		{"建立了党建引领指导、街道建设发展、综治调解等10个专题委员会", "committees[THEMATIC_COMMITTEE]", 10, false, false},
		{"丹江社区是石咀村和马固村合并而成的新型社区", "mergedPlaces", 2, false, false},
	}},
	{"000 上街区 颍苑社区", "place:shangjie:yingyuan", "2017-12-31", []statFigure{
		{"先后与联建单位共建了社区网络学习室、七彩党员志愿服务队、“就业创业储蓄所”等17个“心连心”工程项目", `countBy(kind: PROJECT, property: "category")[COMMUNITY_SERVICES]`, 17, true, false},
	}},
	{"001 中原区", "place:zhongyuan", "2017-12-31", []statFigure{
		{"辖12个街道", "streets", 12, false, false},
		{"46个行政村", "villages", 46, false, false},
		{"94个社区", "communities", 94, false, false},
		{"共有基层党组织969个", "partyOrgs", 969, false, false},
		{"党员22373名", "members", 22373, false, false},
		{"目前全区共配备社区专职党务工作者386名", `countBy(kind: PERSON, property: "title")[社区专职党务工作者]`, 386, false, false},
		{"两年来，中原区通过“大工委”“大党委”，与辖区261个较大单位建立了良好关系", "seats", 261, false, false},
		{"协调、盘活了80处闲置资源", `countBy(kind: SHARED_RESOURCE, property: "kind")[IDLE_RESOURCE]`, 80, false, false},
		{"今年以来，全区利用“大工委”“大党委”平台，与辖区单位签订共建协议309份", "agreements", 309, false, false},
		{"街道党工委发挥主导作用，完善街道“大工委”机构设置", "committees[BIG_WORKING_COMMITTEE]", 12, false, false},
		{"区委党建工作领导小组每季度至少召开1次专题会议", "leadingGroups", 1, false, false},
	}},
	{"001 中原区 林山寨街道", "place:zhongyuan:linshanzhai", "2017-12-31", []statFigure{
		{"林山寨街道联系驻区单位设立服务项目库，目前已确定共建服务项目20个", "projects", 20, false, false},
	}},
	{"001 中原区 白鸽社区", "place:zhongyuan:baige", "2017-12-31", []statFigure{
		{"绿东村街道白鸽社区，由二砂一社区和二砂二社区合并组成", "mergedPlaces", 2, false, false},
	}},
	{"002 惠济区", "place:huiji", "2017-12-31", []statFigure{
		{"将51个区直机关党组织、3个开发区党组织划分为8个党建协作组", "committees[COLLABORATION_GROUP]", 8, false, false},
		{"3个开发区党组织", "unitsByKind[DEVELOPMENT_ZONE]", 3, false, false},
		{"8个党建协作组与全区8个镇、街道联建共建", "streets", 8, false, false},
		{"“主题党日”活动由区委统一领导，以全区13903名党员为结构细胞", "members", 13903, false, false},
		{"惠济区先后评选出“五星党员”265名", `countBy(kind: EVALUATION, property: "result")[五星党员]`, 265, false, false},
		{"“五星党员标兵”89名", `countBy(kind: EVALUATION, property: "result")[五星党员标兵]`, 89, false, false},
		{"组织开展…志愿服务活动406场次", "activitiesByKind[VOLUNTEER_SERVICE]", 406, false, false},
		{"先后在辖区怡丰、森林湖、民安、北郡等项目工地建立了14家流动党员“红色驿站”", "redStations", 14, false, false},
		{"为流动党员放映红色电影30多场", "activitiesByKind[CULTURAL]", 30, true, false},
		{"共计开展帮农民工讨薪、时事政策宣讲、社区义诊、扶贫帮困、义务献血等各类主题活动58项", "activitiesByKind[THEMED_PARTY_DAY]", 58, false, false},
		{"目前，“党建云”平台已将全区298个党支部纳入管理", `countBy(kind: PARTY_ORG, property: "onCloudPlatform")[true]`, 298, false, false},
		{"11名区委常委分别建立了党建联系点; 由区委常委牵头组成八个工作组，下沉分包联系八个镇、街道", "contactPoints", 11 + 8, false, false},
		{"目前，首批245名下沉历练干部已全部上岗到位", "secondedPeople", 245, false, false},
	}},
	{"003 新密市", "place:xinmi", "2018-11-06", []statFigure{
		{"村改居社区27个", "communitiesByType[VILLAGE_CONVERTED]", 27, false, false},
		{"单位型社区19个", "communitiesByType[WORK_UNIT]", 19, false, false},
		{"目前,4个街道联合驻区91家单位建立大工委", "streets", 4, false, false},
		{"46个社区联合驻区199家单位建立大党委", "committees[BIG_PARTY_COMMITTEE]", 46, false, false},
		{"4个街道联合驻区91家单位建立大工委,46个社区联合驻区199家单位建立大党委", "seats", 91 + 199, false, false},
		{"目前,全市已选举产生社区代表2029名", `countBy(kind: PERSON, property: "communityRepresentative")[*]`, 2029, false, false},
		{"其中居民代表1597名", `countBy(kind: PERSON, property: "communityRepresentative")[RESIDENT]`, 1597, false, false},
		{"驻区单位代表192名", `countBy(kind: PERSON, property: "communityRepresentative")[UNIT]`, 192, false, false},
		{"“两新”组织代表121名", `countBy(kind: PERSON, property: "communityRepresentative")[NEW_ORGANISATION]`, 121, false, false},
		{"社区初步提供服务岗位11个", "servicePosts", 11, false, false},
		{"全市共排查出戏迷协会、健身舞协会、健步走协会等各类群众性自组织、团体协会142个", `countBy(kind: UNIT, property: "selfOrganised")[true]`, 142, false, false},
		{"在17个工商质监所设立非公经济组织党建指导站", `countBy(kind: SHARED_RESOURCE, property: "kind")[GUIDANCE_STATION]`, 17, false, false},
		{"市委第一时间对新任村(社区)社区党务干部557人进行集中培训", `countBy(kind: PERSON, property: "title")[社区党务干部]`, 557, false, false},
		{"储备村级后备干部1113名", `countBy(kind: PERSON, property: "title")[村级后备干部]`, 1113, false, false},
		{"成立由市委书记任组长的城市基层党建工作推进组", "leadingGroups", 1, false, false},
	}},
	{"004 辽源市", "place:liaoyuan", "2021-03-31", []statFigure{
		{"打造区域化党建联合体62个，实现街道社区全覆盖", "committees[ALLIANCE]", 62, false, false},
		{"全市共选派第一书记62名", `countBy(kind: PERSON, property: "title")[第一书记]`, 62, false, false},
		{"目前，全市登记在册专职网格长525名", "headsByRole[GRID_HEAD]", 525, false, false},
		{"楼栋长3254名", "headsByRole[BUILDING_HEAD]", 3254, false, false},
		{"单元长11023名", "headsByRole[STAIRWELL_HEAD]", 11023, false, false},
		{"全市共重新划分城市社区网格521个", "grids", 521, false, false},
		{"打造“城市共享家园”107处", `countBy(kind: SHARED_RESOURCE, property: "kind")[FACILITY]`, 107, false, false},
		{"建立临时党支部749个", "partyOrgsByKind[TEMPORARY_BRANCH]", 749, false, false},
		{"成立党员突击队395支", `countBy(kind: VOLUNTEER_TEAM, property: "kind")[COMMANDO]`, 395, false, false},
		{"党员服务队352支", `countBy(kind: VOLUNTEER_TEAM, property: "kind")[SERVICE]`, 352, false, false},
		{"设立党员先锋岗2153个", `countBy(kind: SERVICE_POST, property: "epidemic")[true]`, 2153, false, false},
		{"共设立先锋岗5000多个", "servicePosts", 5000, true, false},
		{"在职党员到社区认领党员先锋岗近1万个", "claims", 10000, false, true},
		{"逐级建立书记项目台账清单363个，目前已全部完成", "projectsByStatus[COMPLETED]", 363, false, false},
		{"全市共完成老旧小区改造43个", "compounds", 43, false, false},
		{"全市共完成老旧小区改造43个，楼房426栋", `countBy(kind: PLACE, property: "renovated")[true]`, 43 + 426, false, false},
		{"全市各级党委（党组）书记建立党支部联系点681个", "contactPoints", 681, false, false},
		{"2020年，全市党建联合体成员单位共同开展主题党日活动530余次", "activitiesByKind[THEMED_PARTY_DAY]", 530, false, false},
		{"讲党课583场次", "activitiesByKind[PARTY_LESSON]", 583, false, false},
		{"截至目前，全市累计开展各类联建共建活动近2000次", "activitiesByKind[OTHER]", 2000, false, false},
		{"全市各级机关党组织选派两批次近7000名机关党员", `countBy(kind: PERSON, property: "secondmentBatch")[*]`, 7000, false, true},
		{"构建起“社区党组织—网格党支部—楼栋党小组—党员中心户”四级组织体系", "partyOrgsByKind[GROUP]", 1, true, false},
	}},
}

// Every structural figure of the reports comes out of statistics, as of the report's date;
// a place's figures cost one request (one statistics, its countBy fields aliased).
func TestReportFiguresComeOutOfStatistics(t *testing.T) {
	srv := demoServer(t)
	total := 0
	for _, r := range reportFigures {
		var sel strings.Builder
		for i, f := range r.figures {
			name, _, list := strings.Cut(f.field, "[")
			if list {
				fmt.Fprintf(&sel, " f%d: %s { kind count }", i, name)
			} else {
				fmt.Fprintf(&sel, " f%d: %s", i, name)
			}
		}
		data := srv.gql(t, fmt.Sprintf(`{ statistics(place: %q, asOf: %q) {%s } }`, r.place, r.asOf, sel.String()), nil)
		for i, f := range r.figures {
			v := dig(t, data, fmt.Sprintf("statistics.f%d", i))
			got := 0
			if _, kind, list := strings.Cut(f.field, "["); list {
				kind = strings.TrimSuffix(kind, "]")
				counts := v.([]any)
				if kind == "#" { // the number of kinds
					got = len(counts)
					counts = nil
				}
				for _, c := range counts {
					m := c.(map[string]any)
					if kind == "*" || m["kind"] == kind {
						got += int(m["count"].(float64))
					}
				}
			} else {
				got = int(v.(float64))
			}
			ok := got == f.want || f.atLeast && got > f.want || f.nearly && got < f.want && got >= f.want*95/100
			if !ok {
				t.Errorf("%s “%s”: statistics(place: %q, asOf: %q) { %s } = %d, want %d", r.report, f.quote, r.place, r.asOf, f.field, got, f.want)
			}
			total++
		}
	}
	t.Logf("%d report figures reproduced by statistics", total)
	storetest.Record(t, "report figures reproduced by statistics: %d", total)
}
