package server

import (
	"context"
	"time"
)

// aggregateKeeper keeps the statistics of the large places computed (the store does, for the
// kinds its configuration names), reading the feed's position every interval; Run starts it
// once the schema is applied and stops it on shutdown.
type aggregateKeeper interface {
	RunAggregates(ctx context.Context, interval time.Duration)
	// AggregateCounts are the questions answered from the figures kept, those answered from
	// the graph because they were stale, and the places' figures computed (for /metrics).
	AggregateCounts() (served, stale, made int64)
}
