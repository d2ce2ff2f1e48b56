// The explorer on a neighbourhood an analyst finds hard to read: 朝阳社区 at depth 2 (about 490
// nodes). Alike neighbours fold into groups that expand next to themselves; hub labels are
// drawn at a readable size on screen; the legend's swatches have exactly the shapes and colours
// of the canvas, one look per kind; the status counts the whole drawing; a bad API key shows the
// server's own message. Times to first draw and to a settled layout go to measurements.log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import { launch, api, base, out } from './browser.mjs';

let browser;
let page;

before(async () => { ({ browser, page } = await launch()); });
after(async () => { await browser?.close(); });

const settled = () => page.waitForFunction(() => window.__explore?.state.status === 'laid-out', null, { timeout: 60000 });

// colour normalises a CSS colour to rgb(r, g, b).
const rgb = (hex) => `rgb(${parseInt(hex.slice(1, 3), 16)},${parseInt(hex.slice(3, 5), 16)},${parseInt(hex.slice(5, 7), 16)})`;
const norm = (c) => c.replace(/\s+/g, '');

test('朝阳社区 at depth 2: groups, readable hub labels, and a legend that matches the canvas', async () => {
  await page.goto(base + '/explore#place:shangjie:chaoyang');
  await settled();
  const t = await page.evaluate(() => ({ first: window.__explore.state.firstDrawMs, settled: window.__explore.state.layoutMs }));
  console.log(`# 朝阳社区 depth 2: first draw ${t.first.toFixed(0)} ms, settled layout ${t.settled.toFixed(0)} ms (fetch included)`);
  await appendFile(`${out}/measurements.log`, `explore 朝阳社区 depth 2: first draw ${t.first.toFixed(0)} ms, settled ${t.settled.toFixed(0)} ms\n`);

  // The drawing stands for the whole answer, and folds most of it.
  const want = await api(`{ neighbourhood(ids: ["place:shangjie:chaoyang"], depth: 2, limit: 500) { nodes { id } edges { id } } }`);
  const counts = await page.evaluate(() => ({ ...window.__explore.answerCount(), drawn: window.__explore.nodeCount(), groups: window.__explore.groups() }));
  assert.equal(counts.nodes, want.neighbourhood.nodes.length);
  assert.equal(counts.edges, want.neighbourhood.edges.length);
  assert.ok(counts.nodes > 400, `only ${counts.nodes} nodes in the answer`);
  assert.ok(counts.drawn < counts.nodes / 2, `${counts.drawn} of ${counts.nodes} drawn: grouping folded little`);
  const people = counts.groups.find((g) => g.kind === 'PERSON' && g.size >= 50);
  assert.ok(people, `no large group of people: ${JSON.stringify(counts.groups)}`);
  // Its label counts its people in Chinese.
  assert.match(await page.evaluate((id) => window.__explore.cy.getElementById(id).data('label'), people.id), /^\d+ 人员/);

  // Hub labels: drawn, and at least 11 px on screen at the fitted zoom.
  const hubs = await page.evaluate(() => window.__explore.cy.nodes('.hub').map((n) => ({
    id: n.id(), label: n.style('label'), px: parseFloat(n.style('font-size')) * window.__explore.cy.zoom(),
  })));
  assert.ok(hubs.length >= 10, `only ${hubs.length} hubs`);
  for (const h of hubs) {
    assert.ok(h.label.length > 0, `${h.id} has no label`);
    assert.ok(h.px >= 11, `${h.id}'s label is ${h.px.toFixed(1)} px on screen`);
  }
  assert.ok(hubs.some((h) => h.id === 'place:shangjie:chaoyang'), 'the root is not labelled');

  // The legend: for every kind drawn, the swatch's shape and colour are the canvas's.
  const drawnLooks = await page.evaluate(() => {
    const m = {};
    for (const n of window.__explore.cy.nodes()) {
      if (!n.data('group')) m[n.data('kind')] = { shape: n.style('shape'), color: n.style('background-color') };
    }
    return m;
  });
  const legend = await page.$$eval('#node-kinds label.kind', (ls) => ls.map((l) => ({ kind: l.dataset.kind, name: l.querySelector('span').textContent,
    shape: l.querySelector('svg').dataset.shape, color: l.querySelector('svg').dataset.color })));
  assert.equal(legend.length, 16);
  for (const [kind, look] of Object.entries(drawnLooks)) {
    const l = legend.find((x) => x.kind === kind);
    assert.ok(l, `${kind} is drawn but not in the legend`);
    assert.equal(l.shape, look.shape, `${kind}: legend ${l.shape}, canvas ${look.shape}`);
    assert.equal(norm(rgb(l.color)), norm(look.color), `${kind}: legend ${l.color}, canvas ${look.color}`);
    assert.match(l.name, /[\u4e00-\u9fff]/, `${kind} is not named in Chinese`);
  }
  assert.equal(new Set(legend.map((l) => l.color)).size, 16, 'two kinds share a colour');
  assert.equal(new Set(legend.map((l) => `${l.shape} ${l.color}`)).size, 16);
  await page.screenshot({ path: `${out}/explore-chaoyang.png` });
  await page.locator('#node-kinds').screenshot({ path: `${out}/explore-legend.png` });
});

test('a group expands next to itself, and the status counts the whole drawing', async () => {
  const before = await page.evaluate(() => {
    const g = window.__explore.groups().sort((a, b) => b.size - a.size)[0];
    const cy = window.__explore.cy;
    const p = cy.getElementById(g.id).position();
    return { group: g, p, drawn: cy.nodes().length, answer: window.__explore.answerCount() };
  });
  const pos = await page.evaluate((id) => {
    const n = window.__explore.cy.getElementById(id);
    const r = n.renderedPosition();
    const box = document.getElementById('cy').getBoundingClientRect();
    return { x: box.left + r.x, y: box.top + r.y };
  }, before.group.id);
  await page.mouse.dblclick(pos.x, pos.y);
  await page.waitForFunction((id) => window.__explore.cy.getElementById(id).empty() && window.__explore.state.status === 'laid-out', before.group.id, { timeout: 60000 });
  const after = await page.evaluate(() => {
    const cy = window.__explore.cy;
    const fresh = cy.nodes('.fresh');
    const all = cy.nodes().map((n) => n.position());
    const xs = all.map((p) => p.x), ys = all.map((p) => p.y);
    return {
      drawn: cy.nodes().length, edges: cy.edges().length, fresh: fresh.length, answer: window.__explore.answerCount(),
      freshPos: fresh.map((n) => n.position()), span: Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)),
      status: document.getElementById('status').textContent,
      visible: fresh.filter((n) => { const r = n.renderedPosition(); return r.x >= 0 && r.y >= 0 && r.x <= cy.width() && r.y <= cy.height(); }).length,
    };
  });
  assert.equal(after.fresh, before.group.size);
  assert.equal(after.drawn, before.drawn - 1 + before.group.size);
  assert.deepEqual(after.answer, before.answer, 'expansion changed what the drawing stands for');
  // The new nodes land around where the group was, not across the drawing, and in view.
  const mean = after.freshPos.reduce((a, p) => ({ x: a.x + p.x / after.fresh, y: a.y + p.y / after.fresh }), { x: 0, y: 0 });
  const off = Math.hypot(mean.x - before.p.x, mean.y - before.p.y);
  assert.ok(off < after.span / 3, `the expansion landed ${off.toFixed(0)} away from its group (drawing ${after.span.toFixed(0)} wide)`);
  assert.equal(after.visible, after.fresh, `${after.fresh - after.visible} new nodes outside the view`);
  // The status gives the whole drawing, and what was added.
  assert.match(after.status, new RegExp(`^${after.drawn} nodes, ${after.edges} edges drawn \\(\\+${before.group.size} `));
  await page.screenshot({ path: `${out}/explore-chaoyang-expanded.png` });
});

test('a bad API key shows the server\'s own message', async () => {
  await page.fill('#apikey', 'not-a-key');
  await page.dispatchEvent('#apikey', 'change');
  await page.evaluate(() => window.__explore.choose('place:shangjie:chaoyang', 'PLACE'));
  await page.waitForFunction(() => window.__explore.state.status === 'error', null, { timeout: 30000 });
  const text = await page.locator('#status').textContent();
  assert.match(text, /UNAUTHENTICATED/);
  assert.doesNotMatch(text, /undefined|Cannot read/);
  await page.screenshot({ path: `${out}/explore-bad-key.png` });
  await page.fill('#apikey', '');
  await page.dispatchEvent('#apikey', 'change');
});

test('without grouping, 朝阳社区 at depth 2 draws every node of the answer and settles', async () => {
  await page.uncheck('#grouping');
  await page.evaluate(() => { window.__explore.state.status = 'loading'; window.__explore.choose('place:shangjie:chaoyang', 'PLACE'); });
  await settled();
  const r = await page.evaluate(() => ({ drawn: window.__explore.nodeCount(), edges: window.__explore.edgeCount(), groups: window.__explore.groups().length,
    first: window.__explore.state.firstDrawMs, settled: window.__explore.state.layoutMs }));
  const want = await api(`{ neighbourhood(ids: ["place:shangjie:chaoyang"], depth: 2, limit: 500) { nodes { id } edges { id } } }`);
  assert.equal(r.groups, 0);
  assert.equal(r.drawn, want.neighbourhood.nodes.length);
  assert.equal(r.edges, want.neighbourhood.edges.length);
  console.log(`# 朝阳社区 depth 2 ungrouped, ${r.drawn} nodes: first draw ${r.first.toFixed(0)} ms, settled ${r.settled.toFixed(0)} ms`);
  await appendFile(`${out}/measurements.log`, `explore 朝阳社区 depth 2 ungrouped (${r.drawn} nodes drawn): first draw ${r.first.toFixed(0)} ms, settled ${r.settled.toFixed(0)} ms\n`);
  await page.screenshot({ path: `${out}/explore-chaoyang-ungrouped.png` });
  await page.check('#grouping');
});
