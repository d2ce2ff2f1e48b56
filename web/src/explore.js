// The network explorer served at /explore: search, draw a neighbourhood with a force layout
// (computed in a web worker, so that large graphs never freeze the page), details on click,
// expansion on double-click, filters, an as-of date, and the coverage of a community.
import cytoscape from 'cytoscape';

// Colours and shapes by node kind; line styles by relationship kind.
const NODE_STYLE = {
  Place: ['#2f80ed', 'round-rectangle', '地区'],
  Unit: ['#f2994a', 'ellipse', '驻区单位'],
  PartyOrg: ['#eb5757', 'diamond', '党组织'],
  Committee: ['#9b51e0', 'hexagon', '委员会'],
  Seat: ['#bb6bd9', 'tag', '席位'],
  Person: ['#27ae60', 'ellipse', '人员'],
  Agreement: ['#219653', 'rectangle', '共建协议'],
  Project: ['#56ccf2', 'rectangle', '联建项目'],
  ProgressReport: ['#a0aec0', 'rectangle', '项目台账'],
  ServicePost: ['#f2c94c', 'triangle', '服务岗位'],
  SharedResource: ['#6fcf97', 'triangle', '共享资源'],
  RedStation: ['#d0021b', 'star', '红色驿站'],
  VolunteerTeam: ['#00a3a3', 'vee', '志愿服务队'],
  Activity: ['#f06595', 'pentagon', '活动'],
  Evaluation: ['#845ef7', 'round-tag', '评价'],
  LeadingGroup: ['#c92a2a', 'octagon', '领导小组'],
};
const REL_STYLE = {
  PART_OF: ['solid', '#8da2b5'], STATIONED_IN: ['solid', '#f2994a'], ORG_OF: ['dotted', '#eb5757'],
  SUBORDINATE_TO: ['dotted', '#c53030'], CO_MANAGES: ['dashed', '#c53030'], COVERS: ['solid', '#9b51e0'],
  LED_BY: ['dashed', '#9b51e0'], HOLDS: ['solid', '#bb6bd9'], SEAT_ON: ['solid', '#bb6bd9'],
  REPRESENTS: ['dashed', '#27ae60'], MEMBER_OF: ['dotted', '#27ae60'], WORKS_IN: ['solid', '#27ae60'],
  LIVES_IN: ['dotted', '#6b7c93'], REPORTS_TO: ['dashed', '#e67e22'], SECONDED_TO: ['dashed', '#2d9cdb'],
  PARTY_TO: ['solid', '#219653'], WITH: ['solid', '#219653'], UNDER: ['dotted', '#56ccf2'],
  PROJECT_IN: ['dotted', '#56ccf2'], REPORT_ON: ['dotted', '#a0aec0'], OFFERS: ['solid', '#f2c94c'],
  CLAIMED: ['dashed', '#f2c94c'], OPENS: ['solid', '#6fcf97'], LOCATED_AT: ['dotted', '#6fcf97'],
  ATTACHED_TO: ['dashed', '#d0021b'], VOLUNTEERS_IN: ['dashed', '#00a3a3'],
  ORGANISED: ['solid', '#f06595'], HELD_IN: ['dotted', '#f06595'], TOOK_PART_IN: ['dashed', '#f06595'],
  RATES: ['solid', '#845ef7'], RATING_OF: ['dashed', '#845ef7'], MERGED_INTO: ['dashed', '#8da2b5'],
  CONTACT_POINT: ['dashed', '#c92a2a'], HEADS: ['solid', '#2b8a3e'],
};

const $ = (id) => document.getElementById(id);
const state = { root: null, firstDrawMs: null, status: 'idle' };
// The page's state, for people and for the browser tests.
window.__explore = {
  state,
  nodeCount: () => cy.nodes().length,
  edgeCount: () => cy.edges().length,
};

// The API key, if the server wants one: kept in this browser's local storage.
const keyInput = document.getElementById('apikey');
keyInput.value = localStorage.getItem('gongjian.apiKey') || '';
keyInput.addEventListener('change', () => localStorage.setItem('gongjian.apiKey', keyInput.value.trim()));

async function gql(query, variables) {
  const headers = { 'Content-Type': 'application/json' };
  if (keyInput.value.trim()) headers['X-Api-Key'] = keyInput.value.trim();
  const res = await fetch('/graphql', {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors && body.errors.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data;
}

function status(text) { $('status').textContent = text; }

window.__explore.choose = (id, kind) => choose(id, kind);

// Filters ---------------------------------------------------------------------------------

function checkboxes(container, kinds, swatch) {
  for (const kind of kinds) {
    const label = document.createElement('label');
    label.className = 'kind';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = true;
    box.value = kind;
    label.append(box, swatch(kind), document.createTextNode(' ' + kind));
    container.append(label);
  }
}

function selected(container) {
  const boxes = [...container.querySelectorAll('input[type=checkbox]')];
  const on = boxes.filter((b) => b.checked).map((b) => b.value);
  return on.length === boxes.length ? null : on; // null: all
}

checkboxes($('node-kinds'), Object.keys(NODE_STYLE), (k) => {
  const s = document.createElement('span');
  s.className = 'swatch';
  s.style.background = NODE_STYLE[k][0];
  s.style.borderRadius = NODE_STYLE[k][1] === 'ellipse' ? '50%' : '2px';
  s.title = NODE_STYLE[k][2];
  return s;
});
checkboxes($('rel-kinds'), Object.keys(REL_STYLE), (k) => {
  const s = document.createElement('span');
  s.className = 'line';
  s.style.borderTopStyle = REL_STYLE[k][0];
  s.style.borderTopColor = REL_STYLE[k][1];
  return s;
});

// The graph ------------------------------------------------------------------------------

const cy = cytoscape({
  container: $('cy'),
  textureOnViewport: true,
  hideEdgesOnViewport: true,
  style: [
    { selector: 'node', style: {
      'background-color': 'data(color)',
      shape: 'data(shape)',
      label: 'data(label)', 'font-size': 9, 'text-valign': 'bottom', 'text-margin-y': 2,
      width: 18, height: 18, 'min-zoomed-font-size': 7,
    } },
    // Large drawings show labels on hover and selection only: measuring a thousand labels
    // would hold up the first frame.
    { selector: 'node.quiet', style: { label: '' } },
    { selector: 'node.quiet:selected, node.quiet.root', style: { label: 'data(label)' } },
    { selector: 'node.root', style: { width: 30, height: 30, 'border-width': 3, 'border-color': '#102a43' } },
    { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#f0b429' } },
    { selector: 'edge', style: {
      width: 1.2, 'curve-style': 'haystack', 'line-style': 'data(style)', 'line-color': 'data(color)', opacity: 0.8,
    } },
  ],
});

window.__explore.cy = cy;

function toElements(net) {
  const els = [];
  for (const n of net.nodes) {
    const [color, shape] = NODE_STYLE[n.kind] || ['#999', 'ellipse'];
    els.push({ group: 'nodes', data: { id: n.id, kind: n.kind, label: n.label, props: n.properties, color, shape } });
  }
  for (const e of net.edges) {
    const [style, color] = REL_STYLE[e.kind] || ['solid', '#bbb'];
    els.push({ group: 'edges', data: { id: e.id, kind: e.kind, source: e.source, target: e.target, props: e.properties, style, color } });
  }
  return els;
}

// ringPositions places nodes on rings around the root by their distance from it (breadth-first
// search over the answer's edges): an instant first drawing that the force layout refines.
function ringPositions(net, rootId) {
  const adj = new Map();
  for (const e of net.edges) {
    if (!adj.has(e.source)) adj.set(e.source, []);
    if (!adj.has(e.target)) adj.set(e.target, []);
    adj.get(e.source).push(e.target);
    adj.get(e.target).push(e.source);
  }
  const dist = new Map([[rootId, 0]]);
  let frontier = [rootId];
  while (frontier.length) {
    const next = [];
    for (const id of frontier) {
      for (const m of adj.get(id) || []) {
        if (!dist.has(m)) { dist.set(m, dist.get(id) + 1); next.push(m); }
      }
    }
    frontier = next;
  }
  const rings = new Map();
  for (const n of net.nodes) {
    const d = dist.has(n.id) ? dist.get(n.id) : 4;
    if (!rings.has(d)) rings.set(d, []);
    rings.get(d).push(n.id);
  }
  const pos = new Map();
  for (const [d, ids] of rings) {
    const r = d * 160;
    ids.forEach((id, i) => {
      const a = (2 * Math.PI * i) / ids.length;
      pos.set(id, { x: r * Math.cos(a), y: r * Math.sin(a) });
    });
  }
  return pos;
}

// fitTo shows all the nodes, from their positions alone: cheaper than cy.fit, which measures
// every label.
function fitTo(points) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const { x, y } of points) {
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
  }
  if (!Number.isFinite(x0)) return;
  const w = cy.width(), h = cy.height(), pad = 40;
  const zoom = Math.min(2, (w - 2 * pad) / Math.max(x1 - x0, 1), (h - 2 * pad) / Math.max(y1 - y0, 1));
  cy.viewport({ zoom, pan: { x: w / 2 - zoom * (x0 + x1) / 2, y: h / 2 - zoom * (y0 + y1) / 2 } });
}

let worker = null;
// refine runs a force layout in a web worker and moves the nodes as it goes; the page stays
// responsive while it runs.
function refine(rootId) {
  if (worker) worker.terminate();
  worker = new Worker('/assets/layout.worker.js');
  const nodes = cy.nodes().map((n) => ({ id: n.id(), x: n.position('x'), y: n.position('y'), root: n.id() === rootId }));
  const links = cy.edges().map((e) => ({ source: e.data('source'), target: e.data('target') }));
  worker.onmessage = (msg) => {
    const { positions, done } = msg.data;
    cy.batch(() => {
      for (const [id, x, y] of positions) {
        const n = cy.getElementById(id);
        if (!n.empty()) n.position({ x, y });
      }
    });
    if (done) {
      fitTo(positions.map(([, x, y]) => ({ x, y })));
      state.status = 'laid-out';
    }
  };
  worker.postMessage({ nodes, links });
}

// CHUNK is how many elements are added per frame: a large answer is drawn over a few frames,
// nodes first, so that no single frame holds up the page for long.
const CHUNK = 400;
let drawing = 0; // the current drawing; a newer one cancels the chunks of an older one

function draw(net, rootId, { merge = false } = {}) {
  const t0 = performance.now();
  const mark = (what) => window.__explore.debug && console.log(what, (performance.now() - t0).toFixed(0));
  const me = ++drawing;
  // The layout of the previous drawing stops: its end must not mark this one laid out.
  if (worker) { worker.terminate(); worker = null; }
  state.status = 'drawing';
  if (!merge) cy.elements().remove();
  const pos = ringPositions(net, rootId);
  const els = toElements(net).filter((el) => cy.getElementById(el.data.id).empty());
  const quiet = net.nodes.length + cy.nodes().length > 300;
  for (const el of els) {
    if (el.group !== 'nodes') continue;
    el.position = pos.get(el.data.id) || { x: 0, y: 0 };
    if (quiet) el.classes = 'quiet';
  }
  // Nodes before edges: an edge needs both its ends.
  els.sort((a, b) => (a.group === b.group ? 0 : a.group === 'nodes' ? -1 : 1));
  cy.nodes().removeClass('root');
  fitTo([...pos.values()]);
  let i = 0;
  const step = () => {
    if (me !== drawing) return;
    const part = els.slice(i, i + CHUNK);
    i += part.length;
    cy.batch(() => {
      cy.add(part);
      cy.getElementById(rootId).addClass('root');
    });
    if (i === part.length) {
      // The first frame with the drawing in it.
      requestAnimationFrame(() => {
        mark('first frame');
        state.firstDrawMs = performance.now() - t0 + (state.fetchMs || 0);
      });
    }
    if (i < els.length) {
      requestAnimationFrame(step);
      return;
    }
    requestAnimationFrame(() => {
      mark('all drawn');
      state.status = 'drawn';
      refine(rootId);
    });
  };
  step();
  const cut = net.truncated ? ` (cut: ${net.nodeCount} nodes and ${net.edgeCount} edges in all)` : '';
  status(`${net.nodes.length} nodes, ${net.edges.length} edges${cut}`);
}

function args() {
  const asOf = $('asof').value || null;
  return {
    depth: Number($('depth').value),
    limit: Math.min(5000, Math.max(1, Number($('limit').value) || 500)),
    asOf,
    nodeKinds: selected($('node-kinds')),
    relationshipKinds: selected($('rel-kinds')),
  };
}

const NETWORK = 'nodes { id kind label properties } edges { id kind source target properties } truncated nodeCount edgeCount';

// asked counts the questions asked: an answer that arrives after a newer question was asked is
// dropped, so that a slow old answer never replaces a newer drawing.
let asked = 0;

async function showNeighbourhood(id, { merge = false, depth } = {}) {
  const me = ++asked;
  const a = args();
  state.status = 'loading';
  status('loading…');
  const t0 = performance.now();
  try {
    const data = await gql(`query($ids: [ID!]!, $depth: Int, $limit: Int, $asOf: Date, $nodeKinds: [NodeKind!], $relationshipKinds: [RelationshipKind!]) {
      neighbourhood(ids: $ids, depth: $depth, limit: $limit, asOf: $asOf, nodeKinds: $nodeKinds, relationshipKinds: $relationshipKinds) { ${NETWORK} } }`,
    { ids: [id], depth: depth ?? a.depth, limit: a.limit, asOf: a.asOf, nodeKinds: a.nodeKinds, relationshipKinds: a.relationshipKinds });
    if (me !== asked) return;
    state.fetchMs = performance.now() - t0;
    draw(data.neighbourhood, merge ? state.root : id, { merge });
    if (!merge) {
      state.root = id;
      $('details').innerHTML = '<p class="muted">Click a node for its details; double-click it to expand its neighbourhood.</p>';
    }
  } catch (err) {
    state.status = 'error';
    status('error: ' + err.message);
  }
}

async function showCoverage(id) {
  const me = ++asked;
  const a = args();
  state.status = 'loading';
  status('loading coverage…');
  const t0 = performance.now();
  try {
    const data = await gql(`query($id: ID!, $asOf: Date) { coverage(place: $id, first: 500, filter: {asOf: $asOf}) {
      totalCount unitCount nodes { kind unit { id name kind } } graph { ${NETWORK} } } }`, { id, asOf: a.asOf });
    if (me !== asked) return;
    state.fetchMs = performance.now() - t0;
    state.root = id;
    draw(data.coverage.graph, id);
    const byUnit = new Map();
    for (const c of data.coverage.nodes) {
      if (!byUnit.has(c.unit.id)) byUnit.set(c.unit.id, { name: c.unit.name, kinds: [] });
      byUnit.get(c.unit.id).kinds.push(c.kind);
    }
    const list = [...byUnit.values()].map((u) => `<li>${esc(u.name)}: ${u.kinds.join(', ')}</li>`).join('');
    $('details').innerHTML = `<h3>Coverage (覆盖) of ${esc(cy.getElementById(id).data('label') || id)}</h3>
      <p>${data.coverage.unitCount} units, ${data.coverage.totalCount} ways.</p><ul class="coverage">${list}</ul>`;
    status(`coverage: ${data.coverage.unitCount} units cover it`);
  } catch (err) {
    state.status = 'error';
    status('error: ' + err.message);
  }
}

function choose(id, kind) {
  if ($('coverage-mode').checked && kind === 'Place') showCoverage(id);
  else showNeighbourhood(id);
}

// Details --------------------------------------------------------------------------------

function esc(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
}

function details(node) {
  const d = node.data();
  const props = d.props || {};
  const rows = Object.keys(props).sort().filter((k) => k !== 'quote' && k !== 'source')
    .map((k) => `<tr><td>${esc(k)}</td><td>${esc(typeof props[k] === 'object' ? JSON.stringify(props[k]) : props[k])}</td></tr>`).join('');
  const source = props.source || 'generated';
  const quote = props.quote ? `<div class="quote">“${esc(props.quote)}”</div>` : '';
  $('details').innerHTML = `<h3 data-testid="details-title">${esc(d.label)}</h3>
    <p><b>${esc(d.kind)}</b> (${esc((NODE_STYLE[d.kind] || [0, 0, ''])[2])}) · <code>${esc(d.id)}</code></p>
    <p>Provenance (来源): <span data-testid="provenance">${esc(source)}</span></p>${quote}
    <table class="props">${rows}</table>
    <p class="muted">${node.degree()} edges drawn. Double-click to expand.</p>`;
}

cy.on('tap', 'node', (ev) => details(ev.target));
cy.on('dbltap', 'node', (ev) => showNeighbourhood(ev.target.id(), { merge: true, depth: 1 }));

// Search ---------------------------------------------------------------------------------

let timer = null;
$('search').addEventListener('input', () => {
  clearTimeout(timer);
  const text = $('search').value.trim();
  if (!text) { $('results').innerHTML = ''; return; }
  timer = setTimeout(async () => {
    try {
      const data = await gql(`query($t: String!) { search(text: $t, first: 12) { totalCount nodes { node { __typename id name } } } }`, { t: text });
      $('results').innerHTML = data.search.nodes.length
        ? data.search.nodes.map((h) => `<li role="option" data-id="${esc(h.node.id)}" data-kind="${h.node.__typename}">${esc(h.node.name)}<span class="kind">${h.node.__typename}</span></li>`).join('')
        : `<li class="none" data-testid="no-hits">nothing is named “${esc(text)}” (无结果)</li>`;
    } catch (err) {
      status('search error: ' + err.message);
    }
  }, 200);
});
$('results').addEventListener('click', (ev) => {
  const li = ev.target.closest('li');
  if (!li || !li.dataset.id) return; // the "no hits" line
  $('results').innerHTML = '';
  $('search').value = li.firstChild.textContent;
  choose(li.dataset.id, li.dataset.kind);
});
for (const id of ['depth', 'asof', 'limit', 'coverage-mode']) {
  $(id).addEventListener('change', () => state.root && choose(state.root, cy.getElementById(state.root).data('kind')));
}
for (const id of ['node-kinds', 'rel-kinds']) {
  $(id).addEventListener('change', () => state.root && choose(state.root, cy.getElementById(state.root).data('kind')));
}

// A node given in the address (#id) is drawn at once.
if (location.hash.length > 1) showNeighbourhood(decodeURIComponent(location.hash.slice(1)));
