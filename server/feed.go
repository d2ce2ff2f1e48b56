package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gongjian/gongjian/graph"
)

// eventJSON is a change event as the NDJSON feed writes it.
type eventJSON struct {
	Seq     int64           `json:"seq"`
	Entity  string          `json:"entity"`
	Kind    string          `json:"kind"`
	ID      string          `json:"id"`
	Op      string          `json:"op"`
	Changes []*graph.Change `json:"changes"`
	Actor   string          `json:"actor"`
	At      time.Time       `json:"at"`
}

// serveChanges streams the change feed after a cursor as NDJSON, one event a line:
// GET /changes?after=<seq>&limit=<n> (limit 1–10000, default 1000; no cursor: from the oldest
// event kept). The last line, {"cursor": "<seq>", "more": …}, is the cursor to pass next: it
// moves past the events the caller may not read (an integrator reads its own systems' records,
// unless its key reads all).
func (s *Server) serveChanges(w http.ResponseWriter, r *http.Request) {
	p := graph.PrincipalFrom(r.Context())
	if !p.ReadsFeed() {
		writeCoded(w, graph.Errorf(graph.Forbidden, "your role may not read the change feed"))
		return
	}
	after := int64(-1) // from the oldest event kept
	if v := r.URL.Query().Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			writeCoded(w, graph.FieldError("after", "after must be a sequence number"))
			return
		}
		after = n
	}
	var err error
	limit := 1000
	if v := r.URL.Query().Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 10000 {
			writeCoded(w, graph.FieldError("limit", "limit must be between 1 and 10000"))
			return
		}
	}
	page, err := graph.ReadFeed(r.Context(), s.db.Changes, after, limit, p.FeedSystems())
	if err != nil {
		if graph.ErrorCode(err) != graph.BadUserInput {
			s.log.WarnContext(r.Context(), "change feed", "err", err)
		}
		writeCoded(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	out := lineWriter{w: w}
	mask := !p.SeesPersonal()
	for _, e := range page.Events {
		_ = out.write(eventJSON{e.Seq, e.Entity, e.Kind, e.ID, e.Op, graph.MaskChanges(e.Changes, mask), e.Actor, e.At})
	}
	last := map[string]any{"more": page.More}
	if page.Next >= 0 {
		last["cursor"] = strconv.FormatInt(page.Next, 10)
	}
	_ = out.write(last)
}

// httpStatus is the HTTP status of a coded error.
func httpStatus(code graph.Code) int {
	switch code {
	case graph.BadUserInput:
		return http.StatusBadRequest
	case graph.Unauthenticated:
		return http.StatusUnauthorized
	case graph.Forbidden:
		return http.StatusForbidden
	case graph.NotFound:
		return http.StatusNotFound
	case graph.Conflict:
		return http.StatusConflict
	case graph.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// writeCoded answers an HTTP request with a coded error, shaped as a GraphQL response
// ({"errors": [{"message", "extensions": {"code"}}]}) so that every GraphQL client reads it; the
// status follows the code (401 asks for credentials), unless one is given.
func writeCoded(w http.ResponseWriter, err error, status ...int) {
	code := graph.ErrorCode(err)
	ext := map[string]any{"code": code}
	var ge *graph.Error
	if errors.As(err, &ge) && ge.Field != "" && code != graph.Internal {
		ext["field"] = ge.Field
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	if code == graph.Unauthenticated {
		w.Header().Set("WWW-Authenticate", `Bearer realm="gongjian"`)
	}
	st := httpStatus(code)
	if len(status) > 0 {
		st = status[0]
	}
	w.WriteHeader(st)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{"message": graph.ErrorMessage(err), "extensions": ext}}})
}

// pruneFeed deletes the events older than the retention, hourly, until ctx ends.
func (s *Server) pruneFeed(ctx context.Context) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if n, err := s.db.PruneChanges(ctx, time.Now().Add(-s.cfg.FeedRetention)); err != nil {
			s.log.DebugContext(ctx, "pruning the change feed", "err", err)
		} else if n > 0 {
			s.log.InfoContext(ctx, "pruned the change feed", "events", n)
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return
		}
	}
}

// Exporter streams the graph consistent with a point of the change feed.
type Exporter interface {
	Export(ctx context.Context, systems []string, cursor func(seq int64) error, node func(*graph.Node) error, rel func(*graph.Relationship) error) error
}

// serveExport streams the whole graph as NDJSON, for a consumer to bootstrap from: first a
// line {"cursor": "<seq>"}, the newest event when the export began, then one line per node and
// per relationship, then {"end": true}. The export holds no lock: writes go on while it
// streams, and it may already show some of them. A consumer that loads it and then applies the
// feed from the cursor ends equal to the database, because applying an event again changes
// nothing (see the README: the snapshot contract).
func (s *Server) serveExport(w http.ResponseWriter, r *http.Request) {
	p := graph.PrincipalFrom(r.Context())
	if !p.ReadsFeed() {
		writeCoded(w, graph.Errorf(graph.Forbidden, "your role may not export"))
		return
	}
	ex, ok := s.db.(Exporter)
	if !ok {
		writeCoded(w, graph.Errorf(graph.Unavailable, "this store cannot export"))
		return
	}
	// An export of a large graph outlasts the server's write timeout.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
	// The lines' properties are masked for the caller where they are made (Properties asks).
	enc := lineWriter{w: w}
	started := false
	err := ex.Export(r.Context(), p.FeedSystems(),
		func(seq int64) error {
			w.Header().Set("Content-Type", "application/x-ndjson")
			started = true
			return enc.write(map[string]any{"cursor": strconv.FormatInt(seq, 10)})
		},
		func(n *graph.Node) error {
			return enc.write(map[string]any{"type": "node", "kind": n.Label, "id": n.ID, "properties": graph.ExportProperties(r.Context(), n.Props)})
		},
		func(rel *graph.Relationship) error {
			return enc.write(map[string]any{"type": "relationship", "kind": rel.Kind, "id": rel.ID(), "from": rel.From, "to": rel.To,
				"properties": graph.ExportProperties(r.Context(), rel.Props)})
		})
	if err != nil {
		s.log.WarnContext(r.Context(), "export", "err", err)
		if !started {
			writeCoded(w, err)
			return
		}
		// The stream is cut: the consumer sees no closing line and must retry.
		_ = enc.write(map[string]any{"error": graph.ErrorMessage(err)})
		return
	}
	_ = enc.write(map[string]any{"end": true})
}

// lineWriter writes NDJSON lines.
type lineWriter struct{ w http.ResponseWriter }

func (l lineWriter) write(v any) error {
	// Not HTML: ids such as PART_OF:a->b keep their ">".
	enc := json.NewEncoder(l.w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
