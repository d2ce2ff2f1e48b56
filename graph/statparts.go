package graph

// StatisticsPart names a group of the figures of Statistics that the store computes together,
// in one subquery of the statistics statement. A request computes only the parts of the
// figures it selects: a dashboard card asking for communities and members does not pay for the
// coverage of every community.
type StatisticsPart string

// The parts of Statistics. The subtree and its places by kind (streets, communities, …) are
// always computed: every other part starts from them.
const (
	StatCommunityTypes  StatisticsPart = "communityTypes"
	StatUnits           StatisticsPart = "units"
	StatPartyOrgs       StatisticsPart = "partyOrgs"
	StatPartyOrgKinds   StatisticsPart = "partyOrgKinds"
	StatMembers         StatisticsPart = "members"
	StatReporting       StatisticsPart = "reporting"
	StatCrossUnit       StatisticsPart = "crossUnit"
	StatCoverage        StatisticsPart = "coverage"
	StatCommittees      StatisticsPart = "committees"
	StatAgreements      StatisticsPart = "agreements"
	StatProjects        StatisticsPart = "projects"
	StatProjectStatus   StatisticsPart = "projectStatus"
	StatProjectCategory StatisticsPart = "projectCategory"
	StatPosts           StatisticsPart = "posts"
	StatResources       StatisticsPart = "resources"
	StatLocated         StatisticsPart = "located" // volunteer teams, red stations, merged places
	StatVolunteers      StatisticsPart = "volunteers"
	StatSeconded        StatisticsPart = "seconded"
	StatHeads           StatisticsPart = "heads"
	StatContactPoints   StatisticsPart = "contactPoints"
	StatActivities      StatisticsPart = "activities"
	StatEvaluations     StatisticsPart = "evaluations"
	StatLeadingGroups   StatisticsPart = "leadingGroups"
)

// StatisticsParts is a set of parts to compute; nil means every part.
type StatisticsParts map[StatisticsPart]bool

// Has tells whether the set asks for the part.
func (s StatisticsParts) Has(p StatisticsPart) bool { return s == nil || s[p] }

// statisticsFields say, for each field of the schema's Statistics type, the parts its value
// needs; a field with none is given by the subtree alone or by a resolver of its own
// (coverageByChild, countBy). resolvers' schema test checks that every field of the type is
// listed here, so that a new figure cannot come out as a silent zero.
var statisticsFields = map[string][]StatisticsPart{
	"__typename": nil, "place": nil, "asOf": nil, "levels": nil, "coverageByChild": nil, "countBy": nil,
	"streets": nil, "communities": nil, "villages": nil, "grids": nil, "compounds": nil, "buildings": nil, "stairwells": nil,
	"communitiesByType":            {StatCommunityTypes},
	"units":                        {StatUnits},
	"unitsByKind":                  {StatUnits},
	"partyOrgs":                    {StatPartyOrgs},
	"partyOrgsByKind":              {StatPartyOrgKinds},
	"members":                      {StatMembers},
	"membersByCategory":            {StatMembers},
	"reportingMembers":             {StatReporting},
	"reportingMembersPerCommunity": {StatReporting},
	"crossUnitReporters":           {StatCrossUnit},
	"coveredCommunities":           {StatCoverage},
	"coverageRate":                 {StatCoverage},
	"coverageByLevel":              {StatCoverage},
	"committees":                   {StatCommittees},
	"seats":                        {StatCommittees},
	"agreements":                   {StatAgreements},
	"projects":                     {StatProjects},
	"projectsByStatus":             {StatProjectStatus},
	"projectsByCategory":           {StatProjectCategory},
	"servicePosts":                 {StatPosts},
	"claimedPosts":                 {StatPosts},
	"claims":                       {StatPosts},
	"sharedResources":              {StatResources},
	"volunteerTeams":               {StatLocated},
	"redStations":                  {StatLocated},
	"mergedPlaces":                 {StatLocated},
	"volunteers":                   {StatVolunteers},
	"secondedPeople":               {StatSeconded},
	"headsByRole":                  {StatHeads},
	"contactPoints":                {StatContactPoints},
	"activities":                   {StatActivities},
	"activityOccurrences":          {StatActivities},
	"activityParticipants":         {StatActivities},
	"activitiesByKind":             {StatActivities},
	"evaluations":                  {StatEvaluations},
	"evaluationsByKind":            {StatEvaluations},
	"leadingGroups":                {StatLeadingGroups},
}

// StatisticsFieldKnown tells whether PartsOfStatistics knows the field of Statistics.
func StatisticsFieldKnown(field string) bool {
	_, ok := statisticsFields[field]
	return ok
}

// PartsOfStatistics returns the parts that the selected fields of Statistics need. A field it
// does not know asks for every part (nil): an unknown figure is computed, never left at zero.
func PartsOfStatistics(fields []string) StatisticsParts {
	parts := StatisticsParts{}
	for _, f := range fields {
		ps, ok := statisticsFields[f]
		if !ok {
			return nil
		}
		for _, p := range ps {
			parts[p] = true
		}
	}
	return parts
}
