// Where the explorer puts nodes: rings around the root for an instant first drawing, a ring
// next to its parent for an expansion, and a force layout in a web worker that refines either
// (moving only the new nodes of an expansion), so that the page never freezes.

import { adjacency, distances } from './graph.js';

// ringPositions places nodes on rings around the root by their distance from it (breadth-first
// search over the answer's edges). Each ring is as wide as its nodes need.
export function ringPositions(nodes, edges, rootId) {
  const dist = distances(adjacency(edges), rootId);
  const rings = new Map();
  for (const n of nodes) {
    const d = dist.has(n.id) ? dist.get(n.id) : 4;
    if (!rings.has(d)) rings.set(d, []);
    rings.get(d).push(n.id);
  }
  const pos = new Map();
  let r = 0;
  for (const d of [...rings.keys()].sort((a, b) => a - b)) {
    const ids = rings.get(d);
    if (d > 0) r = Math.max(r + 140, (ids.length * 30) / (2 * Math.PI));
    ids.forEach((id, i) => {
      const a = (2 * Math.PI * i) / ids.length;
      pos.set(id, { x: r * Math.cos(a), y: r * Math.sin(a) });
    });
  }
  return pos;
}

// placeAround puts new nodes on a ring next to their parent, on the side away from the
// drawing's centre, so that an expansion lands beside the node it came from.
export function placeAround(ids, parent, centre) {
  const pos = new Map();
  const away = Math.atan2(parent.y - centre.y, parent.x - centre.x) || 0;
  const r = 70 + 6 * Math.sqrt(ids.length) * 4;
  const spread = ids.length < 8 ? Math.PI : 2 * Math.PI;
  ids.forEach((id, i) => {
    const a = away - spread / 2 + (spread * (i + 0.5)) / ids.length;
    pos.set(id, { x: parent.x + r * Math.cos(a), y: parent.y + r * Math.sin(a) });
  });
  return pos;
}

// bounds is the box around points.
export function bounds(points) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const { x, y } of points) {
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
  }
  return { x0, y0, x1, y1 };
}

// fitTo shows all the points, from their positions alone: cheaper than cy.fit, which measures
// every label.
export function fitTo(cy, points) {
  const { x0, y0, x1, y1 } = bounds(points);
  if (!Number.isFinite(x0)) return;
  const w = cy.width(), h = cy.height(), pad = 80; // room for the labels of the outermost nodes
  const zoom = Math.min(2, (w - 2 * pad) / Math.max(x1 - x0, 1), (h - 2 * pad) / Math.max(y1 - y0, 1));
  cy.viewport({ zoom, pan: { x: w / 2 - zoom * (x0 + x1) / 2, y: h / 2 - zoom * (y0 + y1) / 2 } });
}

let worker = null;

// stopLayout ends a running layout: its end must not mark a newer drawing laid out.
export function stopLayout() {
  if (worker) { worker.terminate(); worker = null; }
}

// refine runs the force layout in a web worker and moves the nodes as it goes; nodes in
// `fixed` stay where they are. onDone gets the final positions.
export function refine(cy, { rootId, fixed = null, onDone }) {
  stopLayout();
  const w = new Worker('/assets/layout.worker.js');
  worker = w;
  const nodes = cy.nodes().map((n) => ({
    id: n.id(), x: n.position('x'), y: n.position('y'), root: n.id() === rootId, fixed: fixed ? fixed.has(n.id()) : false,
  }));
  const links = cy.edges().map((e) => ({ source: e.data('source'), target: e.data('target') }));
  w.onmessage = (msg) => {
    if (w !== worker) return;
    const { positions, done } = msg.data;
    cy.batch(() => {
      for (const [id, x, y] of positions) {
        const n = cy.getElementById(id);
        if (!n.empty()) n.position({ x, y });
      }
    });
    if (done) {
      worker = null;
      w.terminate();
      onDone(positions.map(([, x, y]) => ({ x, y })));
    }
  };
  w.postMessage({ nodes, links });
}
