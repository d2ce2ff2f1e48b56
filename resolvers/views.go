package resolvers

import "github.com/gongjian/gongjian/graph"

// nodeView is a typed view of a node: graph.Place, graph.Unit, …
type nodeView interface {
	~struct{ *graph.Node }
}

// view wraps a node in its typed view; nil stays nil.
func view[T nodeView](n *graph.Node) *T {
	if n == nil {
		return nil
	}
	v := T(struct{ *graph.Node }{n})
	return &v
}

// viewOf wraps the node a single-valued field returns.
func viewOf[T nodeView](n *graph.Node, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	return view[T](n), nil
}

// views wraps a page's nodes.
func views[T nodeView](nodes []*graph.Node) []T {
	out := make([]T, len(nodes))
	for i, n := range nodes {
		out[i] = T(struct{ *graph.Node }{n})
	}
	return out
}

// entityOf returns the typed view of the node a union-typed field returns.
func entityOf(n *graph.Node, err error) (graph.Entity, error) {
	if err != nil || n == nil {
		return nil, err
	}
	return graph.Typed(n), nil
}

// entities returns the typed views of a page's nodes.
func entities(nodes []*graph.Node) []graph.Entity {
	out := make([]graph.Entity, len(nodes))
	for i, n := range nodes {
		out[i] = graph.Typed(n)
	}
	return out
}
