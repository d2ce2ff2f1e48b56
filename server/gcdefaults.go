package server

import "runtime/debug"

// GC defaults for a server process. A request allocates about 1 KB per field of its answer
// (gqlgen's field contexts, our pages), and the live heap between requests is small beside the
// caches, so with Go's default GOGC=100 the collector runs every few requests; at 400 it runs a
// quarter as often (bench's BenchmarkGCPercent: 10-16% more requests/s at 8 clients on four of
// the peer comparison's shapes). The soft memory limit keeps the larger heap target from
// growing past it: near the limit the collector runs as often as it must, so the limit leaves
// room for the answer cache the server is told to keep besides.
const (
	// DefaultGCPercent is the GOGC a server runs with when the environment sets none.
	DefaultGCPercent = 400
	// DefaultMemoryLimit is the GOMEMLIMIT a server runs with when the environment sets none,
	// beyond twice its answer cache.
	DefaultMemoryLimit = 1 << 30
)

// TuneGC applies DefaultGCPercent and DefaultMemoryLimit plus twice answerCacheBytes (the
// kept answers and what replacing them leaves to collect), each unless the environment
// (getenv) sets GOGC or GOMEMLIMIT, which the Go runtime has then applied itself. It returns the
// values in force, for the start-up log.
func TuneGC(getenv func(string) string, answerCacheBytes int64) (gcPercent int, memoryLimit int64) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(DefaultGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(DefaultMemoryLimit + 2*max(0, answerCacheBytes))
	}
	gcPercent = debug.SetGCPercent(-1)
	debug.SetGCPercent(gcPercent)
	return gcPercent, debug.SetMemoryLimit(-1)
}
