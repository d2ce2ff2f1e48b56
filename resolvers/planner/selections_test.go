package planner

import (
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// connectionSelection parses `{ c <sel> }` and returns the selection made on c.
func connectionSelection(t *testing.T, sel string) ast.SelectionSet {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: "{ c " + sel + " } fragment f on X { totalCount }"})
	if err != nil {
		t.Fatal(err)
	}
	return doc.Operations[0].SelectionSet[0].(*ast.Field).SelectionSet
}

// A connection is left uncounted only when nothing selected on it needs its length.
func TestEntriesOnly(t *testing.T) {
	for sel, want := range map[string]bool{
		`{ nodes { id } }`:                              true,
		`{ edges { node { id } } __typename }`:          true,
		`{ totalCount nodes { id } }`:                   false,
		`{ pageInfo { hasNextPage } edges { cursor } }`: false,
		`{ n: totalCount }`:                             false,
		`{ nodes { id } ...f }`:                         false,
		`{ nodes { id } ... on X { nodes { id } } }`:    false,
	} {
		if got := entriesOnly(connectionSelection(t, sel)); got != want {
			t.Errorf("%s: entriesOnly %t, want %t", sel, got, want)
		}
	}
}
