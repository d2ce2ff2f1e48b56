package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gongjian/gongjian/graph"
)

// Readiness tracks whether the service can serve requests: the schema is migrated and Neo4j
// answers within a second. It implements resolvers.StatusSource.
type Readiness struct {
	db       Database
	expected int
	log      *slog.Logger

	mu           sync.Mutex
	migrated     bool
	migrationErr string
	lastReady    *bool // for logging transitions
}

func newReadiness(db Database, expected int, log *slog.Logger) *Readiness {
	return &Readiness{db: db, expected: expected, log: log, migrationErr: "schema migration has not run yet"}
}

// ExpectedSchemaVersion is the newest migration this build knows.
func (r *Readiness) ExpectedSchemaVersion() int { return r.expected }

// migrate applies the schema, retrying with exponential back-off until it succeeds or ctx ends.
func (r *Readiness) migrate(ctx context.Context, maxBackoff time.Duration) {
	backoff := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := r.db.EnsureSchema(ctx)
		if err == nil {
			r.mu.Lock()
			r.migrated, r.migrationErr = true, ""
			r.mu.Unlock()
			return
		}
		if ctx.Err() != nil {
			return
		}
		r.mu.Lock()
		r.migrationErr = "schema migration pending: " + graph.ErrorMessage(err)
		r.mu.Unlock()
		r.log.Warn("schema migration failed; retrying", "attempt", attempt, "in", backoff, "err", err)
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return
		}
		backoff = min(backoff*2, maxBackoff)
	}
}

// Status checks Neo4j now, with a one-second limit, and reports.
func (r *Readiness) Status(ctx context.Context) graph.ServiceStatus {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	st := graph.ServiceStatus{CheckedAt: time.Now()}
	info, err := r.db.Info(ctx)
	r.mu.Lock()
	migrated, migrationErr := r.migrated, r.migrationErr
	r.mu.Unlock()
	switch {
	case err != nil:
		st.Reason = "neo4j did not answer within 1s: " + graph.ErrorMessage(err)
	case !migrated:
		st.Reachable, st.Database = true, info
		st.Reason = migrationErr
	default:
		st.Reachable, st.Database, st.Ready = true, info, true
	}
	r.noteTransition(st, err)
	return st
}

func (r *Readiness) noteTransition(st graph.ServiceStatus, err error) {
	r.mu.Lock()
	changed := r.lastReady == nil || *r.lastReady != st.Ready
	ready := st.Ready
	r.lastReady = &ready
	r.mu.Unlock()
	if !changed {
		return
	}
	if st.Ready {
		r.log.Info("ready", "neo4j", st.Database.Version, "schema", st.Database.SchemaVersion)
	} else {
		r.log.Warn("not ready", "reason", st.Reason, "err", err)
	}
}

// healthz answers while the process is alive, whatever the database does.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok"})
}

// readyz answers 200 when the service can serve requests, 503 with the reason otherwise.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	st := s.ready.Status(r.Context())
	body := map[string]any{
		"ready":                 st.Ready,
		"neo4jReachable":        st.Reachable,
		"expectedSchemaVersion": s.ready.expected,
		"checkedAt":             st.CheckedAt.UTC().Format(time.RFC3339Nano),
	}
	code := http.StatusOK
	if !st.Ready {
		code = http.StatusServiceUnavailable
		body["reason"] = st.Reason
	}
	if st.Reachable {
		body["neo4jVersion"] = st.Database.Version
		body["schemaVersion"] = st.Database.SchemaVersion
	}
	writeJSON(w, code, body)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
