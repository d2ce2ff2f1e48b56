package neo4jstore

import (
	"context"
	"sync"
	"time"

	"github.com/gongjian/gongjian/graph"
)

// maxGroupOps bounds the operations that one group commit gathers.
const maxGroupOps = 1000

// maxLinger bounds how long a commit waits for the batches it expects, when the previous commit
// carried several (callers are writing concurrently, and each is about to send its next): it
// waits up to half as long as the previous commit took, since a commit of twice the batches
// costs little more than one.
const maxLinger = 10 * time.Millisecond

// pending is a batch waiting for its commit.
type pending struct {
	ctx    context.Context
	batch  graph.Batch
	done   chan struct{}
	result graph.BatchResult
	err    error
}

// committer commits the batches that callers submit concurrently together, in one transaction
// (group commit). Every write is serialised by the feed's lock anyway, and a commit costs the
// same few milliseconds of log and index flushing whether it carries one batch or fifty; so
// while one commit runs, the batches that arrive wait and go together in the next. Each batch
// stays all or nothing on its own (graph.Simulator takes back a failing one), and a batch
// confined to places is committed alone, since its places are checked in the database.
type committer struct {
	store *Store
	queue chan *pending // unbuffered: a batch is taken only by a running loop
	stop  chan struct{}
	start sync.Once
	close sync.Once
	wg    sync.WaitGroup
}

func newCommitter(s *Store) *committer {
	return &committer{store: s, queue: make(chan *pending), stop: make(chan struct{})}
}

// submit commits a batch, with others that arrive meanwhile, and waits for its outcome.
func (c *committer) submit(ctx context.Context, b graph.Batch) (graph.BatchResult, error) {
	c.start.Do(func() {
		c.wg.Add(1)
		go c.run()
	})
	p := &pending{ctx: ctx, batch: b, done: make(chan struct{})}
	select {
	case c.queue <- p:
	case <-ctx.Done():
		return graph.BatchResult{}, classify(ctx.Err())
	case <-c.stop:
		return graph.BatchResult{}, graph.Errorf(graph.Unavailable, "the store is closing")
	}
	// Once taken, the batch is committed or refused in bounded time (the transaction timeout):
	// wait for the outcome even if the caller has gone, so that nothing is reported wrongly.
	<-p.done
	return p.result, p.err
}

// shutdown stops the loop after the commit in progress; later submissions are refused.
func (c *committer) shutdown() {
	c.close.Do(func() { close(c.stop) })
	c.wg.Wait()
}

func (c *committer) run() {
	defer c.wg.Done()
	var carry *pending
	expect := 1            // how many batches to wait for: the most the recent commits carried
	var took time.Duration // how long the previous commit took
	for {
		first := carry
		carry = nil
		if first == nil {
			select {
			case first = <-c.queue:
			case <-c.stop:
				return
			}
		}
		group, ops := []*pending{first}, len(first.batch.Ops)
		if !placeScoped(first.batch.Scope) {
			var wait <-chan time.Time
			var timer *time.Timer
			if expect > 1 {
				timer = time.NewTimer(min(took/2, maxLinger))
				wait = timer.C
			}
		gather:
			for ops < maxGroupOps {
				if len(group) >= expect {
					wait = nil // the expected have come: take only those already waiting
				}
				var p *pending
				if wait != nil {
					select {
					case p = <-c.queue:
					case <-wait:
						break gather
					}
				} else {
					select {
					case p = <-c.queue:
					default:
						break gather
					}
				}
				if placeScoped(p.batch.Scope) || ops+len(p.batch.Ops) > maxGroupOps {
					carry = p
					break gather
				}
				group, ops = append(group, p), ops+len(p.batch.Ops)
			}
			if timer != nil {
				timer.Stop()
			}
		}
		expect = max(len(group), expect-1) // as writers come and go
		start := time.Now()
		c.commit(group)
		took = time.Since(start)
	}
}

// commit commits a group; when the group fails as a whole (not for want of the database), each
// batch is committed alone, so that one batch's failure is its own.
func (c *committer) commit(group []*pending) {
	live := group[:0:0]
	for _, p := range group {
		if err := p.ctx.Err(); err != nil {
			p.err = classify(err)
			close(p.done)
			continue
		}
		live = append(live, p)
	}
	if len(live) == 0 {
		return
	}
	ctx, trips := graph.WithRoundTrips(context.Background())
	batches := make([]graph.Batch, len(live))
	for i, p := range live {
		batches[i] = p.batch
	}
	results, err := c.store.commit(ctx, batches)
	if err != nil && len(live) > 1 && graph.ErrorCode(err) != graph.Unavailable {
		for _, p := range live {
			c.commit([]*pending{p})
		}
		return
	}
	for i, p := range live {
		if err != nil {
			p.err = err
		} else {
			p.result = results[i]
		}
		graph.AddRoundTrips(p.ctx, trips.Count())
		close(p.done)
	}
}
