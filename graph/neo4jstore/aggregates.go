package neo4jstore

import (
	"context"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gongjian/gongjian/graph"
)

// The statistics of the large places (a district, a city, a province) are kept computed: every
// figure, for today, with the feed's position they were computed at. A question about one of
// them today is answered from the figures kept while the feed has not moved since (one small
// statement instead of a walk over the place's whole subtree); once anything is written, the
// figures are stale and questions are answered from the graph again until RunAggregates has
// computed them anew. Every committed write advances the feed, so a reader never sees figures
// older than a write it could see; loads that write past the feed (the seed loader, a restore)
// change the counter's epoch (MarkBulkWrite), which makes the figures stale too.

// feedToken is the feed's position: the newest event's number and the epoch of bulk writes.
type feedToken struct {
	seq   int64
	epoch string
}

// aggregate is the statistics of one place as computed at a feed position, on a day.
type aggregate struct {
	token feedToken
	on    string
	stats *graph.Statistics // every part, coverage at every level
	// covered is the communities covered at each set of levels (coverageKey).
	covered map[string]int
}

// aggregates are the statistics kept by a store, by place id.
type aggregates struct {
	mu      sync.RWMutex
	byPlace map[string]*aggregate
	// refresh serialises the refreshes (RunAggregates' and RefreshAggregates' callers').
	refresh sync.Mutex
	kick    chan struct{}
	served  atomic.Int64 // questions answered from the figures kept
	stale   atomic.Int64 // questions about a kept place answered from the graph
	made    atomic.Int64 // places' figures computed
}

func newAggregates() *aggregates {
	return &aggregates{byPlace: map[string]*aggregate{}, kick: make(chan struct{}, 1)}
}

// coverageKey names a set of coverage levels: their names sorted, without repeats.
func coverageKey(levels []graph.CoverageLevel) string {
	names := graph.EnumStrings(levels)
	slices.Sort(names)
	return strings.Join(slices.Compact(names), ",")
}

// AggregateCounts are the questions answered from the statistics kept, those about a kept
// place answered from the graph because the figures were stale, and the places' figures
// computed.
func (s *Store) AggregateCounts() (served, stale, made int64) {
	return s.aggs.served.Load(), s.aggs.stale.Load(), s.aggs.made.Load()
}

// tokenQuery reads the feed's position and, when $within is set, that place.
const tokenQuery = `MATCH (c:FeedCounter {id: 'feed'})
OPTIONAL MATCH (w:Place {id: $within})
RETURN c.seq AS seq, coalesce(c.epoch, '') AS epoch, w`

// aggregated answers a statistics question from the figures kept, when the place is kept, the
// question is about today, and nothing has been written since they were computed.
func (s *Store) aggregated(ctx context.Context, placeID string, on graph.Date, levels []graph.CoverageLevel) (*graph.Statistics, bool, error) {
	s.aggs.mu.RLock()
	agg := s.aggs.byPlace[placeID]
	s.aggs.mu.RUnlock()
	if agg == nil || on.String() != agg.on || on.String() != graph.Today().String() {
		return nil, false, nil
	}
	covered, ok := agg.covered[coverageKey(levels)]
	if !ok {
		return nil, false, nil
	}
	token, w, err := s.feedToken(ctx, placeID)
	if err != nil {
		return nil, false, err
	}
	if token != agg.token || w == nil {
		s.aggs.stale.Add(1)
		select {
		case s.aggs.kick <- struct{}{}:
		default:
		}
		return nil, false, nil
	}
	s.aggs.served.Add(1)
	st := *agg.stats
	st.PlaceNode, st.Levels, st.CoveredCommunities = w, levels, covered
	return &st, true, nil
}

// tokenOf reads the feed's position from a row's seq and epoch columns.
func tokenOf(rec *neo4j.Record) feedToken {
	return feedToken{seq: integer(rec, "seq"), epoch: str(rec, "epoch")}
}

// feedToken reads the feed's position and the place (nil when placeID is empty or no place
// has it).
func (s *Store) feedToken(ctx context.Context, placeID string) (feedToken, *graph.Node, error) {
	var t feedToken
	var w *graph.Node
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		rec, err := singleRecord(ctx, tx, tokenQuery, map[string]any{"within": placeID})
		if err != nil {
			return err
		}
		t = tokenOf(rec)
		if v, _ := rec.Get("w"); v != nil {
			w = toNode(v.(dbtype.Node))
		}
		return nil
	})
	return t, w, err
}

// MarkBulkWrite changes the feed's epoch: a load or restore that writes without events calls
// it before and after, so that no statistics computed before it, or during it, are served.
func (s *Store) MarkBulkWrite(ctx context.Context) error {
	return s.Write(ctx, func(ctx context.Context, tx Tx) error {
		_, err := tx.Run(ctx, `MATCH (c:FeedCounter {id: 'feed'}) SET c.epoch = randomUUID()`, nil)
		return err
	})
}

// RefreshAggregates computes the statistics of every place of the kept kinds whose figures are
// stale (all when the day has changed), one place at a time, and returns how many it computed.
// Each place's figures carry the feed position read just before they were computed: a write
// committed meanwhile leaves them stale, to be computed again by the next refresh.
func (s *Store) RefreshAggregates(ctx context.Context) (int, error) {
	if len(s.cfg.AggregateKinds) == 0 {
		return 0, nil
	}
	s.aggs.refresh.Lock()
	defer s.aggs.refresh.Unlock()
	token, places, err := s.keptPlaces(ctx)
	if err != nil {
		return 0, err
	}
	today := graph.Today()
	kept := make(map[string]bool, len(places))
	for _, id := range places {
		kept[id] = true
	}
	s.aggs.mu.Lock()
	maps.DeleteFunc(s.aggs.byPlace, func(id string, _ *aggregate) bool { return !kept[id] })
	s.aggs.mu.Unlock()
	made := 0
	for _, id := range places {
		s.aggs.mu.RLock()
		agg := s.aggs.byPlace[id]
		s.aggs.mu.RUnlock()
		if agg != nil && agg.token == token && agg.on == today.String() {
			continue
		}
		// The position first, then the figures: never a position later than the figures. The
		// first place's is the one keptPlaces read; after a computation, it is read again.
		if made > 0 {
			if token, _, err = s.feedToken(ctx, ""); err != nil {
				return made, err
			}
		}
		agg, err := s.computeAggregate(ctx, id, today)
		if err != nil {
			return made, err
		}
		agg.token = token
		s.aggs.mu.Lock()
		s.aggs.byPlace[id] = agg
		s.aggs.mu.Unlock()
		s.aggs.made.Add(1)
		made++
	}
	return made, nil
}

// keptPlaces reads the feed's position and the places of the kept kinds, the smallest kinds
// first.
func (s *Store) keptPlaces(ctx context.Context) (feedToken, []string, error) {
	var t feedToken
	var ids []string
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		rec, err := singleRecord(ctx, tx, `MATCH (c:FeedCounter {id: 'feed'})
OPTIONAL CALL () {
  MATCH (p:Place) WHERE p.kind IN $kinds
  WITH p ORDER BY $order[p.kind] DESC, p.id
  RETURN collect(p.id) AS places
}
RETURN c.seq AS seq, coalesce(c.epoch, '') AS epoch, places`, map[string]any{"kinds": graph.EnumStrings(s.cfg.AggregateKinds), "order": kindOrder})
		if err != nil {
			return err
		}
		t = tokenOf(rec)
		v, _ := rec.Get("places")
		ids = graph.StringList(v)
		return nil
	})
	return t, ids, err
}

// kindOrder ranks the place kinds from the largest (0, a province) down: the refresh computes
// the smallest places first, so that most of them are served again soon after a write, and
// the province, the costliest, last.
var kindOrder = func() map[string]any {
	m := map[string]any{}
	for i, k := range graph.PlaceKinds {
		m[string(k)] = int64(i)
	}
	return m
}()

// computeAggregate computes every figure of a place for a day, with the communities covered at
// each set of levels: one statement at both levels (covered at either), whose per-level
// figures give the sets of one level.
func (s *Store) computeAggregate(ctx context.Context, placeID string, on graph.Date) (*aggregate, error) {
	// One statement, on one core: the refresher leaves the other to the questions.
	st, err := s.statisticsLive(ctx, placeID, on, graph.CoverageLevels, nil, false)
	if err != nil {
		return nil, err
	}
	covered := map[string]int{coverageKey(graph.CoverageLevels): st.CoveredCommunities}
	for _, lc := range st.CoverageByLevel {
		covered[coverageKey([]graph.CoverageLevel{lc.Level})] = lc.CoveredCommunities
	}
	return &aggregate{on: on.String(), stats: st, covered: covered}, nil
}

// RunAggregates keeps the statistics of the places of the kept kinds computed until ctx ends:
// it reads the feed's position every interval, or at once when a question found the figures
// stale, and refreshes those that are. After a refresh it waits at least as long as the
// refresh took, so that under a steady stream of writes it takes at most half of one core from
// the questions. It does nothing when no kind is kept.
func (s *Store) RunAggregates(ctx context.Context, interval time.Duration) {
	if len(s.cfg.AggregateKinds) == 0 {
		return
	}
	var last feedToken
	lastDay := ""
	for {
		wait := interval
		token, _, err := s.feedToken(ctx, "")
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			s.log.WarnContext(ctx, "reading the feed's position for the statistics kept", "err", err)
		case token != last || graph.Today().String() != lastDay:
			start := time.Now()
			n, err := s.RefreshAggregates(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				s.log.WarnContext(ctx, "computing the statistics kept", "err", err)
				break
			}
			last, lastDay = token, graph.Today().String()
			took := time.Since(start)
			wait = max(wait, took)
			if n > 0 {
				s.log.InfoContext(ctx, "statistics kept computed", "places", n, "took", took.Round(time.Millisecond))
			}
		}
		// A question that found the figures stale wakes the loop at once, unless a refresh has
		// just run: then its kick waits in the channel for the next round.
		kick := s.aggs.kick
		if wait > interval {
			kick = nil
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-timer.C:
		case <-kick:
		}
		timer.Stop()
		if ctx.Err() != nil {
			return
		}
	}
}
