package server_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// A statistics request computes only the parts of the figures it selects. Every figure of the
// schema's Statistics type, asked alone (through an inline fragment, under an alias), equals
// the same figure asked with all the others, and the places are chosen so that most figures
// are not zero: a figure whose part the store skipped would come out as a zero and differ.
func TestStatisticsFigureAskedAloneEqualsAskedWithAll(t *testing.T) {
	srv := demoServer(t)
	typ := srv.gql(t, `{ __type(name: "Statistics") { fields { name args { name } type { ...T ofType { ...T ofType { ...T ofType { ...T } } } } } } }
		fragment T on __Type { kind name fields { name type { kind ofType { kind ofType { kind } } } } }`, nil)
	var selections []struct{ name, sel string }
	for _, f := range dig(t, typ, "__type.fields").([]any) {
		f := f.(map[string]any)
		if len(f["args"].([]any)) > 0 {
			continue // countBy: a question of its own, with its own statement
		}
		named := f["type"].(map[string]any)
		for named["ofType"] != nil {
			named = named["ofType"].(map[string]any)
		}
		sel := ""
		if named["kind"] == "OBJECT" {
			var sub []string
			for _, g := range named["fields"].([]any) {
				g := g.(map[string]any)
				leaf := g["type"].(map[string]any)
				for leaf["ofType"] != nil {
					leaf = leaf["ofType"].(map[string]any)
				}
				if leaf["kind"] == "SCALAR" || leaf["kind"] == "ENUM" {
					sub = append(sub, g["name"].(string))
				}
			}
			if len(sub) == 0 {
				sub = []string{"__typename"}
			}
			sel = "{ " + strings.Join(sub, " ") + " }"
		}
		selections = append(selections, struct{ name, sel string }{f["name"].(string), sel})
	}
	if len(selections) < 40 {
		t.Fatalf("only %d fields of Statistics found", len(selections))
	}
	for _, at := range []struct{ place, asOf string }{{"place:zhongyuan", "2017-12-31"}, {"place:liaoyuan", "2021-03-31"}, {"place:shangjie", ""}} {
		args := fmt.Sprintf(`place: %q`, at.place)
		if at.asOf != "" {
			args += fmt.Sprintf(`, asOf: %q`, at.asOf)
		}
		var all []string
		for _, s := range selections {
			all = append(all, s.name+" "+s.sel)
		}
		full := srv.gql(t, fmt.Sprintf(`{ statistics(%s) { %s } }`, args, strings.Join(all, " ")), nil)["statistics"].(map[string]any)
		nonZero := 0
		for _, s := range selections {
			want := full[s.name]
			if v, ok := want.(float64); ok && v != 0 {
				nonZero++
			}
			if v, ok := want.([]any); ok && len(v) > 0 {
				nonZero++
			}
			alone := srv.gql(t, fmt.Sprintf(`{ s: statistics(%s) { ... on Statistics { x: %s %s } } }`, args, s.name, s.sel), nil)
			if got := dig(t, alone, "s.x"); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %s asked alone is %v, with all the others %v", at.place, s.name, got, want)
			}
		}
		t.Logf("%s: %d of %d figures are not zero", at.place, nonZero, len(selections))
		if nonZero < len(selections)/2 {
			t.Errorf("%s: only %d of %d figures are not zero: the comparison shows little", at.place, nonZero, len(selections))
		}
	}
	// Asked with other figures, the members are counted in a statement of their own (so the
	// comparison above is of one statement against two); asked alone, in one.
	trips := func(sel string) int {
		_, resp := srv.post(t, fmt.Sprintf(`{ trips: statistics(place: "place:zhongyuan") { %s } }`, sel), nil)
		if len(resp.Errors) > 0 {
			t.Fatal(resp.Errors)
		}
		return num(t, resp.Extensions, "dbRoundTrips")
	}
	if alone, with := trips("members"), trips("members communities units"); with != alone+1 {
		t.Errorf("statistics: %v round trips for the members alone, %v with other figures; want one more", alone, with)
	}
}
