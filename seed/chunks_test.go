package seed

import (
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
)

func TestEachChunkKeepsOrderAndStopsAtAnError(t *testing.T) {
	made := make([]*Dataset, 40)
	for i := range made {
		made[i] = NewDataset()
	}
	var calls atomic.Int64
	src := &Source{Profile: "test", Chunks: len(made), chunk: func(i int) *Dataset {
		calls.Add(1)
		return made[i]
	}}
	var got []*Dataset
	if err := eachChunk(src, func(d *Dataset) error { got = append(got, d); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(made) {
		t.Fatalf("%d chunks seen, want %d", len(got), len(made))
	}
	for i := range made {
		if got[i] != made[i] {
			t.Fatalf("chunk %d seen out of order", i)
		}
	}

	calls.Store(0)
	stop := errors.New("stop")
	seen := 0
	err := eachChunk(src, func(*Dataset) error {
		seen++
		if seen == 5 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || seen != 5 {
		t.Fatalf("error %v after %d chunks, want %v after 5", err, seen, stop)
	}
	// The makers stop: no more than the ones already ahead are made.
	if n, most := calls.Load(), int64(5+runtime.GOMAXPROCS(0)+1); n > most {
		t.Fatalf("%d chunks made after stopping at the fifth, want at most %d", n, most)
	}
}
