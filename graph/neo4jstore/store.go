// Package neo4jstore is gongjian's Neo4j storage: the driver, transactions, record mapping,
// migrations and every Cypher statement of the project. Cypher is always parameterised; labels
// and relationship types that come from input are taken from fixed allow-lists.
package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/gongjian/gongjian/graph"
)

// Config says where Neo4j is and how to talk to it.
type Config struct {
	URI      string // bolt://, bolt+s://, neo4j:// (routing), neo4j+s://
	User     string // empty: no authentication (the bundled database has none)
	Password string
	Database string // empty: the server's default database
	// QueryTimeout bounds each transaction on the server.
	QueryTimeout time.Duration
	// MaxRetryTime bounds how long managed transactions retry transient failures.
	MaxRetryTime time.Duration
	// MaxConnections is the driver's pool size.
	MaxConnections int
	// OnStatement, when set, is called with each statement just before it is sent, in the
	// request's context: for benchmarks that replay a request's statements straight through
	// the driver, and for tracing. It must not keep params past the call unless it copies them.
	OnStatement func(ctx context.Context, cypher string, params map[string]any)
	// Tracer, when set, starts a span per statement (named after the store method that sends
	// it; never its text or parameters). Nil: OpenTelemetry's global provider's.
	Tracer trace.TracerProvider
	// StatisticsInOneStatement computes every part of Statistics in one statement, instead of
	// the members beside the others in two at once (for benchmarks that compare the two).
	StatisticsInOneStatement bool
	// AggregateKinds are the kinds of place whose statistics the store keeps computed for today
	// (aggregates.go), refreshed by RunAggregates after writes; none when empty.
	AggregateKinds []graph.PlaceKind
}

// Store is the Neo4j store. One Store (and so one driver) per process; it is safe for
// concurrent use.
type Store struct {
	driver    neo4j.DriverWithContext
	bookmarks neo4j.BookmarkManager
	cfg       Config
	log       *slog.Logger
	// wrapTx, when set (by tests), wraps every transaction, e.g. to PROFILE its statements.
	wrapTx func(Tx) Tx
	// committer commits concurrent writes together.
	committer *committer
	tracer    trace.Tracer
	// open counts the transactions running now.
	open atomic.Int64
	// closing counts the read scopes' transactions being committed behind their answers.
	closing sync.WaitGroup
	// aggs are the statistics kept for the places of Config.AggregateKinds.
	aggs *aggregates
}

// Transactions is the number of transactions open now, and the driver's pool size: when open
// exceeds it, the rest wait for a connection.
func (s *Store) Transactions() (open int64, poolSize int) {
	return s.open.Load(), s.cfg.MaxConnections
}

// Open creates the driver. It does not contact the server: Neo4j may come up later, and the
// driver connects (and reconnects) on demand.
func Open(cfg Config, log *slog.Logger) (*Store, error) {
	if cfg.QueryTimeout <= 0 {
		cfg.QueryTimeout = 30 * time.Second
	}
	if cfg.MaxRetryTime <= 0 {
		cfg.MaxRetryTime = 15 * time.Second
	}
	if cfg.MaxConnections <= 0 {
		cfg.MaxConnections = 100
	}
	token := neo4j.NoAuth()
	if cfg.User != "" {
		token = neo4j.BasicAuth(cfg.User, cfg.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, token, func(c *config.Config) {
		c.MaxTransactionRetryTime = cfg.MaxRetryTime
		c.MaxConnectionPoolSize = cfg.MaxConnections
		c.SocketConnectTimeout = 5 * time.Second
		c.ConnectionAcquisitionTimeout = 10 * time.Second
		c.UserAgent = "gongjian/1"
		c.Log = driverLog{log.With("component", "neo4j-driver")}
	})
	if err != nil {
		return nil, &graph.Error{Code: graph.BadUserInput, Message: "invalid NEO4J_URI: " + redactURI(cfg.URI), Err: err}
	}
	s := &Store{
		driver: driver,
		// One bookmark manager for the process: every session waits for the writes that this
		// process has committed, so a client reads its own writes, in a cluster too.
		bookmarks: neo4j.NewBookmarkManager(neo4j.BookmarkManagerConfig{}),
		cfg:       cfg,
		log:       log,
		aggs:      newAggregates(),
	}
	tp := cfg.Tracer
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	s.tracer = tp.Tracer("github.com/gongjian/gongjian/graph/neo4jstore")
	s.committer = newCommitter(s)
	return s, nil
}

// Close stops accepting writes (after the commit in progress) and closes the driver and its
// connections.
func (s *Store) Close(ctx context.Context) error {
	s.committer.shutdown()
	s.closing.Wait()
	return s.driver.Close(ctx)
}

// Tx is what a unit of work sees: a managed transaction.
type Tx = neo4j.ManagedTransaction

// Read runs work in a read transaction: in a cluster it goes to a reader. Transient failures
// are retried by the driver, so work must be safe to run more than once.
func (s *Store) Read(ctx context.Context, work func(ctx context.Context, tx Tx) error) error {
	return s.run(ctx, neo4j.AccessModeRead, s.cfg.QueryTimeout, work)
}

// Write runs work in a write transaction: in a cluster it goes to the leader.
func (s *Store) Write(ctx context.Context, work func(ctx context.Context, tx Tx) error) error {
	return s.run(ctx, neo4j.AccessModeWrite, s.cfg.QueryTimeout, work)
}

// run runs work in a transaction of the mode that the server ends after timeout.
func (s *Store) run(ctx context.Context, mode neo4j.AccessMode, timeout time.Duration, work func(context.Context, Tx) error) error {
	if sc := scopeOf(ctx); sc != nil && mode == neo4j.AccessModeRead {
		if done, err := sc.read(ctx, work); done {
			return err
		}
	}
	s.open.Add(1)
	defer s.open.Add(-1)
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{
		AccessMode:      mode,
		DatabaseName:    s.cfg.Database,
		BookmarkManager: s.bookmarks,
	})
	defer session.Close(context.WithoutCancel(ctx))
	fn := func(tx neo4j.ManagedTransaction) (any, error) {
		tx = countingTx{ManagedTransaction: tx, on: s.cfg.OnStatement, tracer: s.tracer}
		if s.wrapTx != nil {
			tx = s.wrapTx(tx)
		}
		return nil, work(ctx, explaining(ctx, tx))
	}
	var err error
	opts := []func(*neo4j.TransactionConfig){neo4j.WithTxTimeout(timeout)}
	if md := txMetadata(ctx); md != nil {
		opts = append(opts, neo4j.WithTxMetadata(md))
	}
	if mode == neo4j.AccessModeRead {
		_, err = session.ExecuteRead(ctx, fn, opts...)
	} else {
		_, err = session.ExecuteWrite(ctx, fn, opts...)
	}
	return classify(err)
}

// countingTx counts every statement it runs as a round trip of the request (see
// graph.WithRoundTrips).
type countingTx struct {
	neo4j.ManagedTransaction
	on     func(ctx context.Context, cypher string, params map[string]any)
	tracer trace.Tracer
}

func (t countingTx) Run(ctx context.Context, cypher string, params map[string]any) (neo4j.ResultWithContext, error) {
	name := statementName()
	graph.CountStatement(ctx, name)
	if t.on != nil {
		t.on(ctx, cypher, params)
	}
	// The span covers sending the statement and its first answer; records stream after it.
	ctx, span := t.tracer.Start(ctx, "neo4j "+name, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.String("db.system.name", "neo4j"), attribute.String("db.operation.name", name)))
	defer span.End()
	res, err := t.ManagedTransaction.Run(ctx, cypher, params)
	if err != nil {
		span.SetStatus(codes.Error, string(graph.ErrorCode(classify(err))))
	}
	return res, err
}

// statementName names a statement after the store function that runs it (the caller of
// Run), e.g. "Hop", "Statistics" or "committer.flush": a fixed set, safe as a span name or a
// log field. A helper such as singleInt is passed over for its caller.
func statementName() string {
	pc := make([]uintptr, 8)
	n := runtime.Callers(3, pc) // above runtime.Callers, statementName and countingTx.Run
	frames := runtime.CallersFrames(pc[:n])
	for {
		f, more := frames.Next()
		if name := storeFunction(f.Function); name != "" && (name != "singleInt" || !more) {
			return name
		}
		if !more {
			return "statement"
		}
	}
}

// storeFunction turns a function's full name into its name within this package ("" outside
// it): "…/neo4jstore.(*Store).Hop.func1" is "Hop", "…/neo4jstore.(*committer).flush" is
// "committer.flush", "…/neo4jstore.singleInt" is "singleInt".
func storeFunction(full string) string {
	if i := strings.LastIndex(full, "/"); i >= 0 {
		full = full[i+1:]
	}
	rest, ok := strings.CutPrefix(full, "neo4jstore.")
	if !ok {
		return ""
	}
	receiver := ""
	if r, m, ok := strings.Cut(rest, ")."); ok && strings.HasPrefix(r, "(*") {
		receiver, rest = r[2:], m
	}
	rest, _, _ = strings.Cut(rest, ".") // closures: .func1, .func1.2
	if receiver == "" || receiver == "Store" {
		return rest
	}
	return receiver + "." + rest
}

// txMetadata is what a transaction tells Neo4j of the request (shown in its query log and in
// SHOW TRANSACTIONS): the request id and the W3C trace context, when there are.
func txMetadata(ctx context.Context) map[string]any {
	md := map[string]any{}
	if id := graph.RequestID(ctx); id != "" {
		md["requestId"] = id
	}
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		md["traceparent"] = fmt.Sprintf("00-%s-%s-%s", sc.TraceID(), sc.SpanID(), sc.TraceFlags())
	}
	if len(md) == 0 {
		return nil
	}
	return md
}

// Ping checks that Neo4j answers a query within the context's deadline.
func (s *Store) Ping(ctx context.Context) error {
	return s.Read(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, "RETURN 1", nil)
		if err != nil {
			return err
		}
		_, err = res.Single(ctx)
		return err
	})
}

// Info describes the server and the schema version applied.
func (s *Store) Info(ctx context.Context) (graph.DatabaseInfo, error) {
	info := graph.DatabaseInfo{Database: s.cfg.Database}
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, `
CALL dbms.components() YIELD name, versions, edition
WITH versions[0] AS version, edition WHERE name = 'Neo4j Kernel'
OPTIONAL MATCH (m:SchemaMigration)
RETURN version, edition, coalesce(max(m.version), 0) AS schemaVersion`, nil)
		if err != nil {
			return err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return err
		}
		info.Version = str(rec, "version")
		info.Edition = str(rec, "edition")
		info.SchemaVersion = int(integer(rec, "schemaVersion"))
		sum, err := res.Consume(ctx)
		if err == nil {
			if sum.Server() != nil {
				info.Address = sum.Server().Address()
			}
			if sum.Database() != nil {
				info.Database = sum.Database().Name()
			}
		}
		return nil
	})
	return info, err
}

// classify turns driver errors into domain errors: connection failures become UNAVAILABLE,
// client-side Cypher errors stay INTERNAL (they are bugs), and domain errors pass through.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var ge *graph.Error
	if errors.As(err, &ge) {
		return err
	}
	if errors.Is(err, context.Canceled) {
		return &graph.Error{Code: graph.Unavailable, Message: "the request was cancelled", Err: err}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &graph.Error{Code: graph.Unavailable, Message: "the database did not answer in time", Err: err}
	}
	var n4e *neo4j.Neo4jError
	if errors.As(err, &n4e) {
		switch {
		case strings.HasPrefix(n4e.Code, "Neo.TransientError"), strings.Contains(n4e.Code, "DatabaseUnavailable"),
			strings.Contains(n4e.Code, "TransactionTimedOut"), strings.Contains(n4e.Code, "NotALeader"):
			return &graph.Error{Code: graph.Unavailable, Message: "the database is busy or unavailable; retry later", Err: err}
		case strings.Contains(n4e.Code, "ConstraintValidationFailed"):
			return &graph.Error{Code: graph.Conflict, Message: "the change conflicts with existing data", Err: err}
		}
		return &graph.Error{Code: graph.Internal, Message: "internal error", Err: err}
	}
	if neo4j.IsConnectivityError(err) || neo4j.IsTransactionExecutionLimit(err) || neo4j.IsRetryable(err) {
		return &graph.Error{Code: graph.Unavailable, Message: "the database is unavailable; retry later", Err: err}
	}
	return &graph.Error{Code: graph.Internal, Message: "internal error", Err: err}
}

// redactURI drops credentials from a URI before it is shown or logged.
func redactURI(uri string) string {
	if i := strings.Index(uri, "://"); i >= 0 {
		if j := strings.LastIndex(uri, "@"); j > i {
			return uri[:i+3] + "…@" + uri[j+1:]
		}
	}
	return uri
}

// driverLog sends the driver's log to slog; its errors are usually retried, so they are warnings.
type driverLog struct{ log *slog.Logger }

func (l driverLog) Error(name, id string, err error) {
	l.log.Warn("driver error", "name", name, "id", id, "err", err)
}
func (l driverLog) Warnf(name, id, msg string, args ...any) {
	l.log.Warn(fmt.Sprintf(msg, args...), "name", name, "id", id)
}
func (l driverLog) Infof(name, id, msg string, args ...any) {
	l.log.Debug(fmt.Sprintf(msg, args...), "name", name, "id", id)
}
func (l driverLog) Debugf(name, id, msg string, args ...any) {
	l.log.Debug(fmt.Sprintf(msg, args...), "name", name, "id", id)
}
