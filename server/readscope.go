package server

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// readScoper is a database whose reads in a context can share one read transaction
// (neo4jstore.Store.ReadScope).
type readScoper interface {
	ReadScope(ctx context.Context) (context.Context, func())
}

// readScope lets the reads of a query operation share one read transaction, which ends with
// its first response, or with the request if that comes first. Mutations and subscriptions
// read in transactions of their own: a mutation's answer must see its write, and a
// subscription lives on.
func (s *Server) readScope(ctx context.Context) (context.Context, func()) {
	sc, ok := s.db.(readScoper)
	if !ok || s.cfg.OwnReadTransactions || !graphql.HasOperationContext(ctx) {
		return ctx, func() {}
	}
	if op := graphql.GetOperationContext(ctx).Operation; op == nil || op.Operation != ast.Query {
		return ctx, func() {}
	}
	ctx, end := sc.ReadScope(ctx)
	stop := context.AfterFunc(ctx, end)
	return ctx, func() {
		stop()
		end()
	}
}
