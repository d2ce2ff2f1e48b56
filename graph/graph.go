// Package graph holds gongjian's domain: the types of the regional party-building graph
// (区域化党建) and the error codes every layer speaks. It depends on nothing else in the
// project; the Neo4j store lives in graph/neo4jstore and the GraphQL layer in resolvers.
package graph
