package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/gongjian/gongjian/graph"
)

// answerCache keeps the answers of read operations and serves them again while nothing has
// been written since. An answer is keyed by its document, operation name and variables, by the
// caller (name, role, places, systems: what masking and scope depend on) and by today's date
// (undated questions mean today); it is stored with the feed's sequence number as read before
// the answer was computed. Every committed write advances that number, so each read first asks
// the database for it (one small statement) and serves a cached answer only when it is
// unchanged: a client reads its own writes, and a write made through another server process
// is seen at once. Answers with errors, and operations that read the service's status, are not
// kept. Memory is bounded in bytes, least recently used first.
type answerCache struct {
	entries *queryCache[*cachedAnswer]
	head    func(ctx context.Context) (int64, error)
	hits    atomic.Int64
	misses  atomic.Int64
}

type cachedAnswer struct {
	seq  int64
	data json.RawMessage
}

// Size is the answer's weight in the cache's byte bound.
func (a *cachedAnswer) Size() int64 { return int64(len(a.data)) + 64 }

func newAnswerCache(maxBytes int64, head func(ctx context.Context) (int64, error)) *answerCache {
	return &answerCache{entries: newQueryCache[*cachedAnswer](maxBytes, 1), head: head}
}

// ExtensionName implements graphql.HandlerExtension.
func (c *answerCache) ExtensionName() string { return "AnswerCache" }

// Validate implements graphql.HandlerExtension.
func (c *answerCache) Validate(graphql.ExecutableSchema) error { return nil }

// volatileFields are root fields whose answers change without a write.
var volatileFields = []string{"serviceStatus"}

// cacheable reports whether an operation's answer may be kept: a query that reads no volatile
// root field.
func cacheable(op *ast.OperationDefinition, doc *ast.QueryDocument) bool {
	if op == nil || op.Operation != ast.Query {
		return false
	}
	var walk func(ast.SelectionSet) bool
	walk = func(set ast.SelectionSet) bool {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				for _, v := range volatileFields {
					if s.Name == v {
						return false
					}
				}
			case *ast.InlineFragment:
				if !walk(s.SelectionSet) {
					return false
				}
			case *ast.FragmentSpread:
				if f := doc.Fragments.ForName(s.Name); f != nil && !walk(f.SelectionSet) {
					return false
				}
			}
		}
		return true
	}
	return walk(op.SelectionSet)
}

// key identifies an answer: the operation asked, by whom, on which day.
func (c *answerCache) key(ctx context.Context, oc *graphql.OperationContext) string {
	p := graph.PrincipalFrom(ctx)
	vars, _ := json.Marshal(oc.Variables) // map keys are sorted
	h := sha256.New()
	for _, part := range []string{oc.RawQuery, oc.OperationName, string(vars), graph.Today().String()} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	if p != nil {
		h.Write([]byte(p.Name + "\x00" + string(p.Role) + "\x00" + strings.Join(p.Places, ",") + "\x00" + strings.Join(p.Systems, ",")))
		if p.ReadsAll {
			h.Write([]byte("\x00all"))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// InterceptOperation implements graphql.OperationInterceptor.
func (c *answerCache) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if !cacheable(oc.Operation, oc.Doc) {
		return next(ctx)
	}
	seq, err := c.head(ctx)
	if err != nil {
		return next(ctx) // the database will say what is wrong
	}
	key := c.key(ctx, oc)
	if a, ok := c.entries.Get(ctx, key); ok && a.seq == seq {
		c.hits.Add(1)
		served := false
		return func(ctx context.Context) *graphql.Response {
			if served {
				return nil
			}
			served = true
			return &graphql.Response{Data: a.data, Extensions: map[string]any{"cache": "hit"}}
		}
	}
	c.misses.Add(1)
	respond := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		resp := respond(ctx)
		if resp == nil {
			return nil
		}
		if len(resp.Errors) == 0 && len(resp.Data) > 0 {
			c.entries.Add(ctx, key, &cachedAnswer{seq: seq, data: append(json.RawMessage(nil), resp.Data...)})
		}
		if resp.Extensions == nil {
			resp.Extensions = map[string]any{}
		}
		resp.Extensions["cache"] = "miss"
		return resp
	}
}
