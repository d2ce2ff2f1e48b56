package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/gongjian/gongjian/graph"
)

// RequestIDHeader carries a request's id: taken from the caller when it is a plain token,
// made up otherwise, and sent back on the response.
const RequestIDHeader = "X-Request-Id"

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// withRequestID gives every request an id, in its context (and so in every log line written
// with it) and on the response.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !requestIDPattern.MatchString(id) {
			var b [12]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set(RequestIDHeader, id)
		next.ServeHTTP(w, r.WithContext(graph.WithRequestID(r.Context(), id)))
	})
}

// requestIDHandler adds the request id (and the trace id, when a span is recording) of the
// record's context to every log record.
type requestIDHandler struct{ slog.Handler }

// Handle implements slog.Handler.
func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := graph.RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		r.AddAttrs(slog.String("trace_id", sc.TraceID().String()))
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}

// WithGroup implements slog.Handler.
func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// operationCode is an answer's outcome: OK, or its first error's code.
func operationCode(resp *graphql.Response) string {
	if resp == nil || len(resp.Errors) == 0 {
		return "OK"
	}
	if c, ok := resp.Errors[0].Extensions["code"].(string); ok && c != "" {
		return c
	}
	return "GRAPHQL_ERROR"
}

// observeOperation wraps an operation: a span, and on its (first) answer the metrics, one log
// line and, above the slow threshold, a warning with the statements' names.
func (s *Server) observeOperation(ctx context.Context, next graphql.OperationHandler, trips *graph.RoundTrips) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	name, kind := oc.OperationName, "unknown"
	if oc.Operation != nil {
		kind = string(oc.Operation.Operation)
		if name == "" {
			name = oc.Operation.Name
		}
	}
	spanName := "graphql " + kind
	if name != "" {
		spanName += " " + name
	}
	ctx, span := s.tracer.Start(ctx, spanName, trace.WithAttributes(
		attribute.String("graphql.operation.type", kind), attribute.String("graphql.operation.name", name)))
	start := time.Now()
	respond := next(ctx)
	first := true
	return func(ctx context.Context) *graphql.Response {
		resp := respond(ctx)
		if !first {
			return resp
		}
		first = false
		took, code, n := time.Since(start), operationCode(resp), trips.Count()
		if st := extension.GetComplexityStats(ctx); st != nil {
			span.SetAttributes(attribute.Int("gongjian.complexity", st.Complexity))
		}
		span.SetAttributes(attribute.Int64("gongjian.db_round_trips", n), attribute.String("gongjian.outcome", code))
		if code != "OK" {
			span.SetStatus(codes.Error, code)
		}
		span.End()
		s.metrics.operation(name, kind, code, took, n)
		if resp != nil && resp.Extensions != nil && resp.Extensions["cache"] != nil {
			s.metrics.cache.WithLabelValues(resp.Extensions["cache"].(string)).Inc()
		}
		attrs := []any{"name", name, "type", kind, "took", took.Round(time.Microsecond), "round_trips", n, "outcome", code}
		switch {
		case s.cfg.SlowOperation > 0 && took >= s.cfg.SlowOperation:
			s.log.WarnContext(ctx, "slow operation", append(attrs, "statements", trips.Names())...)
		default:
			s.log.InfoContext(ctx, "operation", attrs...)
		}
		return resp
	}
}
