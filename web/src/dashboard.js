// The statistics dashboard served at /dashboard (统计看板): a place picker, the place's figures
// as cards, coverage per street at each level, coverage gaps, seats by unit kind, cross-unit
// reporting flows as a Sankey and joint projects by status and category — all of one request
// to /graphql, redrawn as of a date — and every table as CSV or XLSX from /sheet, which runs the
// same query server-side (same key, same masking). Charts are Apache ECharts, bundled.
import * as echarts from 'echarts/core';
import { BarChart, PieChart, SankeyChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, DataZoomComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { loadLabels } from './labels.js';

echarts.use([BarChart, PieChart, SankeyChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, CanvasRenderer]);

const $ = (id) => document.getElementById(id);
const state = { place: null, status: 'idle', data: null, drawMs: null, charts: {} };
// The page's state, for people and for the browser tests.
window.__dashboard = state;

const keyInput = $('apikey');
keyInput.value = localStorage.getItem('gongjian.apiKey') || '';
keyInput.addEventListener('change', () => { localStorage.setItem('gongjian.apiKey', keyInput.value.trim()); if (state.place) load(); });

function headers() {
  const h = { 'Content-Type': 'application/json' };
  if (keyInput.value.trim()) h['X-Api-Key'] = keyInput.value.trim();
  return h;
}

// apiError is the server's own message and code, or the HTTP status when the body says none.
async function apiError(res) {
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  const e = body?.errors?.[0];
  if (e) return new Error(e.extensions?.code ? `${e.message} (${e.extensions.code})` : e.message);
  return new Error(`HTTP ${res.status} ${res.statusText}`);
}

async function gql(query, variables) {
  const res = await fetch('/graphql', { method: 'POST', headers: headers(), body: JSON.stringify({ query, variables }) });
  if (!res.ok) throw await apiError(res.clone());
  const body = await res.json();
  if (body.errors?.length) {
    const e = body.errors[0];
    throw new Error(e.extensions?.code ? `${e.message} (${e.extensions.code})` : e.message);
  }
  return body.data;
}

function status(text, error = false) {
  $('status').textContent = text;
  $('status').className = error ? 'error' : '';
}

let label = (_, v) => v;
const labelsReady = loadLabels(gql, ['UnitKind', 'ProjectStatus', 'ProjectCategory', 'PlaceKind']).then((f) => { label = f; }, () => {});

// The one request of a drawing.
const DASHBOARD = `query Dashboard($place: ID!, $asOf: Date) {
  statistics(place: $place, asOf: $asOf, levels: [DIRECT]) {
    place { id name kind parent { id name } }
    asOf streets communities villages grids units partyOrgs members reportingMembers crossUnitReporters
    coverageByLevel { level coveredCommunities coverageRate }
    seats agreements projects servicePosts claimedPosts claims volunteerTeams redStations sharedResources
    projectsByStatus { kind count }
    projectsByCategory { kind count }
    coverageByChild { place { id name kind } communities coveredDirect directRate coveredIndirect indirectRate }
  }
  coverageGaps(within: $place, filter: {asOf: $asOf}, first: 500) {
    totalCount
    nodes { community { id name parent { id name } } coveringUnits }
  }
  reportingFlows(filter: {within: $place, asOf: $asOf}, first: 40) {
    totalCount memberCount
    nodes { source { __typename ... on Node { id name } } community { id name } members }
  }
  committees(filter: {within: $place, asOf: $asOf}, first: 500) {
    totalCount
    nodes { id seatsByUnitKind { kind count } }
  }
}`;

// The tables' own queries, for /sheet: each one's first list is the table.
const SHEETS = {
  coverage: ['覆盖率', `query($place: ID!, $asOf: Date) { statistics(place: $place, asOf: $asOf) {
    coverageByChild { place { name kind } communities coveredDirect directRate coveredIndirect indirectRate } } }`],
  gaps: ['覆盖空白', `query($place: ID!, $asOf: Date) { coverageGaps(within: $place, filter: {asOf: $asOf}, first: 500) {
    nodes { community { name id parent { name } } coveringUnits } } }`],
  seats: ['席位构成', `query($place: ID!, $asOf: Date) { committees(filter: {within: $place, asOf: $asOf}, first: 500) {
    nodes { name kind seats(first: 0) { totalCount } seatsByUnitKind { kind count } } } }`],
  flows: ['跨单位报到流向', `query($place: ID!, $asOf: Date) { reportingFlows(filter: {within: $place, asOf: $asOf}, first: 500) {
    nodes { source { ... on Node { name id } } community { name id } members } } }`],
  projects: ['联建项目', `query($place: ID!, $asOf: Date) { projects(filter: {within: $place, asOf: $asOf}, first: 500) {
    nodes { name status category place { name } } } }`],
};

const CARDS = [
  ['streets', '街道·镇', 'streets & towns'], ['communities', '社区', 'communities'], ['villages', '行政村', 'villages'],
  ['grids', '网格', 'grids'], ['units', '驻区单位', 'stationed units'], ['partyOrgs', '基层党组织', 'party organisations'],
  ['members', '党员', 'party members'], ['reportingMembers', '到社区报到党员', 'reporting members'],
  ['crossUnitReporters', '跨单位报到', 'cross-unit reporters'], ['coverDirect', '直接覆盖率', 'direct coverage'],
  ['coverIndirect', '间接覆盖率', 'indirect coverage'], ['seats', '委员会席位', 'seats'], ['agreements', '共建协议', 'agreements'],
  ['projects', '联建项目', 'joint projects'], ['servicePosts', '服务岗位', 'service posts'], ['claims', '认岗人次', 'claims'],
  ['volunteerTeams', '志愿服务队', 'volunteer teams'], ['redStations', '红色驿站', 'red stations'],
];

const pct = (x) => `${(100 * x).toFixed(1)}%`;

function cards(st) {
  const lv = Object.fromEntries(st.coverageByLevel.map((l) => [l.level, l]));
  const value = { ...st, coverDirect: pct(lv.DIRECT?.coverageRate ?? 0), coverIndirect: pct(lv.INDIRECT?.coverageRate ?? 0) };
  $('cards').replaceChildren(...CARDS.map(([key, zh, en]) => {
    const c = document.createElement('div');
    c.className = 'card';
    c.dataset.figure = key;
    c.innerHTML = '<div class="value"></div><div class="name"></div><div class="en"></div>';
    c.querySelector('.value').textContent = typeof value[key] === 'number' ? value[key].toLocaleString('zh-CN') : value[key];
    c.querySelector('.name').textContent = zh;
    c.querySelector('.en').textContent = en;
    return c;
  }));
}

function chart(id) {
  if (!state.charts[id]) state.charts[id] = echarts.init($(id), null, { renderer: 'canvas' });
  return state.charts[id];
}

function drawCoverage(st) {
  const rows = [...st.coverageByChild];
  const key = $('coverage-sort').value;
  if (key === 'DIRECT') rows.sort((a, b) => b.directRate - a.directRate || a.place.name.localeCompare(b.place.name, 'zh'));
  else if (key === 'INDIRECT') rows.sort((a, b) => b.indirectRate - a.indirectRate || a.place.name.localeCompare(b.place.name, 'zh'));
  else rows.sort((a, b) => a.place.name.localeCompare(b.place.name, 'zh'));
  state.coverageOrder = rows.map((r) => r.place.name);
  chart('coverage-chart').setOption({
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${v}%` },
    legend: { data: ['直接覆盖 DIRECT', '间接覆盖 INDIRECT'] },
    grid: { left: 50, right: 20, bottom: rows.length > 12 ? 90 : 60, top: 40 },
    xAxis: { type: 'category', data: rows.map((r) => r.place.name), axisLabel: { rotate: rows.length > 8 ? 35 : 0, interval: 0 } },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    dataZoom: rows.length > 30 ? [{ type: 'slider', bottom: 10 }] : [],
    series: [
      { name: '直接覆盖 DIRECT', type: 'bar', data: rows.map((r) => +(100 * r.directRate).toFixed(1)), itemStyle: { color: '#c53030' } },
      { name: '间接覆盖 INDIRECT', type: 'bar', data: rows.map((r) => +(100 * r.indirectRate).toFixed(1)), itemStyle: { color: '#f0b429' } },
    ],
  }, true);
  const under = rows.length ? label('PlaceKind', rows[0].place.kind) : '下级地区';
  $('coverage-note').textContent = rows.length
    ? `${rows.length} 个${under}; 每个的覆盖率 = 被覆盖的社区和村 ÷ 其社区和村 (communities and villages covered ÷ all of them under each).`
    : '没有下级地区 (no places under this one).';
}

function drawGaps(gaps) {
  const t = $('gaps-table');
  t.innerHTML = '<thead><tr><th>社区 community</th><th>上级 parent</th><th class="num">覆盖单位 units</th><th></th></tr></thead>';
  const body = document.createElement('tbody');
  for (const g of gaps.nodes) {
    const tr = document.createElement('tr');
    const link = document.createElement('a');
    link.href = '/explore#' + encodeURIComponent(g.community.id);
    link.textContent = '网络 explore';
    tr.append(td(g.community.name), td(g.community.parent?.name ?? '—'), td(g.coveringUnits, 'num'), td(link));
    body.append(tr);
  }
  if (!gaps.nodes.length) {
    const tr = document.createElement('tr');
    tr.append(td('没有覆盖空白 (every community is covered)'));
    tr.firstChild.colSpan = 4;
    tr.firstChild.className = 'empty';
    body.append(tr);
  }
  t.append(body);
}

function td(content, cls) {
  const c = document.createElement('td');
  if (content instanceof Node) c.append(content); else c.textContent = String(content);
  if (cls) c.className = cls;
  return c;
}

function drawSeats(committees) {
  const totals = new Map();
  for (const c of committees.nodes) for (const k of c.seatsByUnitKind) totals.set(k.kind, (totals.get(k.kind) || 0) + k.count);
  const rows = [...totals].sort((a, b) => b[1] - a[1]);
  state.seatsByUnitKind = Object.fromEntries(rows);
  chart('seats-chart').setOption({
    tooltip: { trigger: 'axis' },
    grid: { left: 130, right: 30, top: 10, bottom: 30 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: rows.map(([k]) => (k === 'OTHER' ? '其他组织' : label('UnitKind', k))) },
    series: [{ type: 'bar', data: rows.map(([, n]) => n), itemStyle: { color: '#9b51e0' }, label: { show: true, position: 'right' } }],
  }, true);
}

function drawFlows(flows) {
  // A Sankey wants distinct node names: a unit and a community may share one, so both sides are
  // keyed by id and labelled by name.
  const nodes = new Map();
  const links = [];
  for (const f of flows.nodes) {
    const from = f.source ? `s:${f.source.id}` : 's:none';
    const to = `c:${f.community.id}`;
    nodes.set(from, f.source?.name ?? '(无单位 no unit)');
    nodes.set(to, f.community.name);
    links.push({ source: from, target: to, value: f.members });
  }
  state.flowMembers = links.reduce((s, l) => s + l.value, 0);
  chart('flows-chart').setOption({
    tooltip: { trigger: 'item', formatter: (p) => (p.dataType === 'edge'
      ? `${nodes.get(p.data.source)} → ${nodes.get(p.data.target)}: ${p.data.value} 人` : `${p.name}: ${p.value} 人`) },
    series: [{
      type: 'sankey', left: 10, right: 160, top: 10, bottom: 10, nodeGap: 6, draggable: false,
      emphasis: { focus: 'adjacency' }, lineStyle: { color: 'gradient', opacity: 0.45 },
      data: [...nodes].map(([name, text]) => ({ name, label: { formatter: () => text }, itemStyle: { color: name.startsWith('s:') ? '#f2994a' : '#2f80ed' } })),
      links,
    }],
  }, true);
  if (!links.length) chart('flows-chart').setOption({ title: { text: '没有跨单位报到 (no cross-unit reporting)', left: 'center', top: 'middle', textStyle: { color: '#829ab1', fontSize: 14 } } });
}

function drawKinds(id, enumName, counts, color) {
  const data = counts.map((k) => ({ name: label(enumName, k.kind), value: k.count }));
  chart(id).setOption(id === 'status-chart' ? {
    tooltip: { trigger: 'item' },
    legend: { orient: 'vertical', left: 10, top: 20 },
    series: [{ type: 'pie', radius: ['35%', '70%'], center: ['60%', '50%'], data, label: { formatter: '{b}\n{c}' } }],
  } : {
    tooltip: { trigger: 'axis' },
    grid: { left: 140, right: 30, top: 10, bottom: 30 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: data.map((d) => d.name) },
    series: [{ type: 'bar', data: data.map((d) => d.value), itemStyle: { color }, label: { show: true, position: 'right' } }],
  }, true);
}

let loadSeq = 0;

async function load() {
  if (!state.place) return;
  const started = performance.now();
  const seq = ++loadSeq;
  state.status = 'loading';
  status('载入中… loading');
  try {
    await labelsReady;
    const asOf = $('asof').value || null;
    const data = await gql(DASHBOARD, { place: state.place, asOf });
    if (seq !== loadSeq) return; // a newer place or date was asked for meanwhile
    state.data = data;
    const st = data.statistics;
    $('place-title').innerHTML = '';
    $('place-title').append(st.place.name);
    const small = document.createElement('small');
    small.textContent = `${label('PlaceKind', st.place.kind)}${st.place.parent ? ' · ' + st.place.parent.name : ''} · 截至 ${st.asOf}`;
    $('place-title').append(small);
    cards(st);
    drawCoverage(st);
    drawGaps(data.coverageGaps);
    drawSeats(data.committees);
    drawFlows(data.reportingFlows);
    drawKinds('status-chart', 'ProjectStatus', st.projectsByStatus);
    drawKinds('category-chart', 'ProjectCategory', st.projectsByCategory, '#2f80ed');
    // ECharts draws on the next frames; the dashboard counts as drawn once they are painted.
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    state.drawMs = Math.round(performance.now() - started);
    state.status = 'drawn';
    const cut = data.coverageGaps.totalCount > data.coverageGaps.nodes.length ? ` (空白只显示前 ${data.coverageGaps.nodes.length} 个 of ${data.coverageGaps.totalCount})` : '';
    status(`${st.place.name}: 截至 ${st.asOf} · drawn in ${state.drawMs} ms${cut}`);
  } catch (err) {
    if (seq !== loadSeq) return;
    state.status = 'error';
    state.error = err.message;
    status(`出错 error: ${err.message}`, true);
  }
}

// Sheets -----------------------------------------------------------------------------------

async function download(which, format) {
  const [name, query] = SHEETS[which];
  status(`${name}: 导出 ${format.toUpperCase()}…`);
  try {
    const res = await fetch(`/sheet?format=${format}&name=${encodeURIComponent(name)}`, {
      method: 'POST', headers: headers(),
      body: JSON.stringify({ query, variables: { place: state.place, asOf: $('asof').value || null } }),
    });
    if (!res.ok) throw await apiError(res);
    const blob = await res.blob();
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${state.data?.statistics.place.name ?? 'gongjian'}-${name}.${format}`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    status(`${name}: ${format.toUpperCase()} 已下载 downloaded`);
  } catch (err) {
    status(`出错 error: ${err.message}`, true);
  }
}

for (const b of document.querySelectorAll('button[data-sheet]')) {
  b.addEventListener('click', () => download(b.dataset.sheet, b.dataset.format));
}

// The place picker -------------------------------------------------------------------------

let searchSeq = 0;
$('place-search').addEventListener('input', async (ev) => {
  const text = ev.target.value.trim();
  const seq = ++searchSeq;
  if (!text) { $('results').replaceChildren(); return; }
  try {
    const data = await gql(`query($t: String!) { search(text: $t, kinds: [PLACE], first: 12) { nodes { node { id ... on Place { name kind parent { name } } } } } }`, { t: text });
    if (seq !== searchSeq) return;
    const items = data.search.nodes.map(({ node }) => {
      const li = document.createElement('li');
      li.textContent = node.name;
      const k = document.createElement('span');
      k.className = 'kind';
      k.textContent = `${label('PlaceKind', node.kind)}${node.parent ? ' · ' + node.parent.name : ''}`;
      li.append(k);
      li.addEventListener('click', () => choose(node.id, node.name));
      return li;
    });
    if (!items.length) {
      const li = document.createElement('li');
      li.className = 'none';
      li.textContent = `没有名为“${text}”的地区 (no place is named so)`;
      items.push(li);
    }
    $('results').replaceChildren(...items);
  } catch (err) {
    status(`出错 error: ${err.message}`, true);
  }
});

// choose draws a place; the address keeps it (#place:…), so that a link, a reload and the
// browser's back button show the same place.
function choose(id, name, first = false) {
  state.place = id;
  $('results').replaceChildren();
  $('place-search').value = name || '';
  const hash = '#' + encodeURIComponent(id);
  if (location.hash !== hash) history[first ? 'replaceState' : 'pushState'](null, '', hash);
  load();
}
window.__dashboard.choose = choose;

$('asof').addEventListener('change', load);
$('coverage-sort').addEventListener('change', () => state.data && drawCoverage(state.data.statistics));
window.addEventListener('resize', () => Object.values(state.charts).forEach((c) => c.resize()));

window.addEventListener('hashchange', () => {
  const id = decodeURIComponent(location.hash.slice(1));
  if (id && id !== state.place) choose(id, '');
});

choose(location.hash.length > 1 ? decodeURIComponent(location.hash.slice(1)) : 'place:zhongyuan', '', true);
