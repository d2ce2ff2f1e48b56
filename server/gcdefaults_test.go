package server

import (
	"runtime/debug"
	"testing"
)

func TestTuneGCSetsDefaultsUnlessTheEnvironmentDoes(t *testing.T) {
	percent := debug.SetGCPercent(100)
	limit := debug.SetMemoryLimit(-1)
	t.Cleanup(func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	})
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }

	if p, l := TuneGC(getenv, 0); p != DefaultGCPercent || l != DefaultMemoryLimit {
		t.Fatalf("no GOGC nor GOMEMLIMIT: got %d, %d; want %d, %d", p, l, DefaultGCPercent, DefaultMemoryLimit)
	}
	// A large answer cache raises the limit, so that the collector does not run without end.
	if _, l := TuneGC(getenv, 2<<30); l != DefaultMemoryLimit+4<<30 {
		t.Fatalf("with a 2 GiB answer cache the limit is %d, want %d", l, DefaultMemoryLimit+4<<30)
	}
	// The runtime applies GOGC and GOMEMLIMIT from the environment before main runs; TuneGC
	// must then leave them as they are.
	debug.SetGCPercent(50)
	debug.SetMemoryLimit(123 << 20)
	env["GOGC"], env["GOMEMLIMIT"] = "50", "123MiB"
	if p, l := TuneGC(getenv, 2<<30); p != 50 || l != 123<<20 {
		t.Fatalf("GOGC=50 GOMEMLIMIT=123MiB: got %d, %d", p, l)
	}
	if p := debug.SetGCPercent(50); p != 50 {
		t.Fatalf("reading the GC percent changed it: %d", p)
	}
}
