package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/gongjian/gongjian/graph"
)

// The media types of GraphQL over HTTP.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// httpTransport serves GraphQL over HTTP as the GraphQL-over-HTTP specification says: GET (queries
// only) and POST with a JSON body. With `Accept: application/graphql-response+json` a request
// that cannot run (it does not parse or validate, its variables do not fit) answers 4xx and no
// `data`; with `application/json` (or no Accept) every well-formed request answers 200, as
// clients of that type expect. A body larger than maxBody is refused (413), and errors about a
// body never quote it.
type httpTransport struct{ maxBody int64 }

var _ graphql.Transport = httpTransport{}

// Supports implements graphql.Transport.
func (t httpTransport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return false
	}
	if r.Method == http.MethodGet {
		return true
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return r.Method == http.MethodPost && err == nil && mediaType == mediaJSON
}

// Do implements graphql.Transport.
func (t httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	strict, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		writeCoded(w, &graph.Error{Code: graph.BadUserInput, Field: "Accept",
			Message: "the response can be application/graphql-response+json or application/json; the Accept header takes neither"}, http.StatusNotAcceptable)
		return
	}
	contentType := mediaJSON
	if strict {
		contentType = mediaGraphQLResponse
	}
	w.Header().Set("Content-Type", contentType+"; charset=utf-8")
	start := graphql.Now()
	params, err := t.params(w, r)
	if err != nil {
		t.refuseParams(w, err)
		return
	}
	if params.Query == "" && params.Extensions["persistedQuery"] == nil {
		writeCoded(w, graph.FieldError("query", "the request has no query"), http.StatusBadRequest)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	oc, opErr := exec.CreateOperationContext(ctx, params)
	if opErr != nil {
		status := http.StatusOK
		if strict {
			status = http.StatusBadRequest
		}
		w.WriteHeader(status)
		writeRequestError(w, exec.DispatchError(graphql.WithOperationContext(ctx, oc), opErr))
		return
	}
	if r.Method == http.MethodGet && oc.Operation != nil && oc.Operation.Operation != ast.Query {
		w.Header().Set("Allow", http.MethodPost)
		writeCoded(w, graph.Errorf(graph.BadUserInput, "GET requests only allow queries: send a %s with POST", oc.Operation.Operation),
			http.StatusMethodNotAllowed)
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	b, err := json.Marshal(responses(ctx))
	if err != nil {
		writeCoded(w, &graph.Error{Code: graph.Internal, Message: "internal error", Err: err})
		return
	}
	_, _ = w.Write(b)
}

// params reads a request's GraphQL parameters: from the URL of a GET, from the JSON body of a
// POST (at most maxBody bytes).
// refuseParams answers a request whose parameters params could not read: 413 for a body over
// the limit, 400 otherwise.
func (t httpTransport) refuseParams(w http.ResponseWriter, err error) {
	status := http.StatusBadRequest
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		status = http.StatusRequestEntityTooLarge
		err = graph.Errorf(graph.BadUserInput, "the request body is larger than %d bytes", t.maxBody)
	}
	writeCoded(w, err, status)
}

func (t httpTransport) params(w http.ResponseWriter, r *http.Request) (*graphql.RawParams, error) {
	p := &graphql.RawParams{}
	if r.Method == http.MethodGet {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return nil, graph.FieldError("query", "the URL's query string does not parse")
		}
		p.Query, p.OperationName = q.Get("query"), q.Get("operationName")
		for name, dst := range map[string]any{"variables": &p.Variables, "extensions": &p.Extensions} {
			if v := q.Get(name); v != "" {
				if err := decodeJSON(strings.NewReader(v), dst); err != nil {
					return nil, graph.FieldError(name, "%s is not a JSON object: %s", name, jsonProblem(err))
				}
			}
		}
		return p, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, t.maxBody))
	if err != nil {
		return nil, err
	}
	var raw struct {
		Query         *json.RawMessage `json:"query"`
		OperationName *json.RawMessage `json:"operationName"`
		Variables     *json.RawMessage `json:"variables"`
		Extensions    *json.RawMessage `json:"extensions"`
	}
	if err := decodeJSON(bytes.NewReader(body), &raw); err != nil {
		return nil, graph.FieldError("body", "the body is not a JSON object of GraphQL parameters: %s", jsonProblem(err))
	}
	for _, f := range []struct {
		name string
		raw  *json.RawMessage
		dst  any
	}{{"query", raw.Query, &p.Query}, {"operationName", raw.OperationName, &p.OperationName},
		{"variables", raw.Variables, &p.Variables}, {"extensions", raw.Extensions, &p.Extensions}} {
		if f.raw == nil || string(*f.raw) == "null" {
			continue
		}
		if err := decodeJSON(bytes.NewReader(*f.raw), f.dst); err != nil {
			want := "a string"
			if f.name == "variables" || f.name == "extensions" {
				want = "an object"
			}
			return nil, graph.FieldError(f.name, "%s must be %s", f.name, want)
		}
	}
	return p, nil
}

// decodeJSON decodes one JSON value, numbers kept exact.
func decodeJSON(r io.Reader, dst any) error {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value")
	}
	return nil
}

// negotiate reads an Accept header: strict is true when the client prefers
// application/graphql-response+json; ok is false when it takes neither type.
func negotiate(accept string) (strict, ok bool) {
	if strings.TrimSpace(accept) == "" {
		return false, true
	}
	best, bestQ := "", -1.0
	for _, part := range strings.Split(accept, ",") {
		mediaType, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if q, err = strconv.ParseFloat(v, 64); err != nil {
				continue
			}
		}
		var as string
		switch mediaType {
		case mediaGraphQLResponse:
			as = mediaGraphQLResponse
		case mediaJSON, "application/*", "*/*":
			as = mediaJSON
		default:
			continue
		}
		if q > bestQ || q == bestQ && as == mediaGraphQLResponse {
			best, bestQ = as, q
		}
	}
	if bestQ <= 0 {
		return false, false
	}
	return best == mediaGraphQLResponse, true
}

// writeRequestError writes the response of a request that did not run: its errors and
// extensions, and no data (it was never executed).
func writeRequestError(w io.Writer, resp *graphql.Response) {
	b, err := json.Marshal(struct {
		Errors     gqlerror.List  `json:"errors"`
		Extensions map[string]any `json:"extensions,omitempty"`
	}{resp.Errors, resp.Extensions})
	if err != nil {
		b = []byte(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`)
	}
	_, _ = w.Write(b)
}

// unsupportedTransport answers the requests that no other transport takes, with a coded error:
// a method other than GET and POST (405), a body that is not JSON (415).
type unsupportedTransport struct{}

// Supports implements graphql.Transport.
func (unsupportedTransport) Supports(*http.Request) bool { return true }

// Do implements graphql.Transport.
func (unsupportedTransport) Do(w http.ResponseWriter, r *http.Request, _ graphql.GraphExecutor) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET, POST")
		writeCoded(w, graph.Errorf(graph.BadUserInput, "GraphQL is served with GET and POST, not %s", r.Method), http.StatusMethodNotAllowed)
		return
	}
	writeCoded(w, graph.FieldError("Content-Type", "a POST's body is JSON (Content-Type: application/json), not %q",
		fmt.Sprint(r.Header.Get("Content-Type"))), http.StatusUnsupportedMediaType)
}
