package server

import (
	"context"
	"crypto/sha256"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2/simplelru"
)

// queryCache is gqlgen's cache of parsed queries (and of persisted queries) bounded in bytes,
// not entries: its keys are the queries' SHA-256, not their text, and an entry counts as many
// bytes as the text that it was made from (times weight, for what parsing adds). The least
// recently used entries go first.
type queryCache[T any] struct {
	mu      sync.Mutex
	entries *lru.LRU[[32]byte, entry[T]]
	bytes   int64
	max     int64
	weight  int64
}

type entry[T any] struct {
	value T
	size  int64
}

func newQueryCache[T any](maxBytes, weight int64) *queryCache[T] {
	c := &queryCache[T]{max: maxBytes, weight: weight}
	// The entry count is bounded by bytes; the LRU's own bound only has to be large enough.
	c.entries, _ = lru.NewLRU[[32]byte, entry[T]](1<<20, func(_ [32]byte, e entry[T]) { c.bytes -= e.size })
	return c
}

// Get implements graphql.Cache.
func (c *queryCache[T]) Get(_ context.Context, key string) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries.Get(sha256.Sum256([]byte(key)))
	return e.value, ok
}

// Add implements graphql.Cache.
func (c *queryCache[T]) Add(_ context.Context, key string, value T) {
	size := int64(len(key)) * c.weight
	switch v := any(value).(type) {
	case string:
		size += int64(len(v))
	case interface{ Size() int64 }:
		size += v.Size()
	}
	if size > c.max {
		return // larger than the whole cache: not kept
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries.Add(sha256.Sum256([]byte(key)), entry[T]{value: value, size: size})
	c.bytes += size
	for c.bytes > c.max {
		c.entries.RemoveOldest()
	}
}
