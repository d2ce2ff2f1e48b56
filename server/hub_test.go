package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gongjian/gongjian/graph"
)

// fakeFeed is a change feed in memory that counts the statements asked of it.
type fakeFeed struct {
	mu      sync.Mutex
	events  []*graph.ChangeEvent
	floor   int64
	changes atomic.Int64 // Changes calls
	bySubs  atomic.Int64 // of which by subscribers (their context says so)
}

type subscriberKey struct{}

func (f *fakeFeed) append(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		seq := int64(len(f.events)) + 1
		f.events = append(f.events, &graph.ChangeEvent{Seq: seq, Entity: "node", ID: fmt.Sprintf("place:f:%d", seq), Op: graph.EventCreate})
	}
}

func (f *fakeFeed) Changes(ctx context.Context, after int64, limit int) ([]*graph.ChangeEvent, error) {
	f.changes.Add(1)
	if ctx.Value(subscriberKey{}) != nil {
		f.bySubs.Add(1)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if after < f.floor {
		return nil, graph.FieldError("after", "cursor %d is older than the events kept", after)
	}
	var out []*graph.ChangeEvent
	for _, e := range f.events[after:] {
		if len(out) == limit {
			break
		}
		out = append(out, e)
	}
	return out, nil
}

func (f *fakeFeed) FeedHead(context.Context) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return int64(len(f.events)), nil
}

func runHub(t *testing.T, f *fakeFeed, ring int) *Hub {
	h := NewHub(f, 5*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))
	h.ringSize = ring
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return h
}

// receive reads n events from a subscription and checks that they follow from after+1 on.
func receive(t *testing.T, ch <-chan *graph.ChangeEvent, after int64, n int) error {
	for i := range n {
		e, ok := <-ch
		if !ok {
			return fmt.Errorf("the subscription ended after %d of %d events", i, n)
		}
		if e.Seq != after+int64(i)+1 {
			return fmt.Errorf("event %d has seq %d, want %d", i, e.Seq, after+int64(i)+1)
		}
	}
	return nil
}

// A thousand live subscribers cost the database one statement per poll, not one each: they
// all read the hub's events, every one of them in order.
func TestHubServesManySubscribersWithOnePoller(t *testing.T) {
	f := &fakeFeed{}
	f.append(10)
	h := runHub(t, f, hubRing)
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), subscriberKey{}, true))
	defer cancel()
	const subscribers, events = 1000, 3000
	chans := make([]<-chan *graph.ChangeEvent, subscribers)
	for i := range chans {
		ch, err := h.Subscribe(ctx, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		chans[i] = ch
	}
	start, polls := f.changes.Load(), h.Polls()
	// Wait until the hub has polled at least once with everyone subscribed, then write.
	for h.unknown() {
		time.Sleep(time.Millisecond)
	}
	var wg sync.WaitGroup
	errs := make(chan error, subscribers)
	for _, ch := range chans {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := receive(t, ch, 10, events); err != nil {
				errs <- err
			}
		}()
	}
	for range events / 100 {
		f.append(100)
		h.Notify()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// Each of the hub's polls is one statement (or one per full page), whatever the number of
	// subscribers; nobody read the database on its own.
	calls, polled := f.changes.Load()-start, h.Polls()-polls
	if by := f.bySubs.Load(); by != 0 || calls > polled+events/hubPage+2 { // full pages, and polls under way at either end
		t.Fatalf("%d statements in %d polls for %d subscribers, %d of them by subscribers", calls, polled, subscribers, by)
	}
	t.Logf("%d subscribers, %d events: %d statements in %d polls", subscribers, events, calls, polled)
}

// A subscriber that starts behind, or falls behind what the hub keeps, catches up from the
// database and misses nothing; a cursor older than the feed keeps is refused at once.
func TestHubSubscriberCatchesUp(t *testing.T) {
	f := &fakeFeed{}
	f.append(50)
	h := runHub(t, f, 100)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	from := int64(5)
	slow, err := h.Subscribe(ctx, &from, nil)
	if err != nil {
		t.Fatal(err)
	}
	live, err := h.Subscribe(ctx, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 1,000 events while the slow one reads nothing: ten times what the hub keeps.
	for range 10 {
		f.append(100)
		h.Notify()
		if err := receive(t, live, int64(len(f.events))-100, 100); err != nil {
			t.Fatalf("live: %v", err)
		}
	}
	if err := receive(t, slow, 5, 1045); err != nil {
		t.Fatalf("slow: %v", err)
	}
	f.floor = 20
	old := int64(3)
	if _, err := h.Subscribe(ctx, &old, nil); graph.ErrorCode(err) != graph.BadUserInput {
		t.Fatalf("a cursor below the floor: %v", err)
	}
}
