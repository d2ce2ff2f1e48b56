package resolvers

import "github.com/gongjian/gongjian/resolvers/planner"

// plan is the planner over the resolver's reader and page sizes, which batches the reads of the
// relationship and @batch fields.
func (r *Resolver) plan() *planner.Planner {
	return &planner.Planner{Graph: r.Graph, Pages: r.Pages}
}
