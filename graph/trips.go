package graph

import (
	"context"
	"sync/atomic"
)

// RoundTrips counts the Cypher statements sent to the database for one request (each a round
// trip); the store adds one per statement it runs for a context that carries a counter.
type RoundTrips struct{ n atomic.Int64 }

type roundTripsKey struct{}

// WithRoundTrips returns a context that counts round trips, and the counter.
func WithRoundTrips(ctx context.Context) (context.Context, *RoundTrips) {
	c := &RoundTrips{}
	return context.WithValue(ctx, roundTripsKey{}, c), c
}

// CountRoundTrip adds one to the context's counter, if it has one.
func CountRoundTrip(ctx context.Context) {
	if c, ok := ctx.Value(roundTripsKey{}).(*RoundTrips); ok {
		c.n.Add(1)
	}
}

// Count is the number of round trips so far.
func (c *RoundTrips) Count() int64 { return c.n.Load() }

// AddRoundTrips adds n to the context's counter, if it has one: the statements of a commit
// that carried the request's writes together with others'.
func AddRoundTrips(ctx context.Context, n int64) {
	if c, ok := ctx.Value(roundTripsKey{}).(*RoundTrips); ok {
		c.n.Add(n)
	}
}
