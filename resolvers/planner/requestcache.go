package planner

import (
	"context"
	"sync"
	"sync/atomic"
)

// requestCache holds the pages loaded for one GraphQL operation.
type requestCache struct {
	mu     sync.Mutex
	values map[string]any // loader key + "\x00" + node id
	misses atomic.Int64   // fields that found no page and loaded their own
}

// PrefetchMisses is the number of fields of the operation that found nothing prefetched and
// loaded their own value (a round trip each): zero for every query the planner understands.
func PrefetchMisses(ctx context.Context) int64 {
	if c, ok := ctx.Value(cacheKey{}).(*requestCache); ok {
		return c.misses.Load()
	}
	return 0
}

type cacheKey struct{}

// WithRequestCache gives an operation its cache; the server calls it around every operation.
func WithRequestCache(ctx context.Context) context.Context {
	return context.WithValue(ctx, cacheKey{}, &requestCache{values: map[string]any{}})
}

func cacheOf(ctx context.Context) *requestCache {
	if c, ok := ctx.Value(cacheKey{}).(*requestCache); ok {
		return c
	}
	return &requestCache{values: map[string]any{}} // no sharing: correct, unbatched
}

func (c *requestCache) get(key, id string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.values[key+"\x00"+id]
	return v, ok
}

func (c *requestCache) put(key string, values map[string]any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, v := range values {
		c.values[key+"\x00"+id] = v
	}
}
