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
	"slices"
	"strconv"
	"sync"
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
	// One goroutine reads and decodes the body while this one applies the batch before: the
	// reading overlaps the commits. It ends when the body does, or when told to stop.
	batches, stop := make(chan importWork, 1), make(chan struct{})
	var reader sync.WaitGroup
	reader.Add(1)
	go func() {
		defer reader.Done()
		s.readImport(r, rc, batches, stop)
	}()
	var sum importSummary
	ended := false
	defer func() {
		close(stop)
		if !ended {
			_ = rc.SetReadDeadline(time.Now()) // a read in progress returns at once
		}
		reader.Wait()
	}()
	for w := range batches {
		if w.end != nil {
			ended = true
			sum.Done, sum.Lines, sum.Error = w.end.Done, w.end.Lines, w.end.Error
			break
		}
		report, fatal := s.applyImport(r, p, w, sum.Batches)
		s.metrics.importBatch(report)
		emit(report)
		sum.Batches++
		sum.Lines = report.LastLine
		if report.Applied {
			sum.Applied++
			sum.Events += report.Events
			if report.Cursor != "" {
				sum.Cursor = report.Cursor
			}
		}
		if fatal {
			break
		}
	}
	emit(sum)
}

// importWork is a batch read from an import's body, or its end.
type importWork struct {
	report batchReport       // lines, records and the errors of malformed lines
	ops    []graph.Operation // the decoded records
	lines  []int             // the line of each
	end    *importSummary    // the body's end: read whole (Done), or cut off (Error)
}

// readImport reads an import's body into batches of importBatch records, until the body ends
// (then a last work item with end set) or stop is closed.
func (s *Server) readImport(r *http.Request, rc *http.ResponseController, out chan<- importWork, stop <-chan struct{}) {
	defer close(out)
	send := func(w importWork) bool {
		select {
		case out <- w:
			return true
		case <-stop:
			return false
		}
	}
	sc := bufio.NewScanner(idleReader{r: r.Body, rc: rc, idle: s.cfg.ImportIdleTimeout})
	sc.Buffer(make([]byte, 64*1024), maxImportLine)
	line := 0
	w := importWork{report: batchReport{FirstLine: 1}}
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			if w.report.Records == 0 {
				w.report.FirstLine = line + 1
			}
			continue
		}
		w.report.Records++
		if op, err := decodeRecord(raw); err != nil {
			w.report.Errors = append(w.report.Errors, recordError{Line: line, Code: string(graph.BadUserInput), Message: err.Error()})
		} else {
			w.ops, w.lines = append(w.ops, op), append(w.lines, line)
		}
		if w.report.Records >= importBatch {
			w.report.LastLine = line
			if !send(w) {
				return
			}
			w = importWork{report: batchReport{FirstLine: line + 1}}
		}
	}
	if err := sc.Err(); err != nil {
		// The batch in progress is not applied: its records must be sent again.
		select {
		case <-stop:
		default:
			s.log.WarnContext(r.Context(), "import cut off", "line", line+1, "err", err)
		}
		send(importWork{end: &importSummary{Lines: line, Error: &recordError{Line: line + 1, Code: string(graph.BadUserInput),
			Message: readError(err, s.cfg.ImportIdleTimeout, w.report.FirstLine)}}})
		return
	}
	if w.report.Records > 0 {
		w.report.LastLine = line
		if !send(w) {
			return
		}
	}
	send(importWork{end: &importSummary{Done: true, Lines: line}})
}

// applyImport applies one batch of an import, all or nothing, and reports it; fatal says that
// the import cannot go on (the database is unavailable, or failed).
func (s *Server) applyImport(r *http.Request, p *graph.Principal, w importWork, batch int) (report batchReport, fatal bool) {
	report = w.report
	report.Batch = batch
	if len(report.Errors) > 0 {
		// A malformed line refuses the batch; report the other records' errors too.
		_, errs := graph.NormalizeAll(w.ops)
		for _, e := range errs {
			if e != nil {
				report.Errors = append(report.Errors, s.recordErrorOf(r, w.lines, report.FirstLine, e))
			}
		}
		slices.SortStableFunc(report.Errors, func(a, b recordError) int { return a.Line - b.Line })
		return report, false
	}
	events, err := s.db.ApplyScoped(r.Context(), p.Name, p.Scope(), w.ops)
	if err == nil {
		report.Applied, report.Events = true, len(events)
		if len(events) > 0 {
			report.Cursor = strconv.FormatInt(events[len(events)-1].Seq, 10)
		}
	}
	for _, e := range graph.Errs(err) {
		report.Errors = append(report.Errors, s.recordErrorOf(r, w.lines, report.FirstLine, e))
		code := graph.ErrorCode(e)
		fatal = fatal || code == graph.Unavailable || code == graph.Internal
	}
	return report, fatal
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
