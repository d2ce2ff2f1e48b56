package neo4jstore

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gongjian/gongjian/graph"
)

// held is the Cypher condition that the node or relationship x holds on $asOf: it began (since,
// or its signing) on or before that day, and had not ended (until) before it.
func held(x string) string {
	return fmt.Sprintf("(coalesce(%[1]s.since, %[1]s.signedOn, $asOf) <= $asOf AND coalesce(%[1]s.until, $asOf) >= $asOf)", x)
}

// standing is the Cypher condition that the place p stands on its own on $asOf: it holds then,
// and had not been merged into another place (a merger without a date counts as done).
func standing(p string) string {
	return held(p) + fmt.Sprintf(" AND NOT EXISTS { (%s)-[x:MERGED_INTO]->() WHERE coalesce(x.since, $asOf) <= $asOf }", p)
}

// statBlock is one subquery of the statistics statement: the part it computes, the columns
// it adds to the answer (and to the final RETURN), and the earlier columns it reads besides w
// and places.
type statBlock struct {
	part graph.StatisticsPart
	text string
	// needs is the part whose block defines a collection this one reads (orgs, projects).
	needs graph.StatisticsPart
	// out is what the final RETURN says of the block's columns.
	out string
}

// statBlocks are the subqueries of the statistics statement in order; a block reads (w),
// (places) and the collections of the part it needs. HELD(x) is shorthand for held("x").
var statBlocks = []statBlock{
	{part: graph.StatCommunityTypes, out: "communitiesByType", text: `CALL (places) {
  UNWIND places AS p WITH p WHERE p.kind = 'COMMUNITY'
  WITH coalesce(p.communityType, 'UNKNOWN') AS k, count(*) AS n ORDER BY n DESC, k
  RETURN collect([k, n]) AS communitiesByType
}`},
	{part: graph.StatUnits, out: "unitsByKind", text: `CALL (places) {
  UNWIND places AS p MATCH (u:Unit)-[r:STATIONED_IN]->(p) WHERE HELD(r) AND HELD(u)
  WITH DISTINCT u WITH u.kind AS k, count(*) AS n ORDER BY n DESC, k
  RETURN collect([k, n]) AS unitsByKind
}`},
	{part: graph.StatPartyOrgs, out: "size(orgs) AS partyOrgs",
		text: `CALL (w) { CALL (w) { ` + downUnion(graph.KindPartyOrg) + ` } WITH DISTINCT m WHERE HELD(m) RETURN collect(m) AS orgs }`},
	{part: graph.StatPartyOrgKinds, needs: graph.StatPartyOrgs, out: "partyOrgsByKind", text: `CALL (orgs) {
  UNWIND orgs AS m WITH m.kind AS k, count(*) AS n ORDER BY n DESC, k
  RETURN collect([k, n]) AS partyOrgsByKind
}`},
	{part: graph.StatMembers, out: "membersByCategory", text: `CALL (w) {
  CALL (w) { ` + downUnion(graph.KindPerson) + ` }
  WITH DISTINCT m WHERE m.category IS NOT NULL
    AND (NOT EXISTS { (m)-[:MEMBER_OF]->() } OR EXISTS { (m)-[mo:MEMBER_OF]->() WHERE HELD(mo) })
  WITH m.category AS k, count(*) AS n ORDER BY n DESC, k
  RETURN collect([k, n]) AS membersByCategory
}`},
	{part: graph.StatReporting, out: "reporting",
		text: `CALL (places) { UNWIND places AS p MATCH (m:Person)-[r:REPORTS_TO]->(p) WHERE HELD(r) RETURN count(DISTINCT m) AS reporting }`},
	{part: graph.StatCrossUnit, out: "crossUnit",
		text: `CALL () { ` + fmt.Sprintf(crossUnitReporters, held("r"), held("mo")) + ` RETURN count(DISTINCT m) AS crossUnit }`},
	{part: graph.StatCoverage, out: "covered, coveredDirect, coveredIndirect", text: `CALL (places) {
  UNWIND places AS c
  WITH c WHERE c.kind IN ['COMMUNITY', 'VILLAGE']
  CALL (c) {
    CALL (c) { ` + strings.ReplaceAll(coverageUnion, "RETURN u, c,", "RETURN u,") + ` }
    WITH u, kind, level, ns, rs WHERE ` + heldOn + `
    RETURN collect(DISTINCT level) AS levels
  }
  RETURN sum(CASE WHEN any(l IN levels WHERE l IN $levels) THEN 1 ELSE 0 END) AS covered,
         sum(CASE WHEN 'DIRECT' IN levels THEN 1 ELSE 0 END) AS coveredDirect,
         sum(CASE WHEN 'INDIRECT' IN levels THEN 1 ELSE 0 END) AS coveredIndirect
}`},
	{part: graph.StatCommittees, out: "committees, seats", text: `CALL (places) {
  UNWIND places AS p MATCH (k:Committee)-[x:COVERS]->(p) WHERE HELD(k) AND HELD(x)
  WITH DISTINCT k
  WITH k, COUNT { (k)<-[x:SEAT_ON]-(s:Seat) WHERE HELD(x) AND HELD(s) } AS seats
  WITH k.kind AS kind, count(k) AS n, sum(seats) AS seats ORDER BY n DESC, kind
  RETURN collect([kind, n]) AS committees, sum(seats) AS seats
}`},
	{part: graph.StatAgreements, out: "agreements",
		text: `CALL (places) { UNWIND places AS p MATCH (a:Agreement)-[:WITH]->(p) WHERE HELD(a) RETURN count(DISTINCT a) AS agreements }`},
	{part: graph.StatProjects, out: "size(projects) AS projects", text: `CALL (w) {
  CALL (w) { ` + downUnion(graph.KindProject) + ` }
  WITH DISTINCT m
  RETURN collect(m) AS projects
}`},
	{part: graph.StatProjectStatus, needs: graph.StatProjects, out: "projectsByStatus", text: `CALL (projects) {
  UNWIND projects AS m WITH m.status AS k, count(*) AS n WHERE k IS NOT NULL AND k <> '' WITH k, n ORDER BY n DESC, k
  RETURN collect([k, n]) AS projectsByStatus
}`},
	{part: graph.StatProjectCategory, needs: graph.StatProjects, out: "projectsByCategory", text: `CALL (projects) {
  UNWIND projects AS m WITH m.category AS k, count(*) AS n WHERE k IS NOT NULL AND k <> '' WITH k, n ORDER BY n DESC, k
  RETURN collect([k, n]) AS projectsByCategory
}`},
	{part: graph.StatPosts, out: "posts, claimedPosts, claims", text: `CALL (places) {
  UNWIND places AS p MATCH (p)-[x:OFFERS]->(sp:ServicePost) WHERE HELD(x) AND HELD(sp)
  WITH DISTINCT sp, COUNT { (sp)<-[r:CLAIMED]-() WHERE HELD(r) } AS claims
  RETURN count(sp) AS posts, sum(CASE WHEN claims > 0 THEN 1 ELSE 0 END) AS claimedPosts, sum(claims) AS claims
}`},
	{part: graph.StatResources, out: "resources",
		text: `CALL (w) { CALL (w) { ` + downUnion(graph.KindSharedResource) + ` } WITH DISTINCT m WHERE HELD(m) RETURN count(m) AS resources }`},
	{part: graph.StatLocated, out: "teams, stations, merged", text: `CALL (places) {
  UNWIND places AS p
  RETURN sum(COUNT { (p)<-[:LOCATED_AT]-(m:VolunteerTeam) WHERE HELD(m) }) AS teams,
         sum(COUNT { (p)<-[:LOCATED_AT]-(m:RedStation) WHERE HELD(m) }) AS stations,
         sum(COUNT { (p)<-[x:MERGED_INTO]-(:Place) WHERE coalesce(x.since, $asOf) <= $asOf }) AS merged
}`},
	{part: graph.StatVolunteers, out: "volunteers", text: `CALL (places) {
  UNWIND places AS p
  OPTIONAL MATCH (v:Person)-[r:VOLUNTEERS_IN]->(t:VolunteerTeam)-[:LOCATED_AT]->(p) WHERE HELD(r)
  RETURN count(DISTINCT v) AS volunteers
}`},
	{part: graph.StatSeconded, out: "seconded",
		text: `CALL (places) { UNWIND places AS p MATCH (m:Person)-[r:SECONDED_TO]->(p) WHERE HELD(r) RETURN count(DISTINCT m) AS seconded }`},
	{part: graph.StatHeads, needs: graph.StatPartyOrgs, out: "headsByRole", text: `CALL (places, orgs) {
  UNWIND places + orgs AS p MATCH (:Person)-[r:HEADS]->(p) WHERE HELD(r)
  WITH coalesce(r.role, 'OTHER') AS k, count(*) AS n ORDER BY n DESC, k
  RETURN collect([k, n]) AS headsByRole
}`},
	{part: graph.StatContactPoints, needs: graph.StatPartyOrgs, out: "contactPoints", text: `CALL (places, orgs) {
  UNWIND places + orgs AS p MATCH ()-[r:CONTACT_POINT]->(p) WHERE HELD(r) RETURN count(r) AS contactPoints
}`},
	{part: graph.StatActivities, out: "activities, occurrences, participants, activitiesByKind", text: `CALL (w) {
  CALL (w) { ` + downUnion(graph.KindActivity) + ` }
  WITH DISTINCT m WHERE coalesce(m.on, m.since, $asOf) <= $asOf
  WITH m.kind AS k, count(m) AS n, sum(coalesce(m.occurrences, 1)) AS times, sum(coalesce(m.participants, 0)) AS people
  ORDER BY times DESC, k
  RETURN sum(n) AS activities, sum(times) AS occurrences, sum(people) AS participants, collect([k, times]) AS activitiesByKind
}`},
	{part: graph.StatEvaluations, out: "evaluations, evaluationsByKind", text: `CALL (w) {
  CALL (w) { ` + downUnion(graph.KindEvaluation) + ` }
  WITH DISTINCT m WHERE HELD(m)
  WITH m.kind AS k, count(m) AS n ORDER BY n DESC, k
  RETURN sum(n) AS evaluations, collect([k, n]) AS evaluationsByKind
}`},
	{part: graph.StatLeadingGroups, out: "leadingGroups",
		text: `CALL (w) { CALL (w) { ` + downUnion(graph.KindLeadingGroup) + ` } WITH DISTINCT m WHERE HELD(m) RETURN count(m) AS leadingGroups }`},
}

// statisticsQuery is the one statement of Statistics: the figures of the place w and
// everything under it, as of $asOf; a place, tie or organisation that had ended by then does
// not count, and coverage counts the levels in $levels. Each part's subquery begins with a
// guard on $parts (statisticsParams), so that one text, planned once, computes only the parts
// a request asks for: a part not asked passes no row into its subquery, whose aggregation
// then gives its empty value at no cost. The subtree and its places by kind always come first.
var statisticsQuery = sync.OnceValue(func() string {
	var b strings.Builder
	b.WriteString(`MATCH (w:Place {id: $within})
CALL (w) { MATCH (p:Place)-[:PART_OF*0..]->(w) WHERE ` + standing("p") + ` RETURN collect(DISTINCT p) AS places }
CALL (places) {
  UNWIND places AS p
  RETURN sum(CASE WHEN p.kind IN ['STREET', 'TOWN'] THEN 1 ELSE 0 END) AS streets,
         sum(CASE WHEN p.kind = 'COMMUNITY' THEN 1 ELSE 0 END) AS communities,
         sum(CASE WHEN p.kind = 'VILLAGE' THEN 1 ELSE 0 END) AS villages,
         sum(CASE WHEN p.kind = 'GRID' THEN 1 ELSE 0 END) AS grids,
         sum(CASE WHEN p.kind = 'COMPOUND' THEN 1 ELSE 0 END) AS compounds,
         sum(CASE WHEN p.kind = 'BUILDING' THEN 1 ELSE 0 END) AS buildings,
         sum(CASE WHEN p.kind = 'STAIRWELL' THEN 1 ELSE 0 END) AS stairwells
}
`)
	out := []string{"w, streets, communities, villages, grids, compounds, buildings, stairwells"}
	for _, blk := range statBlocks {
		open := strings.Index(blk.text, "{") + 1
		guard := fmt.Sprintf(" WITH * WHERE $parts.%s", blk.part)
		if strings.HasPrefix(blk.text, "CALL () {") {
			guard = fmt.Sprintf(" WITH $parts.%s AS asked WHERE asked", blk.part)
		}
		b.WriteString(blk.text[:open] + guard + "\n" + blk.text[open:] + "\n")
		out = append(out, blk.out)
	}
	b.WriteString("RETURN " + strings.Join(out, ", "))
	return heldMark.ReplaceAllStringFunc(b.String(), func(m string) string { return held(m[5 : len(m)-1]) })
})

// statisticsParams is $parts: for each part, whether the statement computes it, because it is
// asked or because a part asked reads its collections.
func statisticsParams(parts graph.StatisticsParts) map[string]any {
	out := make(map[string]any, len(statBlocks))
	for _, blk := range statBlocks {
		out[string(blk.part)] = parts.Has(blk.part)
	}
	for _, blk := range statBlocks {
		if blk.needs != "" && parts.Has(blk.part) {
			out[string(blk.needs)] = true
		}
	}
	return out
}

// heldMark is statisticsQuery's shorthand for held: HELD(x).
var heldMark = regexp.MustCompile(`HELD\(\w+\)`)

// Statistics computes the figures of a place and everything under it as of a date (today when
// asOf is nil), counting coverage at the given levels, in one statement, or two at once when
// the members are asked with other figures (statisticsRecord). Only the parts asked are
// computed (all of them when parts is nil); the figures of the others are zero, or given
// too when the answer comes from the figures kept.
//
// For a place whose statistics the store keeps (Config.AggregateKinds), a question about today
// is answered from the figures kept when nothing has been written since they were computed
// (aggregates.go), in one small statement.
func (s *Store) Statistics(ctx context.Context, placeID string, asOf *graph.Date, levels []graph.CoverageLevel, parts graph.StatisticsParts) (*graph.Statistics, error) {
	on := graph.Today()
	if asOf != nil {
		on = *asOf
	}
	if len(levels) == 0 {
		levels = []graph.CoverageLevel{graph.LevelDirect}
	}
	if st, ok, err := s.aggregated(ctx, placeID, on, levels); err != nil || ok {
		return st, err
	}
	return s.statisticsLive(ctx, placeID, on, levels, parts, !s.cfg.StatisticsInOneStatement)
}

// statisticsLive computes Statistics from the graph; split lets it count the members in a
// statement of their own, at the same time as the rest (statisticsRecord).
func (s *Store) statisticsLive(ctx context.Context, placeID string, on graph.Date, levels []graph.CoverageLevel, parts graph.StatisticsParts, split bool) (*graph.Statistics, error) {
	params := map[string]any{"within": placeID, "asOf": dbtype.Date(on.Time), "levels": graph.EnumStrings(levels),
		"parts": statisticsParams(parts)}
	rec, err := s.statisticsRecord(ctx, placeID, params, parts, split)
	if err != nil {
		return nil, err
	}
	w, _ := rec.Get("w")
	num := func(k string) int { return int(integer(rec, k)) }
	st := &graph.Statistics{PlaceNode: toNode(w.(dbtype.Node)), AsOf: on, Levels: levels,
		Streets: num("streets"), Communities: num("communities"), Villages: num("villages"), Grids: num("grids"),
		Compounds: num("compounds"), Buildings: num("buildings"), Stairwells: num("stairwells"),
		PartyOrgs: num("partyOrgs"), ReportingMembers: num("reporting"), CrossUnitReporters: num("crossUnit"),
		CoveredCommunities: num("covered"), Seats: num("seats"), Agreements: num("agreements"), Projects: num("projects"),
		ServicePosts: num("posts"), ClaimedPosts: num("claimedPosts"), Claims: num("claims"),
		SharedResources: num("resources"), VolunteerTeams: num("teams"), RedStations: num("stations"),
		MergedPlaces: num("merged"), ContactPoints: num("contactPoints"), Activities: num("activities"),
		ActivityOccurrences: num("occurrences"), ActivityParticipants: num("participants"),
		Evaluations: num("evaluations"), LeadingGroups: num("leadingGroups"), Volunteers: num("volunteers"), SecondedPeople: num("seconded"),
		UnitsByKind: kindCounts(rec, "unitsByKind"), MembersByCategory: kindCounts(rec, "membersByCategory"),
		Committees: kindCounts(rec, "committees"), ProjectsByStatus: kindCounts(rec, "projectsByStatus"),
		ProjectsByCategory: kindCounts(rec, "projectsByCategory"), CommunitiesByType: kindCounts(rec, "communitiesByType"),
		PartyOrgsByKind: kindCounts(rec, "partyOrgsByKind"), HeadsByRole: kindCounts(rec, "headsByRole"),
		ActivitiesByKind: kindCounts(rec, "activitiesByKind"), EvaluationsByKind: kindCounts(rec, "evaluationsByKind")}
	for _, k := range st.UnitsByKind {
		st.Units += k.Count
	}
	for _, k := range st.MembersByCategory {
		st.Members += k.Count
	}
	n := st.Communities + st.Villages
	for _, l := range []struct {
		level graph.CoverageLevel
		n     int
	}{{graph.LevelDirect, num("coveredDirect")}, {graph.LevelIndirect, num("coveredIndirect")}} {
		lc := &graph.LevelCoverage{Level: l.level, CoveredCommunities: l.n}
		if n > 0 {
			lc.CoverageRate = float64(l.n) / float64(n)
		}
		st.CoverageByLevel = append(st.CoverageByLevel, lc)
	}
	return st, nil
}

// CountBy counts the nodes of a kind that lie in a place (see withinPatterns) and hold on a
// date, by the value of one of their properties; nodes without it are not counted. The
// property's name is a parameter of the statement, never part of its text.
func (s *Store) CountBy(ctx context.Context, placeID string, kind graph.NodeKind, property string, asOf *graph.Date) ([]*graph.KindCount, error) {
	if !kind.Valid() {
		return nil, graph.FieldError("kind", "unknown node kind %q", kind)
	}
	on := graph.Today()
	if asOf != nil {
		on = *asOf
	}
	query := fmt.Sprintf(`MATCH (w:Place {id: $within})
CALL (w) { %s }
WITH DISTINCT m WHERE %s
WITH toStringOrNull(m[$property]) AS k WHERE k IS NOT NULL
WITH k, count(*) AS n ORDER BY n DESC, k
RETURN collect([k, n]) AS counts`, downUnion(kind), held("m"))
	var out []*graph.KindCount
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, query, map[string]any{"within": placeID, "property": property, "asOf": dbtype.Date(on.Time)})
		if err != nil {
			return err
		}
		if res.Next(ctx) {
			out = kindCounts(res.Record(), "counts")
		}
		return res.Err()
	})
	return out, err
}
