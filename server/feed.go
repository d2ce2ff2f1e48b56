package server

import (
	"bufio"
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
// GET /changes?after=<seq>&limit=<n> (limit 1–10000, default 1000). The last line's seq is the
// cursor to pass next.
func (s *Server) serveChanges(w http.ResponseWriter, r *http.Request) {
	p := graph.PrincipalFrom(r.Context())
	if !p.ReadsFeed() {
		writeCoded(w, graph.Errorf(graph.Forbidden, "your role may not read the change feed"))
		return
	}
	after, err := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	if r.URL.Query().Get("after") == "" {
		after, err = 0, nil
	}
	if err != nil || after < 0 {
		writeCoded(w, graph.FieldError("after", "after must be a sequence number"))
		return
	}
	limit := 1000
	if v := r.URL.Query().Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 10000 {
			writeCoded(w, graph.FieldError("limit", "limit must be between 1 and 10000"))
			return
		}
	}
	events, err := s.db.Changes(r.Context(), after, limit)
	if err != nil {
		s.log.WarnContext(r.Context(), "change feed", "err", err)
		writeCoded(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	out := lineWriter{w: w, scrub: !p.SeesPersonal()}
	for _, e := range events {
		out.write(eventJSON{e.Seq, e.Entity, e.Kind, e.ID, e.Op, e.Changes, e.Actor, e.At})
	}
}

// importBatch is how many records /import applies in one transaction.
const importBatch = 500

// importRecord is one line of an import: an operation.
type importRecord struct {
	Op               graph.OpKind       `json:"op"`
	NodeKind         graph.NodeKind     `json:"nodeKind"`
	ID               string             `json:"id"`
	Ref              *graph.ExternalRef `json:"ref"`
	RelationshipKind graph.RelKind      `json:"relationshipKind"`
	From             string             `json:"from"`
	To               string             `json:"to"`
	Key              string             `json:"key"`
	Properties       map[string]any     `json:"properties"`
}

// batchReport is /import's answer for one batch.
type batchReport struct {
	Batch   int           `json:"batch"`
	First   int           `json:"firstRecord"`
	Records int           `json:"records"`
	Applied bool          `json:"applied"`
	Events  int           `json:"events"`
	Cursor  int64         `json:"cursor,omitempty"`
	Errors  []recordError `json:"errors,omitempty"`
}

type recordError struct {
	Record  int    `json:"record"`
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// serveImport applies an NDJSON body of operations (one a line, as OperationInput with
// `properties`), in batches of 500 lines, each all or nothing; it answers one NDJSON line per
// batch, with the errors of each bad record. Writes must be allowed.
func (s *Server) serveImport(w http.ResponseWriter, r *http.Request) {
	if !s.cfg.AllowWrites {
		writeCoded(w, graph.Errorf(graph.Forbidden, "writes are not allowed on this server (start it with -allow-writes=true)"))
		return
	}
	p := graph.PrincipalFrom(r.Context())
	if !p.Writes() {
		writeCoded(w, graph.Errorf(graph.Forbidden, "your role may not write"))
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	enc := json.NewEncoder(w)
	sc := bufio.NewScanner(r.Body)
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	line, batch := 0, 0
	var ops []graph.Operation
	var lines []int // the line of each operation, for its errors
	var report batchReport
	flush := func() {
		if len(ops) == 0 && len(report.Errors) == 0 {
			return
		}
		report.Batch, report.Records = batch, len(ops)+len(report.Errors)
		_, errs := graph.NormalizeAll(ops)
		for i, err := range errs {
			if err != nil {
				report.Errors = append(report.Errors, toRecordError(lines[i], err))
			}
		}
		if len(report.Errors) == 0 {
			events, err := s.db.ApplyScoped(r.Context(), p.Name, p.Scope(), ops)
			if err != nil {
				report.Errors = append(report.Errors, toRecordError(report.First, err))
			} else {
				report.Applied, report.Events = true, len(events)
				if len(events) > 0 {
					report.Cursor = events[len(events)-1].Seq
				}
			}
		}
		_ = enc.Encode(report)
		batch++
		ops, lines, report = nil, nil, batchReport{First: line}
	}
	for sc.Scan() {
		raw := sc.Bytes()
		if len(raw) == 0 {
			line++
			continue
		}
		var rec importRecord
		if err := json.Unmarshal(raw, &rec); err != nil {
			report.Errors = append(report.Errors, recordError{Record: line, Code: string(graph.BadUserInput), Message: "not a JSON operation: " + err.Error()})
		} else {
			lines = append(lines, line)
			ops = append(ops, graph.Operation{Op: rec.Op, NodeKind: rec.NodeKind, ID: rec.ID, Ref: rec.Ref, Rel: rec.RelationshipKind,
				From: rec.From, To: rec.To, Key: rec.Key, Props: rec.Properties})
		}
		line++
		if line-report.First >= importBatch {
			flush()
		}
	}
	flush()
	if err := sc.Err(); err != nil {
		_ = enc.Encode(recordError{Record: line, Code: string(graph.BadUserInput), Message: "reading the body: " + err.Error()})
	}
}

// toRecordError reports an error of a record; the field names the record's operation index
// within its batch, which the record number replaces.
func toRecordError(record int, err error) recordError {
	var ge *graph.Error
	if errors.As(err, &ge) {
		return recordError{Record: record, Code: string(ge.Code), Field: ge.Field, Message: ge.Message}
	}
	return recordError{Record: record, Code: string(graph.Internal), Message: "internal error"}
}

// writeCoded answers a plain HTTP request with a coded JSON error.
func writeCoded(w http.ResponseWriter, err error) {
	code := graph.ErrorCode(err)
	status := map[graph.Code]int{graph.BadUserInput: 400, graph.NotFound: 404, graph.Conflict: 409, graph.Forbidden: 403,
		graph.Unavailable: 503}[code]
	if status == 0 {
		status = 500
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": code, "message": graph.ErrorMessage(err)}})
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
	Export(ctx context.Context, cursor func(seq int64) error, node func(*graph.Node) error, rel func(*graph.Relationship) error) error
}

// serveExport streams the whole graph as NDJSON, for a consumer to bootstrap from: first a
// line {"cursor": "<seq>"}, the point of the change feed the export is consistent with, then
// one line per node and per relationship. A consumer follows the feed from that cursor, with
// no gap and no duplicate. Writes wait while an export runs.
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
	enc := lineWriter{w: w, scrub: !p.SeesPersonal()}
	started := false
	err := ex.Export(r.Context(),
		func(seq int64) error {
			w.Header().Set("Content-Type", "application/x-ndjson")
			started = true
			return enc.write(map[string]any{"cursor": strconv.FormatInt(seq, 10)})
		},
		func(n *graph.Node) error {
			return enc.write(map[string]any{"type": "node", "kind": n.Label, "id": n.ID, "properties": graph.NetworkNodeOf(n).Properties()})
		},
		func(rel *graph.Relationship) error {
			return enc.write(map[string]any{"type": "relationship", "kind": rel.Kind, "id": rel.ID(), "from": rel.From, "to": rel.To,
				"properties": graph.NetworkEdgeOf(rel).Properties()})
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

// lineWriter writes NDJSON lines, masking members' personal fields for roles that may not see
// them.
type lineWriter struct {
	w     http.ResponseWriter
	scrub bool
}

func (l lineWriter) write(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if l.scrub {
		b = graph.ScrubJSON(b)
	}
	_, err = l.w.Write(append(b, '\n'))
	return err
}
