// The network explorer served at /explore: search, draw a neighbourhood (rings at once, then a
// force layout in a web worker), large sets of alike neighbours grouped into one expandable
// node, hub labels always readable and the rest by zoom, details on click, expansion on
// double-click placed next to its node, filters, an as-of date, and the coverage of a community.
// Kinds are named in Chinese from the schema's own descriptions (labels.js).
import cytoscape from 'cytoscape';
import { NODE_STYLE, REL_STYLE, swatch, lineSwatch } from './explore/style.js';
import { group, hubs } from './explore/group.js';
import { ringPositions, placeAround, bounds, fitTo, refine, stopLayout } from './explore/layout.js';
import { loadLabels } from './labels.js';

const $ = (id) => document.getElementById(id);
// enumOf gives a type's NodeKind value (PartyOrg → PARTY_ORG).
const enumOf = (typename) => typename.replace(/(?<!^)([A-Z])/g, '_$1').toUpperCase();
const state = { root: null, firstDrawMs: null, layoutMs: null, status: 'idle' };
// Collapsed groups: group id → {kind, members, edges}; and member id → group id.
const groups = new Map();
const memberOf = new Map();

// The page's state, for people and for the browser tests.
window.__explore = {
  state,
  nodeCount: () => cy.nodes().length,
  edgeCount: () => cy.edges().length,
  // What the drawing stands for: the drawn nodes and edges, and those folded into groups.
  answerCount: () => {
    let nodes = cy.nodes().filter((n) => !n.data('group')).length;
    const edges = new Set(cy.edges().filter((e) => !e.data('group')).map((e) => e.id()));
    for (const g of groups.values()) { nodes += g.members.length; for (const e of g.edges) edges.add(e.id); }
    return { nodes, edges: edges.size };
  },
  groups: () => [...groups.values()].map((g) => ({ id: g.id, kind: g.kind, size: g.members.length })),
  expand: (id) => expandGroup(id),
};

// The API key, if the server wants one: kept in this browser's local storage.
const keyInput = $('apikey');
keyInput.value = localStorage.getItem('gongjian.apiKey') || '';
keyInput.addEventListener('change', () => localStorage.setItem('gongjian.apiKey', keyInput.value.trim()));

// gql posts a query; a failure says what the server said (its errors' messages and codes),
// or the HTTP status when the answer is not GraphQL.
async function gql(query, variables) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' };
  if (keyInput.value.trim()) headers['X-Api-Key'] = keyInput.value.trim();
  const res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  if (body?.errors?.length) {
    throw new Error(body.errors.map((e) => `${e.message}${e.extensions?.code ? ` (${e.extensions.code})` : ''}`).join('; '));
  }
  if (!res.ok || !body?.data) throw new Error(`the server answered ${res.status} ${res.statusText}`);
  return body.data;
}

let label = (_, v) => v;
const labelsReady = loadLabels(gql, ['NodeKind', 'RelationshipKind', 'CoverageKind', 'CoverageLevel'])
  .then((f) => { label = f; }, () => {});
const kindName = (k) => label('NodeKind', k);

function status(text, error = false) {
  $('status').textContent = text;
  $('status').className = error ? 'error' : '';
}

// The legend and filters: the swatches are drawn from the shapes and colours the canvas uses.
function checkboxes(container, kinds, make) {
  container.querySelectorAll('label.kind').forEach((l) => l.remove());
  for (const kind of kinds) {
    const el = document.createElement('label');
    el.className = 'kind';
    el.dataset.kind = kind;
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = true;
    box.value = kind;
    const name = document.createElement('span');
    name.textContent = make.name(kind);
    const code = document.createElement('small');
    code.textContent = kind;
    el.append(box, make.swatch(kind), name, code);
    container.append(el);
  }
}

function legends() {
  checkboxes($('node-kinds'), Object.keys(NODE_STYLE), { name: kindName, swatch: (k) => swatch(NODE_STYLE[k][1], NODE_STYLE[k][0]) });
  checkboxes($('rel-kinds'), Object.keys(REL_STYLE), { name: (k) => label('RelationshipKind', k), swatch: lineSwatch });
}
legends();
labelsReady.then(legends);

function selected(container) {
  const boxes = [...container.querySelectorAll('input[type=checkbox]')];
  const on = boxes.filter((b) => b.checked).map((b) => b.value);
  return on.length === boxes.length ? null : on; // null: all
}

// The graph ------------------------------------------------------------------------------

const HUB_FONT = 13;
const cy = cytoscape({
  container: $('cy'),
  textureOnViewport: true,
  hideEdgesOnViewport: true,
  style: [
    { selector: 'node', style: {
      'background-color': 'data(color)', shape: 'data(shape)', width: 18, height: 18,
      label: 'data(label)', 'font-size': 10, 'min-zoomed-font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 2,
      'text-max-width': 120, 'text-wrap': 'ellipsis', color: '#243b53',
    } },
    // Hubs (the best joined nodes, and groups) keep a readable label at every zoom.
    { selector: 'node.hub', style: {
      'font-size': HUB_FONT, 'min-zoomed-font-size': 0, 'font-weight': 600, 'text-background-color': '#ffffff',
      'text-background-opacity': 0.85, 'text-background-padding': 2, 'z-index': 10,
    } },
    { selector: 'node.group', style: {
      'background-color': '#ffffff', 'border-width': 3, 'border-style': 'dashed', 'border-color': 'data(color)', width: 'data(size)', height: 'data(size)',
      'text-valign': 'center', 'text-margin-y': 0,
    } },
    { selector: 'node.root', style: { width: 32, height: 32, 'border-width': 3, 'border-color': '#102a43' } },
    { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#f0b429' } },
    { selector: 'node.fresh', style: { 'border-width': 2, 'border-color': '#f0b429' } },
    { selector: 'edge', style: {
      width: 1.2, 'curve-style': 'haystack', 'line-style': 'data(style)', 'line-color': 'data(color)', opacity: 0.75,
    } },
    { selector: 'edge[?group]', style: { width: 'data(width)' } },
  ],
});
window.__explore.cy = cy;

// Hub labels stay the same size on screen whatever the zoom.
let zoomFrame = 0;
cy.on('zoom', () => {
  cancelAnimationFrame(zoomFrame);
  zoomFrame = requestAnimationFrame(() => {
    const size = Math.min(40, Math.max(HUB_FONT, HUB_FONT / cy.zoom()));
    cy.style().selector('node.hub').style('font-size', size).update();
  });
});

function nodeElement(n, position) {
  const [color, shape] = NODE_STYLE[n.kind] || ['#999', 'ellipse'];
  const data = { id: n.id, kind: n.kind, label: n.label, props: n.properties, provenance: n.provenance, subkind: n.subkind, color, shape };
  if (n.group) Object.assign(data, { group: true, count: n.count, core: n.core, around: n.around, size: Math.min(60, 22 + 4 * Math.sqrt(n.count)) });
  return { group: 'nodes', data, position, classes: n.group ? 'group hub' : '' };
}

function edgeElement(e) {
  const [style, color] = REL_STYLE[e.kind] || ['solid', '#bbb'];
  const data = { id: e.id, kind: e.kind, source: e.source, target: e.target, props: e.properties, provenance: e.provenance, style, color };
  if (e.group) Object.assign(data, { group: true, width: Math.min(6, 1 + Math.log2(e.properties.count)) });
  return { group: 'edges', data };
}

// The drawing ----------------------------------------------------------------------------

// CHUNK is how many elements are added per frame: a large answer is drawn over a few frames,
// nodes first, so that no single frame holds up the page for long.
const CHUNK = 400;
let drawing = 0; // the current drawing; a newer one cancels the chunks of an older one

// draw puts an answer on the canvas: afresh (rings around the root) or merged into the drawing
// next to `from` (the node expanded). Large sets of alike neighbours become groups.
function draw(net, rootId, { from = null, started = performance.now() } = {}) {
  const me = ++drawing;
  stopLayout();
  state.status = 'drawing';
  if (!from) { cy.elements().remove(); groups.clear(); memberOf.clear(); }
  const present = new Set(cy.nodes().map((n) => n.id()));
  // Nodes folded into a group already drawn stay folded; their edges go to the group.
  const route = (id) => memberOf.get(id) || id;
  const fresh = { nodes: net.nodes.filter((n) => !present.has(n.id) && !memberOf.has(n.id)), edges: [] };
  const seen = new Set();
  for (const e of net.edges) {
    const x = { ...e, source: route(e.source), target: route(e.target) };
    if (x.source !== e.source || x.target !== e.target) x.id = `${e.kind}:${x.source}->${x.target}`;
    if (x.source === x.target || seen.has(x.id) || !cy.getElementById(x.id).empty()) continue;
    seen.add(x.id);
    fresh.edges.push(x);
  }
  const g = group(fresh, { root: from || rootId, keep: new Set([rootId, ...present]), name: kindName, min: $('grouping').checked ? undefined : Infinity });
  for (const [id, grp] of g.groups) {
    groups.set(id, grp);
    for (const m of grp.members) memberOf.set(m.id, id);
  }
  let pos;
  if (from) {
    const p = cy.getElementById(from).position();
    pos = placeAround(g.nodes.map((n) => n.id), p, centre());
  } else {
    pos = ringPositions(g.nodes, g.edges, rootId);
  }
  const hubSet = hubs(g.nodes, g.edges);
  const els = [
    ...g.nodes.map((n) => {
      const el = nodeElement(n, pos.get(n.id) || { x: 0, y: 0 });
      if (hubSet.has(n.id) || n.id === rootId) el.classes += ' hub';
      if (from) el.classes += ' fresh';
      return el;
    }),
    ...g.edges.filter((e) => (present.has(e.source) || pos.has(e.source)) && (present.has(e.target) || pos.has(e.target))).map(edgeElement),
  ];
  cy.nodes().removeClass('fresh');
  if (!from) fitTo(cy, [...pos.values()]);
  let i = 0;
  const step = () => {
    if (me !== drawing) return;
    const part = els.slice(i, i + CHUNK);
    i += part.length;
    cy.batch(() => {
      cy.add(part);
      cy.nodes().removeClass('root');
      cy.getElementById(rootId).addClass('root hub');
    });
    if (i === part.length) {
      requestAnimationFrame(() => { if (me === drawing) state.firstDrawMs = performance.now() - started; });
    }
    if (i < els.length) { requestAnimationFrame(step); return; }
    requestAnimationFrame(() => {
      if (me !== drawing) return;
      state.status = 'drawn';
      const added = g.nodes.length;
      summary(from ? `+${added} from ${cy.getElementById(from).data('label')}` : '', net);
      refine(cy, {
        rootId,
        fixed: from ? present : null,
        onDone: (points) => {
          if (me !== drawing) return;
          fitTo(cy, from ? cy.nodes().map((n) => n.position()) : points);
          state.layoutMs = performance.now() - started;
          state.status = 'laid-out';
        },
      });
    });
  };
  step();
}

function centre() {
  const b = bounds(cy.nodes().map((n) => n.position()));
  return Number.isFinite(b.x0) ? { x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2 } : { x: 0, y: 0 };
}

// summary says what the whole drawing holds, and what the last step added.
function summary(added, net) {
  const folded = [...groups.values()].reduce((s, g) => s + g.members.length, 0);
  const cut = net?.truncated ? ` · cut (已截断): ${net.nodeCount} nodes, ${net.edgeCount} edges in all` : '';
  const inGroups = groups.size ? ` · ${groups.size} groups hold ${folded} (双击展开 double-click to open)` : '';
  status(`${cy.nodes().length} nodes, ${cy.edges().length} edges drawn${added ? ` (${added})` : ''}${inGroups}${cut}`);
}

// expandGroup puts a group's members back, on a ring next to it.
function expandGroup(id) {
  const g = groups.get(id);
  if (!g) return;
  const node = cy.getElementById(id);
  const p = node.position();
  const me = ++drawing;
  stopLayout();
  groups.delete(id);
  for (const m of g.members) memberOf.delete(m.id);
  const present = new Set(cy.nodes().map((n) => n.id()).filter((x) => x !== id));
  const pos = placeAround(g.members.map((m) => m.id), p, centre());
  cy.batch(() => {
    node.remove();
    cy.nodes().removeClass('fresh');
    cy.add(g.members.map((m) => { const el = nodeElement(m, pos.get(m.id)); el.classes += ' fresh'; return el; }));
    // An edge to a member of another group still folded goes to that group.
    const route = (x) => memberOf.get(x) || x;
    const added = new Map();
    for (const e of g.edges) {
      const x = { ...e, source: route(e.source), target: route(e.target) };
      if (x.source !== e.source || x.target !== e.target) x.id = `${e.kind}:${x.source}->${x.target}`;
      if (cy.getElementById(x.id).empty() && !added.has(x.id)) added.set(x.id, edgeElement(x));
    }
    cy.add([...added.values()]);
  });
  state.status = 'drawn';
  summary(`+${g.members.length} ${kindName(g.kind)}`);
  refine(cy, { rootId: state.root, fixed: present, onDone: () => {
    if (me !== drawing) return;
    fitTo(cy, cy.nodes().map((n) => n.position()));
    state.status = 'laid-out';
  } });
}

function args() {
  return {
    depth: Number($('depth').value),
    limit: Math.min(5000, Math.max(1, Number($('limit').value) || 500)),
    asOf: $('asof').value || null,
    nodeKinds: selected($('node-kinds')),
    relationshipKinds: selected($('rel-kinds')),
  };
}

const NETWORK = 'nodes { id kind label subkind provenance { source quote } properties } edges { id kind source target provenance { source } properties } truncated nodeCount edgeCount';

// asked counts the questions asked: an answer that arrives after a newer question was asked is
// dropped, so that a slow old answer never replaces a newer drawing.
let asked = 0;

async function showNeighbourhood(id, { from = null } = {}) {
  const me = ++asked;
  const a = args();
  state.status = 'loading';
  status('载入中 loading…');
  const started = performance.now();
  try {
    await labelsReady;
    const data = await gql(`query($ids: [ID!]!, $depth: Int, $limit: Int, $asOf: Date, $nodeKinds: [NodeKind!], $relationshipKinds: [RelationshipKind!]) {
      neighbourhood(ids: $ids, depth: $depth, limit: $limit, asOf: $asOf, nodeKinds: $nodeKinds, relationshipKinds: $relationshipKinds) { ${NETWORK} } }`,
    { ids: [id], depth: from ? 1 : a.depth, limit: a.limit, asOf: a.asOf, nodeKinds: a.nodeKinds, relationshipKinds: a.relationshipKinds });
    if (me !== asked) return;
    draw(data.neighbourhood, from ? state.root : id, { from, started });
    if (!from) {
      state.root = id;
      $('details').innerHTML = '<p class="muted">点击节点查看详情，双击展开。Click a node for its details; double-click it (or a group) to expand.</p>';
    }
  } catch (err) {
    if (me !== asked) return;
    state.status = 'error';
    status('出错 error: ' + err.message, true);
  }
}

async function showCoverage(id) {
  const me = ++asked;
  const a = args();
  state.status = 'loading';
  status('载入覆盖 loading coverage…');
  const started = performance.now();
  try {
    await labelsReady;
    const data = await gql(`query($id: ID!, $asOf: Date) { coverage(place: $id, first: 500, filter: {asOf: $asOf}) {
      totalCount unitCount
      nodes { kind level unit { id name } path { nodes { id name } } }
      graph { ${NETWORK} } } }`, { id, asOf: a.asOf });
    if (me !== asked) return;
    state.root = id;
    draw(data.coverage.graph, id, { started });
    $('details').innerHTML = coverageList(data.coverage, cy.getElementById(id).data('label') || id);
  } catch (err) {
    if (me !== asked) return;
    state.status = 'error';
    status('出错 error: ' + err.message, true);
  }
}

// coverageList lists each covering unit once, and under it each way it covers the place once,
// with the path that proves it.
function coverageList(cov, placeName) {
  const byUnit = new Map();
  for (const c of cov.nodes) {
    if (!byUnit.has(c.unit.id)) byUnit.set(c.unit.id, { name: c.unit.name, ways: new Map() });
    const path = c.path.nodes.map((n) => n.name).join(' → ');
    byUnit.get(c.unit.id).ways.set(`${c.kind} ${path}`, { kind: c.kind, level: c.level, path });
  }
  const items = [...byUnit.values()].map((u) => `<li><b>${esc(u.name)}</b><ul>${[...u.ways.values()].map((w) =>
    `<li data-way="${esc(w.kind)}"><span class="way">${esc(label('CoverageKind', w.kind))}</span> <small>${esc(label('CoverageLevel', w.level))} · ${esc(w.kind)}</small><div class="path">${esc(w.path)}</div></li>`).join('')}</ul></li>`).join('');
  return `<h3>覆盖 Coverage of ${esc(placeName)}</h3>
    <p>${cov.unitCount} 个单位 units cover it, in ${cov.totalCount} ways (覆盖方式).</p><ul class="coverage">${items}</ul>`;
}

function choose(id, kind) {
  if ($('coverage-mode').checked && kind === 'PLACE') showCoverage(id);
  else showNeighbourhood(id);
}
window.__explore.choose = (id, kind) => choose(id, kind);

// Details --------------------------------------------------------------------------------

function esc(s) {
  return String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
}

function details(node) {
  const d = node.data();
  if (d.group) {
    $('details').innerHTML = `<h3 data-testid="details-title">${esc(d.label)}</h3>
      <p>${d.core} 个${esc(kindName(d.kind))} (${esc(d.kind)}) joined to ${esc((d.around || []).map((id) => cy.getElementById(id).data('label') || id).join('、'))}${d.core < d.count ? `, with ${d.count - d.core} nodes that hang on them alone` : ''}, drawn as one.</p>
      <p class="muted">双击展开 Double-click to draw them one by one.</p>`;
    return;
  }
  const props = d.props || {};
  const rows = Object.keys(props).sort()
    .map((k) => `<tr><td>${esc(k)}</td><td>${esc(typeof props[k] === 'object' ? JSON.stringify(props[k]) : props[k])}</td></tr>`).join('');
  const quote = d.provenance?.quote ? `<div class="quote">“${esc(d.provenance.quote)}”</div>` : '';
  $('details').innerHTML = `<h3 data-testid="details-title">${esc(d.label)}</h3>
    <p><b>${esc(kindName(d.kind))}</b> <small>${esc(d.kind)}${d.subkind ? ' · ' + esc(d.subkind) : ''}</small> · <code>${esc(d.id)}</code></p>
    <p>来源 Provenance: <span data-testid="provenance">${esc(d.provenance?.source || 'generated')}</span></p>${quote}
    <table class="props">${rows}</table>
    <p class="muted">${node.degree()} edges drawn. 双击展开 Double-click to expand.</p>`;
}

cy.on('tap', 'node', (ev) => details(ev.target));
cy.on('dbltap', 'node', (ev) => {
  if (ev.target.data('group')) expandGroup(ev.target.id());
  else showNeighbourhood(ev.target.id(), { from: ev.target.id() });
});

// Search ---------------------------------------------------------------------------------

let timer = null;
$('search').addEventListener('input', () => {
  clearTimeout(timer);
  const text = $('search').value.trim();
  if (!text) { $('results').innerHTML = ''; return; }
  timer = setTimeout(async () => {
    try {
      await labelsReady;
      const data = await gql(`query($t: String!) { search(text: $t, first: 12) { totalCount nodes { node { __typename id name } } } }`, { t: text });
      if ($('search').value.trim() !== text) return;
      $('results').innerHTML = data.search.nodes.length
        ? data.search.nodes.map((h) => { const k = enumOf(h.node.__typename); return `<li role="option" data-id="${esc(h.node.id)}" data-kind="${k}">${esc(h.node.name)}<span class="kind">${esc(kindName(k))}</span></li>`; }).join('')
        : `<li class="none" data-testid="no-hits">没有名为“${esc(text)}”的节点 · nothing is named “${esc(text)}” (无结果)</li>`;
    } catch (err) {
      status('出错 search error: ' + err.message, true);
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
for (const id of ['depth', 'asof', 'limit', 'coverage-mode', 'grouping', 'node-kinds', 'rel-kinds']) {
  $(id).addEventListener('change', () => state.root && choose(state.root, cy.getElementById(state.root).data('kind')));
}

// A node given in the address (#id) is drawn at once.
if (location.hash.length > 1) showNeighbourhood(decodeURIComponent(location.hash.slice(1)));
