package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// A table is the first list of a GraphQL answer laid out as rows: one column per leaf field
// of the list's entries (nested objects flattened, their headers joined with "·"), one row per
// entry. Headers are the Chinese names the schema gives the fields in their descriptions
// ("The place's name (名称)") and the field's name where it gives none.
type table struct {
	Headers []string
	Rows    [][]any // string, json.Number, bool or nil
}

// member is a key and value of a JSON object, in the order of the answer.
type member struct {
	key   string
	value any
}

// object is a JSON object that keeps its members' order (GraphQL answers follow the order of
// the selection, and so do a sheet's columns).
type object []member

// decodeOrdered reads one JSON value keeping the order of objects' members; numbers stay
// json.Number.
func decodeOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			var o object
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				o = append(o, member{k.(string), v})
			}
			_, err := dec.Token()
			return o, err
		case '[':
			a := []any{}
			for dec.More() {
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			_, err := dec.Token()
			return a, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	default:
		return t, nil
	}
}

// errNoList says that an answer holds no list to lay out.
var errNoList = errors.New("the answer holds no list")

// firstList finds the first list in the data, in the order of the answer, with the selection
// of its entries (nil for a list of scalars).
func firstList(data object, sel ast.SelectionSet) ([]any, *ast.Field, bool) {
	for _, m := range data {
		f := fieldOf(sel, m.key)
		var inner ast.SelectionSet
		if f != nil {
			inner = f.SelectionSet
		}
		switch v := m.value.(type) {
		case []any:
			return v, f, true
		case object:
			if list, lf, ok := firstList(v, inner); ok {
				return list, lf, true
			}
		}
	}
	return nil, nil, false
}

// fieldOf is the field of a selection set that an answer's key stands for (its alias, or its
// name), looking into fragments.
func fieldOf(sel ast.SelectionSet, key string) *ast.Field {
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if s.Alias == key || (s.Alias == "" && s.Name == key) {
				return s
			}
		case *ast.InlineFragment:
			if f := fieldOf(s.SelectionSet, key); f != nil {
				return f
			}
		case *ast.FragmentSpread:
			if s.Definition != nil {
				if f := fieldOf(s.Definition.SelectionSet, key); f != nil {
					return f
				}
			}
		}
	}
	return nil
}

// chineseTerm finds the first parenthesised Chinese term of a description: "(名称)", "(上级地区)".
var chineseTerm = regexp.MustCompile(`[(（]([^()（）]*\p{Han}[^()（）]*)[)）]`)

// headerOf names one step of a column: the field's Chinese name, or its key.
func headerOf(f *ast.Field, key string) string {
	if f != nil && f.Definition != nil {
		if m := chineseTerm.FindStringSubmatch(f.Definition.Description); m != nil {
			for _, part := range strings.FieldsFunc(m[1], func(r rune) bool { return strings.ContainsRune(",，;；:：", r) }) {
				if han.MatchString(part) {
					return strings.TrimSpace(part)
				}
			}
		}
	}
	return key
}

var han = regexp.MustCompile(`\p{Han}`)

// tabulate lays out the first list of the data, selected by sel, as a table.
func tabulate(data object, sel ast.SelectionSet) (*table, error) {
	list, lf, ok := firstList(data, sel)
	if !ok {
		return nil, errNoList
	}
	var inner ast.SelectionSet
	if lf != nil {
		inner = lf.SelectionSet
	}
	cols := map[string]int{}
	t := &table{}
	var rows []map[int]any
	for _, entry := range list {
		row := map[int]any{}
		o, isObject := entry.(object)
		if !isObject {
			o = object{{key: "", value: entry}}
		}
		flatten(o, inner, "", "", func(path, header string, v any) {
			i, seen := cols[path]
			if !seen {
				i = len(t.Headers)
				cols[path] = i
				if header == "" && lf != nil {
					header = headerOf(lf, lf.Alias)
				}
				t.Headers = append(t.Headers, header)
			}
			row[i] = v
		})
		rows = append(rows, row)
	}
	for _, row := range rows {
		cells := make([]any, len(t.Headers))
		for i := range cells {
			cells[i] = row[i]
		}
		t.Rows = append(t.Rows, cells)
	}
	return t, nil
}

// flatten calls cell for each leaf of an entry with its column path and header. Nested lists
// become one cell, their entries' leaves joined by spaces and the entries by "；".
func flatten(o object, sel ast.SelectionSet, path, header string, cell func(path, header string, v any)) {
	for _, m := range o {
		f := fieldOf(sel, m.key)
		p, h := m.key, headerOf(f, m.key)
		if path != "" {
			p, h = path+"."+m.key, header+"·"+h
		}
		if m.key == "" {
			p, h = "", ""
		}
		var inner ast.SelectionSet
		if f != nil {
			inner = f.SelectionSet
		}
		switch v := m.value.(type) {
		case object:
			flatten(v, inner, p, h, cell)
		case []any:
			cell(p, h, joined(v))
		default:
			cell(p, h, v)
		}
	}
}

// joined writes a nested list as one cell: "SCHOOL 3；HOSPITAL 2".
func joined(list []any) string {
	parts := make([]string, 0, len(list))
	for _, e := range list {
		var b bytes.Buffer
		var leaves func(v any)
		leaves = func(v any) {
			switch v := v.(type) {
			case object:
				for _, m := range v {
					leaves(m.value)
				}
			case []any:
				b.WriteString(joined(v))
			case nil:
			default:
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				fmt.Fprint(&b, v)
			}
		}
		leaves(e)
		parts = append(parts, b.String())
	}
	return strings.Join(parts, "；")
}
