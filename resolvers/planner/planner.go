// Package planner batches the reads of a GraphQL operation so that its round trips to the
// database do not grow with the sizes of its lists.
//
// A root field (places, node, …) loads its own nodes, then walks the
// query's selection set level by level: at each level, every relationship field selected on
// the nodes of that level is loaded for all of them at once, one entry per distinct field and
// arguments, and the pages are put into the request's cache. The @hop fields of one level are
// read in one statement (Hops), with the @hop fields of the nestDepth levels below them run in
// it for each node of their pages (HopCall.Nested); a root lookup or list reads the levels
// below it the same way in its own statement (Lookup, List). Levels found in the cache cost
// nothing. The field resolvers then find their pages in the cache. A request thus costs one
// round trip per root field and per nestDepth+1 levels of relationship fields, plus one per
// @batch field and level, whatever the sizes of the lists. A resolver that misses the cache
// (it never should) loads its own page and walks its own subtree.
//
// A field is batched when its schema definition says how: @hop (a relationship followed to
// nodes of known kinds) or @batch (a named loader; CheckDirectives checks the names at
// start-up). Answers say which of their parts hold nodes (graph.Parent), so that the walk needs
// no list of answer types. Arguments are decoded once, into the generated input types (args.go),
// for the prefetch and the field's own resolver alike.
package planner

import "github.com/gongjian/gongjian/graph"

// Planner reads the pages of an operation's relationship and @batch fields, level by level,
// into the operation's cache (WithRequestCache), where the field resolvers find them.
type Planner struct {
	// Graph is what it reads.
	Graph Reader
	// Pages are the page sizes: the default and the largest allowed.
	Pages graph.PageLimits
}
