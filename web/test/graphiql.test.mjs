// GraphiQL as an analyst first sees it: the page loads with its default tab, a commented tour of
// a search, a coverage, a statistics and a network query, which runs clean on the demo data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, base, out } from './browser.mjs';

let browser;
let page;

before(async () => { ({ browser, page } = await launch()); });

after(async () => { await browser?.close(); });

test('GraphiQL opens on a default query that runs without errors', async () => {
  // A fresh profile: no query kept from an earlier visit.
  await page.goto(base + '/');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.locator('.graphiql-execute-button').waitFor({ timeout: 30000 });
  const query = await page.evaluate(() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue());
  for (const field of ['search', 'coverage', 'statistics', 'neighbourhood']) assert.match(query, new RegExp(`\\b${field}\\(`));
  assert.ok(query.split('\n').filter((l) => l.trim().startsWith('#')).length >= 15, 'the default tab explains little');
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(() => {
    const cm = document.querySelector('.result-window .CodeMirror');
    return cm && cm.CodeMirror.getValue().includes('"data"');
  }, null, { timeout: 30000 });
  const result = JSON.parse(await page.evaluate(() => document.querySelector('.result-window .CodeMirror').CodeMirror.getValue()));
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  const d = result.data;
  assert.ok(d.search.totalCount > 0, 'the default search finds nothing in the demo data');
  assert.ok(d.coverage.unitCount > 0 && d.coverage.nodes.every((c) => c.path.length > 0), 'the default coverage is empty');
  assert.equal(d.statistics.place.name, '中原区');
  assert.ok(d.statistics.communities > 0 && d.statistics.coverageByChild.length > 0);
  assert.ok(d.neighbourhood.nodes.length > 1 && d.neighbourhood.edges.length > 0);
  await page.screenshot({ path: `${out}/graphiql-default.png` });
});
