package neo4jstore_test

import (
	"context"
	"testing"
)

// Warming the plans sends each heavy question's statement once, as EXPLAIN: every question
// reaches its statement (no error stops one early), and nothing is read or written.
func TestWarmPlansPlansEachQuestionAndWritesNothing(t *testing.T) {
	s := writeStore(t)
	before := counts(t, s)
	n, err := s.WarmPlans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Errorf("%d statements planned, want one for each of the 5 questions", n)
	}
	if after := counts(t, s); after != before {
		t.Errorf("warming the plans changed the graph: %v → %v", before, after)
	}
	// Statements run as usual afterwards.
	if _, err := s.Statistics(context.Background(), "place:plan-warm-up", nil, nil, nil); err == nil {
		t.Error("statistics of a missing place: no error")
	}
}
