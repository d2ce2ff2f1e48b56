package seed

import (
	"fmt"
	"hash/fnv"

	"github.com/gongjian/gongjian/graph"
)

// The scale profiles: a city of about 2,000 communities, 20,000 units and 400,000 members,
// and a province of ten such cities, generated deterministically with the reports' ratios.
// They are generated one district at a time (a chunk), so that a province never has to be
// held in memory whole.
//
// The ratios, per community unless said otherwise, and where they come from:
//   - a district has 12 streets and about 95 communities (中原区: 12 个街道, 94 个社区);
//   - 10 stationed units per community, each with its party branch (20,000 units per 2,000);
//   - 200 members per community (400,000 per 2,000; 中原区 has 22,373 for 94), in the
//     categories' mix of the demo: 3 in 7 in service, 2 retired, 1 without post, 1 floating;
//   - 40% of the in-service members report to the community they live in (在职党员到社区报到);
//   - a street's 大工委 seats 6 units and a community's 大党委 2 (中原区: 261 units for 106);
//   - 3 co-building agreements per community (中原区: 309 for 94), each with a project in one
//     of Shangjie's five categories, and a progress report once the project is under way;
//   - 3 service posts per community, claimed by half the reporting members;
//   - 4 grids per community (辽源: 521 grids for 50 communities, about 10);
//   - 2 volunteer teams per community with a tenth of the members (上街: 336 teams, 3,000 members);
//   - one red station per street with 5 floating members (惠济: 14 stations, 240 members).

// scaleParams sizes a scale profile.
type scaleParams struct {
	cities         int
	districts      int // per city
	communities    int // per city
	unitsPer       int // per community
	membersPer     int // per community
	streetsPer     int // per district
	gridsPer       int
	agreementsPer  int
	postsPer       int
	teamsPer       int
	bwcSeats       int // per street
	bpcSeats       int // per community
	reportsPercent int // of in-service members
}

var cityParams = scaleParams{cities: 1, districts: 21, communities: 2000, unitsPer: 10, membersPer: 200,
	streetsPer: 12, gridsPer: 4, agreementsPer: 3, postsPer: 3, teamsPer: 2, bwcSeats: 6, bpcSeats: 2, reportsPercent: 40}

// Source is a profile's data, in chunks that are loaded one after the other. A chunk's
// relationships end at nodes of that chunk or at anchors: nodes made by an earlier chunk.
type Source struct {
	Profile string
	Chunks  int
	chunk   func(i int) *Dataset
}

// Chunk generates chunk i (0 ≤ i < Chunks).
func (s *Source) Chunk(i int) *Dataset { return s.chunk(i) }

// Open returns the source of a profile, generated deterministically from seed.
func Open(profile string, seed uint64) (*Source, error) {
	switch profile {
	case "demo":
		return &Source{Profile: profile, Chunks: 1, chunk: func(int) *Dataset {
			d, _ := Build("demo", seed)
			return d
		}}, nil
	case "city", "province":
		p := cityParams
		if profile == "province" {
			p.cities = 10
		}
		return &Source{Profile: profile, Chunks: p.cities * p.districts, chunk: func(i int) *Dataset {
			return scaleChunk(profile, p, seed, i)
		}}, nil
	}
	return nil, graph.Errorf(graph.BadUserInput, "unknown profile %q (known: %v)", profile, Profiles)
}

// chunkRNG seeds a chunk's generator from the profile's seed and the chunk's number, so that
// every chunk is the same whichever order they are made in.
func chunkRNG(seed uint64, profile string, i int) rng {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%d/%d", profile, seed, i)
	return newRNG(h.Sum64())
}

// scaleChunk generates district i of the profile, with the city (and province) it lies in.
func scaleChunk(profile string, p scaleParams, seed uint64, i int) *Dataset {
	d := NewDataset()
	g := &gen{builder: builder{d}, rng: chunkRNG(seed, profile, i), seq: map[string]int{}}
	ci, di := i/p.districts, i%p.districts
	city := fmt.Sprintf("place:%s:c%d", profile, ci)
	cityOrg := "org:" + city[len("place:"):]
	// The shared nodes: made by the city's first chunk, anchors in the others.
	if di == 0 {
		var parent string
		if profile == "province" {
			parent = "place:province"
			if ci == 0 {
				g.place(parent, "示范省", graph.PlaceProvince, "", generated)
			} else {
				d.Anchor(graph.KindPlace, parent)
			}
		}
		g.place(city, chunkRNG(seed, profile, -1-ci).word2()+"市", graph.PlaceCity, parent, generated)
		g.org(cityOrg, g.placeName(city)+"委", graph.OrgCommittee, city, "", generated)
	} else {
		d.Anchor(graph.KindPlace, city)
		d.Anchor(graph.KindPartyOrg, cityOrg)
	}
	base := fmt.Sprintf("%s:d%d", city[len("place:"):], di)
	g.scope = base
	district := g.place("place:"+base, g.fresh("区"), graph.PlaceDistrict, city, generated)
	districtOrg := g.org("org:"+base, g.placeName(district)+"委", graph.OrgCommittee, district, cityOrg, generated)

	n := p.communities / p.districts
	if di < p.communities%p.districts {
		n++
	}
	streets := make([]string, p.streetsPer)
	streetOrgs := make([]string, p.streetsPer)
	bwc := make([]string, p.streetsPer)
	for s := range streets {
		id := fmt.Sprintf("%s:s%d", base, s)
		streets[s] = g.place("place:"+id, g.fresh("街道"), graph.PlaceStreet, district, generated)
		streetOrgs[s] = g.org("org:"+id, g.placeName(streets[s])+"党工委", graph.OrgWorkingCommittee, streets[s], districtOrg, generated)
		bwc[s] = g.committee("committee:"+id+":bwc", g.placeName(streets[s])+"大工委", graph.CommitteeBigWorking, []string{streets[s]}, streetOrgs[s], generated)
	}
	communities := make([]string, n)
	communityOrgs := make([]string, n)
	bpc := make([]string, n)
	for c := range communities {
		s := c % len(streets)
		id := fmt.Sprintf("%s:s%d:c%d", base, s, c)
		communities[c] = g.community("place:"+id, g.fresh("社区"), pick(g.rng, graph.CommunityTypes), streets[s], generated)
		g.Node(graph.KindPlace, communities[c], generated, map[string]any{"serviceAreaM2": int64(300 + g.IntN(2200))})
		communityOrgs[c] = g.org("org:"+id, g.placeName(communities[c])+"党委", graph.OrgCommittee, communities[c], streetOrgs[s], generated)
		bpc[c] = g.committee("committee:"+id+":bpc", g.placeName(communities[c])+"大党委", graph.CommitteeBigParty, []string{communities[c]}, communityOrgs[c], generated)
		for k := range p.gridsPer {
			g.place(fmt.Sprintf("place:%s:g%d", id, k), fmt.Sprintf("第%d网格", k+1), graph.PlaceGrid, communities[c], generated)
		}
	}
	// Units, each with its branch; a fifth are stationed in the street rather than a community.
	units := make([]string, 0, n*p.unitsPer)
	unitsOf := make([][]string, n) // by community, for seats and pairings
	for c := range communities {
		for k := range p.unitsPer {
			kind := unitKindsMix[(c+k)%len(unitKindsMix)]
			at := communities[c]
			if k%5 == 4 {
				at = streets[c%len(streets)]
			}
			id := fmt.Sprintf("unit:%s:c%d:u%d", base, c, k)
			g.unit(id, g.word(2)+pick(g.rng, unitNameSuffix[kind]), kind, at, generated)
			g.org(orgOf(id), g.unitName(id)+"党支部", graph.OrgBranch, id, "", generated)
			units = append(units, id)
			unitsOf[c] = append(unitsOf[c], id)
		}
	}
	// Seats on the big committees.
	for c := range communities {
		for k := range p.bpcSeats {
			g.seat(bpc[c], unitsOf[c][k], graph.RolePartTimeMember, "", fmt.Sprintf("%d-03-01", 2015+g.IntN(5)), 0, generated)
		}
	}
	for s := range streets {
		for k := range p.bwcSeats {
			c := (s + k*len(streets)) % n
			g.seat(bwc[s], unitsOf[c][len(unitsOf[c])-1-k%3], graph.RolePartTimeMember, "", fmt.Sprintf("%d-06-01", 2014+g.IntN(5)), 0, generated)
		}
	}
	// Agreements, projects and their reports.
	for c := range communities {
		for k := range p.agreementsPer {
			u := unitsOf[(c+k+1)%n][k]
			signed := fmt.Sprintf("%d-%02d-15", 2015+g.IntN(6), 1+g.IntN(12))
			ag := g.agreement(fmt.Sprintf("agreement:%s:c%d:a%d", base, c, k), g.unitName(u)+"—"+g.placeName(communities[c])+"共建协议", []string{u}, communities[c], signed, generated)
			status := graph.ProjectStatuses[g.IntN(len(graph.ProjectStatuses))]
			pr := g.project(fmt.Sprintf("project:%s:c%d:a%d", base, c, k), fmt.Sprintf("联建项目%d-%d", c+1, k+1),
				graph.ProjectCategories[(c+k)%len(graph.ProjectCategories)], status, ag, communities[c], generated)
			if status != graph.StatusProposed && status != graph.StatusApproved {
				r := fmt.Sprintf("report:%s:c%d:a%d", base, c, k)
				g.Node(graph.KindProgressReport, r, generated, map[string]any{"title": "项目台账", "status": string(status), "since": date(signed)})
				g.Edge(graph.RelReportOn, r, pr, generated, nil)
			}
		}
	}
	// Service posts, shared resources, volunteer teams and red stations.
	posts := make([][]string, n)
	teams := make([]string, 0, n*p.teamsPer)
	for c := range communities {
		for k := range p.postsPer {
			id := fmt.Sprintf("post:%s:c%d:p%d", base, c, k)
			g.Node(graph.KindServicePost, id, generated, map[string]any{"name": fmt.Sprintf("党员服务岗位%d", k+1)})
			g.Edge(graph.RelOffers, communities[c], id, generated, map[string]any{"since": date("2018-01-01")})
			posts[c] = append(posts[c], id)
		}
		r := fmt.Sprintf("resource:%s:c%d", base, c)
		g.Node(graph.KindSharedResource, r, generated, map[string]any{"name": g.placeName(communities[c]) + "党群服务中心", "kind": "FACILITY"})
		g.Edge(graph.RelOpens, communities[c], r, generated, nil)
		g.Edge(graph.RelLocatedAt, r, communities[c], generated, nil)
		if u := unitsOf[c][0]; c%10 == 0 {
			r := fmt.Sprintf("resource:%s:c%d:u", base, c)
			g.Node(graph.KindSharedResource, r, generated, map[string]any{"name": g.unitName(u) + "活动场地", "kind": "POSITION"})
			g.Edge(graph.RelOpens, u, r, generated, nil)
		}
		for k := range p.teamsPer {
			id := fmt.Sprintf("team:%s:c%d:t%d", base, c, k)
			g.Node(graph.KindVolunteerTeam, id, generated, map[string]any{"name": fmt.Sprintf("%s党员志愿服务队%d", g.placeName(communities[c]), k+1)})
			g.Edge(graph.RelLocatedAt, id, communities[c], generated, nil)
			teams = append(teams, id)
		}
	}
	stations := make([]string, len(streets))
	for s := range streets {
		stations[s] = fmt.Sprintf("redstation:%s:s%d", base, s)
		g.Node(graph.KindRedStation, stations[s], generated, map[string]any{"name": g.word(2) + "项目工地红色驿站"})
		g.Edge(graph.RelLocatedAt, stations[s], streets[s], generated, nil)
	}
	// Members. In-service members belong to the branch of the unit they work in; the others to
	// their community's organisation.
	floating := 0
	for c := range communities {
		for k := range p.membersPer {
			id := fmt.Sprintf("person:%s:c%d:m%d", base, c, k)
			cat := defaultMix[(c+k)%len(defaultMix)]
			g.person(id, g.name(), cat, generated, nil)
			home := communities[(c+g.IntN(3))%n]
			g.Edge(graph.RelLivesIn, id, home, generated, nil)
			org := communityOrgs[c]
			joined := date(fmt.Sprintf("%d-07-01", 1970+g.IntN(50)))
			if cat == graph.MemberInService {
				u := units[g.IntN(len(units))]
				org = orgOf(u)
				g.Edge(graph.RelWorksIn, id, u, generated, map[string]any{"since": date(fmt.Sprintf("%d-09-01", 1995+g.IntN(25)))})
				if g.IntN(100) < p.reportsPercent {
					since := fmt.Sprintf("%d-03-01", 2015+g.IntN(6))
					g.Edge(graph.RelReportsTo, id, home, generated, map[string]any{"since": date(since), "points": int64(g.IntN(100))})
					if g.IntN(2) == 0 {
						hc := indexOf(communities, home)
						g.Edge(graph.RelClaimed, id, posts[hc][g.IntN(len(posts[hc]))], generated, map[string]any{"since": date(since)})
					}
				}
			}
			g.Edge(graph.RelMemberOf, id, org, generated, map[string]any{"since": joined})
			if g.IntN(10) == 0 {
				g.Edge(graph.RelVolunteersIn, id, teams[g.IntN(len(teams))], generated, map[string]any{"since": date("2018-05-01")})
			}
			if cat == graph.MemberFloating && floating < 5*len(stations) {
				g.Edge(graph.RelAttachedTo, id, stations[floating%len(stations)], generated, map[string]any{"since": date("2019-04-01")})
				floating++
			}
		}
	}
	representatives(g)
	return d
}

// word2 is a two-character place word, for names made outside a chunk's generator.
func (r rng) word2() string {
	return string(placeWords[r.IntN(len(placeWords))]) + string(placeWords[r.IntN(len(placeWords))])
}
