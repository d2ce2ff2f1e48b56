package seed

import (
	"runtime"
	"sync"
)

// eachChunk calls fn with every chunk of src, in order, while other goroutines make the chunks
// after it (at most one per core ahead, so that no more than that many are held at once). It
// returns fn's first error; the goroutines have stopped when it returns.
func eachChunk(src *Source, fn func(d *Dataset) error) error {
	ahead := runtime.GOMAXPROCS(0)
	slots := make(chan chan *Dataset, ahead)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(slots)
		for c := range src.Chunks {
			slot := make(chan *Dataset, 1)
			select {
			case slots <- slot:
			case <-stop:
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				slot <- src.Chunk(c)
			}()
		}
	}()
	var err error
	for slot := range slots {
		if err = fn(<-slot); err != nil {
			break
		}
	}
	close(stop)
	wg.Wait()
	return err
}
