package graph

import (
	"context"
	"sync"
	"sync/atomic"
)

// RoundTrips counts the Cypher statements sent to the database for one request (each a round
// trip); the store adds one per statement it runs for a context that carries a counter, with
// the statement's name (the first 32 names are kept, for the slow-operation log).
type RoundTrips struct {
	n     atomic.Int64
	mu    sync.Mutex
	names []string
}

type roundTripsKey struct{}

// WithRoundTrips returns a context that counts round trips, and the counter.
func WithRoundTrips(ctx context.Context) (context.Context, *RoundTrips) {
	c := &RoundTrips{}
	return context.WithValue(ctx, roundTripsKey{}, c), c
}

// CountRoundTrip adds one to the context's counter, if it has one.
func CountRoundTrip(ctx context.Context) { CountStatement(ctx, "") }

// CountStatement adds one named statement to the context's counter, if it has one.
func CountStatement(ctx context.Context, name string) {
	if c, ok := ctx.Value(roundTripsKey{}).(*RoundTrips); ok {
		c.n.Add(1)
		if name != "" {
			c.mu.Lock()
			if len(c.names) < 32 {
				c.names = append(c.names, name)
			}
			c.mu.Unlock()
		}
	}
}

// Names are the names of the statements counted so far (the first 32).
func (c *RoundTrips) Names() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.names...)
}

type requestIDKey struct{}

// WithRequestID returns a context that carries the request's id (X-Request-Id).
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID is the id of the context's request, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
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
