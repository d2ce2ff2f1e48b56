package server

import (
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

func TestSelectionDepth(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `
type Query { a: A }
type A { b: A, c: Int }`})
	for _, tc := range []struct {
		query string
		want  int
	}{
		{`{ a { c } }`, 2},
		{`{ a { b { b { c } } } a2: a { c } }`, 4},
		{`{ a { ...F } } fragment F on A { b { c } }`, 3},
		{`{ a { ... on A { b { b { c } } } } }`, 4},
		{`{ __typename }`, 1},
	} {
		doc, err := gqlparser.LoadQuery(schema, tc.query)
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		if got := SelectionDepth(doc.Operations[0].SelectionSet); got != tc.want {
			t.Errorf("SelectionDepth(%s) = %d, want %d", tc.query, got, tc.want)
		}
	}
}
