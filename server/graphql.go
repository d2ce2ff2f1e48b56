package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	coderws "github.com/coder/websocket"
	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/resolvers"
	"github.com/gongjian/gongjian/resolvers/generated"
	"github.com/gongjian/gongjian/resolvers/planner"
)

// statementCost is what a root field costs for the statement it runs, beyond what it selects.
const statementCost = 100

func (s *Server) graphqlHandler() http.Handler {
	cfg := generated.Config{
		Resolvers: &resolvers.Resolver{Status: s.ready, Graph: s.db, Writes: notifyingWriter{s.db, s.hub}, Feed: s.hub,
			AllowWrites: s.cfg.AllowWrites, Pages: s.cfg.Pages},
	}
	resolvers.Complexity(&cfg.Complexity, s.cfg.Pages)
	resolvers.RootCosts(&cfg.Complexity, resolvers.Costs{Statement: statementCost, Subtree: s.subtrees.size})
	h := handler.New(generated.NewExecutableSchema(cfg))
	// Each operation gets its own cache, in which the resolvers batch their reads, and counts
	// its database round trips; the count is reported in the response's extensions.
	h.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		ctx, trips := graph.WithRoundTrips(planner.WithRequestCache(ctx))
		ctx, endScope := s.readScope(ctx)
		opCtx := ctx
		respond := s.observeOperation(ctx, next, trips)
		return func(ctx context.Context) *graphql.Response {
			resp := respond(ctx)
			endScope()
			if resp != nil {
				if resp.Extensions == nil {
					resp.Extensions = map[string]any{}
				}
				resp.Extensions["dbRoundTrips"] = trips.Count()
				resp.Extensions["prefetchMisses"] = planner.PrefetchMisses(opCtx)
				if st := extension.GetComplexityStats(ctx); st != nil {
					resp.Extensions["complexity"] = st.Complexity
				}
			}
			return resp
		}
	})
	// Read answers are kept until the next write (inside the round-trip count: a hit costs the
	// one statement that reads the feed's sequence).
	if s.cfg.AnswerCacheBytes > 0 {
		s.answers = newAnswerCache(s.cfg.AnswerCacheBytes, s.db.FeedHead)
		h.Use(s.answers)
	}
	// A websocket authenticates with its init payload: {"authorization": "Bearer …"} or
	// {"x-api-key": "…"}.
	wsAuth := func(ctx context.Context, payload map[string]any) (*graph.Principal, error) {
		cred, _ := payload["x-api-key"].(string)
		if a, _ := payload["authorization"].(string); strings.HasPrefix(a, "Bearer ") {
			cred = strings.TrimSpace(strings.TrimPrefix(a, "Bearer "))
		}
		remote, _ := ctx.Value(remoteKey{}).(string)
		return s.auth.principal(ctx, cred, remote)
	}
	h.AddTransport(wsTransport{origins: originHosts(s.cfg.CORSOrigins), initTimeout: s.cfg.WSInitTimeout, recheck: s.cfg.WSRecheck,
		keepAlive: 15 * time.Second, auth: wsAuth, log: s.log})
	// The older protocol (graphql-ws, of subscriptions-transport-ws), for older clients.
	h.AddTransport(transport.Websocket{
		KeepAlivePingInterval: 10 * time.Second,
		InitFunc: func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			p, err := wsAuth(ctx, payload)
			if err != nil {
				return ctx, nil, err
			}
			return graph.WithPrincipal(ctx, p), nil, nil
		},
		Implementation: transport.CoderWebsocketImplementation{
			AcceptOptions: coderws.AcceptOptions{OriginPatterns: originHosts(s.cfg.CORSOrigins)},
		},
	})
	h.AddTransport(transport.Options{})
	h.AddTransport(httpTransport{maxBody: s.cfg.MaxBodyBytes})
	h.AddTransport(unsupportedTransport{})
	// Parsed queries take about ten times their text; 64 MB of them, and 16 MB of persisted ones.
	h.SetQueryCache(newQueryCache[*ast.QueryDocument](64<<20, 10))
	h.Use(extension.Introspection{})
	h.Use(extension.AutomaticPersistedQuery{Cache: newQueryCache[string](16<<20, 1)})
	h.Use(introspectionGuard{auth: s.auth})
	h.Use(RootLimit{MaxRoot: s.cfg.MaxRootFields, MaxAliases: s.cfg.MaxAliases})
	h.Use(extension.FixedComplexityLimit(s.cfg.MaxComplexity))
	h.Use(DepthLimit{Max: s.cfg.MaxDepth})
	h.SetErrorPresenter(errorPresenter(s.log))
	h.SetRecoverFunc(func(ctx context.Context, v any) error {
		s.log.ErrorContext(ctx, "panic in resolver", "panic", v, "stack", string(debug.Stack()))
		return &graph.Error{Code: graph.Internal, Message: "internal error", Err: fmt.Errorf("panic: %v", v)}
	})
	return h
}

// cors answers preflight requests and sets the CORS headers for the configured origins.
// With no origins configured, browsers on other origins are refused.
func (s *Server) cors(next http.Handler) http.Handler {
	allowAll := slices.Contains(s.cfg.CORSOrigins, "*")
	allowed := map[string]bool{}
	for _, o := range s.cfg.CORSOrigins {
		allowed[strings.TrimRight(o, "/")] = true
	}
	return cors.New(cors.Options{
		AllowOriginFunc: func(origin string) bool { return allowAll || allowed[origin] },
		AllowedMethods:  []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders:  []string{"Content-Type", "Authorization", "X-Api-Key", "Accept"},
		ExposedHeaders:  []string{"Content-Type"},
		MaxAge:          600,
	}).Handler(next)
}

// originHosts turns allowed origins (scheme://host:port) into the host patterns that the
// websocket library matches Origin headers against; same-origin is always allowed.
func originHosts(origins []string) []string {
	var hosts []string
	for _, o := range origins {
		if o == "*" {
			return []string{"*"}
		}
		if u, err := url.Parse(o); err == nil && u.Host != "" {
			hosts = append(hosts, u.Host)
		}
	}
	return hosts
}

// DepthLimit rejects operations whose selections nest deeper than Max fields (fragments are
// followed; introspection counts like any other selection).
type DepthLimit struct{ Max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = DepthLimit{}

// ExtensionName implements graphql.HandlerExtension.
func (DepthLimit) ExtensionName() string { return "DepthLimit" }

// Validate implements graphql.HandlerExtension.
func (d DepthLimit) Validate(graphql.ExecutableSchema) error {
	if d.Max < 1 {
		return errors.New("depth limit must be at least 1")
	}
	return nil
}

// MutateOperationContext implements graphql.OperationContextMutator.
func (d DepthLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	if depth := SelectionDepth(oc.Operation.SelectionSet); depth > d.Max {
		err := gqlerror.Errorf("operation is nested %d levels deep, more than the limit of %d", depth, d.Max)
		errcode.Set(err, "DEPTH_LIMIT_EXCEEDED")
		return err
	}
	return nil
}

// SelectionDepth is the number of nested fields in the deepest branch of set.
func SelectionDepth(set ast.SelectionSet) int {
	return selectionDepth(set, map[string]bool{})
}

func selectionDepth(set ast.SelectionSet, visiting map[string]bool) int {
	deepest := 0
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			d = 1 + selectionDepth(s.SelectionSet, visiting)
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet, visiting)
		case *ast.FragmentSpread:
			if s.Definition == nil || visiting[s.Name] {
				continue
			}
			visiting[s.Name] = true
			d = selectionDepth(s.Definition.SelectionSet, visiting)
			delete(visiting, s.Name)
		}
		deepest = max(deepest, d)
	}
	return deepest
}

// gqlgenInputCodes are the codes gqlgen gives to requests it rejects before execution; clients
// see them as BAD_USER_INPUT, with gqlgen's code kept in extensions.reason.
var gqlgenInputCodes = map[string]bool{
	errcode.ParseFailed:             true,
	errcode.ValidationFailed:        true,
	"COMPLEXITY_LIMIT_EXCEEDED":     true,
	"DEPTH_LIMIT_EXCEEDED":          true,
	"PERSISTED_QUERY_NOT_FOUND":     true,
	"PERSISTED_QUERY_NOT_SUPPORTED": true,
}

// errorPresenter gives every GraphQL error an extensions.code; internal details are logged, and
// the client sees only a generic message.
func errorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if gqlErr.Extensions == nil {
			gqlErr.Extensions = map[string]any{}
		}
		var ge *graph.Error
		if errors.As(err, &ge) {
			gqlErr.Message = graph.ErrorMessage(ge)
			gqlErr.Extensions["code"] = string(ge.Code)
			if ge.Field != "" {
				gqlErr.Extensions["field"] = ge.Field
			}
			switch ge.Code {
			case graph.Internal:
				log.ErrorContext(ctx, "internal error", "path", gqlErr.Path.String(), "err", err)
			case graph.Unavailable:
				log.WarnContext(ctx, "database unavailable", "path", gqlErr.Path.String(), "err", err)
			}
			return gqlErr
		}
		if code, ok := gqlErr.Extensions["code"].(string); ok && gqlgenInputCodes[code] {
			gqlErr.Extensions["code"] = string(graph.BadUserInput)
			gqlErr.Extensions["reason"] = code
			return gqlErr
		}
		if len(gqlErr.Path) == 0 && gqlErr.Extensions["code"] == nil {
			// A request-level error that gqlgen raised before execution (an undecodable body,
			// a missing query): the client's fault.
			gqlErr.Extensions["code"] = string(graph.BadUserInput)
			return gqlErr
		}
		log.ErrorContext(ctx, "unexpected error", "path", gqlErr.Path.String(), "err", err)
		return &gqlerror.Error{
			Message:    "internal error",
			Path:       gqlErr.Path,
			Locations:  gqlErr.Locations,
			Extensions: map[string]any{"code": string(graph.Internal)},
		}
	}
}
