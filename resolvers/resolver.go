// Package resolvers holds gongjian's GraphQL resolvers: thin functions that check arguments and
// call the store. The executable schema that gqlgen generates from schema/*.graphqls lives in
// resolvers/generated and its models in resolvers/model; both are regenerated, never edited.
package resolvers

//go:generate sh -c "cd .. && go tool gqlgen generate"

import (
	"context"

	"github.com/gongjian/gongjian/graph"
)

// StatusSource reports the service's health; the server's readiness tracker implements it.
type StatusSource interface {
	// Status checks the database now (within a second) and reports.
	Status(ctx context.Context) graph.ServiceStatus
	// ExpectedSchemaVersion is the newest migration this build knows.
	ExpectedSchemaVersion() int
}

// Resolver is the root resolver; it holds the dependencies that resolvers use.
type Resolver struct {
	Status StatusSource
	Graph  GraphReader
	Writes GraphWriter
	Feed   FeedSubscriber
	// AllowWrites accepts mutations; without it they answer FORBIDDEN.
	AllowWrites bool
	Pages       graph.PageLimits
}

// GraphWriter writes the graph and reads its change feed; the Neo4j store implements it.
type GraphWriter interface {
	// ApplyScoped runs operations all or nothing, within a write scope (nil: anywhere), and
	// returns the events they appended.
	ApplyScoped(ctx context.Context, actor string, scope *graph.WriteScope, ops []graph.Operation) ([]*graph.ChangeEvent, error)
	// Changes returns the events after a sequence number, oldest first.
	Changes(ctx context.Context, after int64, limit int) ([]*graph.ChangeEvent, error)
}

// FeedSubscriber streams the change feed live; the server's hub implements it.
type FeedSubscriber interface {
	// Subscribe streams the events after a cursor (nil: from now) of records from the systems
	// (nil: all) until ctx ends.
	Subscribe(ctx context.Context, after *int64, systems []string) (<-chan *graph.ChangeEvent, error)
}
