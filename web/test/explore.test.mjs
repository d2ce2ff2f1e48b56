// Browser tests of the network explorer (/explore), in Debian's headless Chromium driven by
// playwright-core. Run by web/test/run.sh (part of `make test`), which serves the API over the
// demo data and sets GONGJIAN_URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, api, base, out } from './browser.mjs';

let browser;
let page;

before(async () => { ({ browser, page } = await launch()); });

after(async () => { await browser?.close(); });

async function drawn() {
  await page.waitForFunction(() => ['drawn', 'laid-out'].includes(window.__explore?.state.status), null, { timeout: 60000 });
}

test('a search without hits says so, and the line cannot be chosen', async () => {
  await page.goto(base + '/explore');
  await page.fill('#search', '不存在的地方zzq');
  const none = page.locator('[data-testid=no-hits]');
  await none.waitFor({ timeout: 15000 });
  assert.match(await none.textContent(), /nothing is named “不存在的地方zzq”/);
  await page.screenshot({ path: `${out}/explore-no-hits.png` });
  await none.click();
  assert.equal(await page.evaluate(() => window.__explore.state.root ?? null), null);
});

test('search for 金凤路社区, draw its neighbourhood as the API gives it, and read a node\'s details', async () => {
  await page.goto(base + '/explore');
  await page.fill('#search', '金凤路社区');
  const first = page.locator('#results li').first();
  await first.waitFor({ timeout: 15000 });
  assert.match(await first.textContent(), /^金凤路社区/);
  await first.click();
  await drawn();

  // The drawing stands for exactly the nodes and edges of the API's answer for the same
  // question: those drawn, and those folded into groups.
  const want = await api(`{ neighbourhood(ids: ["place:xinmi:jinfenglu"], depth: 2, limit: 500) { nodes { id } edges { id } } }`);
  const got = await page.evaluate(() => window.__explore.answerCount());
  assert.equal(got.nodes, want.neighbourhood.nodes.length);
  assert.equal(got.edges, want.neighbourhood.edges.length);
  assert.ok(await page.evaluate(() => window.__explore.nodeCount()) > 10, 'only a few nodes drawn');

  // Click the community (the root) and read its details panel.
  await page.waitForFunction(() => window.__explore.state.status === 'laid-out', null, { timeout: 60000 });
  const pos = await page.evaluate(() => {
    const n = window.__explore.cy.getElementById('place:xinmi:jinfenglu');
    const p = n.renderedPosition();
    const box = document.getElementById('cy').getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  });
  await page.mouse.click(pos.x, pos.y);
  await page.locator('[data-testid=details-title]').waitFor();
  assert.equal(await page.locator('[data-testid=details-title]').textContent(), '金凤路社区');
  assert.match(await page.locator('[data-testid=provenance]').textContent(), /^report:003_/);
  await page.screenshot({ path: `${out}/explore-jinfenglu.png` });
});

test('the coverage of a community draws its covering units', async () => {
  await page.check('#coverage-mode');
  await page.evaluate(() => window.__explore.choose('place:xinmi:jinfenglu', 'PLACE'));
  await page.waitForFunction(() => document.querySelector('#details h3')?.textContent.includes('Coverage'), null, { timeout: 30000 });
  const want = await api(`{ coverage(place: "place:xinmi:jinfenglu", first: 500) { unitCount graph { nodes { id } } } }`);
  await drawn();
  assert.equal(await page.evaluate(() => window.__explore.answerCount().nodes), want.coverage.graph.nodes.length);
  // Each covering unit once; under it each way once, named in Chinese, with its path.
  const units = await page.$$eval('#details ul.coverage > li', (lis) => lis.map((li) => ({
    name: li.querySelector('b').textContent,
    ways: [...li.querySelectorAll('li')].map((w) => `${w.dataset.way} ${w.querySelector('.path').textContent}`),
    names: [...li.querySelectorAll('.way')].map((w) => w.textContent),
  })));
  assert.equal(units.length, want.coverage.unitCount);
  assert.equal(new Set(units.map((u) => u.name)).size, units.length, 'a unit listed twice');
  for (const u of units) {
    assert.equal(new Set(u.ways).size, u.ways.length, `${u.name}: a way listed twice: ${u.ways}`);
    assert.ok(u.names.every((n) => /[\u4e00-\u9fff]/.test(n)), `${u.name}: ways not named in Chinese: ${u.names}`);
  }
  const kindergarten = units.find((u) => u.name === '东方娃幼儿园');
  assert.ok(kindergarten && kindergarten.ways.some((w) => w.includes('东方娃幼儿园 → 金凤路社区')), JSON.stringify(kindergarten));
  await page.screenshot({ path: `${out}/explore-coverage.png` });
  await page.uncheck('#coverage-mode');
});

test('a neighbourhood of about 2,000 elements (most of them folded into groups) draws without freezing the page', async () => {
  await page.fill('#limit', '1000');
  await page.selectOption('#depth', '2');
  await drawn();
  // Measure the longest stall of the main thread while the answer is drawn and laid out.
  await page.evaluate(() => {
    window.__stall = 0;
    let last = performance.now();
    window.__ticker = setInterval(() => { const now = performance.now(); window.__stall = Math.max(window.__stall, now - last - 50); last = now; }, 50);
  });
  await page.evaluate(() => { window.__explore.state.status = 'loading'; window.__explore.choose('place:shangjie', 'PLACE'); });
  await page.waitForFunction(() => window.__explore.state.root === 'place:shangjie' && ['drawn', 'laid-out'].includes(window.__explore.state.status), null, { timeout: 60000 });
  const r = await page.evaluate(() => ({
    elements: window.__explore.answerCount().nodes + window.__explore.answerCount().edges,
    firstDrawMs: window.__explore.state.firstDrawMs,
  }));
  await page.waitForFunction(() => window.__explore.state.status === 'laid-out', null, { timeout: 60000 });
  const stall = await page.evaluate(() => { clearInterval(window.__ticker); return window.__stall; });
  console.log(`# ${r.elements} elements: first draw ${r.firstDrawMs.toFixed(0)} ms (fetch included); longest main-thread stall ${stall.toFixed(0)} ms`);
  assert.ok(r.elements >= 1500, `only ${r.elements} elements`);
  // The drawing is added over a few frames and the layout runs in a worker: no frame holds the
  // page up for long, even in software rendering.
  assert.ok(stall < 1000, `the page froze for ${stall} ms`);
  await page.screenshot({ path: `${out}/explore-2000.png` });
});

test('a leading group, its activity and the evaluations its committee gave draw in their own styles', async () => {
  await page.fill('#limit', '500');
  await page.evaluate(() => { window.__explore.state.status = 'loading'; window.__explore.choose('group:zhongyuan:party-building', 'LEADING_GROUP'); });
  await page.waitForFunction(() => window.__explore.state.root === 'group:zhongyuan:party-building' && window.__explore.state.status === 'laid-out', null, { timeout: 60000 });
  // Open every group, so that each kind is drawn as itself.
  while (await page.evaluate(() => window.__explore.groups().length) > 0) {
    await page.evaluate(() => window.__explore.expand(window.__explore.groups()[0].id));
    await page.waitForFunction(() => window.__explore.state.status === 'laid-out', null, { timeout: 60000 });
  }
  const drawnKinds = await page.evaluate(() => {
    const out = {};
    for (const n of window.__explore.cy.nodes()) {
      if (n.data('group')) continue;
      const k = n.data('kind');
      out[k] = out[k] || { n: 0, shape: n.style('shape'), color: n.style('background-color') };
      out[k].n++;
    }
    return out;
  });
  for (const k of ['LEADING_GROUP', 'ACTIVITY', 'EVALUATION']) {
    assert.ok(drawnKinds[k]?.n > 0, `no ${k} drawn: ${JSON.stringify(drawnKinds)}`);
  }
  // Each kind has a shape and colour of its own.
  const looks = new Set(['LEADING_GROUP', 'ACTIVITY', 'EVALUATION', 'PARTY_ORG'].map((k) => `${drawnKinds[k].shape} ${drawnKinds[k].color}`));
  assert.equal(looks.size, 4, `shared looks: ${JSON.stringify(drawnKinds)}`);
  // The legend offers the new kinds as filters.
  const legend = await page.locator('#node-kinds').textContent();
  for (const k of ['活动', '评价', '领导小组', 'ACTIVITY', 'EVALUATION', 'LEADING_GROUP']) assert.match(legend, new RegExp(k));
  await page.screenshot({ path: `${out}/explore-new-kinds.png` });
});
