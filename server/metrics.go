package server

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// maxOperationNames bounds the operation names the metrics tell apart: the first ones seen
// get a label value of their own, later ones count as "other". Names come from clients, so
// without a bound a client could grow the label set without end.
const maxOperationNames = 100

var operationName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]{0,63}$`)

// Transactions is what the metrics read of the store's transactions, when it tells.
type transactionCounter interface {
	Transactions() (open int64, poolSize int)
}

// metrics are the server's Prometheus metrics, in a registry of its own (with the Go runtime
// and process collectors), served at /metrics or on the admin address.
type metrics struct {
	reg *prometheus.Registry

	operations  *prometheus.CounterVec
	opDuration  *prometheus.HistogramVec
	opTrips     *prometheus.HistogramVec
	httpReqs    *prometheus.CounterVec
	httpSeconds *prometheus.HistogramVec
	cache       *prometheus.CounterVec
	imports     *prometheus.CounterVec

	mu    sync.Mutex
	names map[string]bool
}

func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry(), names: map[string]bool{}}
	m.operations = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gongjian_graphql_operations_total",
		Help: "GraphQL operations answered, by operation name (the first 100 names; later ones are \"other\"), type and outcome code (OK or the first error's code).",
	}, []string{"operation", "type", "code"})
	m.opDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "gongjian_graphql_operation_duration_seconds",
		Help:    "Time to answer a GraphQL query or mutation (for a subscription, its first event), by operation name and type.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"operation", "type"})
	m.opTrips = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "gongjian_graphql_operation_cypher_statements",
		Help:    "Cypher statements sent to Neo4j per GraphQL operation, by type.",
		Buckets: []float64{0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64},
	}, []string{"type"})
	m.httpReqs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gongjian_http_requests_total",
		Help: "HTTP requests, by route pattern and status code.",
	}, []string{"route", "code"})
	m.httpSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "gongjian_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route pattern (websockets and streams: their whole life).",
		Buckets: prometheus.DefBuckets,
	}, []string{"route"})
	m.cache = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gongjian_answer_cache_requests_total",
		Help: "Read operations looked up in the answer cache, by result (hit or miss).",
	}, []string{"result"})
	m.imports = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gongjian_import_records_total",
		Help: "Records sent to /import, by outcome: changed (in an applied batch, with a change event), unchanged (in an applied batch, nothing to change) or refused (in a batch that was not applied).",
	}, []string{"outcome"})
	m.reg.MustRegister(m.operations, m.opDuration, m.opTrips, m.httpReqs, m.httpSeconds, m.cache, m.imports,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	// Read at scrape time.
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "gongjian_feed_sequence",
		Help: "The change feed's newest sequence number (rate() of it: committed change events per second, from every process on the database). Read from Neo4j at each scrape; 0 while it does not answer.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := s.db.FeedHead(ctx)
		if err != nil {
			return 0
		}
		return float64(n)
	}))
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "gongjian_ready",
		Help: "1 when the service is ready (Neo4j answered within 1 s and the schema is migrated, as /readyz), else 0. Checked at each scrape.",
	}, func() float64 {
		if s.ready.Status(context.Background()).Ready {
			return 1
		}
		return 0
	}))
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "gongjian_subscriptions",
		Help: "Live change-feed subscriptions served by this process.",
	}, func() float64 { return float64(s.hub.Subscribers()) }))
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "gongjian_subscription_lag_events",
		Help: "Events the furthest-behind subscription of this process has yet to be handed, against the newest event this process has polled (0 with no subscription).",
	}, func() float64 { return float64(s.hub.MaxLag()) }))
	if tc, ok := s.db.(transactionCounter); ok {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "gongjian_neo4j_transactions_open",
			Help: "Neo4j transactions open now (each holds a pooled connection while it runs).",
		}, func() float64 { open, _ := tc.Transactions(); return float64(open) }))
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "gongjian_neo4j_transactions_waiting",
			Help: "Transactions beyond the driver's pool size, which wait for a connection.",
		}, func() float64 { open, size := tc.Transactions(); return float64(max(0, open-int64(size))) }))
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "gongjian_neo4j_pool_max_connections",
			Help: "The Neo4j driver's connection pool size.",
		}, func() float64 { _, size := tc.Transactions(); return float64(size) }))
	}
	if k, ok := s.db.(aggregateKeeper); ok {
		kept := func(pick func(served, stale, made int64) int64) func() float64 {
			return func() float64 { return float64(pick(k.AggregateCounts())) }
		}
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "gongjian_statistics_kept_served_total",
			Help: "Statistics questions answered from the figures kept for a large place (GONGJIAN_AGGREGATE_KINDS).",
		}, kept(func(served, _, _ int64) int64 { return served })))
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "gongjian_statistics_kept_stale_total",
			Help: "Statistics questions about a kept place answered from the graph because a write had made its figures stale.",
		}, kept(func(_, stale, _ int64) int64 { return stale })))
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "gongjian_statistics_kept_computed_total",
			Help: "Places whose kept statistics this process has computed (after writes, at start, on a new day).",
		}, kept(func(_, _, made int64) int64 { return made })))
	}
	return m
}

// handler serves the metrics in the Prometheus text format (or OpenMetrics when asked).
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, EnableOpenMetrics: true})
}

// opLabel is the label value of an operation name: itself for the first ones seen, "other"
// after that, "anonymous" without a name.
func (m *metrics) opLabel(name string) string {
	if name == "" {
		return "anonymous"
	}
	if !operationName.MatchString(name) {
		return "other"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.names[name] {
		return name
	}
	if len(m.names) >= maxOperationNames {
		return "other"
	}
	m.names[name] = true
	return name
}

// operation records an answered operation.
func (m *metrics) operation(name, kind, code string, took time.Duration, trips int64) {
	op := m.opLabel(name)
	m.operations.WithLabelValues(op, kind, code).Inc()
	m.opDuration.WithLabelValues(op, kind).Observe(took.Seconds())
	m.opTrips.WithLabelValues(kind).Observe(float64(trips))
}

// request records an answered HTTP request.
func (m *metrics) request(route string, status int, took time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.httpReqs.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.httpSeconds.WithLabelValues(route).Observe(took.Seconds())
}

// importBatch records the records of one /import batch by outcome.
func (m *metrics) importBatch(r batchReport) {
	if !r.Applied {
		m.imports.WithLabelValues("refused").Add(float64(r.Records))
		return
	}
	changed := min(r.Events, r.Records)
	m.imports.WithLabelValues("changed").Add(float64(changed))
	m.imports.WithLabelValues("unchanged").Add(float64(r.Records - changed))
}
