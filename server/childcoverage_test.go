package server_test

import (
	"fmt"
	"testing"
)

// The coverage per street (Statistics.coverageByChild) adds up to the place's own covered
// communities at each level, on several dates and places, and each rate is its count's share.
func TestCoverageByChildAddsUp(t *testing.T) {
	srv := demoServer(t)
	for _, c := range []struct{ place, asOf string }{
		{"place:zhongyuan", "2017-12-31"}, {"place:zhongyuan", "2016-01-01"}, {"place:xinmi", "2018-11-06"},
		{"place:liaoyuan", "2021-03-31"}, {"place:xinmi:jinfenglu", "2018-11-06"},
	} {
		t.Run(c.place+"@"+c.asOf, func(t *testing.T) {
			data := srv.gql(t, `query($p: ID!, $d: Date) { statistics(place: $p, asOf: $d) {
				communities villages coverageByLevel { level coveredCommunities }
				coverageByChild { place { id name } communities coveredDirect directRate coveredIndirect indirectRate } } }`,
				map[string]any{"p": c.place, "d": c.asOf})
			want := map[string]int{}
			for _, l := range dig(t, data, "statistics.coverageByLevel").([]any) {
				m := l.(map[string]any)
				want[m["level"].(string)] = int(m["coveredCommunities"].(float64))
			}
			total, direct, indirect := 0, 0, 0
			children := dig(t, data, "statistics.coverageByChild").([]any)
			for _, ch := range children {
				m := ch.(map[string]any)
				n, d, i := int(m["communities"].(float64)), int(m["coveredDirect"].(float64)), int(m["coveredIndirect"].(float64))
				if d > n || i > n {
					t.Errorf("%v: %d direct, %d indirect of %d", m["place"], d, i, n)
				}
				if n > 0 && fmt.Sprintf("%.6f", m["directRate"]) != fmt.Sprintf("%.6f", float64(d)/float64(n)) {
					t.Errorf("%v: direct rate %v for %d of %d", m["place"], m["directRate"], d, n)
				}
				total, direct, indirect = total+n, direct+d, indirect+i
			}
			if all := num(t, data, "statistics.communities") + num(t, data, "statistics.villages"); total != all && len(children) > 0 {
				t.Errorf("children hold %d communities and villages, the place %d", total, all)
			}
			if len(children) > 0 && (direct != want["DIRECT"] || indirect != want["INDIRECT"]) {
				t.Errorf("children add up to %d direct and %d indirect, the place has %v", direct, indirect, want)
			}
			if c.place == "place:xinmi:jinfenglu" && len(children) != 0 {
				t.Errorf("a community has children with coverage: %v", children)
			}
			if c.place == "place:zhongyuan" && len(children) < 12 {
				t.Errorf("中原区 has %d children, want its 12 streets at least", len(children))
			}
		})
	}
}
