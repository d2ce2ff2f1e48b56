package server

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/resolvers"
)

// ChangeSource is what the hub reads of the change feed.
type ChangeSource interface {
	// Changes returns the events after a sequence number, oldest first.
	Changes(ctx context.Context, after int64, limit int) ([]*graph.ChangeEvent, error)
	// FeedHead is the sequence number of the newest event.
	FeedHead(ctx context.Context) (int64, error)
}

// Hub sizes.
const (
	hubPage = 1000   // events a poll reads at most per statement
	hubRing = 20_000 // recent events kept in memory for subscribers
	subPage = 500    // events a subscriber reads at most per statement while it catches up
)

// Hub is the process's one reader of the change feed for live subscriptions: it polls the
// database once per interval, whatever the number of subscribers, and keeps the recent events
// in memory, from which every subscriber reads at its own pace. A subscriber that starts
// behind, or falls behind what is kept, catches up from the database on its own and then joins
// the others. The hub never waits for a subscriber, and a subscriber never misses or repeats an
// event. Several processes on one Neo4j each run a hub: each sees every process's writes.
type Hub struct {
	src      ChangeSource
	interval time.Duration
	log      *slog.Logger
	ringSize int

	mu   sync.Mutex
	head int64                // the newest event polled; -1 until the first poll
	ring []*graph.ChangeEvent // recent events, gap-free, the last one at head
	wake chan struct{}        // closed (and replaced) when events arrive
	subs int                  // running subscribers; the hub polls only while there are some
	// positions are the running subscribers' cursors: the last event each was handed.
	positions map[*atomic.Int64]bool
	kick      chan struct{} // a write in this process: poll now

	polls atomic.Int64 // polls made (each one statement, or more when a page is full)
}

// Subscribers is the number of running subscribers.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.subs
}

// MaxLag is how many events the furthest-behind subscriber has yet to be handed, against the
// newest event polled (0 without subscribers).
func (h *Hub) MaxLag() int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	var lag int64
	for p := range h.positions {
		lag = max(lag, h.head-p.Load())
	}
	return lag
}

// Polls is the number of polls the hub has made.
func (h *Hub) Polls() int64 { return h.polls.Load() }

// NewHub returns a hub that polls src every interval once Run runs.
func NewHub(src ChangeSource, interval time.Duration, log *slog.Logger) *Hub {
	return &Hub{src: src, interval: interval, log: log, ringSize: hubRing, head: -1, wake: make(chan struct{}), kick: make(chan struct{}, 1)}
}

// Notify asks for a poll now (this process has written).
func (h *Hub) Notify() {
	select {
	case h.kick <- struct{}{}:
	default:
	}
}

// Run polls until ctx ends.
func (h *Hub) Run(ctx context.Context) {
	tick := time.NewTicker(h.interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-h.kick:
		}
		if err := h.poll(ctx); err != nil && ctx.Err() == nil {
			h.log.WarnContext(ctx, "polling the change feed", "err", err)
		}
	}
}

// poll reads the events after the newest it has, if anyone listens.
func (h *Hub) poll(ctx context.Context) error {
	h.mu.Lock()
	subs, head := h.subs, h.head
	h.mu.Unlock()
	if subs == 0 {
		return nil
	}
	h.polls.Add(1)
	if head < 0 {
		n, err := h.src.FeedHead(ctx)
		if err != nil {
			return err
		}
		h.mu.Lock()
		h.head = n
		close(h.wake) // subscribers waiting for the first poll look again
		h.wake = make(chan struct{})
		h.mu.Unlock()
		return nil
	}
	for {
		events, err := h.src.Changes(ctx, head, hubPage)
		if err != nil || len(events) == 0 {
			return err
		}
		h.mu.Lock()
		h.ring = append(h.ring, events...)
		if over := len(h.ring) - h.ringSize; over > 0 {
			h.ring = append([]*graph.ChangeEvent(nil), h.ring[over:]...)
		}
		head = events[len(events)-1].Seq
		h.head = head
		close(h.wake)
		h.wake = make(chan struct{})
		h.mu.Unlock()
		if len(events) < hubPage {
			return nil
		}
	}
}

// after returns the kept events after a cursor (at most subPage), or behind = true when the
// cursor is older than what is kept; and the channel that is closed when more arrive.
func (h *Hub) after(cursor int64) (events []*graph.ChangeEvent, behind bool, wake <-chan struct{}) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.head < 0 || cursor >= h.head {
		return nil, false, h.wake
	}
	if len(h.ring) == 0 || cursor < h.ring[0].Seq-1 {
		return nil, true, h.wake
	}
	from := int(cursor - h.ring[0].Seq + 1)
	to := min(len(h.ring), from+subPage)
	return h.ring[from:to], false, h.wake
}

// Subscribe streams the events after a cursor (nil: from now) whose records come from the
// systems (nil: every record), until ctx ends or the feed fails; a cursor the feed no longer
// keeps is refused at once.
func (h *Hub) Subscribe(ctx context.Context, after *int64, systems []string) (<-chan *graph.ChangeEvent, error) {
	var cursor int64
	var first []*graph.ChangeEvent
	if after == nil {
		// From now: the newest event the hub has seen, or the database's when it has not polled.
		h.mu.Lock()
		cursor = h.head
		h.mu.Unlock()
		if cursor < 0 {
			n, err := h.src.FeedHead(ctx)
			if err != nil {
				return nil, err
			}
			cursor = n
		}
	} else {
		cursor = *after
		if _, behind, _ := h.after(cursor); behind || h.unknown() {
			// Starting behind: the first page comes from the database, which also checks the cursor.
			events, err := h.src.Changes(ctx, cursor, subPage)
			if err != nil {
				return nil, err
			}
			first = events
		}
	}
	pos := &atomic.Int64{}
	pos.Store(cursor)
	h.mu.Lock()
	h.subs++
	if h.positions == nil {
		h.positions = map[*atomic.Int64]bool{}
	}
	h.positions[pos] = true
	h.mu.Unlock()
	h.Notify()
	out := make(chan *graph.ChangeEvent, 64)
	go func() {
		defer close(out)
		defer func() {
			h.mu.Lock()
			delete(h.positions, pos)
			h.subs--
			if h.subs == 0 {
				// Nobody listens: forget, and start afresh with the next subscriber.
				h.head, h.ring = -1, nil
			}
			h.mu.Unlock()
		}()
		events := first
		for {
			for _, e := range events {
				if !graph.FromSystems(e.Source, systems) {
					cursor = e.Seq
					pos.Store(cursor)
					continue
				}
				select {
				case out <- e:
					cursor = e.Seq
					pos.Store(cursor)
				case <-ctx.Done():
					return
				}
			}
			var behind bool
			var wake <-chan struct{}
			events, behind, wake = h.after(cursor)
			if behind {
				var err error
				if events, err = h.src.Changes(ctx, cursor, subPage); err != nil {
					if ctx.Err() == nil {
						h.log.WarnContext(ctx, "a subscriber catching up on the change feed", "err", err)
					}
					return
				}
			}
			if len(events) > 0 {
				continue
			}
			select {
			case <-wake:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

func (h *Hub) unknown() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.head < 0
}

// notifyingWriter tells the hub of every write that appended events, so that this process's
// subscribers see its own writes without waiting for the next poll.
type notifyingWriter struct {
	resolvers.GraphWriter
	hub *Hub
}

// ApplyScoped implements resolvers.GraphWriter.
func (w notifyingWriter) ApplyScoped(ctx context.Context, actor string, scope *graph.WriteScope, ops []graph.Operation) ([]*graph.ChangeEvent, error) {
	events, err := w.GraphWriter.ApplyScoped(ctx, actor, scope, ops)
	if len(events) > 0 {
		w.hub.Notify()
	}
	return events, err
}
