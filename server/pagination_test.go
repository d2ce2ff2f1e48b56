package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gongjian/gongjian/server"
)

// Relay pagination on every kind of list: forwards with first and after, backwards with last
// and before, last alone from the end; first: 0 an empty page; a cursor of another list, or of
// the same list asked otherwise, refused on its argument.
func TestRelayPagination(t *testing.T) {
	demoServer(t)
	srv := start(t, "", server.Config{})
	type page struct {
		ids             []string
		start, end      string
		hasNext, hasPre bool
		total           float64
	}
	for _, list := range []struct{ name, field, args, node string }{
		{"a root list", "places", `filter: {within: "place:zhongyuan", kinds: [COMMUNITY]}`, "id"},
		{"a relationship list", "node(id: \"place:zhongyuan\") { ... on Place { children", ``, "id"},
		{"an answer list", "coverage", `place: "place:xinmi:jinfenglu"`, "kind unit { id }"},
		{"search", "search", `text: "街道", kinds: [PLACE]`, "node { id }"},
	} {
		ask := func(args string) (page, []string) {
			t.Helper()
			all := strings.TrimPrefix(list.args+", "+args, ", ")
			field, closing := list.field, ""
			if strings.Contains(field, "{") { // a list below a node
				closing = " } }"
			}
			q := fmt.Sprintf(`{ %s(%s) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { %s } } }%s }`,
				field, all, list.node, closing)
			_, resp := srv.post(t, q, nil)
			var errs []string
			for _, e := range resp.Errors {
				errs = append(errs, fmt.Sprint(e.Extensions["code"], " ", e.Extensions["field"]))
			}
			if len(errs) > 0 {
				return page{}, errs
			}
			conn := resp.Data
			for _, k := range strings.Fields(strings.NewReplacer("(", " ", ")", " ", "{", " ", "...", " ").Replace(field)) {
				if m, ok := conn[k].(map[string]any); ok {
					conn = m
				}
			}
			var p page
			p.total = conn["totalCount"].(float64)
			info := conn["pageInfo"].(map[string]any)
			p.hasNext, p.hasPre = info["hasNextPage"].(bool), info["hasPreviousPage"].(bool)
			p.start, _ = info["startCursor"].(string)
			p.end, _ = info["endCursor"].(string)
			for _, e := range conn["edges"].([]any) {
				p.ids = append(p.ids, fmt.Sprint(e.(map[string]any)["node"]))
			}
			return p, nil
		}
		all, errs := ask("first: 200")
		if errs != nil || len(all.ids) < 7 {
			t.Fatalf("%s: the whole list: %v %v", list.name, all.ids, errs)
		}
		n := len(all.ids)
		p1, _ := ask("first: 3")
		p2, _ := ask(fmt.Sprintf("first: 3, after: %q", p1.end))
		if strings.Join(p1.ids, " ") != strings.Join(all.ids[:3], " ") || strings.Join(p2.ids, " ") != strings.Join(all.ids[3:6], " ") ||
			!p1.hasNext || p1.hasPre || !p2.hasPre {
			t.Errorf("%s: forwards: %v then %v", list.name, p1, p2)
		}
		last, _ := ask("last: 3")
		if strings.Join(last.ids, " ") != strings.Join(all.ids[n-3:], " ") || last.hasNext || !last.hasPre {
			t.Errorf("%s: the last 3: %v, want %v", list.name, last.ids, all.ids[n-3:])
		}
		back, _ := ask(fmt.Sprintf("last: 2, before: %q", p2.start))
		if strings.Join(back.ids, " ") != strings.Join(all.ids[1:3], " ") || !back.hasPre || !back.hasNext {
			t.Errorf("%s: the 2 before the 4th: %v, want %v", list.name, back, all.ids[1:3])
		}
		none, _ := ask("first: 0")
		if len(none.ids) != 0 || !none.hasNext || none.start != "" || none.end != "" || none.total != all.total {
			t.Errorf("%s: first 0: %+v", list.name, none)
		}
		if _, errs := ask("first: 2, last: 2"); len(errs) == 0 || !strings.HasPrefix(errs[0], "BAD_USER_INPUT") {
			t.Errorf("%s: first and last: %v", list.name, errs)
		}
	}
	// A cursor of one list is refused by another, and by the same list asked otherwise.
	_, resp := srv.post(t, `{ places(first: 2) { pageInfo { endCursor } } }`, nil)
	cursor := resp.Data["places"].(map[string]any)["pageInfo"].(map[string]any)["endCursor"].(string)
	for _, q := range []string{
		`{ units(first: 2, after: "` + cursor + `") { totalCount } }`,
		`{ places(first: 2, after: "` + cursor + `", filter: {kinds: [STREET]}) { totalCount } }`,
		`{ places(last: 2, before: "` + cursor + `", orderBy: {key: ID}) { totalCount } }`,
		`{ places(first: 2, after: "o5") { totalCount } }`,
	} {
		_, resp := srv.post(t, q, nil)
		if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "BAD_USER_INPUT" ||
			(resp.Errors[0].Extensions["field"] != "after" && resp.Errors[0].Extensions["field"] != "before") {
			t.Errorf("%s: %v", q, resp.Errors)
		}
	}
	if _, resp := srv.post(t, `{ places(first: 2, after: "`+cursor+`") { totalCount } }`, nil); len(resp.Errors) > 0 {
		t.Errorf("the same list: %v", resp.Errors)
	}
}
