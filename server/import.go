package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/gongjian/gongjian/graph"
)

// importBatch is how many records /import applies in one transaction.
const importBatch = 500

// maxImportLine is the longest line /import reads.
const maxImportLine = 4 << 20

// importRecord is one line of an import: an operation, as OperationInput.
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

// batchReport is /import's answer for one batch, written as soon as the batch is committed or
// refused.
type batchReport struct {
	Batch     int           `json:"batch"`
	FirstLine int           `json:"firstLine"`
	LastLine  int           `json:"lastLine"`
	Records   int           `json:"records"`
	Applied   bool          `json:"applied"`
	Events    int           `json:"events"`
	Cursor    string        `json:"cursor,omitempty"`
	Errors    []recordError `json:"errors,omitempty"`
}

// recordError is an error of one record: its line in the body (from 1) and the field of the
// record at fault.
type recordError struct {
	Line    int    `json:"line"`
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// importSummary is /import's last line. Done says that the whole body was read and every
// batch answered; without it (or with done false) the import was cut off, and the records
// after the last batch reported must be sent again.
type importSummary struct {
	Done    bool         `json:"done"`
	Lines   int          `json:"lines"`
	Batches int          `json:"batches"`
	Applied int          `json:"appliedBatches"`
	Events  int          `json:"events"`
	Cursor  string       `json:"cursor,omitempty"`
	Error   *recordError `json:"error,omitempty"`
}

// serveImport applies an NDJSON body of operations (one a line, as OperationInput), in batches
// of 500 records, each all or nothing. It answers as it goes (the request and the answer
// stream both ways): one line per batch, flushed when the batch commits, with the error of
// every bad record, and a last summary line. Waiting for the body is bounded by
// ImportIdleTimeout between reads, not by the server's read timeout, so an import may run as
// long as it keeps sending.
func (s *Server) serveImport(w http.ResponseWriter, r *http.Request) {
	if !s.cfg.AllowWrites {
		writeCoded(w, graph.Errorf(graph.Forbidden, "writes are not allowed on this server (start it with -allow-writes=true)"))
		return
	}
	p := graph.PrincipalFrom(r.Context())
	if err := p.MayWrite(); err != nil {
		writeCoded(w, err)
		return
	}
	rc := http.NewResponseController(w)
	_ = rc.EnableFullDuplex() // HTTP/1.1: read the body while answering (HTTP/2 always may)
	w.Header().Set("Content-Type", "application/x-ndjson")
	emit := func(v any) {
		_ = rc.SetWriteDeadline(time.Now().Add(s.cfg.WriteTimeout))
		b, _ := json.Marshal(v)
		_, _ = w.Write(append(b, '\n'))
		_ = rc.Flush()
	}
	sc := bufio.NewScanner(idleReader{r: r.Body, rc: rc, idle: s.cfg.ImportIdleTimeout})
	sc.Buffer(make([]byte, 64*1024), maxImportLine)

	var sum importSummary
	line := 0
	var ops []graph.Operation
	var lines []int // the line of each operation, for its errors
	report := batchReport{FirstLine: 1}
	// flush applies the batch read so far; it reports whether the import may go on.
	flush := func() bool {
		if report.Records == 0 {
			return true
		}
		report.Batch, report.LastLine = sum.Batches, line
		fatal := false
		if len(report.Errors) == 0 {
			events, err := s.db.ApplyScoped(r.Context(), p.Name, p.Scope(), ops)
			if err == nil {
				report.Applied, report.Events = true, len(events)
				if len(events) > 0 {
					report.Cursor = strconv.FormatInt(events[len(events)-1].Seq, 10)
					sum.Cursor = report.Cursor
				}
			}
			for _, e := range graph.Errs(err) {
				report.Errors = append(report.Errors, s.recordErrorOf(r, lines, report.FirstLine, e))
				code := graph.ErrorCode(e)
				fatal = fatal || code == graph.Unavailable || code == graph.Internal
			}
		} else {
			// A malformed line refuses the batch; report the other records' errors too.
			_, errs := graph.NormalizeAll(ops)
			for _, e := range errs {
				if e != nil {
					report.Errors = append(report.Errors, s.recordErrorOf(r, lines, report.FirstLine, e))
				}
			}
		}
		emit(report)
		sum.Batches++
		if report.Applied {
			sum.Applied++
			sum.Events += report.Events
		}
		ops, lines, report = nil, nil, batchReport{FirstLine: line + 1}
		return !fatal
	}
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			if report.Records == 0 {
				report.FirstLine = line + 1
			}
			continue
		}
		report.Records++
		if op, err := decodeRecord(raw); err != nil {
			report.Errors = append(report.Errors, recordError{Line: line, Code: string(graph.BadUserInput), Message: err.Error()})
		} else {
			ops, lines = append(ops, op), append(lines, line)
		}
		if report.Records >= importBatch && !flush() {
			sum.Lines = line
			emit(sum)
			return
		}
	}
	if err := sc.Err(); err != nil {
		// The batch in progress is not applied: its records must be sent again.
		sum.Lines = line
		sum.Error = &recordError{Line: line + 1, Code: string(graph.BadUserInput), Message: readError(err, s.cfg.ImportIdleTimeout, report.FirstLine)}
		s.log.WarnContext(r.Context(), "import cut off", "line", line+1, "err", err)
		emit(sum)
		return
	}
	if !flush() {
		sum.Lines = line
		emit(sum)
		return
	}
	sum.Done, sum.Lines = true, line
	emit(sum)
}

// decodeRecord reads one line: exactly one JSON object of an operation's fields, numbers kept
// exact.
func decodeRecord(raw []byte) (graph.Operation, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var rec importRecord
	if err := dec.Decode(&rec); err != nil {
		return graph.Operation{}, fmt.Errorf("not a JSON operation: %s", jsonProblem(err))
	}
	if dec.More() {
		return graph.Operation{}, errors.New("not a JSON operation: more than one value on the line")
	}
	return graph.Operation{Op: rec.Op, NodeKind: rec.NodeKind, ID: rec.ID, Ref: rec.Ref, Rel: rec.RelationshipKind,
		From: rec.From, To: rec.To, Key: rec.Key, Props: rec.Properties}, nil
}

// jsonProblem says what is wrong with a line, without echoing it.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("invalid JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("%s must be a %s, not a %s", typ.Field, typ.Type, typ.Value)
	}
	return err.Error()
}

// readError explains why the body could not be read to its end.
func readError(err error, idle time.Duration, resend int) string {
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return fmt.Sprintf("the body stopped: nothing arrived for %s; send the records from line %d again", idle, resend)
	case errors.Is(err, bufio.ErrTooLong):
		return fmt.Sprintf("a line is longer than %d bytes; the records from line %d were not applied", maxImportLine, resend)
	}
	return fmt.Sprintf("reading the body failed; send the records from line %d again", resend)
}

// recordErrorOf reports an error of a batch on the line of the record it names (operations[i]
// is the batch's i-th record), with the field within the record.
func (s *Server) recordErrorOf(r *http.Request, lines []int, first int, err error) recordError {
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.Code == graph.Internal {
		s.log.ErrorContext(r.Context(), "import", "err", err)
		return recordError{Line: first, Code: string(graph.Internal), Message: "internal error"}
	}
	out := recordError{Line: first, Code: string(ge.Code), Field: ge.Field, Message: ge.Message}
	if i, rest, ok := graph.OperationField(ge.Field); ok && i < len(lines) {
		out.Line, out.Field = lines[i], rest
	}
	return out
}

// idleReader bounds each read of a request body by an idle timeout of its own.
type idleReader struct {
	r    io.Reader
	rc   *http.ResponseController
	idle time.Duration
}

func (ir idleReader) Read(p []byte) (int, error) {
	_ = ir.rc.SetReadDeadline(time.Now().Add(ir.idle))
	return ir.r.Read(p)
}
