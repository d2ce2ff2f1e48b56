// The explorer's small graph helpers over a network answer's edges (undirected): who is
// joined to whom, and how far each node lies from a root.

// adjacency gives each node's distinct neighbours.
export function adjacency(edges) {
  const adj = new Map();
  for (const e of edges) {
    if (!adj.has(e.source)) adj.set(e.source, new Set());
    if (!adj.has(e.target)) adj.set(e.target, new Set());
    adj.get(e.source).add(e.target);
    adj.get(e.target).add(e.source);
  }
  return adj;
}

// distances counts relationships from the root, breadth first; nodes it cannot reach are
// absent, and so is everything when there is no root.
export function distances(adj, root) {
  const dist = new Map();
  if (root == null) return dist;
  dist.set(root, 0);
  let frontier = [root];
  while (frontier.length) {
    const next = [];
    for (const id of frontier) {
      for (const m of adj.get(id) || []) {
        if (!dist.has(m)) { dist.set(m, dist.get(id) + 1); next.push(m); }
      }
    }
    frontier = next;
  }
  return dist;
}
