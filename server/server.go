// Package server is gongjian's HTTP transport: the GraphQL endpoint (POST, GET, websocket),
// GraphiQL, health and readiness, CORS, query limits and graceful shutdown.
package server

import (
	"bufio"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"sync"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/resolvers"
	"github.com/gongjian/gongjian/resolvers/planner"
	"github.com/gongjian/gongjian/web"
)

// Database is what the server needs of the store.
type Database interface {
	Ping(ctx context.Context) error
	Info(ctx context.Context) (graph.DatabaseInfo, error)
	// EnsureSchema applies missing migrations; safe to call repeatedly.
	EnsureSchema(ctx context.Context) error
	Close(ctx context.Context) error
	// The graph's reads, writes and change feed, for the resolvers.
	resolvers.GraphReader
	resolvers.GraphWriter
	// SubtreeCounter counts the places of each place's subtree.
	SubtreeCounter
	// FeedHead is the sequence number of the newest change event.
	FeedHead(ctx context.Context) (int64, error)
	// PruneChanges deletes the change events older than the cutoff.
	PruneChanges(ctx context.Context, cutoff time.Time) (int64, error)
	// Authenticate finds the caller of an API key.
	Authenticator
}

// Config holds the server's settings; cmd/gongjian fills it from flags and the environment.
type Config struct {
	CORSOrigins   []string // origins allowed to call the API from a browser; "*" for any
	MaxComplexity int      // largest query complexity accepted
	MaxDepth      int      // deepest selection accepted
	MaxBodyBytes  int64    // largest GraphQL request body accepted
	// AnswerCacheBytes bounds the answers of read operations kept until the next write (64 MB
	// when 0; none when negative).
	AnswerCacheBytes int64
	// OwnReadTransactions reads every statement of a query in a transaction of its own; by
	// default the reads of one query share one (for side-by-side benchmarks).
	OwnReadTransactions bool
	MaxRootFields       int // most root fields an operation may ask
	MaxAliases          int // most aliases an operation may use
	Pages               graph.PageLimits

	ReadTimeout  time.Duration // whole request, body included
	WriteTimeout time.Duration // from the end of the request headers to the end of the response
	IdleTimeout  time.Duration // keep-alive connections
	// ImportIdleTimeout bounds each wait for the next bytes of an /import body, instead of
	// ReadTimeout, so that a long import is not cut off while it keeps sending.
	ImportIdleTimeout time.Duration
	// WSInitTimeout is how long a websocket may take to send its connection_init.
	WSInitTimeout time.Duration
	// WSRecheck is how often a websocket's credential is checked again (default 10 s).
	WSRecheck time.Duration
	// FeedPollInterval is how often the live change feed polls for new events.
	FeedPollInterval time.Duration
	ShutdownTimeout  time.Duration // how long in-flight requests may take to finish on shutdown

	// ExpectedSchemaVersion is the newest migration this build knows.
	ExpectedSchemaVersion int
	// MigrationBackoffMax caps the wait between attempts to migrate while Neo4j is down.
	MigrationBackoffMax time.Duration

	// AllowWrites accepts mutations and imports from the roles that may write.
	AllowWrites bool
	// WarmPlans has Neo4j plan the heaviest questions' statements once the schema is up to
	// date, when the database can (see planWarmer).
	WarmPlans bool
	// Auth says how callers are authenticated and what anonymous ones may do.
	Auth AuthConfig
	// FeedRetention is how long change events are kept (default 30 days).
	FeedRetention time.Duration

	// SlowOperation is the duration from which an operation is logged as slow, with the names
	// of its statements (0: never).
	SlowOperation time.Duration
	// AdminAddr, when set, is the address of a second listener that serves /metrics (which the
	// public one then does not) and, with Pprof, /debug/pprof/.
	AdminAddr string
	Pprof     bool
	// Tracer provides the spans of requests and operations; nil: OpenTelemetry's global
	// provider (a no-op unless cmd/gongjian set one up from OTEL_* variables).
	Tracer trace.TracerProvider
}

// WithDefaults fills unset settings with the documented defaults.
func (c Config) WithDefaults() Config {
	if c.MaxComplexity <= 0 {
		c.MaxComplexity = 100000
	}
	if c.MaxDepth <= 0 {
		c.MaxDepth = 15
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.AnswerCacheBytes == 0 {
		c.AnswerCacheBytes = 64 << 20
	}
	if c.MaxRootFields <= 0 {
		c.MaxRootFields = 30
	}
	if c.MaxAliases <= 0 {
		c.MaxAliases = 200
	}
	if c.Pages.Max <= 0 {
		c.Pages = graph.DefaultPageLimits
	}
	if c.FeedRetention <= 0 {
		c.FeedRetention = 30 * 24 * time.Hour
	}
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = 30 * time.Second
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = 60 * time.Second
	}
	if c.ImportIdleTimeout <= 0 {
		c.ImportIdleTimeout = 30 * time.Second
	}
	if c.WSInitTimeout <= 0 {
		c.WSInitTimeout = 10 * time.Second
	}
	if c.WSRecheck <= 0 {
		c.WSRecheck = 10 * time.Second
	}
	if c.FeedPollInterval <= 0 {
		c.FeedPollInterval = 500 * time.Millisecond
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 120 * time.Second
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = 30 * time.Second
	}
	if c.MigrationBackoffMax <= 0 {
		c.MigrationBackoffMax = 10 * time.Second
	}
	return c
}

// Server serves gongjian's HTTP API.
type Server struct {
	cfg      Config
	db       Database
	log      *slog.Logger
	ready    *Readiness
	handler  http.Handler
	auth     *authenticator
	hub      *Hub         // the live change feed's one poller
	subtrees *subtrees    // the places' subtree sizes, for pricing the aggregates
	answers  *answerCache // read answers kept until the next write; nil when off
	metrics  *metrics
	tracer   trace.Tracer
	tp       trace.TracerProvider
	handlers sync.WaitGroup // the HTTP handlers running, hijacked websockets included
	initErr  error          // a configuration error found by New, returned by Run
}

// New builds the server and its routes. It does not touch the network or the database.
func New(cfg Config, db Database, log *slog.Logger) *Server {
	cfg = cfg.WithDefaults()
	log = slog.New(requestIDHandler{log.Handler()})
	s := &Server{cfg: cfg, db: db, log: log}
	s.tp = cfg.Tracer
	if s.tp == nil {
		s.tp = otel.GetTracerProvider()
	}
	s.tracer = s.tp.Tracer("github.com/gongjian/gongjian/server")
	s.ready = newReadiness(db, cfg.ExpectedSchemaVersion, log)
	s.hub = NewHub(db, cfg.FeedPollInterval, log)
	s.subtrees = &subtrees{src: db, log: log}
	var err error
	if err = planner.CheckDirectives(); err != nil {
		s.initErr = err
	}
	if s.auth, err = newAuthenticator(cfg.Auth, db); err != nil {
		s.initErr = err
		s.auth, _ = newAuthenticator(AuthConfig{}, db)
	}
	s.metrics = newMetrics(s)
	s.handler = s.routes()
	return s
}

// Handler returns the server's root handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Readiness returns the readiness tracker.
func (s *Server) Readiness() *Readiness { return s.ready }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	api := s.cors(s.authenticate(s.graphqlHandler()))
	mux.Handle("/graphql", compressed(api))
	// A query's first list as a spreadsheet, through the same handler (key, masking, limits).
	sheet := s.cors(s.sheetHandler(api))
	mux.Handle("GET /sheet", sheet)
	mux.Handle("POST /sheet", sheet)
	mux.Handle("OPTIONS /sheet", sheet)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /assets/", compressedPage(http.StripPrefix("/assets/", web.Assets())))
	mux.Handle("GET /{$}", compressedPage(http.HandlerFunc(web.ServeGraphiQL)))
	mux.Handle("GET /explore", compressedPage(http.HandlerFunc(web.ServeExplorer)))
	mux.Handle("GET /dashboard", compressedPage(http.HandlerFunc(web.ServeDashboard)))
	mux.HandleFunc("GET /favicon.ico", web.ServeFavicon)
	mux.HandleFunc("GET /favicon.svg", web.ServeFavicon)
	// The streams (/changes, /export) are not compressed here: a feed consumer reads each
	// line as it comes, and a proxy may compress them if wanted.
	mux.Handle("GET /changes", s.authenticate(http.HandlerFunc(s.serveChanges)))
	mux.Handle("POST /import", s.authenticate(http.HandlerFunc(s.serveImport)))
	mux.Handle("GET /export", s.authenticate(http.HandlerFunc(s.serveExport)))
	if s.cfg.AdminAddr == "" {
		mux.Handle("GET /metrics", s.metrics.handler())
	}
	traced := otelhttp.NewHandler(s.logRequests(mux), "http",
		otelhttp.WithTracerProvider(s.tp), otelhttp.WithPropagators(propagation.TraceContext{}),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method }))
	return withRequestID(traced)
}

// adminRoutes serve the metrics and, when enabled, the profiler, on the admin address.
func (s *Server) adminRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metrics.handler())
	if s.cfg.Pprof {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	return mux
}

// Run applies the schema in the background (retrying while Neo4j is down), serves on ln until
// ctx is cancelled, then shuts down gracefully: it stops accepting connections, lets in-flight
// requests finish (up to ShutdownTimeout), ends subscriptions, and closes the database driver.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	if s.initErr != nil {
		return s.initErr
	}
	baseCtx, cancelBase := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBase()
	hs := &http.Server{
		Handler:           s.handler,
		ReadTimeout:       s.cfg.ReadTimeout,
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return baseCtx },
	}

	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		s.ready.migrate(baseCtx, s.cfg.MigrationBackoffMax)
		if w, ok := s.db.(planWarmer); ok && s.cfg.WarmPlans {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.warmPlans(baseCtx, w)
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.subtrees.run(baseCtx, 10*time.Minute)
		}()
		if k, ok := s.db.(aggregateKeeper); ok {
			wg.Add(1)
			go func() {
				defer wg.Done()
				k.RunAggregates(baseCtx, s.cfg.FeedPollInterval)
			}()
		}
		s.pruneFeed(baseCtx)
	}()
	go func() {
		defer wg.Done()
		s.hub.Run(baseCtx)
	}()

	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()
	s.log.Info("serving", "addr", ln.Addr().String())
	if s.cfg.AdminAddr != "" {
		adminLn, lerr := net.Listen("tcp", s.cfg.AdminAddr)
		if lerr != nil {
			s.log.Error("the admin address is not available: no /metrics", "addr", s.cfg.AdminAddr, "err", lerr)
		} else {
			admin := &http.Server{Handler: s.adminRoutes(), ReadHeaderTimeout: 10 * time.Second}
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = admin.Serve(adminLn)
			}()
			go func() {
				<-baseCtx.Done()
				_ = admin.Close()
			}()
			s.log.Info("serving metrics", "addr", adminLn.Addr().String(), "pprof", s.cfg.Pprof)
		}
	}

	var err error
	select {
	case err = <-serveErr:
		// The listener failed; nothing to drain.
	case <-ctx.Done():
		s.log.Info("shutting down: finishing in-flight requests", "timeout", s.cfg.ShutdownTimeout)
		shutdownCtx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
		err = hs.Shutdown(shutdownCtx)
		cancel()
		if err != nil {
			s.log.Warn("in-flight requests did not finish in time; closing them", "err", err)
			_ = hs.Close()
		}
		<-serveErr
	}
	// Subscriptions (hijacked websocket connections), the feed's poller, the migration and
	// pruning loops end with baseCtx.
	cancelBase()
	wg.Wait()
	// Shutdown waited for the ordinary requests; the hijacked ones (websockets) end with baseCtx.
	handlersDone := make(chan struct{})
	go func() { s.handlers.Wait(); close(handlersDone) }()
	select {
	case <-handlersDone:
	case <-time.After(s.cfg.ShutdownTimeout):
		s.log.Warn("websocket handlers did not end in time")
	}
	closeCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if cerr := s.db.Close(closeCtx); cerr != nil {
		s.log.Warn("closing the database driver", "err", cerr)
	}
	s.log.Info("stopped")
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// logRequests logs each request at debug level, and slow or failed ones at info.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Counted so that Run returns only once every handler has, hijacked websockets included.
		s.handlers.Add(1)
		defer s.handlers.Done()
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		took := time.Since(start)
		s.metrics.request(r.Pattern, rec.status, took)
		if span := trace.SpanFromContext(r.Context()); r.Pattern != "" && span.IsRecording() {
			span.SetAttributes(semconv.HTTPRoute(r.Pattern))
		}
		level := slog.LevelDebug
		if rec.status >= 500 || took > 2*time.Second {
			level = slog.LevelInfo
		}
		s.log.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path,
			"status", rec.status, "took", took.Round(time.Microsecond))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController and the websocket upgrader reach the connection.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Flush supports streaming responses.
func (r *statusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack supports the websocket upgrade.
func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := r.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("hijacking is not supported")
	}
	return h.Hijack()
}
