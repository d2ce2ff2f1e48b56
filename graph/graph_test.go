package graph_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/gongjian/gongjian/graph"
)

func TestPageSize(t *testing.T) {
	l := graph.PageLimits{Default: 50, Max: 500}
	n := func(i int) *int { return &i }
	for _, tc := range []struct {
		first *int
		want  int
		code  graph.Code
	}{
		{nil, 50, ""}, {n(0), 0, ""}, {n(500), 500, ""},
		{n(501), 0, graph.BadUserInput}, {n(-1), 0, graph.BadUserInput},
	} {
		got, err := l.PageSize(tc.first)
		if tc.code != "" {
			var ge *graph.Error
			if !errors.As(err, &ge) || ge.Code != tc.code || ge.Field != "first" {
				t.Errorf("PageSize(%v): error %v, want %s on field first", *tc.first, err, tc.code)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("PageSize(%v) = %d, %v; want %d", tc.first, got, err, tc.want)
		}
	}
}

func TestErrorCodeAndMessage(t *testing.T) {
	nf := graph.Errorf(graph.NotFound, "no community %q", "c1")
	wrapped := fmt.Errorf("resolving: %w", nf)
	if graph.ErrorCode(wrapped) != graph.NotFound || graph.ErrorMessage(wrapped) != `no community "c1"` {
		t.Fatalf("wrapped domain error: %s %q", graph.ErrorCode(wrapped), graph.ErrorMessage(wrapped))
	}
	plain := errors.New("dial tcp 10.0.0.1:7687: secret detail")
	if graph.ErrorCode(plain) != graph.Internal || graph.ErrorMessage(plain) != "internal error" {
		t.Fatalf("plain error: %s %q", graph.ErrorCode(plain), graph.ErrorMessage(plain))
	}
	internal := &graph.Error{Code: graph.Internal, Message: "cypher failed: MATCH ...", Err: plain}
	if graph.ErrorMessage(internal) != "internal error" {
		t.Fatalf("an INTERNAL error's message must stay generic, got %q", graph.ErrorMessage(internal))
	}
}
