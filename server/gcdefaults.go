package server

import "runtime/debug"

// GC defaults for a server process. A request allocates about 1 KB per field of its answer
// (gqlgen's field contexts, our pages), and the live heap between requests is small beside the
// caches, so with Go's default GOGC=100 the collector runs every few requests; at 400 it runs a
// quarter as often (bench's BenchmarkGCPercent: 6-20% more requests/s at 8 clients on the peer
// comparison's shapes). The soft memory limit keeps the larger heap target from growing past
// it: near the limit the collector runs as often as it must.
const (
	// DefaultGCPercent is the GOGC a server runs with when the environment sets none.
	DefaultGCPercent = 400
	// DefaultMemoryLimit is the GOMEMLIMIT a server runs with when the environment sets none.
	DefaultMemoryLimit = 1 << 30
)

// TuneGC applies DefaultGCPercent and DefaultMemoryLimit, each unless the environment (getenv)
// sets GOGC or GOMEMLIMIT, which the Go runtime has then applied itself. It returns the values in
// force, for the start-up log.
func TuneGC(getenv func(string) string) (gcPercent int, memoryLimit int64) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(DefaultGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(DefaultMemoryLimit)
	}
	gcPercent = debug.SetGCPercent(-1)
	debug.SetGCPercent(gcPercent)
	return gcPercent, debug.SetMemoryLimit(-1)
}
