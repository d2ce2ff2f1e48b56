package server

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/xuri/excelize/v2"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/resolvers/generated"
)

// sheetHandler serves /sheet: it runs a GraphQL query through the API's own handler (the
// caller's key, its masking and scope, the cost and depth limits, and the GET rule that only
// queries run) and returns the answer's first list as a spreadsheet, CSV or XLSX (?format=),
// with Chinese column headers. The query comes as /graphql takes it over GET (query, variables,
// operationName in the URL) or as a JSON body {query, variables, operationName} by POST.
func (s *Server) sheetHandler(api http.Handler) http.Handler {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		format := r.URL.Query().Get("format")
		if format == "" {
			format = "csv"
		}
		if format != "csv" && format != "xlsx" {
			writeCoded(w, graph.FieldError("format", "format must be csv or xlsx, not %q", format))
			return
		}
		params, err := sheetParams(w, r, httpTransport{maxBody: s.cfg.MaxBodyBytes})
		if err != nil {
			httpTransport{maxBody: s.cfg.MaxBodyBytes}.refuseParams(w, err)
			return
		}
		// The API answers as to a GET: a mutation or subscription is refused there.
		inner := r.Clone(r.Context())
		inner.Method, inner.Body, inner.ContentLength = http.MethodGet, http.NoBody, 0
		inner.URL = &url.URL{Path: "/graphql", RawQuery: params.Encode()}
		inner.Header.Set("Accept", "application/graphql-response+json")
		inner.Header.Del("Content-Type")
		inner.Header.Del("Accept-Encoding")
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		api.ServeHTTP(rec, inner)
		var answer struct {
			Data   json.RawMessage   `json:"data"`
			Errors []json.RawMessage `json:"errors"`
		}
		if err := json.Unmarshal(rec.body.Bytes(), &answer); err != nil || len(answer.Errors) > 0 || rec.status != http.StatusOK {
			// The API's own errors, as it gave them (the status follows the first error's code): a
			// sheet of a partial answer would mislead.
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			status := rec.status
			if status == http.StatusOK {
				status = http.StatusBadRequest
				if len(answer.Errors) > 0 {
					var first struct {
						Extensions struct {
							Code graph.Code `json:"code"`
						} `json:"extensions"`
					}
					if json.Unmarshal(answer.Errors[0], &first) == nil && first.Extensions.Code != "" {
						status = httpStatus(first.Extensions.Code)
					}
				}
			}
			w.WriteHeader(status)
			_, _ = w.Write(rec.body.Bytes())
			return
		}
		dec := json.NewDecoder(bytes.NewReader(answer.Data))
		dec.UseNumber()
		data, err := decodeOrdered(dec)
		doc, _ := gqlparser.LoadQuery(schema, params.Get("query"))
		var sel ast.SelectionSet
		if doc != nil {
			if op := doc.Operations.ForName(params.Get("operationName")); op != nil {
				sel = op.SelectionSet
			}
		}
		obj, isObject := data.(object)
		if err != nil || !isObject {
			writeCoded(w, graph.Errorf(graph.BadUserInput, "the answer holds no list"))
			return
		}
		t, err := tabulate(obj, sel)
		if err != nil {
			writeCoded(w, graph.Errorf(graph.BadUserInput, "the answer holds no list: select one (e.g. nodes of a connection)"))
			return
		}
		name := sheetName(r.URL.Query().Get("name"))
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"gongjian.%s\"; filename*=UTF-8''%s.%s", format, url.PathEscape(name), format))
		w.Header().Set("Cache-Control", "no-store")
		if format == "csv" {
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			err = writeCSV(w, t)
		} else {
			w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			err = writeXLSX(w, t, name)
		}
		if err != nil {
			s.log.WarnContext(r.Context(), "sheet", "err", err)
		}
	})
}

// sheetParams reads the query, variables and operation name of a sheet request as /graphql
// reads them (GET parameters or a JSON body), and gives them as the API's GET parameters.
func sheetParams(w http.ResponseWriter, r *http.Request, t httpTransport) (url.Values, error) {
	p, err := t.params(w, r)
	if err != nil {
		return nil, err
	}
	if p.Query == "" {
		return nil, graph.FieldError("query", "the request has no query")
	}
	out := url.Values{"query": {p.Query}}
	if p.OperationName != "" {
		out.Set("operationName", p.OperationName)
	}
	if len(p.Variables) > 0 {
		b, err := json.Marshal(p.Variables)
		if err != nil {
			return nil, graph.FieldError("variables", "variables do not encode: %v", err)
		}
		out.Set("variables", string(b))
	}
	return out, nil
}

// recorder keeps what the API wrote.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(status int)      { r.status = status }

// badSheetChars are the characters Excel refuses in a sheet's name.
var badSheetChars = regexp.MustCompile(`[\[\]:*?/\\]`)

func sheetName(name string) string {
	name = strings.TrimSpace(badSheetChars.ReplaceAllString(name, " "))
	if name == "" {
		name = "gongjian"
	}
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	return name
}

// cellText is a cell as CSV writes it.
func cellText(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// writeCSV writes the table as UTF-8 CSV with a byte-order mark, so that Excel reads the
// Chinese as it is.
func writeCSV(w io.Writer, t *table) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	c := csv.NewWriter(w)
	if err := c.Write(t.Headers); err != nil {
		return err
	}
	rec := make([]string, len(t.Headers))
	for _, row := range t.Rows {
		for i, v := range row {
			rec[i] = cellText(v)
		}
		if err := c.Write(rec); err != nil {
			return err
		}
	}
	c.Flush()
	return c.Error()
}

// writeXLSX writes the table as one sheet: a bold, frozen header row, numbers as numbers.
func writeXLSX(w io.Writer, t *table, name string) error {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEF2F7"}}})
	if err != nil {
		return err
	}
	for i, h := range t.Headers {
		if err := sw.SetColWidth(i+1, i+1, float64(min(60, max(10, 2*len([]rune(h))+4)))); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(t.Headers))
	for i, h := range t.Headers {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for r, row := range t.Rows {
		cells := make([]any, len(row))
		for i, v := range row {
			switch v := v.(type) {
			case json.Number:
				if n, err := v.Int64(); err == nil {
					cells[i] = n
				} else if x, err := v.Float64(); err == nil {
					cells[i] = x
				} else {
					cells[i] = v.String()
				}
			default:
				cells[i] = v
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}
