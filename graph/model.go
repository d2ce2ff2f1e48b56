package graph

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// NodeKind is the kind of a node of the graph; it is the node's Neo4j label. Every node also
// carries the label Entity, on whose id a uniqueness constraint stands.
type NodeKind string

// The node kinds.
const (
	KindPlace          NodeKind = "Place"          // city, district, street, community, grid… (地区)
	KindUnit           NodeKind = "Unit"           // a stationed unit (驻区单位)
	KindPartyOrg       NodeKind = "PartyOrg"       // a party organisation (党组织)
	KindCommittee      NodeKind = "Committee"      // 大工委, 大党委, joint area committee, federation, alliance, collaboration group
	KindSeat           NodeKind = "Seat"           // a unit's seat on a committee, held through a representative
	KindPerson         NodeKind = "Person"         // a person; party members carry a category
	KindAgreement      NodeKind = "Agreement"      // a co-building agreement (共建协议)
	KindProject        NodeKind = "Project"        // a joint project (联建项目)
	KindProgressReport NodeKind = "ProgressReport" // a project's progress report (台账)
	KindServicePost    NodeKind = "ServicePost"    // a service post a community offers (服务岗位)
	KindSharedResource NodeKind = "SharedResource" // a position, service or facility opened to others (共享清单)
	KindRedStation     NodeKind = "RedStation"     // a post for floating members on a site (红色驿站)
	KindVolunteerTeam  NodeKind = "VolunteerTeam"  // a party-member volunteer team (党员志愿服务队)
	KindActivity       NodeKind = "Activity"       // an activity, or a series of them: a themed party day, a volunteer service (活动)
	KindEvaluation     NodeKind = "Evaluation"     // an evaluation of one party by another, or a member's points or honour (评价, 积分评星)
	KindLeadingGroup   NodeKind = "LeadingGroup"   // a leading group of party building (党建工作领导小组)
)

// NodeKinds is the allow-list of labels: only these are ever written into Cypher text.
var NodeKinds = []NodeKind{KindPlace, KindUnit, KindPartyOrg, KindCommittee, KindSeat, KindPerson,
	KindAgreement, KindProject, KindProgressReport, KindServicePost, KindSharedResource, KindRedStation,
	KindVolunteerTeam, KindActivity, KindEvaluation, KindLeadingGroup}

// Valid reports whether k is on the allow-list.
func (k NodeKind) Valid() bool { return slices.Contains(NodeKinds, k) }

// RelKind is the type of a relationship; it is the Neo4j relationship type.
type RelKind string

// The relationship kinds. Each is drawn from the node on the left to the node on the right.
const (
	RelPartOf        RelKind = "PART_OF"        // Place → its parent Place
	RelStationedIn   RelKind = "STATIONED_IN"   // Unit → the street or community it is located in
	RelOrgOf         RelKind = "ORG_OF"         // PartyOrg → the Unit or Place whose organisation it is
	RelSubordinateTo RelKind = "SUBORDINATE_TO" // PartyOrg → its parent PartyOrg
	RelCoManages     RelKind = "CO_MANAGES"     // PartyOrg → a PartyOrg it manages jointly with the parent (联管)
	RelCovers        RelKind = "COVERS"         // Committee → a Place it covers
	RelLedBy         RelKind = "LED_BY"         // Committee or LeadingGroup → the PartyOrg at its core (街道党工委, 社区党组织; 市委 for its leading group)
	RelHolds         RelKind = "HOLDS"          // Unit or PartyOrg → a Seat
	RelSeatOn        RelKind = "SEAT_ON"        // Seat → its Committee
	RelRepresents    RelKind = "REPRESENTS"     // Person → the Seat they hold for their unit
	RelMemberOf      RelKind = "MEMBER_OF"      // Person → the PartyOrg they belong to (组织关系)
	RelWorksIn       RelKind = "WORKS_IN"       // Person → the Unit they work in
	RelLivesIn       RelKind = "LIVES_IN"       // Person → the Place they live in
	RelReportsTo     RelKind = "REPORTS_TO"     // Person or Unit → the community (or street) they report to (报到)
	RelSecondedTo    RelKind = "SECONDED_TO"    // Person → the street or town they are seconded to (下沉)
	RelPartyTo       RelKind = "PARTY_TO"       // Unit, PartyOrg, Committee or Place → an Agreement it signed
	RelAgreementWith RelKind = "WITH"           // Agreement → the community or street it was signed with
	RelUnder         RelKind = "UNDER"          // Project → its Agreement
	RelProjectIn     RelKind = "PROJECT_IN"     // Project → the Place it is carried out in
	RelReportOn      RelKind = "REPORT_ON"      // ProgressReport → its Project
	RelOffers        RelKind = "OFFERS"         // Place → a ServicePost it offers
	RelClaimed       RelKind = "CLAIMED"        // Person → a ServicePost they claimed (认领岗位)
	RelOpens         RelKind = "OPENS"          // Unit or Place → a SharedResource it opens to others
	RelLocatedAt     RelKind = "LOCATED_AT"     // RedStation, VolunteerTeam or SharedResource → its Place
	RelAttachedTo    RelKind = "ATTACHED_TO"    // Person → the RedStation they are attached to
	RelVolunteersIn  RelKind = "VOLUNTEERS_IN"  // Person → a VolunteerTeam
	RelOrganised     RelKind = "ORGANISED"      // Unit, PartyOrg, Committee, Place or LeadingGroup → an Activity it organised (组织)
	RelHeldIn        RelKind = "HELD_IN"        // Activity → the Place it was held in
	RelTookPartIn    RelKind = "TOOK_PART_IN"   // Person, Unit, PartyOrg or Committee → an Activity (参加)
	RelRates         RelKind = "RATES"          // the rater (Unit, PartyOrg, Committee, Place, Person) → an Evaluation it gave (评价方)
	RelRatingOf      RelKind = "RATING_OF"      // Evaluation → the rated (Unit, PartyOrg, Place, Person) (被评价方)
	RelMergedInto    RelKind = "MERGED_INTO"    // Place → the Place it was merged into, on a date (合并)
	RelContactPoint  RelKind = "CONTACT_POINT"  // Person, PartyOrg or LeadingGroup → the Place, PartyOrg or Unit that is its contact point (联系点)
	RelHeads         RelKind = "HEADS"          // Person → the grid, building, stairwell, organisation or group they head (网格长, 楼栋长, 单元长, 组长)
)

// RelKinds is the allow-list of relationship types.
var RelKinds = []RelKind{RelPartOf, RelStationedIn, RelOrgOf, RelSubordinateTo, RelCoManages, RelCovers,
	RelLedBy, RelHolds, RelSeatOn, RelRepresents, RelMemberOf, RelWorksIn, RelLivesIn, RelReportsTo,
	RelSecondedTo, RelPartyTo, RelAgreementWith, RelUnder, RelProjectIn, RelReportOn, RelOffers, RelClaimed,
	RelOpens, RelLocatedAt, RelAttachedTo, RelVolunteersIn, RelOrganised, RelHeldIn, RelTookPartIn, RelRates,
	RelRatingOf, RelMergedInto, RelContactPoint, RelHeads}

// Valid reports whether k is on the allow-list.
func (k RelKind) Valid() bool { return slices.Contains(RelKinds, k) }

// Provenance says where a node or edge came from.
type Provenance struct {
	// Source is "report:<file>" for curated data, "generated" for synthetic data, or
	// "system:<name>" for data pushed by another system.
	Source string
	// Quote is the report sentence a curated fact was drawn from.
	Quote *string
	// ExternalID is the pushing system's id of the record.
	ExternalID *string
}

// enum is implemented by the string enums below, for GraphQL marshalling.
type enum interface{ ~string }

func marshalEnum[T enum](v T, w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(v))) }

func unmarshalEnum[T enum](dst *T, v any, valid []T, name string) error {
	s, ok := v.(string)
	if !ok || !slices.Contains(valid, T(s)) {
		return FieldError("", "%v is not a valid %s", v, name)
	}
	*dst = T(s)
	return nil
}

// PlaceKind is the level of a place in the territorial hierarchy.
type PlaceKind string

// The place kinds, from the top.
const (
	PlaceProvince  PlaceKind = "PROVINCE"  // 省
	PlaceCity      PlaceKind = "CITY"      // 市 / 县级市
	PlaceDistrict  PlaceKind = "DISTRICT"  // 区
	PlaceCounty    PlaceKind = "COUNTY"    // 县
	PlaceStreet    PlaceKind = "STREET"    // 街道
	PlaceTown      PlaceKind = "TOWN"      // 镇
	PlaceCommunity PlaceKind = "COMMUNITY" // 社区
	PlaceVillage   PlaceKind = "VILLAGE"   // 行政村
	PlaceGrid      PlaceKind = "GRID"      // 网格
	PlaceCompound  PlaceKind = "COMPOUND"  // 楼院 / 小区
	PlaceBuilding  PlaceKind = "BUILDING"  // 楼栋
	PlaceStairwell PlaceKind = "STAIRWELL" // 单元 (a building's stairwell, the lowest level)
)

// PlaceKinds lists the place kinds.
var PlaceKinds = []PlaceKind{PlaceProvince, PlaceCity, PlaceDistrict, PlaceCounty, PlaceStreet, PlaceTown, PlaceCommunity,
	PlaceVillage, PlaceGrid, PlaceCompound, PlaceBuilding, PlaceStairwell}

// MarshalGQL implements graphql.Marshaler.
func (k PlaceKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *PlaceKind) UnmarshalGQL(v any) error { return unmarshalEnum(k, v, PlaceKinds, "PlaceKind") }

// CommunityType is the kind of a community.
type CommunityType string

// The community types.
const (
	CommunityVillageConverted  CommunityType = "VILLAGE_CONVERTED"  // 村改居
	CommunityWorkUnit          CommunityType = "WORK_UNIT"          // 单位型
	CommunityCommercialHousing CommunityType = "COMMERCIAL_HOUSING" // 商品房
	CommunityNewType           CommunityType = "NEW_TYPE"           // 新型社区
)

// CommunityTypes lists the community types.
var CommunityTypes = []CommunityType{CommunityVillageConverted, CommunityWorkUnit, CommunityCommercialHousing, CommunityNewType}

// MarshalGQL implements graphql.Marshaler.
func (k CommunityType) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *CommunityType) UnmarshalGQL(v any) error {
	return unmarshalEnum(k, v, CommunityTypes, "CommunityType")
}

// UnitKind is the kind of a stationed unit.
type UnitKind string

// The unit kinds.
const (
	UnitAgency             UnitKind = "AGENCY"                 // 党政机关
	UnitPublicInstitution  UnitKind = "PUBLIC_INSTITUTION"     // 事业单位
	UnitStateOwned         UnitKind = "STATE_OWNED_ENTERPRISE" // 国有企业
	UnitSchool             UnitKind = "SCHOOL"                 // 学校
	UnitHospital           UnitKind = "HOSPITAL"               // 医院
	UnitFinancial          UnitKind = "FINANCIAL"              // 金融机构
	UnitNonPublic          UnitKind = "NON_PUBLIC_ENTERPRISE"  // 非公企业
	UnitSocialOrganisation UnitKind = "SOCIAL_ORGANISATION"    // 社会组织
	UnitPropertyManagement UnitKind = "PROPERTY_MANAGEMENT"    // 物业公司
	UnitDevelopmentZone    UnitKind = "DEVELOPMENT_ZONE"       // 开发区
)

// UnitKinds lists the unit kinds.
var UnitKinds = []UnitKind{UnitAgency, UnitPublicInstitution, UnitStateOwned, UnitSchool, UnitHospital,
	UnitFinancial, UnitNonPublic, UnitSocialOrganisation, UnitPropertyManagement, UnitDevelopmentZone}

// MarshalGQL implements graphql.Marshaler.
func (k UnitKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *UnitKind) UnmarshalGQL(v any) error { return unmarshalEnum(k, v, UnitKinds, "UnitKind") }

// OrgKind is the kind of a party organisation.
type OrgKind string

// The party organisation kinds.
const (
	OrgWorkingCommittee OrgKind = "WORKING_COMMITTEE" // 党工委 (street)
	OrgCommittee        OrgKind = "COMMITTEE"         // 党委
	OrgGeneralBranch    OrgKind = "GENERAL_BRANCH"    // 党总支
	OrgBranch           OrgKind = "BRANCH"            // 党支部
	OrgGroup            OrgKind = "GROUP"             // 党小组
	OrgTemporaryBranch  OrgKind = "TEMPORARY_BRANCH"  // 临时党支部
	OrgRetireesBranch   OrgKind = "RETIREES_BRANCH"   // 离退休支部
)

// OrgKinds lists the party organisation kinds.
var OrgKinds = []OrgKind{OrgWorkingCommittee, OrgCommittee, OrgGeneralBranch, OrgBranch, OrgGroup,
	OrgTemporaryBranch, OrgRetireesBranch}

// MarshalGQL implements graphql.Marshaler.
func (k OrgKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *OrgKind) UnmarshalGQL(v any) error { return unmarshalEnum(k, v, OrgKinds, "OrgKind") }

// CommitteeKind is the kind of a committee that joins organisations across units.
type CommitteeKind string

// The committee kinds.
const (
	CommitteeBigWorking    CommitteeKind = "BIG_WORKING_COMMITTEE" // 街道大工委 / 街道区域工委
	CommitteeBigParty      CommitteeKind = "BIG_PARTY_COMMITTEE"   // 社区大党委
	CommitteeJointArea     CommitteeKind = "JOINT_AREA_COMMITTEE"  // 联合片区党委
	CommitteeFederation    CommitteeKind = "FEDERATION"            // 区域党建联合会
	CommitteeAlliance      CommitteeKind = "ALLIANCE"              // 党建联合体
	CommitteeCollaboration CommitteeKind = "COLLABORATION_GROUP"   // 党建协作组
	CommitteeThematic      CommitteeKind = "THEMATIC_COMMITTEE"    // 专题委员会 of a street's 区域工委
)

// CommitteeKinds lists the committee kinds.
var CommitteeKinds = []CommitteeKind{CommitteeBigWorking, CommitteeBigParty, CommitteeJointArea,
	CommitteeFederation, CommitteeAlliance, CommitteeCollaboration, CommitteeThematic}

// MarshalGQL implements graphql.Marshaler.
func (k CommitteeKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *CommitteeKind) UnmarshalGQL(v any) error {
	return unmarshalEnum(k, v, CommitteeKinds, "CommitteeKind")
}

// MemberCategory is a party member's category.
type MemberCategory string

// The member categories.
const (
	MemberInService   MemberCategory = "IN_SERVICE"   // 在职党员
	MemberRetired     MemberCategory = "RETIRED"      // 离退休党员
	MemberFloating    MemberCategory = "FLOATING"     // 流动党员
	MemberWithoutPost MemberCategory = "WITHOUT_POST" // 无职党员
)

// MemberCategories lists the member categories.
var MemberCategories = []MemberCategory{MemberInService, MemberRetired, MemberFloating, MemberWithoutPost}

// MarshalGQL implements graphql.Marshaler.
func (k MemberCategory) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *MemberCategory) UnmarshalGQL(v any) error {
	return unmarshalEnum(k, v, MemberCategories, "MemberCategory")
}

// SeatRole is the role a seat gives on a committee.
type SeatRole string

// The seat roles.
const (
	RoleChair          SeatRole = "CHAIR"            // 书记 / 主席
	RoleRotatingChair  SeatRole = "ROTATING_CHAIR"   // 轮值主席
	RoleGroupLeader    SeatRole = "GROUP_LEADER"     // 组长 (collaboration group)
	RolePartTimeMember SeatRole = "PART_TIME_MEMBER" // 兼职委员
	RoleMember         SeatRole = "MEMBER"           // 成员单位
)

// SeatRoles lists the seat roles.
var SeatRoles = []SeatRole{RoleChair, RoleRotatingChair, RoleGroupLeader, RolePartTimeMember, RoleMember}

// MarshalGQL implements graphql.Marshaler.
func (k SeatRole) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *SeatRole) UnmarshalGQL(v any) error { return unmarshalEnum(k, v, SeatRoles, "SeatRole") }

// ProjectCategory is one of Shangjie's five categories of joint projects.
type ProjectCategory string

// The project categories.
const (
	ProjectSharedPositions      ProjectCategory = "SHARED_POSITIONS"      // 党建阵地共享
	ProjectMemberEducation      ProjectCategory = "MEMBER_EDUCATION"      // 党员教育管理
	ProjectCommunityServices    ProjectCategory = "COMMUNITY_SERVICES"    // 社区服务优化
	ProjectStandardisation      ProjectCategory = "STANDARDISATION"       // 党建标准化建设
	ProjectGovernanceInnovation ProjectCategory = "GOVERNANCE_INNOVATION" // 基层治理创新
)

// ProjectCategories lists the project categories.
var ProjectCategories = []ProjectCategory{ProjectSharedPositions, ProjectMemberEducation,
	ProjectCommunityServices, ProjectStandardisation, ProjectGovernanceInnovation}

// MarshalGQL implements graphql.Marshaler.
func (k ProjectCategory) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *ProjectCategory) UnmarshalGQL(v any) error {
	return unmarshalEnum(k, v, ProjectCategories, "ProjectCategory")
}

// ProjectStatus is where a joint project stands.
type ProjectStatus string

// The project statuses, in order.
const (
	StatusProposed   ProjectStatus = "PROPOSED"    // 双征双议 提出
	StatusApproved   ProjectStatus = "APPROVED"    // 确定
	StatusInProgress ProjectStatus = "IN_PROGRESS" // 推进中
	StatusCompleted  ProjectStatus = "COMPLETED"   // 完成
	StatusAccepted   ProjectStatus = "ACCEPTED"    // 验收
)

// ProjectStatuses lists the project statuses in order.
var ProjectStatuses = []ProjectStatus{StatusProposed, StatusApproved, StatusInProgress, StatusCompleted, StatusAccepted}

// MarshalGQL implements graphql.Marshaler.
func (k ProjectStatus) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *ProjectStatus) UnmarshalGQL(v any) error {
	return unmarshalEnum(k, v, ProjectStatuses, "ProjectStatus")
}

// String implements fmt.Stringer for log output.
func (k NodeKind) String() string { return string(k) }

var _ fmt.Stringer = KindPlace
