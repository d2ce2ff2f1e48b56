// Browser tests of the statistics dashboard (/dashboard), in Debian's headless Chromium driven by
// playwright-core: every chart of 中原区 is drawn and holds the API's numbers, the date control
// redraws, and the CSV and XLSX downloads hold the table's rows (read back with csv-parse and
// exceljs, not with the library that wrote them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, appendFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { launch, api, base, out } from './browser.mjs';

let browser;
let page;

before(async () => { ({ browser, page } = await launch()); });

after(async () => { await browser?.close(); });

const drawn = () => page.waitForFunction(() => ['drawn', 'error'].includes(window.__dashboard?.status), null, { timeout: 60000 });

// option reads what ECharts holds for a chart: the numbers it draws.
const option = (id) => page.evaluate((id) => {
  const o = window.__dashboard.charts[id].getOption();
  return { series: o.series.map((s) => ({ type: s.type, data: s.data, links: s.links })), x: o.xAxis?.[0]?.data, y: o.yAxis?.[0]?.data };
}, id);

const WANT = `query($asOf: Date) {
  statistics(place: "place:zhongyuan", asOf: $asOf) {
    asOf communities units members reportingMembers crossUnitReporters seats
    coverageByLevel { level coveredCommunities }
    projectsByStatus { kind count } projectsByCategory { kind count }
    coverageByChild { place { name } communities coveredDirect directRate coveredIndirect indirectRate }
  }
  coverageGaps(within: "place:zhongyuan", filter: {asOf: $asOf}, first: 500) { totalCount nodes { community { name id parent { name } } coveringUnits } }
  reportingFlows(filter: {within: "place:zhongyuan", asOf: $asOf}, first: 40) { nodes { members } }
  committees(filter: {within: "place:zhongyuan", asOf: $asOf}, first: 500) { nodes { seatsByUnitKind { kind count } } }
}`;

async function checkAgainstAPI(asOf) {
  const want = await api(WANT, { asOf });
  const st = want.statistics;
  const state = await page.evaluate(() => ({ status: window.__dashboard.status, error: window.__dashboard.error, asOf: window.__dashboard.data.statistics.asOf }));
  assert.equal(state.status, 'drawn', state.error);
  assert.equal(state.asOf, st.asOf);
  // The cards.
  for (const key of ['communities', 'units', 'members', 'reportingMembers', 'crossUnitReporters', 'seats']) {
    const shown = await page.locator(`[data-figure=${key}] .value`).textContent();
    assert.equal(Number(shown.replace(/,/g, '')), st[key], `card ${key}`);
  }
  // Coverage per street: one bar pair per street, the API's rates; and the streets add up to the
  // district's own covered count.
  const cov = await option('coverage-chart');
  assert.equal(cov.x.length, st.coverageByChild.length);
  assert.ok(cov.x.length >= 3, `only ${cov.x.length} streets`);
  const byName = new Map(st.coverageByChild.map((c) => [c.place.name, c]));
  cov.x.forEach((name, i) => {
    assert.equal(cov.series[0].data[i], +(100 * byName.get(name).directRate).toFixed(1), `direct rate of ${name}`);
    assert.equal(cov.series[1].data[i], +(100 * byName.get(name).indirectRate).toFixed(1), `indirect rate of ${name}`);
  });
  const direct = st.coverageByLevel.find((l) => l.level === 'DIRECT').coveredCommunities;
  assert.equal(st.coverageByChild.reduce((s, c) => s + c.coveredDirect, 0), direct);
  // Gaps: the table's rows are the API's.
  const rows = await page.locator('#gaps-table tbody tr').count();
  assert.equal(rows, Math.max(1, want.coverageGaps.nodes.length));
  // Flows: the Sankey's links carry the API's members.
  const flows = await option('flows-chart');
  assert.equal(flows.series[0].links.reduce((s, l) => s + l.value, 0), want.reportingFlows.nodes.reduce((s, f) => s + f.members, 0));
  assert.equal(flows.series[0].links.length, want.reportingFlows.nodes.length);
  // Seats by unit kind, summed over the committees.
  const seats = await option('seats-chart');
  const totals = {};
  for (const c of want.committees.nodes) for (const k of c.seatsByUnitKind) totals[k.kind] = (totals[k.kind] || 0) + k.count;
  assert.deepEqual([...seats.series[0].data].sort((a, b) => a - b), Object.values(totals).sort((a, b) => a - b));
  // Projects by status and by category.
  const status = await option('status-chart');
  assert.deepEqual(status.series[0].data.map((d) => d.value), st.projectsByStatus.map((k) => k.count));
  const category = await option('category-chart');
  assert.deepEqual(category.series[0].data, st.projectsByCategory.map((k) => k.count));
  return want;
}

test('the dashboard draws every chart of 中原区 with the API\'s numbers', async () => {
  await page.goto(base + '/dashboard');
  await drawn();
  const drawMs = await page.evaluate(() => window.__dashboard.drawMs);
  console.log(`# dashboard of 中原区: drawn in ${drawMs} ms (request included)`);
  await appendFile(`${out}/measurements.log`, `dashboard 中原区 time to draw: ${drawMs} ms\n`);
  const want = await checkAgainstAPI(null);
  assert.ok(want.statistics.projectsByStatus.length > 0, 'no projects in the demo data');
  assert.match(await page.locator('#place-title').textContent(), /^中原区/);
  // Chinese labels first: the seats chart names unit kinds in Chinese.
  const seats = await option('seats-chart');
  assert.ok(seats.y.every((k) => /[\u4e00-\u9fff]/.test(k)), JSON.stringify(seats.y));
  await page.screenshot({ path: `${out}/dashboard-zhongyuan.png`, fullPage: true });
});

test('sorting the coverage bars and the date control redraw them', async () => {
  await page.selectOption('#coverage-sort', 'DIRECT');
  const cov = await option('coverage-chart');
  const rates = cov.series[0].data;
  assert.deepEqual(rates, [...rates].sort((a, b) => b - a));
  await page.fill('#asof', '2016-01-01');
  await page.dispatchEvent('#asof', 'change');
  await page.waitForFunction(() => window.__dashboard.data?.statistics.asOf === '2016-01-01' && window.__dashboard.status === 'drawn', null, { timeout: 60000 });
  await checkAgainstAPI('2016-01-01');
  await page.screenshot({ path: `${out}/dashboard-zhongyuan-2016.png`, fullPage: true });
  await page.fill('#asof', '');
  await page.dispatchEvent('#asof', 'change');
  await drawn();
});

test('the place picker finds a street and draws it', async () => {
  await page.fill('#place-search', '林山寨');
  const first = page.locator('#results li').first();
  await first.waitFor({ timeout: 15000 });
  assert.match(await first.textContent(), /林山寨/);
  await first.click();
  await page.waitForFunction(() => window.__dashboard.status === 'drawn' && window.__dashboard.data.statistics.place.name.startsWith('林山寨'), null, { timeout: 60000 });
  const streetMs = await page.evaluate(() => window.__dashboard.drawMs);
  await appendFile(`${out}/measurements.log`, `dashboard 林山寨街道 (after 中原区) time to draw: ${streetMs} ms\n`);
  assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), /^#place:/);
  // The browser's back button returns to the district.
  await page.goBack();
  await page.waitForFunction(() => window.__dashboard.status === 'drawn' && window.__dashboard.data.statistics.place.id === 'place:zhongyuan', null, { timeout: 60000 });
  assert.match(await page.locator('#place-title').textContent(), /^中原区/);
});

async function downloadOf(which, format) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`button[data-sheet=${which}][data-format=${format}]`)]);
  return readFile(await dl.path());
}

test('the gaps table downloads as CSV and XLSX holding its rows, with Chinese headers', async () => {
  const want = await api(`{ coverageGaps(within: "place:zhongyuan", first: 500) { nodes { community { name id parent { name } } coveringUnits } } }`);
  const rows = want.coverageGaps.nodes.map((g) => [g.community.name, g.community.id, g.community.parent?.name ?? '', String(g.coveringUnits)]);

  const csv = parse(await downloadOf('gaps', 'csv'), { bom: true });
  assert.equal(csv.length, rows.length + 1);
  assert.ok(csv[0].every((h) => /[\u4e00-\u9fff]/.test(h)), `headers ${JSON.stringify(csv[0])}`);
  assert.deepEqual(csv.slice(1), rows);

  const book = new ExcelJS.Workbook();
  await book.xlsx.load(await downloadOf('gaps', 'xlsx'));
  const sheet = book.worksheets[0];
  assert.equal(sheet.actualRowCount, rows.length + 1);
  const got = [];
  sheet.eachRow((row) => got.push(row.values.slice(1).map((v) => String(v ?? ''))));
  assert.deepEqual(got[0], csv[0]);
  assert.deepEqual(got.slice(1), rows);
});

test('the coverage table downloads with a row per street', async () => {
  const want = await api(`{ statistics(place: "place:zhongyuan") { coverageByChild { place { name } communities coveredDirect } } }`);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(await downloadOf('coverage', 'xlsx'));
  const sheet = book.worksheets[0];
  assert.equal(sheet.actualRowCount, want.statistics.coverageByChild.length + 1);
  const names = [];
  sheet.eachRow((row, i) => { if (i > 1) names.push(row.values[1]); });
  assert.deepEqual(names, want.statistics.coverageByChild.map((c) => c.place.name));
  const csv = parse(await downloadOf('flows', 'csv'), { bom: true });
  assert.ok(csv.length > 1, 'no reporting flows downloaded');
});
