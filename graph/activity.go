package graph

import "io"

// The kinds the reports describe beyond ties: activities, evaluations and points, leading
// groups, and the heads of grids, buildings and stairwells.

// ActivityKind is the kind of an activity (活动类型).
type ActivityKind string

// The activity kinds.
const (
	ActivityThemedPartyDay   ActivityKind = "THEMED_PARTY_DAY"  // 主题党日
	ActivityVolunteerService ActivityKind = "VOLUNTEER_SERVICE" // 志愿服务
	ActivityJointMeeting     ActivityKind = "JOINT_MEETING"     // 联席会议
	ActivityVisit            ActivityKind = "VISIT"             // 走访慰问
	ActivityPartyLesson      ActivityKind = "PARTY_LESSON"      // 党课
	ActivityTraining         ActivityKind = "TRAINING"          // 培训
	ActivityCultural         ActivityKind = "CULTURAL"          // 文体、庆祝活动
	ActivityExhibition       ActivityKind = "EXHIBITION"        // 展览
	ActivityOther            ActivityKind = "OTHER"             // 其他
)

// ActivityKinds lists the activity kinds.
var ActivityKinds = []ActivityKind{ActivityThemedPartyDay, ActivityVolunteerService, ActivityJointMeeting,
	ActivityVisit, ActivityPartyLesson, ActivityTraining, ActivityCultural, ActivityExhibition, ActivityOther}

// MarshalGQL implements graphql.Marshaler.
func (k ActivityKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *ActivityKind) UnmarshalGQL(v any) error {
	return unmarshalEnum(k, v, ActivityKinds, "ActivityKind")
}

// EvaluationKind is the kind of an evaluation (评价类型).
type EvaluationKind string

// The evaluation kinds.
const (
	EvaluationMonthlyRecord    EvaluationKind = "MONTHLY_RECORD"    // 每月写实性档案: a street or community of a unit
	EvaluationAnnualRanking    EvaluationKind = "ANNUAL_RANKING"    // 年度评价排序: a street of a unit
	EvaluationUnitReview       EvaluationKind = "UNIT_REVIEW"       // a unit of its street or community (驻区单位对街道、社区评价)
	EvaluationDemocraticReview EvaluationKind = "DEMOCRATIC_REVIEW" // 民主评议 by members' and residents' representatives
	EvaluationOverall          EvaluationKind = "OVERALL"           // 区委总评: the district committee's overall rating
	EvaluationTwoWay           EvaluationKind = "TWO_WAY"           // 双向评价 between streets, communities and units
	EvaluationPoints           EvaluationKind = "POINTS"            // 积分: a member's points
	EvaluationStarRating       EvaluationKind = "STAR_RATING"       // 评星: 五星党员, 五星级党组织
	EvaluationHonour           EvaluationKind = "HONOUR"            // 表彰: 先进党组织, 历练之星, 优秀历练干部
)

// EvaluationKinds lists the evaluation kinds.
var EvaluationKinds = []EvaluationKind{EvaluationMonthlyRecord, EvaluationAnnualRanking, EvaluationUnitReview,
	EvaluationDemocraticReview, EvaluationOverall, EvaluationTwoWay, EvaluationPoints, EvaluationStarRating, EvaluationHonour}

// MarshalGQL implements graphql.Marshaler.
func (k EvaluationKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *EvaluationKind) UnmarshalGQL(v any) error {
	return unmarshalEnum(k, v, EvaluationKinds, "EvaluationKind")
}

// HeadRole is what a person heads, on a HEADS relationship (职务).
type HeadRole string

// The head roles.
const (
	HeadGrid        HeadRole = "GRID_HEAD"      // 网格长
	HeadBuilding    HeadRole = "BUILDING_HEAD"  // 楼栋长
	HeadStairwell   HeadRole = "STAIRWELL_HEAD" // 单元长
	HeadStreet      HeadRole = "STREET_HEAD"    // 街长
	HeadLane        HeadRole = "LANE_HEAD"      // 路巷长
	HeadGroupLeader HeadRole = "GROUP_LEADER"   // 组长 of a leading group or party group (党小组长)
	HeadSecretary   HeadRole = "SECRETARY"      // 书记 of a party organisation
)

// HeadRoles lists the head roles.
var HeadRoles = []HeadRole{HeadGrid, HeadBuilding, HeadStairwell, HeadStreet, HeadLane, HeadGroupLeader, HeadSecretary}

// MarshalGQL implements graphql.Marshaler.
func (k HeadRole) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *HeadRole) UnmarshalGQL(v any) error { return unmarshalEnum(k, v, HeadRoles, "HeadRole") }

// Activity is an activity, or a series of like activities counted together (活动): the
// reports mostly give counts ("主题党日活动530余次"), which a series holds in Occurrences.
type Activity struct{ *Node }

// Kind is the activity's kind.
func (a Activity) Kind() ActivityKind { return ActivityKind(a.Str("kind")) }

// On is the day it was held (for one activity) or the series' first day.
func (a Activity) On() *Date { return a.DatePtr("on") }

// Occurrences is how many times it was held (场次); nil for a single activity.
func (a Activity) Occurrences() *int { return a.IntPtr("occurrences") }

// Participants is the number of participations reported (参与人次).
func (a Activity) Participants() *int { return a.IntPtr("participants") }

// Evaluation is one party's evaluation of another, a member's points or an honour (评价).
type Evaluation struct{ *Node }

// Kind is the evaluation's kind.
func (e Evaluation) Kind() EvaluationKind { return EvaluationKind(e.Str("kind")) }

// Period is the period it covers: a year (2017), a month (2017-03) or a quarter (2017-Q1).
func (e Evaluation) Period() *string { return e.StrPtr("period") }

// Result is its outcome in words: a grade, a rank, an honour (优秀, 五星党员).
func (e Evaluation) Result() *string { return e.StrPtr("result") }

// Score is its score or points (分值, 积分), when it has one.
func (e Evaluation) Score() *float64 { return e.FloatPtr("score") }

// Stars is the number of stars awarded (星级), when it is a star rating.
func (e Evaluation) Stars() *int { return e.IntPtr("stars") }

// LeadingGroup is a leading group of party building (党建工作领导小组, 推进组), led by a party
// organisation whose secretary heads it.
type LeadingGroup struct{ *Node }

// HeadTitle is the office of its head (组长), e.g. 市委书记.
func (g LeadingGroup) HeadTitle() *string { return g.StrPtr("headTitle") }
