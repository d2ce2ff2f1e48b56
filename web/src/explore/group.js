// Grouping large sets of alike neighbours into one node: the nodes of one kind that are joined
// to exactly the same nodes of the answer (312 members who live in and report to one community)
// are drawn as one node, "312 人员", which expands into them on a double-click. Pure: it works on
// network answers ({nodes, edges}) and knows nothing of the page.

import { adjacency, distances } from './graph.js';

// GROUP_MIN is the smallest set drawn as a group.
export const GROUP_MIN = 10;

// group returns the answer with every set of at least `min` alike nodes replaced by one group
// node, and the groups by their node's id: {kind, members, edges} to put back on expansion.
// The nodes in `keep` (the root, nodes already drawn) are never grouped; `root` is where the
// distances that say which neighbour is nearer are counted from.
export function group(net, { min = GROUP_MIN, root = null, keep = new Set(), name = (k) => k } = {}) {
  const neighbours = adjacency(net.edges);
  // Alike: one kind, the same neighbours (one or two of them: a hub's leaves, or the members
  // between a unit and a community).
  const sets = new Map();
  for (const n of net.nodes) {
    const around = neighbours.get(n.id);
    if (keep.has(n.id) || !around || around.size > 2) continue;
    const key = `${n.kind}|${[...around].sort().join('|')}`;
    if (!sets.has(key)) sets.set(key, []);
    sets.get(key).push(n);
  }
  const groups = new Map();
  const grouped = new Map(); // member id → group id
  for (const [key, members] of sets) {
    if (members.length < min) continue;
    const [kind, ...around] = key.split('|');
    // A group never swallows the nodes it hangs on.
    if (around.some((id) => grouped.has(id))) continue;
    const id = `group:${key}`;
    groups.set(id, { id, kind, around, members, edges: [] });
    for (const m of members) grouped.set(m.id, id);
  }
  // Then the nodes of one kind hanging on one node nearer the root (the members who live in a
  // community, each with a volunteer team or a party branch of their own): one group, which
  // also holds what hangs on its members alone; its edges to anything else are kept.
  const dist = distances(neighbours, root);
  const around = new Set([...groups.values()].flatMap((g) => g.around));
  const hanging = new Map();
  for (const n of net.nodes) {
    const nb = neighbours.get(n.id);
    if (keep.has(n.id) || grouped.has(n.id) || around.has(n.id) || !nb || nb.size > 6 || !dist.has(n.id)) continue;
    const parent = [...nb].filter((m) => (dist.get(m) ?? Infinity) < dist.get(n.id)).sort()[0];
    if (!parent || grouped.has(parent)) continue;
    const key = `${n.kind}|${parent}`;
    if (!hanging.has(key)) hanging.set(key, []);
    hanging.get(key).push(n);
  }
  const byId = new Map(net.nodes.map((n) => [n.id, n]));
  for (const [key, members] of hanging) {
    if (members.length < min) continue;
    const [kind, parent] = key.split('|');
    const live = members.filter((m) => !grouped.has(m.id));
    if (grouped.has(parent) || live.length < min) continue;
    const id = `group:${key}:near`;
    const inside = new Set(live.map((m) => m.id));
    // What hangs on the members alone goes into the group with them.
    const held = [];
    for (const m of live) {
      for (const x of neighbours.get(m.id)) {
        if (inside.has(x) || keep.has(x) || grouped.has(x) || around.has(x) || x === parent) continue;
        if ([...neighbours.get(x)].every((y) => inside.has(y))) { inside.add(x); held.push(byId.get(x)); }
      }
    }
    groups.set(id, { id, kind, around: [parent], members: [...live, ...held], core: live.length, edges: [] });
    for (const m of inside) grouped.set(m, id);
  }
  if (!groups.size) return { nodes: net.nodes, edges: net.edges, groups };

  const nodes = net.nodes.filter((n) => !grouped.has(n.id));
  const edges = [];
  const summary = new Map(); // group edge id → edge
  for (const e of net.edges) {
    const gs = grouped.get(e.source), gt = grouped.get(e.target);
    if (!gs && !gt) { edges.push(e); continue; }
    const g = groups.get(gs || gt);
    g.edges.push(e);
    if (gs && gs === gt) continue; // inside the group
    if (gs && gt) groups.get(gt).edges.push(e);
    const source = gs || e.source, target = gt || e.target;
    const id = `${e.kind}:${source}->${target}`;
    if (!summary.has(id)) summary.set(id, { id, kind: e.kind, source, target, properties: { count: 0 }, group: true });
    summary.get(id).properties.count += 1;
  }
  for (const g of groups.values()) {
    nodes.push({
      id: g.id, kind: g.kind, group: true, count: g.members.length, core: g.core ?? g.members.length, around: g.around,
      label: `${g.core ?? g.members.length} ${name(g.kind)}${g.core && g.core < g.members.length ? ` (+${g.members.length - g.core})` : ''}`, properties: {},
    });
  }
  edges.push(...summary.values());
  return { nodes, edges, groups };
}

// hubs are the nodes whose labels are always drawn: the `top` best joined, and any with at
// least `degree` edges.
export function hubs(nodes, edges, { top = 15, degree = 12 } = {}) {
  const d = new Map();
  for (const e of edges) {
    d.set(e.source, (d.get(e.source) || 0) + 1);
    d.set(e.target, (d.get(e.target) || 0) + 1);
  }
  const ranked = nodes.map((n) => n.id).sort((a, b) => (d.get(b) || 0) - (d.get(a) || 0));
  return new Set([...ranked.slice(0, top), ...ranked.filter((id) => (d.get(id) || 0) >= degree)]);
}

