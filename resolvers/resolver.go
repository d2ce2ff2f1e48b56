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
	Pages  graph.PageLimits
}
