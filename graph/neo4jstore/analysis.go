package neo4jstore

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gongjian/gongjian/graph"
)

// The analysts' questions. Each is one statement, anchored at a place (or node) given by id so
// that it reads only that part of the graph.

// orderBy picks a sort expression from a fixed table; keys outside it are refused.
func orderBy(o graph.Order, exprs map[graph.SortKey]string, def graph.SortKey, tie string, reversed bool) (string, error) {
	key := o.Key
	if key == "" {
		key = def
	}
	expr, ok := exprs[key]
	if !ok {
		keys := make([]string, 0, len(exprs))
		for k := range exprs {
			keys = append(keys, string(k))
		}
		slices.Sort(keys)
		return "", graph.FieldError("orderBy.key", "this list sorts by %s, not %s", strings.Join(keys, ", "), key)
	}
	return fmt.Sprintf("ORDER BY %s %s, %s", expr, direction(o.Descending, reversed), ties(tie, reversed)), nil
}

// readAnchored runs a statement anchored at a place that returns one row with a boolean
// `found` (NOT_FOUND on field when false), an integer `total`, and a list `page` whose rows go
// to row. It returns the total and the record, for any other columns.
func (s *Store) readAnchored(ctx context.Context, query string, params map[string]any, field, id string, row func(cols []any)) (int, *neo4j.Record, error) {
	var total int
	var rec *neo4j.Record
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, query, params)
		if err != nil {
			return err
		}
		if rec, err = res.Single(ctx); err != nil {
			return err
		}
		if err := placeMissing(rec, field, id); err != nil {
			return err
		}
		total = int(integer(rec, "total"))
		rows, _ := rec.Get("page")
		for _, r := range rows.([]any) {
			row(r.([]any))
		}
		return nil
	})
	return total, rec, err
}

// placeMissing makes a statement fail with NOT_FOUND when the anchor place does not exist.
func placeMissing(rec *neo4j.Record, field, id string) error {
	if ok, _ := rec.Get("found"); ok != true {
		return &graph.Error{Code: graph.NotFound, Field: field, Message: fmt.Sprintf("no place has the id %q", id)}
	}
	return nil
}

// crossUnitReporters is the shared part of the reporting questions: the members who report to a
// community under $within and belong to no organisation of that community (nor one under it).
//
// Each community's own organisations are gathered once, and each reporter's memberships are
// looked up among them: walking the organisations down from the community for every reporter
// cost Liaoyuan's statistics 3.7 million of their 10.5 million db hits.
const crossUnitReporters = `MATCH (w:Place {id: $within})
MATCH (c:Place)-[:PART_OF*0..]->(w)
WITH DISTINCT c
CALL (c) {
  OPTIONAL MATCH (own:PartyOrg)-[:SUBORDINATE_TO*0..3]->(:PartyOrg)-[:ORG_OF]->(c)
  RETURN collect(DISTINCT own) AS own
}
MATCH (m:Person)-[r:REPORTS_TO]->(c)
WHERE %s
  AND NOT EXISTS {
    MATCH (m)-[mo:MEMBER_OF]->(x:PartyOrg)
    WHERE x IN own AND %s
  }`

// crossUnitMatch adds to crossUnitReporters each reporter's work unit and organisation.
const crossUnitMatch = crossUnitReporters + `
WITH m, r, c,
     head(COLLECT { MATCH (m)-[:WORKS_IN]->(u:Unit) RETURN u ORDER BY u.id }) AS u,
     head(COLLECT { MATCH (m)-[mo:MEMBER_OF]->(o:PartyOrg) WHERE %s RETURN o ORDER BY mo.since DESC, o.id }) AS o
%s`

func reportingConds(f graph.ReportingFilter, params map[string]any) (string, error) {
	params["within"] = f.Within
	if f.Within == "" {
		return "", graph.FieldError("filter.within", "within is required: the place whose communities receive the members")
	}
	params["asOf"] = dbtype.Date(f.On().Time)
	rc := []string{"coalesce(r.since, $asOf) <= $asOf", "coalesce(r.until, $asOf) >= $asOf"}
	mc := "coalesce(mo.since, $asOf) <= $asOf AND coalesce(mo.until, $asOf) >= $asOf"
	if len(f.Categories) > 0 {
		params["categories"] = graph.EnumStrings(f.Categories)
		rc = append(rc, "m.category IN $categories")
	}
	after := ""
	if len(f.WorkUnitKinds) > 0 {
		params["unitKinds"] = graph.EnumStrings(f.WorkUnitKinds)
		after = "WHERE u.kind IN $unitKinds"
	}
	return fmt.Sprintf(crossUnitMatch, strings.Join(rc, " AND "), mc, mc, after), nil
}

// CrossUnitReports lists the members who report to a community under f.Within whose
// organisation is not that community's (see crossUnitMatch).
func (s *Store) CrossUnitReports(ctx context.Context, f graph.ReportingFilter, o graph.Order, sl graph.Slice) (*graph.ReportPage, error) {
	params := pageParams(sl, map[string]any{})
	match, err := reportingConds(f, params)
	if err != nil {
		return nil, err
	}
	order, err := orderBy(o, map[graph.SortKey]string{graph.SortName: "m.name", graph.SortSince: "r.since",
		graph.SortID: "m.id"}, graph.SortName, "m.id, c.id", sl.FromEnd)
	if err != nil {
		return nil, err
	}
	query := fmt.Sprintf(`OPTIONAL MATCH (found:Place {id: $within})
CALL () {
  %[1]s
  RETURN count(*) AS total
}
CALL () {
  %[1]s
  WITH m, r, c, u, o %[2]s %[3]s
  RETURN collect([m, r, c, u, o, startNode(r).id, endNode(r).id]) AS page
}
RETURN found IS NOT NULL AS found, total, page`, match, order, skipLimit(sl))
	page := &graph.ReportPage{Offset: sl.Offset}
	page.Total, _, err = s.readAnchored(ctx, query, params, "filter.within", f.Within, func(cols []any) {
		item := &graph.CrossUnitReport{
			MemberNode:    toNode(cols[0].(dbtype.Node)),
			CommunityNode: toNode(cols[2].(dbtype.Node)),
			Rel:           toRelationship(cols[1].(dbtype.Relationship), cols[5].(string), cols[6].(string)),
		}
		if u, ok := cols[3].(dbtype.Node); ok {
			item.WorkUnitNode = toNode(u)
		}
		if org, ok := cols[4].(dbtype.Node); ok {
			item.OrganisationNode = toNode(org)
		}
		page.Items = append(page.Items, item)
	})
	if err != nil {
		return nil, err
	}
	page.Items, page.Offset = fromEnd(page.Items, sl, page.Total)
	return page, nil
}

// ReportingFlows groups cross-unit reporters by their source (work unit, or organisation
// when they work in none) and the community they report to.
func (s *Store) ReportingFlows(ctx context.Context, f graph.ReportingFilter, o graph.Order, sl graph.Slice) (*graph.FlowPage, error) {
	params := pageParams(sl, map[string]any{})
	match, err := reportingConds(f, params)
	if err != nil {
		return nil, err
	}
	order, err := orderBy(o, map[graph.SortKey]string{graph.SortCount: "n", graph.SortName: "coalesce(src.name, src.id)"},
		graph.SortCount, "src.id, c.id", false)
	if err != nil {
		return nil, err
	}
	if o.Key == "" {
		order = "ORDER BY n DESC, src.id, c.id"
	}
	query := fmt.Sprintf(`OPTIONAL MATCH (found:Place {id: $within})
CALL () {
  %[1]s
  WITH coalesce(u, o) AS src, c, count(DISTINCT m) AS n
  WITH src, c, n %[2]s
  RETURN collect([src, c, n]) AS flows
}
RETURN found IS NOT NULL AS found, size(flows) AS total, reduce(t = 0, f IN flows | t + f[2]) AS members,
       `+cut("flows")+` AS page`, match, order)
	page := &graph.FlowPage{Offset: sl.Offset}
	total, rec, err := s.readAnchored(ctx, query, params, "filter.within", f.Within, func(cols []any) {
		fl := &graph.Flow{CommunityNode: toNode(cols[1].(dbtype.Node)), Members: int(cols[2].(int64))}
		if src, ok := cols[0].(dbtype.Node); ok {
			fl.SourceNode = toNode(src)
		}
		page.Items = append(page.Items, fl)
	})
	if err != nil {
		return nil, err
	}
	page.Total, page.Members = total, int(integer(rec, "members"))
	page.Offset, _ = sl.Window(page.Total)
	return page, nil
}

// CoverageGaps lists the communities and villages under f.Within that fewer than f.MinUnits
// distinct units cover (with the filter's unit and coverage kinds, as of its date).
func (s *Store) CoverageGaps(ctx context.Context, f graph.GapFilter, o graph.Order, sl graph.Slice) (*graph.GapPage, error) {
	if err := f.Coverage.Validate(); err != nil {
		return nil, err
	}
	if f.MinUnits < 1 {
		return nil, graph.FieldError("minUnits", "minUnits must be at least 1, got %d", f.MinUnits)
	}
	params := pageParams(sl, map[string]any{"within": f.Within, "min": int64(f.MinUnits)})
	conds := []string{"true"}
	if len(f.Coverage.UnitKinds) > 0 {
		params["unitKinds"] = graph.EnumStrings(f.Coverage.UnitKinds)
		conds = append(conds, "u.kind IN $unitKinds")
	}
	if len(f.Coverage.Kinds) > 0 {
		params["kinds"] = graph.EnumStrings(f.Coverage.Kinds)
		conds = append(conds, "kind IN $kinds")
	}
	levels := f.Coverage.LevelsOr(graph.LevelDirect)
	params["levels"] = graph.EnumStrings(levels)
	conds = append(conds, "level IN $levels")
	params["asOf"] = dbtype.Date(f.Coverage.On().Time)
	conds = append(conds, heldOn)
	order, err := orderBy(o, map[graph.SortKey]string{graph.SortCount: "n", graph.SortName: "c.name", graph.SortID: "c.id"},
		graph.SortCount, "c.name, c.id", false)
	if err != nil {
		return nil, err
	}
	union := strings.ReplaceAll(coverageUnionAt(levels), "RETURN u, c,", "RETURN u,")
	query := fmt.Sprintf(`OPTIONAL MATCH (found:Place {id: $within})
CALL () {
  MATCH (w:Place {id: $within})
  MATCH (c:Place)-[:PART_OF*0..]->(w)
  WHERE c.kind IN ['COMMUNITY', 'VILLAGE'] AND `+standing("c")+`
  WITH DISTINCT c
  CALL (c) {
    CALL (c) {%[1]s
    }
    WITH u, kind, level, ns, rs WHERE %[2]s
    RETURN count(DISTINCT u) AS n
  }
  WITH c, n WHERE n < $min
  WITH c, n %[3]s
  RETURN collect([c, n]) AS gaps
}
RETURN found IS NOT NULL AS found, size(gaps) AS total, `+cut("gaps")+` AS page`, union, strings.Join(conds, " AND "), order)
	page := &graph.GapPage{Offset: sl.Offset}
	page.Total, _, err = s.readAnchored(ctx, query, params, "within", f.Within, func(cols []any) {
		page.Items = append(page.Items, &graph.Gap{PlaceNode: toNode(cols[0].(dbtype.Node)), CoveringUnits: int(cols[1].(int64))})
	})
	if err != nil {
		return nil, err
	}
	page.Offset, _ = sl.Window(page.Total)
	return page, nil
}

// StreetsWithoutSeats lists the streets and towns under within whose big working committee
// holds no seat, or that have none.
func (s *Store) StreetsWithoutSeats(ctx context.Context, within string, sl graph.Slice) ([]*graph.StreetWithoutSeats, int, error) {
	params := pageParams(sl, map[string]any{"within": within})
	query := `OPTIONAL MATCH (found:Place {id: $within})
CALL () {
  MATCH (w:Place {id: $within})
  MATCH (st:Place)-[:PART_OF*0..]->(w)
  WHERE st.kind IN ['STREET', 'TOWN']
  WITH DISTINCT st
  OPTIONAL MATCH (k:Committee {kind: 'BIG_WORKING_COMMITTEE'})-[:COVERS]->(st)
  WITH st, k WHERE k IS NULL OR NOT EXISTS { (k)<-[:SEAT_ON]-(:Seat) }
  WITH st, k ORDER BY st.name, st.id
  RETURN collect([st, k]) AS rows
}
RETURN found IS NOT NULL AS found, size(rows) AS total, ` + cut("rows") + ` AS page`
	var out []*graph.StreetWithoutSeats
	total, _, err := s.readAnchored(ctx, query, params, "within", within, func(cols []any) {
		item := &graph.StreetWithoutSeats{StreetNode: toNode(cols[0].(dbtype.Node))}
		if k, ok := cols[1].(dbtype.Node); ok {
			item.CommitteeNode = toNode(k)
		}
		out = append(out, item)
	})
	return out, total, err
}

// SeatsByUnitKind counts, for each committee id, its seats by the kind of the unit that holds
// them (directly or through its party organisation); seats held otherwise count as "OTHER".
func (s *Store) SeatsByUnitKind(ctx context.Context, ids []string) (map[string][]*graph.KindCount, error) {
	out := map[string][]*graph.KindCount{}
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, `UNWIND $ids AS id
MATCH (k:Committee {id: id})<-[:SEAT_ON]-(s:Seat)<-[:HOLDS]-(h)
WITH id, s, CASE WHEN h:Unit THEN h.kind ELSE head(COLLECT { MATCH (h)-[:ORG_OF]->(u:Unit) RETURN u.kind }) END AS kind
WITH id, coalesce(kind, 'OTHER') AS kind, count(s) AS n ORDER BY n DESC, kind
RETURN id, collect([kind, n]) AS counts`, map[string]any{"ids": ids})
		if err != nil {
			return err
		}
		for res.Next(ctx) {
			rec := res.Record()
			counts, _ := rec.Get("counts")
			for _, c := range counts.([]any) {
				pair := c.([]any)
				out[str(rec, "id")] = append(out[str(rec, "id")], &graph.KindCount{Kind: pair[0].(string), Count: int(pair[1].(int64))})
			}
		}
		return res.Err()
	})
	return out, err
}

// Representatives lists the people who represent seats on at least minCommittees distinct
// committees that cover a place under within.
func (s *Store) Representatives(ctx context.Context, within string, minCommittees int, o graph.Order, sl graph.Slice) ([]*graph.Representative, int, error) {
	if minCommittees < 1 {
		return nil, 0, graph.FieldError("minCommittees", "minCommittees must be at least 1, got %d", minCommittees)
	}
	order, err := orderBy(o, map[graph.SortKey]string{graph.SortCount: "n", graph.SortName: "p.name", graph.SortID: "p.id"},
		graph.SortCount, "p.name, p.id", false)
	if err != nil {
		return nil, 0, err
	}
	if o.Key == "" {
		order = "ORDER BY n DESC, p.name, p.id"
	}
	params := pageParams(sl, map[string]any{"within": within, "min": int64(minCommittees)})
	query := fmt.Sprintf(`OPTIONAL MATCH (found:Place {id: $within})
CALL () {
  MATCH (w:Place {id: $within})
  MATCH (x:Place)-[:PART_OF*0..]->(w)
  WITH DISTINCT x
  MATCH (x)<-[:COVERS]-(k:Committee)<-[:SEAT_ON]-(s:Seat)<-[:REPRESENTS]-(p:Person)
  WITH p, collect(DISTINCT k) AS ks, collect(DISTINCT s) AS ss
  WITH p, size(ks) AS n, ss WHERE n >= $min
  WITH p, n, ss %s
  RETURN collect([p, n, ss]) AS rows
}
RETURN found IS NOT NULL AS found, size(rows) AS total, `+cut("rows")+` AS page`, order)
	var out []*graph.Representative
	total, _, err := s.readAnchored(ctx, query, params, "within", within, func(cols []any) {
		r := &graph.Representative{PersonNode: toNode(cols[0].(dbtype.Node)), Committees: int(cols[1].(int64))}
		for _, sn := range cols[2].([]any) {
			r.SeatNodes = append(r.SeatNodes, toNode(sn.(dbtype.Node)))
		}
		out = append(out, r)
	})
	return out, total, err
}

// MaxPathDepth bounds the connections question.
const MaxPathDepth = 8

// Paths returns the shortest paths between two nodes, up to maxDepth relationships, over the
// given relationship kinds (all when none), ignoring direction.
func (s *Store) Paths(ctx context.Context, from, to string, maxDepth int, kinds []graph.RelKind, sl graph.Slice) (*graph.PathPage, error) {
	if maxDepth < 1 || maxDepth > MaxPathDepth {
		return nil, graph.FieldError("maxDepth", "maxDepth must be between 1 and %d, got %d", MaxPathDepth, maxDepth)
	}
	types := make([]string, 0, len(kinds))
	for _, k := range kinds {
		if !k.Valid() {
			return nil, graph.FieldError("relationshipKinds", "unknown relationship kind %q", k)
		}
		types = append(types, string(k))
	}
	rel := ""
	if len(types) > 0 {
		// Types come from the allow-list checked above; the depth is a checked integer.
		rel = ":" + strings.Join(types, "|")
	}
	query := fmt.Sprintf(`OPTIONAL MATCH (a:Entity {id: $from})
OPTIONAL MATCH (b:Entity {id: $to})
CALL (a, b) {
  MATCH p = allShortestPaths((a)-[%s*..%d]-(b))
  WHERE a <> b
  WITH p ORDER BY [n IN nodes(p) | n.id]
  RETURN collect(p) AS paths
}
RETURN a IS NOT NULL AS fromFound, b IS NOT NULL AS toFound, size(paths) AS total, `+cut("paths")+` AS page`, rel, maxDepth)
	page := &graph.PathPage{Offset: sl.Offset}
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, query, pageParams(sl, map[string]any{"from": from, "to": to}))
		if err != nil {
			return err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return err
		}
		for _, end := range []struct{ col, field, id string }{{"fromFound", "from", from}, {"toFound", "to", to}} {
			if ok, _ := rec.Get(end.col); ok != true {
				return &graph.Error{Code: graph.NotFound, Field: end.field, Message: fmt.Sprintf("no node has the id %q", end.id)}
			}
		}
		page.Total = int(integer(rec, "total"))
		paths, _ := rec.Get("page")
		for _, p := range paths.([]any) {
			dp := p.(dbtype.Path)
			ns, rs := make([]any, len(dp.Nodes)), make([]any, len(dp.Relationships))
			for i, n := range dp.Nodes {
				ns[i] = n
			}
			for i, r := range dp.Relationships {
				rs[i] = r
			}
			page.Items = append(page.Items, toPath(ns, rs))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	page.Offset, _ = sl.Window(page.Total)
	return page, nil
}

// luceneSpecial matches the characters Lucene's query syntax gives a meaning to.
var luceneSpecial = regexp.MustCompile(`[+\-!(){}\[\]^"~*?:\\/&|]`)

// searchKinds are the node kinds that search covers (the labels of the full-text index).
var searchKinds = []graph.NodeKind{graph.KindPlace, graph.KindUnit, graph.KindPartyOrg, graph.KindCommittee, graph.KindPerson}

// Search finds places, units, organisations, committees and people by any part of their name.
// Text of two characters or more goes to the full-text index (CJK bigrams), ranked by its
// score, names that equal or start with the text first; a single character is matched with
// the names' text indexes, names that equal it first, then the shortest.
func (s *Store) Search(ctx context.Context, text string, kinds []graph.NodeKind, sl graph.Slice) (*graph.SearchPage, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, graph.FieldError("text", "text must not be empty")
	}
	if len([]rune(text)) > 50 {
		return nil, graph.FieldError("text", "text must be at most 50 characters")
	}
	labels := []string{}
	for _, k := range kinds {
		if !slices.Contains(searchKinds, k) {
			return nil, graph.FieldError("kinds", "cannot search %s nodes", k)
		}
		labels = append(labels, string(k))
	}
	if len(labels) == 0 {
		for _, k := range searchKinds {
			labels = append(labels, string(k))
		}
	}
	params := pageParams(sl, map[string]any{"text": text, "labels": labels})
	var query string
	if len([]rune(text)) >= 2 {
		// Every term must match: the index splits Chinese into bigrams. The index is updated
		// after commit (writes do not wait for it); the search waits for the updates of the
		// writes committed before it, so it sees them.
		// Lower case, so that AND, OR and NOT are words to find, not operators (the index
		// lower-cases what it keeps).
		params["q"] = luceneSpecial.ReplaceAllStringFunc(strings.ToLower(text), func(m string) string { return `\` + m })
		query = `CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()
CALL db.index.fulltext.queryNodes('entity_search', $q, {defaultOperator: 'AND'}) YIELD node, score
WITH node AS n, score WHERE any(l IN labels(n) WHERE l IN $labels) AND n.name CONTAINS $text
WITH n, score + CASE WHEN n.name = $text THEN 100 WHEN n.name STARTS WITH $text THEN 10 ELSE 0 END AS score
ORDER BY score DESC, size(n.name), n.name, n.id
WITH collect([n, score]) AS hits
RETURN size(hits) AS total, ` + cut("hits") + ` AS page`
	} else {
		var alts []string
		for _, l := range labels {
			alts = append(alts, fmt.Sprintf("MATCH (n:%s) WHERE n.name CONTAINS $text RETURN n", l))
		}
		query = fmt.Sprintf(`CALL () {
  %s
}
WITH n, CASE WHEN n.name = $text THEN 100.0 WHEN n.name STARTS WITH $text THEN 10.0 ELSE 1.0 END / size(n.name) AS score
ORDER BY score DESC, n.name, n.id
WITH collect([n, score]) AS hits
RETURN size(hits) AS total, `+cut("hits")+` AS page`, strings.Join(alts, "\n  UNION\n  "))
	}
	page := &graph.SearchPage{Offset: sl.Offset}
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, query, params)
		if err != nil {
			return err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return err
		}
		page.Total = int(integer(rec, "total"))
		hits, _ := rec.Get("page")
		for _, h := range hits.([]any) {
			pair := h.([]any)
			score, _ := pair[1].(float64)
			page.Items = append(page.Items, &graph.SearchHit{Hit: toNode(pair[0].(dbtype.Node)), Score: score})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	page.Offset, _ = sl.Window(page.Total)
	return page, nil
}

// downUnion is a kind's within patterns as a UNION over a bound (w) that returns m.
func downUnion(kind graph.NodeKind) string {
	var alts []string
	for _, p := range withinPatterns[kind] {
		alts = append(alts, fmt.Sprintf("MATCH %s WHERE m:%s RETURN m", p, kind))
	}
	return strings.Join(alts, " UNION ")
}

func kindCounts(rec *neo4j.Record, key string) []*graph.KindCount {
	v, _ := rec.Get(key)
	list, _ := v.([]any)
	out := make([]*graph.KindCount, 0, len(list))
	for _, x := range list {
		pair := x.([]any)
		k, _ := pair[0].(string)
		out = append(out, &graph.KindCount{Kind: k, Count: int(pair[1].(int64))})
	}
	return out
}
