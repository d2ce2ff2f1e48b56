package resolvers

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/resolvers/generated"
)

// Every type, field, argument and enum value of the schema is described, so that GraphiQL's
// documentation explains the domain; the graph's types give their Chinese term.
func TestSchemaIsDocumented(t *testing.T) {
	for _, def := range schema().Types {
		if def.BuiltIn || strings.HasPrefix(def.Name, "__") {
			continue
		}
		if strings.TrimSpace(def.Description) == "" {
			t.Errorf("type %s has no description", def.Name)
		} else if graph.NodeKind(def.Name).Valid() && !hasHan(def.Description) {
			t.Errorf("type %s's description gives no Chinese term", def.Name)
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			if strings.TrimSpace(f.Description) == "" {
				t.Errorf("%s.%s has no description", def.Name, f.Name)
			}
		}
		for _, v := range def.EnumValues {
			if strings.TrimSpace(v.Description) == "" {
				t.Errorf("%s.%s has no description", def.Name, v.Name)
			}
		}
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

// The schema's enums and the explorer's styles follow the graph's allow-lists, the single source
// of truth: every node kind, relationship kind and place kind, and nothing else.
func TestEnumsAndStylesFollowTheAllowLists(t *testing.T) {
	enum := func(name string) []string {
		var out []string
		for _, v := range schema().Types[name].EnumValues {
			out = append(out, v.Name)
		}
		return out
	}
	same := func(what string, got, want []string) {
		t.Helper()
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: %v, want the allow-list %v", what, got, want)
		}
	}
	var nodeKinds []string // the labels, in the enum's capitals
	for _, k := range graph.NodeKinds {
		nodeKinds = append(nodeKinds, k.EnumName())
	}
	same("NodeKind", enum("NodeKind"), nodeKinds)
	same("RelationshipKind", enum("RelationshipKind"), graph.EnumStrings(graph.RelKinds))
	same("PlaceKind", enum("PlaceKind"), graph.EnumStrings(graph.PlaceKinds))
	same("ActivityKind", enum("ActivityKind"), graph.EnumStrings(graph.ActivityKinds))
	same("EvaluationKind", enum("EvaluationKind"), graph.EnumStrings(graph.EvaluationKinds))
	same("HeadRole", enum("HeadRole"), graph.EnumStrings(graph.HeadRoles))
	same("CoverageKind", enum("CoverageKind"), graph.EnumStrings(graph.CoverageKinds))
	same("CoverageLevel", enum("CoverageLevel"), graph.EnumStrings(graph.CoverageLevels))
	src, err := os.ReadFile("../web/src/explore/style.js")
	if err != nil {
		t.Fatal(err)
	}
	styles := func(table string) []string {
		body := string(src)[strings.Index(string(src), "export const "+table+" = {"):]
		body = body[:strings.Index(body, "};")]
		var keys []string
		for _, m := range regexp.MustCompile(`(?m)([A-Za-z_]+): \[`).FindAllStringSubmatch(body, -1) {
			keys = append(keys, m[1])
		}
		return keys
	}
	same("explorer NODE_STYLE", styles("NODE_STYLE"), nodeKinds)
	same("explorer REL_STYLE", styles("REL_STYLE"), graph.EnumStrings(graph.RelKinds))
}

// Every argument of every field says what it does, in GraphiQL's documentation explorer.
func TestEveryArgumentIsDescribed(t *testing.T) {
	missing := map[string]int{}
	n := 0
	for _, def := range schema().Types {
		if strings.HasPrefix(def.Name, "__") {
			continue
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue // introspection's own
			}
			for _, a := range f.Arguments {
				if strings.TrimSpace(a.Description) == "" {
					missing[a.Name]++
					n++
				}
			}
		}
	}
	if n > 0 {
		t.Fatalf("%d arguments without a description, by name: %v", n, missing)
	}
}

// Every field of Statistics says which parts of the statistics statement it needs: a figure
// the store was not asked to compute would come out as zero.
func TestEveryStatisticsFieldNamesItsParts(t *testing.T) {
	for _, f := range schema().Types["Statistics"].Fields {
		if !graph.StatisticsFieldKnown(f.Name) {
			t.Errorf("Statistics.%s is not in graph's statisticsFields", f.Name)
		}
	}
	if graph.PartsOfStatistics([]string{"communities", "aNewFigure"}) != nil {
		t.Error("an unknown field must ask for every part")
	}
	if p := graph.PartsOfStatistics([]string{"members", "coverageRate"}); len(p) != 2 || !p.Has(graph.StatMembers) || !p.Has(graph.StatCoverage) || p.Has(graph.StatUnits) {
		t.Errorf("members and coverageRate need members and coverage, got %v", p)
	}
}

// schema is the executable schema's definition.
func schema() *ast.Schema { return generated.NewExecutableSchema(generated.Config{}).Schema() }
