// How the explorer draws each kind: a colour and a cytoscape shape per node kind (sixteen
// colours from Kelly's set of maximally distinct ones, no two kinds alike), a line style and
// colour per relationship kind; and the legend's swatches, drawn as SVG from the same
// polygons cytoscape draws, so that the legend shows exactly what the canvas does.

export const NODE_STYLE = {
  PLACE: ['#0067a5', 'round-rectangle'],
  UNIT: ['#f38400', 'ellipse'],
  PARTY_ORG: ['#be0032', 'diamond'],
  COMMITTEE: ['#875692', 'hexagon'],
  SEAT: ['#e68fac', 'tag'],
  PERSON: ['#008856', 'ellipse'],
  AGREEMENT: ['#882d17', 'rectangle'],
  PROJECT: ['#a1caf1', 'rectangle'],
  PROGRESS_REPORT: ['#848482', 'rectangle'],
  SERVICE_POST: ['#f3c300', 'triangle'],
  SHARED_RESOURCE: ['#8db600', 'triangle'],
  RED_STATION: ['#e25822', 'star'],
  VOLUNTEER_TEAM: ['#2b3d26', 'vee'],
  ACTIVITY: ['#f99379', 'pentagon'],
  EVALUATION: ['#c2b280', 'round-tag'],
  LEADING_GROUP: ['#b3446c', 'octagon'],
};

export const REL_STYLE = {
  PART_OF: ['solid', '#8da2b5'], STATIONED_IN: ['solid', '#f38400'], ORG_OF: ['dotted', '#be0032'],
  SUBORDINATE_TO: ['dotted', '#c53030'], CO_MANAGES: ['dashed', '#c53030'], COVERS: ['solid', '#875692'],
  LED_BY: ['dashed', '#875692'], HOLDS: ['solid', '#e68fac'], SEAT_ON: ['solid', '#e68fac'],
  REPRESENTS: ['dashed', '#008856'], MEMBER_OF: ['dotted', '#008856'], WORKS_IN: ['solid', '#008856'],
  LIVES_IN: ['dotted', '#6b7c93'], REPORTS_TO: ['dashed', '#e67e22'], SECONDED_TO: ['dashed', '#2d9cdb'],
  PARTY_TO: ['solid', '#882d17'], WITH: ['solid', '#882d17'], UNDER: ['dotted', '#a1caf1'],
  PROJECT_IN: ['dotted', '#a1caf1'], REPORT_ON: ['dotted', '#848482'], OFFERS: ['solid', '#f3c300'],
  CLAIMED: ['dashed', '#f3c300'], OPENS: ['solid', '#8db600'], LOCATED_AT: ['dotted', '#8db600'],
  ATTACHED_TO: ['dashed', '#e25822'], VOLUNTEERS_IN: ['dashed', '#2b3d26'],
  ORGANISED: ['solid', '#f99379'], HELD_IN: ['dotted', '#f99379'], TOOK_PART_IN: ['dashed', '#f99379'],
  RATES: ['solid', '#c2b280'], RATING_OF: ['dashed', '#c2b280'], MERGED_INTO: ['dashed', '#8da2b5'],
  CONTACT_POINT: ['dashed', '#b3446c'], HEADS: ['solid', '#2b8a3e'],
};

// A group of neighbours drawn as one node: white, ringed in its members' colour.
export const GROUP_SHAPE = 'ellipse';

// ngon gives a regular polygon's points in [-1, 1]², as cytoscape generates them
// (generateUnitNgonPointsFitToSquare: the first vertex at the top, then stretched to the square).
function ngon(sides, rotation = 0) {
  const step = (2 * Math.PI) / sides;
  const offset = sides % 2 === 0 ? Math.PI / 2 + step / 2 : Math.PI / 2;
  const pts = [];
  for (let i = 0; i < sides; i++) {
    const a = i * step + offset + rotation;
    pts.push([Math.cos(a), -Math.sin(a)]);
  }
  const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
  const sx = 2 / (Math.max(...xs) - Math.min(...xs)), sy = 2 / (Math.max(...ys) - Math.min(...ys));
  const cx = (Math.max(...xs) + Math.min(...xs)) / 2, cy = (Math.max(...ys) + Math.min(...ys)) / 2;
  return pts.map(([x, y]) => [(x - cx) * sx, (y - cy) * sy]);
}

// The polygons of cytoscape's shapes (src/extensions/renderer/base/node-shapes.js).
const POLYGONS = {
  rectangle: [[-1, -1], [1, -1], [1, 1], [-1, 1]],
  diamond: [[0, -1], [1, 0], [0, 1], [-1, 0]],
  triangle: ngon(3),
  pentagon: ngon(5),
  hexagon: ngon(6),
  octagon: ngon(8),
  tag: [[-1, -1], [1 / 3, -1], [1, 0], [1 / 3, 1], [-1, 1]],
  'round-tag': [[-1, -1], [1 / 3, -1], [1, 0], [1 / 3, 1], [-1, 1]],
  vee: [[-1, -1], [0, -1 / 3], [1, -1], [0, 1]],
  star: (() => {
    const outer = ngon(5), pts = [];
    const inner = ngon(5, Math.PI / 5).map(([x, y]) => [x * 0.38, y * 0.38]);
    for (let i = 0; i < 5; i++) pts.push(outer[i], inner[i]);
    return pts;
  })(),
};

// swatch draws a shape as cytoscape does, as a small inline SVG.
export function swatch(shape, fill, { stroke = '#334e68', size = 16, dashed = false } = {}) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '-1.2 -1.2 2.4 2.4');
  svg.setAttribute('width', size);
  svg.setAttribute('height', size);
  svg.classList.add('swatch');
  svg.dataset.shape = shape;
  svg.dataset.color = fill;
  let el;
  if (shape === 'ellipse') {
    el = document.createElementNS(ns, 'circle');
    el.setAttribute('r', '1');
  } else if (shape === 'round-rectangle') {
    el = document.createElementNS(ns, 'rect');
    for (const [k, v] of [['x', -1], ['y', -1], ['width', 2], ['height', 2], ['rx', 0.5]]) el.setAttribute(k, v);
  } else {
    el = document.createElementNS(ns, 'polygon');
    el.setAttribute('points', (POLYGONS[shape] || POLYGONS.rectangle).map(([x, y]) => `${x.toFixed(3)},${y.toFixed(3)}`).join(' '));
    if (shape === 'round-tag') el.setAttribute('stroke-linejoin', 'round');
  }
  el.setAttribute('fill', fill);
  el.setAttribute('stroke', stroke);
  el.setAttribute('stroke-width', '0.15');
  if (dashed) el.setAttribute('stroke-dasharray', '0.4 0.25');
  svg.append(el);
  return svg;
}

// lineSwatch draws a relationship kind's line.
export function lineSwatch(kind) {
  const [style, color] = REL_STYLE[kind] || ['solid', '#bbb'];
  const s = document.createElement('span');
  s.className = 'line';
  s.style.borderTopStyle = style;
  s.style.borderTopColor = color;
  s.dataset.style = style;
  s.dataset.color = color;
  return s;
}
